// process_image(): the pipeline as a list of named stages. Each stage is a small
// function; the frame steps are listed in run_pass() in the order they run.

#include "pipeline/process.h"

#include <chrono>
#include <vector>

#include "pipeline/auto_format.h"
#include "pipeline/auto_quality.h"
#include "pipeline/compose.h"
#include "pipeline/encode.h"
#include "pipeline/gain_map.h"
#include "pipeline/geometry_plan.h"
#include "pipeline/steps/cutout.h"
#include "pipeline/steps/faces.h"
#include "pipeline/steps/remove_background.h"
#include "pipeline/steps/steps.h"
#include "pipeline/target_size.h"
#include "pipeline/vips_runtime.h"

namespace pixmill::pipeline {
namespace {

using vips::VImage;

Error timeout_error() { return make_error(ErrorCode::Timeout, "processing exceeded the time limit"); }

// Everything decided before pixels are touched.
struct Job {
  SourceHeader header;
  OutputFormat format = OutputFormat::Jpeg;
  bool animate = false;
};

}  // namespace

OutputFormat output_format_for(const Recipe& recipe, const SourceHeader& header, const Limits& limits) {
  const bool cutout_opaque = recipe.cutout.mask_only || recipe.cutout.background_image ||
                             (recipe.cutout_background && recipe.cutout_background->a == 255);
  const bool cutout_transparent = recipe.remove_background && !cutout_opaque;
  const bool keeps_alpha = header.has_alpha || cutout_transparent || makes_alpha(recipe) ||
                           (recipe.background.a < 255 && (recipe.rotate != 0.0 || recipe.resize));
  OutputSpec output = recipe.output;
  // A transparent cut-out, and a mask, are PNG unless a format was asked for (a JPEG source included).
  if ((cutout_transparent || recipe.cutout.mask_only) && output.format == OutputFormat::Original) output.format = OutputFormat::Png;
  OutputFormat format = resolve_output_format(output, header, keeps_alpha);
  // Auto never picks a JPEG XL the encoder would refuse (a source over JXL_MAX_PIXELS).
  if (output.format == OutputFormat::Auto && format == OutputFormat::Jxl &&
      static_cast<uint64_t>(header.width) * static_cast<uint64_t>(header.height) > limits.max_jxl_pixels) {
    output.auto_allow_jxl = false;
    format = resolve_output_format(output, header, keeps_alpha);
  }
  return format;
}

namespace {

Result<Job> plan_job(std::span<const uint8_t> input, const Recipe& recipe, const Limits& limits) {
  auto header = read_header(input, limits);
  if (!header) return header.error();
  Job job;
  job.header = *header;
  job.format = output_format_for(recipe, *header, limits);
  // Background removal works on a still: an animation gives its first frame.
  job.animate = !recipe.remove_background && format_is_animated(job.format) && header->frames > 1 &&
                input_can_animate(header->format);
  return job;
}

// libvips streams a sequential load top to bottom; orientations other than 1 and 2,
// rotation, vertical flips and smart crops read out of order and need random access.
bool needs_random_access(const SourceHeader& header, const Recipe& recipe) {
  const bool smart = recipe.resize && recipe.resize->fit == FitMode::Fill &&
                     (recipe.resize->gravity == Gravity::Attention || recipe.resize->gravity == Gravity::Entropy ||
                      recipe.resize->gravity == Gravity::Faces);
  // Redaction reads the frame twice (to find the faces, then to hide them).
  const bool redact = recipe.faces.redact != FaceRedaction::None;
  return header.orientation > 2 || recipe.rotate != 0.0 || recipe.flip || smart || redact ||
         compositing_needs_random_access(recipe);
}

Result<Source> load(std::span<const uint8_t> input, const Job& job, const Recipe& recipe, const Limits& limits,
                    int frame_cap) {
  if (job.header.format == InputFormat::Svg) {
    std::optional<Size> hint;
    if (recipe.resize && !recipe.crop) hint = Size{recipe.resize->width.value_or(0), recipe.resize->height.value_or(0)};
    return open_svg_source(input, hint, limits);
  }
  auto plan = plan_geometry(job.header.oriented(), recipe, limits);
  if (!plan) return plan.error();
  LoadOptions options;
  // Trim decides the size after the load: shrinking on load for the untrimmed size would
  // leave too few pixels for the trimmed one.
  options.scale = recipe.frame.trim.enabled ? 1.0 : plan->load_scale();
  options.sequential = !needs_random_access(job.header, recipe);
  options.all_frames = job.animate;
  options.frame_cap = frame_cap;
  return open_source(input, job.header, options, limits);
}

// The per-frame steps, in order. Sizes come from a plan made on the loaded frame, so
// shrink-on-load is accounted for.
struct Services {
  const Deadline& deadline;
  ai::Segmenter* segmenter = nullptr;
  LayerCache* layers = nullptr;
};

// After the geometry (the model sees what will be output, at the output size) and
// before the effects (a blurred or grey image segments worse).
Result<VImage> cut_out(VImage frame, const Recipe& recipe, const Limits& limits, const Services& services) {
  if (!recipe.remove_background) return frame;
  if (!services.segmenter) {
    return make_error(ErrorCode::ModelUnavailable,
                      "background removal needs the segmentation model: run `make model` (see README)");
  }
  auto removed = steps::remove_background(frame, *services.segmenter, services.deadline, recipe.cutout.refine_edges);
  if (!removed) return removed.error();
  VImage cut = *removed;
  const Cutout& options = recipe.cutout;
  if (options.crop_to_subject) cut = steps::crop_to_subject(cut, options.subject_margin);
  if (options.mask_only) return steps::alpha_as_grey(cut);
  if (options.shadow) cut = steps::drop_shadow(cut, options);
  if (options.background_image) return steps::over_background_image(cut, *options.background_image, limits);
  if (recipe.cutout_background && recipe.cutout_background->a == 255) return steps::flatten(cut, *recipe.cutout_background);
  return cut;
}

Error face_model_needed() {
  return make_error(ErrorCode::ModelUnavailable, "face detection needs the face model: run `make model` (see docs/ai.md)");
}

// Before every other step, so that no unredacted pixel can reach the output. Fails
// closed: without a detector, or when it fails or runs out of time, the request fails.
Result<VImage> redact_faces(VImage frame, const Recipe& recipe, const Services& services) {
  if (recipe.faces.redact == FaceRedaction::None) return frame;
  if (!services.segmenter) return face_model_needed();
  watch_deadline(frame, services.deadline);
  frame = frame.copy_memory();
  auto faces = steps::detect_faces(frame, *services.segmenter, services.deadline);
  if (!faces) return faces.error();
  return steps::redact(frame, *faces, recipe.faces);
}

// gravity=face: the fill crop keeps every face; with none, libvips' attention crop.
Result<VImage> cover_crop(VImage frame, const GeometryPlan& plan, const Recipe& recipe, const Services& services) {
  const Gravity gravity = recipe.resize ? recipe.resize->gravity : Gravity::Centre;
  if (gravity != Gravity::Faces || !plan.cover_crop) return steps::cover_crop(frame, plan, gravity);
  if (!services.segmenter) return face_model_needed();
  watch_deadline(frame, services.deadline);
  frame = frame.copy_memory();
  auto faces = steps::detect_faces(frame, *services.segmenter, services.deadline);
  if (!faces) return faces.error();
  if (faces->empty()) return steps::cover_crop(frame, plan, Gravity::Attention);
  return steps::cover_crop_faces(frame, plan, *faces);
}

// One pass of the fixed order over a frame: trim, geometry, cut-out, effects, colour
// tools, layers, frame. The recipe's own pass runs first, then each entry of its
// operations list as a pass of its own.
Result<VImage> run_pass(VImage frame, const Recipe& recipe, const Limits& limits, const Services& services) {
  frame = steps::trim(frame, recipe.frame.trim);
  auto planned = plan_geometry(Size{frame.width(), frame.height()}, recipe, limits);
  if (!planned) return planned.error();
  const GeometryPlan& plan = *planned;
  frame = steps::crop(frame, plan);
  frame = steps::resize(frame, plan);
  frame = steps::to_srgb(frame);
  auto covered = cover_crop(frame, plan, recipe, services);
  if (!covered) return covered.error();
  frame = *covered;
  frame = steps::centre_crop(frame, plan);
  frame = steps::pad(frame, plan, recipe.background);
  frame = steps::rotate(frame, plan, recipe.background);
  frame = steps::flip(frame, recipe.flip, recipe.flop);
  auto cut = cut_out(frame, recipe, limits, services);
  if (!cut) return cut.error();
  frame = *cut;
  frame = steps::tone(frame, recipe.effects);
  frame = steps::monochrome(frame, recipe.effects);
  frame = steps::blur(frame, recipe.effects);
  frame = steps::sharpen(frame, recipe.effects);
  frame = apply_colour_tools(frame, recipe.colour_tools);
  auto layered = apply_layers(frame, recipe, *services.layers);
  if (!layered) return layered.error();
  return apply_frame(*layered, recipe);
}

Result<VImage> transform_frame(VImage frame, const Recipe& recipe, const Limits& limits, OutputFormat format,
                               const Services& services) {
  frame = steps::auto_orient(frame);
  // Faces are hidden once, before every pass, so no unredacted pixel reaches the output.
  auto redacted = redact_faces(frame, recipe, services);
  if (!redacted) return redacted.error();
  auto done = run_pass(*redacted, recipe, limits, services);
  for (const Recipe& operation : recipe.operations) {
    if (!done) break;
    done = run_pass(*done, operation, limits, services);
  }
  if (!done) return done.error();
  frame = *done;
  if (!format_has_alpha(format)) frame = steps::flatten(frame, recipe.background);
  return frame;
}

// Splits an animation into frames, transforms each, and joins them again with the
// frame height, delays and loop count of the source.
Result<VImage> transform(const Source& source, const Recipe& recipe, const Limits& limits, OutputFormat format,
                         const Services& services) {
  if (source.frames <= 1) {
    VImage still = source.image;
    if (still.height() > source.frame_height) still = still.extract_area(0, 0, still.width(), source.frame_height);
    return transform_frame(still, recipe, limits, format, services);
  }
  std::vector<VImage> frames;
  frames.reserve(source.frames);
  for (int i = 0; i < source.frames; ++i) {
    VImage frame = source.image.extract_area(0, i * source.frame_height, source.image.width(), source.frame_height);
    auto done = transform_frame(frame, recipe, limits, format, services);
    if (!done) return done.error();
    frames.push_back(*done);
  }
  const int frame_height = frames.front().height();
  VImage joined = VImage::arrayjoin(frames, VImage::option()->set("across", 1));
  joined.set("page-height", frame_height);
  for (const char* field : {"delay", "loop", "gif-delay"}) {
    GType type = source.image.get_typeof(field);
    if (type == 0) continue;
    GValue value = G_VALUE_INIT;
    vips_image_get(source.image.get_image(), field, &value);
    vips_image_set(joined.get_image(), field, &value);
    g_value_unset(&value);
  }
  return joined;
}

// Free rotation can grow the canvas past the output limit: scale it back inside.
VImage enforce_output_limit(VImage image, int frames, const Limits& limits) {
  const int frame_height = image.height() / std::max(frames, 1);
  const int max_side = limits.max_output_dimension;
  if (image.width() <= max_side && frame_height <= max_side) return image;
  const double s = std::min(static_cast<double>(max_side) / image.width(), static_cast<double>(max_side) / frame_height);
  return steps::scale(image, s);
}

// A JPEG source's gain map goes out with a JPEG whose geometry it can follow, scaled
// and cropped as the image was; otherwise it is dropped with its XMP claim (the primary
// image is already the SDR rendition: nothing to tone-map).
VImage keep_or_drop_gain_map(VImage image, const Source& source, const Job& job, const Recipe& recipe,
                             const Limits& limits) {
  if (gain_map_follows(recipe, job.format, source.frames)) {
    if (auto gain = follow_gain_map(source.image, job.header, recipe, limits)) return with_gain_map(image, *gain);
  }
  return without_gain_map(image);
}

// Re-encoding an untouched image to its own format can make it larger (an already
// well-compressed JPEG at q80). In target-size mode the caller asked for small: hand
// back the original bytes instead, unless allow_larger says otherwise.
void keep_original_if_smaller(ProcessResult& result, std::span<const uint8_t> input, const Recipe& recipe, const Job& job) {
  const bool untouched = !recipe_uses_ai(recipe) && !recipe.crop && !recipe.resize && !recipe.centre_crop && recipe.rotate == 0.0 && !recipe.flip &&
                         !recipe.flop && !recipe.effects.any() && !uses_compositing(recipe);
  const bool same_format = job.header.format != InputFormat::Heif && job.header.format != InputFormat::Svg &&
                           output_for_original(job.header.format) == result.format;
  if (!recipe.output.target_bytes || recipe.output.allow_larger || !untouched || !same_format) return;
  if (result.bytes.size() <= input.size() || input.size() > *recipe.output.target_bytes) return;
  result.bytes.assign(reinterpret_cast<const char*>(input.data()), input.size());
  result.quality.reset();
  result.target_met = true;
}

// Transforms and encodes a loaded source. libvips runs the decode lazily, inside
// this: the caller tells a decode failure from our own by the source's DecodeWatch.
Result<ProcessResult> produce(std::span<const uint8_t> input, const Source& source, const Job& job,
                              const Recipe& recipe, const Limits& limits, const Deadline& deadline,
                              ai::Segmenter* segmenter) {
  LayerCache layers(limits);
  auto transformed = transform(source, recipe, limits, job.format, Services{deadline, segmenter, &layers});
  if (!transformed) return transformed.error();
  VImage image = keep_or_drop_gain_map(enforce_output_limit(*transformed, source.frames, limits), source, job, recipe,
                                       limits);

  ProcessResult result;
  result.format = job.format;
  result.input_format = job.header.format;
  result.frames = source.frames;
  result.bytes_in = input.size();
  EncodeSettings settings = encode_settings_for(recipe.output, job.format);
  settings.max_encode_pixels = limits.max_jxl_pixels;
  // One frame's size: the encoders that bound it work a frame at a time.
  const int frame_height = vips_image_get_page_height(image.get_image());
  if (auto s = check_encodable(job.format, image.width(), frame_height, image.height() / std::max(frame_height, 1), limits); !s) {
    return s.error();
  }
  watch_deadline(image, deadline);
  if (recipe.output.target_bytes) {
    // Every probe re-encodes: decode and transform once, into memory.
    VImage ready = image.copy_memory();
    TargetSearch search = search_target_size(ready, settings, *recipe.output.target_bytes, encode);
    result.bytes = std::move(search.bytes);
    result.iterations = search.iterations;
    result.target_met = search.met;
    result.quality = search.quality;
    settings.palette = settings.palette || (job.format == OutputFormat::Png && search.quality < 100);
    if (!quality_applies(settings)) result.quality.reset();
    result.width = search.width;
    result.height = search.height;
  } else if (const bool searched = recipe.output.auto_quality != AutoQuality::Off && auto_quality_applies(settings);
             source.frames <= 1 && (searched || perceptual_default_applies(recipe.output, settings))) {
    // Every probe re-encodes and decodes: transform once, into memory.
    VImage ready = image.copy_memory();
    AutoQualitySearch search = searched ? search_auto_quality(ready, settings, recipe.output.auto_quality, encode)
                                        : correct_default_quality(ready, settings, encode);
    result.bytes = std::move(search.bytes);
    result.quality = search.quality;
    result.iterations = search.encodes;
    result.width = ready.width();
    result.height = ready.height();
  } else {
    result.bytes = encode(image, settings);
    if (quality_applies(settings)) result.quality = settings.quality;
    result.width = image.width();
    result.height = image.height() / std::max(source.frames, 1);
  }
  const Size original = job.header.format == InputFormat::Svg
                            ? Size{source.image.width(), source.frame_height}
                            : job.header.oriented();
  result.resized = result.width != original.width || result.height != original.height;
  if (!result.resized) keep_original_if_smaller(result, input, recipe, job);
  return result;
}

// How many leading frames of an animation decode; 0 when not even the first does.
// A sequential load is read top to bottom, so the first request that fails is the
// first broken frame's. (A random-access load decodes every frame at the first
// request, whatever rows it asked for: its failure says nothing about where.)
int decodable_frames(std::span<const uint8_t> input, const Job& job, const Limits& limits, const Deadline& deadline) {
  LoadOptions options;
  options.all_frames = true;
  options.sequential = true;
  auto source = open_source(input, job.header, options, limits);
  if (!source) return 0;
  VImage image = source->image;
  watch_deadline(image, deadline);
  try {
    image.avg();
  } catch (const vips::VError&) {
    clear_vips_error();
  }
  return source->decode.failed() ? source->decode.first_failed_page() : 0;
}

Result<ProcessResult> run(std::span<const uint8_t> input, const Recipe& recipe, const Limits& limits,
                          const Deadline& deadline, ai::Segmenter* segmenter) {
  if (auto valid = validate(recipe); !valid) return valid.error();
  auto job = plan_job(input, recipe, limits);
  if (!job) return job.error();
  int frame_cap = 0;
  while (true) {
    auto source = load(input, *job, recipe, limits, frame_cap);
    if (!source) return source.error();
    if (deadline.expired()) return timeout_error();
    try {
      return produce(input, *source, *job, recipe, limits, deadline, segmenter);
    } catch (const vips::VError& e) {
      const std::string detail = e.what();
      clear_vips_error();
      if (deadline.expired()) return timeout_error();
      if (!source->decode.failed()) return processing_failure(detail);
      // An animation whose later frame is broken keeps the frames before it, as
      // browsers play it. A still output decodes only the first frame and succeeds,
      // so the same file must not fail because WebP or GIF was asked for.
      if (source->frames <= 1 || frame_cap > 0) return decode_failure(detail);
      frame_cap = decodable_frames(input, *job, limits, deadline);
      if (deadline.expired()) return timeout_error();
      if (frame_cap == 0) return decode_failure(detail);
    }
  }
}

}  // namespace

Result<ProcessResult> process_image(std::span<const uint8_t> input, const Recipe& recipe, const Limits& limits,
                                    const Deadline& deadline, ai::Segmenter* segmenter) {
  const auto start = std::chrono::steady_clock::now();
  try {
    auto result = run(input, recipe, limits, deadline, segmenter);
    if (result) {
      result->elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    }
    return result;
  } catch (const vips::VError& e) {
    // Outside the watched decode (the loaders classify their own failures): ours.
    const bool expired = deadline.expired();
    Error error = processing_failure(e.what());
    clear_vips_error();
    return expired ? timeout_error() : error;
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::ProcessingFailed, "out of memory while processing the image");
  }
}

Result<SourceHeader> probe_image(std::span<const uint8_t> input, const Limits& limits) {
  auto header = read_header(input, limits);
  if (!header || header->format != InputFormat::Svg) return header;
  auto source = open_svg_source(input, std::nullopt, limits);
  if (!source) return source.error();
  return source->header;
}

}  // namespace pixmill::pipeline
