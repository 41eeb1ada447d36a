#include "errors.hpp"

#include <string>

#include "json_util.hpp"

namespace secfeed::emulator {

void set_graph_error(Response& response, int status, std::string_view code,
                     std::string_view message, const Request& request, Ticks now) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  json_key(w, "error");
  w.StartObject();
  json_field(w, "code", code);
  json_field(w, "message", message);
  json_key(w, "innerError");
  w.StartObject();
  json_field(w, "date", format_datetime(now).substr(0, 19));
  json_field(w, "request-id", request.request_id);
  json_field(w, "client-request-id", request.client_request_id);
  w.EndObject();
  w.EndObject();
  w.EndObject();
  response.set_json(status, buffer.GetString());
}

void set_aad_error(Response& response, int status, std::string_view error, int aadsts_code,
                   std::string_view description, const Request& request, Ticks now) {
  const std::string timestamp = format_datetime(now).substr(0, 19) + "Z";
  std::string text = "AADSTS" + std::to_string(aadsts_code) + ": ";
  text.append(description);
  text += " Trace ID: " + request.request_id + " Correlation ID: " + request.client_request_id +
          " Timestamp: " + timestamp;
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  json_field(w, "error", error);
  json_field(w, "error_description", text);
  json_key(w, "error_codes");
  w.StartArray();
  w.Int(aadsts_code);
  w.EndArray();
  json_field(w, "timestamp", timestamp);
  json_field(w, "trace_id", request.request_id);
  json_field(w, "correlation_id", request.client_request_id);
  json_field(w, "error_uri",
             "https://login.microsoftonline.com/error?code=" + std::to_string(aadsts_code));
  w.EndObject();
  response.set_json(status, buffer.GetString());
}

void set_azure_error(Response& response, int status, std::string_view code,
                     std::string_view message) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  json_key(w, "error");
  w.StartObject();
  json_field(w, "code", code);
  json_field(w, "message", message);
  w.EndObject();
  w.EndObject();
  response.set_json(status, buffer.GetString());
}

std::string_view graph_code_for_status(int status) {
  switch (status) {
    case 400:
      return "BadRequest";
    case 401:
      return "InvalidAuthenticationToken";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalServerError";
    case 502:
      return "BadGateway";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "GatewayTimeout";
    default:
      return "UnknownError";
  }
}

}  // namespace secfeed::emulator
