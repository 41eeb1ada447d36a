// HTTPS transport: TLS 1.2+ listener and HTTP/1.1 sessions (Boost.Beast, C++20
// coroutines, one io_context thread). The only translation unit with Beast templates.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace secfeed::emulator {

class EmulatorApp;

struct ServerSettings {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port
  std::string cert_path;   // PEM chain
  std::string key_path;    // PEM private key
};

// Serves until SIGTERM/SIGINT or EOF on stdin (when stdin is a pipe or terminal).
// `on_listening` receives the bound URL (https://host:port) once accepting. Returns the
// process exit code; `error` says why on failure.
int run_server(const ServerSettings& settings, EmulatorApp& app,
               const std::function<void(const std::string& url)>& on_listening, std::string& error);

}  // namespace secfeed::emulator
