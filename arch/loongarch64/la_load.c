// SPDX-License-Identifier: MIT
/*
 * Which vCPU's guest state each physical CPU holds, and the switch from one vCPU to another.
 * The core pins every vCPU to one CPU, so a vCPU's guest CSRs and FP / vector registers stay in
 * the CPU while it is the one loaded there and are copied out only when another vCPU takes the
 * CPU over.
 */
#include <hal/hal.h>

#include "la_hw.h"
#include "la_internal.h"
#include "la_vcpu.h"

/* The vCPU whose guest CSRs each CPU holds. Only that CPU reads or writes its slot. */
static struct la_vcpu *la_loaded[CONFIG_MAX_CPUS];

void la_vcpu_unload(const struct la_vcpu *v)
{
	for (unsigned cpu = 0; cpu < CONFIG_MAX_CPUS; cpu++)
		if (la_loaded[cpu] == v)
			la_loaded[cpu] = NULL;
}

void la_vcpu_load(struct la_vcpu *v)
{
	unsigned cpu = hal_cpu.cpu_id();
	struct la_vcpu *prev = la_loaded[cpu];
	uint64_t gid = (uint64_t)v->gid;
	struct la_fp *fp_out = NULL;

	if (prev == v && !__atomic_load_n(&v->gcsr_stale, __ATOMIC_SEQ_CST))
		return;
	if (prev && prev != v && !__atomic_load_n(&prev->gcsr_stale, __ATOMIC_SEQ_CST)) {
		la_gcsr_save(prev->gcsr);
		fp_out = &prev->fp;
	}
	__atomic_store_n(&v->gcsr_stale, false, __ATOMIC_SEQ_CST);
	la_gcsr_restore(v->gcsr);
	/* The FP / vector registers follow the guest CSRs: the CPU's belong to prev until here. */
	la_fp_switch(fp_out, &v->fp);
	la_loaded[cpu] = v;
	/*
	 * PGM: ertn enters guest mode. The guest ID tags the guest's TLB entries; root TLB
	 * instructions (the refill's tlbfill) use GTLBC.TGID where USETGID is honoured and the
	 * guest ID of a pending guest entry (GSTAT) otherwise.
	 */
	la_hw_csr_write(LA_CSR_GSTAT, LA_GSTAT_PGM | gid << LA_GSTAT_GID_SHIFT);
	la_hw_csr_write(LA_CSR_GTLBC,
			(la_hw_csr_read(LA_CSR_GTLBC) & ~(0xffULL << LA_GTLBC_TGID_SHIFT)) |
				LA_GTLBC_USETGID | gid << LA_GTLBC_TGID_SHIFT);
	/*
	 * Entries tagged with this guest ID that the CPU still holds are not this vCPU's: the
	 * guest ID tells VMs apart, not vCPUs of one VM (another vCPU's guest-virtual entries under
	 * the same ASID), nor this vCPU before it was restarted. Also, the TCG model of LVZ keys
	 * its translation cache by guest mode only, not by guest ID, and writing GSTAT does not
	 * flush it: without an invtlb here, a CPU that ran one VM and then another kept using the
	 * first VM's GPA translations. Only switches pay this, never an exit and re-entry of the
	 * same vCPU. A reused ID's flush (la_gid_take_flush) is covered by the same invtlb.
	 */
	(void)la_gid_take_flush(v->gid, cpu);
	la_hw_invtlb_gid(gid << LA_GSTAT_GID_SHIFT);
}
