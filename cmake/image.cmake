# Hypervisor image: core + lib + libfdt + the Kconfig-selected arch backend and board.
include(${PV_ROOT}/cmake/sources.cmake)
set(CMAKE_C_STANDARD 11)
set(CMAKE_C_STANDARD_REQUIRED ON)
set(CMAKE_C_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

# Flags every freestanding object of the image uses; arch/<isa>/CMakeLists.txt adds its own.
add_library(pv_image_flags INTERFACE)
target_compile_options(pv_image_flags INTERFACE
  -ffreestanding -fno-builtin -fno-common -fno-stack-protector -fno-pie -fno-pic
  -ffunction-sections -fdata-sections -g -O2
  $<$<COMPILE_LANGUAGE:ASM>:-D__ASSEMBLY__>)
target_include_directories(pv_image_flags INTERFACE
  ${PV_CORE_INCLUDES} ${PV_ROOT}/lib/include/libc ${CMAKE_BINARY_DIR}/include)
target_compile_definitions(pv_image_flags INTERFACE PV_IMAGE=1)
target_link_options(pv_image_flags INTERFACE -nostdlib -static $<$<C_COMPILER_ID:GNU>:-no-pie> -Wl,--gc-sections
  -Wl,--build-id=none)

include(${PV_ROOT}/cmake/libfdt.cmake)

# gcc would turn lib/string.c's copy loops into calls to memcpy itself.
set_source_files_properties(${PV_ROOT}/lib/string.c PROPERTIES
  COMPILE_OPTIONS $<$<C_COMPILER_ID:GNU>:-fno-tree-loop-distribute-patterns>)

add_executable(polyvisor ${PV_LIB_SOURCES} ${PV_LIBC_SOURCES} ${PV_CORE_SOURCES}
  ${PV_CORE_IMAGE_SOURCES} ${PV_DRIVER_SOURCES})
set_target_properties(polyvisor PROPERTIES OUTPUT_NAME polyvisor.elf)
target_link_libraries(polyvisor PRIVATE pv_image_flags pv_libfdt)
target_compile_options(polyvisor PRIVATE
  $<$<COMPILE_LANGUAGE:C>:${PV_WARNINGS}> -include ${PV_AUTOCONF})

# The backend and the board add their sources, flags, linker script and run recipe.
add_subdirectory(${PV_ROOT}/arch/${CONFIG_ARCH} arch)
add_subdirectory(${PV_ROOT}/platforms/${CONFIG_PLATFORM} platform)

if(CONFIG_GUEST_SUITE)
  add_subdirectory(${PV_ROOT}/guests/suite guest_suite)
endif()
include(${PV_ROOT}/cmake/vms.cmake)

# Kconfig front ends on this tree's .config (CMake re-runs on the next build when it changed).
foreach(tool menuconfig olddefconfig savedefconfig)
  set(extra)
  if(tool STREQUAL "savedefconfig")
    set(extra --out ${CMAKE_BINARY_DIR}/defconfig)
  endif()
  add_custom_target(${tool}
    COMMAND ${CMAKE_COMMAND} -E env ${PV_KCONFIG_ENV} ${PV_PYTHON} -m ${tool} ${extra}
            ${PV_KCONFIG}
    WORKING_DIRECTORY ${PV_ROOT} USES_TERMINAL VERBATIM)
endforeach()
