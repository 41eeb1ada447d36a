#include "connector/net/jwt_assertion.hpp"

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "connector/net/base64.hpp"

namespace secfeed::net {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct Pkcs12Free {
  void operator()(PKCS12* p12) const { PKCS12_free(p12); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// The most specific OpenSSL reason, for messages like "bad decrypt".
std::string openssl_reason() {
  unsigned long code = 0;
  unsigned long last = 0;
  while ((code = ERR_get_error()) != 0) last = code;
  if (last == 0) return "unknown error";
  const char* reason = ERR_reason_error_string(last);
  return reason != nullptr ? reason : "error " + std::to_string(last);
}

BioPtr memory_bio(std::string_view data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::optional<std::string> read_file(const std::string& path, std::string_view what,
                                     std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read " + std::string(what) + " file '" + path + "'";
    return std::nullopt;
  }
  std::ostringstream content;
  content << in.rdbuf();
  return std::move(content).str();
}

// Passes the password to OpenSSL's PEM decryption (never echoed anywhere).
int password_callback(char* buffer, int size, int /*rwflag*/, void* user) {
  const auto* password = static_cast<const std::string*>(user);
  if (password == nullptr) return 0;
  const int length = static_cast<int>(std::min<std::size_t>(password->size(), std::size_t(size)));
  std::copy_n(password->data(), length, buffer);
  return length;
}

std::string digest(const X509* cert, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(cert, md, out, &length) != 1) return {};
  return std::string(reinterpret_cast<const char*>(out), length);
}

}  // namespace

struct SigningCertificate::Impl {
  X509Ptr cert;
  PkeyPtr key;
};

SigningCertificate::SigningCertificate(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SigningCertificate::SigningCertificate(SigningCertificate&&) noexcept = default;
SigningCertificate& SigningCertificate::operator=(SigningCertificate&&) noexcept = default;
SigningCertificate::~SigningCertificate() = default;

std::optional<SigningCertificate> SigningCertificate::from_pem(std::string_view cert_pem,
                                                               std::string_view key_pem,
                                                               std::string_view password,
                                                               std::string& error) {
  ERR_clear_error();
  auto impl = std::make_unique<Impl>();
  auto cert_bio = memory_bio(cert_pem);
  impl->cert.reset(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  if (!impl->cert) {
    error = "no PEM certificate found (" + openssl_reason() + ")";
    return std::nullopt;
  }
  std::string password_text(password);
  auto key_bio = memory_bio(key_pem);
  impl->key.reset(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, password_callback, &password_text));
  if (!impl->key) {
    error = "cannot read the PEM private key (" + openssl_reason() +
            (password.empty() ? "; is it encrypted? set the certificate password)" : ")");
    return std::nullopt;
  }
  if (EVP_PKEY_is_a(impl->key.get(), "RSA") != 1) {
    error = "the private key is not an RSA key (Entra ID client assertions need RS256/PS256)";
    return std::nullopt;
  }
  if (X509_check_private_key(impl->cert.get(), impl->key.get()) != 1) {
    ERR_clear_error();
    error = "the private key does not match the certificate";
    return std::nullopt;
  }
  return SigningCertificate(std::move(impl));
}

std::optional<SigningCertificate> SigningCertificate::from_pkcs12(std::string_view der,
                                                                  std::string_view password,
                                                                  std::string& error) {
  ERR_clear_error();
  auto bio = memory_bio(der);
  std::unique_ptr<PKCS12, Pkcs12Free> p12(d2i_PKCS12_bio(bio.get(), nullptr));
  if (!p12) {
    error = "not a PKCS#12 file (" + openssl_reason() + ")";
    return std::nullopt;
  }
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  const std::string password_text(password);
  if (PKCS12_parse(p12.get(), password_text.c_str(), &key, &cert, nullptr) != 1) {
    error = "cannot open the PKCS#12 file (" + openssl_reason() +
            "; wrong password, or a legacy RC2/3DES file: re-export it with AES)";
    return std::nullopt;
  }
  auto impl = std::make_unique<Impl>();
  impl->cert.reset(cert);
  impl->key.reset(key);
  if (!impl->cert || !impl->key) {
    error = "the PKCS#12 file lacks a certificate or a private key";
    return std::nullopt;
  }
  if (EVP_PKEY_is_a(impl->key.get(), "RSA") != 1) {
    error = "the private key is not an RSA key (Entra ID client assertions need RS256/PS256)";
    return std::nullopt;
  }
  return SigningCertificate(std::move(impl));
}

std::optional<SigningCertificate> SigningCertificate::load(const CertificateCredential& credential,
                                                           std::string& error) {
  if (!credential.pkcs12_file.empty()) {
    auto der = read_file(credential.pkcs12_file, "PKCS#12", error);
    if (!der) return std::nullopt;
    auto loaded = from_pkcs12(*der, credential.password, error);
    if (!loaded) error = credential.pkcs12_file + ": " + error;
    return loaded;
  }
  if (credential.cert_file.empty()) {
    error = "no certificate configured (cert_file or pkcs12_file)";
    return std::nullopt;
  }
  auto cert_pem = read_file(credential.cert_file, "certificate", error);
  if (!cert_pem) return std::nullopt;
  std::optional<std::string> key_pem = cert_pem;
  if (!credential.key_file.empty()) {
    key_pem = read_file(credential.key_file, "private key", error);
    if (!key_pem) return std::nullopt;
  }
  auto loaded = from_pem(*cert_pem, *key_pem, credential.password, error);
  if (!loaded) error = credential.cert_file + ": " + error;
  return loaded;
}

std::string SigningCertificate::sha1_thumbprint() const {
  return digest(impl_->cert.get(), EVP_sha1());
}

std::string SigningCertificate::sha256_thumbprint() const {
  return digest(impl_->cert.get(), EVP_sha256());
}

std::optional<std::string> SigningCertificate::sign(JwtAlgorithm algorithm, std::string_view data,
                                                    std::string& error) const {
  ERR_clear_error();
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pkey_ctx = nullptr;  // owned by ctx
  bool ok =
      ctx && EVP_DigestSignInit(ctx.get(), &pkey_ctx, EVP_sha256(), nullptr, impl_->key.get()) == 1;
  if (ok && algorithm == JwtAlgorithm::ps256) {
    ok = EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pkey_ctx, 32) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pkey_ctx, EVP_sha256()) == 1;
  }
  std::size_t length = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  ok = ok && EVP_DigestSign(ctx.get(), nullptr, &length, bytes, data.size()) == 1;
  std::string signature(length, '\0');
  ok = ok && EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                            bytes, data.size()) == 1;
  if (!ok) {
    error = "signing the client assertion failed (" + openssl_reason() + ")";
    return std::nullopt;
  }
  signature.resize(length);
  return signature;
}

