// The syslog sink against local receivers: exact bytes over TCP (octet counting, LF),
// UDP datagrams with truncation counted, and a receiver that closes the connection
// between batches (the sink reconnects; nothing is lost).
#include "sinks/syslog/syslog_sink.hpp"

#include <gtest/gtest.h>

#include <functional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace secfeed {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
using std::chrono::milliseconds;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::int64_t kT0 = 1714558830456;  // 2024-05-01T10:20:30.456Z

// Severity 4 (warning) and 5 (notice) at facility local4 (20): PRI 164 and 165.
const std::string kFirst =
    "<164>1 2024-05-01T10:20:30.456Z testhost secfeed - - - CEF:0|a|b|1|c|d|8|x=y";
const std::string kSecond =
    "<165>1 2024-05-01T10:20:30.456Z testhost secfeed - - - CEF:0|a|b|1|c|d|3|x=z";

SinkMessage message(std::string body, int severity) {
  SinkMessage m;
  m.bytes = std::move(body);
  m.time_ms = kT0;
  m.syslog_severity = severity;
  return m;
}

std::vector<SinkMessage> two_events() {
  std::vector<SinkMessage> messages;
  messages.push_back(message("CEF:0|a|b|1|c|d|8|x=y", 4));
  messages.push_back(message("CEF:0|a|b|1|c|d|3|x=z", 5));
  return messages;
}

asio::awaitable<void> read_until_eof(tcp::socket& socket, std::string& out) {
  char chunk[4096];
  for (;;) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(chunk), kTuple);
    out.append(chunk, n);
    if (ec) co_return;
  }
}

class SyslogSinkTest : public ::testing::Test {
 protected:
  SinkOptions base_options() {
    SinkOptions o;
    o.name = "siem";
    o.format = OutputFormat::raw;
    o.retry_initial = milliseconds(1);
    o.retry_max = milliseconds(5);
    return o;
  }

  SyslogSinkOptions syslog_options(SyslogTransport transport, std::uint16_t port) {
    SyslogSinkOptions o;
    o.transport = transport;
    o.host = "127.0.0.1";
    o.port = port;
    o.hostname = "testhost";
    o.max_message_size = 65536;
    return o;
  }

  // Starts the sink, queues `first`, waits for `gate` (if any), queues `second`, closes.
  // The sink is destroyed once it drained (closing its connection); `on_drained` runs
  // just before.
  void run_sink(SyslogSinkOptions options, std::vector<SinkMessage> first,
                std::vector<SinkMessage> second = {}, asio::steady_timer* gate = nullptr,
                std::function<void(SyslogSink&)> on_drained = nullptr) {
    sink_ = std::make_unique<SyslogSink>(io_.get_executor(), base_options(), std::move(options),
                                         nullptr);
    asio::co_spawn(io_, sink_->run(), [&, on_drained](std::exception_ptr) {
      asio::post(io_, [&, on_drained] {
        if (on_drained) on_drained(*sink_);
        sink_.reset();
      });
    });
    asio::co_spawn(
        io_,
        [&, first = std::move(first), second = std::move(second),
         gate]() mutable -> asio::awaitable<void> {
          for (SinkMessage& m : first) co_await sink_->enqueue(std::move(m));
          if (gate) co_await gate->async_wait(kTuple);
          for (SinkMessage& m : second) co_await sink_->enqueue(std::move(m));
          co_await sink_->close();
        },
        asio::detached);
    io_.run_for(std::chrono::seconds(20));
  }

  // Accepts one connection and reads it to the end.
  std::string tcp_round_trip(SyslogFraming framing) {
    tcp::acceptor acceptor(io_, {asio::ip::make_address("127.0.0.1"), 0});
    std::string received;
    asio::co_spawn(
        io_,
        [&]() -> asio::awaitable<void> {
          tcp::socket socket = co_await acceptor.async_accept(asio::use_awaitable);
          co_await read_until_eof(socket, received);
        },
        asio::detached);
    SyslogSinkOptions options =
        syslog_options(SyslogTransport::tcp, acceptor.local_endpoint().port());
    options.framing = framing;
    run_sink(std::move(options), two_events());
    return received;
  }

  asio::io_context io_;
  std::unique_ptr<SyslogSink> sink_;
};

TEST_F(SyslogSinkTest, TcpOctetCountingWritesExactBytes) {
  EXPECT_EQ(tcp_round_trip(SyslogFraming::octet_counting), "76 " + kFirst + "76 " + kSecond);
}

TEST_F(SyslogSinkTest, TcpLfFramingWritesExactBytes) {
  EXPECT_EQ(tcp_round_trip(SyslogFraming::lf), kFirst + "\n" + kSecond + "\n");
}

TEST_F(SyslogSinkTest, TcpDefaultsToOctetCountingWhenFramingIsNone) {
  EXPECT_EQ(tcp_round_trip(SyslogFraming::none), "76 " + kFirst + "76 " + kSecond);
}

