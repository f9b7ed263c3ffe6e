// SPDX-License-Identifier: MIT
/*
 * LVZ, the LoongArch virtualization extension: detection and per-CPU enable. Every access to an
 * LVZ register (GSTAT, GCFG, GTLBC, GINTC, any GCSR) is gated on CPUCFG2.LVZ: stock QEMU lacks LVZ
 * yet lets those reads complete instead of trapping, so reading them there would report made-up
 * capabilities.
 *
 * The register layouts follow what Linux's KVM port relies on; Loongson has not published the LVZ
 * volume of the manual. Checked against a TCG model of LVZ (see docs/loongarch64.md), not on
 * hardware.
 */
#include <arch/loongarch.h>
#include <hal/hal.h>
#include <pv/fmt.h>

#include "la_hw.h"
#include "la_internal.h"
#include "la_vcpu.h"

unsigned la_gid_max;

/* STLBPS.PS: the page size of the TLB's fixed-size part, the stage-2 page size. */
#define LA_STLBPS_16K 14

/*
 * Whether the guest timer stands still in root mode (la_vtimer.c): started from the root with a
 * long count, does its TVAL move within 10 us? The TCG model of LVZ runs it only in guest mode.
 */
static bool la_vtimer_probe_stops(void)
{
	uint64_t wait = hal_cpu.timer_freq() / 100000 + 1;
	uint64_t t0, before, after;

	la_hw_gcsr_write(LA_GCSR_TCFG, (1ULL << 30) | LA_TCFG_EN);
	before = la_hw_gcsr_read(LA_GCSR_TVAL);
	t0 = la_rdtime();
	while (la_rdtime() - t0 < wait)
		;
	after = la_hw_gcsr_read(LA_GCSR_TVAL);
	la_hw_gcsr_write(LA_GCSR_TCFG, 0);
	return before == after;
}

void la_lvz_probe(struct vcpu_hw_info *info)
{
	uint32_t cfg2 = la_cpucfg(LA_CPUCFG2);
	unsigned version, gid_bits;
	uint64_t gcfg;

	if (!(cfg2 & LA_CPUCFG2_LVZ)) {
		info->supported = false;
		pv_snprintf(info->summary, sizeof(info->summary), "LVZ absent (CPUCFG2.LVZ=0)");
		return;
	}

	la_fp_probe();
	la_guest_vendor = la_iocsr_read64(LA_IOCSR_VENDOR);
	la_guest_cpuname = la_iocsr_read64(LA_IOCSR_CPUNAME);
	la_vtimer_width_mask = la_timer_width_mask();
	la_vtimer_stops_in_root = la_vtimer_probe_stops();
	hal_printf("loongarch64: guest timer %s in root mode\n",
		   la_vtimer_stops_in_root ? "stops" : "keeps counting");
	hal_printf("loongarch64: guest FP state switched per vCPU: %s\n",
		   la_fp_width == LA_FP_LASX	 ? "f0..f31 as LASX xr0..xr31, FCC, FCSR0"
		   : la_fp_width == LA_FP_LSX	 ? "f0..f31 as LSX vr0..vr31, FCC, FCSR0"
		   : la_fp_width == LA_FP_SCALAR ? "f0..f31, FCC, FCSR0"
						 : "none (no 64-bit FP: hidden from guests)");
	version = (cfg2 >> LA_CPUCFG2_LVZVER_SHIFT) & LA_CPUCFG2_LVZVER_MASK;
	gid_bits = (unsigned)((la_csr_read(LA_CSR_GSTAT) >> LA_GSTAT_GIDBIT_SHIFT) &
			      LA_GSTAT_GIDBIT_MASK);
	gcfg = la_csr_read(LA_CSR_GCFG);
	la_gid_max = gid_bits >= 8 ? 255u : (1u << gid_bits) - 1u;
	info->supported = la_gid_max > 0;
	pv_snprintf(info->summary, sizeof(info->summary),
		    "LVZ present, version %u, %u guest-ID bits, GCFG 0x%llx", version, gid_bits,
		    (unsigned long long)gcfg);
	/* The summary has no room for the capability list; developers want it when porting. */
	hal_printf("loongarch64: GCFG capabilities:%s%s%s%s%s%s%s%s%s%s%s\n",
		   (gcfg & LA_GCFG_TORUP) ? " trap-unimplemented-CSR" : "",
		   (gcfg & LA_GCFG_TOPP) ? " trap-PLV-change" : "",
		   (gcfg & LA_GCFG_TOEP) ? " trap-ertn" : "",
		   (gcfg & LA_GCFG_TITP) ? " trap-timer" : "",
		   (gcfg & LA_GCFG_SITP) ? " trap-soft-int" : "",
		   (gcfg & LA_GCFG_MATP_GUEST) ? " memtype-guest" : "",
		   (gcfg & LA_GCFG_MATP_ROOT) ? " memtype-root" : "",
		   (gcfg & LA_GCFG_MATP_NEST) ? " memtype-nest" : "",
		   (gcfg & LA_GCFG_GCIP_ALL) ? " cacheop-trap-all" : "",
		   (gcfg & LA_GCFG_GCIP_HIT) ? " cacheop-trap-hit" : "",
		   (gcfg & LA_GCFG_GCIP_SECURE) ? " cacheop-trap-secure" : "");
}

