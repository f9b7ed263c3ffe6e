# The scripts' own logic, on made-up inputs (no emulator).
add_test(NAME unit.bench_judge COMMAND ${CMAKE_CURRENT_LIST_DIR}/test_bench_judge.sh
  ${PV_ROOT}/scripts/bench-judge.sh)
set_tests_properties(unit.bench_judge PROPERTIES LABELS "unit;scripts" TIMEOUT 60)
add_test(NAME unit.qemu_run COMMAND ${CMAKE_CURRENT_LIST_DIR}/test_qemu_run.sh
  ${PV_ROOT}/scripts/qemu-run.sh)
set_tests_properties(unit.qemu_run PROPERTIES LABELS "unit;scripts" TIMEOUT 60)
