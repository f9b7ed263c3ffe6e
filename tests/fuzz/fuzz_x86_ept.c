// SPDX-License-Identifier: MIT
/*
 * x86_64's EPT violations made into MMIO exits (arch/x86_64/vmx_mmio.h: vmx_ept_decode, the
 * instruction fetch through the guest's segments and page tables, the decode cache): a sequence
 * of exits with any qualification, RIP, CS and paging registers over a 64 KiB guest RAM whose
 * page tables and code come from the input (and change between exits), against a reference that
 * reads the instruction byte by byte through its own walk of each byte's page, and decodes it
 * with no cache: fetches and accesses to the guest's paging structures, 16-bit code, an
 * unreadable first byte, an instruction the decoder refuses or one whose direction differs from
 * the qualification's are stage-2 faults at the exit's address and RIP; anything else is the
 * reference's MMIO exit. The bytes after the first page count only when the next page can be
 * read (the reference asks for them one by one). A cache hit is exactly what the reference says
 * now, whatever was written to the page tables or the code since the instruction was cached.
 */
#include "fuzz.h"

#include <string.h>

#include "vmx_mmio.h"

#define RAM_SIZE 0x10000u
#define CR0_PE	 0x1ULL
#define CR0_PG	 0x80000000ULL
#define CR4_PAE	 0x20ULL
#define CR4_LA57 0x1000ULL
#define EFER_LMA 0x400ULL
#define EFER_LME 0x100ULL

static uint8_t ram[RAM_SIZE];

static int ram_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	(void)ctx;
	if (addr >= RAM_SIZE || len > RAM_SIZE - addr)
		return -PV_EFAULT;
	memcpy(buf, &ram[addr], len);
	return PV_OK;
}

static const void *ram_host(void *ctx, uint64_t gpa, size_t len)
{
	(void)ctx;
	if (gpa >= RAM_SIZE || len > RAM_SIZE - gpa)
		return NULL;
	return &ram[gpa];
}

static const struct vmx_guest_mem mem = { ram_read, ram_host };

/* The reference: up to 15 bytes at @linear, each through its own walk, stopping at the first
 * byte that cannot be read; only whole pages count (a byte of a page counts only if the page's
 * first byte there could be read). Returns the bytes read. */
static size_t ref_fetch(const struct x86_gwalk_regs *regs, uint64_t linear, uint8_t *code)
{
	size_t n = 0;

	while (n < X86_MAX_INSN_LEN) {
		uint64_t pa;

		if (x86_gwalk(regs, linear + n, ram_read, NULL, &pa) ||
		    ram_read(NULL, pa, &code[n], 1))
			break;
		n++;
	}
	return n;
}

/* What vmx_ept_decode must do for exit @e (see the file comment). */
static void reference(const struct vmx_ept_exit *e, struct vcpu_exit *x, struct x86_mmio_insn *in)
{
	const struct x86_gwalk_regs regs = { e->cr0, e->cr3, e->cr4, e->efer };
	unsigned access = vmx_ept_access(e->qual);
	uint8_t code[X86_MAX_INSN_LEN];
	enum x86_cpu_mode mode;
	uint64_t linear = e->rip;
	size_t n, page_left;

	memset(in, 0, sizeof(*in));
	vmx_ept_fault(e->gpa, access, e->rip, x);
	if (access == VCPU_ACCESS_EXEC || ((e->qual & VMX_QUAL_GLA) && !(e->qual & VMX_QUAL_FINAL)))
		return;
	if ((e->efer & EFER_LMA) && (e->cs_ar & VMX_AR_CS_L)) {
		mode = X86_MODE_64;
	} else if (e->cs_ar & VMX_AR_CS_D) {
		mode = X86_MODE_32;
		linear = (e->cs_base + e->rip) & 0xffffffffu;
	} else {
		return;
	}
	n = ref_fetch(&regs, linear, code);
	page_left = 4096 - (linear & 4095u);
	/* A partly readable next page gives nothing: the fetch reads a page's bytes as a whole. */
	if (n < X86_MAX_INSN_LEN && n > page_left)
		n = page_left;
	if (n == 0 || x86_decode_mmio(code, n, mode, in) ||
	    in->write != (access == VCPU_ACCESS_WRITE))
		return;
	x->kind = VCPU_EXIT_MMIO;
	x->mmio.addr = gpa(e->gpa);
	x->mmio.width = in->width;
	x->mmio.write = in->write;
	x->mmio.sign_extend = in->sign_extend;
	x->mmio.reg = in->reg;
	x->mmio.reg_width = in->reg_width;
	x->mmio.data = in->has_imm ? in->imm : 0;
}

static void check_same(const struct vcpu_exit *a, const struct vcpu_exit *b,
		       const struct x86_mmio_insn *ia, const struct x86_mmio_insn *ib, uint64_t rip)
{
	FZ_CHECK(a->kind == b->kind, "RIP 0x%llx: exit kind %d, reference %d",
		 (unsigned long long)rip, a->kind, b->kind);
	if (a->kind == VCPU_EXIT_S2_FAULT) {
		FZ_CHECK(a->fault.addr.raw == b->fault.addr.raw &&
				 a->fault.access == b->fault.access && a->fault.pc == b->fault.pc,
			 "RIP 0x%llx: stage-2 fault differs", (unsigned long long)rip);
		return;
	}
	FZ_CHECK(a->mmio.addr.raw == b->mmio.addr.raw && a->mmio.width == b->mmio.width &&
			 a->mmio.write == b->mmio.write &&
			 a->mmio.sign_extend == b->mmio.sign_extend && a->mmio.reg == b->mmio.reg &&
			 a->mmio.reg_width == b->mmio.reg_width && a->mmio.data == b->mmio.data,
		 "RIP 0x%llx: MMIO exit differs (width %u/%u, reg %u/%u)", (unsigned long long)rip,
		 a->mmio.width, b->mmio.width, a->mmio.reg, b->mmio.reg);
	FZ_CHECK(ia->len == ib->len && ia->high8 == ib->high8 && ia->has_imm == ib->has_imm,
		 "RIP 0x%llx: instruction differs (length %u, reference %u)",
		 (unsigned long long)rip, ia->len, ib->len);
}

