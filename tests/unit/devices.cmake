# Emulated devices (devices/) and the per-CPU scheduler, on the fake backend.
set(d ${CMAKE_CURRENT_LIST_DIR})
pv_unit_test(NAME testdev SOURCES ${d}/test_testdev.c ${d}/vm_fixture.c LABELS devices FAKE)
pv_unit_test(NAME vuart_ns16550 SOURCES ${d}/test_vuart_ns16550.c ${d}/vm_fixture.c
  LABELS devices FAKE)
pv_unit_test(NAME vuart_pl011 SOURCES ${d}/test_vuart_pl011.c ${d}/vm_fixture.c
  LABELS devices FAKE)
pv_unit_test(NAME sched SOURCES ${d}/test_sched.c ${d}/vm_fixture.c LABELS core FAKE)
pv_unit_test(NAME vpoweroff SOURCES ${d}/test_vpoweroff.c ${d}/vm_fixture.c LABELS devices FAKE)
pv_unit_test(NAME virtqueue SOURCES ${d}/test_virtqueue.c ${d}/vm_fixture.c LABELS devices FAKE)
pv_unit_test(NAME virtio_mmio SOURCES ${d}/test_virtio_mmio.c ${d}/vdrv.c ${d}/vm_fixture.c
  LABELS devices FAKE)
pv_unit_test(NAME virtio_blk SOURCES ${d}/test_virtio_blk.c ${d}/vdrv.c ${d}/vm_fixture.c
  LABELS devices FAKE)
pv_unit_test(NAME virtio_net SOURCES ${d}/test_virtio_net.c ${d}/vdrv.c ${d}/vm_fixture.c
  LABELS devices FAKE)
# The hypervisor's own console drivers, receive side.
pv_unit_test(NAME uart_drivers SOURCES ${d}/test_uart_drivers.c ${PV_ROOT}/drivers/uart/ns16550.c
  ${PV_ROOT}/drivers/uart/pl011.c LABELS drivers)
