# libfdt for the image, compiled from Debian's linux-source package (fetched once, cached outside
# the tree by scripts/fetch-libfdt.sh). No third-party source is kept in this repository.
execute_process(COMMAND ${PV_ROOT}/scripts/fetch-libfdt.sh
  RESULT_VARIABLE rc OUTPUT_VARIABLE PV_LIBFDT_DIR OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "could not fetch libfdt sources (see the message above)")
endif()
file(GLOB pv_libfdt_sources ${PV_LIBFDT_DIR}/*.c)
add_library(pv_libfdt STATIC ${pv_libfdt_sources})
target_link_libraries(pv_libfdt PRIVATE pv_image_flags)
target_include_directories(pv_libfdt SYSTEM PUBLIC ${PV_LIBFDT_DIR})
# Third-party code: keep its own warnings quiet rather than patch it.
target_compile_options(pv_libfdt PRIVATE -w)
