// dynamate/aws/credentials.hpp: AWS credentials and the providers that find
// them, as the AWS SDKs do (static, environment, shared files, credential_process,
// container, EC2 IMDSv2, web identity, and the default chain in the SDKs' order).
//
// Providers are thread-safe. Providers of temporary credentials cache them and
// refresh before expiry (see CachingOptions), so get() is cheap on the hot path.
//
// Error convention (the chain relies on it): a provider that is simply not
// configured here answers ErrorCode::credentials ("nothing to offer") and the
// chain tries the next one; a provider that is configured but fails answers
// another code (invalid_argument for a bad setting, access_denied when the
// source refused, transport/timeout/service/protocol for the HTTP providers)
// and the chain stops there, as the AWS SDKs do, rather than silently falling
// back to a different identity.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dynamate/aws/clock.hpp"
#include "dynamate/aws/http.hpp"
#include "dynamate/result.hpp"

namespace dynamate::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty when not temporary
  std::optional<std::chrono::system_clock::time_point> expiration;
  std::string provider;  // which provider produced them, for diagnostics
};

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // ErrorCode::credentials when this provider has nothing to offer (the chain
  // then tries the next one); other codes for real failures.
  virtual Result<Credentials> get() = 0;
};

// Read access to the process environment, injectable for tests.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
// getenv(); an empty variable counts as unset, as in the SDKs.
EnvLookup process_environment();
// A fixed environment (tests, or a sandboxed configuration). Empty values
// count as unset.
EnvLookup map_environment(std::map<std::string, std::string> variables);

// ---------------------------------------------------------------------------
// Options shared by the providers.

// When a caching provider refreshes. Credentials without an expiration are
// cached for good.
struct CachingOptions {
  // Refresh this long before the credentials expire. If fresh credentials
  // expire sooner than that, the refresh happens half-way to their expiry.
  std::chrono::seconds refresh_before_expiry{300};
  // After a failed refresh while the cached credentials are still valid, keep
  // serving them and try again no sooner than this.
  std::chrono::seconds retry_after_failure{10};
};

// The seams the providers use. Empty members get the defaults shown.
struct ProviderContext {
  EnvLookup env;                               // process_environment()
  std::shared_ptr<http::Transport> transport;  // one process-wide make_curl_transport()
  std::shared_ptr<Clock> clock;                // Clock::system()
};

// ---------------------------------------------------------------------------
// Static and environment credentials. No I/O; thread-safe.

// Always returns `credentials` (provider name "static" unless set).
// invalid_argument from get() if the key id or secret is empty.
std::shared_ptr<CredentialsProvider> static_credentials(Credentials credentials);

// AWS_ACCESS_KEY_ID (or legacy AWS_ACCESS_KEY), AWS_SECRET_ACCESS_KEY (or
// legacy AWS_SECRET_KEY) and optional AWS_SESSION_TOKEN. Until a get()
// succeeds, each get() reads the variables; the first success is cached and
// returned from then on without reading the environment again (as the AWS
// SDKs do: the environment is taken not to change during the process, and
// getenv is not safe against a concurrent setenv). Errors: credentials when
// the key id is not set; invalid_argument when the key id is set without a
// secret.
std::shared_ptr<CredentialsProvider> environment_credentials(EnvLookup env = {});

// ---------------------------------------------------------------------------
// Shared config files (~/.aws/credentials and ~/.aws/config).

struct ProfileOptions {
  std::string profile;           // default: AWS_PROFILE, else "default"
  std::string credentials_file;  // default: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials
  std::string config_file;       // default: AWS_CONFIG_FILE, else ~/.aws/config
  // Region for the STS call of a web identity profile; default: AWS_REGION,
  // AWS_DEFAULT_REGION, then the profile's `region`.
  std::string region;
  ProviderContext context;
  CachingOptions caching;
};

// Credentials of one profile. `[x]` sections of the credentials file and
// `[profile x]` (or `[default]`) sections of the config file are merged, the
// credentials file winning key by key. Within the profile, in order:
//   role_arn + web_identity_token_file  -> STS AssumeRoleWithWebIdentity
//   role_arn + source_profile/credential_source -> invalid_argument (not supported)
//   aws_access_key_id + aws_secret_access_key (+ aws_session_token)
//   credential_process                  -> process_credentials(command)
// The files are read on each get() until the profile yields credentials; the
// provider then sticks to that source. Errors: credentials when the profile
// has no credentials or (for the implicit "default") does not exist;
// invalid_argument when an explicitly chosen profile is in neither file or a
// file cannot be read; the delegate's errors otherwise. Thread-safe.
std::shared_ptr<CredentialsProvider> profile_credentials(ProfileOptions options = {});

// ---------------------------------------------------------------------------
// credential_process.

struct ProcessOptions {
  std::chrono::milliseconds timeout{60000};  // the process is killed after this
  std::shared_ptr<Clock> clock;              // for the cache; default Clock::system()
  CachingOptions caching;
};

// Runs `command` with /bin/sh -c (stdin closed) in a process group of its
// own, and parses its stdout:
//   {"Version": 1, "AccessKeyId": "..", "SecretAccessKey": "..",
//    "SessionToken": "..", "Expiration": "2024-01-01T00:00:00Z"}
// (SessionToken and Expiration optional). Cached until near expiry. After
// `timeout` the whole group (the shell and anything it started) is killed.
// Errors: access_denied when the command exits non-zero or dies (the message
// carries the exit status), invalid_argument when /bin/sh cannot run it (exit
// 127), timeout, protocol for output that is not such a JSON document (the
// message names the field at fault). Messages show only the program, never
// its arguments, stderr or output, which may hold secrets. Thread-safe; one
// process runs at a time. In its own process group, the command is not in the
// terminal's foreground group: reading /dev/tty (say, an MFA prompt) stops it
// until the timeout.
std::shared_ptr<CredentialsProvider> process_credentials(std::string command,
                                                         ProcessOptions options = {});

