// `secfeed convert`: offline normalization of saved payloads, the quickest way to see
// what secfeed makes of an API response or an Event Hub message.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "connector/app/commands/commands.hpp"
#include "connector/core/arena.hpp"
#include "connector/normalize/normalizer.hpp"
#include "connector/normalize/payload_reader.hpp"
#include "sinks/encoders/encode.hpp"
#include "sinks/encoders/encoders.hpp"

namespace secfeed {
namespace {

bool read_input(const std::string& path, std::string& text, std::string& error) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    text = std::move(buffer).str();
    return true;
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    error = path + ": " + std::strerror(errno);
    return false;
  }
  std::ostringstream buffer;
  buffer << file.rdbuf();
  text = std::move(buffer).str();
  return true;
}

void report(std::FILE* err, const std::string& input, std::string_view position,
            std::string_view reason) {
  std::string line = "secfeed convert: ";
  line += input == "-" ? "<stdin>" : input;
  if (!position.empty()) {
    line += ": ";
    line += position;
  }
  line += ": ";
  line += reason;
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), err);
}

}  // namespace

int run_convert(const ConvertOptions& options, std::FILE* out, std::FILE* err) {
  std::optional<PayloadKind> forced_kind;
  if (options.kind != "auto") {
    forced_kind = payload_kind_from_string(options.kind);
    if (!forced_kind) {
      std::fprintf(err, "secfeed convert: unknown --kind '%s'\n", options.kind.c_str());
      return 1;
    }
  }
  const std::optional<OutputFormat> format = output_format_from_string(options.format);
  if (!format) {
    std::fprintf(err, "secfeed convert: unknown --format '%s' (cef, json, raw, ocsf or sentinel)\n",
                 options.format.c_str());
    return 1;
  }

  std::string text, error;
  if (!read_input(options.input, text, error)) {
    std::fprintf(err, "secfeed convert: %s\n", error.c_str());
    return 1;
  }

  Arena arena;
  EventBatch batch;
  std::string buffer;
  std::size_t items = 0, events = 0, rejected = 0;
  const auto flush = [&] {
    std::fwrite(buffer.data(), 1, buffer.size(), out);
    buffer.clear();
  };

  PayloadReader reader;
  reader.read(
      text,
      [&](const PayloadItem& item) {
        ++items;
        const std::optional<PayloadKind> kind =
            forced_kind ? forced_kind : detect_payload_kind(item.value, item.context);
        if (!kind) {
          ++rejected;
          report(err, options.input, item.position,
                 item.value.IsObject() ? "cannot detect the payload kind (use --kind)"
                                       : "expected a JSON object");
          return;
        }
        arena.reset();
        batch.clear();
        NormalizeContext ctx{arena, "convert", options.tenant_id, options.tenant_name,
                             item.raw_text};
        if (!normalize_item(*kind, item.value, ctx, batch, error)) {
          ++rejected;
          report(err, options.input, item.position, error);
          return;
        }
        for (const Event& event : batch) {
          encode_event(*format, event, buffer);
          buffer += '\n';
          ++events;
          // A daily secure score fans out into many events that share one record:
          // the raw form is the record, written once.
          if (*format == OutputFormat::raw) break;
        }
        if (buffer.size() > 256 * 1024) flush();
      },
      [&](const PayloadError& bad) {
        ++rejected;
        report(err, options.input, bad.position, bad.reason);
      });
  flush();
  std::fflush(out);
  std::fprintf(err, "secfeed convert: %zu items, %zu events written, %zu rejected\n", items, events,
               rejected);
  return rejected == 0 ? 0 : 2;
}

}  // namespace secfeed
