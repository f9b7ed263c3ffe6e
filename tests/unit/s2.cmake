# Stage-2 engine suites: the engine on the fake format, with the shared random checker.
pv_unit_test(NAME s2_engine
  SOURCES ${PV_ROOT}/tests/unit/test_s2_engine.c ${PV_ROOT}/tests/unit/s2_check.c
  LABELS s2 FAKE)
