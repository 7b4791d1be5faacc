// config_from_environment: a ClientConfig from the AWS environment variables
// and the shared config files, resolved the way the AWS SDKs do.
#include <charconv>

#include "auth/env_config.hpp"
#include "auth/profile_file.hpp"
#include "auth/provider_util.hpp"
#include "dynamate/aws/client_config.hpp"

namespace dynamate::aws {
namespace {

// S3 addressing: path style when the profile says so (`s3 =` /
// `  addressing_style = path`), and always for endpoints that are IP
// addresses or localhost, which have no per-bucket DNS names.
bool s3_path_style(const detail::ProfileSection* profile, const std::string& endpoint) {
  if (profile != nullptr &&
      detail::ascii_lower(detail::section_value(*profile, "s3.addressing_style")) == "path") {
    return true;
  }
  const auto url = detail::split_url(endpoint);
  return url && (detail::is_ip_literal(url->host) || detail::is_loopback_host(url->host));
}

// AWS_MAX_ATTEMPTS, then the profile's max_attempts; `fallback` when neither.
Result<int> max_attempts(const EnvLookup& env, const detail::ProfileSection* profile,
                         int fallback) {
  std::string text = detail::env_string(env, "AWS_MAX_ATTEMPTS");
  const char* source = "AWS_MAX_ATTEMPTS";
  if (text.empty() && profile != nullptr) {
    text = detail::section_value(*profile, "max_attempts");
    source = "max_attempts in the profile";
  }
  if (text.empty()) return fallback;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1) {
    return unexpected(ErrorCode::invalid_argument,
                      std::string(source) + " must be a positive integer, not '" + text + "'");
  }
  return value;
}

}  // namespace

Result<ClientConfig> config_from_environment(std::string_view service,
                                             const EnvironmentOptions& options) {
  const EnvLookup env = options.env ? options.env : process_environment();
  const detail::ProfileLocation where = detail::locate_profile(env, options.profile);
  auto files = detail::ProfileFiles::load(where);
  if (!files) return unexpected(std::move(files).error());
  // A missing profile is not an error here: the credentials chain reports it
  // if it matters, and region/endpoint may come from the environment.
  const std::optional<detail::ProfileSection> profile = files->profile(where.profile);
  const detail::ProfileSection* section = profile ? &*profile : nullptr;

  ClientConfig config;
  config.region = options.region.empty() ? detail::region_from(env, section) : options.region;
  if (config.region.empty()) {
    return unexpected(
        ErrorCode::invalid_argument,
        "no AWS region: set EnvironmentOptions::region, AWS_REGION or "
        "AWS_DEFAULT_REGION, or `region` in profile '" +
            where.profile + "' of " +
            (where.config_file.empty() ? std::string("~/.aws/config") : where.config_file));
  }
  config.endpoint = options.endpoint;
  if (config.endpoint.empty()) {
    config.endpoint = detail::configured_endpoint(env, service, section, &*files);
  }
  while (!config.endpoint.empty() && config.endpoint.back() == '/') config.endpoint.pop_back();
  if (service == "s3") config.s3_path_style = s3_path_style(section, config.endpoint);

  auto attempts = max_attempts(env, section, config.retry.max_attempts);
  if (!attempts) return unexpected(std::move(attempts).error());
  config.retry.max_attempts = *attempts;

  config.transport = detail::shared_transport();
  config.clock = Clock::system();

  ChainOptions chain;
  chain.profile = options.profile;
  chain.region = config.region;
  chain.context = {env, config.transport, config.clock};
  config.credentials = default_credentials_chain(std::move(chain));
  return config;
}

}  // namespace dynamate::aws
