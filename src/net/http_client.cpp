#include "net/http_client.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>
#include <map>
#include <mutex>
#include <unordered_map>

namespace lbrec::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string HttpResponse::header(std::string_view lower_name) const {
  for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
    if (it->first == lower_name) return it->second;
  }
  return {};
}

namespace {

// A type-erased, move-only completion handler. (Boost 1.81's any_completion_handler recurses
// forever in its allocator when it wraps an awaitable handler; fixed in 1.82.)
class Completion {
 public:
  Completion() = default;
  template <typename Handler>
  explicit Completion(Handler handler)
      : impl_(std::make_unique<Impl<Handler>>(std::move(handler))) {}
  void operator()(core::Result<HttpResponse> result) { (*impl_)(std::move(result)); }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual void operator()(core::Result<HttpResponse> result) = 0;
  };
  template <typename Handler>
  struct Impl final : Base {
    explicit Impl(Handler h) : handler(std::move(h)) {}
    void operator()(core::Result<HttpResponse> result) override {
      std::move(handler)(std::move(result));
    }
    Handler handler;
  };
  std::unique_ptr<Base> impl_;
};

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  HttpRequest request;
  HttpResponse response;
  bool too_large = false;
  Completion completion;
  asio::any_io_executor completion_executor;  // where the awaiting coroutine resumes

  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    curl_slist_free_all(header_list);
  }
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t bytes = size * n;
  if (t->response.body.size() + bytes > t->request.max_body_bytes) {
    t->too_large = true;
    return 0;  // makes curl fail the transfer with CURLE_WRITE_ERROR
  }
  t->response.body.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    t->response.headers.clear();  // a new response (after a redirect or 100-continue)
    return size * n;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string name(line.substr(0, colon));
  for (char& c : name)
    c = static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
    value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
    value.remove_suffix(1);
  }
  t->response.headers.emplace_back(std::move(name), std::string(value));
  return size * n;
}

core::Error transport_error(CURLcode code, const Transfer& t) {
  using core::ErrorCode;
  const std::string what = curl_easy_strerror(code);
  switch (code) {
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
      if (t.too_large || code == CURLE_FILESIZE_EXCEEDED) {
        return {ErrorCode::kUpstreamError,
                fmt::format("response body larger than {} bytes", t.request.max_body_bytes), false};
      }
      return {ErrorCode::kInternal, what, false};
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return {ErrorCode::kInvalidInput, what, false};
    case CURLE_PARTIAL_FILE:
      return {ErrorCode::kUpstreamError, "truncated response body", true};
    case CURLE_OPERATION_TIMEDOUT:
      return {ErrorCode::kUnavailable, "timed out", true};
    case CURLE_TOO_MANY_REDIRECTS:
      return {ErrorCode::kUpstreamError, what, false};
    default:
      return {ErrorCode::kUnavailable, what, true};
  }
}

}  // namespace

struct HttpClient::Impl : std::enable_shared_from_this<HttpClient::Impl> {
  struct Watch {
    explicit Watch(asio::strand<asio::any_io_executor>& s) : socket(s) {}
    tcp::socket socket;
    std::uint64_t id = 0;
    int wanted = 0;  // CURL_POLL_* bits curl currently asks for
    bool reading = false;
    bool writing = false;
  };

