# System tests of the QEMU virt aarch64 board.
pv_system_test(NAME boot PLATFORM qemu-virt-aarch64 ARCH aarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/boot.expect TIMEOUT 60)
