#pragma once
// Parameters come from tables, not if-chains: each dialect lists its fields once
// (name, aliases, type, range, doc, and how the value lands in the Recipe). The
// parser, its error messages and the API reference all read the same table.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "recipe/recipe.h"

namespace pixmill::dialects {

enum class ParamType { Integer, Number, Boolean, Enum, Text, Colour };

// A parsed value, typed by its field.
struct ParamValue {
  long long integer = 0;
  double number = 0.0;
  bool boolean = false;
  std::string text;  // Enum, Text (lower-cased for Enum)
  recipe::Colour colour;
};

struct ParamSpec {
  std::string name;
  std::vector<std::string> aliases;
  ParamType type = ParamType::Text;
  double min = 0;  // Integer/Number bounds, inclusive
  double max = 0;
  std::vector<std::string> choices;  // Enum; for Integer, words accepted besides a number
  std::string default_text;          // for documentation
  std::string doc;
  std::function<Status(recipe::Recipe&, const ParamValue&)> apply;
};

using ParamTable = std::vector<ParamSpec>;
using Params = std::vector<std::pair<std::string, std::string>>;

// Finds a field by name or alias (case-sensitive, as the seeds spell them).
const ParamSpec* find_param(const ParamTable& table, std::string_view name);

// Removes every `name` field from params and returns their values, in order: the fields a
// dialect reads itself instead of through the table (operations, bgImage).
std::vector<std::string> take_params(Params& params, std::string_view name);

// Parses one value of a field: bounds are checked here, errors name the field.
Result<ParamValue> parse_param_value(const ParamSpec& spec, std::string_view text);

// The quality fields of every dialect: a number 1..100 or a word of
// recipe::auto_quality_words() ("auto", "auto:eco", …).
ParamSpec& accept_auto_quality(ParamSpec& spec);
Status apply_quality(recipe::Recipe& recipe, const ParamValue& value);

// Parses all params into the recipe. Unknown names are an error when strict, else skipped.
Status apply_params(const ParamTable& table, const Params& params, recipe::Recipe& recipe, bool strict,
                    const std::vector<std::string>& ignored = {});

}  // namespace pixmill::dialects
