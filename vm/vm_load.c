// SPDX-License-Identifier: MIT
/*
 * Loading a VM: place its images (vm_layout), copy them into its RAM, write its generated device
 * tree and the backend's Linux boot information, and give the boot vCPU its entry and arguments. The copy goes through the VM's own RAM
 * chunks, never through stage 2, and only what was written is cleaned to the point of coherency.
 */
#include <hal/arch_backend.h>
#include <hal/hal.h>
#include <hal/page_pool.h>
#include <pv/fmt.h>
#include <string.h>
#include <vm/arch_vm_desc.h>
#include <vm/vm.h>
#include <vm/vm_elf.h>
#include <vm/vm_fdt.h>

static int load_copy(struct vm *vm, gpa_t to, const void *from, uint64_t len)
{
	int err = vm_write_guest(vm, to, from, len);

	return err ? err : vm_clean_guest(vm, to, len);
}

static int load_elf(struct vm *vm, const struct vm_image_config *img)
{
	struct vm_elf elf;
	char why[96];
	int err =
		vm_elf_read(img->data, img->size, arch_vm_desc.elf_machine, &elf, why, sizeof(why));

	for (unsigned i = 0; !err && i < elf.nseg; i++)
		err = load_copy(vm, gpa(elf.seg[i].paddr),
				(const uint8_t *)img->data + elf.seg[i].offset, elf.seg[i].filesz);
	return err;
}

/* Writes what the hypervisor generates (device tree, boot information) in a scratch buffer of
 * @size bytes from the VM's pool, then copies it to @at. */
static int load_generated(struct vm *vm, gpa_t at, uint64_t size,
			  int (*gen)(struct vm *vm, gpa_t at, void *buf, uint64_t size))
{
	unsigned order = 0;
	hpa_t frame;
	int err;

	while ((HAL_PAGE_SIZE << order) < size)
		order++;
	err = page_pool_alloc(vm->pool, order, &frame);
	if (err)
		return err;
	err = gen(vm, at, page_pool_virt(vm->pool, frame), size);
	if (!err)
		err = load_copy(vm, at, page_pool_virt(vm->pool, frame), size);
	(void)page_pool_free(vm->pool, frame, order);
	return err;
}

static int gen_fdt(struct vm *vm, gpa_t at, void *buf, uint64_t size)
{
	struct vm_err why;
	int err = vm_fdt_build(vm->config, &vm->layout, buf, size, &why);

	(void)at;
	if (err)
		hal_printf("vm %s: %s\n", vm->name, why.msg);
	else
		err = vm_fdt_add_seed(buf, size);
	return err;
}

static int gen_boot_info(struct vm *vm, gpa_t at, void *buf, uint64_t size)
{
	uint64_t args[VM_BOOT_ARGS];
	char why[96] = "";

	memset(buf, 0, size);
	if (arch_vm_desc.linux_info(vm->config, &vm->layout, at.raw, buf, args, why, sizeof(why)) <
	    1) {
		hal_printf("vm %s: boot information: %s\n", vm->name, why);
		return -PV_EINVAL;
	}
	return PV_OK;
}

static int load_placed(struct vm *vm, const struct vm_placed *p, uint64_t *bytes)
{
	const struct vm_image_config *img = p->img;

	if (p->boot_info)
		return load_generated(vm, p->gpa, arch_vm_desc.linux_info_size, gen_boot_info);
	if (!img)
		return load_generated(vm, p->gpa, VM_FDT_MAX, gen_fdt);
	*bytes += img->size;
	if (img->role == VM_IMAGE_KERNEL && vm_config_elf_kernel(vm->config))
		return load_elf(vm, img);
	return load_copy(vm, p->gpa, img->data, img->size);
}

/* One line saying where everything went, so a user can compare it with their description. */
static void load_report(const struct vm *vm, uint64_t bytes, uint64_t ticks)
{
	const struct vm_layout *l = &vm->layout;
	char line[160];
	size_t len = 0;

	for (unsigned i = 0; i < l->nplaced && len < sizeof(line); i++)
		len += pv_snprintf(line + len, sizeof(line) - len, "%s%s at 0x%llx", i ? ", " : "",
				   vm_placed_name(&l->placed[i]),
				   (unsigned long long)l->placed[i].gpa.raw);
	hal_printf("vm %s: %s; entry 0x%llx\n", vm->name, line, (unsigned long long)l->entry.raw);
	hal_printf("vm %s: loaded %llu bytes in %llu ticks of %llu Hz\n", vm->name,
		   (unsigned long long)bytes, (unsigned long long)ticks,
		   (unsigned long long)hal_cpu.timer_freq());
}

int vm_load_images(struct vm *vm)
{
	struct vcpu *boot = &vm->vcpus[0];
	uint64_t start = hal_cpu.timer_now(), bytes = 0;
	struct vm_err why;
	int err;

	err = vm_layout_compute(vm->config, &vm->layout, &why);
	if (err) {
		hal_printf("vm %s: %s\n", vm->name, why.msg);
		return err;
	}
	for (unsigned i = 0; i < vm->layout.nplaced; i++) {
		err = load_placed(vm, &vm->layout.placed[i], &bytes);
		if (err)
			return err;
	}
	load_report(vm, bytes, hal_cpu.timer_now() - start);
	arch_backend.vcpu->set_entry(boot, vm->layout.entry, vm->layout.boot_arg);
	for (unsigned i = 1; i < vm->layout.nboot_args && !err; i++)
		err = arch_backend.vcpu->set_reg(boot, VCPU_REG_ARG0 + i,
						 vm->layout.boot_args_more[i - 1]);
	vm->started_at = hal_cpu.timer_now();
	return err ? err : vcpu_set_state(boot, VCPU_READY);
}

int vm_load(struct vm *vm)
{
	int err;

	if (vm->state != VM_CREATED)
		return -PV_EBUSY;
	err = vm_load_images(vm);
	if (err)
		return err;
	vm->state = VM_READY;
	return PV_OK;
}
