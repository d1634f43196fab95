#include "dialects/presets.h"

#include "core/text.h"

#include <algorithm>
#include <cctype>

namespace pixmill::dialects {

const std::vector<Preset>& presets() {
  static const std::vector<Preset> table = {
      // Social Media: petiteimg's three first, then the rest of TheGlitch's social set.
      {"ig-post", "Instagram Post", "Social Media", 1080, 1080, {"instagram-square", "instagram-post"}},
      {"ig-story", "Instagram Story", "Social Media", 1080, 1920, {"instagram-story", "instagram-reel"}},
      {"fb-post", "Facebook Post", "Social Media", 1200, 630, {"facebook-post"}},
      {"ig-portrait", "Instagram Portrait", "Social Media", 1080, 1350, {"instagram-portrait"}},
      {"fb-cover", "Facebook Cover", "Social Media", 820, 312, {"facebook-cover"}},
      {"x-post", "X/Twitter Post", "Social Media", 1200, 675, {"twitter-post", "x-twitter-post"}},
      {"x-header", "X/Twitter Header", "Social Media", 1500, 500, {"twitter-header", "x-twitter-header"}},
      {"yt-thumbnail", "YouTube Thumbnail", "Social Media", 1280, 720, {"youtube-thumbnail"}},
      {"yt-banner", "YouTube Banner", "Social Media", 2560, 1440, {"youtube-banner"}},
      {"li-post", "LinkedIn Post", "Social Media", 1200, 627, {"linkedin-post"}},
      {"li-banner", "LinkedIn Banner", "Social Media", 1584, 396, {"linkedin-banner"}},
      {"pinterest-pin", "Pinterest Pin", "Social Media", 1000, 1500, {"pin"}},
      {"tiktok", "TikTok Video Cover", "Social Media", 1080, 1920, {"tiktok-video", "tiktok-cover"}},
      // Google Ads: the IAB display sizes.
      {"ad-leaderboard", "Leaderboard", "Google Ads", 728, 90, {}},
      {"ad-med-rect", "Medium Rectangle", "Google Ads", 300, 250, {"ad-medium-rectangle"}},
      {"ad-large-rect", "Large Rectangle", "Google Ads", 336, 280, {"ad-large-rectangle"}},
      {"ad-skyscraper", "Wide Skyscraper", "Google Ads", 160, 600, {}},
      {"ad-half-page", "Half Page", "Google Ads", 300, 600, {}},
      {"ad-mobile-banner", "Mobile Banner", "Google Ads", 320, 50, {}},
      // Covers
      {"og-image", "OG Image", "Covers", 1200, 630, {"open-graph"}},
      {"podcast-cover", "Podcast Cover", "Covers", 3000, 3000, {}},
  };
  return table;
}

const Preset* find_preset(std::string_view key) {
  std::string k = core::ascii_lower(key);
  std::replace(k.begin(), k.end(), '_', '-');
  for (const auto& p : presets()) {
    if (p.id == k || std::find(p.aliases.begin(), p.aliases.end(), k) != p.aliases.end()) return &p;
  }
  return nullptr;
}

std::vector<std::string> preset_groups() { return {"Social Media", "Google Ads", "Covers"}; }

}  // namespace pixmill::dialects
