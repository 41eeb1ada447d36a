// HttpClient: the only translation unit that instantiates Beast's HTTP and SSL templates.
#include "connector/net/http_client.hpp"

#include <atomic>
#include <optional>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "connector/core/text.hpp"
#include "connector/net/connection_pool.hpp"
#include "connector/net/decompress.hpp"
#include "connector/net/http_response.hpp"

namespace secfeed::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

struct Connection final : PooledConnection {
  explicit Connection(const asio::any_io_executor& executor) : plain(std::in_place, executor) {}
  ~Connection() override {
    error_code ignored;
    lowest().socket().close(ignored);
  }
  beast::tcp_stream& lowest() { return tls ? tls->next_layer() : *plain; }

  std::optional<beast::tcp_stream> plain;  // until TLS takes the stream over
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
};

HttpResult failure(HttpError error, std::string message) {
  HttpResult result;
  result.error = error;
  result.error_message = std::move(message);
  return result;
}

bool is_ip_literal(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

bool is_reset(const error_code& ec) {
  return ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::connection_aborted || ec == asio::error::broken_pipe ||
         ec == asio::ssl::error::stream_truncated || ec == http::error::end_of_stream ||
         ec == http::error::partial_message;
}

// Transport error of an exchange on an established connection.
HttpResult classify(const error_code& ec, std::string_view what) {
  if (ec == beast::error::timeout)
    return failure(HttpError::timeout, std::string(what) + " timed out");
  if (ec == http::error::body_limit) {
    return failure(HttpError::body_too_large, "response body exceeds the configured limit");
  }
  if (is_reset(ec)) {
    return failure(HttpError::reset,
                   std::string(what) + ": connection closed by peer (" + ec.message() + ")");
  }
  return failure(HttpError::protocol, std::string(what) + ": " + ec.message());
}

struct Target {
  std::string host;
  std::uint16_t port;
};

}  // namespace

void configure_response_parser(ResponseParser& parser, std::size_t max_body_bytes,
                               bool head_request) {
  parser.body_limit(max_body_bytes);
  parser.header_limit(kMaxResponseHeaderBytes);
  if (head_request) parser.skip(true);
}

HttpResult to_http_result(const ResponseParser::value_type& response, std::size_t max_body_bytes) {
  HttpResult result;
  result.status = static_cast<int>(response.result_int());
  for (const auto& field : response) {
    result.headers.add(std::string(field.name_string()), std::string(field.value()));
  }
  const auto encoding = response[http::field::content_encoding];
  const auto status = decode_content({encoding.data(), encoding.size()}, response.body(),
                                     max_body_bytes, result.body);
  if (status == DecodeStatus::too_large) {
    return failure(HttpError::body_too_large, "decoded response body exceeds the limit");
  }
  if (status != DecodeStatus::ok) {
    return failure(HttpError::protocol,
                   "cannot decode Content-Encoding '" + std::string(encoding) + "'" +
                       (status == DecodeStatus::corrupt ? ": corrupt data" : ": unsupported"));
  }
  return result;
}

struct HttpClient::Impl {
  Impl(asio::any_io_executor executor_in, HttpClientOptions options_in)
      : executor(std::move(executor_in)),
        options(std::move(options_in)),
        tls_context(asio::ssl::context::tls_client),
        pool(executor, {options.max_connections_per_host, options.max_connections_total,
                        options.idle_timeout}) {}

  bool init_tls(std::string& error) {
    SSL_CTX_set_min_proto_version(tls_context.native_handle(), TLS1_2_VERSION);
    tls_context.set_options(asio::ssl::context::default_workarounds |
                            asio::ssl::context::no_compression);
    error_code ec;
    if (!options.ca_file.empty()) {
      tls_context.load_verify_file(options.ca_file, ec);
      if (ec) {
        error = "cannot load CA file '" + options.ca_file + "': " + ec.message();
        return false;
      }
    } else {
      tls_context.set_default_verify_paths(ec);
      if (ec) {
        error = "cannot load the system CA store: " + ec.message();
        return false;
      }
    }
    tls_context.set_verify_mode(options.insecure_skip_verify ? asio::ssl::verify_none
                                                             : asio::ssl::verify_peer);
    return true;
  }

