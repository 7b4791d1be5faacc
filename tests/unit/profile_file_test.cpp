// The shared config/credentials files: INI parsing, file location, profile
// merging, and profile_credentials (static keys, credential_process,
// unsupported kinds) over temporary files.
#include "auth/profile_file.hpp"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "dynamate/aws/credentials.hpp"

namespace dynamate::aws {
namespace {

using detail::IniFile;
using detail::parse_ini;
using detail::ProfileFiles;

// A private directory standing in for $HOME, removed afterwards.
class TempHome {
 public:
  TempHome() {
    std::string pattern = (std::filesystem::temp_directory_path() / "dynamate-profile-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
    std::filesystem::create_directories(path_ / ".aws");
  }
  ~TempHome() { std::filesystem::remove_all(path_); }
  TempHome(const TempHome&) = delete;
  TempHome& operator=(const TempHome&) = delete;

  std::string path() const { return path_.string(); }
  std::string write(const std::string& relative, const std::string& text) const {
    const auto file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file.string();
  }
  // HOME plus IMDS off, so nothing here reads the real ~/.aws or the network.
  std::map<std::string, std::string> env() const {
    return {{"HOME", path()}, {"AWS_EC2_METADATA_DISABLED", "true"}};
  }

 private:
  std::filesystem::path path_;
};

// ---------------------------------------------------------------------------
// INI parsing

TEST(ParseIni, SectionsKeysCommentsAndWhitespace) {
  const IniFile file = parse_ini(
      "# leading comment\n"
      "; another\n"
      "orphan = ignored before any section\n"
      "[default]\n"
      "  \n"
      "region=us-west-2\n"
      "Output   =   json   \n"
      "\t\n"
      "[ profile   dev ]  # comment after the header\n"
      "aws_access_key_id = AKID ; inline comment\n"
      "aws_secret_access_key = se#cr;et\n"
      "empty =\n"
      "\r\n"
      "[profile dev]\n"
      "region = eu-west-1\n");
  ASSERT_EQ(file.sections.size(), 2u);
  const auto& def = file.sections.at("default");
  EXPECT_EQ(def.at("region"), "us-west-2");
  EXPECT_EQ(def.at("output"), "json");  // keys are case-insensitive, values trimmed
  EXPECT_EQ(def.count("orphan"), 0u);
  const auto& dev = file.sections.at("profile dev");
  EXPECT_EQ(dev.at("aws_access_key_id"), "AKID");
  EXPECT_EQ(dev.at("aws_secret_access_key"), "se#cr;et");  // no whitespace before: not a comment
  EXPECT_EQ(dev.at("empty"), "");
  EXPECT_EQ(dev.at("region"), "eu-west-1");  // repeated sections merge
}

TEST(ParseIni, SubSectionsAndContinuations) {
  const IniFile file = parse_ini(
      "[profile x]\n"
      "s3 =\n"
      "  addressing_style = path\n"
      "    max_concurrent_requests=10\n"
      "dynamodb =\n"
      "\tendpoint_url = http://localhost:8000\n"
      "note = first\n"
      "  second line\n"
      "region = us-east-1\n");
  const auto& x = file.sections.at("profile x");
  EXPECT_EQ(x.at("s3.addressing_style"), "path");
  EXPECT_EQ(x.at("s3.max_concurrent_requests"), "10");
  EXPECT_EQ(x.at("dynamodb.endpoint_url"), "http://localhost:8000");
  EXPECT_EQ(x.at("note"), "first\nsecond line");
  EXPECT_EQ(x.at("region"), "us-east-1");
}

TEST(ParseIni, WindowsLineEndingsAndMalformedLines) {
  const IniFile file =
      parse_ini("[a]\r\nk = v\r\nno equals sign\r\n= no key\r\n[broken\r\nz = 1\r\n");
  EXPECT_EQ(file.sections.at("a").at("k"), "v");
  EXPECT_EQ(file.sections.at("a").size(), 1u);
  EXPECT_EQ(file.sections.count("broken"), 0u);
  for (const auto& [name, keys] : file.sections) EXPECT_EQ(keys.count("z"), 0u) << name;
}

TEST(ParseIni, EmptyInput) { EXPECT_TRUE(parse_ini("").sections.empty()); }

// ---------------------------------------------------------------------------
// Profiles across the two files

TEST(ProfileFiles, CredentialsFileWinsKeyByKey) {
  ProfileFiles files(parse_ini("[profile dev]\nregion = eu-west-1\naws_access_key_id = FROMCONFIG\n"
                               "[dev]\nregion = ignored-no-profile-prefix\n"),
                     parse_ini("[dev]\naws_access_key_id = FROMCREDS\n"));
  const auto dev = files.profile("dev");
  ASSERT_TRUE(dev);
  EXPECT_EQ(dev->at("aws_access_key_id"), "FROMCREDS");
  EXPECT_EQ(dev->at("region"), "eu-west-1");
}

TEST(ProfileFiles, DefaultProfileInBothSpellings) {
  ProfileFiles files(parse_ini("[default]\nregion = r1\n[profile default]\noutput = json\n"),
                     parse_ini(""));
  const auto def = files.profile("default");
  ASSERT_TRUE(def);
  EXPECT_EQ(def->at("region"), "r1");
  EXPECT_EQ(def->at("output"), "json");
}

TEST(ProfileFiles, ProfilePrefixOnlyCountsInTheConfigFile) {
  ProfileFiles files(parse_ini("[other]\nregion = r\n"), parse_ini("[profile other]\nk = v\n"));
  EXPECT_FALSE(files.profile("other"));
  EXPECT_TRUE(files.profile("profile other"));  // literally named so in the credentials file
}

TEST(ProfileFiles, ServicesSections) {
  ProfileFiles files(parse_ini("[services local]\ndynamodb =\n  endpoint_url = http://x:1\n"),
                     parse_ini(""));
  const auto* services = files.services("local");
  ASSERT_NE(services, nullptr);
  EXPECT_EQ(services->at("dynamodb.endpoint_url"), "http://x:1");
  EXPECT_EQ(files.services("other"), nullptr);
}

TEST(LocateProfile, DefaultsAndOverrides) {
  auto where = detail::locate_profile(map_environment({{"HOME", "/home/u"}}));
  EXPECT_EQ(where.profile, "default");
  EXPECT_FALSE(where.profile_explicit);
  EXPECT_EQ(where.config_file, "/home/u/.aws/config");
  EXPECT_EQ(where.credentials_file, "/home/u/.aws/credentials");

  where = detail::locate_profile(map_environment({{"HOME", "/home/u"},
                                                  {"AWS_PROFILE", "dev"},
                                                  {"AWS_CONFIG_FILE", "~/cfg"},
                                                  {"AWS_SHARED_CREDENTIALS_FILE", "/etc/creds"}}));
  EXPECT_EQ(where.profile, "dev");
  EXPECT_TRUE(where.profile_explicit);
  EXPECT_EQ(where.config_file, "/home/u/cfg");
  EXPECT_EQ(where.credentials_file, "/etc/creds");

  where = detail::locate_profile(map_environment({{"AWS_PROFILE", "dev"}}), "given");
  EXPECT_EQ(where.profile, "given");  // the caller's choice beats AWS_PROFILE
}

TEST(ProfileFilesLoad, MissingFilesAreEmptyUnreadableOnesAreErrors) {
  TempHome home;
  auto missing = ProfileFiles::load({"default", false, home.path() + "/nope", home.path() + "/no"});
  ASSERT_TRUE(missing) << missing.error().to_string();
  EXPECT_FALSE(missing->profile("default"));

  // A directory where a file should be cannot be read.
  auto unreadable = ProfileFiles::load({"default", false, home.path() + "/.aws", ""});
  ASSERT_FALSE(unreadable);
  EXPECT_EQ(unreadable.error().code, ErrorCode::invalid_argument);
}

// ---------------------------------------------------------------------------
// profile_credentials

Result<Credentials> profile_get(const TempHome& home, std::map<std::string, std::string> extra = {},
                                const std::string& profile = {}) {
  auto env = home.env();
  env.insert(extra.begin(), extra.end());
  ProfileOptions options;
  options.profile = profile;
  options.context.env = map_environment(env);
  return profile_credentials(options)->get();
}

TEST(ProfileCredentials, DefaultProfileFromTheCredentialsFile) {
  TempHome home;
  home.write(".aws/credentials",
             "[default]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n"
             "aws_session_token = TOKEN\n");
  auto creds = profile_get(home);
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_EQ(creds->access_key_id, "AKID");
  EXPECT_EQ(creds->secret_access_key, "SECRET");
  EXPECT_EQ(creds->session_token, "TOKEN");
  EXPECT_EQ(creds->provider, "profile");
}

TEST(ProfileCredentials, AwsProfileSelectsAndCredentialsFileWins) {
  TempHome home;
  home.write(".aws/config",
             "[profile dev]\naws_access_key_id = CONFIGKEY\naws_secret_access_key = CONFIGSECRET\n"
             "[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = X\n");
  home.write(".aws/credentials", "[dev]\naws_access_key_id = CREDSKEY\n");
  auto creds = profile_get(home, {{"AWS_PROFILE", "dev"}});
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_EQ(creds->access_key_id, "CREDSKEY");
  EXPECT_EQ(creds->secret_access_key, "CONFIGSECRET");  // merged key by key
}

TEST(ProfileCredentials, ExplicitFileLocations) {
  TempHome home;
  const std::string creds_file = home.write(
      "elsewhere/creds", "[default]\naws_access_key_id = K\naws_secret_access_key = S\n");
  auto creds = profile_get(home, {{"AWS_SHARED_CREDENTIALS_FILE", creds_file}});
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_EQ(creds->access_key_id, "K");
}

TEST(ProfileCredentials, MissingDefaultProfileIsNothingToOffer) {
  TempHome home;
  auto creds = profile_get(home);
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::credentials);
}

TEST(ProfileCredentials, MissingNamedProfileIsAnError) {
  TempHome home;
  home.write(".aws/config", "[default]\nregion = us-east-1\n");
  auto creds = profile_get(home, {{"AWS_PROFILE", "typo"}});
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(creds.error().message.find("'typo'"), std::string::npos);
}

TEST(ProfileCredentials, ProfileWithoutCredentialsIsNothingToOffer) {
  TempHome home;
  home.write(".aws/config", "[default]\nregion = us-east-1\n");
  auto creds = profile_get(home);
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::credentials);
}

TEST(ProfileCredentials, KeyWithoutSecretIsInvalid) {
  TempHome home;
  home.write(".aws/credentials", "[default]\naws_access_key_id = K\n");
  auto creds = profile_get(home);
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::invalid_argument);
}

