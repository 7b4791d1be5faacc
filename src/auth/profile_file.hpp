// src/auth/profile_file.hpp: the AWS shared config and credentials files
// (~/.aws/config, ~/.aws/credentials): an INI parser with the AWS rules, where
// the files are, and the merged view of one profile. Private.
//
// Parsing rules (as the AWS SDKs and CLI read these files):
//   - `[name]` starts a section; whitespace inside the brackets is trimmed and
//     a comment may follow the closing bracket;
//   - `key = value`, keys compared lower-case, values trimmed; a `#` or `;`
//     preceded by whitespace starts a comment in a value;
//   - lines starting with `#` or `;` are comments, blank lines are ignored;
//   - an indented line continues the previous key: if that key's value was
//     empty it holds a sub-property (`s3 =` then `  addressing_style = path`,
//     stored as "s3.addressing_style"), otherwise the line is appended to the
//     value after a newline;
//   - repeated sections merge, a repeated key keeps the last value.
// In the config file profiles are `[profile name]` (and `[default]`); in the
// credentials file they are `[name]`. `[services name]` sections of the config
// file hold per-service settings (`dynamodb =` / `  endpoint_url = ...`).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "dynamate/aws/credentials.hpp"
#include "dynamate/result.hpp"

namespace dynamate::aws::detail {

// key -> value; sub-properties as "parent.child".
using ProfileSection = std::map<std::string, std::string>;

struct IniFile {
  // Section header as written between the brackets, trimmed, inner runs of
  // whitespace kept (e.g. "profile dev", "default", "services local").
  std::map<std::string, ProfileSection> sections;
};

IniFile parse_ini(std::string_view text);

// Which files and which profile: explicit arguments first, then AWS_PROFILE,
// AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, then the ~/.aws defaults.
struct ProfileLocation {
  std::string profile;
  bool profile_explicit = false;  // named by the caller or AWS_PROFILE
  std::string config_file;
  std::string credentials_file;
};

ProfileLocation locate_profile(const EnvLookup& env, const std::string& profile = {},
                               const std::string& config_file = {},
                               const std::string& credentials_file = {});

class ProfileFiles {
 public:
  // Reads both files; a missing file counts as empty, an unreadable one
  // (a directory, no permission) is invalid_argument.
  static Result<ProfileFiles> load(const ProfileLocation& location);
  // From already parsed files (tests).
  ProfileFiles(IniFile config, IniFile credentials)
      : config_(std::move(config)), credentials_(std::move(credentials)) {}

  // The profile's keys: the config file's `[profile name]` (or `[default]`)
  // overridden key by key by the credentials file's `[name]`. nullopt when the
  // profile is in neither file.
  std::optional<ProfileSection> profile(const std::string& name) const;
  // The `[services name]` section of the config file, if any.
  const ProfileSection* services(const std::string& name) const;

 private:
  ProfileFiles() = default;
  IniFile config_;
  IniFile credentials_;
};

// The value of `key` in `section`, or "" when absent.
std::string section_value(const ProfileSection& section, const std::string& key);

}  // namespace dynamate::aws::detail
