// SPDX-License-Identifier: MIT
/* The hypervisor shell (vm/shell.h): a line editor and a handful of read-mostly commands. */
#include <hal/hal.h>
#include <pv/fmt.h>
#include <string.h>
#include <vm/console.h>
#include <vm/console_switch.h>
#include <vm/sched.h>
#include <vm/shell.h>
#include <vm/vm.h>

#define SHELL_MAX_ARGS	4
#define SHELL_LOG_LINES 20u
#define SHELL_LOG_MAX	200u

enum shell_esc {
	SHELL_ESC_NONE,
	SHELL_ESC_START, /* ESC came */
	SHELL_ESC_SEQ,	 /* ESC [ or ESC O came: parameters until a final byte */
};

static char shell_line[SHELL_LINE];
static unsigned shell_len;
static bool shell_overlong; /* the line went past SHELL_LINE - 1 characters */
static bool shell_cr;	    /* the last byte was CR: a LF right after it is the same Enter */
static enum shell_esc shell_esc;

/*
 * Shows @s on the shell's line (its own console source): the prompt, typed characters, the end of
 * the line. When something else printed since, the line is shown again first, prompt and all, so
 * typing continues on a line that shows it; @s then follows only if it is not the typing itself
 * (@typed: @s is already in the line).
 */
static void shell_show(const char *s, bool typed)
{
	hal_console_lock();
	if (hal_console_claim(HAL_CON_SHELL)) {
		for (const char *p = "pv> "; *p; p++)
			hal_console_put(HAL_CON_SHELL, *p);
		for (unsigned i = 0; i < shell_len; i++)
			hal_console_put(HAL_CON_SHELL, shell_line[i]);
		if (typed)
			s = "";
	}
	for (; *s; s++)
		hal_console_put(HAL_CON_SHELL, *s);
	hal_console_unlock();
}

/* A fresh prompt line with what was typed so far. */
static void shell_prompt(void)
{
	hal_console_lock();
	(void)hal_console_claim(HAL_CON_NONE);
	hal_console_unlock();
	shell_show("", true);
}

void shell_enter(void)
{
	shell_prompt();
}

void shell_reset(void)
{
	shell_len = 0;
	shell_overlong = false;
	shell_cr = false;
	shell_esc = SHELL_ESC_NONE;
}

/* A message about the input on a line of its own, then the line being typed again. */
static void shell_complain(const char *msg)
{
	hal_printf("shell: %s\n", msg);
	shell_prompt();
}

/* Decimal number 0..@max, or -1. */
static long shell_number(const char *s, unsigned long max)
{
	unsigned long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -1;
	}
	return (long)v;
}

/* The VM an argument names, by number or by name; says so when there is none. */
static struct vm *shell_vm(const char *arg)
{
	long n = shell_number(arg, SCHED_MAX_VMS);

	if (n >= 0 && sched_vm((unsigned)n))
		return sched_vm((unsigned)n);
	for (unsigned i = 0; i < sched_vm_count(); i++)
		if (strcmp(sched_vm(i)->name, arg) == 0)
			return sched_vm(i);
	hal_printf("shell: no VM '%s' ('list' shows them)\n", arg);
	return NULL;
}

static void shell_help(void)
{
	hal_printf(
		"commands:\n"
		"  list               the VMs: state, uptime, vCPUs and their CPUs, exits by kind\n"
		"  stop <vm>          stop a VM (the machine powers off once every VM stopped)\n"
		"  restart <vm>       restart a VM from its images, with cleared RAM and devices\n"
		"  log <vm> [lines]   a VM's recent console output (default %u lines)\n"
		"  focus <vm>         give a VM the console input (as Ctrl-] and its number)\n"
		"  help               this list\n"
		"<vm> is a VM's name or number. Ctrl-] ? lists the console keys.\n",
		SHELL_LOG_LINES);
}

