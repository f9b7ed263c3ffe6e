// SPDX-License-Identifier: MIT
/* A VM's console, both ways (vm/console.h). */
#include <hal/hal.h>
#include <pv/fmt.h>
#include <string.h>
#include <vm/console.h>
#include <vm/console_switch.h>
#include <vm/run.h>
#include <vm/vm.h>

void vm_console_init(struct vm *vm)
{
	struct vm_console *c = &vm->console;

	memset(c, 0, sizeof(*c));
	pv_spin_init(&c->lock);
	pv_spin_init(&c->in_lock);
	c->src = HAL_CON_GUEST + vm->id;
}

/* ---- output ---- */

static void hist_put(struct vm_console *c, char ch)
{
	c->hist[c->hist_pos++] = ch;
	if (c->hist_pos == VM_CONSOLE_HIST) {
		c->hist_pos = 0;
		c->hist_full = true;
	}
}

static unsigned out_room(const struct vm_console *c)
{
	return VM_CONSOLE_OUT - c->out_len;
}

/* Appends @ch to the ring and the history; caller holds c->lock and checked the room. */
static void out_put(struct vm_console *c, char ch)
{
	c->out[(c->out_head + c->out_len) % VM_CONSOLE_OUT] = ch;
	c->out_len++;
	hist_put(c, ch);
	if (ch == '\n') {
		c->nl_pending++;
		c->line_len = 0;
		c->partial = false; /* the next line waits for its end again */
	} else {
		c->line_len++;
	}
}

/* One byte of output as the terminal will show it; false when the ring has no room for it. */
static bool out_char(struct vm_console *c, char ch, bool raw)
{
	unsigned char u = (unsigned char)ch;
	/* Control characters are shown, not sent: a guest's escape sequences must not move the
	 * cursor, clear the screen or retitle the terminal of the hypervisor's console. ESC becomes
	 * "^[", DEL "^?"; tabs and bytes of UTF-8 sequences pass. */
	bool caret = !raw && ((u < 0x20 && ch != '\t' && ch != '\n') || u == 0x7f);
	unsigned need = caret ? 2u : 1u;

	if (!raw && ch == '\r')
		return true; /* the console ends lines itself */
	if (!raw && ch != '\n' && c->line_len + need > VM_CONSOLE_LINE - 1)
		need++; /* the line is broken first: the rest follows on the next line */
	if (out_room(c) < need)
		return false;
	if (need > (caret ? 2u : 1u))
		out_put(c, '\n');
	if (caret) {
		out_put(c, '^');
		out_put(c, (char)(u ^ 0x40));
	} else {
		out_put(c, ch);
	}
	return true;
}

static bool vm_has_focus(const struct vm *vm)
{
	return console_focus() == vm;
}

/* How many bytes from the ring's head may be printed now: whole lines, and the unfinished one
 * too when @partial. Caller holds c->lock. */
static unsigned printable(const struct vm_console *c, bool partial)
{
	unsigned n = 0;

	if (partial)
		return c->out_len;
	if (!c->nl_pending)
		return 0;
	for (unsigned seen = 0; n < c->out_len && seen < c->nl_pending; n++)
		if (c->out[(c->out_head + n) % VM_CONSOLE_OUT] == '\n')
			seen++;
	return n;
}

static void out_drop(struct vm_console *c, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (c->out[(c->out_head + i) % VM_CONSOLE_OUT] == '\n')
			c->nl_pending--;
	c->out_head = (c->out_head + n) % VM_CONSOLE_OUT;
	c->out_len -= n;
}

/* Says how much output was lost; caller holds both locks and has claimed the console. */
static void report_drops(struct vm *vm)
{
	struct vm_console *c = &vm->console;
	char line[96];
	size_t len;

	if (!c->dropped)
		return;
	len = pv_snprintf(line, sizeof(line), "vm %s: %u bytes of console output dropped\n",
			  vm->name, (unsigned)c->dropped);
	c->dropped = 0;
	(void)hal_console_claim(HAL_CON_HV);
	for (size_t i = 0; i < len && i < sizeof(line); i++)
		hal_console_put(HAL_CON_HV, line[i]);
}

/* Prints the VM's tag when its output starts a line on the terminal. Console lock held. */
static void print_tag(struct vm *vm)
{
	unsigned src = vm->console.src;

	if (!hal_console_claim(src))
		return;
	hal_console_put(src, '[');
	for (const char *p = vm->name; *p; p++)
		hal_console_put(src, *p);
	hal_console_put(src, ']');
	hal_console_put(src, ' ');
}

/*
 * Prints at most one piece of what may be printed now and says whether more is left: whole
 * lines; the unfinished one too when the guest waits for input (@waiting) or has the raw console, and
 * the rest of a line shown that way (what is typed, echoed) as long as the terminal's line is
 * still this VM's. Once another source took the line, the rest waits for its line end or the
 * guest's next wait, so two VMs printing at once never chop each other's lines into pieces.
 * While another VM has the raw console, this VM's output is not shown (the history keeps it).
 * Caller holds c->lock.
 */
