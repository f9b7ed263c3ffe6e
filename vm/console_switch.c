// SPDX-License-Identifier: MIT
/*
 * Console input and focus (vm/console_switch.h): the console UART's receive interrupt, the escape
 * key, and where typed bytes go. Focus and raw mode change only on the CPU taking console input
 * (the escape key and the shell both run there); every CPU reads them.
 */
#include <hal/hal.h>
#include <vm/console.h>
#include <vm/console_switch.h>
#include <vm/sched.h>
#include <vm/shell.h>
#include <vm/vm.h>

#define CONSOLE_NO_IRQ	  (~0u)
#define CONSOLE_IRQ_BURST 256u /* bytes read per interrupt at most: the UART cannot hold more */

static struct vm *console_focus_vm;
static bool console_raw_on;
static bool console_esc;      /* the escape key came: the next byte is a console command */
static bool console_shell_on; /* the shell has the focus (console_focus_vm is NULL then) */
static unsigned console_irq = CONSOLE_NO_IRQ;

struct vm *console_focus(void)
{
	return __atomic_load_n(&console_focus_vm, __ATOMIC_ACQUIRE);
}

bool console_raw(void)
{
	return __atomic_load_n(&console_raw_on, __ATOMIC_ACQUIRE);
}

static int console_index(const struct vm *vm)
{
	for (unsigned i = 0; i < sched_vm_count(); i++)
		if (sched_vm(i) == vm)
			return (int)i;
	return -1;
}

/* Raw mode ends: say whose output was not shown meanwhile. */
static void console_raw_off(void)
{
	if (!console_raw())
		return;
	__atomic_store_n(&console_raw_on, false, __ATOMIC_RELEASE);
	hal_printf("console: raw output off\n");
	for (unsigned i = 0; i < sched_vm_count(); i++) {
		struct vm *vm = sched_vm(i);
		uint32_t hidden = __atomic_exchange_n(&vm->console.hidden, 0, __ATOMIC_ACQ_REL);

		if (hidden)
			hal_printf("console: %u bytes of vm %s's output were not shown; "
				   "'log %s' shows the last lines\n",
				   (unsigned)hidden, vm->name, vm->name);
	}
}

void console_set_focus(struct vm *vm)
{
	console_raw_off();
	__atomic_store_n(&console_focus_vm, vm, __ATOMIC_RELEASE);
	__atomic_store_n(&console_shell_on, vm == NULL, __ATOMIC_RELEASE);
	if (!vm) {
		hal_printf("console: input goes to the hypervisor shell (Ctrl-] ? for help)\n");
		shell_enter();
		return;
	}
	hal_printf("console: input goes to vm %d %s (Ctrl-] ? for help)\n", console_index(vm),
		   vm->name);
	if (vm->state == VM_STOPPED)
		hal_printf("console: vm %s is stopped; 'restart %s' in the shell starts it again\n",
			   vm->name, vm->name);
	/* Its prompt, if it printed one, is what the user wants to see now. */
	vm_console_flush(vm);
}

static void console_help(void)
{
	hal_printf("console: Ctrl-] then one key:\n"
		   "  0-7     input to the VM with that number ('list' in the shell shows them)\n"
		   "  s       the hypervisor shell\n"
		   "  n       the next VM (after the last: the shell)\n"
		   "  r       raw output of the focused VM on/off (for full-screen programs)\n"
		   "  Ctrl-]  send a Ctrl-] to the focused VM\n"
		   "  ?       this help\n");
}

static void console_next(void)
{
	struct vm *vm = console_focus();
	int i = vm ? console_index(vm) + 1 : 0;

	console_set_focus(i >= 0 && (unsigned)i < sched_vm_count() ? sched_vm((unsigned)i) : NULL);
}

static void console_toggle_raw(void)
{
	struct vm *vm = console_focus();

	if (!vm) {
		hal_printf("console: raw output is for a VM; the shell has the focus\n");
		return;
	}
	if (console_raw()) {
		console_raw_off();
		return;
	}
	vm_console_flush(vm);
	hal_printf("console: raw output of vm %s: its bytes reach the terminal as they are, other "
		   "VMs' output is kept for 'log'; Ctrl-] r ends it\n",
		   vm->name);
	__atomic_store_n(&console_raw_on, true, __ATOMIC_RELEASE);
}

/* Delivers one byte to whoever has the focus. */
static void console_deliver(uint8_t c)
{
	struct vm *vm = console_focus();

	if (vm)
		vm_console_input(vm, &c, 1);
	else if (__atomic_load_n(&console_shell_on, __ATOMIC_ACQUIRE))
		shell_input(c);
}

static void console_command(uint8_t c)
{
	if (c >= '0' && c <= '7') {
		struct vm *vm = sched_vm(c - '0');

		if (vm)
			console_set_focus(vm);
		else
			hal_printf("console: there is no VM %c; Ctrl-] ? for help\n", c);
		return;
	}
	switch (c) {
	case 's':
		console_set_focus(NULL);
		return;
	case 'n':
		console_next();
		return;
	case 'r':
		console_toggle_raw();
		return;
	case '?':
	case 'h':
		console_help();
		return;
	case CONSOLE_ESCAPE:
		console_deliver(c);
		return;
	default:
		hal_printf("console: Ctrl-] then byte 0x%02x is not a console command; Ctrl-] ? "
			   "lists them\n",
			   c);
		return;
	}
}

void console_input(const uint8_t *buf, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		uint8_t c = buf[i];
		struct vm *vm = console_focus();

		if (console_esc) {
			console_esc = false;
			console_command(c);
			continue;
		}
		if (c == CONSOLE_ESCAPE) {
			console_esc = true;
			continue;
		}
		/* Consecutive bytes for a VM go in together. */
		if (vm) {
			for (run = i; run < n && buf[run] != CONSOLE_ESCAPE; run++) {
			}
			vm_console_input(vm, buf + i, run - i);
			i = run - 1;
			continue;
		}
		console_deliver(c);
	}
}

void hv_device_irq(unsigned irq)
{
	uint8_t buf[32];
	unsigned total = 0;

	if (irq != console_irq || !hal_board.console_getc) {
		hal_printf("device interrupt %u: nobody handles it\n", irq);
		return;
	}
	while (total < CONSOLE_IRQ_BURST) {
		size_t n = 0;
		int c;

		while (n < sizeof(buf) && (c = hal_board.console_getc()) >= 0)
			buf[n++] = (uint8_t)c;
		if (!n)
			break;
		console_input(buf, n);
		total += (unsigned)n;
	}
}

void console_start(void)
{
	int irq = -1;
	struct vm *first = NULL;

	if (hal_board.console_rx_start && hal_board.console_getc)
		irq = hal_board.console_rx_start();
	if (irq < 0 || !hal_cpu.irq_enable || hal_cpu.irq_enable((unsigned)irq) != PV_OK) {
		hal_printf("console: output only (this board's console takes no input)\n");
		return;
	}
	console_irq = (unsigned)irq;
	for (unsigned i = 0; i < sched_vm_count() && !first; i++)
		if (sched_vm(i)->console.dev_ops)
			first = sched_vm(i);
	hal_printf("console: Ctrl-] then a key switches the input: 0-7 a VM, s the hypervisor "
		   "shell, ? help\n");
	console_set_focus(first);
}

void console_switch_reset(void)
{
	console_focus_vm = NULL;
	console_raw_on = false;
	console_esc = false;
	console_shell_on = false;
	console_irq = CONSOLE_NO_IRQ;
}
