#pragma once
// The libvips side of a request's deadline (core/deadline.h): the eval-signal watcher
// that stops pixel computation once the time is up.

#include <vips/vips8>

#include "core/deadline.h"

namespace pixmill::pipeline {

using core::Deadline;

// Makes libvips stop computing `image` once the deadline expires (the write then
// fails and the caller reports TIMEOUT). The image keeps its own copy of the deadline
// (its cancel flag, if any, must still outlive the write).
void watch_deadline(vips::VImage& image, const Deadline& deadline);

}  // namespace pixmill::pipeline