static bool pump_piece(struct vm *vm, bool waiting)
{
	struct vm_console *c = &vm->console;
	bool focus = vm_has_focus(vm), raw = console_raw();
	/* The focused VM follows the same rules: its lines too are printed whole unless it waits,
	 * so hypervisor messages never cut them at random places. */
	unsigned n = printable(c, waiting || (raw && focus));
	bool tail = c->partial && n < c->out_len;
	unsigned piece;

	if (raw && !focus) {
		c->hidden += n;
		out_drop(c, n);
		return false;
	}
	if (!n && !tail && !(c->dropped && !c->out_len))
		return false;
	hal_console_lock();
	if (tail && hal_console_owns_line(c->src))
		n = c->out_len;
	piece = n < VM_CONSOLE_PIECE ? n : VM_CONSOLE_PIECE;
	for (unsigned i = 0; i < piece; i++) {
		char ch = c->out[(c->out_head + i) % VM_CONSOLE_OUT];

		if (raw) {
			hal_console_put_raw(c->src, ch);
		} else {
			print_tag(vm);
			hal_console_put(c->src, ch);
		}
	}
	out_drop(c, piece);
	if (!c->out_len)
		report_drops(vm);
	hal_console_unlock();
	return piece < n;
}

static size_t console_write(struct vm *vm, const void *writer, const char *buf, size_t n)
{
	struct vm_console *c = &vm->console;
	bool raw = console_raw() && vm_has_focus(vm);
	size_t done = 0;

	pv_spin_lock(&c->lock);
	/* Another of the VM's consoles wrote the unfinished line: it ends here, so the two devices'
	 * output is never spliced into one line (the rest of that line follows on a line of its own). */
	if (!raw && n && c->line_len && c->line_writer != writer) {
		if (out_room(c) < 1) {
			pv_spin_unlock(&c->lock);
			return 0;
		}
		out_put(c, '\n');
	}
	while (done < n && out_char(c, buf[done], raw))
		done++;
	if (done && c->line_len)
		c->line_writer = writer;
	/* One piece per call: a guest printing without end waits for the UART itself, and holds
	 * the console lock for one piece at a time. */
	(void)pump_piece(vm, false);
	pv_spin_unlock(&c->lock);
	/* What is held is shown at the guest's next idle exit: its idles must exit again. Only a
	 * VM with one vCPU waits in the guest (vm/run.c), and the guest's writes come from an exit
	 * of that vCPU, on its CPU (vm_idle_exits' context; a write from elsewhere is shown at the
	 * vCPU's next exit of any kind). */
	if (__atomic_load_n(&c->out_len, __ATOMIC_RELAXED) && vm->nvcpus == 1 &&
	    vm->vcpus[0].idle_in_guest && vm->vcpus[0].pcpu == hal_cpu.cpu_id())
		vm_idle_exits(&vm->vcpus[0], true);
	return done;
}

size_t vm_console_write(struct vm *vm, const char *buf, size_t n)
{
	return console_write(vm, NULL, buf, n);
}

void vm_console_putc_from(struct vm *vm, const void *writer, char c)
{
	/* Each call prints what it can, so the ring never stays full for a writer of single bytes;
	 * should it be, the byte is counted and the count reported, never lost silently. */
	if (!console_write(vm, writer, &c, 1)) {
		pv_spin_lock(&vm->console.lock);
		vm->console.dropped++;
		pv_spin_unlock(&vm->console.lock);
	}
}

void vm_console_putc(struct vm *vm, char c)
{
	vm_console_putc_from(vm, NULL, c);
}

unsigned vm_console_tx_room(struct vm *vm)
{
	return VM_CONSOLE_OUT - __atomic_load_n(&vm->console.out_len, __ATOMIC_RELAXED);
}

static void vm_console_drain(struct vm *vm, bool partial)
{
	struct vm_console *c = &vm->console;

	pv_spin_lock(&c->lock);
	if (partial && c->line_len)
		c->partial = true;
	while (pump_piece(vm, partial)) {
	}
	pv_spin_unlock(&c->lock);
}

void vm_console_idle(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;

	/* A sibling still running may be in the middle of a line: only the last to idle shows it. */
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (&vm->vcpus[i] != vcpu &&
		    __atomic_load_n(&vm->vcpus[i].state, __ATOMIC_ACQUIRE) == VCPU_RUNNING)
			return;
	vm_console_waiting(vm);
}

void vm_console_waiting(struct vm *vm)
{
	if (__atomic_load_n(&vm->console.out_len, __ATOMIC_RELAXED) ||
	    __atomic_load_n(&vm->console.dropped, __ATOMIC_RELAXED))
		vm_console_drain(vm, true);
}

void vm_console_flush(struct vm *vm)
{
	vm_console_drain(vm, true);
}

