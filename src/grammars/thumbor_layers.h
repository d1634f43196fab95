#pragma once
// thumbor's and imagor's filters that add layers or shape the frame: watermark(),
// label() and round_corner(). Rows of the filter table in thumbor_filters.cpp; they fill
// the same recipe fields as the native dialect (docs/compositing.md).

#include <string>
#include <vector>

#include "core/result.h"
#include "grammars/grammar_request.h"

namespace pixmill::grammars {

// watermark(image,x,y,alpha[,w_ratio[,h_ratio]]): image is an http(s) URL or a
// WATERMARKS_DIR name ("logo" or "logo.png"); x/y a pixel offset from the left/top edge
// (negative: from the right/bottom), "center", or "repeat" (both axes: tiled); alpha is
// transparency 0..100; w_ratio a percentage of the image width.
Status thumbor_watermark(Recipe& recipe, const std::vector<std::string>& args);

// imagor's label(text,x,y,size,color[,alpha[,font]]): positions as watermark(), plus the
// words left/right/top/bottom.
Status thumbor_label(Recipe& recipe, const std::vector<std::string>& args);

// round_corner(a|b,r,g,b[,transparent]): corner radius a (b, the vertical radius, must
// equal it), the colour the corners take, or transparent ones.
Status thumbor_round_corner(Recipe& recipe, const std::vector<std::string>& args);

}  // namespace pixmill::grammars