static void shell_list_vcpu(const struct vcpu *v)
{
	hal_printf("  vcpu %u on cpu %u: %s; exits:", v->id, v->pcpu,
		   vcpu_state_name(__atomic_load_n(&v->state, __ATOMIC_RELAXED)));
	for (unsigned k = 0; k < VCPU_EXIT_KIND_COUNT; k++) {
		uint64_t n = __atomic_load_n(&v->exit_count[k], __ATOMIC_RELAXED);

		if (n)
			hal_printf(" %s %llu", vcpu_exit_kind_name((enum vcpu_exit_kind)k),
				   (unsigned long long)n);
	}
	hal_printf("\n");
}

static void shell_list(void)
{
	uint64_t now = hal_cpu.timer_now(), freq = hal_cpu.timer_freq();

	if (!sched_vm_count())
		hal_printf("no VMs\n");
	for (unsigned i = 0; i < sched_vm_count(); i++) {
		struct vm *vm = sched_vm(i);
		enum vm_state st = __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE);
		uint64_t up = now - vm->started_at, tenths = freq ? up * 10 / freq : 0;

		if (st == VM_STOPPED)
			hal_printf("vm %u %s: stopped: %s\n", i, vm->name, vm->stop_reason);
		else
			hal_printf("vm %u %s: %s, up %llu.%llu s, %u vCPU(s), %u restart(s)\n", i,
				   vm->name, vm_state_name(st), (unsigned long long)(tenths / 10),
				   (unsigned long long)(tenths % 10), vm->nvcpus, vm->restarts);
		for (unsigned v = 0; v < vm->nvcpus; v++)
			shell_list_vcpu(&vm->vcpus[v]);
	}
}

static void shell_restart(struct vm *vm)
{
	int err = vm_restart(vm, "restart asked in the shell");

	if (err == -PV_ENOTSUP)
		hal_printf("shell: this backend cannot restart VMs\n");
	else if (err == -PV_EBUSY)
		hal_printf("shell: vm %s is restarting already\n", vm->name);
	else if (err)
		hal_printf("shell: restart of vm %s failed: %s\n", vm->name, pv_strerror(err));
}

static void shell_stop(struct vm *vm)
{
	enum vm_state st = __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE);

	if (st == VM_STOPPED)
		hal_printf("shell: vm %s is stopped already\n", vm->name);
	else if (st == VM_RESETTING)
		hal_printf("shell: vm %s is restarting; stop it once it runs\n", vm->name);
	else
		vm_stop(vm, 0, "stopped in the shell");
}

static void shell_log(int argc, char **argv)
{
	long lines = SHELL_LOG_LINES;
	struct vm *vm;

	if (argc == 3)
		lines = shell_number(argv[2], SHELL_LOG_MAX);
	if (argc < 2 || argc > 3 || lines < 1) {
		hal_printf("usage: log <vm> [lines]   (lines: 1 to %u)\n", SHELL_LOG_MAX);
		return;
	}
	vm = shell_vm(argv[1]);
	if (!vm)
		return;
	hal_printf("vm %s: its last %ld console lines:\n", vm->name, lines);
	vm_console_print_history(vm, (unsigned)lines);
}

/* Commands that take exactly one VM argument. */
static void shell_vm_command(const char *cmd, int argc, char **argv)
{
	struct vm *vm;

	if (argc != 2) {
		hal_printf("usage: %s <vm>\n", cmd);
		return;
	}
	vm = shell_vm(argv[1]);
	if (!vm)
		return;
	if (strcmp(cmd, "stop") == 0)
		shell_stop(vm);
	else if (strcmp(cmd, "restart") == 0)
		shell_restart(vm);
	else
		console_set_focus(vm);
}