/* Page tables that map linear page 0x400000 + 4 KiB * i to frame @frames[i] (4-level; sometimes
 * with a 2 MiB page), so that short inputs reach real walks; the input overwrites parts later. */
static void build_tables(struct fz *f)
{
	static const uint64_t flags[] = { 0x3, 0x1, 0x7, 0x0, 0x83, 0x23 };
	uint64_t e;

	e = 0x2000 | FZ_PICK(f, flags);
	memcpy(&ram[0x1000], &e, 8); /* PML4[0] */
	e = 0x3000 | FZ_PICK(f, flags);
	memcpy(&ram[0x2000], &e, 8); /* PDPT[0] */
	e = (fz_below(f, 4) ? 0x4000 : 0x400000) | FZ_PICK(f, flags);
	memcpy(&ram[0x3000 + 2 * 8], &e, 8); /* PD[2]: a table, or a 2 MiB page */
	for (unsigned i = 0; i < 4; i++) {
		e = (0x5000 + 0x1000 * fz_below(f, 12)) | FZ_PICK(f, flags);
		memcpy(&ram[0x4000 + 8 * i], &e, 8); /* PT[i] */
	}
}

/* Instructions the decoder serves, so that short inputs reach it. */
static void put_insn(struct fz *f, uint64_t at)
{
	/* Short ones, and long ones whose last bytes (a displacement, an immediate) lie past the
	 * eighth: the cache must see a change there too. */
	static const uint8_t forms[][4] = {
		{ 0x89, 0x03 },	      { 0x8b, 0x03 },	    { 0x88, 0x27 },
		{ 0xc7, 0x00 },	      { 0x0f, 0xb6, 0x00 }, { 0x48, 0x89, 0x08 },
		{ 0x66, 0x89, 0x01 }, { 0x48, 0x63, 0x00 }, { 0xc6, 0x00 },
		{ 0x48, 0xc7, 0x80 }, { 0xc7, 0x84, 0x24 }, { 0x48, 0xa3 },
		{ 0x66, 0xc7, 0x80 },
	};
	const uint8_t *b = forms[fz_below(f, sizeof(forms) / sizeof(forms[0]))];

	for (unsigned i = 0; i < 4 && at + i < RAM_SIZE; i++)
		ram[at + i] = b[i];
	for (unsigned i = 4; i < X86_MAX_INSN_LEN && at + i < RAM_SIZE; i++)
		ram[at + i] = fz_u8(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t quals[] = { 0x181, 0x182, 0x184, 0x081, 0x082, 0x001, 0x002, 0x003 };
	static const uint32_t ars[] = { 0xc09b, 0xa09b, 0x009b, 0xe09b };
	static struct x86_icache cache;
	struct fz f = fz_init(data, size);

	memset(ram, 0xcc, sizeof(ram));
	memset(&cache, 0, sizeof(cache));
	build_tables(&f);
	for (unsigned steps = 0; steps < 24 && fz_more(&f); steps++) {
		struct vmx_ept_exit e = { 0 };
		struct vcpu_exit got, want;
		struct x86_mmio_insn gi, wi;
		bool paging = fz_below(&f, 3) != 0;

		/* Change the guest's memory: bytes anywhere, an instruction, a table entry. */
		for (unsigned k = (unsigned)fz_below(&f, 4); k; k--) {
			uint64_t at = fz_below(&f, RAM_SIZE);

			switch (fz_below(&f, 4)) {
			case 0:
				ram[at] = fz_u8(&f);
				break;
			case 3: /* inside the cached instruction's window, when paging is off */
				ram[(cache.rip + fz_below(&f, X86_MAX_INSN_LEN)) % RAM_SIZE] ^=
					fz_u8(&f);
				break;
			case 1:
				put_insn(&f, at);
				break;
			default:
				build_tables(&f);
				break;
			}
		}
		e.qual = fz_bool(&f) ? FZ_PICK(&f, quals) : fz_u64(&f);
		e.gpa = fz_u64(&f);
		e.cs_ar = fz_bool(&f) ? FZ_PICK(&f, ars) : fz_u32(&f);
		e.cs_base = fz_bool(&f) ? 0 : fz_u32(&f);
		if (paging) {
			e.cr0 = CR0_PE | CR0_PG;
			e.cr3 = fz_bool(&f) ? 0x1000 : fz_u64(&f);
			e.cr4 = CR4_PAE | (fz_below(&f, 8) ? 0 : CR4_LA57);
			e.efer = EFER_LME | (fz_below(&f, 8) ? EFER_LMA : 0);
			e.rip = fz_bool(&f) ? 0x400000 + fz_below(&f, 0x4000) : fz_u64(&f);
		} else {
			e.cr0 = CR0_PE;
			e.rip = fz_bool(&f) ? fz_below(&f, RAM_SIZE + 32) : fz_u64(&f);
		}
		if (fz_below(&f, 4) == 0) /* now and then the last place again: the cache's hit */
			e.rip = cache.rip;
		memset(&got, 0x5a, sizeof(got));
		vmx_ept_decode(&e, &cache, &mem, NULL, &got, &gi);
		reference(&e, &want, &wi);
		check_same(&got, &want, &gi, &wi, e.rip);
	}
	return 0;
}
