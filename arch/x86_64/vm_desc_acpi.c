// SPDX-License-Identifier: MIT
/*
 * The ACPI tables of a VM (x86_boot.h), laid out as ACPI 6.4 says: an RSDP (revision 2) naming an
 * XSDT, which names a hardware-reduced FADT and a MADT; the FADT names the DSDT. Hardware-reduced
 * ACPI has no PM timer, SCI, GPE blocks or fixed PM1 registers: the guest powers off through the
 * sleep control register (with \_S5's SLP_TYP from the DSDT) and resets through the reset
 * register, both I/O ports the backend serves. The MADT lists one processor local x2APIC per vCPU
 * (id = the vCPU's guest id, as its CPUID and x2APIC report it), the I/O APIC (GSI n = pin n) and,
 * for a COM1 UART with an interrupt, an interrupt source override that says ISA IRQ n is GSI n,
 * edge-triggered and active high (the ISA bus's conventions, spelled out).
 */
#include <string.h>

#include "x86_boot.h"

#define ACPI_HDR	   36
#define ACPI_RSDP_SIZE	   36
#define ACPI_FADT_SIZE	   276
#define ACPI_X2APIC_SIZE   16
#define ACPI_IOAPIC_SIZE   12
#define ACPI_ISO_SIZE	   10
#define ACPI_ISO_EDGE_HIGH 0x5u /* MPS INTI flags: polarity 01 (high), trigger 01 (edge) */
#define COM1_PORT	   0x3f8u
#define ISA_IRQS	   16u
#define ACPI_OEM_ID	   "PLYVSR"
#define ACPI_OEM_TABLE	   "PVVM    "
#define ACPI_CREATOR	   "PLVS"
#define ACPI_LAPIC_BASE	   0xfee00000u

/* FADT fields (ACPI 6.4, table 5.9). */
#define FADT_DSDT	   40
#define FADT_BOOT_ARCH	   109
#define FADT_FLAGS	   112
#define FADT_RESET_REG	   116
#define FADT_RESET_VALUE   128
#define FADT_MINOR	   131
#define FADT_X_DSDT	   140
#define FADT_SLEEP_CTL	   244
#define FADT_SLEEP_STS	   256
#define FADT_HV_VENDOR	   268
#define FADT_WBINVD	   (1u << 0)
#define FADT_RESET_REG_SUP (1u << 10)
#define FADT_HW_REDUCED	   (1u << 20)
#define BOOT_NO_VGA	   (1u << 2)
#define BOOT_NO_MSI	   (1u << 3)
#define BOOT_NO_CMOS_RTC   (1u << 5)
#define GAS_SYSTEM_IO	   1
#define GAS_ACCESS_BYTE	   1

