#include "pipeline/decode_watch.h"

#include <atomic>
#include <climits>

namespace pixmill::pipeline {

struct DecodeWatch::State {
  std::atomic<int> first_failed_row{INT_MAX};
  int page_height = 0;

  // libvips calls the generate function from its worker threads.
  void record(int row) {
    int seen = first_failed_row.load();
    while (row < seen && !first_failed_row.compare_exchange_weak(seen, row)) {
    }
  }
};

namespace {

// The output region borrows the input region's pixels: no copy, one extra
// prepare per tile.
int pass_through(VipsRegion* out_region, void* sequence, void* /*in*/, void* state, gboolean* /*stop*/) {
  auto* in_region = static_cast<VipsRegion*>(sequence);
  const VipsRect* rect = &out_region->valid;
  if (vips_region_prepare(in_region, rect) != 0) {
    static_cast<DecodeWatch::State*>(state)->record(rect->top);
    return -1;
  }
  return vips_region_region(out_region, in_region, rect, rect->left, rect->top);
}

void release_state(gpointer holder) { delete static_cast<std::shared_ptr<DecodeWatch::State>*>(holder); }

}  // namespace

DecodeWatch::DecodeWatch() : state_(std::make_shared<State>()) {}

vips::VImage DecodeWatch::watch(const vips::VImage& decoded) const {
  VipsImage* in = decoded.get_image();
  state_->page_height = vips_image_get_page_height(in);
  VipsImage* out = vips_image_new();
  // Copies every header field and metadata item, and keeps the loader's demand style.
  if (vips_image_pipelinev(out, VIPS_DEMAND_STYLE_ANY, in, nullptr) != 0) {
    g_object_unref(out);
    throw vips::VError();
  }
  // The output holds the input (unreffed when it closes) and the state (freed with it).
  g_object_ref(in);
  vips_object_local(out, in);
  g_object_set_data_full(G_OBJECT(out), "pixmill-decode-watch", new std::shared_ptr<State>(state_), release_state);
  if (vips_image_generate(out, vips_start_one, pass_through, vips_stop_one, in, state_.get()) != 0) {
    g_object_unref(out);
    throw vips::VError();
  }
  return vips::VImage(out);
}

bool DecodeWatch::failed() const { return state_->first_failed_row.load() != INT_MAX; }

int DecodeWatch::first_failed_page() const {
  const int row = state_->first_failed_row.load();
  if (row == INT_MAX) return -1;
  return state_->page_height > 0 ? row / state_->page_height : 0;
}

}  // namespace pixmill::pipeline
