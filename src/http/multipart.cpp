#include "http/multipart.h"

#include <algorithm>
#include <utility>

#include "core/text.h"
#include "http/multipart_syntax.h"

namespace pixmill::http {
namespace {

// RFC 2046 allows whitespace between a delimiter and its line break. Nothing real
// sends much of it, and a cap bounds the bytes held back while deciding whether a
// boundary-like run of bytes is a delimiter.
constexpr size_t kMaxTransportPadding = 32;

// When bytes are held back from the previous feed, the next chunk is merged with
// them this much at a time, so a held '\r' never forces a copy of a huge chunk.
constexpr size_t kBridgeBytes = 4096;

struct AfterDelimiter {
  enum Kind { NotDelimiter, NeedMore, Open, Close };
  Kind kind = NotDelimiter;
  size_t next = 0;  // first byte after the delimiter line, for Open and Close
};

// `--boundary` only delimits when followed by `--` or by padding and a line break;
// anything else (`--boundaryX`) is ordinary data, as in Go's mime/multipart.
AfterDelimiter classify(std::string_view in, size_t i) {
  if (i >= in.size()) {
    return {AfterDelimiter::NeedMore};
  }
  if (in[i] == '-') {
    if (i + 1 >= in.size()) {
      return {AfterDelimiter::NeedMore};
    }
    if (in[i + 1] == '-') {
      return {AfterDelimiter::Close, i + 2};
    }
    return {AfterDelimiter::NotDelimiter};
  }
  size_t padding = 0;
  while (i < in.size() && is_space_or_tab(in[i])) {
    if (++padding > kMaxTransportPadding) {
      return {AfterDelimiter::NotDelimiter};
    }
    ++i;
  }
  if (i >= in.size()) {
    return {AfterDelimiter::NeedMore};
  }
  if (in[i] == '\n') {
    return {AfterDelimiter::Open, i + 1};
  }
  if (in[i] == '\r') {
    if (i + 1 >= in.size()) {
      return {AfterDelimiter::NeedMore};
    }
    if (in[i + 1] == '\n') {
      return {AfterDelimiter::Open, i + 2};
    }
  }
  return {AfterDelimiter::NotDelimiter};
}

// Where the bytes that could still become a delimiter begin: the first position in
// the tail whose remainder is a proper prefix of the delimiter; in.size() if none.
// Only the last delimiter.size() - 1 bytes can qualify, so the held-back tail and
// the work here stay bounded whatever the input.
size_t partial_delimiter_start(std::string_view in, size_t from, std::string_view delimiter) {
  const size_t n = in.size();
  size_t k = std::max(from, n >= delimiter.size() ? n - delimiter.size() + 1 : size_t{0});
  while ((k = in.find('\n', k)) != std::string_view::npos) {
    if (delimiter.substr(0, n - k) == in.substr(k)) {
      return k;
    }
    ++k;
  }
  return n;
}

}  // namespace

// The delimiter is matched as "\n--boundary" and a '\r' before it is stripped from
// the data, which accepts bare-LF bodies as well as CRLF ones. The buffer starts
// with a virtual '\n' so that a body opening directly with `--boundary` matches.
MultipartParser::MultipartParser(std::string boundary, MultipartLimits limits, Storage storage)
    : delimiter_("\n--" + boundary), limits_(limits), storage_(storage), buffer_("\n") {
  if (!valid_boundary(boundary)) {
    error_ = make_error(ErrorCode::InvalidInput, "invalid multipart boundary");
  }
}

Status MultipartParser::feed(std::string_view chunk) {
  if (error_) {
    return *error_;
  }
  while (!chunk.empty() && state_ != State::Epilogue && !error_) {
    if (buffer_.empty()) {
      in_base_ = fed_;
      const size_t used = process(chunk);
      if (!error_) {
        buffer_.assign(chunk.substr(used));
      }
      fed_ += chunk.size();
      break;
    }
    const size_t take = std::min(chunk.size(), kBridgeBytes);
    buffer_.append(chunk.substr(0, take));
    chunk.remove_prefix(take);
    fed_ += take;
    in_base_ = fed_ - buffer_.size();  // buffer_ holds the last bytes fed
    const size_t used = process(buffer_);
    buffer_.erase(0, used);
  }
  if (error_) {
    buffer_.clear();
    return *error_;
  }
  return ok_status();
}

Status MultipartParser::finish() {
  if (error_) {
    return *error_;
  }
  if (state_ == State::Preamble) {
    fail(make_error(ErrorCode::InvalidInput, "no multipart boundary found in the request body"));
    return *error_;
  }
  if (state_ != State::Epilogue) {
    fail(make_error(ErrorCode::InvalidInput, "multipart body ended before its closing boundary"));
    return *error_;
  }
  return ok_status();
}

const std::vector<MultipartPart>& MultipartParser::parts() const { return parts_; }

std::vector<MultipartPart> MultipartParser::take_parts() {
  std::vector<MultipartPart> out = std::move(parts_);
  parts_.clear();
  return out;
}

// Returns how many bytes of `in` were consumed; the rest must be offered again with
// more bytes after it.
size_t MultipartParser::process(std::string_view in) {
  size_t pos = 0;
  bool more = true;
  while (more && !error_ && pos < in.size()) {
    switch (state_) {
      case State::Preamble:
      case State::Body:
        more = step_delimited(in, pos);
        break;
      case State::Headers:
        more = step_headers(in, pos);
        break;
      case State::Epilogue:
        return in.size();
    }
  }
  return state_ == State::Epilogue ? in.size() : pos;
}

// Preamble and Body: everything up to the next delimiter. Returns false when it needs
// more input (or failed).
bool MultipartParser::step_delimited(std::string_view in, size_t& pos) {
  size_t search_from = pos;
  while (true) {
    const size_t p = in.find(delimiter_, search_from);
    if (p == std::string_view::npos) {
      emit(in, pos, partial_delimiter_start(in, search_from, delimiter_));
      return false;
    }
    const AfterDelimiter after = classify(in, p + delimiter_.size());
    if (after.kind == AfterDelimiter::NotDelimiter) {
      search_from = p + 1;
      continue;
    }
    if (!emit(in, pos, p) || after.kind == AfterDelimiter::NeedMore) {
      return false;
    }
    if (state_ == State::Body) {
      parts_.push_back(std::move(current_));
    }
    pos = after.next;
    if (after.kind == AfterDelimiter::Close) {
      state_ = State::Epilogue;
      return true;
    }
    begin_part();
    return !error_;
  }
}

// Hands in[pos, end) to the current part (Body) or drops it (Preamble), except a
// trailing '\r' that may belong to the next delimiter, and advances pos past it.
bool MultipartParser::emit(std::string_view in, size_t& pos, size_t end) {
  const size_t begin = pos + (leading_newline_ ? 1 : 0);
  if (end > begin && in[end - 1] == '\r') {
    --end;
  }
  if (end <= begin) {
    return true;
  }
  if (state_ == State::Body) {
    const size_t n = end - begin;
    const size_t limit = has_filename_ ? limits_.max_file_bytes : limits_.max_field_bytes;
    if (n > limit - current_.size) {
      if (has_filename_) {
        return fail(make_error(ErrorCode::FileTooLarge,
                               "uploaded file exceeds the " + std::to_string(limit) + "-byte limit", current_.name));
      }
      return fail(make_error(ErrorCode::InvalidInput,
                             "form field exceeds the " + std::to_string(limit) + "-byte limit", current_.name));
    }
    // Pieces of one part follow each other without a gap (a held-back '\r' comes
    // back as the next piece's first byte), so the first piece fixes the offset.
    if (current_.size == 0) {
      current_.offset = in_base_ + begin - 1;
    }
    current_.size += n;
    if (storage_ == Storage::Copy) {
      current_.data.append(in.substr(begin, n));
    }
  }
  pos = end;
  leading_newline_ = false;
  return true;
}

void MultipartParser::begin_part() {
  if (part_count_ >= limits_.max_parts) {
    fail(make_error(ErrorCode::InvalidInput,
                    "multipart body has more than " + std::to_string(limits_.max_parts) + " parts"));
    return;
  }
  ++part_count_;
  current_ = MultipartPart{};
  has_filename_ = false;
  header_bytes_ = 0;
  header_scan_ = 0;
  disposition_.reset();
  content_type_.reset();
  last_header_ = LastHeader::None;
  state_ = State::Headers;
}

bool MultipartParser::step_headers(std::string_view in, size_t& pos) {
  // header_scan_ spares rescanning a long line that arrives a byte at a time.
  const size_t nl = in.find('\n', pos + header_scan_);
  const auto too_large = [&] {
    return fail(make_error(ErrorCode::InvalidInput, "multipart part headers exceed the " +
                                                        std::to_string(limits_.max_header_bytes) + "-byte limit"));
  };
  if (nl == std::string_view::npos) {
    header_scan_ = in.size() - pos;
    if (header_scan_ > limits_.max_header_bytes - header_bytes_) {
      return too_large();
    }
    return false;
  }
  header_scan_ = 0;
  const size_t line_bytes = nl - pos + 1;
  if (line_bytes > limits_.max_header_bytes - header_bytes_) {
    return too_large();
  }
  header_bytes_ += line_bytes;
  std::string_view line = in.substr(pos, nl - pos);
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  if (line.empty()) {
    // The blank line's '\n' stays unconsumed: it doubles as the line break before
    // the next delimiter when the part has no body at all.
    pos = nl;
    leading_newline_ = true;
    return end_of_headers();
  }
  pos = nl + 1;
  return header_line(line);
}

bool MultipartParser::header_line(std::string_view line) {
  for (char c : line) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) {
      return fail(make_error(ErrorCode::InvalidInput, "multipart part header contains control characters"));
    }
  }
  if (is_space_or_tab(line.front())) {
    // obs-fold (RFC 5322): a continuation of the previous header's value.
    const std::string_view more = core::trim_blanks(line);
    switch (last_header_) {
      case LastHeader::None:
        return fail(make_error(ErrorCode::InvalidInput, "malformed multipart part header"));
      case LastHeader::Disposition:
        disposition_->append(" ").append(more);
        break;
      case LastHeader::ContentType:
        content_type_->append(" ").append(more);
        break;
      case LastHeader::Other:
        break;
    }
    return true;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
    return fail(make_error(ErrorCode::InvalidInput, "malformed multipart part header"));
  }
  const std::string_view name = line.substr(0, colon);
  const std::string_view value = core::trim_blanks(line.substr(colon + 1));
  if (core::iequals(name, "content-disposition")) {
    if (disposition_) {
      return fail(make_error(ErrorCode::InvalidInput, "multipart part has more than one Content-Disposition header"));
    }
    disposition_ = std::string(value);
    last_header_ = LastHeader::Disposition;
  } else if (core::iequals(name, "content-type")) {
    if (content_type_) {
      return fail(make_error(ErrorCode::InvalidInput, "multipart part has more than one Content-Type header"));
    }
    content_type_ = std::string(value);
    last_header_ = LastHeader::ContentType;
  } else {
    last_header_ = LastHeader::Other;
  }
  return true;
}

