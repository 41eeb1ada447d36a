#include "sinks/encoders/encode.hpp"

namespace secfeed {

bool encode_event(OutputFormat format, const Event& event, std::string& out) {
  switch (format) {
    case OutputFormat::cef:
      encode_cef(event, out);
      return true;
    case OutputFormat::json:
      encode_json(event, out);
      return true;
    case OutputFormat::raw:
      encode_raw(event, out);
      return true;
    case OutputFormat::sentinel:
      encode_sentinel(event, out);
      return true;
    case OutputFormat::ocsf:  // TODO(issue 6): OCSF Detection/Incident/Compliance Finding
      break;
  }
  return false;
}

}  // namespace secfeed
