# System tests of the QEMU virt aarch64 board.
pv_system_test(NAME boot PLATFORM qemu-virt-aarch64 ARCH aarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/boot.expect TIMEOUT 60)
# The guest suite in three VMs (two passing every check at once, one stopped for a bad access).
pv_system_test(NAME guest-suite PLATFORM qemu-virt-aarch64 ARCH aarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/guest-suite.expect TIMEOUT 90
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/guest-suite.config)
# Debian's arm64 Linux (fetched into the guest cache) in a VM described by vms/linux.dts.
pv_system_test(NAME linux PLATFORM qemu-virt-aarch64 ARCH aarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/linux.expect TIMEOUT 300
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/linux.config FETCH linux-arm64 LABELS linux)
