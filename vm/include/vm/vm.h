/* SPDX-License-Identifier: MIT */
/* The VM object: configuration, stage-2 space, vCPUs, emulated devices, lifecycle. */
#ifndef VM_VM_H
#define VM_VM_H

#include <addrspace/s2.h>
#include <irq/vdev.h>
#include <pv/spinlock.h>
#include <vcpu/vcpu.h>

#define VM_MAX_VCPUS	   8
#define VM_MAX_VDEVS	   16
#define VM_MAX_MEM_REGIONS 4
#define VM_MAX_MEM_CHUNKS  32
#define VM_NAME_MAX	   16
#define VM_CONSOLE_LINE	   120
#define VM_MAX_DEV_CONFIGS 8
#define VM_DEV_ARENA	   2048

enum vm_state {
	VM_CREATED = 0, /* objects allocated, memory not yet loaded */
	VM_READY,	/* image loaded, boot vCPU has its entry */
	VM_RUNNING,	/* at least one vCPU in its run loop */
	VM_HALTED,	/* every started vCPU idles */
	VM_STOPPED,	/* stopped (by itself, by a fault or by the hypervisor); final */
};

struct vm;
struct vm_dev_config;

/* Creates one emulated device of a VM from its configuration (allocating its state with
 * vm_dev_alloc and registering it with vdev_register). Context: vm_create, VM lock not held. */
typedef int (*vm_dev_create_fn)(struct vm *vm, const struct vm_dev_config *cfg);

/* An emulated device of a VM: the constructor says which device, the rest where it sits. */
struct vm_dev_config {
	vm_dev_create_fn create;
	enum vdev_space space;
	uint64_t base;
	unsigned reg_shift; /* register stride, for devices that have one */
};

/* One region of guest RAM, backed by host frames the VM owns (allocated at vm_create). */
struct vm_mem_config {
	gpa_t gpa;
	uint64_t size;
};

struct vm_config {
	const char *name;
	unsigned nvcpus;
	unsigned pcpu[VM_MAX_VCPUS];	     /* physical CPU of each vCPU */
	uint64_t guest_cpu_id[VM_MAX_VCPUS]; /* the id each vCPU has for the guest */
	unsigned nmem;
	struct vm_mem_config mem[VM_MAX_MEM_REGIONS];
	const void *image; /* guest image bytes (in hypervisor memory) */
	uint64_t image_size;
	gpa_t image_gpa;	 /* where the image is copied, inside a RAM region */
	gpa_t entry;		 /* boot vCPU's first instruction */
	uint64_t boot_arg;	 /* boot vCPU's first argument register */
	bool stop_on_bad_access; /* stop the VM instead of injecting a fault */
	unsigned ndevs;
	struct vm_dev_config devs[VM_MAX_DEV_CONFIGS]; /* emulated devices */
};

/* One contiguous host allocation backing part of a RAM region (a region whose size is not a power
 * of two frames is backed by several chunks). */
struct vm_mem_chunk {
	gpa_t gpa;
	hpa_t hpa;
	uint64_t size;
	unsigned order; /* page_pool order of the allocation */
};

struct vm {
	unsigned id;
	char name[VM_NAME_MAX];
	enum vm_state state;
	const struct vm_config *config;
	struct s2_space s2;
	unsigned nvcpus;
	struct vcpu vcpus[VM_MAX_VCPUS];
	struct page_pool *pool;
	unsigned nchunks;
	struct vm_mem_chunk chunks[VM_MAX_MEM_CHUNKS];
	unsigned nvdevs;
	struct vdev *vdevs[VM_MAX_VDEVS];
	struct vdev *vdev_last; /* vdev_find's hint: the device found last */
	void *virq;		/* interrupt-controller state, owned by virq_ops */
	int64_t exit_code;	/* set by VM_STOP or a fault */
	char stop_reason[96];	/* why the VM stopped, for the log */
	size_t dev_arena_used;
	_Alignas(16) uint8_t dev_arena[VM_DEV_ARENA]; /* state of the VM's emulated devices */
	unsigned console_len;
	char console_line[VM_CONSOLE_LINE]; /* guest console output not yet printed */
	pv_spinlock_t lock;
};

const char *vm_state_name(enum vm_state state);

/* Creates @vm from @config: RAM frames, stage-2 space, vCPUs, interrupt controller. Validates the
 * configuration first and says what is wrong (log line and -PV_EINVAL) without allocating.
 * Context: any CPU, before the VM runs. */
int vm_create(struct vm *vm, unsigned id, const struct vm_config *config, struct page_pool *pool);

/* Copies the image into guest RAM and sets the boot vCPU's entry: CREATED -> READY. */
int vm_load(struct vm *vm);

/* Frees everything vm_create allocated. The VM must be stopped or never started. */
void vm_destroy(struct vm *vm);

/* Stops the VM (every vCPU leaves its run loop at its next exit) and records why. Idempotent: the
 * first reason is kept. Context: any CPU, takes the VM lock. */
void vm_stop(struct vm *vm, int64_t code, const char *reason);

/* Copies @len bytes between hypervisor memory and guest RAM through the VM's own regions (not
 * stage 2, so device ranges are never touched). -PV_EFAULT if any byte is outside guest RAM. */
int vm_write_guest(struct vm *vm, gpa_t addr, const void *src, uint64_t len);
int vm_read_guest(struct vm *vm, gpa_t addr, void *dst, uint64_t len);

/* Zeroed memory for an emulated device's state, alive as long as the VM. NULL when the VM's
 * device arena (VM_DEV_ARENA bytes) is full. Context: vm_create. */
void *vm_dev_alloc(struct vm *vm, size_t size);

/* The boards' VM configurations (platforms/<board>/), started by hv_main. */
extern const struct vm_config *const *const board_vm_configs;
extern const unsigned board_vm_count;

/* The vCPU the guest calls @guest_cpu_id, or NULL. */
struct vcpu *vm_find_vcpu(struct vm *vm, uint64_t guest_cpu_id);

/* Starts vCPU @guest_cpu_id at @entry with first argument @arg (the architecture's CPU-start call, the
 * CPU_ON hypercall). Returns a PV_HC_* code: EINVAL for an unknown vCPU, EALREADY if it runs. */
int64_t vm_cpu_up(struct vm *vm, uint64_t guest_cpu_id, gpa_t entry, uint64_t arg);

/* One byte of the guest's console output: printed on the hypervisor console a line at a time,
 * prefixed with the VM's name. Context: any CPU; takes the VM lock. */
void vm_console_putc(struct vm *vm, char c);

#endif
