# pixmill_npm_package(NAME VERSION SHA512 DEST [PATHS...]): unpacks one npm package into
# DEST (DEST/package/...) at configure time with `npm pack`, checked against its pinned
# SHA-512 (npm's "integrity" field in hex), once: later configures reuse DEST. With
# PATHS, only those files and folders of the tarball are unpacked.
function(pixmill_npm_package name version sha512 dest)
  if(EXISTS "${dest}/package/package.json")
    return()
  endif()
  find_program(NPM_EXECUTABLE npm REQUIRED)
  set(_tmp "${dest}.download")
  file(REMOVE_RECURSE "${_tmp}")
  file(MAKE_DIRECTORY "${_tmp}")
  message(STATUS "pixmill: fetching ${name}@${version} into ${dest}")
  execute_process(
    COMMAND "${NPM_EXECUTABLE}" pack --silent "${name}@${version}"
    WORKING_DIRECTORY "${_tmp}"
    OUTPUT_VARIABLE _tgz OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "npm pack ${name}@${version} failed (${_rc}); is the npm registry reachable?")
  endif()
  string(REGEX REPLACE "\n.*" "" _tgz "${_tgz}")
  file(SHA512 "${_tmp}/${_tgz}" _got)
  if(NOT _got STREQUAL sha512)
    message(FATAL_ERROR "${name}@${version}: SHA-512 mismatch (got ${_got})")
  endif()
  if(ARGN)
    file(ARCHIVE_EXTRACT INPUT "${_tmp}/${_tgz}" DESTINATION "${_tmp}" PATTERNS ${ARGN})
  else()
    file(ARCHIVE_EXTRACT INPUT "${_tmp}/${_tgz}" DESTINATION "${_tmp}")
  endif()
  file(REMOVE "${_tmp}/${_tgz}")
  file(REMOVE_RECURSE "${dest}")
  file(RENAME "${_tmp}" "${dest}")
endfunction()
