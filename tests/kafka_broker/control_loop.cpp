#include "tests/kafka_broker/control_loop.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <list>
#include <string_view>
#include <utility>
#include <vector>

namespace secfeed::testkafka {
namespace {

// Longer lines are answered with an error and skipped, so a stray binary stream cannot
// grow the buffer without bound.
constexpr std::size_t kMaxLineBytes = 64 * 1024;
// poll(2) wakes at least this often to serve the owning handle's event queue.
constexpr int kPollIntervalMs = 500;

enum class InputState { kOpen, kClosed, kQuit };

// One command stream: where lines come from and where their replies go.
class CommandStream {
 public:
  CommandStream(int in_fd, int out_fd, bool owns_fd)
      : in_fd_(in_fd), out_fd_(out_fd), owns_fd_(owns_fd) {}
  CommandStream(const CommandStream&) = delete;
  CommandStream& operator=(const CommandStream&) = delete;
  ~CommandStream() {
    if (owns_fd_) ::close(in_fd_);
  }

  int fd() const { return in_fd_; }

  // Reads what is available and runs every complete line.
  InputState serve(MockCluster& cluster) {
    char chunk[4096];
    const ssize_t n = ::read(in_fd_, chunk, sizeof chunk);
    if (n < 0) return (errno == EINTR || errno == EAGAIN) ? InputState::kOpen : InputState::kClosed;
    if (n == 0) {
      // A last command without its newline still counts.
      const bool quit = !pending_.empty() && !discarding_ && run(cluster, pending_);
      pending_.clear();
      return quit ? InputState::kQuit : InputState::kClosed;
    }
    pending_.append(chunk, static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (std::size_t eol; (eol = pending_.find('\n', start)) != std::string::npos;
         start = eol + 1) {
      const std::string_view line(pending_.data() + start, eol - start);
      if (discarding_) {
        discarding_ = false;  // The tail of the over-long line ends here.
        continue;
      }
      if (run(cluster, line)) return InputState::kQuit;
    }
    pending_.erase(0, start);
    if (pending_.size() > kMaxLineBytes) {
      if (!discarding_) reply("error line longer than 65536 bytes");
      pending_.clear();
      discarding_ = true;
    }
    return InputState::kOpen;
  }

 private:
  // Returns true when the command was `quit`.
  bool run(MockCluster& cluster, std::string_view line) {
    const CommandReply result = cluster.execute(line);
    if (!result.line.empty()) reply(result.line);
    return result.quit;
  }

  void reply(std::string_view text) {
    std::string out(text);
    out.push_back('\n');
    std::string_view rest = out;
    while (!rest.empty()) {
      // MSG_NOSIGNAL would need a socket; SIGPIPE is ignored by the broker instead.
      const ssize_t n = ::write(out_fd_, rest.data(), rest.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // The reader went away; nothing left to tell it.
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  int in_fd_;
  int out_fd_;
  bool owns_fd_;
  std::string pending_;
  bool discarding_ = false;
};

}  // namespace

ControlListener ControlListener::open(uint16_t port, std::string* error) {
  ControlListener listener;
  listener.fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener.fd_ < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return listener;
  }
  const int one = 1;
  ::setsockopt(listener.fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(listener.fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener.fd_, 16) != 0 ||
      ::getsockname(listener.fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    *error = "control port " + std::to_string(port) + ": " + std::strerror(errno);
    return ControlListener();  // `listener` closes its socket.
  }
  listener.port_ = ntohs(address.sin_port);
  return listener;
}

ControlListener::ControlListener(ControlListener&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), port_(other.port_) {}

ControlListener& ControlListener::operator=(ControlListener&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    port_ = other.port_;
  }
  return *this;
}

ControlListener::~ControlListener() {
  if (fd_ >= 0) ::close(fd_);
}

int run_control_loop(MockCluster& cluster, const ControlLoopOptions& options) {
  CommandStream console(STDIN_FILENO, STDOUT_FILENO, /*owns_fd=*/false);
  std::list<CommandStream> clients;  // Stable addresses while the loop erases.
  std::vector<pollfd> fds;
  while (true) {
    fds.clear();
    if (options.signal_fd >= 0) fds.push_back({options.signal_fd, POLLIN, 0});
    if (options.read_stdin) fds.push_back({console.fd(), POLLIN, 0});
    if (options.listener != nullptr) fds.push_back({options.listener->fd(), POLLIN, 0});
    for (const CommandStream& client : clients) fds.push_back({client.fd(), POLLIN, 0});

    if (::poll(fds.data(), fds.size(), kPollIntervalMs) < 0) {
      if (errno == EINTR) continue;
      std::perror("secfeed-kafka-broker: poll");
      return 1;
    }
    cluster.poll_events();

    std::size_t index = 0;
    constexpr short kReadable = POLLIN | POLLHUP | POLLERR;
    if (options.signal_fd >= 0 && (fds[index++].revents & kReadable) != 0) {
      signalfd_siginfo info{};
      if (::read(options.signal_fd, &info, sizeof info) > 0) {
        std::fprintf(stderr, "secfeed-kafka-broker: signal %u, stopping\n", info.ssi_signo);
      }
      return 0;
    }
    if (options.read_stdin && (fds[index++].revents & kReadable) != 0) {
      if (console.serve(cluster) != InputState::kOpen) return 0;
    }
    if (options.listener != nullptr && (fds[index++].revents & kReadable) != 0) {
      const int client = ::accept4(options.listener->fd(), nullptr, nullptr, SOCK_CLOEXEC);
      // The new client joins the poll set on the next round.
      if (client >= 0) clients.emplace_back(client, client, /*owns_fd=*/true);
    }
    // `clients` may have grown above; only the ones polled this round have an entry.
    auto client = clients.begin();
    for (; index < fds.size(); ++index) {
      const auto current = client++;
      if ((fds[index].revents & kReadable) == 0) continue;
      const InputState state = current->serve(cluster);
      if (state == InputState::kQuit) return 0;
      if (state == InputState::kClosed) clients.erase(current);
    }
  }
}

}  // namespace secfeed::testkafka
