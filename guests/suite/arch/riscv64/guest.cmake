# The guest suite's riscv64 layer: a VS-mode bare-metal guest with satp off, linked at the VM's
# RAM base. FP instructions are allowed (the context check fills the FP file); the C code keeps
# the integer ABI. No linker relaxation: gp is an ordinary register the context check fills.
set(G_ARCH_SOURCES ${g_arch_dir}/start.S ${g_arch_dir}/context.S ${g_arch_dir}/garch.c
  ${g_arch_dir}/xonly.S ${g_arch_dir}/xonly.c ${g_arch_dir}/cpustate.S ${g_arch_dir}/cpustate.c)
set(G_ARCH_COMPILE_OPTIONS -march=rv64imafdc_zicsr_zifencei -mabi=lp64 -mcmodel=medany -mno-relax
  -fno-asynchronous-unwind-tables -fno-unwind-tables)
set(G_ARCH_LINK_OPTIONS -march=rv64imafdc_zicsr_zifencei -mabi=lp64 -Wl,--no-relax)
set(G_LINKER_SCRIPT_IN ${g_arch_dir}/guest.ld.in)