  asio::awaitable<HttpResult> request(HttpRequest request);
  asio::awaitable<std::unique_ptr<Connection>> open(const HttpRequest& request,
                                                    const std::optional<ResolvedProxy>& proxy,
                                                    Clock::time_point deadline, HttpResult& error);
  asio::awaitable<bool> connect_tcp(Connection& connection, const Target& target,
                                    Clock::time_point deadline, HttpResult& error);
  asio::awaitable<bool> proxy_connect(Connection& connection, const Url& url,
                                      const ResolvedProxy& proxy, Clock::time_point deadline,
                                      HttpResult& error);
  asio::awaitable<bool> tls_handshake(Connection& connection, const std::string& host,
                                      Clock::time_point deadline, HttpResult& error);
  template <class Stream>
  asio::awaitable<HttpResult> exchange(Stream& stream, Connection& connection,
                                       const HttpRequest& request, bool absolute_target,
                                       Clock::time_point deadline, bool& keep_alive,
                                       bool& got_response_bytes);

  asio::any_io_executor executor;
  HttpClientOptions options;
  asio::ssl::context tls_context;
  ConnectionPool pool;
  std::atomic<std::size_t> connections_opened{0};
  std::atomic<std::size_t> requests{0};
};

asio::awaitable<bool> HttpClient::Impl::connect_tcp(Connection& connection, const Target& target,
                                                    Clock::time_point deadline, HttpResult& error) {
  tcp::resolver resolver(executor);
  asio::steady_timer timer(executor);
  timer.expires_at(std::min(deadline, Clock::now() + options.connect_timeout));
  const std::string port = std::to_string(target.port);
  auto resolved =
      co_await (resolver.async_resolve(target.host, port, kTuple) || timer.async_wait(kTuple));
  if (resolved.index() == 1) {
    error = failure(HttpError::timeout, "resolving " + target.host + " timed out");
    co_return false;
  }
  auto [resolve_ec, endpoints] = std::get<0>(std::move(resolved));
  if (resolve_ec) {
    error = failure(HttpError::dns, "cannot resolve " + target.host + ": " + resolve_ec.message());
    co_return false;
  }
  auto& stream = *connection.plain;
  stream.expires_at(std::min(deadline, Clock::now() + options.connect_timeout));
  auto [connect_ec, endpoint] = co_await stream.async_connect(endpoints, kTuple);
  if (connect_ec) {
    const bool timed_out = connect_ec == beast::error::timeout;
    error = failure(timed_out ? HttpError::timeout : HttpError::connect,
                    "connecting to " + target.host + ":" + std::to_string(target.port) +
                        (timed_out ? " timed out" : " failed: " + connect_ec.message()));
    co_return false;
  }
  ++connections_opened;
  error_code ignored;
  stream.socket().set_option(tcp::no_delay(true), ignored);
  co_return true;
}

asio::awaitable<bool> HttpClient::Impl::proxy_connect(Connection& connection, const Url& url,
                                                      const ResolvedProxy& proxy,
                                                      Clock::time_point deadline,
                                                      HttpResult& error) {
  auto& stream = *connection.plain;
  stream.expires_at(deadline);
  std::string head =
      "CONNECT " + url.authority() + " HTTP/1.1\r\nHost: " + url.authority() + "\r\n";
  if (!proxy.authorization.empty()) head += "Proxy-Authorization: " + proxy.authorization + "\r\n";
  head += "\r\n";
  auto [write_ec, written] = co_await asio::async_write(stream, asio::buffer(head), kTuple);
  (void)written;
  http::response_parser<http::empty_body> parser;
  parser.skip(true);  // a CONNECT answer has no body; the tunnel starts after the header
  error_code read_ec = write_ec;
  if (!read_ec) {
    auto [ec, read] = co_await http::async_read_header(stream, connection.buffer, parser, kTuple);
    (void)read;
    read_ec = ec;
  }
  const std::string where = "proxy " + proxy.url.authority();
  if (read_ec) {
    HttpResult cause = classify(read_ec, "CONNECT via " + where);
    error = failure(cause.error == HttpError::timeout ? HttpError::timeout : HttpError::proxy,
                    cause.error_message);
    co_return false;
  }
  const unsigned status = parser.get().result_int();
  if (status != 200) {
    error = failure(
        HttpError::proxy,
        where + " refused CONNECT to " + url.authority() + ": HTTP " + std::to_string(status) +
            (status == 407 ? (proxy.authorization.empty() ? " (proxy authentication required)"
                                                          : " (proxy credentials rejected)")
                           : ""));
    co_return false;
  }
  if (connection.buffer.size() != 0) {
    error = failure(HttpError::proxy, where + " sent data before the tunnel was established");
    co_return false;
  }
  co_return true;
}

