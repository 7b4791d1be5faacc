// SHA-256, HMAC-SHA256, MD5 and random bytes over OpenSSL 3 EVP.
//
// Speed matters here (SigV4 hashes every request body and MACs every string to
// sign), so the algorithm objects are fetched once per process and each thread
// keeps one digest context and one MAC context that it re-initializes instead of
// allocating per call. The MAC context also remembers its last key: SigV4 MACs
// many strings with the same cached signing key, and OpenSSL can then reuse the
// precomputed inner/outer pads (EVP_MAC_init with a null key) instead of keying
// again, which saves about 40% of an HMAC.
#include "core/crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <climits>
#include <cstring>

#include "dynamate/bytes.hpp"
#include "dynamate/result.hpp"

namespace dynamate::detail {
namespace {

[[noreturn]] void fail(const char* what) {
  // Only reachable on allocation failure or a broken OpenSSL installation.
  throw Exception(Error(ErrorCode::internal, std::string("OpenSSL: ") + what + " failed"));
}

void check(int ok, const char* what) {
  if (ok != 1) fail(what);
}

// Fetched once; EVP_MD/EVP_MAC objects are immutable and safe to share.
const EVP_MD* sha256_md() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) fail("EVP_MD_fetch(SHA256)");
  return md;
}

const EVP_MD* md5_md() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "MD5", nullptr);
  if (md == nullptr) fail("EVP_MD_fetch(MD5)");
  return md;
}

EVP_MAC* hmac_mac() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) fail("EVP_MAC_fetch(HMAC)");
  return mac;
}

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

MdCtxPtr new_md_ctx() {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) fail("EVP_MD_CTX_new");
  return ctx;
}

// One reusable digest context per thread.
EVP_MD_CTX* thread_md_ctx() {
  thread_local const MdCtxPtr ctx = new_md_ctx();
  return ctx.get();
}

// `out` must have room for the digest (32 bytes for SHA-256, 16 for MD5).
void digest(const EVP_MD* md, std::string_view data, unsigned char* out, unsigned int size) {
  EVP_MD_CTX* ctx = thread_md_ctx();
  unsigned int len = 0;
  check(EVP_DigestInit_ex2(ctx, md, nullptr), "EVP_DigestInit_ex2");
  check(EVP_DigestUpdate(ctx, data.data(), data.size()), "EVP_DigestUpdate");
  check(EVP_DigestFinal_ex(ctx, out, &len), "EVP_DigestFinal_ex");
  if (len != size) fail("digest length");
}

// The per-thread HMAC context and the key it was last initialized with.
class ThreadMac {
 public:
  ThreadMac() : ctx_(EVP_MAC_CTX_new(hmac_mac())) {
    if (ctx_ == nullptr) fail("EVP_MAC_CTX_new");
    // Set once: passing the digest to every EVP_MAC_init fetches it again.
    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end()};
    if (EVP_MAC_CTX_set_params(ctx_, params) != 1) {
      EVP_MAC_CTX_free(ctx_);
      fail("EVP_MAC_CTX_set_params");
    }
  }
  ~ThreadMac() {
    OPENSSL_cleanse(key_, sizeof key_);
    EVP_MAC_CTX_free(ctx_);
  }
  ThreadMac(const ThreadMac&) = delete;
  ThreadMac& operator=(const ThreadMac&) = delete;

  Sha256Digest mac(std::string_view key, std::string_view data) {
    const auto* k = reinterpret_cast<const unsigned char*>(key.data());
    if (keyed_ && key.size() == key_len_ &&
        (key.empty() || std::memcmp(key.data(), key_, key_len_) == 0)) {
      check(EVP_MAC_init(ctx_, nullptr, 0, nullptr), "EVP_MAC_init");  // same key: reuse pads
    } else {
      // Forget the previous key first: no stale key bytes linger past their use.
      OPENSSL_cleanse(key_, sizeof key_);
      key_len_ = 0;
      keyed_ = false;  // stays false if init throws
      // A null key means "keep the previous key" to OpenSSL: an empty key
      // (string_view may hold nullptr) needs a real pointer.
      static const unsigned char kEmpty = 0;
      check(EVP_MAC_init(ctx_, key.empty() ? &kEmpty : k, key.size(), nullptr), "EVP_MAC_init");
      if (key.size() <= sizeof key_) {
        if (!key.empty()) std::memcpy(key_, key.data(), key.size());  // data() may be null
        key_len_ = key.size();
        keyed_ = true;
      }
    }
    check(EVP_MAC_update(ctx_, reinterpret_cast<const unsigned char*>(data.data()), data.size()),
          "EVP_MAC_update");
    Sha256Digest out;
    std::size_t len = 0;
    check(EVP_MAC_final(ctx_, out.data(), &len, out.size()), "EVP_MAC_final");
    if (len != out.size()) fail("HMAC length");
    return out;
  }

 private:
  EVP_MAC_CTX* ctx_;
  unsigned char key_[64] = {};  // SigV4 keys are 32 bytes, or "AWS4" + a 40-byte secret
  std::size_t key_len_ = 0;
  bool keyed_ = false;
};