void vm_console_note(struct vm *vm, const char *text)
{
	struct vm_console *c = &vm->console;

	pv_spin_lock(&c->lock);
	if (c->hist_pos != 0 || c->hist_full) {
		unsigned last = (c->hist_pos + VM_CONSOLE_HIST - 1) % VM_CONSOLE_HIST;
		if (c->hist[last] != '\n')
			hist_put(c, '\n');
	}
	for (; *text; text++)
		hist_put(c, *text);
	hist_put(c, '\n');
	pv_spin_unlock(&c->lock);
}

void vm_console_print_history(struct vm *vm, unsigned lines)
{
	struct vm_console *c = &vm->console;
	unsigned size, start, back = 0, found = 0;

	pv_spin_lock(&c->lock);
	size = c->hist_full ? VM_CONSOLE_HIST : c->hist_pos;
	start = c->hist_full ? c->hist_pos : 0;
	/* Walk back over @lines line ends (the last byte's own end does not count). */
	while (back < size) {
		unsigned i = (start + size - 1 - back) % VM_CONSOLE_HIST;
		if (c->hist[i] == '\n' && back && ++found == lines)
			break;
		back++;
	}
	hal_console_lock();
	(void)hal_console_claim(HAL_CON_HV);
	for (unsigned k = size - back, col = 0; k < size; k++) {
		char ch = c->hist[(start + k) % VM_CONSOLE_HIST];

		if (ch == '\n' && col == 0 && k == size - back)
			continue;
		if (col == 0) {
			hal_console_put(HAL_CON_HV, ' ');
			hal_console_put(HAL_CON_HV, '|');
			hal_console_put(HAL_CON_HV, ' ');
		}
		hal_console_put(HAL_CON_HV, ch);
		col = ch == '\n' ? 0 : col + 1;
		if (k + 1 == size && ch != '\n')
			hal_console_put(HAL_CON_HV, '\n');
	}
	hal_console_unlock();
	pv_spin_unlock(&c->lock);
}

/* ---- input ---- */

/* Moves queued input into the device while it takes it. Caller holds c->in_lock. */
static void in_feed(struct vm_console *c)
{
	while (c->dev_ops && c->in_len) {
		/* The queue is a ring: its bytes up to the end of the array first. */
		unsigned run = c->in_head + c->in_len > VM_CONSOLE_IN ? VM_CONSOLE_IN - c->in_head
								      : c->in_len;
		size_t took = c->dev_ops->rx(c->dev, &c->in[c->in_head], run);

		if (took > run)
			took = run; /* a device's answer is not trusted past what it was given */
		c->in_head = (c->in_head + (unsigned)took) % VM_CONSOLE_IN;
		c->in_len -= (unsigned)took;
		if (took < run)
			return;
	}
}

void vm_console_input(struct vm *vm, const uint8_t *buf, size_t n)
{
	struct vm_console *c = &vm->console;
	uint32_t dropped = 0;

	pv_spin_lock(&c->in_lock);
	for (size_t i = 0; i < n; i++) {
		if (c->in_len == VM_CONSOLE_IN) {
			dropped++;
			continue;
		}
		c->in[(c->in_head + c->in_len) % VM_CONSOLE_IN] = buf[i];
		c->in_len++;
	}
	in_feed(c);
	pv_spin_unlock(&c->in_lock);
	if (dropped && vm_log_allowed(vm))
		hal_printf("vm %s: not reading its console: %u typed bytes dropped\n", vm->name,
			   (unsigned)dropped);
}

void vm_console_rx_ready(struct vm *vm)
{
	struct vm_console *c = &vm->console;

	if (!__atomic_load_n(&c->in_len, __ATOMIC_RELAXED))
		return;
	pv_spin_lock(&c->in_lock);
	in_feed(c);
	pv_spin_unlock(&c->in_lock);
}

int vm_console_getc(struct vm *vm)
{
	struct vm_console *c = &vm->console;
	int ch = -1;

	pv_spin_lock(&c->in_lock);
	if (c->in_len) {
		ch = c->in[c->in_head];
		c->in_head = (c->in_head + 1) % VM_CONSOLE_IN;
		c->in_len--;
	}
	pv_spin_unlock(&c->in_lock);
	if (ch < 0)
		vm_console_waiting(vm);
	return ch;
}

void vm_console_attach(struct vm *vm, const struct vm_console_dev_ops *ops, void *dev)
{
	struct vm_console *c = &vm->console;

	pv_spin_lock(&c->in_lock);
	if (!c->dev_ops) {
		c->dev_ops = ops;
		c->dev = dev;
	}
	pv_spin_unlock(&c->in_lock);
}

void vm_console_detach(struct vm *vm)
{
	struct vm_console *c = &vm->console;

	pv_spin_lock(&c->in_lock);
	c->dev_ops = NULL;
	c->dev = NULL;
	c->in_len = 0;
	pv_spin_unlock(&c->in_lock);
}
