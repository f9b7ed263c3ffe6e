/* SPDX-License-Identifier: MIT */
/*
 * A per-vCPU cache of the last decoded MMIO instruction, so that an EPT-violation exit at the same
 * instruction again (a driver's polling loop, a benchmark) needs neither the guest page walk
 * through the chunk table nor the decoder.
 *
 * Exactness: the decoded instruction is a pure function of (the 15 bytes at RIP, the CPU mode),
 * and those bytes are found through a guest page walk that is a pure function of (CR3, the paging
 * controls CR0.PG / CR4.PAE / CR4.LA57 / EFER.LMA, RIP, and the page-table entries it reads). An
 * entry records all of these inputs and where the entries and the bytes live in host memory; a
 * lookup re-reads every page-table entry of the walk and the 15 bytes through those host
 * pointers and compares them, so a hit is exactly what a fresh walk and decode would give now.
 * Nothing needs invalidating: a changed page table (including its accessed bits), a remapped or
 * rewritten code page, another CR3 or mode is a miss. Only a 15-byte window that lies in one
 * guest page and whose pieces are all in guest RAM is cached.
 *
 * The host pointers stay valid for the VM's life: guest RAM is allocated at VM creation and
 * freed with the VM (and its vCPUs). Pure C with a callback, host-tested.
 */
#ifndef X86_ICACHE_H
#define X86_ICACHE_H

#include "x86_decode.h"
#include "x86_gwalk.h"

#define X86_ICACHE_WALK_MAX 4 /* page-table entries of a 4-level walk */

/* The host address of @len bytes of guest RAM at guest-physical @gpa, all in one contiguous
 * piece of RAM, or NULL. */
typedef const void *(*x86_icache_host_fn)(void *ctx, uint64_t gpa, size_t len);

struct x86_icache {
	bool valid;
	uint8_t mode;	/* enum x86_cpu_mode of the decode */
	uint8_t levels; /* page-table entries the walk read (0: paging off) */
	uint64_t rip, cr3;
	uint64_t paging; /* CR0.PG, CR4.PAE, CR4.LA57, EFER.LMA as they were */
	const volatile uint64_t *pte[X86_ICACHE_WALK_MAX];
	uint64_t pte_val[X86_ICACHE_WALK_MAX];
	const uint8_t *code; /* host address of the bytes at RIP */
	uint64_t bytes_lo;   /* bytes 0-7 at RIP */
	uint64_t bytes_hi;   /* bytes 7-14 at RIP */
	struct x86_mmio_insn insn;
};

/* A hit: *out is the decode of the instruction at @rip as it is now. Context: the vCPU's CPU. */
bool x86_icache_lookup(const struct x86_icache *c, const struct x86_gwalk_regs *regs, uint64_t rip,
		       enum x86_cpu_mode mode, struct x86_mmio_insn *out);

/* Records @insn, decoded from the X86_MAX_INSN_LEN bytes @code found at @rip, after walking the
 * guest's page tables again through @host to learn where the entries and the bytes live. The
 * entry is kept only if that walk ends at bytes equal to @code (else, or when the window crosses
 * a page or leaves RAM, the cache is left empty). */
void x86_icache_fill(struct x86_icache *c, const struct x86_gwalk_regs *regs, uint64_t rip,
		     enum x86_cpu_mode mode, const uint8_t *code, const struct x86_mmio_insn *insn,
		     x86_icache_host_fn host, void *ctx);

static inline void x86_icache_invalidate(struct x86_icache *c)
{
	c->valid = false;
}

#endif
