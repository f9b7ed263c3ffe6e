// SPDX-License-Identifier: MIT
/*
 * The boot hart's C entry: reads what the device tree says about harts, the timer and the ISA,
 * builds the boot_info memory map and hands over to the core.
 */
#include <hal/boot.h>
#include <hal/hal.h>
#include <libfdt.h>
#include <riscv64/cpu.h>
#include <riscv64/plic.h>
#include <stddef.h>
#include <string.h>

struct riscv_cpu riscv_cpus[CONFIG_MAX_CPUS];
/* entry.S finds a secondary hart's stack slot from the first word of its struct riscv_cpu. */
_Static_assert(offsetof(struct riscv_cpu, index) == 0, "entry.S reads index at offset 0");
unsigned riscv_ncpus = 1;
volatile uint64_t riscv_cpus_online = 1;
struct riscv_platform_info riscv_info;
/* The harts have the vector extension: memcpy and memset use it (string_v.S). Written once on
 * the boot hart before any other starts; the boot hart's description stands for all. */
bool riscv_string_vector;

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Compares @len bytes of @s with the NUL-terminated @name, ignoring case. */
static bool name_equal(const char *s, size_t len, const char *name)
{
	size_t i;

	for (i = 0; i < len && name[i]; i++)
		if (lower(s[i]) != lower(name[i]))
			return false;
	return i == len && name[i] == '\0';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Single-letter extensions of a riscv,isa string ("rv64imafdch_zicsr_sstc"): the letters after
 * the base, up to the first underscore or the first multi-letter prefix (s, x, z). Version
 * numbers such as "i2p1" are skipped. 'g' stands for imafd. */
static bool isa_has_letter(const char *isa, char letter)
{
	const char *p = isa + 4;

	for (; *p && *p != '_'; p++) {
		char c = lower(*p);
		if (c == 's' || c == 'x' || c == 'z')
			break;
		if (is_digit(c) || (c == 'p' && p > isa + 4 && is_digit(p[-1])))
			continue;
		if (c == letter || (c == 'g' && letter && strchr("imafd", letter)))
			return true;
	}
	return false;
}

static bool isa_has_multi(const char *isa, const char *ext)
{
	const char *p = isa + 4;

	/* Skip the single-letter part; the first multi-letter name may follow it directly. */
	while (*p && *p != '_' && !strchr("sxzSXZ", *p))
		p++;
	while (*p) {
		size_t len = 0;
		while (*p == '_')
			p++;
		while (p[len] && p[len] != '_')
			len++;
		if (len && name_equal(p, len, ext))
			return true;
		p += len;
	}
	return false;
}

bool riscv_isa_has(const char *ext)
{
	const char *isa = riscv_info.boot_isa;

	/* The newer binding lists every extension by name; prefer it when the firmware gives it. */
	if (riscv_info.boot_exts) {
		const char *s = riscv_info.boot_exts;
		const char *end = s + riscv_info.boot_exts_len;
		while (s < end) {
			size_t len = strnlen(s, (size_t)(end - s));
			if (name_equal(s, len, ext))
				return true;
			s += len + 1;
		}
		return false;
	}
	if (!isa || strlen(isa) < 4 || !name_equal(isa, 2, "rv"))
		return false;
	if (ext[0] && !ext[1])
		return isa_has_letter(isa, lower(ext[0]));
	return isa_has_multi(isa, ext);
}

static uint64_t read_cells(const fdt32_t *cells, int len)
{
	uint64_t v = 0;

	for (int i = 0; i < len / (int)sizeof(fdt32_t); i++)
		v = (v << 32) | fdt32_to_cpu(cells[i]);
	return v;
}

static bool node_usable(const void *dtb, int node)
{
	const char *status = fdt_getprop(dtb, node, "status", NULL);
	const char *type = fdt_getprop(dtb, node, "device_type", NULL);

	if (!type || strcmp(type, "cpu") != 0)
		return false;
	return !status || strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0;
}

static uint64_t timebase_of(const void *dtb, int node)
{
	int len;
	const fdt32_t *p = fdt_getprop(dtb, node, "timebase-frequency", &len);

	return (p && (len == 4 || len == 8)) ? read_cells(p, len) : 0;
}

/* Numbers the harts: the boot hart is CPU 0, the others follow in device-tree order. */
static void scan_cpus(const void *dtb, uint64_t boot_hartid)
{
	int cpus = fdt_path_offset(dtb, "/cpus");
	int ac, node;
	bool boot_found = false;

	if (cpus < 0)
		hal_panic("device tree has no /cpus node");
	ac = fdt_address_cells(dtb, cpus);
	if (ac < 1 || ac > 2)
		hal_panic("/cpus: bad #address-cells %d", ac);
	riscv_info.timebase_hz = timebase_of(dtb, cpus);

	fdt_for_each_subnode (node, dtb, cpus) {
		int len;
		const fdt32_t *reg = fdt_getprop(dtb, node, "reg", &len);
		uint64_t hartid;

		if (!node_usable(dtb, node) || !reg || len != ac * (int)sizeof(fdt32_t))
			continue;
		hartid = read_cells(reg, len);
		if (hartid == boot_hartid) {
			boot_found = true;
			riscv_info.boot_isa = fdt_getprop(dtb, node, "riscv,isa", NULL);
			riscv_info.boot_exts = fdt_getprop(dtb, node, "riscv,isa-extensions",
							   &riscv_info.boot_exts_len);
			riscv_info.boot_mmu = fdt_getprop(dtb, node, "mmu-type", NULL);
			if (!riscv_info.timebase_hz)
				riscv_info.timebase_hz = timebase_of(dtb, node);
		} else if (riscv_ncpus < CONFIG_MAX_CPUS) {
			riscv_cpus[riscv_ncpus].index = riscv_ncpus;
			riscv_cpus[riscv_ncpus].hartid = hartid;
			riscv_ncpus++;
		}
	}
	if (!boot_found)
		hal_panic("boot hart %llu is not in the device tree's /cpus",
			  (unsigned long long)boot_hartid);
	if (!riscv_info.timebase_hz)
		hal_panic("device tree gives no timebase-frequency");
}

void riscv_boot_main(unsigned long hartid, const void *dtb)
{
	static struct boot_info bi;
	int err;

	riscv_cpus[0].index = 0;
	riscv_cpus[0].hartid = hartid;

	if (!dtb || fdt_check_header(dtb) != 0)
		hal_panic("no valid device tree at 0x%llx (a1 from the firmware)",
			  (unsigned long long)(uintptr_t)dtb);
	scan_cpus(dtb, hartid);
	riscv_string_vector = riscv_isa_has("v");
	riscv_plic_scan(dtb);
	riscv_timer_init();
	err = boot_fdt_memory(dtb, &bi);
	if (err)
		hal_panic("device tree memory map: %s", pv_strerror(err));
	bi.boot_cpu = hal_cpu.cpu_id();
	hv_main(&bi);
}

void riscv_secondary_main(struct riscv_cpu *cpu)
{
	/* stimecmp survives from the firmware or an earlier run: make sure it cannot fire. */
	hal_cpu.timer_arm(0);
	__atomic_fetch_or(&riscv_cpus_online, 1ULL << cpu->index, __ATOMIC_RELEASE);
	hv_secondary_main(cpu->index);
}