TEST(ProfileCredentials, UnsupportedKindsSaySo) {
  TempHome home;
  home.write(".aws/config",
             "[profile assume]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n"
             "[profile sso]\nsso_session = corp\nsso_account_id = 1\n");
  auto assume = profile_get(home, {}, "assume");
  ASSERT_FALSE(assume);
  EXPECT_EQ(assume.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(assume.error().message.find("source_profile"), std::string::npos);
  auto sso = profile_get(home, {}, "sso");
  ASSERT_FALSE(sso);
  EXPECT_EQ(sso.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(sso.error().message.find("credential_process"), std::string::npos);
}

TEST(ProfileCredentials, CredentialProcessInAProfile) {
  TempHome home;
  home.write(".aws/config",
             "[profile proc]\n"
             "credential_process = printf '{\"Version\": 1, \"AccessKeyId\": \"PK\", "
             "\"SecretAccessKey\": \"PS\", \"SessionToken\": \"PT\", "
             "\"Expiration\": \"2030-01-02T03:04:05Z\"}'\n");
  auto creds = profile_get(home, {{"AWS_PROFILE", "proc"}});
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_EQ(creds->access_key_id, "PK");
  EXPECT_EQ(creds->secret_access_key, "PS");
  EXPECT_EQ(creds->session_token, "PT");
  EXPECT_EQ(creds->provider, "process");
  ASSERT_TRUE(creds->expiration);
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*creds->expiration), 1893553445);
}

