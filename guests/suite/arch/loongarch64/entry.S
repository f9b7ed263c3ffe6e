/* SPDX-License-Identifier: MIT */
/*
 * Entry, exception vector and fault probes of the guest suite on loongarch64. The guest runs at
 * PLV0 in direct-address mode; its exceptions arrive here (EENTRY), interrupts included.
 */
#define G_STACK_SIZE 16384
#define CSR_CRMD     0x0
#define CSR_PRMD     0x1
#define CSR_EUEN     0x2
#define CSR_ERA	     0x6
#define CSR_EENTRY   0xc
#define CSR_CPUID    0x20
#include <guest/modes.h>

/* sp = top of the stack of vCPU (CPUID), EENTRY, FP enabled for the context check. */
.macro g_cpu_setup
	csrrd	$t0, CSR_CPUID
	andi	$t0, $t0, 0x1ff
	addi.d	$t0, $t0, 1
	li.d	$t1, G_STACK_SIZE
	mul.d	$t0, $t0, $t1
	la.pcrel $sp, __g_stacks
	add.d	$sp, $sp, $t0
	la.pcrel $t0, g_exc_entry
	csrwr	$t0, CSR_EENTRY
	/* FPE, and SXE / ASXE where CPUCFG2 offers LSX (bit 6) / LASX (bit 7). */
	li.d	$t1, 2
	cpucfg	$t1, $t1
	srli.d	$t1, $t1, 5
	andi	$t1, $t1, 6
	ori	$t0, $t1, 1
	csrwr	$t0, CSR_EUEN
	move	$fp, $zero
.endm

	.section .text.g_start, "ax"
	.globl	g_start
g_start:			/* a0: boot argument (guest/modes.h) */
	move	$s0, $a0
	g_cpu_setup
	la.pcrel $t0, __g_bss_start
	la.pcrel $t1, __g_bss_end
1:	bgeu	$t0, $t1, 2f
	st.d	$zero, $t0, 0
	addi.d	$t0, $t0, 8
	b	1b
2:	li.d	$t0, G_MODE_BAD
	bne	$s0, $t0, 5f
	bl	g_fp_dirty	/* what vm1's vCPU 1, on the same CPU, must not see */
5:	bl	g_init_cpu
	move	$a0, $s0
	bl	g_main
3:	b	3b

/* A vCPU started by the CPU_ON hypercall: a0 = the C function to run. */
	.globl	g_secondary_start
g_secondary_start:
	move	$s0, $a0
	g_cpu_setup
	bl	g_fp_check_clean
	bl	g_fp_report
	bl	g_init_cpu
	move	$a0, $s0
	bl	g_secondary_c
4:	b	4b

/* Exceptions: caller-saved registers on the interrupted stack, then C. */
	.text
	.balign	4096
g_exc_entry:
	addi.d	$sp, $sp, -160
	st.d	$ra, $sp, 0
	.irp	n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21
	st.d	$r\n, $sp, 8 * (\n - 3)
	.endr
	bl	g_trap
	ld.d	$ra, $sp, 0
	.irp	n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21
	ld.d	$r\n, $sp, 8 * (\n - 3)
	.endr
	addi.d	$sp, $sp, 160
	ertn

/*
 * bool g_probe(uint64_t addr, unsigned kind): one access of kind 0 read, 1 write, 2 fetch,
 * 3 IOCSR read at addr, 4 IOCSR read at addr from user mode (PLV3), 5 DBCL; returns 1 if it completed,
 * 0 if it faulted (g_trap resumes at the address in g_probe_resume, at PLV0). The user-mode
 * probe comes back to PLV0 through a syscall that resumes at the "completed" label.
 */
	.globl	g_probe
g_probe:
	la.pcrel $t0, g_probe_resume
	la.pcrel $t1, 9f
	st.d	$t1, $t0, 0
	dbar	0
	li.d	$t2, 1
	beq	$a1, $t2, 1f
	li.d	$t2, 2
	beq	$a1, $t2, 2f
	li.d	$t2, 3
	beq	$a1, $t2, 3f
	li.d	$t2, 4
	beq	$a1, $t2, 4f
	li.d	$t2, 5
	beq	$a1, $t2, 6f
	ld.d	$t2, $a0, 0
	b	8f
1:	st.d	$zero, $a0, 0
	b	8f
2:	jirl	$zero, $a0, 0	/* a fetch there faults */
	b	8f
3:	iocsrrd.w $t2, $a0
	b	8f
4:	li.d	$t2, 3		/* PPLV 3, PIE 0: ertn continues at 5f in user mode */
	csrwr	$t2, CSR_PRMD
	la.pcrel $t2, 5f
	csrwr	$t2, CSR_ERA
	ertn
5:	iocsrrd.w $t2, $a0
	la.pcrel $t1, 8f
	st.d	$t1, $t0, 0
	syscall	0
6:	dbcl	0
	b	8f
8:	li.d	$a0, 1
	b	10f
9:	li.d	$a0, 0
10:	st.d	$zero, $t0, 0
	jr	$ra
