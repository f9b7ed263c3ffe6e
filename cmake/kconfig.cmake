# Kconfig for image builds, with Debian's kconfiglib (python3-kconfiglib).
#  - A new build tree starts from platforms/${PV_PLATFORM}/defconfig.
#  - genconfig writes include/generated/autoconf.h; the CONFIG_* values become CMake variables.
#  - menuconfig / olddefconfig / savedefconfig targets edit the tree's .config; CMake re-runs after.

# Debian's python3 (a python3 earlier on PATH may not see kconfiglib).
find_program(PV_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT PV_PYTHON)
  find_program(PV_PYTHON NAMES python3 REQUIRED)
endif()

set(PV_KCONFIG ${PV_ROOT}/Kconfig)
set(PV_DOTCONFIG ${CMAKE_BINARY_DIR}/.config)
set(PV_AUTOCONF ${CMAKE_BINARY_DIR}/include/generated/autoconf.h)
set(PV_KCONFIG_ENV srctree=${PV_ROOT} KCONFIG_CONFIG=${PV_DOTCONFIG})

if(NOT PV_PLATFORM)
  set(PV_PLATFORM qemu-virt-aarch64)
endif()
set(PV_PLATFORM ${PV_PLATFORM} CACHE STRING "Board whose defconfig seeds a new build tree")

function(pv_kconfig_run)
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env ${PV_KCONFIG_ENV} ${PV_PYTHON} -m ${ARGN}
    WORKING_DIRECTORY ${PV_ROOT}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "kconfig '${ARGN}' failed (is python3-kconfiglib installed?):\n${out}${err}")
  endif()
endfunction()

if(NOT EXISTS ${PV_DOTCONFIG})
  set(defconfig ${PV_ROOT}/platforms/${PV_PLATFORM}/defconfig)
  if(NOT EXISTS ${defconfig})
    file(GLOB known RELATIVE ${PV_ROOT}/platforms ${PV_ROOT}/platforms/*/defconfig)
    string(REPLACE "/defconfig" "" known "${known}")
    message(FATAL_ERROR "unknown platform '${PV_PLATFORM}'; known platforms: ${known}")
  endif()
  pv_kconfig_run(defconfig --kconfig ${PV_KCONFIG} ${defconfig})
else()
  # Fills in symbols the .config does not mention (new options, hand-written fragments).
  pv_kconfig_run(olddefconfig ${PV_KCONFIG})
endif()
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/include/generated)
pv_kconfig_run(genconfig --header-path ${PV_AUTOCONF} ${PV_KCONFIG})

# CONFIG_FOO=value lines of .config -> CMake variables (strings unquoted).
file(STRINGS ${PV_DOTCONFIG} pv_config_lines REGEX "^CONFIG_")
foreach(line IN LISTS pv_config_lines)
  string(REGEX MATCH "^(CONFIG_[A-Za-z0-9_]+)=(.*)$" _ "${line}")
  set(name "${CMAKE_MATCH_1}")
  set(value "${CMAKE_MATCH_2}")
  string(REGEX REPLACE "^\"(.*)\"$" "\\1" value "${value}")
  set(${name} "${value}")
endforeach()

# Re-run CMake when the configuration or any Kconfig file changes.
file(GLOB_RECURSE pv_kconfig_files ${PV_ROOT}/Kconfig ${PV_ROOT}/arch/*/Kconfig*
     ${PV_ROOT}/platforms/*/Kconfig*)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PV_DOTCONFIG} ${pv_kconfig_files})

foreach(var CONFIG_ARCH CONFIG_PLATFORM CONFIG_TOOLCHAIN)
  if(NOT ${var})
    message(FATAL_ERROR "${PV_DOTCONFIG} does not set ${var}")
  endif()
endforeach()

if(CONFIG_TOOLCHAIN STREQUAL "clang")
  set(CMAKE_TOOLCHAIN_FILE ${PV_ROOT}/toolchains/clang.cmake)
else()
  set(CMAKE_TOOLCHAIN_FILE ${PV_ROOT}/toolchains/${CONFIG_ARCH}-${CONFIG_TOOLCHAIN}.cmake)
endif()
if(NOT EXISTS ${CMAKE_TOOLCHAIN_FILE})
  message(FATAL_ERROR "no toolchain file ${CMAKE_TOOLCHAIN_FILE} for ${CONFIG_ARCH}/${CONFIG_TOOLCHAIN}")
endif()
