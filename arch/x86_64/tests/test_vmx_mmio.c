// SPDX-License-Identifier: MIT
/* EPT violations into MMIO exits (vmx_mmio.h) over a fake guest memory: the instruction fetch
 * through the guest's segments and page tables, the checks that turn an access into a fault,
 * and the decode cache. */
#include <string.h>

#include "pv_test.h"
#include "vmx_mmio.h"

#define RAM_SIZE   0x10000u
#define MMIO_GPA   0xf0000000u
#define QUAL_READ  0x181u /* data read, linear address valid, access to the translation */
#define QUAL_WRITE 0x182u
#define QUAL_FETCH 0x184u
#define CR0_PE	   0x1u
#define CR0_PG	   0x80000000u
#define CR4_PAE	   0x20u
#define EFER_LME   0x100u
#define EFER_LMA   0x400u
#define AR_CODE32  0xc09bu /* D set */
#define AR_CODE64  0xa09bu /* L set */
#define AR_CODE16  0x009bu
#define PTE	   0x3u /* present, writable */

static uint8_t ram[RAM_SIZE];
static unsigned reads;

static int fake_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	(void)ctx;
	reads++;
	if (addr >= RAM_SIZE || len > RAM_SIZE - addr)
		return -PV_EFAULT;
	memcpy(buf, &ram[addr], len);
	return PV_OK;
}

static const void *fake_host(void *ctx, uint64_t gpa, size_t len)
{
	(void)ctx;
	if (gpa >= RAM_SIZE || len > RAM_SIZE - gpa)
		return NULL;
	return &ram[gpa];
}

static const struct vmx_guest_mem mem = { fake_read, fake_host };
static struct x86_icache cache;

static int setup(void **state)
{
	(void)state;
	memset(ram, 0xcc, sizeof(ram)); /* INT3: decodes as nothing we accept */
	memset(&cache, 0, sizeof(cache));
	reads = 0;
	return 0;
}

static void put(uint64_t addr, const uint8_t *bytes, size_t n)
{
	memcpy(&ram[addr], bytes, n);
}

static void put64(uint64_t addr, uint64_t v)
{
	memcpy(&ram[addr], &v, sizeof(v));
}

/* 32-bit protected mode, paging off. */
static struct vmx_ept_exit flat32(uint64_t qual, uint64_t rip)
{
	return (struct vmx_ept_exit){
		.qual = qual, .gpa = MMIO_GPA, .rip = rip, .cr0 = CR0_PE, .cs_ar = AR_CODE32
	};
}

/* 64-bit mode on page tables at 0x1000: linear 0x400000 -> 0x3000, 0x401000 -> 0x5000. */
static struct vmx_ept_exit long64(uint64_t qual, uint64_t rip)
{
	put64(0x1000, 0x2000 | PTE);	     /* PML4[0] -> PDPT */
	put64(0x2000, 0x6000 | PTE);	     /* PDPT[0] -> PD */
	put64(0x6000 + 2 * 8, 0x7000 | PTE); /* PD[2] (0x400000) -> PT */
	put64(0x7000 + 0 * 8, 0x3000 | PTE); /* PT[0] -> 0x3000 */
	put64(0x7000 + 1 * 8, 0x5000 | PTE); /* PT[1] -> 0x5000 */
	return (struct vmx_ept_exit){ .qual = qual,
				      .gpa = MMIO_GPA,
				      .rip = rip,
				      .cr0 = CR0_PE | CR0_PG,
				      .cr3 = 0x1000,
				      .cr4 = CR4_PAE,
				      .efer = EFER_LME | EFER_LMA,
				      .cs_ar = AR_CODE64 };
}

static void decode(const struct vmx_ept_exit *e, struct vcpu_exit *x, struct x86_mmio_insn *insn)
{
	memset(x, 0, sizeof(*x));
	vmx_ept_decode(e, &cache, &mem, NULL, x, insn);
}

static void assert_fault(const struct vcpu_exit *x, uint64_t rip, unsigned access)
{
	assert_int_equal(x->kind, VCPU_EXIT_S2_FAULT);
	assert_int_equal(x->fault.addr.raw, MMIO_GPA);
	assert_int_equal(x->fault.pc, rip);
	assert_int_equal(x->fault.access, access);
}

