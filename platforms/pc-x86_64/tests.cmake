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
