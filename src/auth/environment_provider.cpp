// The environment lookups, static credentials and the AWS_* environment
// variables provider.
#include <atomic>
#include <cstdlib>
#include <mutex>

#include "auth/provider_util.hpp"
#include "dynamate/aws/credentials.hpp"

namespace dynamate::aws {

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
}

EnvLookup map_environment(std::map<std::string, std::string> variables) {
  auto vars = std::make_shared<const std::map<std::string, std::string>>(std::move(variables));
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars->find(name);
    if (it == vars->end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

namespace {

class StaticProvider final : public CredentialsProvider {
 public:
  explicit StaticProvider(Credentials credentials) : credentials_(named(std::move(credentials))) {}
  Result<Credentials> get() override {
    if (credentials_.access_key_id.empty() || credentials_.secret_access_key.empty()) {
      return unexpected(ErrorCode::invalid_argument,
                        "static credentials need an access key id and a secret access key");
    }
    return credentials_;
  }

 private:
  static Credentials named(Credentials c) {
    if (c.provider.empty()) c.provider = "static";
    return c;
  }

  const Credentials credentials_;  // immutable, hence thread-safe
};

class EnvironmentProvider final : public CredentialsProvider {
 public:
  explicit EnvironmentProvider(EnvLookup env) : env_(std::move(env)) {}

  Result<Credentials> get() override {
    // Once found, the credentials are not read again: the environment does not
    // change during the process (as in the SDKs), getenv races with setenv on
    // other threads, and this is on every request's path. Until then each
    // call reads, so variables set after start-up are still seen.
    if (found_.load(std::memory_order_acquire)) return cached_;
    std::lock_guard lock(mu_);
    if (found_.load(std::memory_order_relaxed)) return cached_;
    auto read = read_environment();
    if (!read) return read;
    cached_ = std::move(*read);
    found_.store(true, std::memory_order_release);
    return cached_;
  }

 private:
  Result<Credentials> read_environment() const {
    Credentials c;
    c.access_key_id = first_of("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY");
    if (c.access_key_id.empty()) {
      return unexpected(ErrorCode::credentials, "AWS_ACCESS_KEY_ID is not set");
    }
    c.secret_access_key = first_of("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY");
    if (c.secret_access_key.empty()) {
      // Half a configuration is a mistake to report, not a reason to go and
      // find another identity further down the chain.
      return unexpected(ErrorCode::invalid_argument,
                        "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
    }
    c.session_token = detail::env_string(env_, "AWS_SESSION_TOKEN");
    c.provider = "environment";
    return c;
  }

  std::string first_of(const char* name, const char* legacy) const {
    std::string value = detail::env_string(env_, name);
    return value.empty() ? detail::env_string(env_, legacy) : value;
  }

  const EnvLookup env_;
  std::mutex mu_;                   // serializes the reads until found_
  std::atomic<bool> found_{false};  // set once; cached_ is immutable after
  Credentials cached_;              // written once, before found_ is set
};

}  // namespace

std::shared_ptr<CredentialsProvider> static_credentials(Credentials credentials) {
  return std::make_shared<StaticProvider>(std::move(credentials));
}

std::shared_ptr<CredentialsProvider> environment_credentials(EnvLookup env) {
  if (!env) env = process_environment();
  return std::make_shared<EnvironmentProvider>(std::move(env));
}

}  // namespace dynamate::aws