TEST(ProfileCredentials, StaticKeysWinOverCredentialProcess) {
  TempHome home;
  home.write(".aws/credentials",
             "[default]\naws_access_key_id = K\naws_secret_access_key = S\n"
             "credential_process = exit 1\n");
  auto creds = profile_get(home);
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_EQ(creds->access_key_id, "K");
}

// ---------------------------------------------------------------------------
// process_credentials

TEST(ProcessCredentials, WithoutExpirationOrToken) {
  auto creds = process_credentials(
                   "printf '{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"B\"}'")
                   ->get();
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_EQ(creds->access_key_id, "A");
  EXPECT_EQ(creds->session_token, "");
  EXPECT_FALSE(creds->expiration);
}

TEST(ProcessCredentials, FailureCarriesExitStatusButNotStderr) {
  // A helper may print what it was given, secrets included.
  auto creds = process_credentials("echo 'STDERR-SECRET-MARKER' >&2; exit 3")->get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::access_denied);
  EXPECT_NE(creds.error().message.find("status 3"), std::string::npos);
  EXPECT_EQ(creds.error().message.find("STDERR-SECRET-MARKER"), std::string::npos)
      << creds.error().message;
}

TEST(ProcessCredentials, MessagesShowTheProgramButNotItsArguments) {
  auto creds = process_credentials("printf 'ARG-SECRET-MARKER'; exit 3")->get();
  ASSERT_FALSE(creds);
  const std::string& message = creds.error().message;
  EXPECT_NE(message.find("`printf` (arguments not shown)"), std::string::npos) << message;
  EXPECT_EQ(message.find("ARG-SECRET-MARKER"), std::string::npos) << message;

  // Leading assignments are arguments too.
  auto assigned = process_credentials("HELPER_TOKEN=ENV-SECRET-MARKER sh -c 'exit 4'")->get();
  ASSERT_FALSE(assigned);
  EXPECT_NE(assigned.error().message.find("`sh` (arguments not shown)"), std::string::npos)
      << assigned.error().message;
  EXPECT_EQ(assigned.error().message.find("ENV-SECRET-MARKER"), std::string::npos)
      << assigned.error().message;

  ProcessOptions options;
  options.timeout = std::chrono::milliseconds(100);
  auto late = process_credentials("sleep 30; echo TIMEOUT-SECRET-MARKER", options)->get();
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::timeout);
  EXPECT_EQ(late.error().message.find("TIMEOUT-SECRET-MARKER"), std::string::npos)
      << late.error().message;
}

