// SPDX-License-Identifier: MIT
/*
 * What an x86_64 Linux guest is given at boot (vm_desc.c, vm_desc_pvh.c, vm_desc_acpi.c) through
 * the core's own placement: the PVH entry found in a vmlinux-like ELF's notes, the hvm_start_info
 * read back field by field as Xen's start_info.h lays it out (memory map, command line, initrd
 * module), and the ACPI tables walked from the RSDP the way an OS does, every checksum checked.
 */
#include <pv_test.h>
#include <string.h>
#include <vm/arch_vm_desc.h>
#include <vm/vm_layout.h>

#include "x86_boot.h"

#define K_PADDR	 0x1000000ULL /* where Linux/x86 links its first segment */
#define K_ENTRY	 0x1000200ULL
#define K_MEMSZ	 0x800000ULL
#define RAM_SIZE 0x10000000ULL
#define INFO_AT	 X86_INFO_OFFSET

static uint8_t kernel[0x1000];
static uint8_t initrd[0x3000];
static uint8_t info[X86_INFO_SIZE];
static struct vm_config cfg;

static uint64_t get(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = n; i > 0; i--)
		v = v << 8 | p[i - 1];
	return v;
}

static void put(uint8_t *p, unsigned n, uint64_t v)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static unsigned note(uint8_t *p, const char *name, uint32_t type, uint64_t desc, unsigned dsz)
{
	unsigned nsz = (unsigned)strlen(name) + 1, at = 12 + ((nsz + 3u) & ~3u);

	put(p, 4, nsz);
	put(p + 4, 4, dsz);
	put(p + 8, 4, type);
	memcpy(p + 12, name, nsz);
	put(p + at, dsz, desc);
	return at + ((dsz + 3u) & ~3u);
}

/* An ELF64 executable with one PT_LOAD and a PT_NOTE holding a GNU build-id-like note, then the
 * Xen PVH entry note (@with_pvh), as Linux's vmlinux carries them. */
static void make_kernel(bool with_pvh, uint64_t entry)
{
	uint8_t *ph = kernel + 64;
	unsigned notes = 0x200, len;

	memset(kernel, 0, sizeof(kernel));
	memcpy(kernel, "\177ELF", 4);
	kernel[4] = 2;
	kernel[5] = 1;
	kernel[6] = 1;
	put(kernel + 16, 2, 2);	 /* ET_EXEC */
	put(kernel + 18, 2, 62); /* EM_X86_64 */
	put(kernel + 24, 8, 0xffffffff81000000ULL);
	put(kernel + 32, 8, 64);
	put(kernel + 54, 2, 56);
	put(kernel + 56, 2, 2);
	put(ph, 4, 1); /* PT_LOAD */
	put(ph + 8, 8, 0x100);
	put(ph + 16, 8, 0xffffffff81000000ULL);
	put(ph + 24, 8, K_PADDR);
	put(ph + 32, 8, 0x100);
	put(ph + 40, 8, K_MEMSZ);
	len = note(kernel + notes, "GNU", 3, 0x1122334455667788ULL, 8);
	if (with_pvh)
		len += note(kernel + notes + len, "Xen", X86_ELFNOTE_PVH_ENTRY, entry, 8);
	put(ph + 56, 4, 4); /* PT_NOTE */
	put(ph + 56 + 8, 8, notes);
	put(ph + 56 + 32, 8, len);
}

static int setup(void **state)
{
	(void)state;
	make_kernel(true, K_ENTRY);
	cfg = (struct vm_config){
		.name = "linux",
		.nvcpus = 2,
		.pcpu = { 0, 1 },
		.guest_cpu_id = { 0, 1 },
		.nmem = 1,
		.mem = { { gpa(0), RAM_SIZE } },
		.format = VM_BOOT_LINUX,
		.nimages = 2,
		.images = { { .role = VM_IMAGE_KERNEL,
			      .node = "kernel",
			      .data = kernel,
			      .size = sizeof(kernel) },
			    { .role = VM_IMAGE_INITRD,
			      .node = "initrd",
			      .data = initrd,
			      .size = sizeof(initrd) } },
		.bootargs = "console=ttyS0 rdinit=/init",
	};
	return 0;
}

