#include "pipeline/deadline.h"

namespace pixmill::pipeline {
namespace {

void on_eval(VipsImage* image, VipsProgress* /*progress*/, void* user) {
  if (static_cast<const Deadline*>(user)->expired()) vips_image_set_kill(image, TRUE);
}

}  // namespace

void watch_deadline(vips::VImage& image, const Deadline& deadline) {
  vips_image_set_progress(image.get_image(), TRUE);
  g_signal_connect(image.get_image(), "eval", G_CALLBACK(on_eval), const_cast<Deadline*>(&deadline));
}

}  // namespace pixmill::pipeline
