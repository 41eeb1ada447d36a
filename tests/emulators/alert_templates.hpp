// Realistic alert archetypes, one per Defender product, chosen per alert by its seed.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace secfeed::emulator {

enum class EvidenceKind { device, user, ip, url, file, process, mailbox, cloud_application };

struct AlertTemplate {
  std::string_view id_prefix;  // Graph alert ids start with a product-specific prefix
  std::string_view service_source;
  std::string_view detection_source;
  std::string_view product_name;
  std::string_view title;
  std::string_view category;
  std::string_view severity;  // informational, low, medium, high
  std::string_view description;
  std::string_view recommended_actions;
  std::string_view detector_id;
  std::span<const std::string_view> mitre_techniques;
  std::span<const EvidenceKind> evidence;
  std::string_view threat_family;  // "" when the alert names no malware
};

const AlertTemplate& alert_template_for(std::uint64_t seed);

// Enum members Graph added after `unknownFutureValue`: hidden unless the client sends
// `Prefer: include-unknown-enum-members`.
bool is_evolvable_enum_member(std::string_view value);

int severity_rank(std::string_view severity);
std::string_view severity_name(int rank);

}  // namespace secfeed::emulator
