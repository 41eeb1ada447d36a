#include "sinks/encoders/encode.hpp"

#include "sinks/encoders/ocsf_encoder.hpp"

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
    case OutputFormat::ocsf:
      encode_ocsf(event, out);
      return true;
      break;
  }
  return false;
}

}  // namespace secfeed
