# VM descriptions in an image build: the .dts named by CONFIG_VM_DESCRIPTION is preprocessed (cpp,
# with the image's autoconf.h, so it may use CONFIG_ values and #include), compiled by dtc, checked
# and packed with the files its images name by pv-vmdesc (the hypervisor's own description code
# built for the host), and the package is embedded in the image (pv_vm_package, vm/hv_vms.h).

# pv-vmdesc, built with the host compiler from the core's sources and this image's configuration.
set(pv_vmdesc ${CMAKE_BINARY_DIR}/tools/pv-vmdesc)
file(GLOB pv_vmdesc_tool_sources ${PV_ROOT}/tools/vmdesc/*.c)
# The backend's description code: vm_desc.c and the vm_desc_*.c files it uses.
file(GLOB pv_vmdesc_arch_sources ${PV_ROOT}/arch/${CONFIG_ARCH}/vm_desc*.c)
set(pv_vmdesc_sources ${PV_LIB_SOURCES} ${PV_CORE_SOURCES}
  ${pv_vmdesc_arch_sources} ${pv_vmdesc_tool_sources})
file(GLOB_RECURSE pv_vmdesc_headers ${PV_ROOT}/vm/include/*.h ${PV_ROOT}/hal/include/*.h
  ${PV_ROOT}/irq/include/*.h ${PV_ROOT}/devices/include/*.h ${PV_ROOT}/lib/include/pv/*.h
  ${PV_ROOT}/vcpu/include/*.h ${PV_ROOT}/addrspace/include/*.h ${PV_ROOT}/tools/vmdesc/*.h)
set(pv_vmdesc_flags ${PV_WARNINGS} -include ${PV_AUTOCONF} -I${PV_ROOT}/tools/vmdesc
  -I${PV_ROOT}/arch/${CONFIG_ARCH}/include)
foreach(dir IN LISTS PV_CORE_INCLUDES)
  list(APPEND pv_vmdesc_flags -I${dir})
endforeach()
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/tools)
add_custom_command(OUTPUT ${pv_vmdesc}
  COMMAND ${PV_ROOT}/scripts/build-vmdesc.sh ${pv_vmdesc} ${PV_LIBFDT_DIR} ${pv_vmdesc_flags}
          -- ${pv_vmdesc_sources}
  DEPENDS ${pv_vmdesc_sources} ${pv_vmdesc_headers} ${PV_AUTOCONF}
          ${PV_ROOT}/scripts/build-vmdesc.sh
  COMMENT "Building pv-vmdesc (host)" VERBATIM)
add_custom_target(pv_vmdesc DEPENDS ${pv_vmdesc})

set(pv_vms_dir ${CMAKE_BINARY_DIR}/vms)
set(pv_vms_blob ${pv_vms_dir}/vms_blob.S)
file(MAKE_DIRECTORY ${pv_vms_dir})

if(CONFIG_VM_DESCRIPTION)
  if(IS_ABSOLUTE "${CONFIG_VM_DESCRIPTION}")
    set(pv_desc ${CONFIG_VM_DESCRIPTION})
  else()
    set(pv_desc ${PV_ROOT}/${CONFIG_VM_DESCRIPTION})
  endif()
  if(NOT EXISTS ${pv_desc})
    message(FATAL_ERROR "CONFIG_VM_DESCRIPTION names ${pv_desc}, which does not exist")
  endif()
  get_filename_component(pv_desc_dir ${pv_desc} DIRECTORY)
  execute_process(COMMAND ${PV_ROOT}/scripts/cache-dir.sh OUTPUT_VARIABLE pv_cache
    OUTPUT_STRIP_TRAILING_WHITESPACE)

  # Where "file" images are looked for, in order.
  set(pv_search ${pv_desc_dir} ${CMAKE_BINARY_DIR}/guest_suite ${pv_cache}/guests)
  if(CONFIG_VM_IMAGE_PATH)
    string(REPLACE ":" ";" pv_extra "${CONFIG_VM_IMAGE_PATH}")
    list(APPEND pv_search ${pv_extra})
  endif()
  set(pv_search_args)
  foreach(dir IN LISTS pv_search)
    list(APPEND pv_search_args -I ${dir})
  endforeach()

  set(pv_desc_i ${pv_vms_dir}/vms.dts.i)
  set(pv_desc_dtb ${pv_vms_dir}/vms.dtb)
  set(pv_pkg ${pv_vms_dir}/vms.pkg)
  add_custom_command(OUTPUT ${pv_desc_dtb}
    COMMAND ${CMAKE_C_COMPILER} -E -P -x assembler-with-cpp -undef -nostdinc -D__DTS__
            -include ${PV_AUTOCONF} -I${pv_desc_dir} -I${PV_ROOT}/guests/suite/include
            -MD -MF ${pv_desc_i}.d -MT ${pv_desc_dtb} -o ${pv_desc_i} ${pv_desc}
    COMMAND dtc -q -I dts -O dtb -o ${pv_desc_dtb} ${pv_desc_i}
    DEPENDS ${pv_desc} ${PV_AUTOCONF}
    DEPFILE ${pv_desc_i}.d
    COMMENT "Compiling the VM description ${CONFIG_VM_DESCRIPTION}" VERBATIM)
  set(pv_pack_deps ${pv_desc_dtb} ${pv_vmdesc})
  if(TARGET guest_suite)
    list(APPEND pv_pack_deps guest_suite guest_suite_bin)
  endif()
  add_custom_command(OUTPUT ${pv_pkg}
    COMMAND ${pv_vmdesc} pack ${pv_desc_dtb} -o ${pv_pkg} -M ${pv_pkg}.d -s ${pv_desc}
            ${pv_search_args}
    DEPENDS ${pv_pack_deps}
    DEPFILE ${pv_pkg}.d
    COMMENT "Checking and packing the VMs of ${CONFIG_VM_DESCRIPTION}" VERBATIM)
  add_custom_target(pv_vms_pkg DEPENDS ${pv_pkg})
  file(WRITE ${pv_vms_blob}.new
"/* Generated: the VM description package (vm/hv_vms.h). */
	.section .rodata.vm_package, \"a\"
	.balign 4096
	.global pv_vm_package
pv_vm_package:
	.incbin \"${pv_pkg}\"
	.global pv_vm_package_end
pv_vm_package_end:
")
  set_source_files_properties(${pv_vms_blob} PROPERTIES OBJECT_DEPENDS ${pv_pkg})
  add_dependencies(polyvisor pv_vms_pkg)
else()
  file(WRITE ${pv_vms_blob}.new
"/* Generated: no VM description is configured (vm/hv_vms.h). */
	.section .rodata.vm_package, \"a\"
	.global pv_vm_package
	.global pv_vm_package_end
pv_vm_package:
pv_vm_package_end:
")
endif()
# Rewritten only when it changes, so an unchanged configuration rebuilds nothing.
file(COPY_FILE ${pv_vms_blob}.new ${pv_vms_blob} ONLY_IF_DIFFERENT)
target_sources(polyvisor PRIVATE ${pv_vms_blob})