asio::awaitable<bool> HttpClient::Impl::tls_handshake(Connection& connection,
                                                      const std::string& host,
                                                      Clock::time_point deadline,
                                                      HttpResult& error) {
  connection.tls.emplace(std::move(*connection.plain), tls_context);
  connection.plain.reset();
  auto& tls = *connection.tls;
  SSL* ssl = tls.native_handle();
  if (!is_ip_literal(host)) {
    SSL_set_tlsext_host_name(ssl, host.c_str());  // SNI
    SSL_set1_host(ssl, host.c_str());             // OpenSSL's own check, for a precise error text
  }
  if (!options.insecure_skip_verify) {
    tls.set_verify_callback(asio::ssl::host_name_verification(host));
  }
  tls.next_layer().expires_at(std::min(deadline, Clock::now() + options.handshake_timeout));
  auto [ec] = co_await tls.async_handshake(asio::ssl::stream_base::client, kTuple);
  if (ec) {
    if (ec == beast::error::timeout) {
      error = failure(HttpError::timeout, "TLS handshake with " + host + " timed out");
      co_return false;
    }
    std::string message = "TLS handshake with " + host + " failed: " + ec.message();
    const long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) {
      message += " (" + std::string(X509_verify_cert_error_string(verify)) + ")";
    }
    error = failure(is_reset(ec) ? HttpError::reset : HttpError::tls, std::move(message));
    co_return false;
  }
  co_return true;
}

asio::awaitable<std::unique_ptr<Connection>> HttpClient::Impl::open(
    const HttpRequest& request, const std::optional<ResolvedProxy>& proxy,
    Clock::time_point deadline, HttpResult& error) {
  auto connection = std::make_unique<Connection>(executor);
  const Url& url = request.url;
  const Target target =
      proxy ? Target{proxy->url.host, proxy->url.port} : Target{url.host, url.port};
  if (!co_await connect_tcp(*connection, target, deadline, error)) {
    if (proxy && error.error == HttpError::connect) error.error = HttpError::proxy;
    co_return nullptr;
  }
  if (proxy && url.is_https() &&
      !co_await proxy_connect(*connection, url, *proxy, deadline, error)) {
    co_return nullptr;
  }
  if (url.is_https() && !co_await tls_handshake(*connection, url.host, deadline, error)) {
    co_return nullptr;
  }
  co_return connection;
}

template <class Stream>
asio::awaitable<HttpResult> HttpClient::Impl::exchange(Stream& stream, Connection& connection,
                                                       const HttpRequest& request,
                                                       bool absolute_target,
                                                       Clock::time_point deadline, bool& keep_alive,
                                                       bool& got_response_bytes) {
  const Url& url = request.url;
  http::request<http::string_body> message;
  message.version(11);
  const auto verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) {
    message.method_string(request.method);
  } else {
    message.method(verb);
  }
  message.target(absolute_target ? url.to_string() : url.target);
  const bool default_port = url.port == (url.is_https() ? 443 : 80);
  message.set(http::field::host, default_port ? url.host : url.authority());
  message.set(http::field::user_agent, options.user_agent);
  message.set(http::field::accept_encoding, "gzip, deflate");
  for (const auto& [name, value] : request.headers.fields()) {
    if (iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
        iequals(name, "Host")) {
      continue;  // framing is ours
    }
    message.set(name, value);
  }
  message.body() = request.body;
  message.prepare_payload();

  connection.lowest().expires_at(deadline);
  auto [write_ec, written] = co_await http::async_write(stream, message, kTuple);
  (void)written;
  if (write_ec) co_return classify(write_ec, "sending the request");

  ResponseParser parser;
  configure_response_parser(parser, options.max_body_bytes, verb == http::verb::head);
  auto [read_ec, read] = co_await http::async_read(stream, connection.buffer, parser, kTuple);
  (void)read;
  got_response_bytes = parser.got_some();
  if (read_ec) co_return classify(read_ec, "reading the response");

  auto& response = parser.get();
  HttpResult result = to_http_result(response, options.max_body_bytes);
  if (result.transport_ok()) keep_alive = response.keep_alive();
  co_return result;
}

