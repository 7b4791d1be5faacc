// profile_credentials: credentials named by a profile of the shared config
// files: static keys, credential_process, or a web identity role.
#include <mutex>

#include "auth/env_config.hpp"
#include "auth/profile_file.hpp"
#include "auth/provider_util.hpp"
#include "dynamate/aws/credentials.hpp"

namespace dynamate::aws {
namespace {

class ProfileProvider final : public CredentialsProvider {
 public:
  explicit ProfileProvider(ProfileOptions options) : options_(std::move(options)) {
    if (!options_.context.env) options_.context.env = process_environment();
  }

  Result<Credentials> get() override {
    std::shared_ptr<CredentialsProvider> delegate;
    {
      std::lock_guard lock(mu_);
      if (!delegate_) {
        auto found = resolve();
        if (!found) return unexpected(std::move(found).error());
        delegate_ = std::move(*found);
      }
      delegate = delegate_;
    }
    return delegate->get();
  }

 private:
  // Reads the files and picks the profile's source of credentials.
  Result<std::shared_ptr<CredentialsProvider>> resolve() const {
    const EnvLookup& env = options_.context.env;
    const detail::ProfileLocation where = detail::locate_profile(
        env, options_.profile, options_.config_file, options_.credentials_file);
    auto files = detail::ProfileFiles::load(where);
    if (!files) return unexpected(std::move(files).error());
    const auto profile = files->profile(where.profile);
    const std::string name = "profile '" + where.profile + "'";
    if (!profile) {
      const std::string message =
          name + " is in neither " + where.credentials_file + " nor " + where.config_file;
      // A profile asked for by name must exist; the implicit default need not.
      return unexpected(
          where.profile_explicit ? ErrorCode::invalid_argument : ErrorCode::credentials, message);
    }
    auto value = [&](const char* key) { return detail::section_value(*profile, key); };

    if (!value("role_arn").empty()) return role_provider(*profile, *files, name);
    const std::string key_id = value("aws_access_key_id");
    if (!key_id.empty()) {
      if (value("aws_secret_access_key").empty()) {
        return unexpected(ErrorCode::invalid_argument,
                          name + " has aws_access_key_id but no aws_secret_access_key");
      }
      return static_credentials({key_id, value("aws_secret_access_key"), value("aws_session_token"),
                                 std::nullopt, "profile"});
    }
    const std::string command = value("credential_process");
    if (!command.empty()) {
      ProcessOptions process;
      process.clock = options_.context.clock;
      process.caching = options_.caching;
      return process_credentials(command, process);
    }
    if (!value("sso_session").empty() || !value("sso_start_url").empty()) {
      return unexpected(ErrorCode::invalid_argument,
                        name +
                            " uses IAM Identity Center (SSO), which dynamate does not "
                            "support directly; use credential_process = aws configure "
                            "export-credentials --profile <name> --format process");
    }
    return unexpected(ErrorCode::credentials, name + " has no credentials");
  }

  Result<std::shared_ptr<CredentialsProvider>> role_provider(const detail::ProfileSection& profile,
                                                             const detail::ProfileFiles& files,
                                                             const std::string& name) const {
    auto value = [&](const char* key) { return detail::section_value(profile, key); };
    if (value("web_identity_token_file").empty()) {
      // AssumeRole needs SigV4-signed STS calls with a source identity; not
      // done here (yet). Say so rather than ignore role_arn.
      return unexpected(ErrorCode::invalid_argument,
                        name + " has role_arn with " +
                            (value("source_profile").empty() && value("credential_source").empty()
                                 ? std::string("no web_identity_token_file")
                                 : std::string("source_profile/credential_source")) +
                            "; only role_arn + web_identity_token_file is supported");
    }
    const EnvLookup& env = options_.context.env;
    WebIdentityOptions web;
    web.role_arn = value("role_arn");
    web.token_file = detail::expand_home(value("web_identity_token_file"), env);
    web.session_name = value("role_session_name");
    web.region = options_.region.empty() ? detail::region_from(env, &profile) : options_.region;
    web.endpoint = detail::configured_endpoint(env, "sts", &profile, &files);
    web.context = options_.context;
    web.caching = options_.caching;
    return web_identity_credentials(std::move(web));
  }

  ProfileOptions options_;
  std::mutex mu_;
  std::shared_ptr<CredentialsProvider> delegate_;  // guarded by mu_; set once found
};

}  // namespace

std::shared_ptr<CredentialsProvider> profile_credentials(ProfileOptions options) {
  return std::make_shared<ProfileProvider>(std::move(options));
}

}  // namespace dynamate::aws
