# The playground (web/) and the /docs viewer are compiled into the pixmill binary, so
# one file serves everything with no CDN and nothing to install beside it.
#
# The API reference viewer is swagger-ui-dist from npm (Apache-2.0), pinned by version
# and SHA-512 and cached like the libvips build (cmake/SharpLibvips.cmake).
#
# Defines PIXMILL_WEB_ASSETS_CPP: a generated source file with every asset.

include(${CMAKE_CURRENT_LIST_DIR}/NpmPackage.cmake)

if(NOT DEFINED PIXMILL_DEPS_CACHE)
  if(DEFINED ENV{PIXMILL_CACHE_DIR})
    set(PIXMILL_DEPS_CACHE "$ENV{PIXMILL_CACHE_DIR}")
  else()
    set(PIXMILL_DEPS_CACHE "$ENV{HOME}/.cache/pixmill")
  endif()
endif()

set(PIXMILL_SWAGGER_UI_VERSION "5.35.0")
set(_pixmill_sha512_swagger_ui "534eaba4cb56f55dd73c638179a993512af4674f63317e0826e00da44fc465b021c341bc0a0c2bcd4e18997927fe1d3008336c5dd19aad334d1c2dec53cc9551")
set(_swagger "${PIXMILL_DEPS_CACHE}/swagger-ui-dist-${PIXMILL_SWAGGER_UI_VERSION}")
pixmill_npm_package("swagger-ui-dist" "${PIXMILL_SWAGGER_UI_VERSION}" "${_pixmill_sha512_swagger_ui}" "${_swagger}")

# URL path -> file. The playground's own files are globbed so a new file in web/ is served.
set(_manifest "")
set(_files "")
file(GLOB _web_files CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/web/*.html" "${CMAKE_SOURCE_DIR}/web/*.css"
     "${CMAKE_SOURCE_DIR}/web/*.js" "${CMAKE_SOURCE_DIR}/web/*.svg")
foreach(_f IN LISTS _web_files)
  get_filename_component(_name "${_f}" NAME)
  string(APPEND _manifest "/assets/${_name}\t${_f}\n")
  list(APPEND _files "${_f}")
endforeach()
foreach(_name swagger-ui-bundle.js swagger-ui.css LICENSE)
  string(APPEND _manifest "/docs/assets/${_name}\t${_swagger}/package/${_name}\n")
  list(APPEND _files "${_swagger}/package/${_name}")
endforeach()

set(_manifest_file "${CMAKE_BINARY_DIR}/generated/web_assets.manifest")
file(CONFIGURE OUTPUT "${_manifest_file}" CONTENT "${_manifest}")
set(PIXMILL_WEB_ASSETS_CPP "${CMAKE_BINARY_DIR}/generated/web_assets.cpp")
add_custom_command(
  OUTPUT "${PIXMILL_WEB_ASSETS_CPP}"
  COMMAND ${CMAKE_COMMAND} -DMANIFEST=${_manifest_file} -DOUT=${PIXMILL_WEB_ASSETS_CPP}
          -P "${CMAKE_CURRENT_LIST_DIR}/embed_assets.cmake"
  DEPENDS "${_manifest_file}" ${_files} "${CMAKE_CURRENT_LIST_DIR}/embed_assets.cmake"
  COMMENT "Embedding the web assets"
  VERBATIM)
