/* SPDX-License-Identifier: MIT */
/*
 * What a riscv64 VM's harts offer its guest, as the guest's device tree says it (vm_desc.c): the
 * timebase, the ISA extensions the guest may use and the largest VS-stage translation mode. Only
 * extensions the backend really virtualises are ever named: an allow-list (enum rv_guest_ext) of
 * unprivileged extensions that need nothing from the hypervisor, plus Sstc (vstimecmp, enabled
 * through henvcfg.STCE) and the VS-stage MMU extensions. Never the H extension, vectors (the
 * hypervisor keeps sstatus.VS Off), counters (hcounteren hides cycle and instret), cache-block
 * operations or Svpbmt (henvcfg leaves them off), AIA or Zawrs (wrs.nto would trap as a virtual
 * instruction the backend does not emulate).
 *
 * rv_guest_cpu starts as QEMU virt's default rv64 hart, which is what the build-time checker
 * (pv-vmdesc, on the host) writes; the hypervisor narrows it at boot to what the boot hart has
 * (riscv_guest_cpu_probe), so a guest never sees an extension the machine lacks.
 */
#ifndef RISCV64_GUEST_CPU_H
#define RISCV64_GUEST_CPU_H

#include <pv/types.h>

/* satp / vsatp MODE values. */
#define RV_SATP_SV39 8u
#define RV_SATP_SV48 9u
#define RV_SATP_SV57 10u

/* The allow-listed extensions, in canonical order (single letters in "imafdqlcbkjtpvh" order,
 * then Z extensions by the category letter after the Z in that same order, then S extensions;
 * alphabetical within a group): the order riscv,isa writes them in. */
enum rv_guest_ext {
	RV_GX_I,
	RV_GX_M,
	RV_GX_A,
	RV_GX_F,
	RV_GX_D,
	RV_GX_C,
	RV_GX_ZICOND,
	RV_GX_ZICSR,
	RV_GX_ZIFENCEI,
	RV_GX_ZIHINTNTL,
	RV_GX_ZIHINTPAUSE,
	RV_GX_ZMMUL,
	RV_GX_ZFA,
	RV_GX_ZFH,
	RV_GX_ZFHMIN,
	RV_GX_ZCA,
	RV_GX_ZCB,
	RV_GX_ZCD,
	RV_GX_ZBA,
	RV_GX_ZBB,
	RV_GX_ZBC,
	RV_GX_ZBKB,
	RV_GX_ZBKC,
	RV_GX_ZBKX,
	RV_GX_ZBS,
	RV_GX_ZKND,
	RV_GX_ZKNE,
	RV_GX_ZKNH,
	RV_GX_ZKT,
	RV_GX_SSTC,
	RV_GX_SVINVAL,
	RV_GX_SVNAPOT,
	RV_GX_COUNT
};

/* Their names, indexed by enum rv_guest_ext. */
extern const char *const rv_guest_ext_names[RV_GX_COUNT];

struct rv_guest_cpu {
	uint64_t timebase_hz;
	uint64_t exts;	   /* bit n: extension n (enum rv_guest_ext) is offered */
	unsigned satp_max; /* RV_SATP_SV39..RV_SATP_SV57 */
};

/* Written once by the boot hart before any VM is created, read-only afterwards. */
extern struct rv_guest_cpu rv_guest_cpu;

#endif
