// Certificate credentials for Entra ID: loading the certificate + RSA key (PEM, optionally
// encrypted, or PKCS#12) and signing the JWT client assertion (RS256 / PS256).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "connector/net/token_provider.hpp"

namespace secfeed::net {

class SigningCertificate {
 public:
  // From files (CertificateCredential::pkcs12_file, or cert_file [+ key_file]).
  static std::optional<SigningCertificate> load(const CertificateCredential& credential,
                                                std::string& error);
  // From PEM text: the certificate and the (possibly encrypted) private key.
  static std::optional<SigningCertificate> from_pem(std::string_view cert_pem,
                                                    std::string_view key_pem,
                                                    std::string_view password, std::string& error);
  // From PKCS#12 bytes.
  static std::optional<SigningCertificate> from_pkcs12(std::string_view der,
                                                       std::string_view password,
                                                       std::string& error);

  SigningCertificate(SigningCertificate&&) noexcept;
  SigningCertificate& operator=(SigningCertificate&&) noexcept;
  ~SigningCertificate();

  // Raw digests of the certificate's DER encoding (x5t / x5t#S256 before base64url).
  std::string sha1_thumbprint() const;
  std::string sha256_thumbprint() const;
  // RS256: RSASSA-PKCS1-v1_5 + SHA-256; PS256: RSASSA-PSS + SHA-256, MGF1-SHA-256,
  // salt length 32. Returns the raw signature or nullopt + error.
  std::optional<std::string> sign(JwtAlgorithm algorithm, std::string_view data,
                                  std::string& error) const;

 private:
  struct Impl;
  explicit SigningCertificate(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct ClientAssertionClaims {
  std::string audience;   // the token endpoint URL
  std::string client_id;  // iss and sub
  std::string jwt_id;     // jti: a fresh GUID per assertion
  std::int64_t now_epoch_s = 0;
  std::int64_t lifetime_s = 600;  // exp = now + lifetime; Entra accepts at most 10 min
};

// header.claims.signature, each base64url. Header: {"alg":"PS256","typ":"JWT",
// "x5t#S256":...} or {"alg":"RS256","typ":"JWT","x5t":...}. Claims: aud, iss, sub, jti,
// nbf = iat = now, exp.
std::optional<std::string> build_client_assertion(const SigningCertificate& certificate,
                                                  JwtAlgorithm algorithm,
                                                  const ClientAssertionClaims& claims,
                                                  std::string& error);

// A random (version 4) GUID, lower-case, 8-4-4-4-12.
std::string random_guid();

}  // namespace secfeed::net
