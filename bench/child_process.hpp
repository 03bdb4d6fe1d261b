#pragma once

// Starting and stopping `lbrec demo` as a child process for the HTTP benchmarks, and reading a
// process's memory from /proc. Linux only.

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;

namespace lbrec::bench {

// A loopback port nobody listens on right now (bound to port 0, read back, closed). The child
// binds it a moment later; nothing else on this machine is expected to take it in between.
inline int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

// Raises this process's soft RLIMIT_NOFILE to the hard limit; returns the soft limit in force.
inline long raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  return static_cast<long>(limit.rlim_cur);
}

// Resident and peak resident memory of a process, in MB (VmRSS and VmHWM of /proc/PID/status).
struct Memory {
  double rss_mb = 0;
  double hwm_mb = 0;
};

// Reads a process's /proc files through descriptors opened once, so it keeps working when this
// process has no descriptor left to open them again.
class ProcProbe {
 public:
  explicit ProcProbe(pid_t pid) {
    const std::string dir = pid == 0 ? "/proc/self/" : "/proc/" + std::to_string(pid) + "/";
    status_ = ::open((dir + "status").c_str(), O_RDONLY | O_CLOEXEC);
    stat_ = ::open((dir + "stat").c_str(), O_RDONLY | O_CLOEXEC);
  }
  ~ProcProbe() {
    if (status_ >= 0) ::close(status_);
    if (stat_ >= 0) ::close(stat_);
  }
  ProcProbe(const ProcProbe&) = delete;
  ProcProbe& operator=(const ProcProbe&) = delete;

  std::optional<Memory> memory() const {
    const std::string text = read_all(status_);
    Memory m;
    bool seen = false;
    const auto field = [&text](std::string_view name, double& out) {
      const auto at = text.find(name);
      if (at == std::string::npos) return false;
      out = std::strtod(text.c_str() + at + name.size(), nullptr) / 1024.0;  // kB
      return true;
    };
    seen = field("VmRSS:", m.rss_mb);
    field("VmHWM:", m.hwm_mb);
    if (!seen) return std::nullopt;
    return m;
  }

  // User plus system CPU time so far, in seconds.
  std::optional<double> cpu_seconds() const {
    const std::string text = read_all(stat_);
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const auto close = text.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::istringstream in(text.substr(close + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && in >> field; ++i) {
      if (i == 14) utime = std::strtoull(field.c_str(), nullptr, 10);
      if (i == 15) stime = std::strtoull(field.c_str(), nullptr, 10);
    }
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }

 private:
  static std::string read_all(int fd) {
    std::string text;
    if (fd < 0) return text;
    char buf[4096];
    off_t offset = 0;
    for (;;) {
      const ssize_t n = ::pread(fd, buf, sizeof buf, offset);
      if (n <= 0) break;
      text.append(buf, static_cast<std::size_t>(n));
      offset += n;
    }
    return text;
  }

  int status_ = -1;
  int stat_ = -1;
};

// How a child ended.
struct ChildExit {
  int code = -1;        // exit status, or -1 when killed by a signal
  int signal = 0;       // the signal that ended it, if any
  double seconds = 0;   // from the first SIGTERM to its exit
  bool killed = false;  // it did not exit in time and got SIGKILL
};

// One child process: `lbrec demo` with extra environment variables, its output appended to a log
// file. The child gets SIGKILL if this process dies first (PR_SET_PDEATHSIG), and the destructor
// stops a child still running, so no error path leaves an orphan.
class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() {
    if (pid_ > 0) stop(std::chrono::seconds(5));
  }

  // Forks and execs `argv` with the current environment plus `env` (NAME=value entries
  // overriding). Call before this process starts threads. False when fork failed.
  bool start(const std::vector<std::string>& argv,
             const std::vector<std::pair<std::string, std::string>>& env,
             const std::string& log_path) {
    std::vector<std::string> entries;
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry = *e;
      bool overridden = false;
      for (const auto& [name, value] : env)
        overridden |= entry.starts_with(name + "=");
      if (!overridden) entries.push_back(entry);
    }
    for (const auto& [name, value] : env)
      entries.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (auto& e : entries)
      envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = argv;
    std::vector<char*> argp;
    for (auto& a : args)
      argp.push_back(a.data());
    argp.push_back(nullptr);

    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) {
      // Only async-signal-safe calls from here to exec.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);
      const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      const int null_in = open("/dev/null", O_RDONLY);
      if (log >= 0) {
        dup2(log, STDOUT_FILENO);
        dup2(log, STDERR_FILENO);
      }
      if (null_in >= 0) dup2(null_in, STDIN_FILENO);
      execve(argp[0], argp.data(), envp.data());
      _exit(127);
    }
    pid_ = pid;
    return true;
  }

  pid_t pid() const { return pid_; }

  // True while the child has not exited (reaps it when it has).
  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == 0) return true;
    record(status);
    pid_ = -1;
    return false;
  }

  // Sends SIGTERM, waits up to `grace` for the exit, then SIGKILL.
  ChildExit stop(std::chrono::milliseconds grace = std::chrono::seconds(15)) {
    if (pid_ <= 0) return exit_;
    const auto start = std::chrono::steady_clock::now();
    kill(pid_, SIGTERM);
    while (running()) {
      if (std::chrono::steady_clock::now() - start > grace) {
        kill(pid_, SIGKILL);
        int status = 0;
        waitpid(pid_, &status, 0);
        record(status);
        exit_.killed = true;
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    exit_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return exit_;
  }

 private:
  void record(int status) {
    if (WIFEXITED(status)) exit_.code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) exit_.signal = WTERMSIG(status);
  }

  pid_t pid_ = -1;
  ChildExit exit_;
};

}  // namespace lbrec::bench
