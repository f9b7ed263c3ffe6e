# Source checks as ctest tests (label "lint"): formatting and cppcheck.
add_test(NAME lint.format COMMAND ${PV_ROOT}/scripts/lint.sh format)
add_test(NAME lint.cppcheck COMMAND ${PV_ROOT}/scripts/lint.sh cppcheck)
set_tests_properties(lint.format lint.cppcheck PROPERTIES LABELS lint TIMEOUT 600)