bool MultipartParser::end_of_headers() {
  if (!disposition_) {
    return fail(make_error(ErrorCode::InvalidInput, "multipart part has no Content-Disposition header"));
  }
  const std::string_view value = *disposition_;
  const size_t semi = value.find(';');
  if (!core::iequals(core::trim_blanks(value.substr(0, semi)), "form-data")) {
    return fail(make_error(ErrorCode::InvalidInput, "multipart part Content-Disposition is not form-data"));
  }
  auto params = parse_parameters(semi == std::string_view::npos ? std::string_view{} : value.substr(semi + 1));
  if (!params) {
    return fail(make_error(ErrorCode::InvalidInput, "malformed Content-Disposition header in multipart part"));
  }
  // First occurrence wins; filename* (RFC 5987) is ignored, as RFC 7578 advises.
  bool has_name = false;
  for (HeaderParam& p : *params) {
    if (p.name == "name" && !has_name) {
      has_name = true;
      current_.name = std::move(p.value);
    } else if (p.name == "filename" && !has_filename_) {
      // A filename parameter, even an empty one, marks an upload: it gets the file limit.
      has_filename_ = true;
      current_.filename = std::move(p.value);
    }
  }
  if (current_.name.empty()) {
    return fail(make_error(ErrorCode::InvalidInput, "multipart part has no name in its Content-Disposition header"));
  }
  current_.content_type = content_type_.value_or("");
  state_ = State::Body;
  return true;
}

bool MultipartParser::fail(Error error) {
  error_ = std::move(error);
  return false;
}

Result<std::vector<MultipartPart>> split_multipart(std::string_view body, std::string boundary, MultipartLimits limits) {
  MultipartParser parser(std::move(boundary), limits, MultipartParser::Storage::PositionsOnly);
  if (auto s = parser.feed(body); !s) {
    return s.error();
  }
  if (auto s = parser.finish(); !s) {
    return s.error();
  }
  return parser.take_parts();
}

}  // namespace pixmill::http
