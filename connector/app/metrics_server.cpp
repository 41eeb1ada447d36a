// The only translation unit of the metrics endpoint with Beast templates (Asio/Beast
// themselves are compiled once in connector/net/asio_impl.cpp).
#include "connector/app/metrics_server.hpp"

#include <chrono>
#include <exception>
#include <set>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "connector/core/health.hpp"
#include "connector/core/metrics.hpp"

namespace secfeed {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::uint32_t kMaxHeaderBytes = 8 * 1024;
// Prometheus scrapes every 15-60 s over one keep-alive connection: an idle connection
// longer than this is closed (the scraper reconnects).
constexpr auto kReadTimeout = 30s;
constexpr auto kWriteTimeout = 10s;

constexpr std::string_view kPrometheusContentType = "text/plain; version=0.0.4";

// "host:port" / "[v6]:port" -> endpoint; false with a reason.
bool parse_listen(const std::string& listen, tcp::endpoint& endpoint, std::string& error) {
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size()) {
    error = "expected host:port, got \"" + listen + "\"";
    return false;
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") host = "127.0.0.1";
  if (host.empty()) host = "0.0.0.0";
  unsigned long port = 0;
  const std::string port_text = listen.substr(colon + 1);
  if (port_text.find_first_not_of("0123456789") != std::string::npos || port_text.size() > 5 ||
      (port = std::stoul(port_text)) > 65535) {
    error = "invalid port \"" + port_text + "\"";
    return false;
  }
  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) {
    error = "expected an IP address (or localhost), got \"" + host + "\"";
    return false;
  }
  endpoint = tcp::endpoint(address, static_cast<std::uint16_t>(port));
  return true;
}

}  // namespace

MetricsResponse handle_metrics_request(std::string_view method, std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  if (path != "/metrics" && path != "/healthz" && path != "/readyz") {
    return {404, "text/plain; charset=utf-8", "not found; try /metrics, /healthz or /readyz\n"};
  }
  if (method != "GET" && method != "HEAD") {
    return {405, "text/plain; charset=utf-8", "method not allowed\n"};
  }
  if (path == "/metrics") {
    return {200, std::string(kPrometheusContentType), metrics::Registry::global().render()};
  }
  if (path == "/healthz") return {200, "text/plain; charset=utf-8", "ok\n"};
  HealthRegistry& health = HealthRegistry::global();
  // Rendered once: "ready" in the body and the status come from the same snapshot.
  std::string body = health.render_json();
  const bool ready = body.starts_with("{\"ready\":true");
  return {ready ? 200 : 503, "application/json", std::move(body)};
}

struct MetricsServer::Impl {
  explicit Impl(asio::any_io_executor executor) : acceptor(executor) {}

  void stop() {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    // Close every connection now, so the port and descriptors are free when the
    // daemon re-executes itself on SIGHUP.
    for (beast::tcp_stream* stream : std::set<beast::tcp_stream*>(connections)) {
      stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream->socket().close(ignored);
    }
  }

  tcp::acceptor acceptor;
  std::string url;
  std::set<beast::tcp_stream*> connections;
  // Counted from accept (a spawned connection registers itself only once it runs).
  std::size_t active = 0;
};

namespace {

http::response<http::string_body> to_message(MetricsResponse response, bool head, unsigned version,
                                             bool keep_alive) {
  http::response<http::string_body> message{static_cast<http::status>(response.status), version};
  message.set(http::field::content_type, response.content_type);
  message.set(http::field::cache_control, "no-store");
  if (response.status == 405) message.set(http::field::allow, "GET, HEAD");
  message.keep_alive(keep_alive);
  message.body() = std::move(response.body);
  message.prepare_payload();
  if (head) message.body().clear();  // Content-Length stays that of the GET body
  return message;
}

asio::awaitable<void> serve_connection(std::shared_ptr<MetricsServer::Impl> server,
                                       beast::tcp_stream stream) {
  server->connections.insert(&stream);
  struct Unregister {
    MetricsServer::Impl& server;
    beast::tcp_stream* stream;
    ~Unregister() {
      server.connections.erase(stream);
      --server.active;
    }
  } unregister{*server, &stream};

  beast::flat_buffer buffer(kMaxHeaderBytes);  // also the bound of one request
  for (;;) {
    http::request_parser<http::empty_body> parser;
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(0);
    stream.expires_after(kReadTimeout);
    auto [read_error, read_bytes] = co_await http::async_read(stream, buffer, parser, kNoThrow);
    const bool body_too_large = read_error == http::error::body_limit;
    const bool too_large = body_too_large || read_error == http::error::header_limit ||
                           read_error == http::error::buffer_overflow;
    if (read_error && !too_large) break;  // closed, timed out or not HTTP: just close
    MetricsResponse response;
    bool head = false, keep_alive = false;
    unsigned version = 11;
    if (too_large) {
      response = {body_too_large ? 413 : 431, "text/plain; charset=utf-8", "request too large\n"};
    } else {
      const auto& request = parser.get();
      head = request.method() == http::verb::head;
      keep_alive = request.keep_alive();
      version = request.version();
      response = handle_metrics_request(request.method_string(), request.target());
    }
    auto message = to_message(std::move(response), head, version, keep_alive);
    stream.expires_after(kWriteTimeout);
    auto [write_error, written] = co_await http::async_write(stream, message, kNoThrow);
    if (write_error || !keep_alive) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> accept_loop(std::shared_ptr<MetricsServer::Impl> server) {
  for (;;) {
    auto [ec, socket] = co_await server->acceptor.async_accept(kNoThrow);
    if (!server->acceptor.is_open()) co_return;
    if (ec) continue;  // e.g. EMFILE: try again with the next connection
    if (server->active >= MetricsServer::kMaxConnections) {
      boost::system::error_code ignored;
      socket.close(ignored);  // a scraper needs one connection; this bounds the rest
      continue;
    }
    ++server->active;
    asio::co_spawn(server->acceptor.get_executor(),
                   serve_connection(server, beast::tcp_stream(std::move(socket))),
                   [](const std::exception_ptr&) {});  // one bad connection never stops the server
  }
}

}  // namespace

std::unique_ptr<MetricsServer> MetricsServer::start(asio::any_io_executor executor,
                                                    const std::string& listen, std::string& error) {
  tcp::endpoint endpoint;
  if (!parse_listen(listen, endpoint, error)) {
    error = "metrics: cannot listen on " + listen + ": " + error;
    return nullptr;
  }
  auto impl = std::make_shared<Impl>(executor);
  boost::system::error_code ec;
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error = "metrics: cannot listen on " + listen + ": " + ec.message();
    return nullptr;
  }
  const tcp::endpoint bound = impl->acceptor.local_endpoint(ec);
  const std::string host = bound.address().is_v6() ? "[" + bound.address().to_string() + "]"
                                                   : bound.address().to_string();
  impl->url = "http://" + host + ":" + std::to_string(bound.port());
  asio::co_spawn(executor, accept_loop(impl), [](const std::exception_ptr&) {});
  return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(impl)));
}

MetricsServer::MetricsServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

MetricsServer::~MetricsServer() {
  impl_->stop();
}

const std::string& MetricsServer::url() const {
  return impl_->url;
}

}  // namespace secfeed
