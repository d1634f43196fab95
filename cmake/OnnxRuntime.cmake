# ONNX Runtime for the background-removal and face models, from the npm registry:
# com.github.asus4.onnxruntime ships Microsoft's ONNX Runtime 1.29 build for Linux x64
# (libonnxruntime.so, MIT) together with its C/C++ API headers (inside the iOS
# framework folder; the C API is the same on every platform). It is the one registry
# package with both: onnxruntime-node has the library without headers, Debian 12 has
# neither. Pinned by version and SHA-512, fetched at configure time, cached outside the
# source tree, linked dynamically with an rpath, never committed.
#
# Defines the imported target pixmill::onnxruntime and PIXMILL_ONNXRUNTIME_LIBDIR.

if(NOT PIXMILL_DEPS_CACHE)  # set by SharpLibvips.cmake unless PIXMILL_VIPS=system
  set(PIXMILL_DEPS_CACHE "$ENV{HOME}/.cache/pixmill" CACHE PATH "Where pinned npm dependencies are cached")
endif()
set(PIXMILL_ONNXRUNTIME_NPM_VERSION "0.4.9" CACHE STRING "npm version of com.github.asus4.onnxruntime")
set(_pixmill_ort_sha512 "064cf176e499f4891e0cfe90f25cf64c553689eee1492bd2ed921fccca28131a2ad02373267bae19a509ec8b288c182a3b8a2e0f58d76a1f0e63225b08ddbd16")
set(_pixmill_ort_root "${PIXMILL_DEPS_CACHE}/onnxruntime-${PIXMILL_ONNXRUNTIME_NPM_VERSION}")
set(_pixmill_ort_headers "package/Plugins/iOS~/onnxruntime.xcframework/ios-arm64_x86_64-simulator/onnxruntime.framework/Headers")

include(${CMAKE_CURRENT_LIST_DIR}/NpmPackage.cmake)
# Only what Linux x64 needs: the package also carries Windows, macOS, iOS and Android builds.
pixmill_npm_package("com.github.asus4.onnxruntime" "${PIXMILL_ONNXRUNTIME_NPM_VERSION}" "${_pixmill_ort_sha512}" "${_pixmill_ort_root}"
  package/package.json package/LICENSE package/ThirdPartyNotices.txt
  package/Plugins/Linux/x64/libonnxruntime.so "${_pixmill_ort_headers}")

set(PIXMILL_ONNXRUNTIME_LIBDIR "${_pixmill_ort_root}/package/Plugins/Linux/x64")
# The library's SONAME is libonnxruntime.so.1; the package names the file without the suffix.
if(NOT EXISTS "${PIXMILL_ONNXRUNTIME_LIBDIR}/libonnxruntime.so.1")
  file(CREATE_LINK libonnxruntime.so "${PIXMILL_ONNXRUNTIME_LIBDIR}/libonnxruntime.so.1" SYMBOLIC)
endif()

add_library(pixmill::onnxruntime SHARED IMPORTED GLOBAL)
set_target_properties(pixmill::onnxruntime PROPERTIES
  IMPORTED_LOCATION "${PIXMILL_ONNXRUNTIME_LIBDIR}/libonnxruntime.so.1"
  IMPORTED_SONAME "libonnxruntime.so.1")
# SYSTEM: the third-party headers must not trip our -Wall -Wextra.
target_include_directories(pixmill::onnxruntime SYSTEM INTERFACE "${_pixmill_ort_root}/${_pixmill_ort_headers}")
