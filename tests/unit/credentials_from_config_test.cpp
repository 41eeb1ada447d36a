#include "connector/net/credentials_from_config.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace secfeed::net {
namespace {

class FakeProvider : public TokenProvider {
 public:
  boost::asio::awaitable<TokenResult> token() override {
    ++calls;
    TokenResult result;
    result.access_token = "token-" + std::to_string(calls);
    result.valid_for = std::chrono::seconds(3000);
    co_return result;
  }
  void invalidate(std::string_view) override {}
  std::atomic<int> calls{0};
};

TEST(BlockingTokenFunction, FetchesOnTheIoThreadForACallerOutsideIt) {
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  std::thread io_thread([&] { io.run(); });
  FakeProvider provider;
  auto fetch = blocking_token_function(io.get_executor(), provider, std::chrono::seconds(10));
  const TokenResult first = fetch();  // from this (non-io) thread, like librdkafka's
  const TokenResult second = fetch();
  guard.reset();
  io.stop();
  io_thread.join();
  EXPECT_EQ(first.access_token, "token-1");
  EXPECT_EQ(second.access_token, "token-2");
  EXPECT_EQ(first.valid_for, std::chrono::seconds(3000));
}

TEST(BlockingTokenFunction, TimesOutWhenTheIoContextDoesNotRun) {
  boost::asio::io_context io;  // never run
  FakeProvider provider;
  auto fetch = blocking_token_function(io.get_executor(), provider, std::chrono::milliseconds(50));
  const TokenResult result = fetch();
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error, "timed out waiting for a Microsoft Entra ID token");
}

// A token request that never completes (an unresponsive token endpoint).
class HangingProvider : public TokenProvider {
 public:
  boost::asio::awaitable<TokenResult> token() override {
    ++calls;
    boost::asio::steady_timer forever(co_await boost::asio::this_coro::executor,
                                      std::chrono::hours(1));
    co_await forever.async_wait(boost::asio::use_awaitable);
    co_return TokenResult{};
  }
  void invalidate(std::string_view) override {}
  std::atomic<int> calls{0};
};

TEST(BlockingTokenFunction, StopsWaitingWhenTheIoContextStops) {
  // At shutdown the daemon stops its io_context, then destroys the Kafka clients, whose
  // rd_kafka_destroy() waits for a refresh callback in progress: that callback must not
  // wait out its whole timeout for a token that can no longer come.
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  std::thread io_thread([&] { io.run(); });
  HangingProvider provider;
  auto fetch = blocking_token_function(io.get_executor(), provider, std::chrono::hours(1));
  auto pending = std::async(std::launch::async, fetch);
  while (provider.calls.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  io.stop();
  io_thread.join();
  ASSERT_EQ(pending.wait_for(std::chrono::seconds(30)), std::future_status::ready)
      << "still waiting for a token after the io_context stopped";
  const TokenResult result = pending.get();
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error, "stopping: no Microsoft Entra ID token will be fetched");
}

TEST(ClientCredentialsFromConfig, SecretAndCertificateTenants) {
  TenantConfig secret;
  secret.id = "00000000-0000-0000-0000-000000000001";
  secret.client_id = "11111111-1111-1111-1111-111111111111";
  secret.client_secret = Secret("s3cret");
  secret.login_url = "https://127.0.0.1:8443";
  const ClientCredentials a = client_credentials(secret);
  EXPECT_EQ(a.tenant_id, secret.id);
  EXPECT_EQ(a.client_secret, "s3cret");
  EXPECT_EQ(a.authority_override, "https://127.0.0.1:8443");
  EXPECT_EQ(token_endpoint(a),
            "https://127.0.0.1:8443/00000000-0000-0000-0000-000000000001/oauth2/v2.0/token");

  TenantConfig cert = secret;
  cert.credential = CredentialKind::certificate;
  cert.login_url.clear();
  cert.cloud = Cloud::usgov;
  cert.certificate.cert_file = "/etc/secfeed/app.pem";
  cert.certificate.key_file = "/etc/secfeed/app.key";
  cert.certificate.key_password = Secret("kp");
  cert.certificate.algorithm = secfeed::JwtAlgorithm::rs256;
  const ClientCredentials b = client_credentials(cert);
  EXPECT_TRUE(b.client_secret.empty());
  EXPECT_EQ(b.certificate.cert_file, "/etc/secfeed/app.pem");
  EXPECT_EQ(b.certificate.password, "kp");
  EXPECT_EQ(b.certificate.algorithm, JwtAlgorithm::rs256);
  EXPECT_EQ(
      token_endpoint(b),
      "https://login.microsoftonline.us/00000000-0000-0000-0000-000000000001/oauth2/v2.0/token");
}

}  // namespace
}  // namespace secfeed::net
