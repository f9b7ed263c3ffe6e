/* SPDX-License-Identifier: MIT */
/*
 * The hardware accesses of the vCPU backend's C files, in one place so that the host unit tests
 * can replace them with recording mocks (PV_HOST_TEST). Register numbers must be constants: they
 * are encoded in the instructions.
 */
#ifndef ARCH_LOONGARCH64_LA_HW_H
#define ARCH_LOONGARCH64_LA_HW_H

#include <arch/loongarch.h>
#include <stdint.h>

struct la_fp;

#ifdef PV_HOST_TEST
void la_mock_fp_save(struct la_fp *fp, unsigned width);
void la_mock_fp_restore(const struct la_fp *fp, unsigned width);
uint64_t la_mock_csr_read(unsigned num);
void la_mock_csr_write(unsigned num, uint64_t value);
uint64_t la_mock_gcsr_read(unsigned num);
void la_mock_gcsr_write(unsigned num, uint64_t value);
uint32_t la_mock_cpucfg(uint32_t word);
uint64_t la_mock_rdtime(void);
void la_mock_tlbfill(void);
void la_mock_invtlb_gid(uint64_t gid_operand);

#define la_hw_csr_read(num)	    la_mock_csr_read(num)
#define la_hw_csr_write(num, val)   la_mock_csr_write(num, val)
#define la_hw_gcsr_read(num)	    la_mock_gcsr_read(num)
#define la_hw_gcsr_write(num, val)  la_mock_gcsr_write(num, val)
#define la_hw_cpucfg(word)	    la_mock_cpucfg(word)
#define la_hw_rdtime()		    la_mock_rdtime()
#define la_hw_tlbfill()		    la_mock_tlbfill()
#define la_hw_invtlb_gid(operand)   la_mock_invtlb_gid(operand)
#define la_hw_fp_save(fp, width)    la_mock_fp_save(fp, width)
#define la_hw_fp_restore(fp, width) la_mock_fp_restore(fp, width)
#else
/* fp.S: the CPU's FP / vector state to and from @fp; the root's EUEN units must be on. */
void la_fp_hw_save(struct la_fp *fp, unsigned width);
void la_fp_hw_restore(const struct la_fp *fp, unsigned width);
#define la_hw_fp_save(fp, width)    la_fp_hw_save(fp, width)
#define la_hw_fp_restore(fp, width) la_fp_hw_restore(fp, width)

#define la_hw_csr_read(num)	  la_csr_read(num)
#define la_hw_csr_write(num, val) la_csr_write(num, val)
#define la_hw_gcsr_read(num)                                                                       \
	__extension__({                                                                            \
		uint64_t la_r_;                                                                    \
		__asm__ volatile("gcsrrd %0, %1" : "=r"(la_r_) : "i"(num));                        \
		la_r_;                                                                             \
	})
#define la_hw_gcsr_write(num, val)                                                                 \
	do {                                                                                       \
		uint64_t la_w_ = (val);                                                            \
		__asm__ volatile("gcsrwr %0, %1" : "+r"(la_w_) : "i"(num));                        \
	} while (0)
#define la_hw_cpucfg(word) la_cpucfg(word)
#define la_hw_rdtime()	   la_rdtime()
#define la_hw_tlbfill()	   __asm__ volatile("tlbfill" : : : "memory")
/* Every entry, GVA->GPA and GPA->HPA, tagged with the guest ID in @operand (GSTAT position). */
#define la_hw_invtlb_gid(operand)                                                                  \
	__asm__ volatile("invtlb 0x15, %0, $zero" : : "r"(operand) : "memory")
#endif

#endif