std::string random_guid() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // RAND_bytes only fails without an entropy source; a jti must still be unique.
    const auto fallback = std::random_device{}();
    std::fill(std::begin(bytes), std::end(bytes), static_cast<unsigned char>(fallback));
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 15];
  }
  return out;
}

std::optional<std::string> build_client_assertion(const SigningCertificate& certificate,
                                                  JwtAlgorithm algorithm,
                                                  const ClientAssertionClaims& claims,
                                                  std::string& error) {
  rapidjson::StringBuffer header;
  {
    rapidjson::Writer<rapidjson::StringBuffer> w(header);
    w.StartObject();
    w.Key("alg");
    w.String(algorithm == JwtAlgorithm::ps256 ? "PS256" : "RS256");
    w.Key("typ");
    w.String("JWT");
    if (algorithm == JwtAlgorithm::ps256) {
      w.Key("x5t#S256");
      w.String(base64url_encode(certificate.sha256_thumbprint()));
    } else {
      w.Key("x5t");
      w.String(base64url_encode(certificate.sha1_thumbprint()));
    }
    w.EndObject();
  }
  rapidjson::StringBuffer payload;
  {
    const std::int64_t lifetime = std::clamp<std::int64_t>(claims.lifetime_s, 1, 600);
    rapidjson::Writer<rapidjson::StringBuffer> w(payload);
    w.StartObject();
    w.Key("aud");
    w.String(claims.audience);
    w.Key("iss");
    w.String(claims.client_id);
    w.Key("sub");
    w.String(claims.client_id);
    w.Key("jti");
    w.String(claims.jwt_id);
    w.Key("nbf");
    w.Int64(claims.now_epoch_s);
    w.Key("iat");
    w.Int64(claims.now_epoch_s);
    w.Key("exp");
    w.Int64(claims.now_epoch_s + lifetime);
    w.EndObject();
  }
  std::string token = base64url_encode({header.GetString(), header.GetSize()});
  token += '.';
  token += base64url_encode({payload.GetString(), payload.GetSize()});
  auto signature = certificate.sign(algorithm, token, error);
  if (!signature) return std::nullopt;
  token += '.';
  token += base64url_encode(*signature);
  return token;
}

}  // namespace secfeed::net
