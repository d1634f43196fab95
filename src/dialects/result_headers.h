#pragma once
// Turning a ProcessResult into a response: the image body and the X-* facts that
// Feather documents (our native dialect sends the same set).

#include <string>

#include "http/message.h"
#include "pipeline/process.h"

namespace pixmill::dialects {

// Body, Content-Type and the X-Original-Bytes … X-Iterations headers.
http::Response image_response(pipeline::ProcessResult result);

// `attachment; filename="<name><suffix>.<ext>"`
std::string attachment(const std::string& base, const std::string& suffix, recipe::OutputFormat format);

}  // namespace pixmill::dialects
