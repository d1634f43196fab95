#pragma once
// Which routes are public, which are CPU work and which are AI work, by route name.

#include "http/router.h"

namespace pixmill::app {

// Public: liveness, each dialect's health, formats and presets listings, the model
// download for in-browser use, and the web page, docs and metrics. AI: background removal.
// Everything else — including routes added later and not listed here — is CPU work,
// so an unknown route needs a key rather than leaking past one.
http::AccessClass access_class_for(const http::Route& route);

}  // namespace pixmill::app
