// SPDX-License-Identifier: MIT
/*
 * The test device (devices/testdev.c) driven by guest loads and stores of any offset, width and
 * sign extension, through the core's exit dispatch, against a model of its register map
 * (devices/testdev.h): an access outside its window, of a width the core does not know, misaligned
 * or across two registers is a fault and changes nothing; SCRATCH reads back what was written
 * lane by lane; COUNT counts the accesses served; loads reach the register sign-extended and
 * narrowed as asked.
 */
#include "fuzz_vm.h"

#include <devices/testdev.h>
#include <irq/vdev_model.h>

#define TD_BASE 0x0b000000ULL

struct td_model {
	uint64_t scratch, count;
};

/* The register an access reaches, or -1 when the device must refuse it. */
static int td_reg(uint64_t off, unsigned width)
{
	if (off >= TESTDEV_SIZE || off % width || off / 8 != (off + width - 1) / 8)
		return -1;
	return (int)(off / 8 * 8);
}

static void td_access(struct vcpu *v, struct testdev *td, struct td_model *m, struct fz *f)
{
	uint64_t off = fz_bool(f) ? fz_below(f, TESTDEV_SIZE + 16) : fz_u64(f);
	unsigned width = fz_width(f);
	bool write = fz_bool(f), inside,
	     valid = width == 1 || width == 2 || width == 4 || width == 8;
	struct vcpu_exit e = { .kind = VCPU_EXIT_MMIO };
	uint64_t addr = TD_BASE + off, lanes = valid && width < 8 ? (1ULL << 8 * width) - 1 : ~0ULL;
	unsigned shift = (unsigned)(off % 8) * 8;
	enum fzv_outcome o;
	int reg;

	e.mmio.addr = gpa(addr);
	e.mmio.width = (uint8_t)width;
	e.mmio.write = write;
	e.mmio.sign_extend = fz_bool(f);
	e.mmio.reg = (uint8_t)fz_below(f, FAKE_NREGS);
	e.mmio.reg_width = (uint8_t)(fz_bool(f) ? 4 : 8);
	e.mmio.data = fz_u64(f);
	inside = valid && addr >= TD_BASE && addr - TD_BASE <= TESTDEV_SIZE - width;
	reg = inside ? td_reg(off, width) : -1;
	o = fzv_exit(v, &e);
	if (reg < 0 || (write && reg != TESTDEV_REG_SCRATCH)) {
		FZ_CHECK(o == FZV_FAULTED, "%s of %u bytes at +0x%llx: outcome %d, not a fault",
			 write ? "store" : "load", width, (unsigned long long)off, o);
	} else if (write) {
		FZ_CHECK(o == FZV_COMPLETED, "store at +0x%llx: outcome %d",
			 (unsigned long long)off, o);
		m->count++;
		m->scratch = (m->scratch & ~(lanes << shift)) | (e.mmio.data & lanes) << shift;
	} else {
		uint64_t full = 0, want;

		FZ_CHECK(o == FZV_COMPLETED, "load at +0x%llx: outcome %d", (unsigned long long)off,
			 o);
		m->count++;
		if (reg == TESTDEV_REG_ID)
			full = TESTDEV_ID;
		else if (reg == TESTDEV_REG_SCRATCH)
			full = m->scratch;
		else if (reg == TESTDEV_REG_PATTERN)
			full = TESTDEV_PATTERN;
		else if (reg == TESTDEV_REG_COUNT)
			full = m->count;
		want = fzv_load_value(full >> shift, width, e.mmio.sign_extend, e.mmio.reg_width);
		FZ_CHECK(e.mmio.data == want, "load of %u at +0x%llx: 0x%llx, model 0x%llx", width,
			 (unsigned long long)off, (unsigned long long)e.mmio.data,
			 (unsigned long long)want);
		FZ_CHECK(fake_vcpu(v)->regs[e.mmio.reg] == want, "register not written");
	}
	FZ_CHECK(td->scratch == m->scratch && td->count == m->count,
		 "device scratch 0x%llx count %llu; model 0x%llx %llu",
		 (unsigned long long)td->scratch, (unsigned long long)td->count,
		 (unsigned long long)m->scratch, (unsigned long long)m->count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = fz_init(data, size);
	static struct vm vm;
	struct vm_config cfg;
	struct td_model m = { 0, 0 };
	struct testdev *td;

	fzv_reset();
	fzv_config(&cfg, 1);
	cfg.ndevs = 1;
	cfg.devs[0] = (struct vm_dev_config){ .model = &testdev_model,
					      .node = "testdev",
					      .space = VDEV_SPACE_MMIO,
					      .base = TD_BASE };
	fzv_start(&vm, &cfg);
	td = vdev_find(&vm, VDEV_SPACE_MMIO, TD_BASE, 1)->priv;
	for (unsigned n = 0; fz_more(&f) && n < 4096; n++)
		td_access(&vm.vcpus[0], td, &m, &f);
	fzv_check_console();
	fzv_finish(&vm);
	return 0;
}
