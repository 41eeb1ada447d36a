// Regression (tests/fuzz/fuzz_http_response): invalid UTF-8 whose lead byte is the last
// byte of the payload made rapidjson's validating parse read past the end of
// PayloadReader's buffer (a heap-buffer-overflow under ASan). Now it is an ordinary
// parse error.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "connector/normalize/payload_reader.hpp"

namespace secfeed {
namespace {

std::vector<std::string> errors_of(std::string_view text) {
  std::vector<std::string> errors;
  PayloadReader reader;  // fresh: its buffer is exactly as large as the text needs
  reader.read(
      text, [](const PayloadItem&) {},
      [&](const PayloadError& error) { errors.push_back(error.reason); });
  return errors;
}

TEST(PayloadReaderUtf8Tail, LeadByteLastIsAnEncodingErrorNotAnOverRead) {
  for (const char lead : {'\xC3', '\xE1', '\xF0'}) {
    const std::string text = std::string("{\"value\":[],\"e\":\"") + lead;
    EXPECT_EQ(errors_of(text),
              std::vector<std::string>{"invalid JSON at offset 17: Invalid encoding in string."})
        << static_cast<int>(static_cast<unsigned char>(lead));
  }
}

TEST(PayloadReaderUtf8Tail, FuzzerFoundTokenErrorBody) {
  std::ifstream file(
      std::string(SECFEED_SOURCE_DIR) +
          "/tests/fuzz/corpus/fuzz_http_response/regression_utf8_lead_byte_last.http",
      std::ios::binary);
  ASSERT_TRUE(file.good());
  std::stringstream bytes;
  bytes << file.rdbuf();
  const std::string response = bytes.str();
  const std::size_t body = response.find("\r\n\r\n");
  ASSERT_NE(body, std::string::npos);
  // Content-Length 214 ends the body right after the lead byte 0xE1 (in "tr\xE1ce_id").
  const std::string text = response.substr(body + 4, 214);
  EXPECT_EQ(errors_of(text),
            std::vector<std::string>{"invalid JSON at offset 213: Invalid encoding in string."});
}

}  // namespace
}  // namespace secfeed
