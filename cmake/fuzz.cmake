# Fuzz tree (docs/fuzzing.md): the libFuzzer targets of tests/fuzz/, built with clang-19 under
# ASan + UBSan with coverage instrumentation, the core and libfdt included (libfdt compiled from
# the sources the images use, so the fuzzer sees coverage inside it too). Nothing else is built.
# Configured by scripts/fuzz.sh into build/fuzz.
include(${PV_ROOT}/cmake/sources.cmake)
set(CMAKE_C_STANDARD 11)
set(CMAKE_C_STANDARD_REQUIRED ON)
set(CMAKE_C_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "the fuzz tree needs clang (libFuzzer): configure it with "
    "-DCMAKE_C_COMPILER=clang-19, as scripts/fuzz.sh does")
endif()

find_package(PkgConfig REQUIRED)
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)

execute_process(COMMAND ${PV_ROOT}/scripts/fetch-libfdt.sh
  RESULT_VARIABLE rc OUTPUT_VARIABLE PV_LIBFDT_DIR OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "could not fetch libfdt sources (see the message above)")
endif()

set(PV_FUZZ_SANITIZE -fsanitize=address,undefined -fno-sanitize-recover=all
  -fno-omit-frame-pointer)
# Every object: sanitized and instrumented for coverage; only executables get libFuzzer's main.
add_library(pv_fuzz_flags INTERFACE)
target_compile_options(pv_fuzz_flags INTERFACE -g -O1 ${PV_FUZZ_SANITIZE}
  -fsanitize=fuzzer-no-link)
target_link_options(pv_fuzz_flags INTERFACE ${PV_FUZZ_SANITIZE})
target_include_directories(pv_fuzz_flags INTERFACE ${PV_CORE_INCLUDES} ${PV_ROOT}/tests/unit
  ${PV_ROOT}/tests/fuzz)
target_compile_definitions(pv_fuzz_flags INTERFACE PV_HOST_TEST=1 PV_FUZZ=1
  CONFIG_PAGE_POOL_MAX_FRAMES=4096 CONFIG_MAX_CPUS=4 CONFIG_SCHED_SLICE_US=4000)

file(GLOB pv_libfdt_sources ${PV_LIBFDT_DIR}/*.c)
add_library(pv_fuzz_libfdt STATIC ${pv_libfdt_sources})
target_link_libraries(pv_fuzz_libfdt PUBLIC pv_fuzz_flags)
target_include_directories(pv_fuzz_libfdt SYSTEM PUBLIC ${PV_LIBFDT_DIR})
target_compile_options(pv_fuzz_libfdt PRIVATE -w) # third-party code, its own warnings
target_compile_definitions(pv_fuzz_libfdt PRIVATE _POSIX_C_SOURCE=200809L) # strnlen

add_library(pv_fuzz_core STATIC ${PV_LIB_SOURCES} ${PV_CORE_SOURCES})
target_link_libraries(pv_fuzz_core PUBLIC pv_fuzz_flags pv_fuzz_libfdt)
target_compile_options(pv_fuzz_core PRIVATE ${PV_WARNINGS})

# The fake backend; a target that brings an architecture's vm_desc.c overrides its arch_vm_desc
# (a static library member is only linked when nothing else defines what it defines).
file(GLOB pv_fake_sources ${PV_ROOT}/tests/unit/fake/*.c)
add_library(pv_fuzz_fake STATIC ${pv_fake_sources} ${PV_ROOT}/tests/fuzz/fuzz_vm.c)
target_link_libraries(pv_fuzz_fake PUBLIC pv_fuzz_core)
target_compile_options(pv_fuzz_fake PRIVATE ${PV_WARNINGS})

set(PV_FUZZ_TARGETS "")
# pv_fuzz_target(NAME <name> SOURCES <files...> [FAKE] [CMOCKA] [INCLUDES <dirs...>]
#                [DEFINES <defs...>])
# One libFuzzer executable, build/fuzz/fuzz_<name>. FAKE links the fake backend (and the core),
# CMOCKA the cmocka library (for checkers and mocks written for the unit suites; their failed
# assertions abort).
function(pv_fuzz_target)
  cmake_parse_arguments(T "FAKE;CMOCKA" "NAME" "SOURCES;INCLUDES;DEFINES" ${ARGN})
  add_executable(fuzz_${T_NAME} ${T_SOURCES})
  if(T_FAKE)
    # The core and the fake need each other (cmake/host.cmake says why): one group, rescanned.
    target_link_libraries(fuzz_${T_NAME} PRIVATE
      "$<LINK_GROUP:RESCAN,pv_fuzz_core,pv_fuzz_fake>")
  else()
    target_link_libraries(fuzz_${T_NAME} PRIVATE pv_fuzz_core)
  endif()
  target_link_options(fuzz_${T_NAME} PRIVATE -fsanitize=fuzzer)
  target_compile_options(fuzz_${T_NAME} PRIVATE ${PV_WARNINGS})
  target_include_directories(fuzz_${T_NAME} PRIVATE ${T_INCLUDES})
  target_compile_definitions(fuzz_${T_NAME} PRIVATE ${T_DEFINES})
  if(T_CMOCKA)
    target_sources(fuzz_${T_NAME} PRIVATE ${PV_ROOT}/tests/fuzz/fuzz_cmocka.c)
    target_link_libraries(fuzz_${T_NAME} PRIVATE PkgConfig::CMOCKA)
  endif()
  set(PV_FUZZ_TARGETS ${PV_FUZZ_TARGETS} ${T_NAME} PARENT_SCOPE)
endfunction()

include(${PV_ROOT}/tests/fuzz/targets.cmake)
include(${PV_ROOT}/tests/fuzz/seeds.cmake OPTIONAL)
# The list scripts/fuzz.sh runs by default.
list(JOIN PV_FUZZ_TARGETS "\n" pv_fuzz_list)
file(WRITE ${CMAKE_BINARY_DIR}/targets.txt "${pv_fuzz_list}\n")
