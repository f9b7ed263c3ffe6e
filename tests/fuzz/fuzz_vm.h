/* SPDX-License-Identifier: MIT */
/*
 * A VM on the fake backend for targets that act as a guest: a page pool, a base configuration, and
 * exits taken the way the run loop takes them, with what became of each (completed by the backend,
 * turned into an injected fault, or the vCPU left its loop).
 */
#ifndef TESTS_FUZZ_FUZZ_VM_H
#define TESTS_FUZZ_FUZZ_VM_H

#include "fake/fake_backend.h"
#include "fuzz.h"

#define FZV_POOL_FRAMES 4096	       /* 16 MiB */
#define FZV_POOL_BASE	0x100000000ULL /* fake host-physical base, unlike any pointer */
#define FZV_RAM		0x40000000ULL
#define FZV_RAM_SIZE	0x120000ULL

extern struct page_pool fzv_pool;

/* Resets the fake hardware and the pool (allocated on first use). */
void fzv_reset(void);

/* A base configuration: VM "vm0" with @nvcpus vCPUs on CPUs 0, 1, ... (guest ids 0, 0x100, ...),
 * FZV_RAM_SIZE bytes of RAM at FZV_RAM and a raw kernel at FZV_RAM + 0x1000. */
void fzv_config(struct vm_config *cfg, unsigned nvcpus);

/* vm_create and vm_load of @cfg; both must succeed. */
void fzv_start(struct vm *vm, const struct vm_config *cfg);

/* vm_destroy, then every frame of the pool must be back. */
void fzv_finish(struct vm *vm);

enum fzv_outcome {
	FZV_COMPLETED, /* the backend completed the instruction (complete() was called once) */
	FZV_FAULTED,   /* a fault was injected, nothing completed */
	FZV_CONTINUED, /* the vCPU runs on with nothing completed or injected */
	FZV_LEFT,      /* the vCPU left its run loop (stopped, or its VM did) */
	FZV_IDLE,      /* the vCPU cannot take exits (created, stopped) */
};

/* Takes @e on @v as the run loop does (a ready vCPU starts running first) and says what became of
 * it; *@e is the exit as complete() saw it when the outcome is FZV_COMPLETED. */
enum fzv_outcome fzv_exit(struct vcpu *v, struct vcpu_exit *e);

/* A guest load or store of @width bytes at guest-physical @addr. Loads: *@data is the value the
 * destination register gets. */
enum fzv_outcome fzv_mmio(struct vcpu *v, uint64_t addr, unsigned width, bool write,
			  uint64_t *data);

/* What the core does with a loaded value before the register gets it (vcpu_exit.mmio). */
uint64_t fzv_load_value(uint64_t raw, unsigned width, bool sign_extend, unsigned reg_width);

/* After a UART transmitted @byte: the VM's console line ends with it (a control character as
 * "^X"), or a newline emptied it. */
void fzv_check_put(const struct vm *vm, uint8_t byte);

/* The console never carries a control character other than newline and tab. */
void fzv_check_console(void);

#endif
