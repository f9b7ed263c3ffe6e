# The guest suite's aarch64 layer: an EL1 guest with its MMU off (guest-physical addresses are
# used directly, all data accesses are Device memory, hence strict alignment).
set(G_ARCH_SOURCES ${g_arch_dir}/entry.S ${g_arch_dir}/context.S ${g_arch_dir}/garch.c
  ${g_arch_dir}/cpustate.c)
# General registers only in C: the interrupt handler then saves no FP/SIMD state, which the
# context check fills with its own patterns.
set(G_ARCH_COMPILE_OPTIONS -march=armv8-a -mgeneral-regs-only -mstrict-align
  -mno-outline-atomics -fno-asynchronous-unwind-tables -fno-unwind-tables)
set(G_ARCH_LINK_OPTIONS -march=armv8-a)
set(G_LINKER_SCRIPT_IN ${g_arch_dir}/guest.ld.in)