static void test_pvh_entry(void **state)
{
	(void)state;
	uint64_t entry = 0;
	char why[128] = "";

	assert_int_equal(x86_pvh_entry(kernel, sizeof(kernel), &entry, why, sizeof(why)), PV_OK);
	assert_int_equal(entry, K_ENTRY);
	make_kernel(false, 0);
	assert_int_equal(x86_pvh_entry(kernel, sizeof(kernel), &entry, why, sizeof(why)),
			 -PV_EINVAL);
	assert_non_null(strstr(why, "no PVH entry note"));
	make_kernel(true, PV_GIB(4));
	assert_int_equal(x86_pvh_entry(kernel, sizeof(kernel), &entry, why, sizeof(why)),
			 -PV_EINVAL);
	assert_non_null(strstr(why, "above 4 GiB"));
	/* A note whose name runs past its segment; a segment past the file. */
	make_kernel(true, K_ENTRY);
	put(kernel + 0x200, 4, 0xfffffff0u);
	assert_int_equal(x86_pvh_entry(kernel, sizeof(kernel), &entry, why, sizeof(why)),
			 -PV_EINVAL);
	assert_non_null(strstr(why, "malformed note"));
	make_kernel(true, K_ENTRY);
	put(kernel + 64 + 56 + 32, 8, sizeof(kernel));
	assert_int_equal(x86_pvh_entry(kernel, sizeof(kernel), &entry, why, sizeof(why)),
			 -PV_EINVAL);
	assert_non_null(strstr(why, "outside the file"));
}

/* The kernel at its segment's physical address, entered at the note; the start info in the BIOS
 * area, its address the boot argument (EBX); the initrd high in RAM. */
static void test_layout(void **state)
{
	(void)state;
	struct vm_layout l;
	struct vm_err err;

	assert_int_equal(vm_layout_compute(&cfg, &l, &err), PV_OK);
	assert_int_equal(l.entry.raw, K_ENTRY);
	assert_true(l.has_boot_info && l.has_initrd && !l.has_fdt);
	assert_int_equal(l.boot_info.raw, INFO_AT);
	assert_int_equal(l.boot_arg, INFO_AT);
	assert_int_equal(l.nboot_args, 1);
	assert_true(l.initrd.raw >= K_PADDR + K_MEMSZ && l.initrd.raw + sizeof(initrd) <= RAM_SIZE);

	make_kernel(false, 0);
	assert_int_equal(vm_layout_compute(&cfg, &l, &err), -PV_EINVAL);
	assert_non_null(strstr(err.msg, "no PVH entry note"));
}

static void test_cmdline_too_long(void **state)
{
	(void)state;
	static char longline[X86_CMDLINE_MAX + 1];
	struct vm_layout l;
	struct vm_err err;

	memset(longline, 'a', X86_CMDLINE_MAX);
	cfg.bootargs = longline;
	assert_int_equal(vm_layout_compute(&cfg, &l, &err), -PV_EINVAL);
	assert_non_null(strstr(err.msg, "Linux/x86 takes 2047 at most"));
	longline[X86_CMDLINE_MAX - 1] = 0;
	assert_int_equal(vm_layout_compute(&cfg, &l, &err), PV_OK);
}

/* The block as the guest sees it: @pa..+len inside it, else NULL. */
static const uint8_t *at(uint64_t pa, uint64_t len)
{
	if (pa < INFO_AT || pa - INFO_AT > sizeof(info) || len > sizeof(info) - (pa - INFO_AT))
		return NULL;
	return info + (pa - INFO_AT);
}