static int shell_split(char *line, char **argv)
{
	int argc = 0;

	for (char *p = line; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (argc == SHELL_MAX_ARGS)
			return -1;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return argc;
}

void shell_run(const char *text)
{
	char line[SHELL_LINE];
	char *argv[SHELL_MAX_ARGS];
	size_t n = strlen(text);
	int argc;

	if (n >= sizeof(line)) {
		hal_printf("shell: line longer than %u characters, ignored\n", SHELL_LINE - 1);
		return;
	}
	memcpy(line, text, n + 1);
	argc = shell_split(line, argv);
	if (argc == 0)
		return;
	if (argc < 0) {
		hal_printf("shell: too many words (at most %u); 'help' lists the commands\n",
			   SHELL_MAX_ARGS);
		return;
	}
	if (strcmp(argv[0], "help") == 0 && argc == 1)
		shell_help();
	else if (strcmp(argv[0], "list") == 0 && argc == 1)
		shell_list();
	else if (strcmp(argv[0], "log") == 0)
		shell_log(argc, argv);
	else if (strcmp(argv[0], "stop") == 0 || strcmp(argv[0], "restart") == 0 ||
		 strcmp(argv[0], "focus") == 0)
		shell_vm_command(argv[0], argc, argv);
	else if (strcmp(argv[0], "help") == 0 || strcmp(argv[0], "list") == 0)
		hal_printf("usage: %s (no arguments)\n", argv[0]);
	else
		hal_printf("shell: unknown command '%s'; 'help' lists the commands\n", argv[0]);
}

static void shell_enter_key(void)
{
	bool overlong = shell_overlong;

	shell_show("\n", false);
	shell_line[shell_len] = '\0';
	shell_len = 0;
	shell_overlong = false;
	if (overlong)
		hal_printf("shell: line longer than %u characters, ignored\n", SHELL_LINE - 1);
	else
		shell_run(shell_line);
	/* A command may have moved the focus away (focus <vm>). */
	if (!console_focus())
		shell_prompt();
}

/* ESC starts a terminal key sequence (arrows, function keys): it is skipped whole. */
static bool shell_skip_escape(uint8_t c)
{
	switch (shell_esc) {
	case SHELL_ESC_START:
		shell_esc = (c == '[' || c == 'O') ? SHELL_ESC_SEQ : SHELL_ESC_NONE;
		return true;
	case SHELL_ESC_SEQ:
		if (c >= 0x40 && c <= 0x7e)
			shell_esc = SHELL_ESC_NONE;
		return true;
	default:
		return false;
	}
}

void shell_input(uint8_t c)
{
	bool after_cr = shell_cr;
	char msg[64];

	shell_cr = c == '\r';
	if (shell_skip_escape(c))
		return;
	if (c == '\n' && after_cr)
		return;
	if (c == '\r' || c == '\n') {
		shell_enter_key();
	} else if (c == 0x7f || c == 0x08) {
		if (shell_len && !shell_overlong) {
			shell_len--;
			shell_show("\b \b", true);
		}
	} else if (c == 0x03 || c == 0x15) { /* Ctrl-C, Ctrl-U: forget the line */
		shell_len = 0;
		shell_overlong = false;
		shell_show(c == 0x03 ? "^C\n" : "^U\n", false);
		shell_prompt();
	} else if (c == 0x1b) {
		shell_esc = SHELL_ESC_START;
		shell_complain("arrow and function keys are not supported");
	} else if (c >= 0x80) {
		pv_snprintf(msg, sizeof(msg), "byte 0x%02x ignored: the shell takes ASCII only", c);
		shell_complain(msg);
	} else if (c < 0x20) {
		pv_snprintf(msg, sizeof(msg), "control character ^%c ignored", c + 0x40);
		shell_complain(msg);
	} else if (shell_len + 1 >= SHELL_LINE || shell_overlong) {
		shell_overlong = true; /* said once the line ends: one message, not one per key */
	} else {
		char echo[2] = { (char)c, '\0' };

		shell_line[shell_len++] = (char)c;
		shell_show(echo, true);
	}
}