TEST(ProcessCredentials, MalformedOutputIsNotQuoted) {
  // printf joins the two halves: the marker is in the output, not the command.
  const std::string both =
      "DOC-SECRET-"
      "MARKER";
  for (const char* document : {
           R"({"Version":1,"SecretAccessKey":"%s%s"})",  // no key id
           R"({"Version":1,"AccessKeyId":"A","SecretAccessKey":"%s%s","SessionToken":7})",
           R"({"Version":1,"AccessKeyId":"A","SecretAccessKey":"%s%s")",  // truncated
           R"({"Version":2,"AccessKeyId":"A","SecretAccessKey":"%s%s"})",
       }) {
    auto creds =
        process_credentials("printf '" + std::string(document) + "' DOC-SECRET- MARKER")->get();
    ASSERT_FALSE(creds) << document;
    EXPECT_EQ(creds.error().code, ErrorCode::protocol) << document;
    EXPECT_EQ(creds.error().message.find(both), std::string::npos) << creds.error().message;
  }
  auto no_key =
      process_credentials(R"(printf '{"Version":1,"SecretAccessKey":"%s%s"}' DOC-SECRET- MARKER)")
          ->get();
  ASSERT_FALSE(no_key);
  EXPECT_NE(no_key.error().message.find("missing \"AccessKeyId\""), std::string::npos)
      << no_key.error().message;
}

TEST(ProcessCredentials, CommandNotFoundIsAConfigurationError) {
  auto creds = process_credentials("/nonexistent/dynamate-helper")->get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::invalid_argument);
}

