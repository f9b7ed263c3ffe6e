# System tests of the qemu-virt-loongarch64 board (included by the host test tree).
pv_system_test(NAME boot PLATFORM qemu-virt-loongarch64 ARCH loongarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/boot.expect TIMEOUT 60)

# The guest suite needs a QEMU that emulates LVZ, which stock QEMU does not: the test exists only
# when the environment names one at configure time (PV_LOONGARCH_LVZ_QEMU, see docs/loongarch64.md).
if(DEFINED ENV{PV_LOONGARCH_LVZ_QEMU})
  pv_system_test(NAME guest-suite PLATFORM qemu-virt-loongarch64 ARCH loongarch64
    EXPECT ${CMAKE_CURRENT_LIST_DIR}/guest-suite.expect TIMEOUT 180
    CONFIG ${CMAKE_CURRENT_LIST_DIR}/guest-suite.config)
  set_tests_properties(system.qemu-virt-loongarch64.guest-suite PROPERTIES
    ENVIRONMENT "PV_QEMU=$ENV{PV_LOONGARCH_LVZ_QEMU}")
endif()
