/* SPDX-License-Identifier: MIT */
/* The VM object: configuration, stage-2 space, vCPUs, emulated devices, lifecycle. */
#ifndef VM_VM_H
#define VM_VM_H

#include <addrspace/s2.h>
#include <irq/vdev.h>
#include <pv/spinlock.h>
#include <vcpu/vcpu.h>
#include <vm/console.h>
#include <vm/vm_layout.h>

#define VM_MAX_VCPUS	   8
#define VM_MAX_VDEVS	   16
#define VM_MAX_MEM_REGIONS 4
#define VM_MAX_MEM_CHUNKS  32
#define VM_NAME_MAX	   16
#define VM_MAX_DEV_CONFIGS 8
#define VM_MAX_IMAGES	   6
#define VM_DEV_ARENA	   24576 /* eight devices of the largest model (virtio-blk) fit */
#define VM_LINK_NAME_MAX   16	 /* a network switch's name, with its NUL */
#define VM_MAX_PT	   4	 /* passed-through devices per VM */
#define VM_PT_MAX_REGS	   4	 /* host-physical windows of one passed-through device */
#define VM_PT_MAX_IRQS	   4	 /* physical interrupt lines of one passed-through device */
_Static_assert(VM_MAX_IMAGES + 2 <= VM_LAYOUT_MAX_PLACED, "layout too small for the images");

enum vm_state {
	VM_CREATED = 0, /* objects allocated, memory not yet loaded */
	VM_READY,	/* image loaded, boot vCPU has its entry */
	VM_RUNNING,	/* at least one vCPU in its run loop */
	VM_HALTED,	/* every started vCPU idles */
	VM_STOPPED,	/* stopped (by itself, by a fault or by the hypervisor); only a restart
			 * starts it again */
	VM_RESETTING,	/* being restarted: its vCPUs leave, are reset, its images reloaded */
};

/* Whether the VM's vCPUs must leave their run loops (stopped or being restarted). */
static inline bool vm_state_down(enum vm_state state)
{
	return state >= VM_STOPPED;
}

struct vm;
struct vdev_model;

/* How the kernel image is started. */
enum vm_boot_format {
	VM_BOOT_RAW =
		0,     /* bytes copied to the load address, entered at the entry (default: load) */
	VM_BOOT_ELF,   /* ELF64 program headers say where each segment goes; e_entry */
	VM_BOOT_LINUX, /* the architecture's Linux boot protocol (arch_vm_desc.linux_header) */
};

enum vm_image_role {
	VM_IMAGE_KERNEL = 0, /* exactly one: what the boot vCPU starts */
	VM_IMAGE_INITRD,     /* initial RAM disk, announced in the device tree */
	VM_IMAGE_DTB,	     /* the guest's own device tree (none: one is generated) */
	VM_IMAGE_BLOB,	     /* any other bytes the guest expects at an address */
};

/* One image of a VM: bytes in hypervisor memory, copied into guest RAM by vm_load. */
struct vm_image_config {
	enum vm_image_role role;
	const char *node; /* the description's node name, for messages */
	const void *data; /* NULL only in a build-time check of an image the firmware will place */
	uint64_t size;
	bool firmware; /* placed by the boot firmware at host_addr (not embedded in the image) */
	hpa_t host_addr;
	bool has_load; /* load is given (else vm_layout chooses) */
	gpa_t load;
};

/* An emulated device of a VM: which model (devices/), where it sits, its interrupt line. */
struct vm_dev_config {
	const struct vdev_model *model;
	const char *node; /* the description's node name, for messages and the device tree */
	enum vdev_space space;
	uint64_t base;
	uint64_t size;	    /* register window; 0: the model's own size */
	unsigned reg_shift; /* register stride, for devices that have one */
	bool has_irq;
	uint32_t irq; /* the VM's interrupt line, numbered as the backend's vm description says */
	/* Models backed by an image (a disk, vdev_model.image_block): its bytes, as an image's,
	 * and whether the guest may only read them. A writable image's bytes are the device's
	 * alone: the guest's writes change them in place. */
	bool has_image;
	bool read_only;
	struct vm_image_config image;
	/* Models plugged into a network switch (vdev_model.link): the switch's name and the
	 * device's MAC address. */
	const char *link;
	uint8_t mac[6];
};

/* One window of a passed-through device: host-physical registers mapped into the guest's stage 2
 * at @gpa with device memory attributes, page aligned. */
struct vm_pt_reg {
	gpa_t gpa;
	hpa_t hpa;
	uint64_t size;
};

/* One physical interrupt line of a passed-through device: @host (the backend's numbering of the
 * host's lines, arch_vm_desc.max_host_irq_line) delivered as the VM's line @guest (numbered as
 * emulated devices' lines). */
