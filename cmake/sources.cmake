# Source lists shared by image builds and the host test build, so both compile the same core.

# Freestanding helpers compiled everywhere (host tests included).
set(PV_LIB_SOURCES
  ${PV_ROOT}/lib/fmt.c
  ${PV_ROOT}/lib/strerror.c
  ${PV_ROOT}/lib/strlist.c
  ${PV_ROOT}/lib/chacha20.c
)
# The C library subset images provide for themselves (the host has libc).
set(PV_LIBC_SOURCES
  ${PV_ROOT}/lib/string.c
)

# The arch-neutral core.
set(PV_CORE_SOURCES
  ${PV_ROOT}/hal/console.c
  ${PV_ROOT}/hal/page_pool.c
  ${PV_ROOT}/hal/fdt_memory.c
  ${PV_ROOT}/hal/boot_seed.c
  ${PV_ROOT}/hal/hv_timer.c
  ${PV_ROOT}/addrspace/s2.c
  ${PV_ROOT}/vcpu/vcpu.c
  ${PV_ROOT}/vcpu/exit.c
  ${PV_ROOT}/irq/vdev.c
  ${PV_ROOT}/vm/vm.c
  ${PV_ROOT}/vm/guest_mem.c
  ${PV_ROOT}/vm/vm_reset.c
  ${PV_ROOT}/vm/console.c
  ${PV_ROOT}/vm/console_switch.c
  ${PV_ROOT}/vm/shell.c
  ${PV_ROOT}/vm/vm_config.c
  ${PV_ROOT}/vm/vm_config_pt.c
  ${PV_ROOT}/vm/vm_desc.c
  ${PV_ROOT}/vm/vm_desc_dev.c
  ${PV_ROOT}/vm/vm_desc_pt.c
  ${PV_ROOT}/vm/vm_elf.c
  ${PV_ROOT}/vm/vm_fdt.c
  ${PV_ROOT}/vm/vm_fdt_pt.c
  ${PV_ROOT}/vm/vm_pt_host.c
  ${PV_ROOT}/vm/vm_layout.c
  ${PV_ROOT}/vm/vm_load.c
  ${PV_ROOT}/vm/run.c
  ${PV_ROOT}/vm/hypercall.c
  ${PV_ROOT}/vm/sched.c
  ${PV_ROOT}/devices/testdev.c
  ${PV_ROOT}/devices/vuart.c
  ${PV_ROOT}/devices/vuart_ns16550.c
  ${PV_ROOT}/devices/vuart_pl011.c
  ${PV_ROOT}/devices/vpoweroff.c
  ${PV_ROOT}/devices/vdev_models.c
  ${PV_ROOT}/devices/virtqueue.c
  ${PV_ROOT}/devices/virtio_mmio.c
  ${PV_ROOT}/devices/virtio_blk.c
  ${PV_ROOT}/devices/virtio_console.c
  ${PV_ROOT}/devices/virtio_net.c
  ${PV_ROOT}/devices/vswitch.c
)
# Core pieces that only make sense in an image (they own the console and the boot path).
set(PV_CORE_IMAGE_SOURCES
  ${PV_ROOT}/vm/hv_main.c
  ${PV_ROOT}/vm/hv_vms.c
)

# Drivers for the hypervisor's own devices (unused ones are dropped by --gc-sections).
set(PV_DRIVER_SOURCES
  ${PV_ROOT}/drivers/uart/ns16550.c
  ${PV_ROOT}/drivers/uart/pl011.c
)

set(PV_CORE_INCLUDES
  ${PV_ROOT}/lib/include
  ${PV_ROOT}/hal/include
  ${PV_ROOT}/vcpu/include
  ${PV_ROOT}/addrspace/include
  ${PV_ROOT}/irq/include
  ${PV_ROOT}/vm/include
  ${PV_ROOT}/drivers/uart/include
  ${PV_ROOT}/drivers/intc/include
  ${PV_ROOT}/devices/include
)

# Warnings for the project's own code (third-party code gets its own, laxer set).
set(PV_WARNINGS -Wall -Wextra -Werror -Wshadow -Wconversion -Wno-sign-conversion
  -Wstrict-prototypes -Wmissing-prototypes -Wundef)
