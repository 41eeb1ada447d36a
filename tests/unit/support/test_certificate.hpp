// Throwaway RSA key + self-signed certificate for tests (OpenSSL 3 APIs), as PEM text,
// encrypted PEM and PKCS#12.
#pragma once

#include <memory>
#include <string>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

namespace secfeed::test {

struct TestCertificate {
  std::string cert_pem;
  std::string key_pem;
  std::string encrypted_key_pem;  // AES-256-CBC with `password`
  std::string pkcs12;             // DER, protected with `password`
  std::string password = "test-pass";
  std::string cert_der;
};

inline std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(length));
}

inline TestCertificate make_test_certificate(int bits = 2048) {
  TestCertificate out;
  EVP_PKEY* key = EVP_RSA_gen(static_cast<unsigned>(bits));
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("secfeed-test"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());

  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  out.cert_pem = bio_text(bio);
  BIO_free(bio);
  bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  out.key_pem = bio_text(bio);
  BIO_free(bio);
  bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PKCS8PrivateKey(bio, key, EVP_aes_256_cbc(), out.password.data(),
                                static_cast<int>(out.password.size()), nullptr, nullptr);
  out.encrypted_key_pem = bio_text(bio);
  BIO_free(bio);
  PKCS12* p12 = PKCS12_create(out.password.c_str(), "secfeed", key, cert, nullptr, 0, 0, 0, 0, 0);
  bio = BIO_new(BIO_s_mem());
  i2d_PKCS12_bio(bio, p12);
  out.pkcs12 = bio_text(bio);
  BIO_free(bio);
  PKCS12_free(p12);
  unsigned char* der = nullptr;
  const int der_length = i2d_X509(cert, &der);
  out.cert_der.assign(reinterpret_cast<const char*>(der), static_cast<std::size_t>(der_length));
  OPENSSL_free(der);
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

}  // namespace secfeed::test
