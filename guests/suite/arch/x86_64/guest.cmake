# The guest suite's x86_64 layer: 32-bit protected-mode entry (Polyvisor's x86_64 reset state),
# long mode on identity page tables of its own, x2APIC for the timer and IPIs.
set(G_ARCH_SOURCES ${g_arch_dir}/entry.S ${g_arch_dir}/garch.c ${g_arch_dir}/context.S
  ${g_arch_dir}/xchecks.c ${g_arch_dir}/xinsn.S)
# C without FP/SIMD: the interrupt handlers then leave the SSE registers (context check) alone.
set(G_ARCH_COMPILE_OPTIONS -m64 -mno-red-zone -mgeneral-regs-only -mcmodel=small
  -fno-asynchronous-unwind-tables -fno-unwind-tables)
set(G_ARCH_LINK_OPTIONS -m64 -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack)
set(G_LINKER_SCRIPT_IN ${g_arch_dir}/guest.ld.in)
