// src/auth/env_config.hpp: region and endpoint resolution from the AWS
// environment variables and the shared config profile, shared by
// config_from_environment and the STS web identity provider. Private.
#pragma once

#include <string>
#include <string_view>

#include "auth/profile_file.hpp"
#include "dynamate/aws/credentials.hpp"

namespace dynamate::aws::detail {

// AWS_REGION, AWS_DEFAULT_REGION, then `region` in `profile` (may be null).
// "" when none.
std::string region_from(const EnvLookup& env, const ProfileSection* profile);

// Whether configured endpoints are switched off: AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
// or the profile's ignore_configured_endpoint_urls.
bool ignore_configured_endpoints(const EnvLookup& env, const ProfileSection* profile);

// The configured endpoint for `service` ("dynamodb", "s3", "sts"), in the order
// the SDKs use: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's
// `services` section (`<service> =` / `  endpoint_url = ...`), the profile's
// `endpoint_url`. "" when none or when configured endpoints are ignored.
// `profile` and `files` may be null. A trailing '/' is removed.
std::string configured_endpoint(const EnvLookup& env, std::string_view service,
                                const ProfileSection* profile, const ProfileFiles* files);

}  // namespace dynamate::aws::detail
