// SPDX-License-Identifier: MIT
/* VMs' consoles on the physical one (vm/console.c): tags, prompts, focus, raw output, history,
 * bounded printing, typed input. */
#include "pv_test.h"

#include "vm_fixture.h"

#include <stdio.h>
#include <string.h>
#include <vm/console_switch.h>
#include <vm/sched.h>

static struct vm_config cfg_b;
static struct vm *a, *b;

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	if (fix_sched_two(&cfg_b, NULL, &a, &b))
		return -1;
	fake_hw.log_len = 0; /* the tests read what their VMs print */
	return 0;
}

static int teardown(void **state)
{
	return fix_sched_teardown(state);
}

static void puts_vm(struct vm *vm, const char *s)
{
	for (; *s; s++)
		vm_console_putc(vm, *s);
}

static void keys(const char *s)
{
	console_input((const uint8_t *)s, strlen(s));
}

static void test_lines_are_tagged_and_prompts_wait(void **state)
{
	(void)state;
	puts_vm(a, "hello\r\n=> ");
	assert_true(fake_log_contains("[vm0] hello\n"));
	assert_false(fake_log_contains("=> ")); /* a line without its end waits... */
	vm_console_waiting(a);			/* ...until the guest waits for input */
	assert_true(fake_log_contains("[vm0] hello\n[vm0] => "));
	puts_vm(a, "ver"); /* the rest of that line (typing echoed) goes out at once */
	assert_true(fake_log_contains("[vm0] => ver"));
	puts_vm(a, "\nnext");
	assert_false(fake_log_contains("next")); /* a new line waits for its end again */
	puts_vm(a, "\n");
	assert_true(fake_log_contains("[vm0] => ver\n[vm0] next\n"));
}

static void test_lines_of_two_vms_never_splice(void **state)
{
	(void)state;
	puts_vm(a, "=> ");
	vm_console_waiting(a);
	puts_vm(b, "from b\n");
	puts_vm(a, "typed\n");
	/* a's open line is ended before b's; a's continuation is tagged again. */
	assert_true(fake_log_contains("[vm0] => \n[vmb] from b\n[vm0] typed\n"));
	/* The hypervisor's own messages end an open guest line too. */
	puts_vm(b, "$ ");
	vm_console_waiting(b);
	hal_printf("vm vmb: a message\n");
	assert_true(fake_log_contains("[vmb] $ \nvm vmb: a message\n"));
}

/* A VM with two consoles (its UART and a virtio console) writing at once: each keeps its own
 * lines, the one left unfinished ends where the other's output starts. */
static void test_lines_of_two_consoles_of_one_vm_never_splice(void **state)
{
	static const int hvc_dev;

	(void)state;
	for (const char *p = "hello through hvc"; *p; p++)
		vm_console_putc_from(a, &hvc_dev, *p);
	puts_vm(a, "from the uart\n");
	vm_console_putc_from(a, &hvc_dev, '\n');
	puts_vm(a, "uart again");
	puts_vm(a, " and again\n");
	assert_true(fake_log_contains("[vm0] hello through hvc\n[vm0] from the uart\n[vm0] \n[vm0] "
				      "uart again and again\n"));
}

/* Two VMs printing at once, one after its prompt was shown: the shown line goes on while the
 * terminal's line is still its own; once the other VM printed, the rest waits for its line end
 * instead of coming out a character at a time between the other's lines. */
static void test_a_shown_line_does_not_go_on_in_pieces(void **state)
{
	(void)state;
	puts_vm(a, "smp: vCPU 1 sta");
	vm_console_waiting(a);
	puts_vm(a, "rt");
	puts_vm(b, "other\n");
	puts_vm(a, "ed by INIT");
	assert_false(fake_log_contains("INIT"));
	puts_vm(a, "\n");
	assert_true(fake_log_contains("[vm0] smp: vCPU 1 start\n[vmb] other\n[vm0] ed by INIT\n"));
}

/* One vCPU idles while another prints: the line is not cut at the idle vCPU's wait. */
static void test_idle_vcpu_does_not_cut_a_siblings_line(void **state)
{
	(void)state;
	a->vcpus[0].state = VCPU_RUNNING;
	a->vcpus[1].state = VCPU_HALTED;
	puts_vm(a, "half a li");
	vm_console_idle(&a->vcpus[1]);
	assert_false(fake_log_contains("half"));
	a->vcpus[0].state = VCPU_HALTED;
	vm_console_idle(&a->vcpus[0]); /* every vCPU waits: the prompt shows */
	assert_true(fake_log_contains("[vm0] half a li"));
	a->vcpus[0].state = a->vcpus[1].state = VCPU_STOPPED;
}

/* The focus changes where input goes, not how output is cut into lines: a focused VM's line is
 * printed whole too (hypervisor messages in between cannot split it), and its prompt shows when
 * the focus comes to it. */
static void test_focus_shows_the_prompt_and_keeps_lines_whole(void **state)
{
	(void)state;
	puts_vm(b, "# ");
	console_set_focus(b);
	assert_true(
		fake_log_contains("console: input goes to vm 1 vmb (Ctrl-] ? for help)\n[vmb] # "));
	fake_hw.log_len = 0;
	puts_vm(b, "\necho: rea");
	hal_printf("cpu 2: up\n");
	puts_vm(b, "dy\n");
	assert_true(fake_log_contains("cpu 2: up\n[vmb] echo: ready\n"));
}