struct vm_pt_irq {
	uint32_t guest;
	uint32_t host;
};

/* A physical device given to one VM (docs/devices.md, "Passthrough"): its register windows and
 * interrupt lines, and where its node in the guest's device tree comes from: copied from the
 * host's device tree (@host_node, a path in vm_config.host_fdt) with addresses and interrupts
 * translated, or given by the description (node @given of @desc, copied as written), or none. */
struct vm_pt_config {
	const char *node; /* the description's node name, for messages */
	unsigned nregs;
	struct vm_pt_reg regs[VM_PT_MAX_REGS];
	unsigned nirqs;
	struct vm_pt_irq irqs[VM_PT_MAX_IRQS];
	const char *host_node;
	const void *desc;
	int given; /* offset of the given node in @desc; negative: none */
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
	enum vm_boot_format format;
	unsigned nimages;
	struct vm_image_config images[VM_MAX_IMAGES];
	const char *bootargs; /* kernel command line (generated device tree), or NULL */
	bool has_entry;	      /* raw images: entry given (else the kernel's load address) */
	gpa_t entry;
	bool has_boot_arg; /* boot vCPU's first argument given (else the device tree's address) */
	uint64_t boot_arg;
	bool has_fdt_load; /* the generated device tree goes to fdt_load (else: high in RAM) */
	gpa_t fdt_load;
	bool stop_on_bad_access; /* stop the VM instead of injecting a fault */
	bool stop_on_reset;	 /* a guest's reset request stops the VM instead of restarting it */
	bool shared_cpus;	 /* its physical CPUs may also run other VMs that allow it */
	bool float_ports;	 /* a port no device serves reads all ones and drops writes */
	unsigned ndevs;
	struct vm_dev_config devs[VM_MAX_DEV_CONFIGS]; /* emulated devices */
	/* RAM at guest-physical = host-physical, so that the DMA addresses a guest driver gives a
	 * passed-through device are right; such a VM is not isolated from DMA (docs/devices.md). */
	bool identity_ram;
	unsigned npt;
	struct vm_pt_config pt[VM_MAX_PT]; /* passed-through devices */
	/* The host's device tree, where passed-through nodes named by host_node are copied from:
	 * set at boot (the firmware's tree), NULL at build time unless the checker is given one. */
	const void *host_fdt;
};

/* One contiguous host allocation backing part of a RAM region (a region whose size is not a power
 * of two frames is backed by several chunks). */
struct vm_mem_chunk {
	gpa_t gpa;
	hpa_t hpa;
	uint64_t size;
	unsigned order; /* page_pool order of the allocation */
	bool fixed;	/* identity RAM reserved at boot, not the pool's to take back */
};

struct vm {
	unsigned id;
	char name[VM_NAME_MAX];
	enum vm_state state;
	const struct vm_config *config;
	struct vm_layout layout; /* where vm_load put the images */
	struct s2_space s2;
	unsigned nvcpus;
	struct vcpu vcpus[VM_MAX_VCPUS];
	struct page_pool *pool;
	unsigned nchunks;
	struct vm_mem_chunk chunks[VM_MAX_MEM_CHUNKS];
	unsigned nvdevs;
	struct vdev *vdevs[VM_MAX_VDEVS];
	unsigned ndevs_created; /* config->devs[0..n) exist (their model's destroy is due) */
	struct vdev *vdev_last; /* vdev_find's hint: the device found last */
	void *virq;		/* interrupt-controller state, owned by virq_ops */
	int64_t exit_code;	/* set by VM_STOP or a fault */
	char stop_reason[96];	/* why the VM stopped, for the log */
	size_t dev_arena_used;
	_Alignas(16) uint8_t dev_arena[VM_DEV_ARENA]; /* state of the VM's emulated devices */
	unsigned log_tokens;	/* vm_log_allowed: messages it may print now */
	unsigned log_dropped;	/* messages refused since the last one printed */
	uint64_t log_refilled;	/* counter value of the last refill */
	uint64_t started_at;	/* counter value when it was last loaded (uptime) */
	unsigned restarts;	/* completed restarts */
	unsigned reset_gen;	/* restart generation: each vCPU resets once per restart */
	uint64_t ports_floated; /* port accesses no device served, under float_ports (atomic) */
	struct vm_console console;
	pv_spinlock_t lock;
};

const char *vm_state_name(enum vm_state state);

/* The configuration's image with @role, or NULL (at most one kernel, initrd and dtb exist). */
const struct vm_image_config *vm_config_image(const struct vm_config *cfg, enum vm_image_role role);

