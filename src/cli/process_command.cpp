// `pixmill process IN -o OUT [--param value …]`: the native parameter table on the
// command line (--target-kb is targetKb), so the CLI and the API share one vocabulary.

#include <cctype>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/bytes.h"
#include "app/config.h"
#include "app/routes.h"
#include "cli/commands.h"
#include "core/text.h"
#include "cli/io.h"
#include "dialects/native_params.h"
#include "dialects/overlay_sources.h"
#include "info/describe.h"
#include "pipeline/process.h"
#include "pipeline/vips_runtime.h"
#include "recipe/overlay_source.h"

namespace pixmill::cli {
namespace {

// --target-kb -> targetKb
std::string camel_case(std::string_view flag) {
  std::string out;
  bool upper = false;
  for (char c : flag) {
    if (c == '-') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

void usage() {
  std::cerr << "usage: pixmill process IN -o OUT [--width N] [--height N] [--fit fit|fill|pad|stretch]\n"
               "         [--format jpeg|png|webp|avif|gif|tiff|bmp|auto] [--quality 1-100] [--target-kb N]\n"
               "         [--rotate DEG] [--flip] [--flop] [--brightness -100..100] [--contrast …] [--saturation …]\n"
               "         [--blur SIGMA] [--sharpen 0-100] [--grayscale] [--sepia] [--crop x,y,w,h] …\n"
               "         [--watermark FILE|NAME|URL [--watermark-gravity southeast] …] [--text TEXT [--text-size 32] …]\n"
               "         [--radius N] [--mask circle] [--border N] [--trim] [--gamma G] [--tint COLOUR] …\n"
               "         [--remove-background [--bg-image FILE|URL] [--output mask] [--crop subject] …]\n"
               "  IN and OUT may be - for stdin/stdout; every /api/v1 parameter is a --kebab-case flag.\n";
}

// Was the parameter (canonical name; any alias counts) given on the command line?
bool params_have(const dialects::Params& params, std::string_view canonical) {
  for (const auto& [name, value] : params) {
    const auto* spec = dialects::find_param(dialects::native_params(), name);
    if (spec && spec->name == canonical) return true;
  }
  return false;
}

int fail(const Error& e) {
  std::cerr << "pixmill: " << error_code_name(e.code) << ": " << e.message << "\n";
  return e.code == ErrorCode::InvalidInput ? 2 : 1;
}

// --bg-image FILE|URL: the cut-out's new background. A URL is fetched with the watermarks
// (resolve_watermarks); a file is read here. Not a table parameter, so it leaves `params`.
Status take_background(dialects::Params& params, recipe::Recipe& recipe) {
  for (const std::string& value : dialects::take_params(params, "bgImage")) {
    if (recipe::is_http_url(value)) {
      recipe.cutout.background_url = value;
      continue;
    }
    auto bytes = value == "-" ? std::nullopt : read_all(value);
    if (!bytes) return make_error(ErrorCode::InvalidInput, "bgImage: cannot read " + value, "bgImage");
    recipe.cutout.background_image = std::make_shared<const std::string>(std::move(*bytes));
  }
  return ok_status();
}

// --watermark takes a local file as well as a WATERMARKS_DIR name or a URL.
Status resolve_watermarks(recipe::Recipe& recipe, const app::Config& config) {
  if (auto s = recipe::validate(recipe); !s) return s;
  dialects::OverlaySourceOptions options;
  options.watermarks_dir = config.watermarks_dir;
  options.url_input = app::url_input_from(config);
  options.max_bytes = config.max_upload_mb << 20;
  options.allow_local_files = true;
  return dialects::resolve_overlay_sources(recipe, {}, options, core::Deadline());
}

}  // namespace

int process_command(int argc, char** argv) {
  std::string in, out;
  dialects::Params params;
  bool quiet = false;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-o" || arg == "--output-file") {
      if (i + 1 >= argc) return usage(), 2;
      out = argv[++i];
    } else if (arg == "-q" || arg == "--quiet") {
      quiet = true;
    } else if (arg == "-h" || arg == "--help") {
      usage();
      return 0;
    } else if (arg.rfind("--", 0) == 0) {
      std::string name = camel_case(arg.substr(2)), value;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      } else {
        const auto* spec = dialects::find_param(dialects::native_params(), name);
        const bool is_flag = spec && spec->type == dialects::ParamType::Boolean &&
                             (i + 1 >= argc || !core::parse_bool(argv[i + 1]).has_value() || argv[i + 1][0] == '\0');
        if (is_flag) {
          value = "true";
        } else if (i + 1 < argc) {
          value = argv[++i];
        }
      }
      params.emplace_back(name, value);
    } else if (in.empty()) {
      in = arg;
    } else {
      usage();
      return 2;
    }
  }
  if (in.empty() || out.empty()) return usage(), 2;

