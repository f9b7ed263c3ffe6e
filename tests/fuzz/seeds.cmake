# Seeds generated at build time into build/fuzz/seeds/<target>/ (tests/fuzz/make-seeds.sh), next
# to the hand-made ones committed in tests/fuzz/seeds/<target>/.

# pv-vmdesc as the images build it (tools/vmdesc, with aarch64's description side), here to pack
# the seed descriptions exactly as an image build would.
file(GLOB pv_vmdesc_tool_sources ${PV_ROOT}/tools/vmdesc/*.c)
add_executable(pv_vmdesc_seed ${pv_vmdesc_tool_sources} ${PV_ROOT}/arch/aarch64/vm_desc.c)
target_link_libraries(pv_vmdesc_seed PRIVATE pv_fuzz_core)
target_include_directories(pv_vmdesc_seed PRIVATE ${PV_ROOT}/tools/vmdesc
  ${PV_ROOT}/arch/aarch64/include)
target_compile_definitions(pv_vmdesc_seed PRIVATE CONFIG_ARCH="aarch64" ${pv_fuzz_a64_board})
target_compile_options(pv_vmdesc_seed PRIVATE ${PV_WARNINGS})

file(GLOB_RECURSE pv_seed_sources ${PV_ROOT}/tests/fuzz/seed-src/*)
set(stamp ${CMAKE_BINARY_DIR}/seeds/.stamp)
add_custom_command(OUTPUT ${stamp}
  COMMAND ${PV_ROOT}/tests/fuzz/make-seeds.sh ${CMAKE_BINARY_DIR}/seeds
          $<TARGET_FILE:pv_vmdesc_seed>
  COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
  DEPENDS ${pv_seed_sources} ${PV_ROOT}/tests/fuzz/make-seeds.sh pv_vmdesc_seed
  COMMENT "Generating fuzz seeds" VERBATIM)
add_custom_target(pv_fuzz_seeds ALL DEPENDS ${stamp})