asio::awaitable<HttpResult> HttpClient::Impl::request(HttpRequest request) {
  ++requests;
  const auto deadline = Clock::now() + request.timeout.value_or(options.request_timeout);
  if (request.url.host.empty()) co_return failure(HttpError::protocol, "request without a URL");

  std::string proxy_error;
  const auto proxy = resolve_proxy(options.proxy, request.url, &proxy_error);
  if (!proxy_error.empty()) co_return failure(HttpError::proxy, proxy_error);
  const bool plain_via_proxy = proxy && !request.url.is_https();
  // Connections through different proxies (or credentials) are not interchangeable.
  std::string key = request.url.scheme + "://" + request.url.authority();
  if (proxy)
    key += " via " + proxy->url.authority() + "#" +
           std::to_string(std::hash<std::string>{}(proxy->authorization));

  // A reused keep-alive connection may have been closed by the server meanwhile: if it
  // fails before any response byte arrives, the request goes once more on a new one.
  for (int round = 0;; ++round) {
    asio::steady_timer queue_timer(executor);
    queue_timer.expires_at(deadline);
    auto acquired = co_await (pool.acquire(key) || queue_timer.async_wait(kTuple));
    if (acquired.index() == 1 || !std::get<0>(acquired).granted()) {
      co_return failure(HttpError::timeout,
                        "timed out waiting for a free connection to " + request.url.authority());
    }
    ConnectionPool::Lease lease = std::get<0>(std::move(acquired));
    if (lease.connection() == nullptr) {
      HttpResult error;
      auto connection = co_await open(request, proxy, deadline, error);
      if (!connection) co_return error;
      lease.adopt(std::move(connection));
    }
    auto& connection = static_cast<Connection&>(*lease.connection());
    bool keep_alive = false;
    bool got_response_bytes = false;
    // (No co_await inside ?: — GCC 12 miscompiles it, copying the result bitwise.)
    HttpResult result;
    if (connection.tls) {
      result = co_await exchange(*connection.tls, connection, request, false, deadline, keep_alive,
                                 got_response_bytes);
    } else {
      result = co_await exchange(*connection.plain, connection, request, plain_via_proxy, deadline,
                                 keep_alive, got_response_bytes);
    }
    if (result.error == HttpError::reset && lease.reused() && !got_response_bytes && round == 0) {
      continue;
    }
    if (result.transport_ok() && keep_alive) lease.keep_alive();
    co_return result;
  }
}

std::unique_ptr<HttpClient> HttpClient::create(asio::any_io_executor executor,
                                               HttpClientOptions options, std::string& error) {
  auto impl = std::make_shared<Impl>(std::move(executor), std::move(options));
  if (!impl->init_tls(error)) return nullptr;
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

HttpClient::HttpClient(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

asio::awaitable<HttpResult> HttpClient::request(HttpRequest request) {
  auto impl = impl_;  // keeps the pool and TLS context alive for the whole request
  co_return co_await impl->request(std::move(request));
}

HttpClientStats HttpClient::stats() const {
  return {impl_->connections_opened.load(), impl_->requests.load()};
}

asio::any_io_executor HttpClient::executor() const {
  return impl_->executor;
}

}  // namespace secfeed::net
