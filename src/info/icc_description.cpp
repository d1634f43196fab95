#include "info/icc_description.h"

#include <lcms2.h>

#include <memory>
#include <vector>

namespace pixmill::info {
namespace {

struct ProfileCloser {
  void operator()(void* profile) const { cmsCloseProfile(profile); }
};

}  // namespace

std::string icc_description(std::span<const uint8_t> profile) {
  if (profile.empty() || profile.size() > (64u << 20)) return {};
  std::unique_ptr<void, ProfileCloser> handle(
      cmsOpenProfileFromMem(profile.data(), static_cast<cmsUInt32Number>(profile.size())));
  if (!handle) return {};
  const cmsUInt32Number size = cmsGetProfileInfoASCII(handle.get(), cmsInfoDescription, "en", "US", nullptr, 0);
  if (size <= 1 || size > 4096) return {};
  std::vector<char> text(size);
  cmsGetProfileInfoASCII(handle.get(), cmsInfoDescription, "en", "US", text.data(), size);
  std::string description(text.data());
  while (!description.empty() && (description.back() == ' ' || description.back() == '\0')) description.pop_back();
  return description;
}

}  // namespace pixmill::info
