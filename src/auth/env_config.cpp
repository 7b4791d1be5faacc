// Region and configured-endpoint resolution (AWS_REGION, AWS_ENDPOINT_URL_*,
// profile endpoint_url and services sections).
#include "auth/env_config.hpp"

#include "auth/provider_util.hpp"

namespace dynamate::aws::detail {
namespace {

// "dynamodb" -> "DYNAMODB"; the SDKs' env names use upper case with '_' for
// spaces and dashes ("AWS_ENDPOINT_URL_ELASTIC_BEANSTALK").
std::string env_suffix(std::string_view service) {
  std::string out(service);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == ' ' || c == '-') c = '_';
  }
  return out;
}

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

std::string region_from(const EnvLookup& env, const ProfileSection* profile) {
  std::string region = env_string(env, "AWS_REGION");
  if (region.empty()) region = env_string(env, "AWS_DEFAULT_REGION");
  if (region.empty() && profile != nullptr) region = section_value(*profile, "region");
  return region;
}

bool ignore_configured_endpoints(const EnvLookup& env, const ProfileSection* profile) {
  const std::string flag = env_string(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
  if (!flag.empty()) return is_true(flag);
  return profile != nullptr && is_true(section_value(*profile, "ignore_configured_endpoint_urls"));
}

std::string configured_endpoint(const EnvLookup& env, std::string_view service,
                                const ProfileSection* profile, const ProfileFiles* files) {
  if (ignore_configured_endpoints(env, profile)) return {};
  std::string url = env_string(env, "AWS_ENDPOINT_URL_" + env_suffix(service));
  if (url.empty()) url = env_string(env, "AWS_ENDPOINT_URL");
  if (url.empty() && profile != nullptr && files != nullptr) {
    const std::string services_name = section_value(*profile, "services");
    if (const ProfileSection* services =
            services_name.empty() ? nullptr : files->services(services_name)) {
      std::string key = ascii_lower(service);
      for (char& c : key) {
        if (c == ' ' || c == '-') c = '_';
      }
      url = section_value(*services, key + ".endpoint_url");
    }
  }
  if (url.empty() && profile != nullptr) url = section_value(*profile, "endpoint_url");
  return without_trailing_slash(std::move(url));
}

}  // namespace dynamate::aws::detail
