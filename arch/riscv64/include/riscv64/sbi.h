/* SPDX-License-Identifier: MIT */
/*
 * Calls into the Supervisor Binary Interface (OpenSBI on QEMU virt): timer, IPIs, system reset.
 * Every call is an ECALL from HS-mode; the firmware answers synchronously, so none of these sleep.
 */
#ifndef RISCV64_SBI_H
#define RISCV64_SBI_H

#include <pv/types.h>

/* Extension ids. */
#define SBI_EXT_LEGACY_SET_TIMER 0x00
#define SBI_EXT_LEGACY_SEND_IPI	 0x04
#define SBI_EXT_LEGACY_SHUTDOWN	 0x08
#define SBI_EXT_BASE		 0x10
#define SBI_EXT_TIME		 0x54494d45 /* "TIME" */
#define SBI_EXT_IPI		 0x735049   /* "sPI" */
#define SBI_EXT_RFENCE		 0x52464e43 /* "RFNC" */
#define SBI_EXT_HSM		 0x48534d   /* "HSM" */
#define SBI_EXT_SRST		 0x53525354 /* "SRST" */

/* Base extension functions. */
#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_GET_IMPL_ID	  1
#define SBI_BASE_GET_IMPL_VERSION 2
#define SBI_BASE_PROBE_EXTENSION  3

/* Hart state management functions. */
#define SBI_HSM_HART_START 0

/* System reset types and reasons. */
#define SBI_SRST_SHUTDOWN    0
#define SBI_SRST_COLD_REBOOT 1
#define SBI_SRST_WARM_REBOOT 2
#define SBI_SRST_REASON_NONE 0

/* Error codes in sbi_ret.error. */
#define SBI_SUCCESS	      0
#define SBI_ERR_FAILED	      (-1)
#define SBI_ERR_NOT_SUPPORTED (-2)
#define SBI_ERR_INVALID_PARAM (-3)

struct sbi_ret {
	long error;
	long value;
};

struct sbi_ret sbi_call(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
			unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5);

/* Whether the firmware implements extension @ext (base extension probe_extension). */
bool sbi_probe_extension(unsigned long ext);

/* Asks for a reset of @type; returns only if the firmware refused (the SBI error code). */
long sbi_system_reset(unsigned long type, unsigned long reason);

#endif
