// `secfeed check`: the failure texts (what an operator reads) and the report formats.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "connector/app/check/check_report.hpp"
#include "connector/app/check/failure_text.hpp"
#include "connector/net/token_provider.hpp"

namespace secfeed::check {
namespace {

// The provider's error for an Entra answer, built by the real parser.
std::string provider_error(std::string_view body) {
  net::ClientCredentials credentials;
  credentials.tenant_id = "t1";
  credentials.client_id = "c1";
  credentials.client_secret = "s3cr3t";
  return "token request (tenant t1, client c1, scope https://graph.microsoft.com/.default) "
         "failed: " +
         net::parse_token_response(401, body, credentials).error;
}

TEST(CheckFailureText, EntraErrorBecomesCodeAndHint) {
  const std::string error = provider_error(
      R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.\r\nTrace ID: x","error_codes":[7000215],"trace_id":"x"})");
  EXPECT_EQ(describe_token_failure(error),
            "AADSTS7000215: the client secret is wrong: configure the secret's VALUE (not its "
            "ID) of this app");
}

TEST(CheckFailureText, UnknownClientHintMentionsConsent) {
  const std::string error = provider_error(
      R"({"error":"unauthorized_client","error_description":"AADSTS700016: Application with identifier 'c1' was not found in the directory 'Contoso'.","error_codes":[700016]})");
  EXPECT_EQ(describe_token_failure(error),
            "AADSTS700016: the application (client_id) is not known in this tenant: check "
            "client_id and tenant_id, and that an administrator of the tenant consented to the "
            "app");
}

TEST(CheckFailureText, EntraCodeWithoutHintKeepsEntrasFirstSentence) {
  const std::string error = provider_error(
      R"({"error":"invalid_request","error_description":"AADSTS50059: No tenant-identifying information found in either the request or implied by any provided credentials. Trace ID: y","error_codes":[50059]})");
  EXPECT_EQ(describe_token_failure(error),
            "AADSTS50059: No tenant-identifying information found in either the request or "
            "implied by any provided credentials");
}

TEST(CheckFailureText, TransportErrorsAreNamed) {
  EXPECT_EQ(describe_token_failure("token request (tenant t, client c, scope s) failed: dns error: "
                                   "Host not found (authoritative)"),
            "DNS error: Host not found (authoritative)");
  EXPECT_EQ(describe_token_failure("token request (tenant t, client c, scope s) failed: tls error: "
                                   "certificate verify failed"),
            "TLS error: certificate verify failed");
  net::HttpResult result;
  result.error = net::HttpError::connect;
  result.error_message = "Connection refused";
  EXPECT_EQ(describe_transport_failure(result), "connect error: Connection refused");
  result.error = net::HttpError::timeout;
  result.error_message = "no response within 3000 ms";
  EXPECT_EQ(describe_transport_failure(result), "timeout: no response within 3000 ms");
}

TEST(CheckFailureText, HttpStatusWithGraphErrorOrBodyExcerpt) {
  net::HttpResult result;
  result.status = 403;
  result.body = R"({"error":{"code":"Forbidden","message":"Missing application roles."}})";
  EXPECT_EQ(describe_http_status(result), "HTTP 403 Forbidden: Missing application roles.");
  result.status = 502;
  result.body = "<html>Bad gateway</html>\nmore";
  EXPECT_EQ(describe_http_status(result), "HTTP 502: <html>Bad gateway</html>");
  result.body.clear();
  EXPECT_EQ(describe_http_status(result), "HTTP 502");
}

std::string capture(const CheckReport& report, bool json) {
  char* data = nullptr;
  std::size_t size = 0;
  std::FILE* memory = open_memstream(&data, &size);
  json ? report.print_json(memory) : report.print_text(memory);
  std::fclose(memory);
  std::string text(data, size);
  std::free(data);
  return text;
}

CheckReport sample() {
  CheckReport report;
  report.add({"tenant contoso", "t1", CheckStatus::ok, "token"});
  report.add({"sink siem", "tcp://h:514", CheckStatus::fail, "connect error: refused \"x\""});
  report.add({"source off", "eventhub", CheckStatus::skipped, "disabled"});
  return report;
}

TEST(CheckReport, TextIsAlignedWithSummary) {
  EXPECT_EQ(capture(sample(), false),
            "COMPONENT       TARGET       RESULT   DETAIL\n"
            "tenant contoso  t1           ok       token\n"
            "sink siem       tcp://h:514  FAIL     connect error: refused \"x\"\n"
            "source off      eventhub     skipped  disabled\n"
            "3 checks: 1 ok, 1 failed, 1 skipped\n");
}

TEST(CheckReport, JsonListsEveryRow) {
  EXPECT_EQ(
      capture(sample(), true),
      R"({"ok":false,"checks":[{"component":"tenant contoso","target":"t1","result":"ok","detail":"token"},)"
      R"({"component":"sink siem","target":"tcp://h:514","result":"FAIL","detail":"connect error: refused \"x\""},)"
      R"({"component":"source off","target":"eventhub","result":"skipped","detail":"disabled"}]})"
      "\n");
}

TEST(CheckReport, SkippedRowsDoNotFail) {
  CheckReport report;
  EXPECT_TRUE(report.all_ok());
  report.add({"source off", "eventhub", CheckStatus::skipped, "disabled"});
  EXPECT_TRUE(report.all_ok());
  report.add({"sink x", "y", CheckStatus::fail, "z"});
  EXPECT_FALSE(report.all_ok());
}

}  // namespace
}  // namespace secfeed::check
