// SPDX-License-Identifier: MIT
/*
 * The H extension on the current hart: detection (probe) and the per-hart hypervisor CSR defaults
 * (cpu_enable / cpu_disable). The rest of the vcpu_ops table is in vcpu.c and vexit.c.
 */
#include <hal/hal.h>
#include <pv/fmt.h>
#include <riscv64/backend.h>
#include <riscv64/cpu.h>
#include <riscv64/csr.h>
#include <riscv64/fixup.h>
#include <riscv64/guest_cpu.h>
#include <riscv64/hfence.h>
#include <riscv64/plic.h>
#include <riscv64/vcpu.h>
#include <string.h>

#ifdef CONFIG_RISCV_S2_SV48X4
#define IS_ENABLED_SV48X4 1
#else
#define IS_ENABLED_SV48X4 0
#endif

/* What probe() established on the boot hart; every hart of a QEMU virt machine is the same. */
static struct {
	bool present;
	unsigned vmid_bits;
	bool sv48x4;
} riscv_h;

/*
 * Exceptions a VS-mode kernel handles itself: its user space's ecalls, its own page faults,
 * breakpoints and misaligned fetches. Everything else (guest-page faults, virtual instructions,
 * SBI calls from VS-mode, illegal instructions) stays with the hypervisor. The firmware already
 * delegates all of these to HS-mode (medeleg), which hedeleg requires.
 */
#define RISCV_HEDELEG                                                                              \
	(PV_BIT(EXC_INST_MISALIGNED) | PV_BIT(EXC_BREAKPOINT) | PV_BIT(EXC_ECALL_U) |              \
	 PV_BIT(EXC_INST_PAGE_FAULT) | PV_BIT(EXC_LOAD_PAGE_FAULT) | PV_BIT(EXC_STORE_PAGE_FAULT))

/* VS-level software, timer and external interrupts go straight to the guest kernel. */
#define RISCV_HIDELEG (PV_BIT(IRQ_VS_SOFT) | PV_BIT(IRQ_VS_TIMER) | PV_BIT(IRQ_VS_EXT))

/* Writes hgatp and reads it back; false if the CSR does not exist (the access trapped). */
static bool hgatp_try(uint64_t value, uint64_t *readback)
{
	uint64_t v = 0;
	bool trapped;

	RISCV_CSR_TRY_WRITE(CSR_HGATP, value, trapped);
	if (!trapped)
		RISCV_CSR_TRY_READ(CSR_HGATP, v, trapped);
	*readback = trapped ? 0 : v;
	return !trapped;
}

static unsigned count_low_ones(uint64_t v)
{
	unsigned n = 0;

	while (v & 1u) {
		n++;
		v >>= 1;
	}
	return n;
}

/* Whether VS-stage translation mode @mode exists: vsatp is WARL, and a write of a mode the hart
 * lacks leaves it unchanged (or at least not in that mode). No guest runs yet. */
static bool vsatp_mode_ok(unsigned mode)
{
	uint64_t v;

	csr_write(CSR_VSATP, (uint64_t)mode << 60);
	csr_read(CSR_VSATP, v);
	csr_write(CSR_VSATP, 0);
	return (v >> 60) == mode;
}

/* What the VMs' device trees offer (riscv64/guest_cpu.h): the allow-listed extensions the boot
 * hart has, Sstc only where henvcfg.STCE works (riscv_info.sstc), the timebase, and the largest
 * VS-stage mode among those the hart's own mmu-type allows. */
static void riscv_guest_cpu_probe(void)
{
	static const struct {
		const char *name;
		unsigned mode;
	} mmu[] = { { "riscv,sv57", RV_SATP_SV57 }, { "riscv,sv48", RV_SATP_SV48 } };
	unsigned satp = RV_SATP_SV39;
	uint64_t exts = 0;

	for (unsigned i = 0; i < RV_GX_COUNT; i++)
		if (riscv_isa_has(rv_guest_ext_names[i]))
			exts |= 1ULL << i;
	if (!riscv_info.sstc)
		exts &= ~(1ULL << RV_GX_SSTC);
	for (unsigned i = 0; riscv_info.boot_mmu && i < sizeof(mmu) / sizeof(mmu[0]); i++)
		if (strcmp(riscv_info.boot_mmu, mmu[i].name) == 0) {
			satp = mmu[i].mode;
			break;
		}
	while (satp > RV_SATP_SV39 && !vsatp_mode_ok(satp))
		satp--;
	rv_guest_cpu.exts = exts;
	rv_guest_cpu.timebase_hz = riscv_info.timebase_hz;
	rv_guest_cpu.satp_max = satp;
}

