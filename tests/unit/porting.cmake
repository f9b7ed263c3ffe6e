# docs/porting.md's first stage followed for a stub backend and board in a temporary copy of the
# tree: it builds and boots in QEMU, and the commands skip what the stub cannot do yet.
add_test(NAME porting.stub COMMAND ${PV_ROOT}/tests/porting/stub-port.sh ${PV_ROOT})
set_tests_properties(porting.stub PROPERTIES LABELS porting TIMEOUT 300)
