// Must NOT compile: http/ sits below the pipeline and never sees libvips.
// tests/layering/CMakeLists.txt builds it and expects the compiler to refuse.
#include "http/router.h"
#include <vips/vips8>