static void test_store_paging_off(void **state)
{
	static const uint8_t mov_eax_to_rbx[] = { 0x89, 0x03 }; /* mov %eax,(%ebx) */
	struct vmx_ept_exit e = flat32(QUAL_WRITE, 0x1000);
	struct vcpu_exit x;
	struct x86_mmio_insn insn;

	(void)state;
	put(0x1000, mov_eax_to_rbx, sizeof(mov_eax_to_rbx));
	decode(&e, &x, &insn);
	assert_int_equal(x.kind, VCPU_EXIT_MMIO);
	assert_int_equal(x.mmio.addr.raw, MMIO_GPA);
	assert_true(x.mmio.write);
	assert_int_equal(x.mmio.width, 4);
	assert_int_equal(x.mmio.reg, 0);
	assert_int_equal(insn.len, 2);
	assert_false(insn.has_imm); /* the caller reads the register */
	/* the CPU reported a read: the instruction was rewritten since the exit */
	e.qual = QUAL_READ;
	decode(&e, &x, &insn);
	assert_fault(&x, 0x1000, VCPU_ACCESS_READ);
}

static void test_faults(void **state)
{
	static const uint8_t load[] = { 0x8b, 0x03 }; /* mov (%ebx),%eax */
	struct vmx_ept_exit e = flat32(QUAL_FETCH, 0x1000);
	struct vcpu_exit x;
	struct x86_mmio_insn insn;

	(void)state;
	put(0x1000, load, sizeof(load));
	/* an instruction fetch from MMIO space */
	decode(&e, &x, &insn);
	assert_fault(&x, 0x1000, VCPU_ACCESS_EXEC);
	/* the guest's own page walk hit the hole (linear address valid, not the final access) */
	e.qual = 0x81;
	decode(&e, &x, &insn);
	assert_fault(&x, 0x1000, VCPU_ACCESS_READ);
	/* 16-bit code and real mode are not decoded */
	e = flat32(QUAL_READ, 0x1000);
	e.cs_ar = AR_CODE16;
	decode(&e, &x, &insn);
	assert_fault(&x, 0x1000, VCPU_ACCESS_READ);
	/* an opcode the decoder refuses */
	e = flat32(QUAL_READ, 0x2000);
	decode(&e, &x, &insn);
	assert_fault(&x, 0x2000, VCPU_ACCESS_READ);
	/* RIP outside guest RAM: nothing to fetch */
	e = flat32(QUAL_READ, 0x7ffff000);
	decode(&e, &x, &insn);
	assert_fault(&x, 0x7ffff000, VCPU_ACCESS_READ);
	/* the last bytes of RAM: what is there is decoded, the rest is not needed */
	put(RAM_SIZE - 2, load, sizeof(load));
	e = flat32(QUAL_READ, RAM_SIZE - 2);
	decode(&e, &x, &insn);
	assert_int_equal(x.kind, VCPU_EXIT_MMIO);
	assert_false(cache.valid); /* a short window is not cached */
	/* ... but an instruction cut off by the end of RAM is a fault */
	ram[RAM_SIZE - 1] = 0xc7; /* movl $imm32,(%eax) needs 5 more bytes */
	ram[RAM_SIZE - 2] = 0x66;
	decode(&e, &x, &insn);
	assert_fault(&x, RAM_SIZE - 2, VCPU_ACCESS_READ);
}

/* Outside 64-bit mode the instruction is at CS.base + EIP, not at EIP. */
static void test_segment_base(void **state)
{
	static const uint8_t store_imm[] = { 0xc7, 0x00, 0x78, 0x56, 0x34, 0x12 };
	static const uint8_t load[] = { 0x8b, 0x03 };
	struct vmx_ept_exit e = flat32(QUAL_WRITE, 0x10);
	struct vcpu_exit x;
	struct x86_mmio_insn insn;

	(void)state;
	put(0x10, load, sizeof(load)); /* at EIP alone: a load, the wrong instruction */
	put(0x8010, store_imm, sizeof(store_imm));
	e.cs_base = 0x8000;
	decode(&e, &x, &insn);
	assert_int_equal(x.kind, VCPU_EXIT_MMIO);
	assert_true(x.mmio.write);
	assert_int_equal(x.mmio.data, 0x12345678);
	assert_int_equal(insn.len, 6);
	/* the fault still names EIP, as the guest sees it */
	e.qual = QUAL_READ;
	decode(&e, &x, &insn);
	assert_fault(&x, 0x10, VCPU_ACCESS_READ);
	/* the linear address wraps at 4 GiB */
	e = flat32(QUAL_WRITE, 0x8010 + 0x1000);
	e.cs_base = 0xfffff000;
	decode(&e, &x, &insn);
	assert_int_equal(x.kind, VCPU_EXIT_MMIO);
	/* in 64-bit mode CS.base is not used */
	(void)long64(QUAL_WRITE, 0);
	e = long64(QUAL_WRITE, 0x400010);
	put(0x3010, store_imm, sizeof(store_imm));
	e.cs_base = 0x123000;
	decode(&e, &x, &insn);
	assert_int_equal(x.kind, VCPU_EXIT_MMIO);
	assert_int_equal(x.mmio.data, 0x12345678);
}

