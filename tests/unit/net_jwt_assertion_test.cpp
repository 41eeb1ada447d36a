#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <rapidjson/document.h>

#include "connector/net/base64.hpp"
#include "connector/net/jwt_assertion.hpp"
#include "tests/unit/support/test_certificate.hpp"
#include "tests/unit/support/text_checks.hpp"

namespace secfeed::net {
namespace {

const test::TestCertificate& certificate() {
  static const test::TestCertificate cert = test::make_test_certificate();
  return cert;
}

std::string digest(std::string_view data, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), out, &length, md, nullptr);
  return std::string(reinterpret_cast<const char*>(out), length);
}

// Verifies `signature` over `data` with the certificate's public key.
bool verify(JwtAlgorithm algorithm, std::string_view data, std::string_view signature) {
  BIO* bio = BIO_new_mem_buf(certificate().cert_pem.data(),
                             static_cast<int>(certificate().cert_pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  EVP_PKEY* key = X509_get_pubkey(cert);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = EVP_DigestVerifyInit(ctx, &pctx, EVP_sha256(), nullptr, key) == 1;
  if (algorithm == JwtAlgorithm::ps256) {
    ok = ok && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) == 1;
  }
  ok = ok && EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                              signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                              data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  X509_free(cert);
  return ok;
}

struct DecodedJwt {
  rapidjson::Document header;
  rapidjson::Document claims;
  std::string signing_input;
  std::string signature;
};

DecodedJwt decode(const std::string& token) {
  DecodedJwt out;
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  EXPECT_NE(second, std::string::npos);
  EXPECT_EQ(token.find('='), std::string::npos);  // base64url without padding
  out.header.Parse(base64_decode(token.substr(0, first)).value_or("").c_str());
  out.claims.Parse(base64_decode(token.substr(first + 1, second - first - 1)).value_or("").c_str());
  out.signing_input = token.substr(0, second);
  out.signature = base64_decode(token.substr(second + 1)).value_or("");
  return out;
}

SigningCertificate load_plain() {
  std::string error;
  auto cert =
      SigningCertificate::from_pem(certificate().cert_pem, certificate().key_pem, "", error);
  EXPECT_TRUE(cert) << error;
  return std::move(*cert);
}

const ClientAssertionClaims kClaims{"https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token",
                                    "client-1", "0f8fad5b-d9cb-469f-a165-70867728950e", 1700000000,
                                    600};

void expect_claims(const rapidjson::Document& claims) {
  ASSERT_TRUE(claims.IsObject());
  EXPECT_EQ(claims.MemberCount(), 7u);
  EXPECT_STREQ(claims["aud"].GetString(), kClaims.audience.c_str());
  EXPECT_STREQ(claims["iss"].GetString(), "client-1");
  EXPECT_STREQ(claims["sub"].GetString(), "client-1");
  EXPECT_STREQ(claims["jti"].GetString(), kClaims.jwt_id.c_str());
  EXPECT_EQ(claims["nbf"].GetInt64(), 1700000000);
  EXPECT_EQ(claims["iat"].GetInt64(), 1700000000);
  EXPECT_EQ(claims["exp"].GetInt64(), 1700000600);
}

TEST(NetJwtAssertion, Ps256HeaderClaimsAndVerifiableSignature) {
  const auto signer = load_plain();
  std::string error;
  const auto token = build_client_assertion(signer, JwtAlgorithm::ps256, kClaims, error);
  ASSERT_TRUE(token) << error;
  const auto jwt = decode(*token);
  ASSERT_TRUE(jwt.header.IsObject());
  EXPECT_EQ(jwt.header.MemberCount(), 3u);
  EXPECT_STREQ(jwt.header["alg"].GetString(), "PS256");
  EXPECT_STREQ(jwt.header["typ"].GetString(), "JWT");
  EXPECT_EQ(jwt.header["x5t#S256"].GetString(),
            base64url_encode(digest(certificate().cert_der, EVP_sha256())));
  expect_claims(jwt.claims);
  EXPECT_EQ(jwt.signature.size(), 256u);
  EXPECT_TRUE(verify(JwtAlgorithm::ps256, jwt.signing_input, jwt.signature));
  EXPECT_FALSE(verify(JwtAlgorithm::rs256, jwt.signing_input, jwt.signature));
  EXPECT_FALSE(verify(JwtAlgorithm::ps256, jwt.signing_input + "x", jwt.signature));
}

TEST(NetJwtAssertion, Rs256HeaderClaimsAndVerifiableSignature) {
  const auto signer = load_plain();
  std::string error;
  const auto token = build_client_assertion(signer, JwtAlgorithm::rs256, kClaims, error);
  ASSERT_TRUE(token) << error;
  const auto jwt = decode(*token);
  EXPECT_EQ(jwt.header.MemberCount(), 3u);
  EXPECT_STREQ(jwt.header["alg"].GetString(), "RS256");
  EXPECT_EQ(jwt.header["x5t"].GetString(),
            base64url_encode(digest(certificate().cert_der, EVP_sha1())));
  expect_claims(jwt.claims);
  EXPECT_TRUE(verify(JwtAlgorithm::rs256, jwt.signing_input, jwt.signature));
  EXPECT_FALSE(verify(JwtAlgorithm::ps256, jwt.signing_input, jwt.signature));
}

TEST(NetJwtAssertion, LifetimeIsCappedAtTenMinutes) {
  const auto signer = load_plain();
  auto claims = kClaims;
  claims.lifetime_s = 3600;
  std::string error;
  const auto jwt = decode(*build_client_assertion(signer, JwtAlgorithm::ps256, claims, error));
  EXPECT_EQ(jwt.claims["exp"].GetInt64(), 1700000600);
}

TEST(NetJwtAssertion, LoadsEncryptedPemAndPkcs12) {
  std::string error;
  auto encrypted = SigningCertificate::from_pem(
      certificate().cert_pem, certificate().encrypted_key_pem, certificate().password, error);
  ASSERT_TRUE(encrypted) << error;
  auto p12 = SigningCertificate::from_pkcs12(certificate().pkcs12, certificate().password, error);
  ASSERT_TRUE(p12) << error;
  EXPECT_EQ(p12->sha256_thumbprint(), load_plain().sha256_thumbprint());
  const auto token = build_client_assertion(*p12, JwtAlgorithm::ps256, kClaims, error);
  ASSERT_TRUE(token);
  const auto jwt = decode(*token);
  EXPECT_TRUE(verify(JwtAlgorithm::ps256, jwt.signing_input, jwt.signature));
}

TEST(NetJwtAssertion, LoadErrorsAreReadableAndNeverEchoThePassword) {
  std::string error;
  EXPECT_FALSE(SigningCertificate::from_pem(certificate().cert_pem, certificate().encrypted_key_pem,
                                            "wrong-Pa55", error));
  EXPECT_TRUE(error.starts_with("cannot read the PEM private key (")) << error;
  EXPECT_EQ(error.find("wrong-Pa55"), std::string::npos);
  EXPECT_FALSE(SigningCertificate::from_pem(certificate().cert_pem, certificate().encrypted_key_pem,
                                            "", error));
  EXPECT_TRUE(error.ends_with("; is it encrypted? set the certificate password)")) << error;
  EXPECT_FALSE(SigningCertificate::from_pkcs12(certificate().pkcs12, "wrong-Pa55", error));
  EXPECT_TRUE(error.starts_with("cannot open the PKCS#12 file (")) << error;
  EXPECT_EQ(error.find("wrong-Pa55"), std::string::npos);
  EXPECT_FALSE(SigningCertificate::from_pem("garbage", certificate().key_pem, "", error));
  EXPECT_TRUE(error.starts_with("no PEM certificate found (")) << error;
  const auto other = test::make_test_certificate(1024);
  EXPECT_FALSE(SigningCertificate::from_pem(certificate().cert_pem, other.key_pem, "", error));
  EXPECT_EQ(error, "the private key does not match the certificate");
}

TEST(NetJwtAssertion, LoadsFromFiles) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("secfeed-jwt-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto write = [&](const char* name, const std::string& data) {
    std::ofstream(dir / name, std::ios::binary) << data;
    return (dir / name).string();
  };
  CertificateCredential credential;
  credential.cert_file = write("both.pem", certificate().cert_pem + certificate().key_pem);
  std::string error;
  EXPECT_TRUE(SigningCertificate::load(credential, error)) << error;
  credential.key_file = write("key.pem", certificate().encrypted_key_pem);
  credential.password = certificate().password;
  EXPECT_TRUE(SigningCertificate::load(credential, error)) << error;
  credential = {};
  credential.pkcs12_file = write("cert.pfx", certificate().pkcs12);
  credential.password = certificate().password;
  EXPECT_TRUE(SigningCertificate::load(credential, error)) << error;
  credential.pkcs12_file = (dir / "missing.pfx").string();
  EXPECT_FALSE(SigningCertificate::load(credential, error));
  EXPECT_EQ(error, "cannot read PKCS#12 file '" + credential.pkcs12_file + "'");
  std::filesystem::remove_all(dir);
}

TEST(NetJwtAssertion, RandomGuidsAreVersion4AndUnique) {
  EXPECT_FALSE(test::is_v4_guid("0f8fad5b-d9cb-169f-a165-70867728950e"));
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const auto guid = random_guid();
    EXPECT_TRUE(test::is_v4_guid(guid)) << guid;
    seen.insert(guid);
  }
  EXPECT_EQ(seen.size(), 100u);
}

}  // namespace
}  // namespace secfeed::net
