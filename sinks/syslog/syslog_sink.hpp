// `syslog` sink: each encoded event (usually CEF) inside a syslog header (RFC 5424 or
// 3164), over UDP (one message per datagram), TCP or TLS (RFC 6587 framing, RFC 5425).
//
// A batch is acked only after the whole framed batch was written to the socket. A
// failed write closes the connection and reports nothing delivered, so the base
// retries the batch on a new connection: what the receiver got before the failure is
// sent again (at-least-once; duplicates are possible). A connection the receiver closed
// while idle (e.g. it restarted) is detected before the next write. The limit of plain
// TCP syslog (RFC 6587 has no acknowledgements): a receiver that stops in the middle of
// a stream drops what it had not read yet, and the write of it had already succeeded.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "connector/core/config.hpp"
#include "sinks/encoders/syslog_framing.hpp"
#include "sinks/sink.hpp"

namespace secfeed {

struct SyslogSinkOptions {
  SyslogTransport transport = SyslogTransport::udp;
  std::string host;
  std::uint16_t port = 514;
  SyslogProtocol protocol = SyslogProtocol::rfc5424;
  SyslogFraming framing = SyslogFraming::octet_counting;  // tcp/tls only
  int facility = 20;
  std::string app_name = "secfeed";
  std::string hostname;                 // "" -> this machine's host name
  std::size_t max_message_size = 1472;  // per syslog message (header + body)
  TlsClientConfig tls;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds write_timeout{30000};
};

class SyslogSink : public Sink {
 public:
  SyslogSink(Executor executor, SinkOptions options, SyslogSinkOptions syslog_options,
             DeadLetterOutput* dead_letters);
  ~SyslogSink() override;

  // For `secfeed check`: opens one connection exactly as delivery would (resolve; tcp and
  // tls connect; tls also the handshake with certificate and host name checks), closes
  // it again, and returns why it failed ("" when it worked).
  boost::asio::awaitable<std::string> check_connection();

  // Messages cut to max_message_size (exported as a metric).
  std::uint64_t truncated() const { return truncated_.load(std::memory_order_relaxed); }

 protected:
  boost::asio::awaitable<DeliveryResult> deliver(std::span<SinkMessage> batch) override;

 private:
  struct Connection;

  // Appends one message with its header, cut to max_message_size (counted).
  void append_message(std::string& out, const SinkMessage& message);
  boost::asio::awaitable<DeliveryResult> deliver_datagrams(std::span<SinkMessage> batch);
  boost::asio::awaitable<DeliveryResult> deliver_stream(std::span<SinkMessage> batch);
  boost::asio::awaitable<bool> connect(std::string& error);
  void disconnect();
  std::string endpoint_text() const;

  SyslogSinkOptions syslog_options_;
  SyslogHeaderOptions header_;
  std::unique_ptr<Connection> connection_;
  std::string buffer_;
  std::string last_error_;  // of the previous attempt: logs each new failure once
  std::atomic<std::uint64_t> truncated_{0};
};

}  // namespace secfeed
