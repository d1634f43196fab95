# Obtains the libvips build that sharp ships (npm @img/sharp-libvips-*), pinned by
# version and SHA-512, at configure time, and caches it outside the source tree.
#
# Why this build and not Debian's libvips 8.14: on the project's machine Debian's is
# 1.3-1.6x slower on JPEG and WebP work (bench/compare/BASELINE.md). The package is
# LGPL-3.0-or-later; we link it dynamically with an rpath and never commit it.
#
# Defines the imported target pixmill::vips.

set(PIXMILL_SHARP_LIBVIPS_VERSION "1.3.4" CACHE STRING "npm version of @img/sharp-libvips-*")
set(PIXMILL_SHARP_LIBVIPS_SO "libvips-cpp.so.8.18.7")
# sha512 of the npm tarballs (npm's own "integrity" field, in hex).
set(_pixmill_sha512_linux_x64 "189fff4925db9f04837acd36ba60779c324b15c433c3c6b5f15f1fca1aabead579d79b4e10c7489a38f18f502869f311cf9e85dcf1e07ed9e3d5010a494d7393")
set(_pixmill_sha512_dev "b35548abaa7cde95868b5864ed52dd7d1888e8352894662a6e908dbb8cdd1086ca8e56dd47dcc716922263ac10b676e7e6349fbbdf84fcf482dbab6438d7abd9")

if(DEFINED ENV{PIXMILL_CACHE_DIR})
  set(_default_cache "$ENV{PIXMILL_CACHE_DIR}")
elseif(DEFINED ENV{XDG_CACHE_HOME})
  set(_default_cache "$ENV{XDG_CACHE_HOME}/pixmill")
else()
  set(_default_cache "$ENV{HOME}/.cache/pixmill")
endif()
set(PIXMILL_DEPS_CACHE "${_default_cache}" CACHE PATH "Where the pinned libvips distribution is cached")

set(_root "${PIXMILL_DEPS_CACHE}/sharp-libvips-${PIXMILL_SHARP_LIBVIPS_VERSION}")

include(${CMAKE_CURRENT_LIST_DIR}/NpmPackage.cmake)

pixmill_npm_package("@img/sharp-libvips-linux-x64" "${PIXMILL_SHARP_LIBVIPS_VERSION}" "${_pixmill_sha512_linux_x64}" "${_root}/linux-x64")
pixmill_npm_package("@img/sharp-libvips-dev" "${PIXMILL_SHARP_LIBVIPS_VERSION}" "${_pixmill_sha512_dev}" "${_root}/dev")

set(PIXMILL_VIPS_LIBDIR "${_root}/linux-x64/package/lib")
set(PIXMILL_VIPS_INCLUDE "${_root}/dev/package/include")

add_library(pixmill::vips SHARED IMPORTED GLOBAL)
set_target_properties(pixmill::vips PROPERTIES
  IMPORTED_LOCATION "${PIXMILL_VIPS_LIBDIR}/${PIXMILL_SHARP_LIBVIPS_SO}"
  IMPORTED_SONAME "${PIXMILL_SHARP_LIBVIPS_SO}")
# SYSTEM: the third-party headers must not trip our -Wall -Wextra.
target_include_directories(pixmill::vips SYSTEM INTERFACE
  "${PIXMILL_VIPS_INCLUDE}"
  "${PIXMILL_VIPS_INCLUDE}/glib-2.0"
  "${PIXMILL_VIPS_LIBDIR}/glib-2.0/include")
set(PIXMILL_VIPS_RPATH "${PIXMILL_VIPS_LIBDIR}")
