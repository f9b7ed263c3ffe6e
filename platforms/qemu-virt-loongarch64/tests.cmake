# System tests of the qemu-virt-loongarch64 board (included by the host test tree).
pv_system_test(NAME boot PLATFORM qemu-virt-loongarch64 ARCH loongarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/boot.expect TIMEOUT 60)
