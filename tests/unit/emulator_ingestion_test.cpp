// The emulator's Logs Ingestion checks (limits, gzip, column validation) and JWT parsing
// of hostile input.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "tests/emulators/gzip.hpp"
#include "tests/emulators/jwt_verify.hpp"
#include "tests/emulators/logs_ingestion.hpp"

namespace secfeed::emulator {
namespace {

std::string gzip(const std::string& text) {
  z_stream stream{};
  deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, text.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

class EmulatorIngestion : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("emulator_streams_" +
             std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ".json");
    std::ofstream(path_) << R"({"properties":{"streamDeclarations":{"Custom-T":{"columns":[
        {"name":"TimeGenerated","type":"datetime"},{"name":"N","type":"int"},
        {"name":"Extra","type":"dynamic"}]}}}})";
    ASSERT_FALSE(ingestion_.load_streams(path_.string()).has_value());
  }
  void TearDown() override { std::filesystem::remove(path_); }

  Response post(std::string body, bool gzipped = false) {
    Request request;
    request.method = "POST";
    request.query = {{"api-version", "2023-01-01"}};
    request.headers = {{"Content-Type", "application/json"}};
    if (gzipped) request.headers.emplace_back("Content-Encoding", "gzip");
    request.body = std::move(body);
    Response response;
    ingestion_.handle(request, "dcr-1", "Custom-T", response);
    return response;
  }

  std::filesystem::path path_;
  LogsIngestion ingestion_;
};

TEST_F(EmulatorIngestion, AcceptsMatchingRowsGzippedOrNot) {
  EXPECT_EQ(post(R"([{"TimeGenerated":"2024-01-01T00:00:00Z","N":1,"Extra":{"a":[1]}}])").status,
            204);
  EXPECT_EQ(
      post(gzip(R"([{"N":null},{"TimeGenerated":"2024-01-01T00:00:00.1234567Z"}])"), true).status,
      204);
  EXPECT_EQ(ingestion_.accepted_rows("Custom-T"), 3);
}

TEST_F(EmulatorIngestion, RejectsWithMessagesNamingRowAndColumn) {
  Response bad_type = post(R"([{"N":1},{"N":2.5}])");
  EXPECT_EQ(bad_type.status, 400);
  EXPECT_NE(bad_type.body.find("Row 1: column 'N' must be of type 'int' but is a JSON number."),
            std::string::npos)
      << bad_type.body;
  Response bad_time = post(R"([{"TimeGenerated":"yesterday"}])");
  EXPECT_NE(bad_time.body.find("Row 0: column 'TimeGenerated' must be of type 'datetime'"),
            std::string::npos)
      << bad_time.body;
  EXPECT_EQ(post(R"({"N":1})").status, 400);
  EXPECT_EQ(post("[1]").status, 400);
  EXPECT_EQ(post("not gzip", true).status, 400);
  // Deep nesting is refused before the (recursive) parser sees it.
  EXPECT_EQ(
      post("[{\"Extra\":" + std::string(500'000, '[') + std::string(500'000, ']') + "}]").status,
      400);
  EXPECT_EQ(ingestion_.accepted_rows("Custom-T"), 0);
}

TEST_F(EmulatorIngestion, OneMebibyteUncompressedIsTheLimit) {
  const auto array_of_size = [](std::size_t size) {
    return "[{\"Extra\":\"" + std::string(size - 14, 'x') + "\"}]";
  };
  EXPECT_EQ(array_of_size(100).size(), 100u);
  EXPECT_EQ(post(array_of_size(kMaxIngestionBodyBytes)).status, 204);
  EXPECT_EQ(post(array_of_size(kMaxIngestionBodyBytes + 1)).status, 413);
  EXPECT_EQ(post(gzip(array_of_size(kMaxIngestionBodyBytes + 1)), true).status, 413);
  std::string out;
  EXPECT_EQ(gunzip(gzip("hello"), 5, out), InflateResult::ok);
  EXPECT_EQ(out, "hello");
  EXPECT_EQ(gunzip(gzip("hello"), 4, out), InflateResult::too_large);
  EXPECT_EQ(gunzip(gzip("hello").substr(0, 10), 100, out), InflateResult::corrupt);
}

TEST(EmulatorJwt, MalformedAssertionsAreRejectedNotCrashed) {
  AssertionCheck check;
  check.client_id = "app";
  for (const char* jwt : {"", "a", "a.b", "a.b.c.d", "!.!.!", "bnVsbA.bnVsbA.AA"}) {
    const auto error = verify_client_assertion(jwt, check);
    ASSERT_TRUE(error.has_value()) << jwt;
    EXPECT_EQ(error->aadsts_code, 50027) << jwt;
  }
  // {"alg":"none"}
  const auto none = verify_client_assertion("eyJhbGciOiJub25lIn0.e30.", check);
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->aadsts_code, 5002738);
  // {"alg":"RS256"} without a registered certificate.
  const auto no_cert = verify_client_assertion("eyJhbGciOiJSUzI1NiJ9.e30.AA", check);
  ASSERT_TRUE(no_cert.has_value());
  EXPECT_EQ(no_cert->aadsts_code, 700027);
}

}  // namespace
}  // namespace secfeed::emulator
