// SPDX-License-Identifier: MIT
/*
 * EL2 virtualization support: what the CPU offers (probe) and the per-CPU EL2 state every guest
 * relies on (cpu_enable). Creating and running vCPUs comes later; those members stay NULL.
 */
#include <a64/backend.h>
#include <a64/cpu.h>
#include <a64/sysreg.h>
#include <hal/hal.h>
#include <pv/fmt.h>

/*
 * EL2 defaults with no guest loaded: EL1 is AArch64; physical IRQ, FIQ and SError go to EL2 so a
 * guest can never mask the hypervisor's interrupts; guest SMCs (PSCI) trap to EL2; guest TLB and
 * instruction-cache maintenance is broadcast (FB) and its barriers act inner-shareable (BSU), as
 * a vCPU may move between CPUs; set/way invalidation is upgraded to clean+invalidate so a guest
 * cannot discard dirty lines that are not its own.
 * HCR_EL2.VM stays 0 until a vCPU attaches a stage-2 space.
 */
#define A64_HCR_HOST                                                                               \
	(HCR_RW | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | HCR_TSC)

static void a64_probe(struct vcpu_hw_info *info)
{
	unsigned el = a64_current_el();
	unsigned parange, gic, vmid_bits;
	char gic_desc[48];

	if (el != 2) {
		info->supported = false;
		pv_snprintf(info->summary, sizeof(info->summary), "running at EL%u, not EL2", el);
		return;
	}

	parange = a64_id_field(a64_read_id_aa64mmfr0_el1(), ID_AA64MMFR0_PARANGE_SHIFT);
	vmid_bits = 8;
	if (a64_id_field(a64_read_id_aa64mmfr1_el1(), ID_AA64MMFR1_VMIDBITS_SHIFT) == 2)
		vmid_bits = 16;
	gic = a64_id_field(a64_read_id_aa64pfr0_el1(), ID_AA64PFR0_GIC_SHIFT);
	if (!gic)
		pv_snprintf(gic_desc, sizeof(gic_desc), "no GICv3 CPU interface");
	else if (!a64_gic_sysreg)
		pv_snprintf(gic_desc, sizeof(gic_desc), "GICv3 system registers disabled");
	else
		pv_snprintf(gic_desc, sizeof(gic_desc), "%s vCPU interface with %u list registers",
			    gic >= 3 ? "GICv4.1" : "GICv3",
			    ICH_VTR_LISTREGS(a64_read_ich_vtr_el2()));

	info->supported = true;
	pv_snprintf(info->summary, sizeof(info->summary), "EL2 present, %s, %u-bit PA, %u-bit VMID",
		    gic_desc, a64_parange_bits(parange), vmid_bits);
}

static int a64_cpu_enable(void)
{
	uint64_t hcr;

	if (a64_current_el() != 2) {
		hal_printf("cpu %u: not at EL2\n", a64_cpu_index());
		return -PV_ENOTSUP;
	}
	a64_write_vbar_el2((uintptr_t)a64_el2_vectors);
	a64_write_vttbr_el2(0);
	a64_write_cntvoff_el2(0);
	if (a64_gic_sysreg)
		a64_write_ich_hcr_el2(0); /* virtual CPU interface off until a vCPU loads it */
	a64_write_hcr_el2(A64_HCR_HOST);
	a64_isb();

	hcr = a64_read_hcr_el2();
	if ((hcr & A64_HCR_HOST) != A64_HCR_HOST) {
		hal_printf("cpu %u: HCR_EL2 reads 0x%llx after writing 0x%llx\n", a64_cpu_index(),
			   (unsigned long long)hcr, (unsigned long long)A64_HCR_HOST);
		return -PV_ENOTSUP;
	}
	return PV_OK;
}

/* Back to what a CPU with no guest needs: no traps, no stage 2, EL1 still AArch64. */
static void a64_cpu_disable(void)
{
	if (a64_gic_sysreg)
		a64_write_ich_hcr_el2(0);
	a64_write_hcr_el2(HCR_RW);
	a64_write_vttbr_el2(0);
	a64_isb();
}

const struct vcpu_ops a64_vcpu_ops = {
	.probe = a64_probe,
	.cpu_enable = a64_cpu_enable,
	.cpu_disable = a64_cpu_disable,
};
