#pragma once
// The native dialect's compositing wiring, kept apart from native.cpp so that the route
// code stays small: the `operations` list (which may be longer than a text field) and
// the watermark sources (parts, URLs, named files).

#include <string>
#include <vector>

#include "dialects/dialect.h"
#include "dialects/upload.h"
#include "pipeline/deadline.h"

namespace pixmill::dialects {

// Multipart / JSON fields that carry a second image.
inline const std::vector<std::string> kNativeAttachmentFields = {"watermark"};

// After the parameters are applied: parses the operations, checks every layer modifier
// has its layer, and fetches the watermark images.
Status complete_compositing(recipe::Recipe& recipe, const std::vector<std::string>& operations, const Upload& upload,
                            const DialectContext& context, const core::Deadline& deadline);

}  // namespace pixmill::dialects