  recipe::Recipe recipe;
  if (auto s = take_background(params, recipe); !s) return fail(s.error());
  if (auto s = dialects::apply_params(dialects::native_params(), params, recipe, true); !s) return fail(s.error());
  if (auto s = dialects::check_layers_complete(recipe); !s) return fail(s.error());
  auto config = app::load_config_from_env();
  if (!config) return fail(config.error());
  if (auto s = resolve_watermarks(recipe, *config); !s) return fail(s.error());
  if (!pipeline::init_vips(argv[0], pipeline::VipsSettings{config->vips_concurrency})) {
    std::cerr << "pixmill: libvips failed to start\n";
    return 1;
  }
  auto bytes = read_all(in);
  if (!bytes) {
    std::cerr << "pixmill: cannot read " << in << "\n";
    return 1;
  }
  const std::span<const uint8_t> input = core::as_bytes(*bytes);
  // --remove-background runs the same segmenter as the server (MODEL_PATH, AI_THREADS).
  std::shared_ptr<ai::Segmenter> segmenter;
  if (recipe_uses_ai(recipe)) {
    segmenter = app::make_segmenter(*config);
    if (params_have(params, "background")) recipe.cutout_background = recipe.background;
  }
  auto result = pipeline::process_image(input, recipe, config->limits, core::Deadline(), segmenter.get());
  if (!result) return fail(result.error());
  if (!write_all(out, result->bytes)) {
    std::cerr << "pixmill: cannot write " << out << "\n";
    return 1;
  }
  if (!quiet) {
    nlohmann::json summary = {{"format", output_format_name(result->format)},
                              {"width", result->width},
                              {"height", result->height},
                              {"bytesIn", result->bytes_in},
                              {"bytesOut", result->bytes.size()},
                              {"iterations", result->iterations},
                              {"targetMet", result->target_met},
                              {"ms", static_cast<int>(result->elapsed_ms)}};
    if (result->quality) summary["quality"] = *result->quality;
    std::cerr << summary.dump() << "\n";
  }
  return 0;
}

// `pixmill info IN [--gps]`: the /api/v1/info answer.
int info_command(int argc, char** argv) {
  std::string in;
  info::DescribeOptions options;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--gps") {
      options.gps_position = true;
    } else if (in.empty() && (arg == "-" || arg.rfind("--", 0) != 0)) {
      in = arg;
    } else {
      in.clear();
      break;
    }
  }
  if (in.empty()) {
    std::cerr << "usage: pixmill info IN [--gps]   (IN may be - for stdin)\n";
    return 2;
  }
  auto config = app::load_config_from_env();
  if (!config) return fail(config.error());
  if (!pipeline::init_vips(argv[0], pipeline::VipsSettings{1})) return 1;
  auto bytes = read_all(in);
  if (!bytes) {
    std::cerr << "pixmill: cannot read " << in << "\n";
    return 1;
  }
  auto facts = info::describe_image(core::as_bytes(*bytes), config->limits, options);
  if (!facts) return fail(facts.error());
  std::cout << info::facts_json(*facts).dump(2) << "\n";
  return 0;
}

int config_command(int, char**) {
  for (const auto& v : app::config_vars()) std::cout << v.name << "\t" << v.default_text << "\t" << v.doc << "\n";
  return 0;
}

}  // namespace pixmill::cli