static void test_raw_output_of_the_focused_vm(void **state)
{
	(void)state;
	console_set_focus(a);
	keys("\x1dr");
	assert_true(console_raw());
	assert_true(fake_log_contains("console: raw output of vm vm0"));
	fake_hw.log_len = 0;
	puts_vm(a, "\x1b[2Jtop\r\n");
	/* As it is: no tag, the escape sequence and CR kept (the fake log drops CRs). */
	assert_memory_equal(fake_hw.log, "\x1b[2Jtop\n", 8);
	puts_vm(b, "hidden line\n");
	assert_false(fake_log_contains("hidden"));
	keys("\x1dr");
	assert_false(console_raw());
	assert_true(fake_log_contains("console: 12 bytes of vm vmb's output were not shown"));
	/* The history kept it. */
	vm_console_print_history(b, 1);
	assert_true(fake_log_contains(" | hidden line\n"));
}

static void test_history_shows_the_last_lines(void **state)
{
	(void)state;
	char line[32];

	for (int i = 0; i < 600; i++) {
		snprintf(line, sizeof(line), "line %d\n", i);
		puts_vm(a, line);
	}
	fake_hw.log_len = 0;
	vm_console_print_history(a, 3);
	assert_string_equal(fake_hw.log, " | line 597\n | line 598\n | line 599\n");
	/* More lines than it holds: what it has, from a line start, without garbage. */
	fake_hw.log_len = 0;
	vm_console_print_history(a, 1000);
	assert_true(fake_log_contains(" | line 599\n"));
	assert_false(fake_log_contains(" | line 1\n"));
	assert_int_equal(fake_hw.log[0], ' ');
	/* A restart mark. */
	vm_console_note(a, "--- restarted ---");
	fake_hw.log_len = 0;
	vm_console_print_history(a, 2);
	assert_string_equal(fake_hw.log, " | line 599\n | --- restarted ---\n");
}

/* A guest writing a lot at once (SBI DBCN) gets it taken a ring at a time, and each call prints
 * one piece at most: the console lock is never held for more. */
static void test_output_is_printed_in_bounded_pieces(void **state)
{
	(void)state;
	char big[4096];
	size_t taken = 0, printed = 0, calls = 0;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = i % 64 == 63 ? '\n' : (char)('a' + i % 26);
	while (taken < sizeof(big)) {
		size_t before = fake_hw.log_len, n;

		n = vm_console_write(a, big + taken, sizeof(big) - taken);
		assert_true(n > 0 && n <= VM_CONSOLE_OUT);
		/* Guest bytes printed by this call, tags ("[vm0] ", 6 per line) aside. */
		size_t out = fake_hw.log_len - before, lines = 0;
		for (size_t i = before; i < fake_hw.log_len; i++)
			lines += fake_hw.log[i] == '\n';
		assert_true(out <= VM_CONSOLE_PIECE + 6 * (lines + 1));
		taken += n;
		calls++;
	}
	assert_true(calls > 1);
	vm_console_flush(a);
	for (size_t i = 0; i < fake_hw.log_len; i++)
		printed += fake_hw.log[i] >= 'a' && fake_hw.log[i] <= 'z' &&
			   fake_hw.log[i] != 'v' && fake_hw.log[i] != 'm';
	/* Every letter arrived (v and m also appear in tags: not counted on either side). */
	size_t expect = 0;
	for (size_t i = 0; i < sizeof(big); i++)
		expect += big[i] != '\n' && big[i] != 'v' && big[i] != 'm';
	assert_int_equal(printed, expect);
	assert_false(fake_log_contains("dropped"));
}

static void test_typed_input_without_a_device(void **state)
{
	(void)state;
	/* No UART in this VM: SBI-style reads take the bytes. */
	vm_console_input(a, (const uint8_t *)"ok", 2);
	assert_int_equal(vm_console_getc(a), 'o');
	assert_int_equal(vm_console_getc(a), 'k');
	puts_vm(a, "? ");
	assert_int_equal(vm_console_getc(a), -1);
	assert_true(fake_log_contains("[vm0] ? ")); /* an empty read shows the prompt */
	/* More than it holds: the rest is dropped, and said once. */
	uint8_t many[VM_CONSOLE_IN + 10];
	memset(many, 'x', sizeof(many));
	vm_console_input(a, many, sizeof(many));
	assert_true(fake_log_contains("vm vm0: not reading its console: 10 typed bytes dropped"));
	for (unsigned i = 0; i < VM_CONSOLE_IN; i++)
		assert_int_equal(vm_console_getc(a), 'x');
	assert_int_equal(vm_console_getc(a), -1);
}

static void test_stop_prints_what_is_pending(void **state)
{
	(void)state;
	puts_vm(a, "last words");
	vm_stop(a, 0, "done");
	assert_true(fake_log_contains("[vm0] last words\nvm vm0: stopped: done (code 0)\n"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_lines_are_tagged_and_prompts_wait),
		T(test_lines_of_two_vms_never_splice),
		T(test_lines_of_two_consoles_of_one_vm_never_splice),
		T(test_a_shown_line_does_not_go_on_in_pieces),
		T(test_idle_vcpu_does_not_cut_a_siblings_line),
		T(test_focus_shows_the_prompt_and_keeps_lines_whole),
		T(test_raw_output_of_the_focused_vm),
		T(test_history_shows_the_last_lines),
		T(test_output_is_printed_in_bounded_pieces),
		T(test_typed_input_without_a_device),
		T(test_stop_prints_what_is_pending),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
