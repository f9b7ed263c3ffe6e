// SPDX-License-Identifier: MIT
/* Console input: the focus switch (vm/console_switch.c) and the hypervisor shell (vm/shell.c). */
#include "pv_test.h"

#include "vm_fixture.h"

#include <devices/vuart_pl011.h>
#include <string.h>
#include <vm/console_switch.h>
#include <vm/sched.h>
#include <vm/shell.h>

static struct vm_config cfg_b;
static struct vm *a, *b;

/* vmb gets a PL011 (and with it the focus at start); vm0 has no UART. */
static void with_uart(struct vm_config *cfg)
{
	cfg->ndevs = 1;
	cfg->devs[0] = (struct vm_dev_config){ .model = &vuart_pl011_model,
					       .node = "uart",
					       .space = VDEV_SPACE_MMIO,
					       .base = 0x09000000,
					       .has_irq = true,
					       .irq = 1 };
}

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	return fix_sched_two(&cfg_b, with_uart, &a, &b);
}

static int teardown(void **state)
{
	return fix_sched_teardown(state);
}

static void keys(const char *s)
{
	fake_type(s, strlen(s));
}

/* What vmb's guest reads from its PL011 data register, until it is empty. */
static void guest_reads(const char *expect)
{
	struct vdev *d = vdev_find(b, VDEV_SPACE_MMIO, 0x09000000, 4);
	uint64_t v;

	for (; *expect; expect++) {
		assert_int_equal(d->ops->read(d, &b->vcpus[0], 0x18, 4, &v), PV_OK);
		assert_int_equal(v & 0x10, 0); /* not empty */
		assert_int_equal(d->ops->read(d, &b->vcpus[0], 0, 4, &v), PV_OK);
		assert_int_equal(v & 0xff, (uint8_t)*expect);
	}
	assert_int_equal(d->ops->read(d, &b->vcpus[0], 0x18, 4, &v), PV_OK);
	assert_int_equal(v & 0x10, 0x10);
}

static void start_in_shell(void)
{
	console_start();
	keys("\x1ds");
	fake_hw.log_len = 0;
}

static void test_start_focuses_the_first_vm_with_a_uart(void **state)
{
	(void)state;
	console_start();
	assert_int_equal(fake_hw.irq_enabled, 33);
	assert_true(fake_log_contains("console: Ctrl-] then a key switches the input"));
	assert_true(fake_log_contains("console: input goes to vm 1 vmb"));
	assert_ptr_equal(console_focus(), b);
	/* Typed bytes reach vmb's UART through the console interrupt. */
	keys("ls\r");
	guest_reads("ls\r");
}

static void test_board_without_input(void **state)
{
	(void)state;
	fake_hw.irq_enable_fails = true;
	console_start();
	assert_true(fake_log_contains("console: output only"));
	assert_null(console_focus());
	keys("help\r"); /* nobody listens: nothing happens */
	assert_false(fake_log_contains("commands:"));
}

static void test_escape_keys_switch_the_focus(void **state)
{
	(void)state;
	console_start();
	keys("\x1d"
	     "0");
	assert_ptr_equal(console_focus(), a);
	assert_true(fake_log_contains("console: input goes to vm 0 vm0"));
	keys("\x1dn");
	assert_ptr_equal(console_focus(), b);
	keys("\x1dn");
	assert_null(console_focus());
	assert_true(fake_log_contains("console: input goes to the hypervisor shell"));
	assert_true(fake_log_contains("pv> "));
	keys("\x1dn");
	assert_ptr_equal(console_focus(), a);
	keys("\x1d"
	     "1"
	     "ab\x1d\x1d"
	     "c");
	assert_ptr_equal(console_focus(), b);
	guest_reads("ab\x1d"
		    "c"); /* Ctrl-] twice: one Ctrl-] for the VM */
	keys("\x1d"
	     "5");
	assert_true(fake_log_contains("console: there is no VM 5"));
	assert_ptr_equal(console_focus(), b);
	keys("\x1dq");
	assert_true(fake_log_contains("console: Ctrl-] then byte 0x71 is not a console command"));
	keys("\x1d?");
	assert_true(fake_log_contains("  s       the hypervisor shell"));
	/* The escape key split across two interrupts still works. */
	keys("\x1d");
	keys("s");
	assert_null(console_focus());
	keys("\x1dr");
	assert_true(fake_log_contains("console: raw output is for a VM"));
	assert_false(console_raw());
}

