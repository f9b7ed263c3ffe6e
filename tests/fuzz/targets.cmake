# The fuzz targets (docs/fuzzing.md says what each checks). Read by two trees: the fuzz tree
# (cmake/fuzz.cmake) builds each one; the host test tree (tests/fuzz/ctest.cmake) runs each for a
# few seconds as a ctest test labelled "fuzz".
set(fz ${PV_ROOT}/tests/fuzz)

pv_fuzz_target(NAME testdev SOURCES ${fz}/fuzz_testdev.c FAKE)
pv_fuzz_target(NAME ns16550 SOURCES ${fz}/fuzz_ns16550.c FAKE)
pv_fuzz_target(NAME pl011 SOURCES ${fz}/fuzz_pl011.c FAKE)
pv_fuzz_target(NAME vplic SOURCES ${fz}/fuzz_vplic.c ${PV_ROOT}/devices/vplic.c FAKE)
pv_fuzz_target(NAME fdt_memory SOURCES ${fz}/fuzz_fdt_memory.c)
# aarch64's description side with the qemu-virt-aarch64 board's addresses (its Kconfig).
set(pv_fuzz_a64_board CONFIG_PLATFORM_UART_BASE=0x09000000 CONFIG_AARCH64_GICD_BASE=0x08000000
  CONFIG_AARCH64_GICR_BASE=0x080a0000)
pv_fuzz_target(NAME vm_desc
  SOURCES ${fz}/fuzz_vm_desc.c ${PV_ROOT}/arch/aarch64/vm_desc.c FAKE
  INCLUDES ${PV_ROOT}/arch/aarch64/include DEFINES ${pv_fuzz_a64_board})
pv_fuzz_target(NAME hypercall SOURCES ${fz}/fuzz_hypercall.c FAKE)
# The stage-2 engine against tests/unit/s2_check.c's model, on the fake and every real format.
pv_fuzz_target(NAME s2
  SOURCES ${fz}/fuzz_s2.c ${PV_ROOT}/tests/unit/s2_check.c ${PV_ROOT}/tests/unit/fake/fake_s2_format.c
          ${PV_ROOT}/arch/aarch64/s2_armv8.c ${PV_ROOT}/arch/riscv64/s2_sv_x4.c
          ${PV_ROOT}/arch/x86_64/s2_ept.c ${PV_ROOT}/arch/loongarch64/s2_loongarch.c
  CMOCKA
  INCLUDES ${PV_ROOT}/arch/aarch64 ${PV_ROOT}/arch/riscv64 ${PV_ROOT}/arch/x86_64
           ${PV_ROOT}/arch/loongarch64)

# loongarch64: exit decoding with the load/store decoder and GSPR (CPUCFG, IOCSR, IPI block, CSRs),
# on la_hw.h's mocks; QEMU virt's fw_cfg reader (firmware-facing).
set(la ${PV_ROOT}/arch/loongarch64)
pv_fuzz_target(NAME la_exit
  SOURCES ${fz}/fuzz_la_exit.c ${la}/tests/la_mock.c ${la}/la_exit.c ${la}/la_ldst.c
          ${la}/la_gspr.c ${la}/la_vipi.c ${la}/la_fp.c ${la}/la_inject.c
  FAKE CMOCKA INCLUDES ${la} ${la}/include ${la}/tests)
set(qv ${PV_ROOT}/platforms/qemu-virt-loongarch64)
pv_fuzz_target(NAME la_fw_cfg SOURCES ${fz}/fuzz_la_fw_cfg.c ${qv}/fw_cfg.c FAKE
  INCLUDES ${qv} ${la}/include)

# riscv64: the load/store decoder and the SBI guests call; the vPLIC is above.
set(rv ${PV_ROOT}/arch/riscv64)
pv_fuzz_target(NAME rv SOURCES ${fz}/fuzz_rv.c ${rv}/insn.c ${rv}/vsbi.c FAKE
  INCLUDES ${rv}/include)
# riscv64: the MMIO exit's decisions (htinst, reading the instruction, the decoder's memo).
pv_fuzz_target(NAME rv_mmio SOURCES ${fz}/fuzz_rv_mmio.c ${rv}/mmio.c ${rv}/insn.c
  INCLUDES ${rv}/include)

# x86_64: the MMIO instruction decoder.
set(x86 ${PV_ROOT}/arch/x86_64)
pv_fuzz_target(NAME x86_decode SOURCES ${fz}/fuzz_x86_decode.c ${x86}/x86_decode.c
  INCLUDES ${x86})
# x86_64: EPT violations into MMIO exits (instruction fetch through the guest's page tables, the
# decode cache) and the emulated local APIC.
pv_fuzz_target(NAME x86_ept
  SOURCES ${fz}/fuzz_x86_ept.c ${x86}/vmx_mmio.c ${x86}/vmx_policy.c ${x86}/x86_icache.c
          ${x86}/x86_gwalk.c ${x86}/x86_decode.c
  INCLUDES ${x86} ${x86}/include)
pv_fuzz_target(NAME vlapic SOURCES ${fz}/fuzz_vlapic.c ${x86}/vlapic.c ${x86}/vlapic_sipi.c
          ${x86}/vlapic_xapic.c ${x86}/vioapic.c FAKE
  INCLUDES ${x86} ${x86}/include)
# The emulated I/O APIC's and the xAPIC page's guest-controlled registers, IA32_APIC_BASE, lines.
pv_fuzz_target(NAME ioapic SOURCES ${fz}/fuzz_ioapic.c ${x86}/vlapic.c ${x86}/vlapic_sipi.c
          ${x86}/vlapic_xapic.c ${x86}/vioapic.c FAKE
  INCLUDES ${x86} ${x86}/include)
pv_fuzz_target(NAME x86_multiboot2 SOURCES ${fz}/fuzz_x86_multiboot2.c ${x86}/multiboot2.c FAKE
  INCLUDES ${x86})

# aarch64: data-abort decoding (syndrome, and the load/store decoder) and PSCI.
set(a64 ${PV_ROOT}/arch/aarch64)
pv_fuzz_target(NAME a64 SOURCES ${fz}/fuzz_a64.c ${a64}/decode.c ${a64}/psci.c FAKE
  INCLUDES ${a64}/include)
# aarch64: the emulated GICv3's distributor, redistributors and SGI registers.
pv_fuzz_target(NAME vgic SOURCES ${fz}/fuzz_vgic.c ${a64}/vgic_mmio.c ${a64}/vgic_lr.c FAKE
  INCLUDES ${a64}/include)

# The split virtqueue under the virtio devices, and the guest-memory translation below it (the
# target brings its own hal_cpu: no fake backend).
pv_fuzz_target(NAME virtqueue SOURCES ${fz}/fuzz_virtqueue.c)
# The virtio-mmio transport with a virtio-console and a virtio-blk device, driven by a hostile
# driver.
pv_fuzz_target(NAME virtio SOURCES ${fz}/fuzz_virtio.c FAKE)
