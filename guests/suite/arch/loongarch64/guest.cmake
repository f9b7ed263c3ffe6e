# The guest suite's loongarch64 layer: runs in LVZ guest mode with direct address translation
# (CRMD.DA), so guest-virtual = guest-physical. Soft-float C leaves the FP registers to the
# context check's and fpstate.S's assembly alone.
set(G_ARCH_SOURCES ${CMAKE_CURRENT_LIST_DIR}/entry.S ${CMAKE_CURRENT_LIST_DIR}/context.S
  ${CMAKE_CURRENT_LIST_DIR}/fpstate.S ${CMAKE_CURRENT_LIST_DIR}/garch.c)
set(G_ARCH_COMPILE_OPTIONS -march=la464 -msoft-float -mcmodel=normal
  -fdirect-access-external-data)
set(G_ARCH_LINK_OPTIONS --target=loongarch64-unknown-linux-gnu)
set(G_LINKER_SCRIPT_IN ${CMAKE_CURRENT_LIST_DIR}/guest.ld.in)
