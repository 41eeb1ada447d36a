// The people, machines and artefacts one alert is about, derived from its seed so that
// every rendering (alerts_v2 evidence, legacy alert states) names the same things.
#pragma once

#include <cstdint>
#include <string>

#include "alert_templates.hpp"
#include "json_util.hpp"

namespace secfeed::emulator {

struct AlertSubjects {
  std::string device_name;  // FQDN
  std::string device_id;    // MDE device id (40 hex)
  std::string aad_device_id;
  std::string os_platform;
  std::string account_name;
  std::string display_name;
  std::string domain;
  std::string upn;
  std::string user_sid;
  std::string aad_user_id;
  std::string remote_ip;
  std::string country;
  std::string local_ip;
  std::string url;
  std::string file_name;
  std::string file_path;
  std::string sha1;
  std::string sha256;
  std::int64_t file_size;
  std::int64_t process_id;
  std::string command_line;
  std::string app_name;
  std::int64_t app_id;
};

AlertSubjects subjects_for(std::uint64_t seed);

// Writes the alerts_v2 `evidence` array (key included) for the template's evidence kinds.
void write_evidence(JsonWriter& w, const AlertTemplate& shape, const AlertSubjects& subjects,
                    const std::string& created);

}  // namespace secfeed::emulator
