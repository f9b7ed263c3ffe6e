# Suites for lib/, hal/ and the core (vm/, vcpu/, irq/), the latter on the fake backend.
set(d ${CMAKE_CURRENT_LIST_DIR})
pv_unit_test(NAME fmt SOURCES ${d}/test_fmt.c LABELS lib)
# lib/string.c under other names: the test binary keeps the host's own string functions.
pv_unit_test(NAME string SOURCES ${d}/test_string.c ${PV_ROOT}/lib/string.c LABELS lib)
set_source_files_properties(${PV_ROOT}/lib/string.c TARGET_DIRECTORY test_string PROPERTIES
  COMPILE_OPTIONS "-Dmemchr=pvt_memchr;-Dmemcmp=pvt_memcmp;-Dmemcpy=pvt_memcpy;-Dmemmove=pvt_memmove;-Dmemset=pvt_memset;-Dstrchr=pvt_strchr;-Dstrcmp=pvt_strcmp;-Dstrncmp=pvt_strncmp;-Dstrlen=pvt_strlen;-Dstrnlen=pvt_strnlen;-Dstrrchr=pvt_strrchr;-Dstrtoul=pvt_strtoul;-D_POSIX_C_SOURCE=200809L;-fno-builtin;-U_FORTIFY_SOURCE")
pv_unit_test(NAME page_pool SOURCES ${d}/test_page_pool.c LABELS hal)
pv_unit_test(NAME fdt_memory SOURCES ${d}/test_fdt_memory.c LABELS hal)
pv_unit_test(NAME boot_seed SOURCES ${d}/test_boot_seed.c LABELS hal FAKE)
pv_unit_test(NAME vcpu_state SOURCES ${d}/test_vcpu_state.c LABELS core FAKE)
# The same transitions from two threads, under ThreadSanitizer (which cannot share ASan's build).
add_executable(test_vcpu_race ${d}/test_vcpu_race.c ${PV_ROOT}/vcpu/vcpu.c)
target_include_directories(test_vcpu_race PRIVATE ${PV_CORE_INCLUDES} ${d})
target_compile_options(test_vcpu_race PRIVATE -g -O1 -fsanitize=thread ${PV_WARNINGS})
target_link_options(test_vcpu_race PRIVATE -fsanitize=thread)
target_link_libraries(test_vcpu_race PRIVATE PkgConfig::CMOCKA pthread)
add_test(NAME unit.vcpu_race COMMAND test_vcpu_race)
set_tests_properties(unit.vcpu_race PROPERTIES LABELS "unit;core" TIMEOUT 120
  ENVIRONMENT "TSAN_OPTIONS=halt_on_error=1:exitcode=66")
pv_unit_test(NAME vdev SOURCES ${d}/test_vdev.c LABELS core FAKE)
pv_unit_test(NAME vm SOURCES ${d}/test_vm.c ${d}/vm_fixture.c LABELS core FAKE)
pv_unit_test(NAME run_loop SOURCES ${d}/test_run_loop.c ${d}/vm_fixture.c LABELS core FAKE)
pv_unit_test(NAME exit_step SOURCES ${d}/test_exit_step.c ${d}/vm_fixture.c LABELS core FAKE)
pv_unit_test(NAME hypercall SOURCES ${d}/test_hypercall.c ${d}/vm_fixture.c LABELS core FAKE)
pv_unit_test(NAME vm_desc SOURCES ${d}/test_vm_desc.c ${d}/desc_fixture.c LABELS core FAKE)
pv_unit_test(NAME vm_fdt SOURCES ${d}/test_vm_fdt.c ${d}/desc_fixture.c LABELS core FAKE)
pv_unit_test(NAME vm_load SOURCES ${d}/test_vm_load.c ${d}/desc_fixture.c ${d}/vm_fixture.c
  LABELS core FAKE)
pv_unit_test(NAME vm_config SOURCES ${d}/test_vm_config.c LABELS core FAKE)
pv_unit_test(NAME vm_desc_dev SOURCES ${d}/test_vm_desc_dev.c ${d}/desc_fixture.c LABELS core FAKE)
pv_unit_test(NAME vm_desc_pt SOURCES ${d}/test_vm_desc_pt.c ${d}/desc_fixture.c LABELS core FAKE)
pv_unit_test(NAME vm_fdt_pt SOURCES ${d}/test_vm_fdt_pt.c ${d}/desc_fixture.c LABELS core FAKE)
pv_unit_test(NAME vm_pt SOURCES ${d}/test_vm_pt.c ${d}/vm_fixture.c LABELS core FAKE)
# Consoles, console input and focus, the hypervisor shell, VM restart.
pv_unit_test(NAME console SOURCES ${d}/test_console.c ${d}/vm_fixture.c LABELS core FAKE)
pv_unit_test(NAME shell SOURCES ${d}/test_shell.c ${d}/vm_fixture.c LABELS core FAKE)
pv_unit_test(NAME vm_reset SOURCES ${d}/test_vm_reset.c ${d}/vm_fixture.c LABELS core FAKE)
