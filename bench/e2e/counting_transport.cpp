#include "counting_transport.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string_view>

namespace dynamate::bench {
namespace {

bool has_query(std::string_view url, std::string_view name) {
  const auto q = url.find('?');
  if (q == std::string_view::npos) return false;
  std::string_view query = url.substr(q + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    const std::string_view key = part.substr(0, part.find('='));
    if (key == name) return true;
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

std::string s3_call(const http::Request& r) {
  const std::string_view url = r.url;
  if (r.method == "GET") return has_query(url, "list-type") ? "ListObjectsV2" : "GetObject";
  if (r.method == "HEAD") return "HeadObject";
  if (r.method == "DELETE") {
    return has_query(url, "uploadId") ? "AbortMultipartUpload" : "DeleteObject";
  }
  if (r.method == "POST") {
    if (has_query(url, "uploads")) return "CreateMultipartUpload";
    if (has_query(url, "uploadId")) return "CompleteMultipartUpload";
    if (has_query(url, "delete")) return "DeleteObjects";
    return "POST";
  }
  if (r.method == "PUT") {
    if (has_query(url, "partNumber")) return "UploadPart";
    if (http::find_header(r.headers, "x-amz-copy-source") != nullptr) return "CopyObject";
    return "PutObject";
  }
  return r.method;
}

std::string ddb_call(const http::Request& r) {
  const std::string* target = http::find_header(r.headers, "x-amz-target");
  if (target == nullptr) return "?";
  const auto dot = target->rfind('.');
  return dot == std::string::npos ? *target : target->substr(dot + 1);
}

}  // namespace

CountingTransport::CountingTransport(std::shared_ptr<http::Transport> inner,
                                     std::string s3_endpoint, std::string ddb_endpoint)
    : inner_(std::move(inner)), s3_(std::move(s3_endpoint)), ddb_(std::move(ddb_endpoint)) {}

Result<http::Response> CountingTransport::send(const http::Request& request,
                                               const http::SendOptions& options) {
  CallRecord rec;
  if (!ddb_.empty() && request.url.starts_with(ddb_)) {
    rec.service = "DDB";
    rec.call = ddb_call(request);
  } else if (!s3_.empty() && request.url.starts_with(s3_)) {
    rec.service = "S3";
    rec.call = s3_call(request);
  } else {
    rec.service = "other";
    rec.call = request.method;
  }
  rec.start = Clock::now();
  auto r = inner_->send(request, options);
  rec.end = Clock::now();
  if (!r || r->status < 200 || r->status > 299) {
    rec.call.append("[").append(r ? std::to_string(r->status) : to_string(r.error().code));
    rec.call.append("]");
  }
  std::lock_guard lock(mu_);
  records_.push_back(std::move(rec));
  return r;
}

std::vector<CallRecord> CountingTransport::take() {
  std::lock_guard lock(mu_);
  std::vector<CallRecord> out;
  out.swap(records_);
  return out;
}

std::vector<Phase> phases(std::vector<CallRecord> records) {
  std::sort(records.begin(), records.end(),
            [](const CallRecord& a, const CallRecord& b) { return a.start < b.start; });
  std::vector<Phase> out;
  Clock::time_point phase_end{};
  for (const auto& r : records) {
    if (out.empty() || r.start >= phase_end) {
      out.emplace_back();
      phase_end = r.end;
    } else {
      phase_end = std::max(phase_end, r.end);
    }
    ++out.back().calls[r.service + " " + r.call];
  }
  return out;
}

std::string describe(const std::vector<Phase>& ps) {
  std::string out;
  for (const auto& p : ps) {
    if (!out.empty()) out += " -> ";
    std::string part;
    for (const auto& [name, n] : p.calls) {
      if (!part.empty()) part += " + ";
      part += (n > 1 ? std::to_string(n) + " " : std::string()) + name;
    }
    out += part;
  }
  return out.empty() ? "(none)" : out;
}

CpuTimes self_cpu() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return {secs(u.ru_utime), secs(u.ru_stime)};
}

double process_cpu_seconds(int pid) {
  if (pid <= 0) return 0;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto paren = text.rfind(')');  // the command name may hold spaces
  if (paren == std::string::npos) return 0;
  std::istringstream fields(text.substr(paren + 2));
  std::string field;
  // After ")": state is field 3; utime and stime are fields 14 and 15.
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && (fields >> field); ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

long max_rss_kib() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

long current_rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return 0;
}

}  // namespace dynamate::bench
