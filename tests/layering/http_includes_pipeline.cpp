// Must NOT compile: http/ cannot reach up into the pipeline.
#include "http/router.h"
#include "pipeline/process.h"