void riscv_h_probe(struct vcpu_hw_info *info)
{
	bool in_isa = riscv_isa_has("h");
	bool trapped;
	uint64_t rb;

	/* hgatp is WARL: unimplemented VMID bits read back as zero, an unsupported MODE does not
	 * read back as written. PPN 0 is harmless: nothing runs in a guest during the probe. */
	if (!hgatp_try((HGATP_MODE_SV39X4 << HGATP_MODE_SHIFT) | HGATP_VMID_MASK, &rb)) {
		info->supported = false;
		pv_snprintf(info->summary, sizeof(info->summary),
			    "H extension absent (%s riscv,isa; hgatp access traps)",
			    in_isa ? "named in" : "not in");
		return;
	}
	riscv_h.present = true;
	riscv_h.vmid_bits = count_low_ones((rb & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT);
	if ((rb >> HGATP_MODE_SHIFT) != HGATP_MODE_SV39X4) {
		hgatp_try(0, &rb);
		riscv_h.present = false;
		info->supported = false;
		pv_snprintf(info->summary, sizeof(info->summary),
			    "H extension present but without Sv39x4 G-stage translation");
		return;
	}
	hgatp_try(HGATP_MODE_SV48X4 << HGATP_MODE_SHIFT, &rb);
	riscv_h.sv48x4 = (rb >> HGATP_MODE_SHIFT) == HGATP_MODE_SV48X4;
	hgatp_try(0, &rb);
	riscv_hfence_gvma_all();
	RISCV_CSR_TRY_READ(CSR_SENVCFG, rb, trapped);
	riscv_info.senvcfg = !trapped;
	riscv_guest_cpu_probe();

	info->supported = true;
	pv_snprintf(info->summary, sizeof(info->summary),
		    "H extension present%s, %s, VMID bits %u, %s",
		    in_isa ? "" : " (not in riscv,isa)", riscv_info.sstc ? "Sstc" : "no Sstc",
		    riscv_h.vmid_bits, riscv_h.sv48x4 ? "Sv39x4 Sv48x4" : "Sv39x4");
}

/* Writes a WARL CSR value and checks every bit stuck; prints what did not. */
#define RISCV_WRITE_CHECKED(csr, name, want, ok)                                                   \
	do {                                                                                       \
		uint64_t got_;                                                                     \
		csr_write(csr, want);                                                              \
		csr_read(csr, got_);                                                               \
		if (got_ != (want)) {                                                              \
			hal_printf("cpu %u: %s reads 0x%llx after writing 0x%llx\n",               \
				   hal_cpu.cpu_id(), name, (unsigned long long)got_,               \
				   (unsigned long long)(want));                                    \
			ok = false;                                                                \
		}                                                                                  \
	} while (0)

void riscv_h_cpu_disable(void)
{
	if (!riscv_h.present)
		return;
	csr_write(CSR_HGATP, 0);
	csr_write(CSR_HEDELEG, 0);
	csr_write(CSR_HIDELEG, 0);
	csr_write(CSR_HVIP, 0);
	csr_write(CSR_HIE, 0);
	csr_write(CSR_HGEIE, 0);
	csr_write(CSR_HCOUNTEREN, 0);
	csr_write(CSR_HENVCFG, 0);
	riscv_hfence_gvma_all();
}

int riscv_h_cpu_enable(void)
{
	/* VSXL = 2: VS-mode is 64-bit. VTW: a guest's WFI traps, so an idle vCPU becomes a HALT
	 * exit instead of holding the hart. */
	uint64_t hstatus = (2ULL << HSTATUS_VSXL_SHIFT) | HSTATUS_VTW;
	uint64_t henvcfg = riscv_info.sstc ? HENVCFG_STCE : 0;
	bool ok = true;

	if (!riscv_h.present) {
		hal_printf("cpu %u: the H extension was not found by the probe\n",
			   hal_cpu.cpu_id());
		return -PV_ENOTSUP;
	}
	if (IS_ENABLED_SV48X4 && !riscv_h.sv48x4) {
		hal_printf("cpu %u: Sv48x4 G-stage translation is configured but absent\n",
			   hal_cpu.cpu_id());
		return -PV_ENOTSUP;
	}
	RISCV_WRITE_CHECKED(CSR_HSTATUS, "hstatus", hstatus, ok);
	RISCV_WRITE_CHECKED(CSR_HEDELEG, "hedeleg", RISCV_HEDELEG, ok);
	RISCV_WRITE_CHECKED(CSR_HIDELEG, "hideleg", RISCV_HIDELEG, ok);
	/* Nothing injected, no guest-external interrupt enabled, guest time = host time. */
	RISCV_WRITE_CHECKED(CSR_HVIP, "hvip", 0, ok);
	RISCV_WRITE_CHECKED(CSR_HIE, "hie", 0, ok);
	csr_write(CSR_HGEIE, 0);
	csr_write(CSR_HTIMEDELTA, 0);
	/* Guests read time (the host timebase, which says nothing about other VMs). cycle and
	 * instret count whatever the hart ran, the hypervisor and other VMs included, and the
	 * hardware performance counters likewise: all hidden (a read is an illegal instruction
	 * for the guest; docs/riscv64.md, "CPU state"). */
	RISCV_WRITE_CHECKED(CSR_HCOUNTEREN, "hcounteren", HCOUNTEREN_TM, ok);
	/* STCE gives VS-mode its own vstimecmp, so guest timers need no SBI round trip. */
	RISCV_WRITE_CHECKED(CSR_HENVCFG, "henvcfg", henvcfg, ok);
	csr_write(CSR_HGATP, 0);
	riscv_hfence_gvma_all();
	/* Another hart's kick (an SBI IPI) and the hart's own timer (the scheduler's slices, the
	 * no-Sstc guest timer: hal/hv_timer.h) must end a guest's run or the hart's idle wait. The
	 * hypervisor itself keeps sstatus.SIE clear, so they are only ever taken while a guest
	 * runs. Guests use FP: FS must not be Off for VS-mode to reach it. */
	csr_set(CSR_SIE, SIP_SSIP | SIP_STIP);
	/* Physical interrupts of devices VMs own (passthrough), through the PLIC. */
	riscv_plic_cpu_init();
	csr_set(CSR_SSTATUS, SSTATUS_FS_INITIAL);
	if (!ok) {
		riscv_h_cpu_disable();
		return -PV_ENOTSUP;
	}
	return PV_OK;
}

unsigned riscv_h_vmid_bits(void)
{
	return riscv_h.vmid_bits;
}
