#pragma once
// The errors of imgproxy's option parsing, shared by the option files (imgproxy_options.cpp,
// imgproxy_compositing.cpp) so each message reads as imgproxy's own.

#include <string>
#include <vector>

#include "core/result.h"

namespace pixmill::grammars {

// InvalidInput "Invalid <option> arguments: [a b]"
Error imgproxy_invalid_args(const std::string& option, const std::vector<std::string>& args);
// InvalidInput "Invalid <option>: <arg> (expected <expected>)"
Error imgproxy_invalid_arg(const std::string& option, const std::string& arg, const std::string& expected);
// UnsupportedOption "the <option> option is not supported by pixmill yet"
Error imgproxy_not_yet(const std::string& option);
// Go's ParseBool; imgproxy logs a bad boolean and treats it as false.
bool imgproxy_bool(const std::string& arg);

}  // namespace pixmill::grammars
