#include "pipeline/deadline.h"

#include "core/tsan.h"

namespace pixmill::pipeline {
namespace {

// Runs on libvips' worker threads while pixels are computed.
void on_eval(VipsImage* image, VipsProgress* /*progress*/, void* user) {
  const auto* deadline = static_cast<const Deadline*>(user);
  const bool expired = deadline->expired();
  core::tsan_release(deadline);
  if (expired) vips_image_set_kill(image, TRUE);
}

// When the image is finalised: every eval callback has returned (libvips joined its
// workers), which the acquire tells TSan.
void forget_deadline(gpointer user, GClosure* /*closure*/) {
  core::tsan_acquire(user);
  delete static_cast<Deadline*>(user);
}

}  // namespace

void watch_deadline(vips::VImage& image, const Deadline& deadline) {
  vips_image_set_progress(image.get_image(), TRUE);
  g_signal_connect_data(image.get_image(), "eval", G_CALLBACK(on_eval), new Deadline(deadline), forget_deadline,
                        GConnectFlags{});
}

}  // namespace pixmill::pipeline
