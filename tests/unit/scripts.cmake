# The scripts' own logic, on made-up inputs (no emulator).
add_test(NAME unit.bench_judge COMMAND ${CMAKE_CURRENT_LIST_DIR}/test_bench_judge.sh
  ${PV_ROOT}/scripts/bench-judge.sh)
set_tests_properties(unit.bench_judge PROPERTIES LABELS "unit;scripts" TIMEOUT 60)
