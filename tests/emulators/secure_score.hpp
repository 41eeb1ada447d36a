// Secure Score: one score object per tenant per day (90 days, newest first) and the
// control profiles its controlScores refer to.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "clock.hpp"
#include "http_types.hpp"

namespace secfeed::emulator {

class TenantSecureScore {
 public:
  // 90 daily scores ending on `today`'s date.
  TenantSecureScore(std::string tenant_id, std::uint64_t seed, Ticks today);

  // GET /v1.0/security/secureScores[?$top=N].
  void serve_scores(const Request& request, Ticks now, Response& response) const;
  // GET /v1.0/security/secureScoreControlProfiles.
  void serve_profiles(const Request& request, Response& response) const;

  // Appends tomorrow's score (the current control states); keeps 90 days.
  void next_day();
  // Control `name` drops to 0 from the newest day on; false if no such control.
  bool regress(std::string_view control_name);
  // The control's profile changes (new lastModifiedDateTime and remediation text); false
  // if no such control.
  bool change_profile(std::string_view control_name);

  std::size_t day_count() const { return days_.size(); }

 private:
  struct Day {
    Ticks midnight;
    std::vector<double> scores;  // per control, same order as the control table
    int active_users;
  };

  std::string tenant_id_;
  std::vector<double> current_;
  std::vector<int> profile_revisions_;  // per control; 0 = as generated
  std::deque<Day> days_;  // oldest first
};

// Number of controls in the built-in table (for tests and docs).
std::size_t secure_score_control_count();

}  // namespace secfeed::emulator
