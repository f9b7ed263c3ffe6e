# System tests of the qemu-virt-loongarch64 board (included by the host test tree).
#
# PV_LOONGARCH_LVZ_QEMU (docs/loongarch64.md) names an LVZ-capable QEMU; run.sh uses it whenever it
# is set. The boot test is the stock-QEMU one (LVZ absent reported, machine powered off) and runs
# without it; the guest suite and Linux need LVZ and exist only when the variable is set at
# configure time.
pv_system_test(NAME boot PLATFORM qemu-virt-loongarch64 ARCH loongarch64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/boot.expect TIMEOUT 60)
set_tests_properties(system.qemu-virt-loongarch64.boot PROPERTIES
  ENVIRONMENT "PV_LOONGARCH_LVZ_QEMU=")

if(NOT "$ENV{PV_LOONGARCH_LVZ_QEMU}" STREQUAL "")
  pv_system_test(NAME guest-suite PLATFORM qemu-virt-loongarch64 ARCH loongarch64
    EXPECT ${CMAKE_CURRENT_LIST_DIR}/guest-suite.expect TIMEOUT 180
    CONFIG ${CMAKE_CURRENT_LIST_DIR}/guest-suite.config)
  set_tests_properties(system.qemu-virt-loongarch64.guest-suite PROPERTIES
    ENVIRONMENT "PV_LOONGARCH_LVZ_QEMU=$ENV{PV_LOONGARCH_LVZ_QEMU}")
  # Linux in a 2-vCPU VM (vms/linux.dts). Its kernel is built from Debian 13's sources the first
  # time (scripts/build-guest-kernel.sh, tens of minutes): the test allows for it.
  pv_system_test(NAME linux PLATFORM qemu-virt-loongarch64 ARCH loongarch64
    EXPECT ${CMAKE_CURRENT_LIST_DIR}/linux.expect TIMEOUT 300
    CONFIG ${CMAKE_CURRENT_LIST_DIR}/linux.config FETCH linux-loongarch64 LABELS linux)
  set_property(TEST system.qemu-virt-loongarch64.linux APPEND PROPERTY ENVIRONMENT
    "PV_LOONGARCH_LVZ_QEMU=$ENV{PV_LOONGARCH_LVZ_QEMU}")
  set_tests_properties(system.qemu-virt-loongarch64.linux PROPERTIES TIMEOUT 3600)
  # Fair sharing of a CPU (vms/sharing.dts).
  pv_system_test(NAME sharing PLATFORM qemu-virt-loongarch64 ARCH loongarch64
    EXPECT ${CMAKE_CURRENT_LIST_DIR}/sharing.expect TIMEOUT 240
    CONFIG ${CMAKE_CURRENT_LIST_DIR}/sharing.config)
  set_property(TEST system.qemu-virt-loongarch64.sharing APPEND PROPERTY ENVIRONMENT
    "PV_LOONGARCH_LVZ_QEMU=$ENV{PV_LOONGARCH_LVZ_QEMU}")
endif()

# The board's fw_cfg reader on a made-up device (host).
set(qv_dir ${CMAKE_CURRENT_LIST_DIR})
pv_unit_test(NAME qv_fw_cfg
  SOURCES ${qv_dir}/tests/test_fw_cfg.c ${qv_dir}/fw_cfg.c
  LABELS loongarch64 FAKE)
target_include_directories(test_qv_fw_cfg PRIVATE ${qv_dir} ${PV_ROOT}/arch/loongarch64/include
  ${PV_ROOT}/tests/unit)