std::string_view as_view(const Sha256Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

}  // namespace

Sha256Digest sha256(std::string_view data) {
  Sha256Digest out;
  digest(sha256_md(), data, out.data(), 32);
  return out;
}

std::string sha256_hex(std::string_view data) { return hex_encode(as_view(sha256(data))); }

std::string sha256_base64(std::string_view data) { return base64_encode(as_view(sha256(data))); }

Sha256Digest hmac_sha256(std::string_view key, std::string_view data) {
  thread_local ThreadMac mac;
  return mac.mac(key, data);
}

std::string md5_base64(std::string_view data) {
  unsigned char out[16];
  digest(md5_md(), data, out, sizeof out);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

std::string md5_hex(std::string_view data) {
  unsigned char out[16];
  digest(md5_md(), data, out, sizeof out);
  return hex_encode(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

struct Md5::Impl {
  MdCtxPtr ctx = new_md_ctx();
};

Md5::Md5() : impl_(std::make_unique<Impl>()) {
  check(EVP_DigestInit_ex2(impl_->ctx.get(), md5_md(), nullptr), "EVP_DigestInit_ex2");
}

Md5::~Md5() = default;

void Md5::update(std::string_view data) {
  check(EVP_DigestUpdate(impl_->ctx.get(), data.data(), data.size()), "EVP_DigestUpdate");
}

std::array<std::uint8_t, 16> Md5::finish() {
  std::array<std::uint8_t, 16> out;
  unsigned int len = 0;
  check(EVP_DigestFinal_ex(impl_->ctx.get(), out.data(), &len), "EVP_DigestFinal_ex");
  if (len != out.size()) fail("digest length");
  return out;
}

struct Sha256::Impl {
  MdCtxPtr ctx = new_md_ctx();
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  check(EVP_DigestInit_ex2(impl_->ctx.get(), sha256_md(), nullptr), "EVP_DigestInit_ex2");
}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view data) {
  check(EVP_DigestUpdate(impl_->ctx.get(), data.data(), data.size()), "EVP_DigestUpdate");
}

Sha256Digest Sha256::finish() {
  Sha256Digest out;
  unsigned int len = 0;
  check(EVP_DigestFinal_ex(impl_->ctx.get(), out.data(), &len), "EVP_DigestFinal_ex");
  if (len != out.size()) fail("digest length");
  return out;
}

void random_bytes(void* out, std::size_t n) {
  auto* p = static_cast<unsigned char*>(out);
  while (n > 0) {  // RAND_bytes takes an int length
    const std::size_t chunk = std::min<std::size_t>(n, INT_MAX);
    check(RAND_bytes(p, static_cast<int>(chunk)), "RAND_bytes");
    p += chunk;
    n -= chunk;
  }
}

std::string random_uuid() {
  std::uint8_t b[16];
  random_bytes(b, sizeof b);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0F]);
  }
  return out;
}

}  // namespace dynamate::detail