static void write_info(struct vm_layout *l)
{
	uint64_t args[VM_BOOT_ARGS] = { 0 };
	struct vm_err err;
	char why[96] = "";

	assert_int_equal(vm_layout_compute(&cfg, l, &err), PV_OK);
	memset(info, 0, sizeof(info));
	assert_int_equal(arch_vm_desc.linux_info_size, sizeof(info));
	assert_int_equal(arch_vm_desc.linux_info(&cfg, l, INFO_AT, info, args, why, sizeof(why)),
			 1);
	assert_int_equal(args[0], l->boot_arg);
}

static void expect_map(const uint8_t *e, uint64_t addr, uint64_t size, uint32_t type)
{
	assert_int_equal(get(e, 8), addr);
	assert_int_equal(get(e + 8, 8), size);
	assert_int_equal(get(e + 16, 4), type);
}

static void test_start_info(void **state)
{
	(void)state;
	const uint8_t *s = info, *mod, *map;
	struct vm_layout l;

	write_info(&l);
	assert_int_equal(get(s, 4), 0x336ec578u);
	assert_int_equal(get(s + 4, 4), 1);
	assert_int_equal(get(s + 8, 4), 0);
	assert_string_equal((const char *)at(get(s + 24, 8), 1), "console=ttyS0 rdinit=/init");
	/* One module: the initrd where the layout put it. */
	assert_int_equal(get(s + 12, 4), 1);
	assert_non_null(mod = at(get(s + 16, 8), 32));
	assert_int_equal(get(mod, 8), l.initrd.raw);
	assert_int_equal(get(mod + 8, 8), sizeof(initrd));
	assert_int_equal(get(mod + 16, 8), 0);
	/* RAM around the reserved block. */
	assert_int_equal(get(s + 48, 4), 3);
	assert_non_null(map = at(get(s + 40, 8), 3 * 24));
	expect_map(map, 0, INFO_AT, 1);
	expect_map(map + 24, INFO_AT, X86_INFO_SIZE, 2);
	expect_map(map + 48, INFO_AT + X86_INFO_SIZE, RAM_SIZE - INFO_AT - X86_INFO_SIZE, 1);
	assert_non_null(at(get(s + 32, 8), 36));
}

/* Regions in any order come out sorted; the block splits only its own region. */
static void test_memmap_regions(void **state)
{
	(void)state;
	const uint8_t *map;
	struct vm_layout l;

	cfg.nmem = 2;
	cfg.mem[1] = cfg.mem[0];
	cfg.mem[0] = (struct vm_mem_config){ gpa(0x100000000ULL), 0x200000 };
	write_info(&l);
	assert_int_equal(get(info + 48, 4), 4);
	map = at(get(info + 40, 8), 4 * 24);
	expect_map(map, 0, INFO_AT, 1);
	expect_map(map + 24, INFO_AT, X86_INFO_SIZE, 2);
	expect_map(map + 72, 0x100000000ULL, 0x200000, 1);
	/* No initrd: no module. */
	cfg.nimages = 1;
	write_info(&l);
	assert_int_equal(get(info + 12, 4), 0);
	assert_int_equal(get(info + 16, 8), 0);
}

