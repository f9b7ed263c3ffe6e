# System tests of the QEMU virt riscv64 board.
pv_system_test(NAME boot PLATFORM qemu-virt-riscv64 ARCH riscv64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/boot.expect TIMEOUT 60)
# The guest suite in two VMs at once, with a third stopped for a bad access.
pv_system_test(NAME guest-suite PLATFORM qemu-virt-riscv64 ARCH riscv64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/guest-suite.expect TIMEOUT 100
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/guest-suite.config)
# The same image on a CPU without the H extension (the last -cpu option wins).
pv_system_test(NAME no-h PLATFORM qemu-virt-riscv64 ARCH riscv64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/no-h.expect TIMEOUT 60
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/guest-suite.config)
set_tests_properties(system.qemu-virt-riscv64.no-h PROPERTIES
  ENVIRONMENT "PV_QEMU_EXTRA=-cpu rv64,h=false")
# Fair sharing of a CPU: a vCPU sharing its CPU with a VM spinning with interrupts masked runs.
pv_system_test(NAME sharing PLATFORM qemu-virt-riscv64 ARCH riscv64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/sharing.expect TIMEOUT 240
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/sharing.config)
# Passthrough: QEMU's virtio-blk device given to a guest-suite VM with identity RAM, its PLIC
# source forwarded through the vPLIC, next to the hypervisor's virtio-blk with the same image
# (vms/vblk-passthru.dts); scripts/vblk-disk.sh makes the image and checks the bytes read.
pv_system_test(NAME vblk-passthrough PLATFORM qemu-virt-riscv64 ARCH riscv64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/vblk-passthru.expect TIMEOUT 120
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/vblk-passthru.config LABELS passthrough)
set(qvr_vblk_img ${CMAKE_BINARY_DIR}/images/qemu-virt-riscv64-vblk-passthrough/vblk-disk.img)
set_property(TEST system.qemu-virt-riscv64.vblk-passthrough APPEND PROPERTY ENVIRONMENT
  "PV_QEMU_EXTRA=-drive file=${qvr_vblk_img},if=none,format=raw,readonly=on,id=pt -device virtio-blk-device,drive=pt -device loader,file=${qvr_vblk_img},addr=0xb0000000,force-raw=on"
  "PV_TEST_HOOK=${PV_ROOT}/scripts/vblk-disk.sh")
# Typing into the serial console: two echo VMs, the hypervisor shell, a restart (vms/console.dts).
pv_system_test(NAME console PLATFORM qemu-virt-riscv64 ARCH riscv64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/console.console TIMEOUT 300
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/console.config LABELS console)
# Debian 13's riscv64 Linux (fetched into the guest cache) in a 2-vCPU VM described by
# vms/linux.dts, next to the guest suite; in wall-clock time (linux.config).
pv_system_test(NAME linux PLATFORM qemu-virt-riscv64 ARCH riscv64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/linux.expect TIMEOUT 300
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/linux.config FETCH linux-riscv64 LABELS linux)
# Debian's U-Boot for QEMU in S-mode as a guest: its prompt, "version", and booti of Linux
# (vms/uboot.dts).
pv_system_test(NAME uboot PLATFORM qemu-virt-riscv64 ARCH riscv64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/uboot.console TIMEOUT 400
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/uboot.config FETCH linux-riscv64 LABELS linux console)
# virtio: Linux with its root file system on virtio-blk, a read-only disk and a virtio console
# (vms/linux-virtio.dts); in wall-clock time (linux-virtio-blk.config).
execute_process(COMMAND ${PV_ROOT}/scripts/cache-dir.sh OUTPUT_VARIABLE qvr_cache
  OUTPUT_STRIP_TRAILING_WHITESPACE)
pv_system_test(NAME linux-virtio-blk PLATFORM qemu-virt-riscv64 ARCH riscv64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/linux-virtio-blk.expect TIMEOUT 400
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/linux-virtio-blk.config FETCH linux-riscv64 LABELS linux virtio)
set_property(TEST system.qemu-virt-riscv64.linux-virtio-blk APPEND PROPERTY ENVIRONMENT
  "PV_QEMU_EXTRA=-device loader,file=${qvr_cache}/guests/linux-riscv64/rootfs.ext4,addr=0xb0000000,force-raw=on")
# Passthrough: QEMU's own virtio-blk device, on a disk image scripts/passthru-disk.sh builds for
# the run, given to a Linux VM with identity RAM, its PLIC source forwarded through the vPLIC; the
# guest suite in another VM touches it and faults (vms/linux-passthru.dts). After the run the
# image must hold what the guest wrote. In wall-clock time (linux-passthru.config).
pv_system_test(NAME linux-passthrough PLATFORM qemu-virt-riscv64 ARCH riscv64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/linux-passthru.expect TIMEOUT 400
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/linux-passthru.config FETCH linux-riscv64
  LABELS linux passthrough)
set(qvr_pt_build ${CMAKE_BINARY_DIR}/images/qemu-virt-riscv64-linux-passthrough)
set_property(TEST system.qemu-virt-riscv64.linux-passthrough APPEND PROPERTY ENVIRONMENT
  "PV_QEMU_EXTRA=-drive file=${qvr_pt_build}/passthru-disk.img,if=none,format=raw,id=pt -device virtio-blk-device,drive=pt"
  "PV_TEST_HOOK=${PV_ROOT}/scripts/passthru-disk.sh linux-riscv64")
# Typing into Linux's shell through its NS16550 and the UART's receive interrupt (vPLIC), next to
# an echo VM: the hypervisor shell, restarts from the shell and by the guest (vms/console-linux.dts).
pv_system_test(NAME console-linux PLATFORM qemu-virt-riscv64 ARCH riscv64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/console-linux.console TIMEOUT 900
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/console-linux.config FETCH linux-riscv64 LABELS linux console)