static void test_shell_commands(void **state)
{
	(void)state;
	start_in_shell();
	keys("help\r");
	assert_true(fake_log_contains("help\ncommands:\n"));
	assert_true(fake_log_contains("  restart <vm> "));
	keys("list\r");
	assert_true(fake_log_contains("vm 0 vm0: ready, up 0.0 s, 2 vCPU(s), 0 restart(s)\n"));
	assert_true(fake_log_contains("  vcpu 0 on cpu 0: ready; exits:\n"));
	assert_true(fake_log_contains("  vcpu 1 on cpu 3: created; exits:\n"));
	b->vcpus[0].exit_count[VCPU_EXIT_MMIO] = 12;
	b->vcpus[0].exit_count[VCPU_EXIT_HALT] = 3;
	fake_hw.now = 2500000; /* 2.5 s of the fake's 1 MHz counter */
	fake_hw.log_len = 0;
	keys("list\n");
	assert_true(fake_log_contains("vm 1 vmb: ready, up 2.5 s"));
	assert_true(fake_log_contains("  vcpu 0 on cpu 2: ready; exits: mmio 12 halt 3\n"));
	keys("stop vmb\r");
	assert_int_equal(b->state, VM_STOPPED);
	assert_true(fake_log_contains("vm vmb: stopped: stopped in the shell (code 0)"));
	keys("stop 1\r");
	assert_true(fake_log_contains("shell: vm vmb is stopped already"));
	keys("list\r");
	assert_true(fake_log_contains("vm 1 vmb: stopped: stopped in the shell\n"));
	keys("restart vm0\r");
	assert_int_equal(a->state, VM_RESETTING);
	assert_true(fake_log_contains("vm vm0: restarting: restart asked in the shell"));
	keys("restart 0\r");
	assert_true(fake_log_contains("shell: vm vm0 is restarting already"));
	keys("stop vm0\r");
	assert_true(fake_log_contains("shell: vm vm0 is restarting; stop it once it runs"));
	keys("log vmb 3\r");
	assert_true(fake_log_contains("vm vmb: its last 3 console lines:\n"));
	keys("focus vmb\r");
	assert_ptr_equal(console_focus(), b);
}

static void test_shell_refuses_bad_input_clearly(void **state)
{
	(void)state;
	start_in_shell();
	keys("frobnicate now\r");
	assert_true(fake_log_contains(
		"shell: unknown command 'frobnicate'; 'help' lists the commands\n"));
	keys("stop\r");
	assert_true(fake_log_contains("usage: stop <vm>\n"));
	keys("restart nosuchvm\r");
	assert_true(fake_log_contains("shell: no VM 'nosuchvm' ('list' shows them)\n"));
	keys("stop 99999999999999999999\r");
	assert_true(fake_log_contains("shell: no VM '99999999999999999999'"));
	keys("log vmb 0\r");
	assert_true(fake_log_contains("usage: log <vm> [lines]   (lines: 1 to 200)\n"));
	keys("list extra\r");
	assert_true(fake_log_contains("usage: list (no arguments)\n"));
	keys("a b c d e\r");
	assert_true(fake_log_contains("shell: too many words (at most 4)"));
	/* A line too long: one message when it ends, nothing run. */
	char line[200];
	memset(line, 'x', sizeof(line));
	memcpy(line, "stop vmb ", 9);
	line[sizeof(line) - 2] = '\r';
	line[sizeof(line) - 1] = '\0';
	keys(line);
	assert_true(fake_log_contains("shell: line longer than 63 characters, ignored\n"));
	assert_int_equal(b->state, VM_READY);
	/* Bytes with the high bit set: a message, and the line typed so far is kept. */
	fake_hw.log_len = 0;
	keys("li\xc3\xa9st\r");
	assert_true(fake_log_contains("shell: byte 0xc3 ignored: the shell takes ASCII only\n"));
	assert_true(fake_log_contains("shell: byte 0xa9 ignored: the shell takes ASCII only\n"));
	assert_true(fake_log_contains("vm 0 vm0: ready")); /* "list" ran */
	/* Control characters and terminal key sequences. */
	fake_hw.log_len = 0;
	keys("\x01");
	assert_true(fake_log_contains("shell: control character ^A ignored\n"));
	keys("\x1b[A\x1b[1;5D");
	assert_true(fake_log_contains("shell: arrow and function keys are not supported\n"));
	keys("help\x7f\x7f\x7flp\r"); /* backspace edits: "hlp" is unknown */
	assert_true(fake_log_contains("shell: unknown command 'hlp'"));
	keys("stop vmb\x03"); /* Ctrl-C forgets the line */
	keys("\r");
	assert_int_equal(b->state, VM_READY);
	keys("\r\n\r\n"); /* empty lines, CR LF as one Enter */
	assert_false(fake_log_contains("unknown command ''"));
}

static void test_typing_after_other_output_shows_the_line_again(void **state)
{
	(void)state;
	start_in_shell();
	keys("li");
	hal_printf("vm vm0: something happened\n");
	keys("s");
	assert_true(fake_log_contains("li\nvm vm0: something happened\npv> lis"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_start_focuses_the_first_vm_with_a_uart),
		T(test_board_without_input),
		T(test_escape_keys_switch_the_focus),
		T(test_shell_commands),
		T(test_shell_refuses_bad_input_clearly),
		T(test_typing_after_other_output_shows_the_line_again),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
