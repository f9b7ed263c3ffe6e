# System tests of the QEMU virt aarch64 board.
pv_system_test(NAME boot PLATFORM qemu-virt-aarch64 ARCH aarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/boot.expect TIMEOUT 60)
# The guest suite in four VMs (two passing every check at once, two stopped: a bad access, vectors
# outside RAM).
pv_system_test(NAME guest-suite PLATFORM qemu-virt-aarch64 ARCH aarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/guest-suite.expect TIMEOUT 90
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/guest-suite.config)
# Debian's arm64 Linux (fetched into the guest cache) in a VM described by vms/linux.dts.
pv_system_test(NAME linux PLATFORM qemu-virt-aarch64 ARCH aarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/linux.expect TIMEOUT 300
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/demo.config FETCH linux-arm64 LABELS linux)
# Images the firmware placed: QEMU's generic loader puts the initramfs where vms/linux-fw.dts says.
pv_system_test(NAME linux-firmware-images PLATFORM qemu-virt-aarch64 ARCH aarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/linux-fw.expect TIMEOUT 300
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/linux-fw.config FETCH linux-arm64 LABELS linux)
execute_process(COMMAND ${PV_ROOT}/scripts/cache-dir.sh OUTPUT_VARIABLE qv_cache
  OUTPUT_STRIP_TRAILING_WHITESPACE)
set_property(TEST system.qemu-virt-aarch64.linux-firmware-images APPEND PROPERTY ENVIRONMENT
  "PV_QEMU_EXTRA=-device loader,file=${qv_cache}/guests/linux-arm64/initrd.cpio,addr=0xb0000000,force-raw=on")
# The same on -cpu max, whose SVE, SME, pointer authentication, RAS, LORegions and PMUv3p5 the
# guests must neither see nor trap on (docs/aarch64.md, "Clean per-VM CPU state").
pv_system_test(NAME guest-suite-max PLATFORM qemu-virt-aarch64 ARCH aarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/guest-suite.expect TIMEOUT 120
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/guest-suite.config)
set_property(TEST system.qemu-virt-aarch64.guest-suite-max APPEND PROPERTY ENVIRONMENT
  "PV_QEMU_EXTRA=-cpu max,pauth-impdef=on")
# virtio: Linux with its root file system on virtio-blk, a read-only disk and a virtio console
# (vms/linux-virtio.dts); three Linux VMs on two virtual switches (vms/linux-net.dts).
pv_system_test(NAME linux-virtio-blk PLATFORM qemu-virt-aarch64 ARCH aarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/linux-virtio-blk.expect TIMEOUT 300
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/linux-virtio-blk.config FETCH linux-arm64 LABELS linux virtio)
set_property(TEST system.qemu-virt-aarch64.linux-virtio-blk APPEND PROPERTY ENVIRONMENT
  "PV_QEMU_EXTRA=-device loader,file=${qv_cache}/guests/linux-arm64/rootfs.ext4,addr=0xb0000000,force-raw=on")
pv_system_test(NAME linux-virtio-net PLATFORM qemu-virt-aarch64 ARCH aarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/linux-virtio-net.expect TIMEOUT 400
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/linux-virtio-net.config FETCH linux-arm64 LABELS linux virtio)
# Fair sharing of a CPU: a vCPU sharing its CPU with a VM spinning with interrupts masked runs.
pv_system_test(NAME sharing PLATFORM qemu-virt-aarch64 ARCH aarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/sharing.expect TIMEOUT 240
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/sharing.config)
# Passthrough: QEMU's own virtio-blk device, on a disk image scripts/passthru-disk.sh builds for
# the run, given to a Linux VM with identity RAM; the guest suite in another VM touches it and
# faults (vms/linux-passthru.dts). After the run the image must hold what the guest wrote. It runs
# in wall-clock time, as every image that passes a device through (scripts/qemu-run.sh): counted
# instructions let the guest's time race ahead while it waits for the host's disk.
pv_system_test(NAME linux-passthrough PLATFORM qemu-virt-aarch64 ARCH aarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/linux-passthru.expect TIMEOUT 300
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/linux-passthru.config FETCH linux-arm64
  LABELS linux passthrough)
set(qv_pt_build ${CMAKE_BINARY_DIR}/images/qemu-virt-aarch64-linux-passthrough)
set_property(TEST system.qemu-virt-aarch64.linux-passthrough APPEND PROPERTY ENVIRONMENT
  "PV_QEMU_EXTRA=-drive file=${qv_pt_build}/passthru-disk.img,if=none,format=raw,id=pt -device virtio-blk-device,drive=pt"
  "PV_TEST_HOOK=${PV_ROOT}/scripts/passthru-disk.sh linux-arm64")
# The passthrough benchmark's guest, judged: a bare-metal driver takes a thousand interrupts of
# QEMU's passed-through disk and reads it whole by DMA, then the hypervisor's disk with the same
# image (vms/vblk-passthru.dts); scripts/vblk-disk.sh makes the image and checks the bytes read.
pv_system_test(NAME vblk-passthrough PLATFORM qemu-virt-aarch64 ARCH aarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/vblk-passthru.expect TIMEOUT 120
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/vblk-passthru.config LABELS passthrough)
set(qv_vblk_img ${CMAKE_BINARY_DIR}/images/qemu-virt-aarch64-vblk-passthrough/vblk-disk.img)
set_property(TEST system.qemu-virt-aarch64.vblk-passthrough APPEND PROPERTY ENVIRONMENT
  "PV_QEMU_EXTRA=-drive file=${qv_vblk_img},if=none,format=raw,readonly=on,id=pt -device virtio-blk-device,drive=pt -device loader,file=${qv_vblk_img},addr=0xb0000000,force-raw=on"
  "PV_TEST_HOOK=${PV_ROOT}/scripts/vblk-disk.sh")
# Typing into the serial console (scripts/console-test.py): Linux's shell, the echo VM, the
# hypervisor shell, restarts from the shell and from the guest (vms/console.dts).
pv_system_test(NAME console PLATFORM qemu-virt-aarch64 ARCH aarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/console.console TIMEOUT 600
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/console.config FETCH linux-arm64 LABELS linux console)
# Debian's U-Boot for QEMU as a guest: its prompt, "version", and booti of Linux (vms/uboot.dts).
pv_system_test(NAME uboot PLATFORM qemu-virt-aarch64 ARCH aarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/uboot.console TIMEOUT 400
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/uboot.config FETCH linux-arm64 LABELS linux console)