static uint8_t checksum(const uint8_t *p, uint64_t len)
{
	uint8_t sum = 0;

	for (uint64_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	return (uint8_t)(0u - sum);
}

static void header(uint8_t *t, const char *sig, uint64_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	x86_put(t + 4, 4, len);
	t[8] = rev;
	memcpy(t + 10, ACPI_OEM_ID, 6);
	memcpy(t + 16, ACPI_OEM_TABLE, 8);
	x86_put(t + 24, 4, 1);
	memcpy(t + 28, ACPI_CREATOR, 4);
	x86_put(t + 32, 4, 1);
}

static void finish(uint8_t *t)
{
	t[9] = checksum(t, x86_get(t + 4, 4));
}

/* A generic address structure: an 8-bit register in I/O space. */
static void gas_port8(uint8_t *g, uint16_t port)
{
	g[0] = GAS_SYSTEM_IO;
	g[1] = 8;
	g[2] = 0;
	g[3] = GAS_ACCESS_BYTE;
	x86_put(g + 4, 8, port);
}

/* DSDT body, in AML. Name (_S5, Package () { 5, 5, 0, 0 }): the SLP_TYP values the FADT's sleep
 * control register takes for soft-off. Device (\_SB.COM1) { Name (_HID, EisaId ("PNP0501")),
 * Name (_CRS, ResourceTemplate () { IO (Decode16, 0x3f8, 0x3f8, 1, 8), IRQNoFlags () { n } }) }:
 * the 16550 at COM1's ports, with its ISA interrupt when the VM's UART there has one below 16
 * (IRQNoFlags: edge-triggered, active high). Without one, Linux's 8250 driver polls it. */
/* clang-format off */
static const uint8_t dsdt_aml[] = {
	0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
	0x0a, X86_ACPI_SLP_TYP_S5, 0x0a, X86_ACPI_SLP_TYP_S5, 0x00, 0x00,
	/* DeviceOp, PkgLength 40 (+3 with the IRQ), \_SB.COM1 */
	0x5b, 0x82, 0x28, 0x5c, 0x2e, '_', 'S', 'B', '_', 'C', 'O', 'M', '1',
	/* Name (_HID, EisaId ("PNP0501")) */
	0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x05, 0x01,
	/* Name (_CRS, Buffer (10 or 13) { IO descriptor, [IRQ descriptor,] end tag }) */
	0x08, '_', 'C', 'R', 'S', 0x11, 0x0d, 0x0a, 0x0a,
	0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x01, 0x08,
};
/* clang-format on */
#define DSDT_DEV_PKGLEN 16 /* offsets in dsdt_aml */
#define DSDT_BUF_PKGLEN 43
#define DSDT_BUF_SIZE	45
#define DSDT_IRQ_SIZE	3 /* IRQNoFlags: tag 0x22, 16-bit mask */

/* The interrupt of the VM's UART at COM1's ports (an ISA IRQ), or -1 for none. */
static int com1_irq(const struct vm_config *cfg)
{
	for (unsigned i = 0; i < cfg->ndevs; i++) {
		const struct vm_dev_config *d = &cfg->devs[i];
		if (d->space == VDEV_SPACE_PIO && d->base == COM1_PORT && d->has_irq &&
		    d->irq < ISA_IRQS)
			return (int)d->irq;
	}
	return -1;
}

static uint64_t dsdt_build(uint8_t *t, const struct vm_config *cfg)
{
	uint8_t *aml = t + ACPI_HDR;
	uint64_t len = sizeof(dsdt_aml);
	int irq = com1_irq(cfg);

	memcpy(aml, dsdt_aml, sizeof(dsdt_aml));
	if (irq >= 0) {
		aml[DSDT_DEV_PKGLEN] += DSDT_IRQ_SIZE;
		aml[DSDT_BUF_PKGLEN] += DSDT_IRQ_SIZE;
		aml[DSDT_BUF_SIZE] += DSDT_IRQ_SIZE;
		aml[len++] = 0x22;
		x86_put(aml + len, 2, 1u << irq);
		len += 2;
	}
	aml[len++] = 0x79; /* end tag, checksum 0 */
	aml[len++] = 0x00;
	header(t, "DSDT", ACPI_HDR + len, 2);
	finish(t);
	return ACPI_HDR + len;
}

static uint64_t fadt_build(uint8_t *t, uint64_t dsdt)
{
	header(t, "FACP", ACPI_FADT_SIZE, 6);
	x86_put(t + FADT_DSDT, 4, dsdt);
	x86_put(t + FADT_BOOT_ARCH, 2, BOOT_NO_VGA | BOOT_NO_MSI | BOOT_NO_CMOS_RTC);
	x86_put(t + FADT_FLAGS, 4, FADT_WBINVD | FADT_RESET_REG_SUP | FADT_HW_REDUCED);
	gas_port8(t + FADT_RESET_REG, X86_ACPI_RESET_PORT);
	t[FADT_RESET_VALUE] = X86_ACPI_RESET_VALUE;
	t[FADT_MINOR] = 4;
	x86_put(t + FADT_X_DSDT, 8, dsdt);
	gas_port8(t + FADT_SLEEP_CTL, X86_ACPI_SLEEP_CTL);
	gas_port8(t + FADT_SLEEP_STS, X86_ACPI_SLEEP_STS);
	memcpy(t + FADT_HV_VENDOR, "Polyvsor", 8);
	finish(t);
	return ACPI_FADT_SIZE;
}

static uint64_t madt_build(uint8_t *t, const struct vm_config *cfg)
{
	uint64_t len = ACPI_HDR + 8;
	int irq = com1_irq(cfg);

	x86_put(t + ACPI_HDR, 4, ACPI_LAPIC_BASE);
	for (unsigned i = 0; i < cfg->nvcpus; i++, len += ACPI_X2APIC_SIZE) {
		t[len] = 9; /* processor local x2APIC */
		t[len + 1] = ACPI_X2APIC_SIZE;
		x86_put(t + len + 4, 4, cfg->guest_cpu_id[i]);
		x86_put(t + len + 8, 4, 1); /* enabled */
		x86_put(t + len + 12, 4, i);
	}
	t[len] = 1; /* I/O APIC, id 0, GSI base 0 */
	t[len + 1] = ACPI_IOAPIC_SIZE;
	x86_put(t + len + 4, 4, X86_IOAPIC_BASE);
	len += ACPI_IOAPIC_SIZE;
	if (irq >= 0) {
		t[len] = 2; /* interrupt source override: ISA (bus 0) IRQ n -> GSI n */
		t[len + 1] = ACPI_ISO_SIZE;
		t[len + 3] = (uint8_t)irq;
		x86_put(t + len + 4, 4, (uint64_t)irq);
		x86_put(t + len + 8, 2, ACPI_ISO_EDGE_HIGH);
		len += ACPI_ISO_SIZE;
	}
	header(t, "APIC", len, 5);
	finish(t);
	return len;
}

uint64_t x86_acpi_build(const struct vm_config *cfg, uint64_t at, uint8_t *buf, uint64_t size)
{
	const uint64_t xsdt = 0x40, fadt = 0x80, dsdt = fadt + 0x120, madt = dsdt + 0x60;
	uint64_t need = madt + ACPI_HDR + 8 + ACPI_X2APIC_SIZE * cfg->nvcpus + ACPI_IOAPIC_SIZE +
			(com1_irq(cfg) >= 0 ? ACPI_ISO_SIZE : 0);

	if (size < need || cfg->nvcpus > VM_MAX_VCPUS)
		return 0;
	memset(buf, 0, need);
	memcpy(buf, "RSD PTR ", 8);
	memcpy(buf + 9, ACPI_OEM_ID, 6);
	buf[15] = 2;
	x86_put(buf + 20, 4, ACPI_RSDP_SIZE);
	x86_put(buf + 24, 8, at + xsdt);
	buf[8] = checksum(buf, 20);
	buf[32] = checksum(buf, ACPI_RSDP_SIZE);

	header(buf + xsdt, "XSDT", ACPI_HDR + 16, 1);
	x86_put(buf + xsdt + ACPI_HDR, 8, at + fadt);
	x86_put(buf + xsdt + ACPI_HDR + 8, 8, at + madt);
	finish(buf + xsdt);

	dsdt_build(buf + dsdt, cfg);

	fadt_build(buf + fadt, at + dsdt);
	madt_build(buf + madt, cfg);
	return need;
}

enum x86_acpi_pm x86_acpi_pm_access(uint16_t port, unsigned width, bool write, uint64_t value)
{
	enum x86_acpi_pm what = X86_ACPI_PM_NONE;

	for (unsigned i = 0; i < width && i < 8; i++) {
		uint32_t p = (uint32_t)port + i;
		uint8_t b = (uint8_t)(value >> (8 * i));

		if (p < X86_ACPI_SLEEP_CTL || p > X86_ACPI_RESET_PORT)
			continue;
		if (what == X86_ACPI_PM_NONE)
			what = X86_ACPI_PM_DONE;
		if (!write)
			continue;
		if (p == X86_ACPI_SLEEP_CTL && (b & X86_ACPI_SLP_EN) &&
		    ((b >> 2) & 7u) == X86_ACPI_SLP_TYP_S5)
			what = X86_ACPI_PM_OFF;
		if (p == X86_ACPI_RESET_PORT && b == X86_ACPI_RESET_VALUE &&
		    what != X86_ACPI_PM_OFF)
			what = X86_ACPI_PM_RESET;
	}
	return what;
}
