pv_system_test(NAME boot PLATFORM qemu-virt-riscv64 ARCH riscv64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/boot.expect TIMEOUT 60)
