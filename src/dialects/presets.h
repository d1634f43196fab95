#pragma once
// One preset table for both dialects that have presets: petiteimg's groups (Social
// Media, Google Ads, Covers) merged with TheGlitch's 14 social presets. Ids are stable
// and documented; TheGlitch-style names are aliases of the same entries.

#include <string>
#include <string_view>
#include <vector>

namespace pixmill::dialects {

struct Preset {
  std::string id;                    // stable id, petiteimg style: "ig-post"
  std::string name;                  // "Instagram Post"
  std::string group;                 // "Social Media", "Google Ads", "Covers"
  int width = 0;
  int height = 0;
  std::vector<std::string> aliases;  // TheGlitch style: "instagram-square"
};

const std::vector<Preset>& presets();
const Preset* find_preset(std::string_view id_or_alias);  // case-insensitive
std::vector<std::string> preset_groups();                 // in display order

}  // namespace pixmill::dialects
