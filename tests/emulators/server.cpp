#include "server.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <exception>
#include <thread>

#include "emulator_app.hpp"
#include "encoding.hpp"

namespace secfeed::emulator {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using namespace std::chrono_literals;

constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);
// Large enough that an oversized Logs Ingestion batch reaches the handler (and gets its
// 413) instead of a dropped connection.
constexpr std::uint64_t kMaxRequestBody = 64ull * 1024 * 1024;

Request to_request(const http::request<http::string_body>& message) {
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  const std::size_t question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos)
    request.query = parse_form(request.target.substr(question + 1));
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = message.body();
  return request;
}

http::response<http::string_body> to_message(Response& response, unsigned version,
                                             bool keep_alive) {
  http::response<http::string_body> message{static_cast<http::status>(response.status), version};
  message.set(http::field::server, "secfeed-emulator");
  for (auto& [name, value] : response.headers) message.set(name, value);
  message.body() = std::move(response.body);
  message.keep_alive(keep_alive);
  message.prepare_payload();
  return message;
}

void drop_connection(TlsStream& stream, bool reset) {
  beast::error_code ignored;
  auto& socket = beast::get_lowest_layer(stream).socket();
  if (reset) socket.set_option(tcp::socket::linger(true, 0), ignored);  // RST, not FIN
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

net::awaitable<void> serve_session(TlsStream stream, EmulatorApp& app) {
  auto& transport = beast::get_lowest_layer(stream);
  transport.expires_after(30s);
  if (auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, kNoThrow); ec) {
    co_return;
  }
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kMaxRequestBody);
    transport.expires_after(120s);
    if (auto [ec, bytes] = co_await http::async_read(stream, buffer, parser, kNoThrow); ec) break;
    const auto& message = parser.get();
    Request request = to_request(message);
    Response response = app.handle(request);
    if (response.delay_ms > 0) {
      net::steady_timer timer(co_await net::this_coro::executor);
      timer.expires_after(std::chrono::milliseconds(response.delay_ms));
      co_await timer.async_wait(kNoThrow);
    }
    if (response.delivery == Delivery::reset) {
      drop_connection(stream, true);
      co_return;
    }
    const bool keep_alive = message.keep_alive() && response.delivery == Delivery::normal;
    auto reply = to_message(response, message.version(), keep_alive);
    transport.expires_after(60s);
    if (response.delivery == Delivery::truncate) {
      // Full Content-Length, half the body, then the connection goes away.
      http::response_serializer<http::string_body> serializer(reply);
      if (auto [ec, n] = co_await http::async_write_header(stream, serializer, kNoThrow); !ec) {
        const std::string& body = reply.body();
        co_await net::async_write(stream, net::buffer(body.data(), body.size() / 2), kNoThrow);
      }
      drop_connection(stream, false);
      co_return;
    }
    if (auto [ec, n] = co_await http::async_write(stream, reply, kNoThrow); ec) co_return;
    if (!keep_alive) break;
  }
  transport.expires_after(5s);
  co_await stream.async_shutdown(kNoThrow);
}

net::awaitable<void> accept_loop(tcp::acceptor& acceptor, ssl::context& tls, EmulatorApp& app) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(kNoThrow);
    if (ec == net::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) continue;
    net::co_spawn(acceptor.get_executor(),
                  serve_session(TlsStream(beast::tcp_stream(std::move(socket)), tls), app),
                  [](const std::exception_ptr&) {});  // one bad session never stops the server
  }
}

net::awaitable<void> live_loop(EmulatorApp& app) {
  net::steady_timer timer(co_await net::this_coro::executor);
  for (;;) {
    timer.expires_after(std::chrono::milliseconds(app.live_interval_ms()));
    if (auto [ec] = co_await timer.async_wait(kNoThrow); ec) co_return;
    app.live_tick();
  }
}

// Only pipes and terminals signal "parent is gone" by EOF; a background job's /dev/null
// would stop the emulator at once.
bool stdin_is_watchable() {
  struct stat info {};
  if (fstat(STDIN_FILENO, &info) != 0) return false;
  return S_ISFIFO(info.st_mode) || S_ISSOCK(info.st_mode) || isatty(STDIN_FILENO);
}

}  // namespace

int run_server(const ServerSettings& settings, EmulatorApp& app,
               const std::function<void(const std::string& url)>& on_listening,
               std::string& error) {
  net::io_context io(1);
  ssl::context tls(ssl::context::tls_server);
  beast::error_code ec;
  tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  tls.use_certificate_chain_file(settings.cert_path, ec);
  if (!ec) tls.use_private_key_file(settings.key_path, ssl::context::pem, ec);
  if (ec) {
    error =
        "TLS setup failed (" + settings.cert_path + ", " + settings.key_path + "): " + ec.message();
    return 2;
  }
  const std::string host = settings.host == "localhost" ? "127.0.0.1" : settings.host;
  const auto address = net::ip::make_address(host, ec);
  if (ec) {
    error = "invalid listen address '" + settings.host + "'";
    return 2;
  }
  tcp::acceptor acceptor(io);
  const tcp::endpoint endpoint(address, settings.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    error = "cannot listen on " + settings.host + ":" + std::to_string(settings.port) + ": " +
            ec.message();
    return 2;
  }

  net::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&io](const beast::error_code&, int) { io.stop(); });
  if (stdin_is_watchable()) {
    // Signals itself rather than touching `io`, which may be gone by the time EOF comes.
    std::thread([] {
      char sink[256];
      while (::read(STDIN_FILENO, sink, sizeof sink) > 0) {
      }
      ::kill(::getpid(), SIGTERM);
    }).detach();
  }
  net::co_spawn(io, accept_loop(acceptor, tls, app), [](const std::exception_ptr&) {});
  if (app.live_interval_ms() > 0) {
    net::co_spawn(io, live_loop(app), [](const std::exception_ptr&) {});
  }
  const auto bound = acceptor.local_endpoint();
  const std::string shown = bound.address().is_v6() ? "[" + bound.address().to_string() + "]"
                                                    : bound.address().to_string();
  on_listening("https://" + shown + ":" + std::to_string(bound.port()));
  io.run();
  return 0;
}

}  // namespace secfeed::emulator
