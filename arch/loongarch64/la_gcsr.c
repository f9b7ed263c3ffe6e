// SPDX-License-Identifier: MIT
/*
 * The guest CSR file of a vCPU. gcsrrd / gcsrwr encode the CSR number in the instruction, so
 * each register has its own access, generated from one list; the table of numbers lets the unit
 * tests check that save and restore cover the same registers in the documented order. TICLR is
 * not state (writes acknowledge the timer), so it is not in the file.
 *
 * LLBCTL is restored with WCLLB set: the LL/SC bit a vCPU finds after a switch must not be one
 * another vCPU (or VM) left, so a store-conditional after a switch fails, as after a context
 * switch on bare metal.
 */
#include "la_hw.h"
#include "la_vcpu.h"

/* index, CSR number: everything but the timer and ESTAT first, then those three in order. */
#define LA_GCSR_LIST(X)                                                                            \
	X(LA_G_CRMD, 0x0)                                                                          \
	X(LA_G_PRMD, 0x1)                                                                          \
	X(LA_G_EUEN, 0x2)                                                                          \
	X(LA_G_MISC, 0x3)                                                                          \
	X(LA_G_ECFG, 0x4)                                                                          \
	X(LA_G_ERA, 0x6)                                                                           \
	X(LA_G_BADV, 0x7)                                                                          \
	X(LA_G_BADI, 0x8)                                                                          \
	X(LA_G_EENTRY, 0xc)                                                                        \
	X(LA_G_TLBIDX, 0x10)                                                                       \
	X(LA_G_TLBEHI, 0x11)                                                                       \
	X(LA_G_TLBELO0, 0x12)                                                                      \
	X(LA_G_TLBELO1, 0x13)                                                                      \
	X(LA_G_ASID, 0x18)                                                                         \
	X(LA_G_PGDL, 0x19)                                                                         \
	X(LA_G_PGDH, 0x1a)                                                                         \
	X(LA_G_PWCL, 0x1c)                                                                         \
	X(LA_G_PWCH, 0x1d)                                                                         \
	X(LA_G_STLBPS, 0x1e)                                                                       \
	X(LA_G_RVACFG, 0x1f)                                                                       \
	X(LA_G_CPUID, 0x20)                                                                        \
	X(LA_G_SAVE0 + 0, 0x30)                                                                    \
	X(LA_G_SAVE0 + 1, 0x31)                                                                    \
	X(LA_G_SAVE0 + 2, 0x32)                                                                    \
	X(LA_G_SAVE0 + 3, 0x33)                                                                    \
	X(LA_G_SAVE0 + 4, 0x34)                                                                    \
	X(LA_G_SAVE0 + 5, 0x35)                                                                    \
	X(LA_G_SAVE0 + 6, 0x36)                                                                    \
	X(LA_G_SAVE0 + 7, 0x37)                                                                    \
	X(LA_G_SAVE0 + 8, 0x38)                                                                    \
	X(LA_G_SAVE0 + 9, 0x39)                                                                    \
	X(LA_G_SAVE0 + 10, 0x3a)                                                                   \
	X(LA_G_SAVE0 + 11, 0x3b)                                                                   \
	X(LA_G_SAVE0 + 12, 0x3c)                                                                   \
	X(LA_G_SAVE0 + 13, 0x3d)                                                                   \
	X(LA_G_SAVE0 + 14, 0x3e)                                                                   \
	X(LA_G_SAVE0 + 15, 0x3f)                                                                   \
	X(LA_G_TID, 0x40)                                                                          \
	X(LA_G_CNTC, 0x43)                                                                         \
	X(LA_G_LLBCTL, 0x60)                                                                       \
	X(LA_G_TLBRENTRY, 0x88)                                                                    \
	X(LA_G_TLBRBADV, 0x89)                                                                     \
	X(LA_G_TLBRERA, 0x8a)                                                                      \
	X(LA_G_TLBRSAVE, 0x8b)                                                                     \
	X(LA_G_TLBRELO0, 0x8c)                                                                     \
	X(LA_G_TLBRELO1, 0x8d)                                                                     \
	X(LA_G_TLBREHI, 0x8e)                                                                      \
	X(LA_G_TLBRPRMD, 0x8f)                                                                     \
	X(LA_G_DMW0 + 0, 0x180)                                                                    \
	X(LA_G_DMW0 + 1, 0x181)                                                                    \
	X(LA_G_DMW0 + 2, 0x182)                                                                    \
	X(LA_G_DMW0 + 3, 0x183)                                                                    \
	X(LA_G_TCFG, 0x41)                                                                         \
	X(LA_G_TVAL, 0x42)                                                                         \
	X(LA_G_ESTAT, 0x5)

#define LA_GCSR_NUMBER(idx, num) [idx] = num,
const uint16_t la_gcsr_numbers[LA_GCSR_COUNT] = { LA_GCSR_LIST(LA_GCSR_NUMBER) };

void la_gcsr_save(uint64_t gcsr[LA_GCSR_COUNT])
{
#define LA_GCSR_SAVE(idx, num) gcsr[idx] = la_hw_gcsr_read(num);
	LA_GCSR_LIST(LA_GCSR_SAVE)
}

#define LA_LLBCTL_WCLLB 0x2

void la_gcsr_restore(const uint64_t gcsr[LA_GCSR_COUNT])
{
#define LA_GCSR_RESTORE(idx, num)                                                                  \
	la_hw_gcsr_write(num, gcsr[idx] | ((idx) == LA_G_LLBCTL ? LA_LLBCTL_WCLLB : 0));
	LA_GCSR_LIST(LA_GCSR_RESTORE)
}
