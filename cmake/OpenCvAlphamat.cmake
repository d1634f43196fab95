# Information-flow alpha matting (cv::alphamat::infoFlow, OpenCV contrib) for the cut-out's
# edge refinement (refineEdges). Debian 12 ships it only inside libopencv-contrib406, whose
# other modules pull about 160 packages into an install (VTK, HDF5, Tesseract, …), while
# the alphamat library itself needs nothing but OpenCV core and imgproc, which the DNN
# backend links already. So the build takes that one library and its header from the two
# Debian packages: `apt-get download` (verified against the archive's signed index; the
# version of the installed OpenCV core), extracted into the dependency cache, linked with
# an rpath, never committed.
#
# Defines the imported target pixmill::alphamat and PIXMILL_ALPHAMAT_LIBDIR.

if(NOT PIXMILL_DEPS_CACHE)
  set(PIXMILL_DEPS_CACHE "$ENV{HOME}/.cache/pixmill" CACHE PATH "Where pinned dependencies are cached")
endif()
# The alphamat of the OpenCV the build links: the version of the installed OpenCV core
# (a Debian point release moves both together, and the archive keeps only the current one).
set(_pixmill_version_format "-f=\${Version}")
execute_process(COMMAND dpkg-query -W "${_pixmill_version_format}" libopencv-core406
                OUTPUT_VARIABLE _pixmill_core_version OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT _pixmill_core_version)
  set(_pixmill_core_version "4.6.0+dfsg-12")
endif()
set(PIXMILL_ALPHAMAT_DEB_VERSION "${_pixmill_core_version}" CACHE STRING "Debian version of libopencv-contrib406 to take alphamat from")
string(REPLACE "+" "_" _pixmill_alphamat_tag "${PIXMILL_ALPHAMAT_DEB_VERSION}")
set(_pixmill_alphamat_root "${PIXMILL_DEPS_CACHE}/opencv-alphamat-${_pixmill_alphamat_tag}")
set(PIXMILL_ALPHAMAT_LIBDIR "${_pixmill_alphamat_root}/lib")
set(_pixmill_alphamat_lib "${PIXMILL_ALPHAMAT_LIBDIR}/libopencv_alphamat.so.406")
set(_pixmill_alphamat_header "${_pixmill_alphamat_root}/include/opencv2/alphamat.hpp")

if(NOT EXISTS "${_pixmill_alphamat_lib}" OR NOT EXISTS "${_pixmill_alphamat_header}")
  set(_work "${_pixmill_alphamat_root}.partial")
  file(REMOVE_RECURSE "${_work}")
  file(MAKE_DIRECTORY "${_work}/debs" "${_work}/tree")
  message(STATUS "alphamat: apt-get download libopencv-contrib406 and libopencv-contrib-dev ${PIXMILL_ALPHAMAT_DEB_VERSION}")
  set(_download apt-get download -q "libopencv-contrib406=${PIXMILL_ALPHAMAT_DEB_VERSION}"
                                    "libopencv-contrib-dev=${PIXMILL_ALPHAMAT_DEB_VERSION}")
  execute_process(COMMAND ${_download} WORKING_DIRECTORY "${_work}/debs"
                  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  if(NOT _rc EQUAL 0)
    # No package index yet (a fresh container): as root, fetch it and try once more.
    execute_process(COMMAND id -u OUTPUT_VARIABLE _uid OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(_uid STREQUAL "0")
      execute_process(COMMAND apt-get update -qq RESULT_VARIABLE _updated OUTPUT_QUIET ERROR_QUIET)
      execute_process(COMMAND ${_download} WORKING_DIRECTORY "${_work}/debs"
                      RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
    endif()
  endif()
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "alphamat: apt-get download failed (is the package index current? "
                        "scripts/install-deps.sh runs apt-get update): ${_err}")
  endif()
  file(GLOB _debs "${_work}/debs/*.deb")
  foreach(_deb IN LISTS _debs)
    execute_process(COMMAND dpkg-deb -x "${_deb}" "${_work}/tree" RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR "alphamat: dpkg-deb could not unpack ${_deb}")
    endif()
  endforeach()
  file(GLOB _libs "${_work}/tree/usr/lib/*/libopencv_alphamat.so.4.6.0")
  if(NOT _libs OR NOT EXISTS "${_work}/tree/usr/include/opencv4/opencv2/alphamat.hpp")
    message(FATAL_ERROR "alphamat: the packages lack libopencv_alphamat or its header")
  endif()
  list(GET _libs 0 _lib)
  file(MAKE_DIRECTORY "${_pixmill_alphamat_root}/lib" "${_pixmill_alphamat_root}/include/opencv2")
  file(COPY_FILE "${_lib}" "${_pixmill_alphamat_lib}")
  file(COPY_FILE "${_work}/tree/usr/include/opencv4/opencv2/alphamat.hpp" "${_pixmill_alphamat_header}")
  file(COPY_FILE "${_work}/tree/usr/share/doc/libopencv-contrib406/copyright" "${_pixmill_alphamat_root}/copyright")
  file(REMOVE_RECURSE "${_work}")
endif()

add_library(pixmill::alphamat SHARED IMPORTED GLOBAL)
set_target_properties(pixmill::alphamat PROPERTIES
  IMPORTED_LOCATION "${_pixmill_alphamat_lib}"
  IMPORTED_SONAME "libopencv_alphamat.so.406")
# SYSTEM: the third-party header must not trip our -Wall -Wextra.
target_include_directories(pixmill::alphamat SYSTEM INTERFACE "${_pixmill_alphamat_root}/include")
target_link_libraries(pixmill::alphamat INTERFACE pixmill::opencv)
