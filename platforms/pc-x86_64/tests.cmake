# System tests of the PC board (run under bochs, which emulates VMX with EPT).
pv_system_test(NAME boot PLATFORM pc-x86_64 ARCH x86_64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/boot.expect TIMEOUT 300)
pv_system_test(NAME guest-suite PLATFORM pc-x86_64 ARCH x86_64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/guest-suite.expect TIMEOUT 240
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/guest-suite.config)
# Fair sharing of a CPU: a vCPU sharing its CPU with a VM spinning with interrupts masked runs.
pv_system_test(NAME sharing PLATFORM pc-x86_64 ARCH x86_64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/sharing.expect TIMEOUT 240
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/sharing.config)
# Debian's amd64 Linux (fetched into the guest cache, vmlinux taken out of its bzImage) in a
# 2-vCPU VM described by vms/linux.dts, booted through PVH. bochs takes minutes: a long limit.
pv_system_test(NAME linux PLATFORM pc-x86_64 ARCH x86_64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/linux.expect TIMEOUT 1200
  CONFIG ${CMAKE_CURRENT_LIST_DIR}/linux.config FETCH linux-amd64 LABELS linux)
