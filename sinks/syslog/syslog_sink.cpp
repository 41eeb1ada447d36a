#include "sinks/syslog/syslog_sink.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "connector/core/log.hpp"

namespace secfeed {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
using boost::system::error_code;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::string local_host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "";
  return name;
}

std::string_view scheme(SyslogTransport transport) {
  switch (transport) {
    case SyslogTransport::udp:
      return "udp";
    case SyslogTransport::tcp:
      return "tcp";
    case SyslogTransport::tls:
      return "tls";
  }
  return "?";
}

bool is_ip_literal(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

// Cancels the socket's pending operations when the time is up: connect, handshake and
// write are each bounded, so a silent receiver cannot stall the sink forever.
class Watchdog {
 public:
  Watchdog(const asio::any_io_executor& executor, tcp::socket& socket,
           std::chrono::milliseconds timeout)
      : timer_(executor) {
    timer_.expires_after(timeout);
    timer_.async_wait([&socket, state = state_](const error_code& ec) {
      if (ec || !state->alive) return;  // the watched operation finished first
      state->fired = true;
      error_code ignored;
      socket.cancel(ignored);
    });
  }
  ~Watchdog() {
    state_->alive = false;  // a completion already queued must not touch the socket
    timer_.cancel();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  bool fired() const { return state_->fired; }

 private:
  struct State {
    bool alive = true;
    bool fired = false;
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
  asio::steady_timer timer_;
};

}  // namespace

struct SyslogSink::Connection {
  explicit Connection(const asio::any_io_executor& executor)
      : tcp_socket(executor), udp_socket(executor) {}

  tcp::socket& lowest() { return tls ? tls->next_layer() : tcp_socket; }

  tcp::socket tcp_socket;  // moved into `tls` once connected, for tls://
  std::unique_ptr<asio::ssl::context> tls_context;
  std::unique_ptr<asio::ssl::stream<tcp::socket>> tls;
  udp::socket udp_socket;
};

SyslogSink::SyslogSink(Executor executor, SinkOptions options, SyslogSinkOptions syslog_options,
                       DeadLetterOutput* dead_letters)
    : Sink(executor, std::move(options), dead_letters), syslog_options_(std::move(syslog_options)) {
  if (syslog_options_.hostname.empty()) syslog_options_.hostname = local_host_name();
  header_.protocol = syslog_options_.protocol;
  header_.facility = syslog_options_.facility;
  header_.hostname = syslog_options_.hostname;
  header_.app_name = syslog_options_.app_name;
  if (syslog_options_.transport == SyslogTransport::udp) {
    syslog_options_.framing = SyslogFraming::none;
  } else if (syslog_options_.framing == SyslogFraming::none) {
    syslog_options_.framing = SyslogFraming::octet_counting;
  }
}

// TODO: send a TLS close_notify here; that needs an asynchronous shutdown, which a
// destructor cannot wait for. The receiver sees a plain TCP close instead (every
// message written before was acknowledged by the kernel's write, as with tcp://).
SyslogSink::~SyslogSink() {
  disconnect();
}

std::string SyslogSink::endpoint_text() const {
  return std::string(scheme(syslog_options_.transport)) + "://" + syslog_options_.host + ":" +
         std::to_string(syslog_options_.port);
}

void SyslogSink::disconnect() {
  if (!connection_) return;
  error_code ignored;
  connection_->lowest().close(ignored);
  connection_->udp_socket.close(ignored);
  connection_.reset();
}

void SyslogSink::append_message(std::string& out, const SinkMessage& message) {
  const std::size_t start = out.size();
  append_syslog_message(out, header_, message.syslog_severity, message.time_ms, message.bytes);
  if (truncate_message(out, start, syslog_options_.max_message_size)) {
    truncated_.fetch_add(1, std::memory_order_relaxed);
  }
  switch (syslog_options_.framing) {
    case SyslogFraming::none:
      break;
    case SyslogFraming::octet_counting:
      frame_octet_counted_in_place(out, start);
      break;
    case SyslogFraming::lf:
      frame_lf_in_place(out, start);
      break;
  }
}

asio::awaitable<std::string> SyslogSink::check_connection() {
  std::string error;
  const bool connected = co_await connect(error);
  if (connected) disconnect();
  co_return error;
}

asio::awaitable<DeliveryResult> SyslogSink::deliver(std::span<SinkMessage> batch) {
  // No co_await inside a conditional expression: g++ 12 miscompiles that (double free).
  DeliveryResult result;
  if (syslog_options_.transport == SyslogTransport::udp) {
    result = co_await deliver_datagrams(batch);
  } else {
    result = co_await deliver_stream(batch);
  }
  // Each new failure is logged once (not every retry), and the recovery after it.
  if (result.error != last_error_) {
    if (!result.error.empty()) {
      log_warn("syslog", name() + ": " + result.error + " (retrying)");
    } else {
      log_info("syslog", name() + ": delivering to " + endpoint_text() + " again");
    }
    last_error_ = result.error;
  }
  co_return result;
}

asio::awaitable<DeliveryResult> SyslogSink::deliver_datagrams(std::span<SinkMessage> batch) {
  DeliveryResult result;
  if (!connection_ && !co_await connect(result.error)) co_return result;
  for (const SinkMessage& message : batch) {
    buffer_.clear();
    append_message(buffer_, message);
    auto [ec, sent] = co_await connection_->udp_socket.async_send(asio::buffer(buffer_), kTuple);
    if (ec) {
      // E.g. ECONNREFUSED from an ICMP port-unreachable of an earlier datagram.
      result.error = "syslog " + endpoint_text() + ": send failed: " + ec.message();
      disconnect();
      co_return result;
    }
    ++result.delivered;
  }
  co_return result;
}

asio::awaitable<DeliveryResult> SyslogSink::deliver_stream(std::span<SinkMessage> batch) {
  DeliveryResult result;
  if (connection_) {
    // A receiver never sends syslog data back, so a readable end-of-stream means it
    // closed the connection (e.g. it restarted). Writing into such a connection would
    // "succeed" into the kernel buffer and be lost: reconnect first.
    char probe = 0;
    const ssize_t n =
        ::recv(connection_->lowest().native_handle(), &probe, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) disconnect();
  }
  if (!connection_ && !co_await connect(result.error)) co_return result;

  buffer_.clear();
  for (const SinkMessage& message : batch) append_message(buffer_, message);

  error_code ec;
  bool timed_out = false;
  {
    Watchdog watchdog(executor(), connection_->lowest(), syslog_options_.write_timeout);
    if (connection_->tls) {
      std::tie(ec, std::ignore) =
          co_await asio::async_write(*connection_->tls, asio::buffer(buffer_), kTuple);
    } else {
      std::tie(ec, std::ignore) =
          co_await asio::async_write(connection_->tcp_socket, asio::buffer(buffer_), kTuple);
    }
    timed_out = watchdog.fired();
  }
  if (ec) {
    // Part of the batch may have reached the receiver; the whole batch is retried
    // (at-least-once: those messages arrive twice).
    result.error = "syslog " + endpoint_text() + ": write " +
                   (timed_out ? std::string("timed out") : "failed: " + ec.message());
    disconnect();
    co_return result;
  }
  result.delivered = batch.size();
  co_return result;
}

asio::awaitable<bool> SyslogSink::connect(std::string& error) {
  const std::string where = "syslog " + endpoint_text() + ": ";
  auto connection = std::make_unique<Connection>(executor());
  const std::string port = std::to_string(syslog_options_.port);

  if (syslog_options_.transport == SyslogTransport::udp) {
    udp::resolver resolver(executor());
    auto [ec, endpoints] = co_await resolver.async_resolve(syslog_options_.host, port, kTuple);
    if (ec || endpoints.empty()) {
      error = where + "cannot resolve " + syslog_options_.host + ": " + ec.message();
      co_return false;
    }
    const udp::endpoint endpoint = *endpoints.begin();
    connection->udp_socket.open(endpoint.protocol(), ec);
    if (!ec) connection->udp_socket.connect(endpoint, ec);
    if (ec) {
      error = where + "cannot open the UDP socket: " + ec.message();
      co_return false;
    }
    connection_ = std::move(connection);
    co_return true;
  }

  tcp::resolver resolver(executor());
  auto [resolve_ec, endpoints] =
      co_await resolver.async_resolve(syslog_options_.host, port, kTuple);
  if (resolve_ec) {
    error = where + "cannot resolve " + syslog_options_.host + ": " + resolve_ec.message();
    co_return false;
  }
  {
    Watchdog watchdog(executor(), connection->tcp_socket, syslog_options_.connect_timeout);
    auto [ec, endpoint] = co_await asio::async_connect(connection->tcp_socket, endpoints, kTuple);
    if (ec) {
      error = where + (watchdog.fired() ? std::string("connect timed out")
                                        : "connect failed: " + ec.message());
      co_return false;
    }
  }
  error_code ignored;
  connection->tcp_socket.set_option(tcp::no_delay(true), ignored);
  connection->tcp_socket.set_option(asio::socket_base::keep_alive(true), ignored);

  if (syslog_options_.transport == SyslogTransport::tls) {
    const TlsClientConfig& tls = syslog_options_.tls;
    connection->tls_context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    asio::ssl::context& context = *connection->tls_context;
    SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
    context.set_options(asio::ssl::context::default_workarounds |
                        asio::ssl::context::no_compression);
    error_code ec;
    if (!tls.ca_file.empty()) {
      context.load_verify_file(tls.ca_file, ec);
      if (ec) {
        error = where + "cannot load CA file '" + tls.ca_file + "': " + ec.message();
        co_return false;
      }
    } else {
      context.set_default_verify_paths(ec);
      if (ec) {
        error = where + "cannot load the system CA store: " + ec.message();
        co_return false;
      }
    }
    if (!tls.cert_file.empty()) {
      context.use_certificate_chain_file(tls.cert_file, ec);
      if (!ec && !tls.key_file.empty())
        context.use_private_key_file(tls.key_file, asio::ssl::context::pem, ec);
      if (ec) {
        error = where + "cannot load the client certificate/key: " + ec.message();
        co_return false;
      }
    }
    context.set_verify_mode(tls.insecure_skip_verify ? asio::ssl::verify_none
                                                     : asio::ssl::verify_peer);
    connection->tls = std::make_unique<asio::ssl::stream<tcp::socket>>(
        std::move(connection->tcp_socket), context);
    asio::ssl::stream<tcp::socket>& stream = *connection->tls;
    const std::string name = tls.server_name.empty() ? syslog_options_.host : tls.server_name;
    if (!is_ip_literal(name)) {
      SSL_set_tlsext_host_name(stream.native_handle(), name.c_str());  // SNI
      // OpenSSL's own check too, only for its precise error text ("hostname mismatch").
      if (!tls.insecure_skip_verify) SSL_set1_host(stream.native_handle(), name.c_str());
    }
    if (!tls.insecure_skip_verify) {
      stream.set_verify_callback(asio::ssl::host_name_verification(name));
    }
    Watchdog watchdog(executor(), stream.next_layer(), syslog_options_.connect_timeout);
    std::tie(ec) = co_await stream.async_handshake(asio::ssl::stream_base::client, kTuple);
    if (ec) {
      std::string message = watchdog.fired() ? std::string("TLS handshake timed out")
                                             : "TLS handshake failed: " + ec.message();
      const long verify = SSL_get_verify_result(stream.native_handle());
      if (verify != X509_V_OK) {
        message += " (" + std::string(X509_verify_cert_error_string(verify)) + ")";
      }
      error = where + message;
      co_return false;
    }
  }
  connection_ = std::move(connection);
  co_return true;
}

}  // namespace secfeed
