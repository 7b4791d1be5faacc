// chain_credentials and the SDKs' default chain.
#include <atomic>
#include <mutex>

#include "auth/provider_util.hpp"
#include "dynamate/aws/credentials.hpp"

namespace dynamate::aws {
namespace {

class ChainProvider final : public CredentialsProvider {
 public:
  explicit ChainProvider(std::vector<NamedProvider> providers) : providers_(std::move(providers)) {}

  Result<Credentials> get() override {
    // The chosen provider is called without any lock held: it is thread-safe
    // and may take a while to refresh.
    if (const NamedProvider* found = chosen_.load(std::memory_order_acquire)) return use(*found);
    return search();
  }

 private:
  static Result<Credentials> use(const NamedProvider& chosen) {
    auto result = chosen.provider->get();
    if (!result) result.error().with_context("credentials provider '" + chosen.name + "'");
    return result;
  }

  // Serialized so that concurrent first calls do not all probe, say, IMDS.
  Result<Credentials> search() {
    std::lock_guard lock(search_mu_);
    // Found by another caller while we waited.
    if (const NamedProvider* found = chosen_.load(std::memory_order_acquire)) return use(*found);
    std::string skipped;
    for (const NamedProvider& candidate : providers_) {
      auto result = candidate.provider->get();
      if (result) {
        chosen_.store(&candidate, std::memory_order_release);
        return result;
      }
      if (result.error().code != ErrorCode::credentials) {
        result.error().with_context("credentials provider '" + candidate.name + "'");
        return result;
      }
      skipped += "; " + candidate.name + ": " + result.error().message;
    }
    return unexpected(ErrorCode::credentials,
                      "no AWS credentials found (" +
                          (skipped.empty() ? std::string("no providers") : skipped.substr(2)) +
                          ")");
  }

  const std::vector<NamedProvider> providers_;  // never changes: pointers into it stay valid
  std::mutex search_mu_;
  std::atomic<const NamedProvider*> chosen_{nullptr};  // set once, by search()
};

}  // namespace

std::shared_ptr<CredentialsProvider> chain_credentials(std::vector<NamedProvider> providers) {
  return std::make_shared<ChainProvider>(std::move(providers));
}

std::shared_ptr<CredentialsProvider> default_credentials_chain(ChainOptions options) {
  const ProviderContext context = detail::with_defaults(std::move(options.context));

  ProfileOptions profile;
  profile.profile = options.profile;
  profile.region = options.region;
  profile.context = context;
  profile.caching = options.caching;

  WebIdentityOptions web;
  web.region = options.region;
  web.context = context;
  web.caching = options.caching;

  ContainerOptions container;
  container.context = context;
  container.caching = options.caching;

  ImdsOptions imds;
  imds.context = context;
  imds.caching = options.caching;

  return chain_credentials({
      {"environment", environment_credentials(context.env)},
      {"profile", profile_credentials(std::move(profile))},
      {"web_identity", web_identity_credentials(std::move(web))},
      {"container", container_credentials(std::move(container))},
      {"imds", imds_credentials(std::move(imds))},
  });
}

}  // namespace dynamate::aws
