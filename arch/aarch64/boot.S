/* SPDX-License-Identifier: MIT */
/*
 * Entry of the hypervisor image on the boot CPU. Loaders (QEMU -kernel, or a boot loader using the
 * arm64 Image convention) jump here with the MMU off; x0 holds the DTB address or 0. Firmware
 * starts only the boot CPU: the others stay off until a PSCI CPU_ON names their own entry.
 */

	.section .text.boot, "ax"
	.global _start
	.type _start, %function
_start:
	msr	daifset, #0xf
	mov	x19, x0				/* DTB from the loader */
	/* Run on SP_EL2 itself, the stack exceptions taken at EL2 use (harmless below EL2). */
	msr	spsel, #1

	/*
	 * Each CPU owns stack slot Aff0. A CPU outside the single-cluster numbering would share
	 * or overrun a slot, so it stops here.
	 */
	mrs	x1, mpidr_el1
	mov	x2, #0xff00
	movk	x2, #0xff, lsl #16
	movk	x2, #0xff, lsl #32
	tst	x1, x2
	b.ne	.Lpark
	and	x1, x1, #0xff
	cmp	x1, #CONFIG_MAX_CPUS
	b.hs	.Lpark

	ldr	x2, =__pv_stacks_start
	ldr	x3, =CONFIG_BOOT_STACK_SIZE
	madd	x2, x1, x3, x2
	add	sp, x2, x3

	/* .bss is zeroed before any C runs; the stacks live outside it. */
	ldr	x2, =__pv_bss_start
	ldr	x3, =__pv_bss_end
1:	cmp	x2, x3
	b.hs	2f
	str	xzr, [x2], #8
	b	1b
2:
	mov	x29, xzr			/* ends the frame chain for backtraces */
	mov	x30, xzr
	mov	x0, x19
	mrs	x1, CurrentEL
	lsr	x1, x1, #2
	bl	a64_boot

.Lpark:
	wfe
	b	.Lpark
	.size _start, . - _start
	.ltorg

/*
 * Secondary CPUs, started by PSCI CPU_ON with this entry and their index as context (x0). They
 * arrive at EL2 with the MMU off, take their own stack slot and continue in a64_secondary_boot.
 */
	.global a64_secondary_entry
	.type a64_secondary_entry, %function
a64_secondary_entry:
	msr	daifset, #0xf
	msr	spsel, #1
	mov	x19, x0
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	cmp	x1, #CONFIG_MAX_CPUS
	b.hs	.Lpark
	ldr	x2, =__pv_stacks_start
	ldr	x3, =CONFIG_BOOT_STACK_SIZE
	madd	x2, x1, x3, x2
	add	sp, x2, x3
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x19
	bl	a64_secondary_boot
	b	.Lpark
	.size a64_secondary_entry, . - a64_secondary_entry
	.ltorg

/* uint64_t a64_smc_call(fn, a1, a2, a3): SMCCC preserves x18..x30, so nothing to save here. */
	.text
	.global a64_smc_call
	.type a64_smc_call, %function
a64_smc_call:
	smc	#0
	ret
	.size a64_smc_call, . - a64_smc_call
