#include "connector/app/check/probes.hpp"
#include "sinks/sink_registry.hpp"
#include "sinks/syslog/syslog_sink.hpp"

namespace secfeed::check {
namespace {

// The sink's errors read "syslog tcp://host:port: <what>"; the URL is the row's target,
// so the detail keeps <what>, prefixed with the kind of failure.
std::string classify(std::string_view error) {
  if (const auto cut = error.find(": "); error.starts_with("syslog ") && cut != error.npos) {
    error.remove_prefix(cut + 2);
  }
  struct Kind {
    std::string_view prefix, label;
    bool keep_prefix;
  };
  constexpr Kind kKinds[] = {
      {"cannot resolve ", "DNS error: ", true},
      {"connect failed: ", "connect error: ", false},
      {"connect timed out", "timeout: ", true},
      {"TLS handshake timed out", "timeout: ", true},
      {"TLS handshake failed: ", "TLS error: handshake failed: ", false},
      {"cannot load ", "TLS error: ", true},
  };
  for (const Kind& kind : kKinds) {
    if (!error.starts_with(kind.prefix)) continue;
    if (!kind.keep_prefix) error.remove_prefix(kind.prefix.size());
    return std::string(kind.label) + std::string(error);
  }
  return std::string(error);
}

std::string success_detail(const SyslogSinkConfig& syslog) {
  switch (syslog.transport) {
    case SyslogTransport::udp:
      return "resolved (udp: no connection to test)";
    case SyslogTransport::tcp:
      return "connected";
    case SyslogTransport::tls:
      return syslog.tls.insecure_skip_verify
                 ? "connected, TLS handshake done (certificate NOT verified: insecure_skip_verify)"
                 : "connected, TLS handshake done, certificate and host name verified";
  }
  return "connected";
}

}  // namespace

void check_syslog_sink(CheckContext& context, const SinkConfig& sink, CheckReport& report) {
  const SyslogSinkConfig& syslog = std::get<SyslogSinkConfig>(sink.settings);
  SyslogSinkOptions options = syslog_sink_options(syslog);
  options.connect_timeout = context.timeout;
  const std::string error = context.run<std::string>(
      [&context, &sink, &options]() -> boost::asio::awaitable<std::string> {
        SyslogSink probe(context.io, sink_options(sink), options, nullptr);
        co_return co_await probe.check_connection();
      });
  CheckRow row{"sink " + sink.name, syslog.url, CheckStatus::ok, success_detail(syslog)};
  if (!error.empty()) {
    row.status = CheckStatus::fail;
    row.detail = classify(error);
  }
  report.add(std::move(row));
}

}  // namespace secfeed::check
