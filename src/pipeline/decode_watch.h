#pragma once
// Whose fault was it? libvips decodes lazily: a loader reads the header when it is
// opened and the pixels only when something downstream asks for them, so a corrupt
// tile or frame of the client's file fails during our resize or encode. The libvips
// error text cannot settle whose fault that was: the buffer is shared by all threads,
// some decoders leave it empty (libpng after an IHDR CRC error), and our own
// operations use the same words. So the loaded image is passed through a watch that
// records any failure to produce its pixels: that failure is the client's bytes, any
// other is ours.

#include <memory>

#include <vips/vips8>

namespace pixmill::pipeline {

class DecodeWatch {
 public:
  DecodeWatch();

  // The same image (pixels and metadata), each pixel request passing through this
  // watch. `decoded` must come straight from a loader: whatever fails upstream of the
  // watch is then the decode.
  vips::VImage watch(const vips::VImage& decoded) const;

  // A request for the watched image's pixels failed.
  bool failed() const;

  // The lowest page (frame of an animation strip) a failed request touched, or -1.
  // The frames above it decoded or were never asked for.
  int first_failed_page() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace pixmill::pipeline
