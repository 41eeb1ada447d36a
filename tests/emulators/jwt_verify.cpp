#include "jwt_verify.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>

#include "encoding.hpp"
#include "json_util.hpp"

namespace secfeed::emulator {
namespace {

// Entra allows a little clock skew between client and server.
constexpr std::int64_t kSkewSeconds = 10;
constexpr std::int64_t kMaxLifetimeSeconds = 600;

std::string digest_b64url(const EVP_MD* md, const unsigned char* der, int der_size) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_size = 0;
  if (EVP_Digest(der, static_cast<std::size_t>(der_size), out, &out_size, md, nullptr) != 1) {
    return {};
  }
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(out), out_size));
}

std::optional<std::int64_t> numeric_claim(const rapidjson::Value& claims, const char* name) {
  const auto it = claims.FindMember(name);
  if (it == claims.MemberEnd() || !it->value.IsNumber()) return std::nullopt;
  return static_cast<std::int64_t>(it->value.GetDouble());
}

AssertionError malformed(std::string why) {
  return AssertionError{50027, "JWT token is invalid or malformed. " + std::move(why)};
}

}  // namespace

std::optional<ClientCertificate> ClientCertificate::load(const std::string& pem_path,
                                                         std::string& error) {
  std::FILE* file = std::fopen(pem_path.c_str(), "rb");
  if (file == nullptr) {
    error = "cannot open certificate " + pem_path;
    return std::nullopt;
  }
  X509* cert = PEM_read_X509(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  if (cert == nullptr) {
    error = "no PEM certificate in " + pem_path;
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int der_size = i2d_X509(cert, &der);
  EVP_PKEY* key = X509_get_pubkey(cert);
  X509_free(cert);
  if (der_size <= 0 || key == nullptr) {
    OPENSSL_free(der);
    EVP_PKEY_free(key);
    error = "unreadable certificate " + pem_path;
    return std::nullopt;
  }
  ClientCertificate result;
  result.x5t_sha1_ = digest_b64url(EVP_sha1(), der, der_size);
  result.x5t_sha256_ = digest_b64url(EVP_sha256(), der, der_size);
  OPENSSL_free(der);
  result.public_key_ =
      std::shared_ptr<void>(key, [](void* k) { EVP_PKEY_free(static_cast<EVP_PKEY*>(k)); });
  return result;
}

bool ClientCertificate::verify(std::string_view alg, std::string_view signed_part,
                               std::string_view signature) const {
  const bool pss = alg == "PS256";
  if (!pss && alg != "RS256") return false;
  auto* key = static_cast<EVP_PKEY*>(public_key_.get());
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pkey_ctx = nullptr;
  bool ok = ctx != nullptr && EVP_DigestVerifyInit(ctx, &pkey_ctx, EVP_sha256(), nullptr, key) == 1;
  if (ok && pss) {
    ok = EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pkey_ctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pkey_ctx, EVP_sha256()) == 1;
  }
  ok = ok && EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                              signature.size(),
                              reinterpret_cast<const unsigned char*>(signed_part.data()),
                              signed_part.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

std::optional<AssertionError> verify_client_assertion(std::string_view jwt,
                                                      const AssertionCheck& check) {
  const std::size_t dot1 = jwt.find('.');
  const std::size_t dot2 = dot1 == std::string_view::npos ? dot1 : jwt.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || jwt.find('.', dot2 + 1) != std::string_view::npos) {
    return malformed("Expected three dot-separated parts.");
  }
  const auto header_json = base64url_decode(jwt.substr(0, dot1));
  const auto claims_json = base64url_decode(jwt.substr(dot1 + 1, dot2 - dot1 - 1));
  const auto signature = base64url_decode(jwt.substr(dot2 + 1));
  if (!header_json || !claims_json || !signature) return malformed("Invalid base64url.");
  rapidjson::Document header;
  rapidjson::Document claims;
  if (!json_nesting_within(*header_json, kMaxJsonNesting) ||
      !json_nesting_within(*claims_json, kMaxJsonNesting) ||
      header.Parse(header_json->c_str(), header_json->size()).HasParseError() ||
      !header.IsObject() ||
      claims.Parse(claims_json->c_str(), claims_json->size()).HasParseError() ||
      !claims.IsObject()) {
    return malformed("Header or claims are not JSON objects.");
  }
  const std::string alg = json_get_string(header, "alg").value_or("");
  if (alg != "RS256" && alg != "PS256") {
    return AssertionError{5002738, "The client assertion uses the unsupported algorithm '" + alg +
                                       "'. Use RS256 or PS256."};
  }
  if (check.certificate == nullptr) {
    return AssertionError{700027,
                          "Client assertion failed signature validation. [Reason - No "
                          "certificate is registered for the application.]"};
  }
  // RS256 assertions identify the key by SHA-1 thumbprint, PS256 ones by SHA-256.
  const bool thumbprint_ok =
      alg == "RS256"
          ? json_get_string(header, "x5t").value_or("") == check.certificate->x5t_sha1()
          : json_get_string(header, "x5t#S256").value_or("") == check.certificate->x5t_sha256();
  if (!thumbprint_ok) {
    return AssertionError{
        700027,
        "Client assertion failed signature validation. [Reason - The key was "
        "not found., Thumbprint of key used by client: '" +
            json_get_string(header, alg == "RS256" ? "x5t" : "x5t#S256").value_or("") + "']"};
  }
  if (!check.certificate->verify(alg, jwt.substr(0, dot2), *signature)) {
    return AssertionError{700027,
                          "Client assertion failed signature validation. [Reason - The "
                          "provided signature value did not match the expected signature value.]"};
  }
  const std::string aud = json_get_string(claims, "aud").value_or("");
  if (std::find(check.accepted_audiences.begin(), check.accepted_audiences.end(), aud) ==
      check.accepted_audiences.end()) {
    return AssertionError{700212, "The audience claim '" + aud +
                                      "' of the client assertion does not match the token "
                                      "endpoint URL."};
  }
  if (json_get_string(claims, "iss").value_or("") != check.client_id ||
      json_get_string(claims, "sub").value_or("") != check.client_id) {
    return AssertionError{700021,
                          "Client assertion application identifier doesn't match "
                          "'client_id' parameter (iss and sub must both equal the client id)."};
  }
  if (json_get_string(claims, "jti").value_or("").empty()) {
    return malformed("The 'jti' claim is missing.");
  }
  const auto exp = numeric_claim(claims, "exp");
  const auto nbf = numeric_claim(claims, "nbf");
  if (!exp) return malformed("The 'exp' claim is missing.");
  if (*exp <= check.now_seconds - kSkewSeconds ||
      (nbf && *nbf > check.now_seconds + kSkewSeconds)) {
    return AssertionError{700024, "Client assertion is not within its valid time range."};
  }
  if (*exp > check.now_seconds + kMaxLifetimeSeconds + kSkewSeconds) {
    return AssertionError{700024,
                          "Client assertion contains an invalid 'exp': more than 10 minutes in "
                          "the future."};
  }
  return std::nullopt;
}

}  // namespace secfeed::emulator