/* Invalidates the GPA->HPA and guest entries of every guest ID on this CPU. */
static void la_invtlb_all_guests(void)
{
	__asm__ volatile("invtlb %0, $zero, $zero" : : "i"(LA_INVTLB_ALLGID) : "memory");
}

/*
 * Root defaults for guests: no guest mode pending (GSTAT 0), no injected interrupts (GINTC 0),
 * guests own their CSRs, timer and ertn (no trap bits), the memory type of a guest access comes
 * from the root's GPA mapping where the CPU allows it, and guest cache operations other than hit
 * and index invalidation trap where that can be chosen. GCFG is written whole, so GPERF is 0: no
 * performance counter belongs to guests. Every guest reads the root's stable counter unchanged
 * (GCNTC 0). The root's LLBCTL.KLO is clear, so each ertn into a guest clears the LL/SC bit.
 * Root TLB instructions address the guest ID in GTLBC.TGID, and guest TLB instructions do not
 * trap. (docs/loongarch64.md tabulates the guest-visible state.)
 */
int la_lvz_cpu_enable(void)
{
	uint64_t caps, gcfg = 0, gtlbc;

	if (!la_has_lvz()) {
		hal_printf("loongarch64: cpu %u has no LVZ (CPUCFG2.LVZ=0)\n", hal_cpu.cpu_id());
		return -PV_ENOTSUP;
	}

	/* Whatever the loader left: the hypervisor runs with every extended unit off (la_fp.c). */
	la_csr_write(LA_CSR_EUEN, 0);
	caps = la_csr_read(LA_CSR_GCFG);
	if (caps & LA_GCFG_GCIP_SECURE)
		gcfg |= LA_GCFG_GCI_SECURE;
	if (caps & LA_GCFG_MATP_ROOT)
		gcfg |= LA_GCFG_MATC_ROOT;
	la_csr_write(LA_CSR_GCFG, gcfg);
	la_csr_write(LA_CSR_GSTAT, 0);
	la_csr_write(LA_CSR_GINTC, 0);
	la_csr_write(LA_CSR_GCNTC, 0);
	la_csr_write(LA_CSR_LLBCTL, 0);

	gtlbc = la_csr_read(LA_CSR_GTLBC);
	gtlbc &= ~(uint64_t)(LA_GTLBC_USETGID | LA_GTLBC_TOTI);
	gtlbc |= LA_GTLBC_USETGID;
	la_csr_write(LA_CSR_GTLBC, gtlbc);

	/* Entries a previous owner of the CPU left behind would alias our guest IDs. */
	la_invtlb_all_guests();

	/* GPA pages go into the TLB's fixed-size part. The timer and IPI lines may end an idle
	 * and make a guest exit; they are never taken in root mode (CRMD.IE stays clear). */
	la_csr_write(LA_CSR_STLBPS, LA_STLBPS_16K);
	la_csr_write(LA_CSR_ECFG, LA_ESTAT_IS_TIMER | LA_ESTAT_IS_IPI);
	la_iocsr_write32(LA_IOCSR_IPI_EN, 0xffffffffu);
	return PV_OK;
}

void la_lvz_cpu_disable(void)
{
	if (!la_has_lvz())
		return;
	la_csr_write(LA_CSR_GCFG, 0);
	la_csr_write(LA_CSR_GSTAT, 0);
	la_csr_write(LA_CSR_GINTC, 0);
	la_csr_write(LA_CSR_GTLBC,
		     la_csr_read(LA_CSR_GTLBC) & ~(uint64_t)(LA_GTLBC_USETGID | LA_GTLBC_TOTI));
	la_invtlb_all_guests();
}