  Impl(asio::any_io_executor executor, HttpClientOptions o)
      : strand(asio::make_strand(executor)), timer(strand), options(o) {
    init_curl_once();
    multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Impl::socket_callback);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Impl::timer_callback);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, options.max_host_connections);
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, options.max_total_connections);
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, options.connection_cache);
    curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  }

  ~Impl() {
    // Transfers still running never complete; their coroutines are being torn down with the
    // io_context. Remove them before the multi handle goes (curl closes their sockets through
    // close_socket, which needs `watches`).
    for (auto& [easy, t] : transfers)
      curl_multi_remove_handle(multi, easy);
    transfers.clear();
    curl_multi_cleanup(multi);
  }

  // --- curl callbacks: they only record state and arm Asio waits; they never call curl. ---

  static int socket_callback(CURL*, curl_socket_t fd, int what, void* user, void*) {
    auto* self = static_cast<Impl*>(user);
    const auto it = self->watches.find(fd);
    if (it == self->watches.end()) return 0;
    Watch& w = *it->second;
    w.wanted = what == CURL_POLL_REMOVE ? 0 : what;
    self->arm(fd, w);
    return 0;
  }

  static int timer_callback(CURLM*, long timeout_ms, void* user) {
    auto* self = static_cast<Impl*>(user);
    if (timeout_ms < 0) {
      self->timer.cancel();
      return 0;
    }
    self->timer.expires_after(std::chrono::milliseconds(timeout_ms));
    self->timer.async_wait([weak = self->weak_from_this()](const boost::system::error_code& ec) {
      auto me = weak.lock();
      if (ec || !me) return;
      int running = 0;
      curl_multi_socket_action(me->multi, CURL_SOCKET_TIMEOUT, 0, &running);
      me->collect_done();
    });
    return 0;
  }

  static curl_socket_t open_socket(void* user, curlsocktype purpose, curl_sockaddr* address) {
    auto* self = static_cast<Impl*>(user);
    if (purpose != CURLSOCKTYPE_IPCXN || address->socktype != SOCK_STREAM ||
        (address->family != AF_INET && address->family != AF_INET6)) {
      return CURL_SOCKET_BAD;
    }
    auto watch = std::make_unique<Watch>(self->strand);
    boost::system::error_code ec;
    watch->socket.open(address->family == AF_INET6 ? tcp::v6() : tcp::v4(), ec);
    if (ec) return CURL_SOCKET_BAD;
    watch->id = ++self->next_watch_id;
    const curl_socket_t fd = watch->socket.native_handle();
    self->watches[fd] = std::move(watch);
    return fd;
  }

  static int close_socket(void* user, curl_socket_t fd) {
    auto* self = static_cast<Impl*>(user);
    if (self->watches.erase(fd) == 0) ::close(fd);  // the socket's destructor closes it
    return 0;
  }

  // --- Asio side ---

  void arm(curl_socket_t fd, Watch& w) {
    if ((w.wanted & CURL_POLL_IN) && !w.reading) {
      w.reading = true;
      w.socket.async_wait(tcp::socket::wait_read, [self = shared_from_this(), fd,
                                                   id = w.id](const boost::system::error_code& ec) {
        self->on_ready(fd, id, CURL_CSELECT_IN, ec);
      });
    }
    if ((w.wanted & CURL_POLL_OUT) && !w.writing) {
      w.writing = true;
      w.socket.async_wait(tcp::socket::wait_write, [self = shared_from_this(), fd, id = w.id](
                                                       const boost::system::error_code& ec) {
        self->on_ready(fd, id, CURL_CSELECT_OUT, ec);
      });
    }
  }

  void on_ready(curl_socket_t fd, std::uint64_t id, int direction,
                const boost::system::error_code& ec) {
    auto it = watches.find(fd);
    if (it == watches.end() || it->second->id != id) return;  // closed, maybe fd reused since
    Watch& w = *it->second;
    (direction == CURL_CSELECT_IN ? w.reading : w.writing) = false;
    if (ec == asio::error::operation_aborted) {
      arm(fd, w);
      return;
    }
    const int wanted_bit = direction == CURL_CSELECT_IN ? CURL_POLL_IN : CURL_POLL_OUT;
    if (w.wanted & wanted_bit) {
      int running = 0;
      curl_multi_socket_action(multi, fd, ec ? CURL_CSELECT_ERR : direction, &running);
      collect_done();
    }
    it = watches.find(fd);
    if (it != watches.end() && it->second->id == id) arm(fd, *it->second);
  }

  void collect_done() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      const CURLcode code = msg->data.result;
      curl_multi_remove_handle(multi, easy);
      auto node = transfers.extract(easy);
      if (node.empty()) continue;
      std::unique_ptr<Transfer> t = std::move(node.mapped());
      core::Result<HttpResponse> result;
      long status = 0;
      if (code == CURLE_OK) curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      count(t->request.url, status);
      if (code == CURLE_OK) {
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &t->response.status);
        char* url = nullptr;
        curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &url);
        if (url != nullptr) t->response.effective_url = url;
        result = std::move(t->response);
      } else {
        result = tl::unexpected(transport_error(code, *t));
      }
      complete(*t, std::move(result));
    }
  }

  void count(const std::string& url, long status) {
    const auto parsed = boost::urls::parse_uri(url);
    std::string host = parsed ? std::string(parsed->encoded_host()) : std::string("invalid");
    std::lock_guard lock(counts_mutex);
    ++counts[{std::move(host), status}];
  }

  static void complete(Transfer& t, core::Result<HttpResponse> result) {
    asio::post(t.completion_executor,
               [c = std::move(t.completion), r = std::move(result)]() mutable {
                 std::move(c)(std::move(r));
               });
  }

  void start(HttpRequest request, Completion completion,
             asio::any_io_executor completion_executor) {
    auto t = std::make_unique<Transfer>();
    t->request = std::move(request);
    t->completion = std::move(completion);
    t->completion_executor = std::move(completion_executor);
    CURL* e = curl_easy_init();
    if (e == nullptr) {
      complete(*t, core::fail(core::ErrorCode::kInternal, "curl_easy_init failed"));
      return;
    }
    t->easy = e;
    const HttpRequest& r = t->request;
    curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(r.connect_timeout.count()));
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, r.follow_redirects ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(r.max_body_bytes));
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
    curl_easy_setopt(e, CURLOPT_PROXY, r.proxy.c_str());  // "" disables environment proxies
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
                     r.http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &Impl::open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, this);
    curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, &Impl::close_socket);
    curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, this);
    for (const auto& [name, value] : r.headers) {
      t->header_list =
          curl_slist_append(t->header_list, fmt::format("{}: {}", name, value).c_str());
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->header_list);
    if (r.method != "GET") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    if (!r.body.empty() || r.method == "POST") {
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
      curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, r.body.c_str());
    }
    transfers.emplace(e, std::move(t));
    if (curl_multi_add_handle(multi, e) != CURLM_OK) {
      auto node = transfers.extract(e);
      complete(*node.mapped(),
               core::fail(core::ErrorCode::kInternal, "curl_multi_add_handle failed"));
    }
    // curl arms its timer from inside add_handle; the transfer starts when that timer fires.
  }

  asio::strand<asio::any_io_executor> strand;
  asio::steady_timer timer;
  HttpClientOptions options;
  CURLM* multi = nullptr;
  std::unordered_map<curl_socket_t, std::unique_ptr<Watch>> watches;
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> transfers;
  std::uint64_t next_watch_id = 0;
  mutable std::mutex counts_mutex;
  std::map<std::pair<std::string, long>, std::uint64_t> counts;
};

