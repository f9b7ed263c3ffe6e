/* SPDX-License-Identifier: MIT */
/*
 * Recording mocks of la_hw.h's accessors for the loongarch64 backend's host suites: CSRs and guest
 * CSRs are plain arrays, and every access is appended to a log, so tests can check both the
 * resulting state and the order of the accesses.
 */
#ifndef LA_MOCK_H
#define LA_MOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "la_vcpu.h"

#define LA_MOCK_CSRS 0x200
#define LA_MOCK_LOG  512

enum la_mock_kind {
	LM_CSR_RD,
	LM_CSR_WR,
	LM_GCSR_RD,
	LM_GCSR_WR,
	LM_TLBFILL,
	LM_INVTLB,
	LM_FP_SAVE,    /* num: width; value: the struct la_fp's address */
	LM_FP_RESTORE, /* same */
};

struct la_mock_op {
	enum la_mock_kind kind;
	unsigned num;	/* CSR number; 0 for tlbfill / invtlb */
	uint64_t value; /* read or written value; the invtlb operand */
};

/* What tlbfill found in the root TLB CSRs when it ran. */
struct la_mock_fill {
	uint64_t ehi, elo0, elo1, idx;
};

struct la_mock {
	uint64_t csr[LA_MOCK_CSRS];
	uint64_t gcsr[LA_MOCK_CSRS];
	uint32_t cpucfg[32];
	uint64_t now;
	struct la_mock_op log[LA_MOCK_LOG];
	unsigned nlog;
	struct la_mock_fill fills[16];
	unsigned nfills;
	struct la_fp fp; /* the CPU's FP / vector registers */
};

extern struct la_mock la_mock;

void la_mock_reset(void);
/* Number of log entries of @kind (and CSR @num unless @any_num). */
unsigned la_mock_count(enum la_mock_kind kind, unsigned num, bool any_num);
/* Index of the first log entry of @kind on @num at or after @from, or -1. */
int la_mock_find(enum la_mock_kind kind, unsigned num, unsigned from);

#endif
