// Verifies an Entra ID client assertion (a JWT signed with the app's certificate key).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace secfeed::emulator {

// A registered app certificate: its thumbprints (as JWT headers carry them) and key.
class ClientCertificate {
 public:
  // Reads a PEM certificate; nullopt (and `error` set) on failure.
  static std::optional<ClientCertificate> load(const std::string& pem_path, std::string& error);

  const std::string& x5t_sha1() const { return x5t_sha1_; }
  const std::string& x5t_sha256() const { return x5t_sha256_; }
  // Verifies `signature` over `signed_part` with RS256 (PKCS#1 v1.5) or PS256 (PSS,
  // salt = 32 bytes as RFC 7518 requires).
  bool verify(std::string_view alg, std::string_view signed_part, std::string_view signature) const;

 private:
  std::string x5t_sha1_;
  std::string x5t_sha256_;
  std::shared_ptr<void> public_key_;  // EVP_PKEY, freed by its deleter
};

struct AssertionCheck {
  std::string_view client_id;
  std::vector<std::string> accepted_audiences;  // the token URL as the client may spell it
  std::int64_t now_seconds = 0;
  const ClientCertificate* certificate = nullptr;  // nullptr: none registered
};

struct AssertionError {
  int aadsts_code;
  std::string description;
};

// nullopt when the assertion is valid.
std::optional<AssertionError> verify_client_assertion(std::string_view jwt,
                                                      const AssertionCheck& check);

}  // namespace secfeed::emulator
