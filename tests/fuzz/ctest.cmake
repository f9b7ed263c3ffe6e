# The fuzz targets in the host test tree (label "fuzz"): one fixture builds build/fuzz once with
# clang-19 (scripts/fuzz.sh build), then each target runs for PV_FUZZ_SECONDS seconds from its
# seeds. Longer runs: ./pv fuzz (docs/fuzzing.md).
set(PV_FUZZ_SECONDS 2 CACHE STRING "seconds each fuzz target runs in the test command")
set(PV_FUZZ_TARGETS "")
function(pv_fuzz_target)
  cmake_parse_arguments(T "FAKE;CMOCKA" "NAME" "SOURCES;INCLUDES;DEFINES" ${ARGN})
  set(PV_FUZZ_TARGETS ${PV_FUZZ_TARGETS} ${T_NAME} PARENT_SCOPE)
endfunction()
include(${CMAKE_CURRENT_LIST_DIR}/targets.cmake)

add_test(NAME fuzz.build COMMAND ${PV_ROOT}/scripts/fuzz.sh build)
set_tests_properties(fuzz.build PROPERTIES FIXTURES_SETUP pv_fuzz_tree LABELS fuzz TIMEOUT 1800)
foreach(t IN LISTS PV_FUZZ_TARGETS)
  add_test(NAME fuzz.${t} COMMAND ${PV_ROOT}/scripts/fuzz.sh check ${t} ${PV_FUZZ_SECONDS})
  set_tests_properties(fuzz.${t} PROPERTIES FIXTURES_REQUIRED pv_fuzz_tree LABELS fuzz
    TIMEOUT 300)
endforeach()