/* An instruction across a page boundary comes from two frames that are not adjacent. */
static void test_page_crossing(void **state)
{
	static const uint8_t movq_imm[] = { 0x48, 0xc7, 0x00, 0xef, 0xbe, 0xad, 0xde };
	struct vmx_ept_exit e = long64(QUAL_WRITE, 0x400ffd);
	struct vcpu_exit x;
	struct x86_mmio_insn insn;

	(void)state;
	put(0x3ffd, movq_imm, 3);
	put(0x5000, movq_imm + 3, 4);
	decode(&e, &x, &insn);
	assert_int_equal(x.kind, VCPU_EXIT_MMIO);
	assert_int_equal(x.mmio.width, 8);
	assert_int_equal(x.mmio.data, 0xffffffffdeadbeefULL); /* imm32 sign-extended */
	assert_int_equal(insn.len, 7);
	assert_false(cache.valid); /* crosses a page: not cached */
	/* the second page not mapped: the first three bytes are not an instruction */
	put64(0x7000 + 8, 0);
	decode(&e, &x, &insn);
	assert_fault(&x, 0x400ffd, VCPU_ACCESS_WRITE);
	/* not mapped at all */
	e.rip = 0x402000;
	decode(&e, &x, &insn);
	assert_fault(&x, 0x402000, VCPU_ACCESS_WRITE);
	/* page tables outside guest RAM */
	e = long64(QUAL_WRITE, 0x400ffd);
	e.cr3 = 0x7fff0000;
	decode(&e, &x, &insn);
	assert_fault(&x, 0x400ffd, VCPU_ACCESS_WRITE);
}

/* The second exit at the same instruction comes from the cache, which a rewrite invalidates. */
static void test_cache(void **state)
{
	static const uint8_t load32[] = { 0x8b, 0x18 };	     /* mov (%rax),%ebx */
	static const uint8_t load8[] = { 0x44, 0x8a, 0x00 }; /* mov (%rax),%r8b */
	struct vmx_ept_exit e = long64(QUAL_READ, 0x400100);
	struct vcpu_exit x;
	struct x86_mmio_insn insn;

	(void)state;
	put(0x3100, load32, sizeof(load32));
	decode(&e, &x, &insn);
	assert_int_equal(x.kind, VCPU_EXIT_MMIO);
	assert_int_equal(x.mmio.reg, 3);
	assert_true(cache.valid);
	reads = 0;
	decode(&e, &x, &insn);
	assert_int_equal(x.kind, VCPU_EXIT_MMIO);
	assert_int_equal(reads, 0); /* no walk, no fetch */
	assert_int_equal(x.mmio.reg, 3);
	/* rewritten in place: decoded again */
	put(0x3100, load8, sizeof(load8));
	decode(&e, &x, &insn);
	assert_int_equal(x.mmio.reg, 8);
	assert_int_equal(x.mmio.width, 1);
	assert_true(reads > 0);
	/* remapped: the page-table entry changed, so is the instruction */
	put(0x5100, load32, sizeof(load32));
	put64(0x7000, 0x5000 | PTE);
	decode(&e, &x, &insn);
	assert_int_equal(x.mmio.reg, 3);
	assert_int_equal(x.mmio.width, 4);
}

static void test_long_mode(void **state)
{
	(void)state;
	assert_true(vmx_ept_long_mode(EFER_LMA, AR_CODE64));
	assert_false(vmx_ept_long_mode(EFER_LMA, AR_CODE32)); /* compatibility mode */
	assert_false(vmx_ept_long_mode(0, AR_CODE64));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_store_paging_off, setup),
		cmocka_unit_test_setup(test_faults, setup),
		cmocka_unit_test_setup(test_segment_base, setup),
		cmocka_unit_test_setup(test_page_crossing, setup),
		cmocka_unit_test_setup(test_cache, setup),
		cmocka_unit_test_setup(test_long_mode, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