TEST(ProcessCredentials, RejectsUnknownVersionsAndGarbage) {
  auto v2 = process_credentials(
                "printf '{\"Version\":2,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"B\"}'")
                ->get();
  ASSERT_FALSE(v2);
  EXPECT_EQ(v2.error().code, ErrorCode::protocol);
  auto none =
      process_credentials("printf '{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"B\"}'")->get();
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::protocol);
  auto garbage = process_credentials("echo not json")->get();
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, ErrorCode::protocol);
  auto no_secret = process_credentials("printf '{\"Version\":1,\"AccessKeyId\":\"A\"}'")->get();
  ASSERT_FALSE(no_secret);
  EXPECT_EQ(no_secret.error().code, ErrorCode::protocol);
  auto bad_time = process_credentials(
                      "printf '{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"B\","
                      "\"Expiration\":\"tomorrow\"}'")
                      ->get();
  ASSERT_FALSE(bad_time);
  EXPECT_EQ(bad_time.error().code, ErrorCode::protocol);
}

TEST(ProcessCredentials, IsKilledAfterTheTimeout) {
  ProcessOptions options;
  options.timeout = std::chrono::milliseconds(100);
  // exec: the shell becomes `sleep`, so killing our child kills the sleeper.
  auto creds = process_credentials("exec sleep 30", options)->get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::timeout);
}

// A pipe whose write end the command inherits (no O_CLOEXEC): its read end
// sees EOF only once every process holding that end has exited, which tells
// whether anything the command started outlived the provider's kill.
class InheritedPipe {
 public:
  InheritedPipe() {
    if (::pipe(fds_) != 0) throw std::runtime_error("pipe failed");
    ::fcntl(fds_[0], F_SETFD, FD_CLOEXEC);  // only the write end is inherited
  }
  ~InheritedPipe() {
    for (const int fd : fds_) {
      if (fd >= 0) ::close(fd);
    }
  }
  InheritedPipe(const InheritedPipe&) = delete;
  InheritedPipe& operator=(const InheritedPipe&) = delete;

  // Closes our write end, then waits at most `limit` for EOF.
  bool holders_gone(std::chrono::milliseconds limit) {
    ::close(fds_[1]);
    fds_[1] = -1;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fds_[0], POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) return false;
      char c;
      const auto n = ::read(fds_[0], &c, 1);
      if (n == 0) return true;
      if (n < 0 && errno != EINTR) return false;
    }
  }

 private:
  int fds_[2] = {-1, -1};
};

// Runs `command` with a short timeout; a timeout error, quickly, and nothing
// the command started still running.
void expect_killed_with_its_children(const std::string& command) {
  InheritedPipe pipe;
  ProcessOptions options;
  options.timeout = std::chrono::milliseconds(200);
  const auto start = std::chrono::steady_clock::now();
  auto creds = process_credentials(command, options)->get();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(creds) << command;
  EXPECT_EQ(creds.error().code, ErrorCode::timeout) << creds.error().message;
  EXPECT_LT(elapsed, std::chrono::seconds(10)) << command;  // not the sleeper's 30 s
  // Bounded by 10 s so that a regression fails instead of hanging.
  EXPECT_TRUE(pipe.holders_gone(std::chrono::seconds(10))) << command << " left a process behind";
}

TEST(ProcessCredentials, TimeoutKillsThePipeline) {
  expect_killed_with_its_children("sleep 30 | cat");
}

TEST(ProcessCredentials, TimeoutKillsBackgroundChildren) {
  expect_killed_with_its_children("sleep 30 & sleep 30");
}

TEST(ProcessCredentials, ClosingItsStreamsDoesNotEscapeTheTimeout) {
  // The output is at EOF but the process runs on: the wait must be bounded.
  expect_killed_with_its_children("exec >/dev/null 2>&1; sleep 30");
}

TEST(ProcessCredentials, LargeOutputOnBothStreamsDoesNotDeadlock) {
  // More than a pipe buffer on stderr before stdout: both must be drained.
  auto creds = process_credentials(
                   "head -c 200000 /dev/zero | tr '\\0' x >&2; "
                   "printf '{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"B\"}'")
                   ->get();
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_EQ(creds->access_key_id, "A");
}

}  // namespace
}  // namespace dynamate::aws
