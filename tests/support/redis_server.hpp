#pragma once

// A real redis-server for one test: its own temporary directory and unix socket (and a loopback
// TCP port when asked), no persistence. Killed, with its directory removed, when the object goes
// away; killed by the kernel if the test process dies first (PR_SET_PDEATHSIG).

#include <arpa/inet.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace lbrec::testing {

struct RedisServerOptions {
  bool tcp = false;         // also listen on 127.0.0.1:<a free port>
  std::string requirepass;  // "" = no password
};

class RedisServer {
 public:
  using Options = RedisServerOptions;

  static constexpr const char* kBinary = "/usr/bin/redis-server";
  static bool available() { return ::access(kBinary, X_OK) == 0; }

  // Prepares the directory (and port); does not start the server.
  RedisServer() : RedisServer(Options{}) {}
  explicit RedisServer(Options options) : options_(std::move(options)) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/lbrec-redis-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    if (options_.tcp) port_ = free_loopback_port();
  }

  ~RedisServer() {
    kill(SIGKILL);
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  // Starts redis-server and waits (at most 10 s) until it answers PING. Throws on failure.
  void start() {
    if (pid_ > 0) throw std::runtime_error("redis-server already running");
    std::vector<std::string> args = {kBinary,
                                     "--port",
                                     std::to_string(port_),
                                     "--unixsocket",
                                     socket_path(),
                                     "--unixsocketperm",
                                     "700",
                                     "--save",
                                     "",
                                     "--appendonly",
                                     "no",
                                     "--daemonize",
                                     "no",
                                     "--dir",
                                     dir_.string(),
                                     "--logfile",
                                     (dir_ / "redis.log").string(),
                                     "--enable-debug-command",
                                     "yes"};
    if (options_.tcp) {
      args.insert(args.end(), {"--bind", "127.0.0.1"});
    }
    if (!options_.requirepass.empty()) {
      args.insert(args.end(), {"--requirepass", options_.requirepass});
    }
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);

    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
      const int devnull = ::open("/dev/null", O_RDWR);
      if (devnull >= 0) {
        ::dup2(devnull, 0);
        ::dup2(devnull, 1);
        ::dup2(devnull, 2);
      }
      ::execv(kBinary, argv.data());
      ::_exit(127);
    }
    pid_ = pid;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!answers_ping()) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("redis-server exited at start; see " +
                                 (dir_ / "redis.log").string());
      }
      if (std::chrono::steady_clock::now() > deadline) {
        kill(SIGKILL);
        throw std::runtime_error("redis-server did not answer PING within 10 s");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  // Sends `sig`; for SIGKILL also reaps the process. No-op when not running.
  void kill(int sig) {
    if (pid_ <= 0) return;
    if (sig == SIGKILL) {
      ::kill(pid_, SIGCONT);  // harmless; a stopped process dies either way
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
      return;
    }
    ::kill(pid_, sig);
  }

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  std::string socket_path() const { return (dir_ / "redis.sock").string(); }
  std::string unix_url(std::string_view userinfo = "", int db = 0) const {
    std::string url = "unix://";
    if (!userinfo.empty()) url += std::string(userinfo) + "@";
    url += socket_path();
    if (db != 0) url += "?db=" + std::to_string(db);
    return url;
  }
  std::string tcp_url(std::string_view host = "127.0.0.1") const {
    return "redis://" + std::string(host) + ":" + std::to_string(port_);
  }

 private:
  bool answers_ping() const {
    timeval tv{0, 200 * 1000};
    redisContext* c = redisConnectUnixWithTimeout(socket_path().c_str(), tv);
    if (c == nullptr) return false;
    bool ok = false;
    if (c->err == 0) {
      auto* reply = static_cast<redisReply*>(redisCommand(c, "PING"));
      ok = reply != nullptr;  // +PONG, or -NOAUTH when a password is required: both mean "up"
      if (reply != nullptr) freeReplyObject(reply);
    }
    redisFree(c);
    return ok;
  }

  static int free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(0x7f000001);  // 127.0.0.1
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ::close(fd);
      throw std::runtime_error("cannot find a free port");
    }
    ::close(fd);
    return ntohs(addr.sin_port);
  }

  Options options_;
  std::filesystem::path dir_;
  int port_ = 0;  // 0: no TCP listener
  pid_t pid_ = -1;
};

}  // namespace lbrec::testing
