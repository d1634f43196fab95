#pragma once
// Face steps: finding faces in a frame (the face detector on the AI pool), hiding them
// (redactFaces), and a fill crop that keeps them (gravity=face). Redaction fails
// closed: when the detector cannot run, the error is returned, never the frame.

#include <vector>

#include <vips/vips8>

#include "ai/segmenter.h"
#include "core/result.h"
#include "pipeline/deadline.h"
#include "pipeline/geometry_plan.h"
#include "pipeline/recipe_names.h"

namespace pixmill::pipeline::steps {

// Every face in `frame`, in its pixels, best first. The frame is computed once into
// memory by the caller's choice (pass a copy_memory() frame when it is read again).
Result<std::vector<ai::FaceBox>> detect_faces(vips::VImage frame, ai::Segmenter& segmenter, const Deadline& deadline);

// The face box grown to cover hair, ears and chin (the detector's boxes are tight),
// clipped to width x height. What redaction covers.
ai::FaceBox redaction_box(const ai::FaceBox& face, int width, int height);

// Each face blurred, pixelated or filled (options.strength sets the blur or block size).
vips::VImage redact(vips::VImage frame, const std::vector<ai::FaceBox>& faces, const FaceOptions& options);

// Fill crop to the plan's cover size around the box holding every face, centred on it
// and kept inside the frame.
vips::VImage cover_crop_faces(vips::VImage frame, const GeometryPlan& plan, const std::vector<ai::FaceBox>& faces);

}  // namespace pixmill::pipeline::steps
