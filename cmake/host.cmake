# Host test tree: cmocka unit suites (ASan + UBSan), the system tests that boot images, and short
# runs of the fuzz targets (built in their own tree, build/fuzz, by tests/fuzz/ctest.cmake).
include(CTest)
include(${PV_ROOT}/cmake/sources.cmake)
set(CMAKE_C_STANDARD 11)
set(CMAKE_C_STANDARD_REQUIRED ON)
set(CMAKE_C_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

find_package(PkgConfig REQUIRED)
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
# Debian's libfdt-dev ships no pkg-config file.
find_path(LIBFDT_INCLUDE_DIR libfdt.h REQUIRED)
find_library(LIBFDT_LIBRARY fdt REQUIRED)
add_library(pv_host_libfdt INTERFACE)
target_include_directories(pv_host_libfdt SYSTEM INTERFACE ${LIBFDT_INCLUDE_DIR})
target_link_libraries(pv_host_libfdt INTERFACE ${LIBFDT_LIBRARY})

set(PV_SANITIZE -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)

# Host flags every unit-test object uses.
add_library(pv_host_flags INTERFACE)
target_compile_options(pv_host_flags INTERFACE -g -O1 ${PV_SANITIZE}
  $<$<COMPILE_LANGUAGE:C>:${PV_WARNINGS}>)
target_link_options(pv_host_flags INTERFACE ${PV_SANITIZE})
target_include_directories(pv_host_flags INTERFACE ${PV_CORE_INCLUDES} ${PV_ROOT}/tests/unit)
target_compile_definitions(pv_host_flags INTERFACE PV_HOST_TEST=1 CONFIG_PAGE_POOL_MAX_FRAMES=4096
  CONFIG_MAX_CPUS=4 CONFIG_SCHED_SLICE_US=4000)

# The core and lib, built once for every suite.
add_library(pv_core_host STATIC ${PV_LIB_SOURCES} ${PV_CORE_SOURCES})
target_link_libraries(pv_core_host PUBLIC pv_host_flags pv_host_libfdt)

# The fake backend: software vtables standing in for hardware.
file(GLOB pv_fake_sources ${PV_ROOT}/tests/unit/fake/*.c)
add_library(pv_fake_backend STATIC ${pv_fake_sources})
target_link_libraries(pv_fake_backend PUBLIC pv_core_host)

# pv_unit_test(NAME <name> SOURCES <files...> [LABELS <labels...>] [FAKE])
# One cmocka executable = one ctest test, labelled "unit" plus LABELS. FAKE links the fake backend
# (suites for arch code link only the core and their own sources).
function(pv_unit_test)
  cmake_parse_arguments(T "FAKE" "NAME" "SOURCES;LABELS" ${ARGN})
  add_executable(test_${T_NAME} ${T_SOURCES})
  if(T_FAKE)
    # The core and the fake need each other (the core calls the backend's tables, the fake's
    # console calls the core's): one group, scanned until nothing new is needed.
    target_link_libraries(test_${T_NAME} PRIVATE
      "$<LINK_GROUP:RESCAN,pv_core_host,pv_fake_backend>" PkgConfig::CMOCKA)
  else()
    target_link_libraries(test_${T_NAME} PRIVATE pv_core_host PkgConfig::CMOCKA)
  endif()
  add_test(NAME unit.${T_NAME} COMMAND test_${T_NAME})
  set_tests_properties(unit.${T_NAME} PROPERTIES LABELS "unit;${T_LABELS}" TIMEOUT 120
    ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1;UBSAN_OPTIONS=print_stacktrace=1")
endfunction()

# pv_system_test(NAME <name> PLATFORM <board> ARCH <arch> EXPECT <file> [TIMEOUT <s>]
#                [CONFIG <kconfig fragment file>] [FETCH <guests...>] [LABELS <labels...>])
# Builds the board's image (its defconfig, plus CONFIG's lines in a build tree of their own), runs
# it in its emulator under a time limit and checks the serial log against EXPECT. FETCH names
# guests scripts/fetch-guest.sh brings into the cache first. A board that cannot run the test
# here (no emulator, or no guest-suite layer yet) is reported as skipped (scripts/system-test.sh).
function(pv_system_test)
  cmake_parse_arguments(T "" "NAME;PLATFORM;ARCH;EXPECT;TIMEOUT;CONFIG" "FETCH;LABELS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 60)
  endif()
  set(build ${CMAKE_BINARY_DIR}/images/${T_PLATFORM})
  if(T_CONFIG)
    set(build ${build}-${T_NAME})
  endif()
  add_test(NAME system.${T_PLATFORM}.${T_NAME}
    COMMAND ${PV_ROOT}/scripts/system-test.sh ${T_PLATFORM} ${T_EXPECT} ${T_TIMEOUT} ${build}
            ${T_CONFIG})
  math(EXPR ctest_timeout "${T_TIMEOUT} + 600")
  list(JOIN T_FETCH " " fetch)
  set_tests_properties(system.${T_PLATFORM}.${T_NAME} PROPERTIES
    LABELS "system;${T_ARCH};${T_LABELS}" TIMEOUT ${ctest_timeout} SKIP_RETURN_CODE 77
    ENVIRONMENT "PV_FETCH_GUESTS=${fetch}")
endfunction()

add_subdirectory(${PV_ROOT}/tests/unit unit)
file(GLOB pv_arch_test_dirs ${PV_ROOT}/arch/*/tests/CMakeLists.txt)
foreach(f IN LISTS pv_arch_test_dirs)
  get_filename_component(dir ${f} DIRECTORY)
  get_filename_component(isa_dir ${dir} DIRECTORY)
  get_filename_component(isa ${isa_dir} NAME)
  add_subdirectory(${dir} arch-${isa})
endforeach()
file(GLOB pv_platform_tests ${PV_ROOT}/platforms/*/tests.cmake)
foreach(f IN LISTS pv_platform_tests)
  include(${f})
endforeach()
include(${PV_ROOT}/cmake/lint.cmake OPTIONAL)
include(${PV_ROOT}/tests/fuzz/ctest.cmake)
