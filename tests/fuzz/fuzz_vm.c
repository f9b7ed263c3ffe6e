// SPDX-License-Identifier: MIT
#include "fuzz_vm.h"

#include <string.h>
#include <vm/run.h>

struct page_pool fzv_pool;
static uint64_t fzv_bitmap[PAGE_POOL_BITMAP_WORDS(FZV_POOL_FRAMES)];
static void *fzv_arena;
static const char fzv_image[16] = "FUZZ-GUEST-0001";

void fzv_reset(void)
{
	fake_reset();
	if (!fzv_arena)
		fzv_arena = aligned_alloc(PV_MIB(4), FZV_POOL_FRAMES * HAL_PAGE_SIZE);
	FZ_CHECK(fzv_arena, "no memory for the pool");
	FZ_CHECK(page_pool_init(&fzv_pool, hpa(FZV_POOL_BASE), fzv_arena, FZV_POOL_FRAMES,
				fzv_bitmap) == PV_OK,
		 "pool");
}

void fzv_config(struct vm_config *cfg, unsigned nvcpus)
{
	*cfg = (struct vm_config){
		.name = "vm0",
		.nvcpus = nvcpus,
		.nmem = 1,
		.mem = { { gpa(FZV_RAM), FZV_RAM_SIZE } },
		.format = VM_BOOT_RAW,
		.nimages = 1,
		.images = { { .role = VM_IMAGE_KERNEL,
			      .node = "kernel",
			      .data = fzv_image,
			      .size = sizeof(fzv_image),
			      .has_load = true,
			      .load = gpa(FZV_RAM + 0x1000) } },
	};
	for (unsigned i = 0; i < nvcpus; i++) {
		cfg->pcpu[i] = i;
		cfg->guest_cpu_id[i] = 0x100u * i;
	}
}

void fzv_start(struct vm *vm, const struct vm_config *cfg)
{
	int err = vm_create(vm, 0, cfg, &fzv_pool);

	FZ_CHECK(err == PV_OK, "vm_create: %d; console:\n%s", err, fake_hw.log);
	err = vm_load(vm);
	FZ_CHECK(err == PV_OK, "vm_load: %d; console:\n%s", err, fake_hw.log);
}

void fzv_finish(struct vm *vm)
{
	vm_destroy(vm);
	FZ_CHECK(fzv_pool.nfree == fzv_pool.nframes, "%zu frames not returned",
		 (size_t)(fzv_pool.nframes - fzv_pool.nfree));
}

enum fzv_outcome fzv_exit(struct vcpu *v, struct vcpu_exit *e)
{
	struct fake_vcpu *f = fake_vcpu(v);
	struct vm *vm = v->vm;
	bool more;

	if (v->state == VCPU_READY && vm->state != VM_STOPPED) {
		FZ_CHECK(vcpu_set_state(v, VCPU_RUNNING) == PV_OK, "ready -> running");
		if (vm->state == VM_READY || vm->state == VM_HALTED)
			vm->state = VM_RUNNING;
	}
	if (v->state != VCPU_RUNNING || vm->state == VM_STOPPED)
		return FZV_IDLE;
	f->ncompleted = 0;
	f->nfaults = 0;
	more = vm_exit_inline(v, e);
	if (!more && v->state != VCPU_STOPPED)
		(void)vcpu_set_state(v, VCPU_STOPPED);
	FZ_CHECK(f->ncompleted + f->nfaults <= 1, "%u completions, %u faults for one exit",
		 f->ncompleted, f->nfaults);
	if (f->ncompleted)
		*e = f->completed[0];
	if (!more)
		return FZV_LEFT;
	return f->ncompleted ? FZV_COMPLETED : f->nfaults ? FZV_FAULTED : FZV_CONTINUED;
}

enum fzv_outcome fzv_mmio(struct vcpu *v, uint64_t addr, unsigned width, bool write, uint64_t *data)
{
	struct vcpu_exit e = { .kind = VCPU_EXIT_MMIO };
	enum fzv_outcome o;

	e.mmio.addr = gpa(addr);
	e.mmio.width = (uint8_t)width;
	e.mmio.write = write;
	e.mmio.reg = 3;
	e.mmio.reg_width = 8;
	e.mmio.data = write ? *data : 0x5a5a5a5a5a5a5a5aULL;
	o = fzv_exit(v, &e);
	if (o == FZV_COMPLETED && !write)
		*data = e.mmio.data;
	return o;
}

uint64_t fzv_load_value(uint64_t raw, unsigned width, bool sign_extend, unsigned reg_width)
{
	uint64_t mask = width >= 8 ? ~0ULL : (1ULL << (8 * width)) - 1, v = raw & mask;

	if (sign_extend && width < 8 && (v >> (8 * width - 1) & 1))
		v |= ~mask;
	if (reg_width && reg_width < 8)
		v &= (1ULL << (8 * reg_width)) - 1;
	return v;
}

void fzv_check_console(void)
{
	for (size_t i = 0; i < fake_hw.log_len; i++) {
		unsigned char c = (unsigned char)fake_hw.log[i];

		FZ_CHECK(c >= 0x20 ? c != 0x7f : c == '\n' || c == '\t',
			 "console byte %zu is 0x%02x:\n%s", i, c, fake_hw.log);
	}
}

/* The last byte the VM's console recorded (its history keeps every byte as shown), @back bytes
 * before the newest one. */
static char fzv_shown(const struct vm *vm, unsigned back)
{
	const struct vm_console *c = &vm->console;

	return c->hist[(c->hist_pos + VM_CONSOLE_HIST - 1 - back) % VM_CONSOLE_HIST];
}

void fzv_check_put(const struct vm *vm, uint8_t byte)
{
	unsigned n = vm->console.line_len;
	bool caret = (byte < 0x20 && byte != '\t') || byte == 0x7f;

	FZ_CHECK(n < VM_CONSOLE_LINE, "console line of %u bytes", n);
	FZ_CHECK(vm->console.out_len <= VM_CONSOLE_OUT, "console ring holds %u bytes",
		 vm->console.out_len);
	if (byte == '\n')
		FZ_CHECK(n == 0, "a newline left %u bytes in the line", n);
	else if (byte != '\r' && caret)
		FZ_CHECK(n >= 2 && fzv_shown(vm, 1) == '^' &&
				 fzv_shown(vm, 0) == (char)(byte ^ 0x40),
			 "0x%02x not shown as ^%c", byte, byte ^ 0x40);
	else if (byte != '\r')
		FZ_CHECK(n >= 1 && fzv_shown(vm, 0) == (char)byte, "0x%02x not in the line", byte);
}
