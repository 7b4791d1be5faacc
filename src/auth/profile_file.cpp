// The shared config/credentials file parser and the merged profile view.
#include "auth/profile_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <vector>

#include "auth/provider_util.hpp"

namespace dynamate::aws::detail {
namespace {

constexpr std::string_view kBlank = " \t\r\f\v";

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(kBlank);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(kBlank);
  return s.substr(first, last - first + 1);
}

// Cuts a `#`/`;` comment that follows whitespace (a value such as a secret
// key may contain those characters otherwise).
std::string_view strip_value_comment(std::string_view value) {
  for (std::size_t i = 1; i < value.size(); ++i) {
    if ((value[i] == '#' || value[i] == ';') && (value[i - 1] == ' ' || value[i - 1] == '\t')) {
      return trim(value.substr(0, i));
    }
  }
  return value;
}

struct KeyValue {
  std::string key;
  std::string value;
};

std::optional<KeyValue> split_property(std::string_view line) {
  const auto eq = line.find('=');
  if (eq == std::string_view::npos) return std::nullopt;
  std::string key = ascii_lower(trim(line.substr(0, eq)));
  if (key.empty()) return std::nullopt;
  return KeyValue{std::move(key), std::string(strip_value_comment(trim(line.substr(eq + 1))))};
}

// "profile   dev" -> "profile dev": the SDKs accept any whitespace after the
// section kind.
std::string section_name(std::string_view header) {
  const auto gap = header.find_first_of(kBlank);
  if (gap == std::string_view::npos) return std::string(header);
  return std::string(header.substr(0, gap)) + " " + std::string(trim(header.substr(gap)));
}

}  // namespace

IniFile parse_ini(std::string_view text) {
  IniFile file;
  ProfileSection* section = nullptr;  // null before the first header: lines ignored
  std::string parent_key;             // the last top-level key of `section`
  bool parent_is_table = false;       // that key had an empty value: a sub-section
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    const bool indented = raw.front() == ' ' || raw.front() == '\t';
    if (!indented && line.front() == '[') {
      const auto close = line.find(']');
      section = nullptr;
      parent_key.clear();
      if (close == std::string_view::npos) continue;  // malformed header: skip its body
      const std::string name = section_name(trim(line.substr(1, close - 1)));
      if (!name.empty()) section = &file.sections[name];
      continue;
    }
    if (section == nullptr) continue;
    if (indented && !parent_key.empty()) {
      if (parent_is_table) {
        if (auto kv = split_property(line)) {
          (*section)[parent_key + "." + kv->key] = std::move(kv->value);
        }
      } else {
        auto& value = (*section)[parent_key];
        value += "\n";
        value += line;
      }
      continue;
    }
    if (auto kv = split_property(line)) {
      parent_key = kv->key;
      parent_is_table = kv->value.empty();
      (*section)[kv->key] = std::move(kv->value);
    }
  }
  return file;
}

ProfileLocation locate_profile(const EnvLookup& env, const std::string& profile,
                               const std::string& config_file,
                               const std::string& credentials_file) {
  ProfileLocation where;
  where.profile = profile;
  if (where.profile.empty()) where.profile = env_string(env, "AWS_PROFILE");
  where.profile_explicit = !where.profile.empty();
  if (where.profile.empty()) where.profile = "default";

  auto pick = [&](const std::string& given, const char* variable, const char* fallback) {
    std::string path = given.empty() ? env_string(env, variable) : given;
    if (path.empty()) {
      const std::string home = home_directory(env);
      return home.empty() ? std::string() : home + fallback;
    }
    return expand_home(path, env);
  };
  where.config_file = pick(config_file, "AWS_CONFIG_FILE", "/.aws/config");
  where.credentials_file =
      pick(credentials_file, "AWS_SHARED_CREDENTIALS_FILE", "/.aws/credentials");
  return where;
}

namespace {

Result<IniFile> load_ini(const std::string& path, std::string_view what) {
  if (path.empty()) return IniFile{};
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 && errno == ENOENT) return IniFile{};
  auto text = read_text_file(path, what);
  if (!text) return unexpected(std::move(text).error());
  return parse_ini(*text);
}

}  // namespace

Result<ProfileFiles> ProfileFiles::load(const ProfileLocation& location) {
  ProfileFiles files;
  auto config = load_ini(location.config_file, "AWS config file");
  if (!config) return unexpected(std::move(config).error());
  auto credentials = load_ini(location.credentials_file, "AWS credentials file");
  if (!credentials) return unexpected(std::move(credentials).error());
  files.config_ = std::move(*config);
  files.credentials_ = std::move(*credentials);
  return files;
}

std::optional<ProfileSection> ProfileFiles::profile(const std::string& name) const {
  std::optional<ProfileSection> merged;
  // The SDKs take `[profile default]` as well as `[default]` in the config file;
  // `[name]` for any other profile there is not a profile.
  std::vector<std::string> headers = {"profile " + name};
  if (name == "default") headers.insert(headers.begin(), "default");
  for (const auto& header : headers) {
    auto it = config_.sections.find(header);
    if (it == config_.sections.end()) continue;
    if (!merged) merged.emplace();
    for (const auto& [key, value] : it->second) (*merged)[key] = value;
  }
  auto it = credentials_.sections.find(name);
  if (it != credentials_.sections.end()) {
    if (!merged) merged.emplace();
    for (const auto& [key, value] : it->second) (*merged)[key] = value;
  }
  return merged;
}

const ProfileSection* ProfileFiles::services(const std::string& name) const {
  auto it = config_.sections.find("services " + name);
  return it == config_.sections.end() ? nullptr : &it->second;
}

std::string section_value(const ProfileSection& section, const std::string& key) {
  auto it = section.find(key);
  return it == section.end() ? std::string() : it->second;
}

}  // namespace dynamate::aws::detail
