#include "codecs/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace pixmill::codecs {
namespace {

// Inflation into a string capped at `cap` bytes: one z_stream, ended on every path.
class Inflater {
 public:
  explicit Inflater(std::span<const uint8_t> input) {
    stream_.next_in = const_cast<Bytef*>(input.data());  // zlib's API is not const-correct
    stream_.avail_in = static_cast<uInt>(std::min<size_t>(input.size(), UINT_MAX));
    ok_ = inflateInit2(&stream_, 16 + MAX_WBITS) == Z_OK;  // 16: gzip wrapper only
  }
  ~Inflater() {
    if (ok_) inflateEnd(&stream_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  enum class Outcome { Complete, Capped, Broken };

  // Inflates into `out` until the stream ends, breaks, or `out` reaches `cap` bytes
  // with more to come.
  Outcome run(std::string& out, size_t cap) {
    if (!ok_) return Outcome::Broken;
    // Inflates straight into `out`, grown in steps, one byte past the cap so that
    // reaching it is told from ending on it.
    constexpr size_t kStep = size_t{1} << 18;
    size_t used = out.size();
    while (true) {
      if (used == out.size()) out.resize(std::min(cap + 1, used + kStep));
      stream_.next_out = reinterpret_cast<Bytef*>(out.data() + used);
      stream_.avail_out = static_cast<uInt>(out.size() - used);
      const int status = inflate(&stream_, Z_NO_FLUSH);
      used = out.size() - stream_.avail_out;
      if (used > cap) {
        out.resize(cap);
        return Outcome::Capped;
      }
      if (status == Z_STREAM_END) {
        // Another member may follow (concatenated .gz files); anything else after the
        // end is ignored, as gzip(1) ignores trailing garbage.
        if (!is_gzip({stream_.next_in, stream_.avail_in})) {
          out.resize(used);
          return Outcome::Complete;
        }
        if (inflateReset(&stream_) != Z_OK) break;
        continue;
      }
      // Z_BUF_ERROR: no progress possible, the input ended before the stream did.
      if (status != Z_OK) break;
    }
    out.resize(used);
    return Outcome::Broken;
  }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

}  // namespace

bool is_gzip(std::span<const uint8_t> bytes) {
  return bytes.size() >= 3 && bytes[0] == 0x1F && bytes[1] == 0x8B && bytes[2] == 0x08;
}

std::string gunzip_prefix(std::span<const uint8_t> bytes, size_t max_output) {
  std::string out;
  Inflater(bytes).run(out, max_output);
  return out;
}

Result<std::string> gunzip(std::span<const uint8_t> bytes, size_t max_output) {
  std::string out;
  switch (Inflater(bytes).run(out, max_output)) {
    case Inflater::Outcome::Complete: return out;
    case Inflater::Outcome::Capped:
      return make_error(ErrorCode::FileTooLarge,
                        "the compressed file inflates past " + std::to_string(max_output >> 20) + " MiB");
    case Inflater::Outcome::Broken: break;
  }
  return make_error(ErrorCode::InvalidImage, "the gzip data is corrupt or truncated");
}

}  // namespace pixmill::codecs