static uint8_t sum(const uint8_t *p, uint64_t len)
{
	uint8_t s = 0;

	for (uint64_t i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

/* A table named by physical address: inside the block, its length sane, its checksum zero. */
static const uint8_t *table(uint64_t pa, const char *sig)
{
	const uint8_t *t = at(pa, 36);

	assert_non_null(t);
	assert_memory_equal(t, sig, 4);
	assert_non_null(at(pa, get(t + 4, 4)));
	assert_int_equal(sum(t, get(t + 4, 4)), 0);
	return t;
}

static void expect_gas_port8(const uint8_t *g, uint64_t port)
{
	assert_int_equal(g[0], 1); /* system I/O */
	assert_int_equal(g[1], 8);
	assert_int_equal(g[3], 1); /* byte access */
	assert_int_equal(get(g + 4, 8), port);
}

/* The tables read back; @irq: the COM1 UART's interrupt (-1: none). */
static void check_acpi(int irq)
{
	const uint8_t *rsdp, *xsdt, *fadt = NULL, *madt = NULL, *dsdt;
	struct vm_layout l;
	unsigned x2apic = 0, ioapic = 0, iso = 0;
	const unsigned irqlen = irq >= 0 ? 3 : 0;

	cfg.nvcpus = 3;
	cfg.guest_cpu_id[2] = 7;
	write_info(&l);
	assert_non_null(rsdp = at(get(info + 32, 8), 36));
	assert_memory_equal(rsdp, "RSD PTR ", 8);
	assert_int_equal(sum(rsdp, 20), 0);
	assert_int_equal(rsdp[15], 2);
	assert_int_equal(get(rsdp + 20, 4), 36);
	assert_int_equal(sum(rsdp, 36), 0);
	xsdt = table(get(rsdp + 24, 8), "XSDT");
	for (uint64_t off = 36; off + 8 <= get(xsdt + 4, 4); off += 8) {
		const uint8_t *t = at(get(xsdt + off, 8), 4);
		assert_non_null(t);
		if (!memcmp(t, "FACP", 4))
			fadt = table(get(xsdt + off, 8), "FACP");
		if (!memcmp(t, "APIC", 4))
			madt = table(get(xsdt + off, 8), "APIC");
	}
	assert_non_null(fadt);
	assert_non_null(madt);

	/* FADT: revision 6, hardware-reduced, reset register supported, its registers ports. */
	assert_int_equal(get(fadt + 4, 4), 276);
	assert_int_equal(fadt[8], 6);
	assert_true(get(fadt + 112, 4) & (1u << 20));
	assert_true(get(fadt + 112, 4) & (1u << 10));
	expect_gas_port8(fadt + 116, X86_ACPI_RESET_PORT);
	assert_int_equal(fadt[128], X86_ACPI_RESET_VALUE);
	expect_gas_port8(fadt + 244, X86_ACPI_SLEEP_CTL);
	expect_gas_port8(fadt + 256, X86_ACPI_SLEEP_STS);
	assert_int_equal(get(fadt + 40, 4), get(fadt + 140, 8));
	dsdt = table(get(fadt + 140, 8), "DSDT");
	/* DSDT: Name (_S5, Package (4) { 5, 5, 0, 0 }). */
	{
		static const uint8_t s5[] = { 0x08, '_',  'S', '5',  '_', 0x12, 0x08,
					      0x04, 0x0a, 5,   0x0a, 5,	  0,	0 };
		const uint8_t *dev = dsdt + 36 + sizeof(s5), *hid, *crs;
		uint32_t eisa;
		char id[8];

		assert_memory_equal(dsdt + 36, s5, sizeof(s5));
		/* Device (\_SB.COM1): one-byte PkgLength reaching exactly the table's end. */
		assert_int_equal(dev[0], 0x5b);
		assert_int_equal(dev[1], 0x82);
		assert_true(dev[2] < 0x40);
		assert_int_equal(36 + sizeof(s5) + 2 + dev[2], get(dsdt + 4, 4));
		assert_int_equal(dev[3], 0x5c);
		assert_int_equal(dev[4], 0x2e);
		assert_memory_equal(dev + 5, "_SB_COM1", 8);
		/* _HID: an EISA id DWordConst, decoded as ACPI's EisaId macro encodes it. */
		hid = dev + 13;
		assert_memory_equal(hid, "\x08_HID\x0c", 6);
		eisa = (uint32_t)get(hid + 6, 4);
		eisa = (eisa >> 24) | ((eisa >> 8) & 0xff00u) | ((eisa << 8) & 0xff0000u) |
		       (eisa << 24);
		id[0] = (char)('@' + ((eisa >> 26) & 31));
		id[1] = (char)('@' + ((eisa >> 21) & 31));
		id[2] = (char)('@' + ((eisa >> 16) & 31));
		for (unsigned i = 0; i < 4; i++)
			id[3 + i] = "0123456789ABCDEF"[(eisa >> (12 - 4 * i)) & 15];
		id[7] = 0;
		assert_string_equal(id, "PNP0501");
		/* _CRS: a 10-byte buffer holding IO (Decode16, 0x3f8, 0x3f8, 1, 8) and an end tag,
		 * with IRQNoFlags () { irq } between them (13 bytes) when the UART has one. */
		crs = hid + 10;
		assert_memory_equal(crs, "\x08_CRS\x11", 6);
		assert_int_equal(crs[6], 0x0d + irqlen);
		assert_int_equal(crs[7], 0x0a);
		assert_int_equal(crs[8], 0x0a + irqlen);
		assert_int_equal(crs[9], 0x47);
		assert_int_equal(get(crs + 11, 2), 0x3f8);
		assert_int_equal(get(crs + 13, 2), 0x3f8);
		assert_int_equal(crs[16], 8);
		if (irq >= 0) {
			assert_int_equal(crs[17], 0x22);
			assert_int_equal(get(crs + 18, 2), 1u << irq);
		}
		assert_int_equal(crs[17 + irqlen], 0x79);
		assert_int_equal(crs + 19 + irqlen, dsdt + get(dsdt + 4, 4));
	}

	/* MADT: the local APIC address, one enabled x2APIC per vCPU with its id, the I/O APIC. */
	assert_int_equal(get(madt + 36, 4), 0xfee00000u);
	for (uint64_t off = 44; off < get(madt + 4, 4); off += madt[off + 1]) {
		assert_true(madt[off + 1] >= 2);
		if (madt[off] == 9) {
			assert_int_equal(madt[off + 1], 16);
			assert_int_equal(get(madt + off + 4, 4), cfg.guest_cpu_id[x2apic]);
			assert_int_equal(get(madt + off + 8, 4), 1);
			assert_int_equal(get(madt + off + 12, 4), x2apic);
			x2apic++;
		} else if (madt[off] == 1) {
			assert_int_equal(madt[off + 1], 12);
			assert_int_equal(get(madt + off + 4, 4), X86_IOAPIC_BASE);
			assert_int_equal(get(madt + off + 8, 4), 0);
			ioapic++;
		} else if (madt[off] == 2 && irq >= 0) {
			/* ISA IRQ n is GSI n, edge-triggered, active high */
			assert_int_equal(madt[off + 1], 10);
			assert_int_equal(madt[off + 2], 0);
			assert_int_equal(madt[off + 3], irq);
			assert_int_equal(get(madt + off + 4, 4), (uint64_t)irq);
			assert_int_equal(get(madt + off + 8, 2), 0x5);
			iso++;
		} else {
			fail_msg("unexpected MADT entry type %u", madt[off]);
		}
	}
	assert_int_equal(x2apic, 3);
	assert_int_equal(ioapic, 1);
	assert_int_equal(iso, irq >= 0 ? 1 : 0);
}

static void test_acpi(void **state)
{
	(void)state;
	check_acpi(-1);
}

/* A UART at COM1 with ISA IRQ 4: the DSDT and the MADT say so. One with an interrupt above the
 * ISA range, or at another port, changes nothing. */
static void test_acpi_uart_irq(void **state)
{
	(void)state;
	cfg.ndevs = 2;
	cfg.devs[0] = (struct vm_dev_config){
		.space = VDEV_SPACE_PIO, .base = 0x2f8, .has_irq = true, .irq = 3
	};
	cfg.devs[1] = (struct vm_dev_config){
		.space = VDEV_SPACE_PIO, .base = 0x3f8, .has_irq = true, .irq = 4
	};
	check_acpi(4);
	cfg.devs[1].irq = 17;
	check_acpi(-1);
}

/* Too small a buffer is refused, never overrun. */
static void test_acpi_room(void **state)
{
	(void)state;
	uint64_t need = x86_acpi_build(&cfg, 0x1000, info, sizeof(info));

	assert_true(need > 0 && need <= X86_INFO_SIZE - X86_INFO_ACPI);
	assert_int_equal(x86_acpi_build(&cfg, 0x1000, info, need - 1), 0);
	cfg.nvcpus = VM_MAX_VCPUS;
	need = x86_acpi_build(&cfg, 0x1000, info, sizeof(info));
	assert_true(need > 0 && need <= X86_INFO_SIZE - X86_INFO_ACPI);
}

/* The sleep control register powers off only with SLP_EN and \_S5's type; the reset register
 * resets only on its value; any width covering a register counts, reads and other writes are
 * served and do nothing. */
static void test_acpi_pm_ports(void **state)
{
	(void)state;
	const uint8_t off = X86_ACPI_SLP_TYP_S5 << 2 | X86_ACPI_SLP_EN;

	assert_int_equal(x86_acpi_pm_access(X86_ACPI_SLEEP_CTL, 1, true, off), X86_ACPI_PM_OFF);
	assert_int_equal(off, 0x34);
	assert_int_equal(x86_acpi_pm_access(X86_ACPI_SLEEP_CTL, 1, true, off & ~X86_ACPI_SLP_EN),
			 X86_ACPI_PM_DONE);
	assert_int_equal(x86_acpi_pm_access(X86_ACPI_SLEEP_CTL, 1, true, 3u << 2 | 0x20),
			 X86_ACPI_PM_DONE); /* S3: not offered */
	assert_int_equal(x86_acpi_pm_access(X86_ACPI_SLEEP_CTL, 1, false, off), X86_ACPI_PM_DONE);
	assert_int_equal(x86_acpi_pm_access(X86_ACPI_RESET_PORT, 1, true, 1), X86_ACPI_PM_RESET);
	assert_int_equal(x86_acpi_pm_access(X86_ACPI_RESET_PORT, 1, true, 0x0e), X86_ACPI_PM_DONE);
	assert_int_equal(x86_acpi_pm_access(X86_ACPI_SLEEP_STS, 1, false, 0), X86_ACPI_PM_DONE);
	/* Wider accesses: a dword at 0x600 writes the three registers byte by byte. */
	assert_int_equal(x86_acpi_pm_access(X86_ACPI_SLEEP_CTL, 4, true, off), X86_ACPI_PM_OFF);
	assert_int_equal(x86_acpi_pm_access(X86_ACPI_SLEEP_CTL, 4, true, 0x010000),
			 X86_ACPI_PM_RESET);
	assert_int_equal(x86_acpi_pm_access(X86_ACPI_SLEEP_CTL - 1, 2, true, off << 8),
			 X86_ACPI_PM_OFF);
	assert_int_equal(x86_acpi_pm_access(X86_ACPI_SLEEP_CTL - 2, 2, true, ~0ULL),
			 X86_ACPI_PM_NONE);
	assert_int_equal(x86_acpi_pm_access(X86_ACPI_RESET_PORT + 1, 4, true, ~0ULL),
			 X86_ACPI_PM_NONE);
	assert_int_equal(x86_acpi_pm_access(0xffff, 4, true, ~0ULL), X86_ACPI_PM_NONE);
	assert_int_equal(x86_acpi_pm_access(0x3f8, 1, true, 1), X86_ACPI_PM_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_pvh_entry, setup),
		cmocka_unit_test_setup(test_layout, setup),
		cmocka_unit_test_setup(test_cmdline_too_long, setup),
		cmocka_unit_test_setup(test_start_info, setup),
		cmocka_unit_test_setup(test_memmap_regions, setup),
		cmocka_unit_test_setup(test_acpi, setup),
		cmocka_unit_test_setup(test_acpi_uart_irq, setup),
		cmocka_unit_test_setup(test_acpi_room, setup),
		cmocka_unit_test(test_acpi_pm_ports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
