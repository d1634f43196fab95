#include "pipeline/face_report.h"

#include <chrono>
#include <optional>

#include "pipeline/source.h"
#include "pipeline/steps/faces.h"
#include "pipeline/steps/steps.h"
#include "pipeline/vips_runtime.h"

namespace pixmill::pipeline {

Result<FaceReport> find_faces_in_image(std::span<const uint8_t> input, const Limits& limits, const Deadline& deadline,
                                       ai::Segmenter& segmenter) {
  const auto start = std::chrono::steady_clock::now();
  std::optional<Source> source;
  try {
    auto header = read_header(input, limits);
    if (!header) return header.error();
    Result<Source> opened = header->format == InputFormat::Svg ? open_svg_source(input, std::nullopt, limits)
                                                                : open_source(input, *header, LoadOptions{}, limits);
    if (!opened) return opened.error();
    source.emplace(std::move(*opened));
    vips::VImage frame = source->image;
    if (frame.height() > source->frame_height) frame = frame.extract_area(0, 0, frame.width(), source->frame_height);
    frame = steps::to_srgb(steps::auto_orient(frame));
    watch_deadline(frame, deadline);
    auto faces = steps::detect_faces(frame, segmenter, deadline);
    if (!faces) return faces.error();
    FaceReport report;
    report.width = frame.width();
    report.height = frame.height();
    report.faces = std::move(*faces);
    report.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return report;
  } catch (const vips::VError& e) {
    // The pixels decode lazily, inside detect_faces: the source's watch says whose fault it was.
    const bool client_bytes = source && source->decode.failed();
    Error error = client_bytes ? decode_failure(e.what()) : processing_failure(e.what());
    clear_vips_error();
    return deadline.expired() ? make_error(ErrorCode::Timeout, "processing exceeded the time limit") : error;
  }
}

}  // namespace pixmill::pipeline
