/* SPDX-License-Identifier: MIT */
/*
 * Image entry. The loader starts us in direct-address (DA) mode at PLV0 with interrupts off; a0..a2
 * hold its boot information (zero up to QEMU 7.2), which la_boot_main reads (la_bootinfo.c). We switch to mapped mode with two direct-mapped windows (see
 * include/arch/loongarch.h) before any C code runs, because DA mode gives every load and store
 * the one memory type in CRMD.DATM: RAM and device registers cannot both be right in it, and real
 * hardware must not see UART accesses as cacheable. The windows keep RAM at its physical address,
 * so nothing moves and no page table is needed.
 */
#include <arch/loongarch.h>

	.section .text.head, "ax"
	.globl _start
_start:
	/*
	 * Only CPU 0 boots. QEMU's loader starts every CPU here at once; the others must not touch
	 * memory the boot CPU is about to clear, so they wait in la_mailbox_wait until the boot
	 * CPU hands them an address.
	 */
	csrrd	$t0, LA_CSR_CPUID
	andi	$t0, $t0, LA_CPUID_COREID_MASK
	bnez	$t0, la_mailbox_wait

	/* Stale translations from a previous boot stage must not shadow the windows. */
	invtlb	LA_INVTLB_ALL, $zero, $zero

	li.d	$t0, (LA_CACHED_VSEG << LA_DMW_VSEG_SHIFT) | LA_DMW_MAT_CC | LA_DMW_PLV0
	csrwr	$t0, LA_CSR_DMW0
	li.d	$t0, (LA_UNCACHED_VSEG << LA_DMW_VSEG_SHIFT) | LA_DMW_MAT_SUC | LA_DMW_PLV0
	csrwr	$t0, LA_CSR_DMW1

	/*
	 * The exception stack, then the entries that use it: any fault from here on is reported,
	 * not a hang. One entry for every exception (ECFG.VS = 0), every interrupt line masked.
	 */
	li.d	$t2, 0
	bl	la_cpu_vectors

	/* CPU 0's boot stack: the first slice of the boot stacks. */
	la.pcrel $sp, __pv_stacks_start
	li.d	$t0, CONFIG_BOOT_STACK_SIZE
	add.d	$sp, $sp, $t0

	/*
	 * Mapped mode, PLV0, interrupts off. DATF/DATM only matter when the TLB-refill entry drops
	 * back to DA mode: fetch cached, data uncached, so the panic path can still reach the UART.
	 * Execution continues at the same address, now translated by DMW0.
	 */
	li.d	$t0, LA_CRMD_PG | LA_CRMD_DATF_CC | LA_CRMD_DATM_SUC
	csrwr	$t0, LA_CSR_CRMD

	la.pcrel $t0, __bss_start
	la.pcrel $t1, __bss_end
1:	bgeu	$t0, $t1, 2f
	st.d	$zero, $t0, 0
	addi.d	$t0, $t0, 8
	b	1b
2:
	/* A zero frame pointer ends backtraces here. */
	move	$fp, $zero
	bl	la_boot_main
	/* la_boot_main does not return; stop here if it ever does. */
	b	.Lpark

.Lpark:
	idle	0
	b	.Lpark

/*
 * Exception stack (slice t2 of la_exc_stacks) and entries of the calling CPU; DMW windows.
 * Clobbers t0, t1. Runs in DA mode: only registers and CSRs.
 */
la_cpu_vectors:
	la.pcrel $t0, la_exc_stacks
	li.d	$t1, LA_EXC_STACK_SIZE
	addi.d	$t2, $t2, 1
	mul.d	$t1, $t1, $t2
	addi.d	$t2, $t2, -1
	add.d	$t0, $t0, $t1
	csrwr	$t0, LA_CSR_SAVE0
	csrwr	$zero, LA_CSR_SAVE1
	la.pcrel $t0, la_exc_entry
	csrwr	$t0, LA_CSR_EENTRY
	la.pcrel $t0, la_tlbr_entry
	csrwr	$t0, LA_CSR_TLBRENTRY
	csrwr	$zero, LA_CSR_ECFG
	jr	$ra

/*
 * Secondary CPUs wait here, interrupts off, for the boot CPU to write an address into their
 * mailbox 0 (IOCSR 0x1020) and send an IPI, then jump there (la_secondary_start). Idle wakes on
 * the pending IPI because ECFG.LIE enables its line even with CRMD.IE clear.
 */
	.globl	la_mailbox_wait
la_mailbox_wait:
	li.d	$t0, LA_ESTAT_IS_IPI
	csrwr	$t0, LA_CSR_ECFG
	li.d	$t0, -1
	li.d	$t1, LA_IOCSR_IPI_EN
	iocsrwr.w $t0, $t1
	li.d	$t1, LA_IOCSR_IPI_MBUF0
1:	iocsrrd.d $t0, $t1
	bnez	$t0, 2f
	idle	0
	b	1b
2:	li.d	$t1, LA_IOCSR_IPI_STATUS
	iocsrrd.w $t2, $t1
	li.d	$t1, LA_IOCSR_IPI_CLEAR
	iocsrwr.w $t2, $t1
	jr	$t0

/* A secondary CPU's first instruction in the hypervisor: as _start, minus .bss and a0..a2. */
	.globl	la_secondary_start
la_secondary_start:
	invtlb	LA_INVTLB_ALL, $zero, $zero
	li.d	$t0, (LA_CACHED_VSEG << LA_DMW_VSEG_SHIFT) | LA_DMW_MAT_CC | LA_DMW_PLV0
	csrwr	$t0, LA_CSR_DMW0
	li.d	$t0, (LA_UNCACHED_VSEG << LA_DMW_VSEG_SHIFT) | LA_DMW_MAT_SUC | LA_DMW_PLV0
	csrwr	$t0, LA_CSR_DMW1
	csrrd	$t2, LA_CSR_CPUID
	andi	$t2, $t2, LA_CPUID_COREID_MASK
	bl	la_cpu_vectors
	/* Boot stack slice t2. */
	la.pcrel $sp, __pv_stacks_start
	li.d	$t0, CONFIG_BOOT_STACK_SIZE
	addi.d	$t1, $t2, 1
	mul.d	$t0, $t0, $t1
	add.d	$sp, $sp, $t0
	li.d	$t0, LA_CRMD_PG | LA_CRMD_DATF_CC | LA_CRMD_DATM_SUC
	csrwr	$t0, LA_CSR_CRMD
	move	$fp, $zero
	move	$a0, $t2
	bl	la_secondary_main
	b	.Lpark

	/* Per-CPU stacks for the exception entries; zeroed with the rest of .bss. */
	.section .bss.la_exc_stacks, "aw", @nobits
	.balign	16
	.globl	la_exc_stacks
la_exc_stacks:
	.space	LA_EXC_STACK_SIZE * CONFIG_MAX_CPUS