HttpClient::HttpClient(asio::any_io_executor executor, HttpClientOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), options)) {}

HttpClient::~HttpClient() = default;

namespace {

// Starts a transfer on the client's strand and completes the awaiting handler when it ends. A named
// type rather than a lambda: GCC 12 destroys capturing lambda temporaries twice when they appear
// inside a co_await expression.
struct InitiateFetch {
  std::shared_ptr<HttpClient::Impl> impl;

  template <typename Handler>
  void operator()(Handler handler, HttpRequest request) const;
};

}  // namespace

template <typename Handler>
void InitiateFetch::operator()(Handler handler, HttpRequest request) const {
  asio::any_io_executor resume_on = asio::get_associated_executor(handler, impl->strand);
  asio::dispatch(impl->strand,
                 [impl = impl, req = std::move(request), h = Completion(std::move(handler)),
                  resume_on = std::move(resume_on)]() mutable {
                   impl->start(std::move(req), std::move(h), std::move(resume_on));
                 });
}

std::vector<UpstreamCount> HttpClient::counts() const {
  std::lock_guard lock(impl_->counts_mutex);
  std::vector<UpstreamCount> out;
  out.reserve(impl_->counts.size());
  for (const auto& [key, n] : impl_->counts)
    out.push_back(UpstreamCount{key.first, key.second, n});
  return out;
}

// Not a coroutine: it hands back the awaitable that async_initiate builds.
asio::awaitable<core::Result<HttpResponse>> HttpClient::fetch(HttpRequest request) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(core::Result<HttpResponse>)>(
      InitiateFetch{impl_}, asio::use_awaitable, std::move(request));
}

}  // namespace lbrec::net