/* Whether guest-physical [addr, addr + size) lies inside one RAM region of @cfg. */
bool vm_config_in_ram(const struct vm_config *cfg, uint64_t addr, uint64_t size);
/* Whether @cfg's kernel is an ELF executable loaded by its segments: an "elf" kernel, or a Linux
 * one on a backend whose Linux kernels are ELF files (arch_vm_desc.linux_elf_entry). */
bool vm_config_elf_kernel(const struct vm_config *cfg);

/* Creates @vm from @config: RAM frames, stage-2 space, vCPUs, interrupt controller. Validates the
 * configuration first and says what is wrong (log line and -PV_EINVAL) without allocating.
 * Context: any CPU, before the VM runs. */
int vm_create(struct vm *vm, unsigned id, const struct vm_config *config, struct page_pool *pool);

/* Creates @vm's interrupt controller and emulated devices afresh in its device arena (vm_create
 * and a restart). Context: VM not running, no vCPU of it loaded anywhere. */
int vm_create_devices(struct vm *vm);

/* Undoes vm_create_devices: the devices' destroy hooks (in reverse), the interrupt controller.
 * Context: VM not running. */
void vm_destroy_devices(struct vm *vm);

/* Places and copies the images into guest RAM, writes the generated device tree, and sets the
 * boot vCPU's entry: CREATED -> READY (vm/vm_load.c). Context: boot CPU, VM not running. */
int vm_load(struct vm *vm);

/* Frees everything vm_create allocated. The VM must be stopped or never started. */
void vm_destroy(struct vm *vm);

/* Stops the VM (every vCPU leaves its run loop at its next exit) and records why. Idempotent: the
 * first reason is kept. Context: any CPU, takes the VM lock. */
void vm_stop(struct vm *vm, int64_t code, const char *reason);

/* Copies @len bytes between hypervisor memory and guest RAM through the VM's own regions (not
 * stage 2, so device ranges are never touched; vm/guest_mem.h translates). -PV_EFAULT, with
 * nothing copied, if any byte is outside guest RAM. */
int vm_write_guest(struct vm *vm, gpa_t addr, const void *src, uint64_t len);
int vm_read_guest(struct vm *vm, gpa_t addr, void *dst, uint64_t len);

/* Cleans guest RAM [addr, addr + len) to the point of coherency, so that what the hypervisor
 * wrote there is what the guest's instruction fetch and uncached accesses see. */
int vm_clean_guest(struct vm *vm, gpa_t addr, uint64_t len);

/* Zeroed memory for an emulated device's state, alive as long as the VM. NULL when the VM's
 * device arena (VM_DEV_ARENA bytes) is full. Context: vm_create. */
void *vm_dev_alloc(struct vm *vm, size_t size);

/* The vCPU the guest calls @guest_cpu_id, or NULL. */
struct vcpu *vm_find_vcpu(struct vm *vm, uint64_t guest_cpu_id);

/* Starts vCPU @guest_cpu_id at @entry with first argument @arg (the architecture's CPU-start call, the
 * CPU_ON hypercall). Returns a PV_HC_* code: EINVAL for an unknown vCPU, EALREADY if it runs. */
int64_t vm_cpu_up(struct vm *vm, uint64_t guest_cpu_id, gpa_t entry, uint64_t arg);

/* Whether a log line about @vm's behaviour may be printed now: at most VM_LOG_BURST at once, then
 * one per second, so a guest cannot flood the console with the hypervisor's own messages. When a
 * line is allowed after others were refused, it says how many first. Context: any CPU; takes the
 * VM lock. */
#define VM_LOG_BURST 10u
bool vm_log_allowed(struct vm *vm);

/* Restarts @vm as if it were powered on again: every vCPU leaves its run loop and is reset on
 * its own CPU (vcpu_ops.reset), then the CPU of the boot vCPU clears its RAM, recreates its
 * devices and interrupt controller, drops its TLB entries, reloads its images from their
 * pristine copies and starts the boot vCPU (vm/vm_reset.c). The other VMs keep running.
 * -PV_ENOTSUP when the backend cannot reset vCPUs, -PV_EBUSY while a restart is under way.
 * Context: any CPU, no lock held. */
int vm_restart(struct vm *vm, const char *why);

/* A guest asked for a reset: restart or stop the VM, as its description says. */
void vm_guest_reset(struct vm *vm);

/* The part of pending restarts that physical CPU @cpu does: reset the vCPUs pinned to it that
 * have left, and, on the boot vCPU's CPU, reload the VM once all are reset. Context: the
 * scheduler loop of @cpu, no vCPU running there, no lock held. */
void vm_reset_work(unsigned cpu);

/* Places and copies the images, writes the device tree, sets the boot vCPU's entry and makes it
 * ready (vm_load without the VM state change; a restart uses it). */
int vm_load_images(struct vm *vm);

#endif
