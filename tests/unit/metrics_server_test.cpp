#include "connector/app/metrics_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "connector/core/health.hpp"
#include "connector/core/metrics.hpp"

namespace secfeed {
namespace {

// Restores the process-wide registries this test writes to.
struct GlobalsReset {
  ~GlobalsReset() {
    HealthRegistry::global().clear();
    metrics::Registry::global().remove_callbacks(this);
  }
};

TEST(MetricsRouting, MetricsIsPrometheusText) {
  GlobalsReset reset;
  metrics::Registry::global().gauge_callback(
      "secfeed_test_routing_gauge", "Test.", {}, [] { return 42.0; }, &reset);
  const MetricsResponse response = handle_metrics_request("GET", "/metrics");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/plain; version=0.0.4");
  EXPECT_NE(response.body.find("# TYPE secfeed_test_routing_gauge gauge\n"
                               "secfeed_test_routing_gauge 42\n"),
            std::string::npos);
}

TEST(MetricsRouting, HealthzReadyzAndErrors) {
  GlobalsReset reset;
  HealthRegistry::global().clear();
  const MetricsResponse healthz = handle_metrics_request("GET", "/healthz");
  EXPECT_EQ(healthz.status, 200);
  EXPECT_EQ(healthz.body, "ok\n");

  HealthRegistry::global().set("sink", "siem", "", false, "3 failed delivery attempts");
  MetricsResponse readyz = handle_metrics_request("GET", "/readyz?verbose");
  EXPECT_EQ(readyz.status, 503);
  EXPECT_EQ(readyz.content_type, "application/json");
  EXPECT_TRUE(readyz.body.starts_with(
      "{\"ready\":false,\"components\":[{\"kind\":\"sink\",\"name\":\"siem\",\"tenant\":\"\","
      "\"ready\":false,\"detail\":\"3 failed delivery attempts\",\"since_ms\":"))
      << readyz.body;
  HealthRegistry::global().set("sink", "siem", "", true, "delivered 1");
  readyz = handle_metrics_request("HEAD", "/readyz");
  EXPECT_EQ(readyz.status, 200);

  EXPECT_EQ(handle_metrics_request("GET", "/").status, 404);
  EXPECT_EQ(handle_metrics_request("GET", "/metricsx").status, 404);
  EXPECT_EQ(handle_metrics_request("POST", "/metrics").status, 405);
  EXPECT_EQ(handle_metrics_request("DELETE", "/nothing").status, 404);
}

// A real server on a loopback port, spoken to with plain sockets.
class MetricsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    server_ = MetricsServer::start(io_.get_executor(), "127.0.0.1:0", error);
    ASSERT_TRUE(server_) << error;
    const std::string& url = server_->url();
    ASSERT_TRUE(url.starts_with("http://127.0.0.1:")) << url;
    port_ = static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
    ASSERT_NE(port_, 0);
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    boost::asio::post(io_, [this] { server_.reset(); });
    work_.reset();
    thread_.join();
    HealthRegistry::global().clear();
  }

  int connect_client() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port_);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    return fd;
  }

  // Sends `request` and reads until the server closes the connection.
  std::string exchange(const std::string& request) {
    const int fd = connect_client();
    EXPECT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(request.size()));
    std::string response;
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) response.append(buffer, n);
    ::close(fd);
    return response;
  }

  boost::asio::io_context io_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  std::unique_ptr<MetricsServer> server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

TEST_F(MetricsServerTest, ServesHealthzWithExactHeaders) {
  EXPECT_EQ(exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Cache-Control: no-store\r\n"
            "Connection: close\r\n"
            "Content-Length: 3\r\n"
            "\r\n"
            "ok\n");
}

TEST_F(MetricsServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  const std::string response = exchange(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
      "HEAD /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(response.find("HTTP/1.1 200 OK\r\n"), std::string::npos);
  EXPECT_NE(response.find("HTTP/1.1 404 Not Found\r\n"), std::string::npos);
  // HEAD: the GET body's length, no body ("{"ready":true,"components":[]}" is 30 bytes).
  EXPECT_TRUE(response.ends_with("Content-Length: 30\r\n\r\n")) << response;
}

TEST_F(MetricsServerTest, OversizedRequestsAreRefused) {
  const std::string huge_header =
      "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n";
  EXPECT_TRUE(exchange(huge_header).starts_with("HTTP/1.1 431 ")) << exchange(huge_header);
  EXPECT_TRUE(exchange("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
                  .starts_with("HTTP/1.1 413 "));
}

TEST_F(MetricsServerTest, ConnectionsBeyondTheLimitAreClosedAtOnce) {
  std::vector<int> idle;
  for (std::size_t i = 0; i < MetricsServer::kMaxConnections; ++i) idle.push_back(connect_client());
  // Accepted in order: the idle ones hold every slot, so this one is closed unanswered.
  EXPECT_EQ(exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), "");
  for (int fd : idle) ::close(fd);
  // The server notices the closed connections asynchronously; then slots are free again.
  std::string answer;
  for (int attempt = 0; attempt < 200 && answer.empty(); ++attempt) {
    answer = exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    if (answer.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200 OK\r\n")) << answer;
}

TEST_F(MetricsServerTest, GarbageIsClosedWithoutAnswer) {
  EXPECT_EQ(exchange("\x16\x03\x01 not http at all\r\n\r\n"), "");
}

TEST(MetricsServerStart, BadListenAddressesAreReported) {
  boost::asio::io_context io;
  std::string error;
  EXPECT_FALSE(MetricsServer::start(io.get_executor(), "example.com:9464", error));
  EXPECT_EQ(error,
            "metrics: cannot listen on example.com:9464: expected an IP address (or localhost), "
            "got \"example.com\"");
  EXPECT_FALSE(MetricsServer::start(io.get_executor(), "127.0.0.1:99999", error));
  EXPECT_EQ(error, "metrics: cannot listen on 127.0.0.1:99999: invalid port \"99999\"");
  EXPECT_FALSE(MetricsServer::start(io.get_executor(), "nocolon", error));
  EXPECT_EQ(error, "metrics: cannot listen on nocolon: expected host:port, got \"nocolon\"");

  auto first = MetricsServer::start(io.get_executor(), "127.0.0.1:0", error);
  ASSERT_TRUE(first) << error;
  const std::string taken = first->url().substr(std::string("http://").size());
  EXPECT_FALSE(MetricsServer::start(io.get_executor(), taken, error));
  EXPECT_EQ(error, "metrics: cannot listen on " + taken + ": Address already in use");
  first.reset();  // the port is free again at once
  EXPECT_TRUE(MetricsServer::start(io.get_executor(), taken, error)) << error;
}

TEST(MetricsServerStart, Ipv6LoopbackUrlHasBrackets) {
  boost::asio::io_context io;
  std::string error;
  auto server = MetricsServer::start(io.get_executor(), "[::1]:0", error);
  if (!server) GTEST_SKIP() << "no IPv6 loopback here: " << error;
  EXPECT_TRUE(server->url().starts_with("http://[::1]:")) << server->url();
}

}  // namespace
}  // namespace secfeed