// ---------------------------------------------------------------------------
// HTTP credential sources. Each is wrapped in caching_credentials.

struct ContainerOptions {
  ProviderContext context;
  std::chrono::milliseconds timeout{2000};  // per attempt
  int attempts = 2;                         // transport errors and 5xx are retried
  CachingOptions caching;
};

// ECS / EKS Pod Identity container credentials. GET
//   http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, or
//   $AWS_CONTAINER_CREDENTIALS_FULL_URI (https to any host; http only to
//   loopback hosts, 169.254.170.2, 169.254.170.23 and [fd00:ec2::23]),
// with the Authorization header from the file named by
// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (re-read at each fetch) or else from
// AWS_CONTAINER_AUTHORIZATION_TOKEN. Expects JSON with AccessKeyId,
// SecretAccessKey, Token and Expiration. Errors: credentials when neither URI
// variable is set; invalid_argument for a disallowed URI or bad token;
// transport/timeout; access_denied for 401/403; service for other statuses;
// protocol for a malformed body.
std::shared_ptr<CredentialsProvider> container_credentials(ContainerOptions options = {});

struct ImdsOptions {
  ProviderContext context;
  // Default: AWS_EC2_METADATA_SERVICE_ENDPOINT, else http://[fd00:ec2::254] when
  // AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6, else http://169.254.169.254.
  std::string endpoint;
  // Short, so that start-up off EC2 is not slow: 1 s, one attempt.
  std::chrono::milliseconds timeout{1000};
  int attempts = 1;
  std::chrono::seconds token_ttl{21600};  // the IMDSv2 session token is reused this long
  CachingOptions caching;
};

// EC2 instance profile credentials over IMDSv2 (IMDSv1 is never used):
//   PUT  /latest/api/token   (X-aws-ec2-metadata-token-ttl-seconds)
//   GET  /latest/meta-data/iam/security-credentials/        -> role name
//   GET  /latest/meta-data/iam/security-credentials/<role>  -> JSON
// each GET with X-aws-ec2-metadata-token. Errors: credentials when
// AWS_EC2_METADATA_DISABLED=true, when IMDS does not answer the token request
// (not on EC2) or when no role is attached; access_denied, service or
// protocol when the instance answers but the credentials cannot be read.
std::shared_ptr<CredentialsProvider> imds_credentials(ImdsOptions options = {});

struct WebIdentityOptions {
  std::string role_arn;      // default: AWS_ROLE_ARN
  std::string token_file;    // default: AWS_WEB_IDENTITY_TOKEN_FILE
  std::string session_name;  // default: AWS_ROLE_SESSION_NAME, else "dynamate-<ms since epoch>"
  std::string region;        // default: AWS_REGION, AWS_DEFAULT_REGION
  // Default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL (unless
  // AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true), else https://sts.<region>.amazonaws.com,
  // or https://sts.amazonaws.com without a region.
  std::string endpoint;
  ProviderContext context;
  std::chrono::milliseconds timeout{5000};  // per attempt
  int attempts = 2;  // transport errors, 5xx and IDPCommunicationError are retried
  CachingOptions caching;
};

// STS AssumeRoleWithWebIdentity: an unsigned form POST of Action, Version,
// RoleArn, RoleSessionName and WebIdentityToken (the token file is re-read at
// each refresh, as Kubernetes rotates it); the XML answer carries the
// temporary credentials. Errors: credentials when no token file is
// configured; invalid_argument when the token file is set without a role ARN
// or cannot be read; access_denied for STS AccessDenied/InvalidIdentityToken/
// ExpiredToken; validation for other 4xx; service for 5xx; transport/timeout;
// protocol for an unparsable answer.
std::shared_ptr<CredentialsProvider> web_identity_credentials(WebIdentityOptions options = {});

// ---------------------------------------------------------------------------
// Caching and chaining.

// Wraps `provider`: get() returns cached credentials until they are due for a
// refresh (CachingOptions). One caller refreshes while concurrent callers keep
// using the still-valid old credentials, or wait for the refresh when there
// are none (no stampede). If a refresh fails while the old credentials are
// still valid, they keep being served. Thread-safe. `clock` null = system.
std::shared_ptr<CredentialsProvider> caching_credentials(
    std::shared_ptr<CredentialsProvider> provider, std::shared_ptr<Clock> clock = nullptr,
    CachingOptions options = {});

struct NamedProvider {
  std::string name;  // used in error messages, e.g. "environment"
  std::shared_ptr<CredentialsProvider> provider;
};

// Tries `providers` in order; the first that yields credentials wins and is
// used from then on. A provider answering ErrorCode::credentials is skipped;
// any other error stops the search and is returned with the provider's name
// as context. When all are skipped: ErrorCode::credentials with what each one
// said. Thread-safe; the search itself is serialized.
std::shared_ptr<CredentialsProvider> chain_credentials(std::vector<NamedProvider> providers);

struct ChainOptions {
  std::string profile;  // default: AWS_PROFILE, else "default"
  std::string region;   // for STS; default: AWS_REGION, AWS_DEFAULT_REGION, profile region
  ProviderContext context;
  CachingOptions caching;
};

// The AWS SDKs' default chain: environment, profile (static keys,
// credential_process, web identity in the profile), web identity from the
// environment, container, EC2 IMDSv2. See each provider for the variables and
// calls involved. No I/O happens until the first get().
std::shared_ptr<CredentialsProvider> default_credentials_chain(ChainOptions options = {});

}  // namespace dynamate::aws
