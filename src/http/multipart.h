#pragma once
// Streaming multipart/form-data parser (RFC 7578 over RFC 2046) for upload bodies.
// Bytes arrive as the socket delivers them, so the parser is a state machine that
// never needs the whole body at once and enforces its limits before buffering past
// them: a hostile client learns it is over a limit as soon as it crosses it.
//
// A part's data is one contiguous run of the body, so each part also records where it
// lies. Over a body already in memory, split_multipart() keeps only those positions:
// the caller slices the body instead of holding every upload twice.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace pixmill::http {

struct MultipartPart {
  std::string name;
  std::string filename;      // as sent; callers must not use it as a path
  std::string content_type;  // empty when the part had no Content-Type header
  std::string data;          // empty when the parser keeps positions only
  size_t offset = 0;         // where the data lies in the body
  size_t size = 0;
  bool is_file() const { return !filename.empty(); }
};

struct MultipartLimits {
  size_t max_parts = 64;
  size_t max_header_bytes = 8192;    // per part, the whole header block
  size_t max_field_bytes = 1 << 20;  // a part without a filename parameter
  size_t max_file_bytes = 25u << 20;  // a part with a filename parameter
};

// Extracts the boundary parameter from a Content-Type header value such as
// `multipart/form-data; boundary=----abc` (quoted or not); nullopt if the type is not
// multipart/form-data or the boundary is missing, repeated or invalid (RFC 2046:
// 1..70 characters from its bchars set, not ending in a space).
std::optional<std::string> multipart_boundary(std::string_view content_type);

class MultipartParser {
 public:
  enum class Storage { Copy, PositionsOnly };

  // An invalid boundary makes every later call fail with InvalidInput.
  explicit MultipartParser(std::string boundary, MultipartLimits limits = {}, Storage storage = Storage::Copy);

  // Accepts any chunk sizes, including one byte at a time. After an error every
  // later call returns that same error. Bytes after the closing boundary are ignored.
  Status feed(std::string_view chunk);

  // InvalidInput unless the closing boundary `--boundary--` was seen.
  Status finish();

  // Completed parts only; a part still being received is not listed.
  const std::vector<MultipartPart>& parts() const;
  std::vector<MultipartPart> take_parts();

 private:
  enum class State { Preamble, Headers, Body, Epilogue };
  enum class LastHeader { None, Disposition, ContentType, Other };

  size_t process(std::string_view in);
  bool step_delimited(std::string_view in, size_t& pos);
  bool step_headers(std::string_view in, size_t& pos);
  bool emit(std::string_view in, size_t& pos, size_t end);
  void begin_part();
  bool header_line(std::string_view line);
  bool end_of_headers();
  bool fail(Error error);

  std::string delimiter_;
  MultipartLimits limits_;
  Storage storage_;
  // Where in[0] of the current process() call lies, counting the virtual '\n' that
  // opens buffer_ as position 0: a body byte's offset is its position minus one.
  size_t in_base_ = 0;
  size_t fed_ = 1;  // positions handed to feed() so far, the virtual '\n' included
  State state_ = State::Preamble;
  std::optional<Error> error_;
  std::string buffer_;  // bytes held back between feeds: a possible partial delimiter or header line

  // In Preamble and Body, buffer position 0 may be a '\n' that belongs to the syntax
  // before it, kept so that a delimiter right after it still matches.
  bool leading_newline_ = true;

  size_t part_count_ = 0;
  MultipartPart current_;
  bool has_filename_ = false;
  size_t header_bytes_ = 0;
  size_t header_scan_ = 0;  // bytes of the pending header line already known to hold no '\n'
  std::optional<std::string> disposition_;
  std::optional<std::string> content_type_;
  LastHeader last_header_ = LastHeader::None;

  std::vector<MultipartPart> parts_;
};

// The parts of a body already held in memory, with positions and no copies: a part's
// bytes are body.substr(part.offset, part.size).
Result<std::vector<MultipartPart>> split_multipart(std::string_view body, std::string boundary, MultipartLimits limits = {});

}  // namespace pixmill::http
