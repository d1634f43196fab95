#include "dialects/param_table.h"

#include "core/text.h"
#include "recipe/auto_quality.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace pixmill::dialects {
namespace {

std::string lower(std::string_view s) { return core::ascii_lower(s); }
std::string trim(std::string_view s) { return std::string(core::trim_spaces(s)); }

std::string number_text(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  std::string s = std::to_string(v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

Error bad_value(const ParamSpec& spec, const std::string& expectation) {
  return make_error(ErrorCode::InvalidInput, spec.name + " " + expectation, spec.name);
}

Error out_of_range(const ParamSpec& spec) {
  return bad_value(spec, "must be between " + number_text(spec.min) + " and " + number_text(spec.max));
}

}  // namespace

ParamSpec& accept_auto_quality(ParamSpec& spec) {
  spec.choices = recipe::auto_quality_words();
  spec.doc += "; or auto[:high|good|eco|low]: the lowest quality that still looks the same (X-Output-Quality reports it)";
  return spec;
}

Status apply_quality(recipe::Recipe& recipe, const ParamValue& value) {
  if (!value.text.empty()) {
    recipe.output.auto_quality = *recipe::parse_auto_quality(value.text);
    recipe.output.quality.reset();
  } else {
    recipe.output.quality = static_cast<int>(value.integer);
    recipe.output.auto_quality = recipe::AutoQuality::Off;
  }
  return ok_status();
}

const ParamSpec* find_param(const ParamTable& table, std::string_view name) {
  for (const auto& spec : table) {
    if (spec.name == name) return &spec;
    if (std::find(spec.aliases.begin(), spec.aliases.end(), name) != spec.aliases.end()) return &spec;
  }
  return nullptr;
}

std::vector<std::string> take_params(Params& params, std::string_view name) {
  std::vector<std::string> values;
  for (const auto& [field, value] : params) {
    if (field == name) values.push_back(value);
  }
  params.erase(std::remove_if(params.begin(), params.end(), [&](const auto& p) { return p.first == name; }), params.end());
  return values;
}

Result<ParamValue> parse_param_value(const ParamSpec& spec, std::string_view raw) {
  const std::string text = trim(raw);
  ParamValue value;
  switch (spec.type) {
    case ParamType::Integer: {
      if (!spec.choices.empty() && std::find(spec.choices.begin(), spec.choices.end(), lower(text)) != spec.choices.end()) {
        value.text = lower(text);
        return value;
      }
      // Accept "800" and "800.0", never "800px" or "1e308".
      double parsed = 0;
      const char* end = text.data() + text.size();
      auto [ptr, ec] = std::from_chars(text.data(), end, parsed, std::chars_format::fixed);
      if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(parsed) || parsed != std::floor(parsed)) {
        std::string words;
        for (const auto& w : spec.choices) words += ", " + w;
        return bad_value(spec, "must be a whole number" + (words.empty() ? "" : " or one of" + words.substr(1)));
      }
      if (parsed < spec.min || parsed > spec.max) return out_of_range(spec);
      value.integer = static_cast<long long>(parsed);
      value.number = parsed;
      return value;
    }
    case ParamType::Number: {
      double parsed = 0;
      const char* end = text.data() + text.size();
      auto [ptr, ec] = std::from_chars(text.data(), end, parsed);
      if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(parsed)) {
        return bad_value(spec, "must be a number");
      }
      if (parsed < spec.min || parsed > spec.max) return out_of_range(spec);
      value.number = parsed;
      return value;
    }
    case ParamType::Boolean: {
      auto b = core::parse_bool(text);
      if (!b) return bad_value(spec, "must be true or false");
      value.boolean = *b;
      return value;
    }
    case ParamType::Enum: {
      value.text = lower(text);
      if (std::find(spec.choices.begin(), spec.choices.end(), value.text) == spec.choices.end()) {
        std::string list;
        for (const auto& c : spec.choices) list += (list.empty() ? "" : ", ") + c;
        return bad_value(spec, "must be one of: " + list);
      }
      return value;
    }
    case ParamType::Colour: {
      auto c = recipe::parse_colour(text);
      if (!c) return bad_value(spec, "must be a colour such as #ffffff, #ffffff80, 255,255,255 or transparent");
      value.colour = *c;
      return value;
    }
    case ParamType::Text:
      if (text.size() > 4096) return bad_value(spec, "is too long");
      value.text = text;
      return value;
  }
  return bad_value(spec, "is invalid");
}

Status apply_params(const ParamTable& table, const Params& params, recipe::Recipe& recipe, bool strict,
                    const std::vector<std::string>& ignored) {
  for (const auto& [name, text] : params) {
    if (std::find(ignored.begin(), ignored.end(), name) != ignored.end()) continue;
    const ParamSpec* spec = find_param(table, name);
    if (!spec) {
      if (!strict) continue;
      std::string shown = name.size() > 64 ? name.substr(0, 64) + "..." : name;
      return make_error(ErrorCode::InvalidInput, "unknown parameter: " + shown, shown);
    }
    auto value = parse_param_value(*spec, text);
    if (!value) return value.error();
    if (spec->apply) {
      if (auto s = spec->apply(recipe, *value); !s) return s;
    }
  }
  return ok_status();
}

}  // namespace pixmill::dialects