TEST_F(SyslogSinkTest, UdpSendsOneDatagramPerMessageAndCountsTruncation) {
  udp::socket receiver(io_, {asio::ip::make_address("127.0.0.1"), 0});
  std::vector<std::string> datagrams;
  asio::co_spawn(
      io_,
      [&]() -> asio::awaitable<void> {
        char chunk[65536];
        for (int i = 0; i < 2; ++i) {
          auto [ec, n] = co_await receiver.async_receive(asio::buffer(chunk), kTuple);
          if (ec) co_return;
          datagrams.emplace_back(chunk, n);
        }
      },
      asio::detached);
  SyslogSinkOptions options =
      syslog_options(SyslogTransport::udp, receiver.local_endpoint().port());
  options.framing = SyslogFraming::octet_counting;  // ignored: UDP is never framed
  options.max_message_size = 480;
  std::vector<SinkMessage> messages;
  messages.push_back(message("CEF:0|a|b|1|c|d|8|x=y", 4));
  messages.push_back(message("CEF:0|a|b|1|c|d|3|msg=" + std::string(600, 'z'), 5));
  std::uint64_t truncated = 99, delivered = 0;
  run_sink(std::move(options), std::move(messages), {}, nullptr, [&](SyslogSink& sink) {
    truncated = sink.truncated();
    delivered = sink.stats().delivered;
  });
  ASSERT_EQ(datagrams.size(), 2u);
  EXPECT_EQ(datagrams[0], kFirst);
  EXPECT_EQ(datagrams[1].size(), 480u);
  EXPECT_EQ(datagrams[1],
            ("<165>1 2024-05-01T10:20:30.456Z testhost secfeed - - - CEF:0|a|b|1|c|d|3|msg=" +
             std::string(600, 'z'))
                .substr(0, 480));
  EXPECT_EQ(truncated, 1u);
  EXPECT_EQ(delivered, 2u);
}

TEST_F(SyslogSinkTest, ReconnectsWhenTheReceiverClosedTheConnection) {
  tcp::acceptor acceptor(io_, {asio::ip::make_address("127.0.0.1"), 0});
  asio::steady_timer gate(io_, asio::steady_timer::time_point::max());
  std::string first_connection, second_connection;
  const std::string first_bytes = "76 " + kFirst + "76 " + kSecond;
  asio::co_spawn(
      io_,
      [&]() -> asio::awaitable<void> {
        {
          tcp::socket socket = co_await acceptor.async_accept(asio::use_awaitable);
          first_connection.resize(first_bytes.size());
          co_await asio::async_read(socket, asio::buffer(first_connection), kTuple);
        }  // closed: like a receiver restarting between batches
        gate.cancel();
        tcp::socket socket = co_await acceptor.async_accept(asio::use_awaitable);
        co_await read_until_eof(socket, second_connection);
      },
      asio::detached);
  std::vector<SinkMessage> second;
  second.push_back(message("CEF:0|a|b|1|c|d|8|x=y", 4));
  std::uint64_t delivered = 0;
  run_sink(syslog_options(SyslogTransport::tcp, acceptor.local_endpoint().port()), two_events(),
           std::move(second), &gate, [&](SyslogSink& sink) { delivered = sink.stats().delivered; });
  EXPECT_EQ(first_connection, first_bytes);
  EXPECT_EQ(second_connection, "76 " + kFirst);
  EXPECT_EQ(delivered, 3u);
}

TEST_F(SyslogSinkTest, RetriesUntilTheReceiverListens) {
  // A port nobody listens on yet: connects fail (retried with backoff) until the
  // acceptor opens; then everything arrives once.
  tcp::acceptor probe(io_, {asio::ip::make_address("127.0.0.1"), 0});
  const std::uint16_t port = probe.local_endpoint().port();
  probe.close();
  std::string received;
  std::unique_ptr<tcp::acceptor> acceptor;
  asio::co_spawn(
      io_,
      [&]() -> asio::awaitable<void> {
        // Opens the port only after the sink reported a failed attempt.
        asio::steady_timer poll(io_);
        while (!sink_ || sink_->stats().failed_attempts == 0) {
          poll.expires_after(milliseconds(1));
          co_await poll.async_wait(asio::use_awaitable);
        }
        acceptor = std::make_unique<tcp::acceptor>(
            io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
        tcp::socket socket = co_await acceptor->async_accept(asio::use_awaitable);
        co_await read_until_eof(socket, received);
      },
      asio::detached);
  std::uint64_t failed_attempts = 0;
  run_sink(syslog_options(SyslogTransport::tcp, port), two_events(), {}, nullptr,
           [&](SyslogSink& sink) { failed_attempts = sink.stats().failed_attempts; });
  EXPECT_EQ(received, "76 " + kFirst + "76 " + kSecond);
  EXPECT_GE(failed_attempts, 1u);
}

}  // namespace
}  // namespace secfeed
