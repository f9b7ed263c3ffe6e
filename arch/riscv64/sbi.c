// SPDX-License-Identifier: MIT
/* The SBI calling convention: a7 = extension, a6 = function, a0..a5 in, a0 = error, a1 = value. */
#include <riscv64/sbi.h>

struct sbi_ret sbi_call(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
			unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r3 __asm__("a3") = a3;
	register unsigned long r4 __asm__("a4") = a4;
	register unsigned long r5 __asm__("a5") = a5;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = ext;

	__asm__ __volatile__("ecall"
			     : "+r"(r0), "+r"(r1)
			     : "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r6), "r"(r7)
			     : "memory");
	return (struct sbi_ret){ .error = (long)r0, .value = (long)r1 };
}

bool sbi_probe_extension(unsigned long ext)
{
	struct sbi_ret r = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, ext, 0, 0, 0, 0, 0);

	/* The base extension answers 0 for "absent", an extension-specific non-zero otherwise. */
	return r.error == SBI_SUCCESS && r.value != 0;
}

long sbi_system_reset(unsigned long type, unsigned long reason)
{
	return sbi_call(SBI_EXT_SRST, 0, type, reason, 0, 0, 0, 0).error;
}
