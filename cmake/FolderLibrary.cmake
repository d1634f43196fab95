# pixmill_folder_library(<folder> [PUBLIC deps...] [PRIVATE deps...] [EXCLUDE names...] [SOURCES extra...])
#
# Makes pixmill_<folder>, a static library of every .cpp under src/<folder> (new files
# are picked up at the next build: there is no list to edit), in namespace
# pixmill::<folder>. Its include root, build/include_roots/<folder>, holds one entry,
# <folder> -> src/<folder>, so `#include "<folder>/x.h"` resolves only in code that links
# pixmill_<folder>: an include across a layer that the link graph does not allow fails
# to compile ("No such file or directory").
function(pixmill_folder_library folder)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "PUBLIC;PRIVATE;EXCLUDE;SOURCES")
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/src/${folder}/*.cpp")
  foreach(name IN LISTS arg_EXCLUDE)
    list(FILTER sources EXCLUDE REGEX "/${name}$")
  endforeach()
  add_library(pixmill_${folder} STATIC ${sources} ${arg_SOURCES})
  pixmill_include_root(pixmill_${folder} ${folder} PUBLIC)
  target_link_libraries(pixmill_${folder} PUBLIC ${arg_PUBLIC} PRIVATE ${arg_PRIVATE})
endfunction()

# Gives <target> the include root of src/<folder> (PUBLIC for a library, PRIVATE for
# the executable).
function(pixmill_include_root target folder scope)
  set(root "${CMAKE_BINARY_DIR}/include_roots/${folder}")
  file(MAKE_DIRECTORY "${root}")
  if(NOT EXISTS "${root}/${folder}")
    file(CREATE_LINK "${CMAKE_SOURCE_DIR}/src/${folder}" "${root}/${folder}" SYMBOLIC)
  endif()
  target_include_directories(${target} ${scope} "${root}")
endfunction()

# Every folder library, for the tests and the fuzz targets that reach across them.
set(PIXMILL_ALL_LIBRARIES pixmill_app pixmill_web pixmill_metrics pixmill_grammars pixmill_cache pixmill_dialects pixmill_policy pixmill_fetch
    pixmill_http pixmill_info pixmill_pipeline pixmill_ai_opencv pixmill_ai pixmill_codecs pixmill_api pixmill_recipe pixmill_log
    pixmill_net pixmill_core)
