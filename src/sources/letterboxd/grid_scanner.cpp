#include "sources/letterboxd/grid_scanner.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "core/strings.hpp"
#include "domain/profile.hpp"
#include "sources/letterboxd/parser_support.hpp"

namespace lbrec::sources::letterboxd::detail {

namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}
bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == ':' || c == '.';
}

// Valid UTF-8 without NUL or CR bytes: otherwise libxml2 may read the page differently.
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0 || c == '\r') return false;  // libxml2 rewrites CR LF; leave those pages to it
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || c == 0xC0 || c == 0xC1 || c > 0xF4 || i + len > n) return false;
    for (int k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += static_cast<std::size_t>(len);
  }
  return true;
}

struct NamedEntity {
  std::string_view name;
  std::uint32_t code_point;
};
constexpr std::array<NamedEntity, 14> kEntities = {{{"quot", '"'},
                                                    {"amp", '&'},
                                                    {"lt", '<'},
                                                    {"gt", '>'},
                                                    {"apos", '\''},
                                                    {"nbsp", 0xA0},
                                                    {"hellip", 0x2026},
                                                    {"ndash", 0x2013},
                                                    {"mdash", 0x2014},
                                                    {"lsquo", 0x2018},
                                                    {"rsquo", 0x2019},
                                                    {"ldquo", 0x201C},
                                                    {"rdquo", 0x201D},
                                                    {"middot", 0xB7}}};

// The page's tags as events, mirroring what grid_parser.cpp's DOM walk reads.
class Scanner {
 public:
  explicit Scanner(std::string_view html) : s_(html) {}

  std::optional<ScannedGrid> run() {
    if (!valid_utf8(s_)) return std::nullopt;
    std::size_t i = 0;
    while (i < s_.size()) {
      const std::size_t lt = s_.find('<', i);
      if (lt == std::string_view::npos) {
        text(s_.substr(i));
        break;
      }
      if (lt > i) text(s_.substr(i, lt - i));
      i = lt;
      const char next = i + 1 < s_.size() ? s_[i + 1] : '\0';
      if (s_.compare(i, 4, "<!--") == 0) {
        const std::size_t end = s_.find("-->", i + 4);
        if (end == std::string_view::npos) return std::nullopt;
        i = end + 3;
      } else if (next == '!' || next == '?') {
        // Only a doctype: other declarations and processing instructions are left to libxml2.
        if (i + 9 > s_.size() || !core::iequals_ascii(s_.substr(i + 2, 7), "doctype"))
          return std::nullopt;
        const std::size_t end = s_.find('>', i);
        if (end == std::string_view::npos) return std::nullopt;
        i = end + 1;
      } else if (next == '/') {
        std::size_t j = i + 2;
        while (j < s_.size() && is_name_char(s_[j]))
          ++j;
        std::size_t end = j;
        while (end < s_.size() && is_space(s_[end]))
          ++end;
        // Only "</name>": anything else is damage that libxml2 repairs in its own way.
        if (j == i + 2 || end >= s_.size() || s_[end] != '>') return std::nullopt;
        name_ = core::to_lower_ascii(s_.substr(i + 2, j - i - 2));
        if (!end_tag()) return std::nullopt;
        i = end + 1;
      } else if ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z')) {
        const auto after = start_tag(i);
        if (!after) return std::nullopt;
        i = *after;
      } else {
        text(s_.substr(i, 1));  // a lone '<' is text to an HTML parser
        ++i;
      }
    }
    pop_to(0);
    if (broken_ || out_.items.empty())
      return std::nullopt;  // empty, bare-poster or foreign pages: DOM path
    out_.total_films = nav_total_ ? nav_total_ : watchlist_total_;
    return std::move(out_);
  }

 private:
  // Parses the start tag at s_[at] ('<' + letter); returns the index after it (and after the
  // content of raw-text elements).
  std::optional<std::size_t> start_tag(std::size_t at) {
    std::size_t j = at + 1;
    while (j < s_.size() && is_name_char(s_[j]))
      ++j;
    name_ = core::to_lower_ascii(s_.substr(at + 1, j - at - 1));
    attrs_ = RawAttrs{};
    bool self_closing = false;
    for (;;) {
      while (j < s_.size() && is_space(s_[j]))
        ++j;
      if (j >= s_.size()) return std::nullopt;
      if (s_[j] == '>') {
        ++j;
        break;
      }
      if (s_[j] == '/') {
        ++j;
        if (j < s_.size() && s_[j] == '>') self_closing = true;  // libxml2 closes any element so
        continue;
      }
      const std::size_t name_start = j;
      while (j < s_.size() && !is_space(s_[j]) && s_[j] != '=' && s_[j] != '>' && s_[j] != '/') {
        const char c = s_[j];
        // Upper case would be folded by libxml2, quotes and '<' mean broken markup: DOM path.
        if ((c >= 'A' && c <= 'Z') || c == '<' || c == '"' || c == '\'') return std::nullopt;
        ++j;
      }
      const std::string_view name = s_.substr(name_start, j - name_start);
      // Only plain names: anything else is damage that libxml2 repairs in its own way.
      if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                   c == ':' || c == '.';
          })) {
        return std::nullopt;
      }
      while (j < s_.size() && is_space(s_[j]))
        ++j;
      std::string_view value;
      if (j >= s_.size() || s_[j] != '=') {
        if (in_item_ || name_ == "li") return std::nullopt;  // valueless attributes: DOM path
      }
      if (j < s_.size() && s_[j] == '=') {
        ++j;
        while (j < s_.size() && is_space(s_[j]))
          ++j;
        if (j >= s_.size()) return std::nullopt;
        if (s_[j] == '"' || s_[j] == '\'') {
          const std::size_t close = s_.find(s_[j], j + 1);
          if (close == std::string_view::npos) return std::nullopt;
          value = s_.substr(j + 1, close - j - 1);
          j = close + 1;
        } else {
          const std::size_t start = j;
          while (j < s_.size() && !is_space(s_[j]) && s_[j] != '>')
            ++j;
          value = s_.substr(start, j - start);
        }
      }
      attrs_.add(name, value);
    }
    if (in_viewing_ && !is_inline(name_)) return std::nullopt;  // HTML would close the p: DOM path
    if (name_ == "li") {
      // A new li closes the open one (HTML's implied end tag).
      for (std::size_t k = stack_.size(); k-- > 0;) {
        if (stack_[k].name == "li") {
          pop_to(k);
          break;
        }
      }
    }
    const auto role = element();
    if (!role || attrs_.failed()) return std::nullopt;
    if (is_void(name_)) {
      close(*role);
    } else if (self_closing) {
      return std::nullopt;  // libxml2 closes "<div/>" at once; keep to plain markup
    } else {
      stack_.push_back(Open{name_, *role});
    }
    // Raw-text elements (for libxml2 2.9 only script and style; title content is markup to it).
    for (const std::string_view raw : {"script", "style"}) {
      if (name_ != raw) continue;
      for (std::size_t k = s_.find("</", j); k != std::string_view::npos;
           k = s_.find("</", k + 2)) {
        if (k + 2 + raw.size() <= s_.size() &&
            core::iequals_ascii(s_.substr(k + 2, raw.size()), raw))
          return k;
      }
      return std::nullopt;
    }
    return j;
  }

  // What an open element means to the scan; its effect ends when it leaves the stack.
  enum class Role { kOther, kItem, kViewing, kPagination, kNav };
  struct Open {
    std::string name;
    Role role;
  };

  static bool is_void(std::string_view n) {
    static constexpr std::string_view kVoid[] = {"area", "base",  "br",     "col",    "embed",
                                                 "hr",   "img",   "input",  "keygen", "link",
                                                 "meta", "param", "source", "track",  "wbr"};
    return std::find(std::begin(kVoid), std::end(kVoid), n) != std::end(kVoid);
  }
  static bool is_inline(std::string_view n) {
    static constexpr std::string_view kInline[] = {"span", "a",   "img",   "em", "strong",
                                                   "i",    "b",   "small", "br", "abbr",
                                                   "sup",  "sub", "time",  "s",  "u"};
    return std::find(std::begin(kInline), std::end(kInline), n) != std::end(kInline);
  }

  // Pops the stack down to (and including) index k, ending what each element started.
  void pop_to(std::size_t k) {
    while (stack_.size() > k) {
      const Role role = stack_.back().role;
      stack_.pop_back();
      close(role);
    }
  }

  void close(Role role) {
    switch (role) {
      case Role::kItem:
        close_item();
        break;
      case Role::kViewing:
        in_viewing_ = false;
        break;
      case Role::kPagination:
        close_pagination();
        break;
      case Role::kNav:
        nav_open_ = false;
        break;
      case Role::kOther:
        break;
    }
  }

  // A start tag: name_ and attrs_. nullopt when the page is beyond the fast path.
  std::optional<Role> element() {
    const std::string_view name = name_;
    if (name == "body" && !seen_body_) {
      seen_body_ = true;
      if (auto owner = attrs_.get("data-owner")) out_.owner = std::string(*owner);
    }
    if (!nav_seen_) {
      if (auto id = attrs_.get("id"); id && *id == "content-nav") {
        nav_seen_ = true;
        nav_open_ = true;
        return Role::kNav;
      }
    }
    if (nav_open_ && !nav_total_ && name == "span" &&
        has_class_token(attrs_.value("class"), "tooltip")) {
      if (auto title = attrs_.get("data-original-title")) nav_total_ = film_count_of(*title);
    }
    if (!watchlist_seen_ && name == "div" && attrs_.has("data-num-entries") &&
        has_class_token(attrs_.value("class"), "s-watchlist-content")) {
      watchlist_seen_ = true;
      watchlist_total_ = film_count_of(attrs_.value("data-num-entries"));
    }
    if (name == "li") {
      const std::string_view classes = attrs_.value("class");
      if (has_class_token(classes, "griditem") || has_class_token(classes, "posteritem") ||
          has_class_token(classes, "poster-container")) {
        if (in_item_) return std::nullopt;  // an item inside an item: DOM path
        in_item_ = true;
        return Role::kItem;
      }
      if (in_item_) return std::nullopt;  // a list inside an item: leave it to the DOM parser
      if (has_class_token(classes, "paginate-page")) {
        in_pagination_ = true;
        pagination_text_.clear();
        return Role::kPagination;
      }
      return Role::kOther;
    }
    if (!in_item_) return Role::kOther;
    if (name == "p") {
      if (has_class_token(attrs_.value("class"), "poster-viewingdata")) {
        in_viewing_ = true;
        record_viewing_ = !item_.has_viewing;
        if (record_viewing_) {
          item_.has_viewing = true;
          if (auto uid = attrs_.get("data-item-uid")) item_.viewing_uid = std::string(*uid);
        }
        return Role::kViewing;
      }
    }
    if (in_viewing_) {
      if (record_viewing_ && name == "span") {
        const std::string_view classes = attrs_.value("class");
        if (!item_.rating && has_class_token(classes, "rating")) {
          item_.rating = rating_from_classes(classes);
        }
        if (has_class_token(classes, "like")) item_.liked = true;
      }
      return Role::kOther;
    }
    if (name == "img") {
      if (!item_.image_alt) {
        if (auto alt = attrs_.get("alt")) item_.image_alt = std::string(*alt);
      }
      return Role::kOther;
    }
    if (!item_.has_poster && looks_like_poster(attrs_)) {
      if (attrs_.has_duplicates()) return std::nullopt;  // which one wins is libxml2's call
      item_.has_poster = true;
      item_.poster = attrs_;
    }
    return Role::kOther;
  }

  // An end tag must close the innermost open element: the fast path takes only well-nested
  // markup, where libxml2's tree is the obvious one. Anything else goes to the DOM parser.
  bool end_tag() {
    if (stack_.empty() || stack_.back().name != name_) return false;
    pop_to(stack_.size() - 1);
    return true;
  }

  void text(std::string_view t) {
    if (in_pagination_) pagination_text_ += t;
    // Text directly in html or head makes an HTML parser open an implied body, and the real body
    // tag's attributes (data-owner) are then dropped: leave such pages to libxml2.
    const bool in_head =
        stack_.empty() || stack_.back().name == "html" || stack_.back().name == "head";
    if (!seen_body_ && in_head && !broken_ &&
        std::any_of(t.begin(), t.end(), [](char c) { return !is_space(c); })) {
      broken_ = true;
    }
  }

  void close_item() {
    if (!in_item_) return;
    out_.items.push_back(std::move(item_));
    item_ = ScannedItem{};
    in_item_ = false;
    in_viewing_ = false;
  }

  void close_pagination() {
    if (!in_pagination_) return;
    in_pagination_ = false;
    const auto decoded = decode_entities(pagination_text_);
    if (!decoded) return;
    if (const auto n = parse_positive(trim_text(*decoded)); n && *n < 1000000) {
      out_.page_count = std::max(out_.page_count, static_cast<int>(*n));
    }
  }

  std::string_view s_;
  ScannedGrid out_;
  std::string name_;  // the current tag's name, lower case
  RawAttrs attrs_;
  bool seen_body_ = false;
  std::vector<Open> stack_;  // open non-void elements, outermost first
  bool broken_ = false;      // something only libxml2 should interpret
  bool nav_seen_ = false;
  bool nav_open_ = false;
  std::optional<int> nav_total_;
  bool watchlist_seen_ = false;
  std::optional<int> watchlist_total_;
  bool in_item_ = false;
  bool in_viewing_ = false;
  bool record_viewing_ = false;
  bool in_pagination_ = false;
  std::string pagination_text_;
  ScannedItem item_;
};

}  // namespace

std::optional<std::string> decode_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const std::size_t semi = text.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 10) return std::nullopt;
    const std::string_view ref = text.substr(i + 1, semi - i - 1);
    if (!ref.empty() && ref[0] == '#') {
      std::uint32_t cp = 0;
      const bool hex = ref.size() > 1 && (ref[1] == 'x' || ref[1] == 'X');
      const std::string_view digits = ref.substr(hex ? 2 : 1);
      if (digits.empty()) return std::nullopt;
      for (char c : digits) {
        int d = (c >= '0' && c <= '9') ? c - '0' : -1;
        if (hex && d < 0) d = (lower(c) >= 'a' && lower(c) <= 'f') ? lower(c) - 'a' + 10 : -1;
        if (d < 0) return std::nullopt;
        cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
        if (cp > 0x10FFFF) return std::nullopt;
      }
      if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp <= 0x9F))
        return std::nullopt;
      core::append_utf8(cp, out);
    } else {
      const auto it = std::find_if(kEntities.begin(), kEntities.end(),
                                   [&](const NamedEntity& e) { return e.name == ref; });
      if (it == kEntities.end()) return std::nullopt;
      core::append_utf8(it->code_point, out);
    }
    i = semi;
  }
  return out;
}

std::optional<std::string_view> RawAttrs::get(std::string_view name) const {
  for (const auto& [n, raw] : attrs_) {
    if (n != name) continue;
    if (raw.find('&') == std::string_view::npos) return raw;
    auto decoded = decode_entities(raw);
    if (!decoded) {
      failed_ = true;
      return std::nullopt;
    }
    return decoded_.emplace_back(std::move(*decoded));
  }
  return std::nullopt;
}

bool RawAttrs::has(std::string_view name) const {
  return std::any_of(attrs_.begin(), attrs_.end(), [&](const auto& a) { return a.first == name; });
}

bool RawAttrs::has_duplicates() const {
  for (std::size_t i = 0; i < attrs_.size(); ++i) {
    for (std::size_t k = i + 1; k < attrs_.size(); ++k) {
      if (attrs_[i].first == attrs_[k].first) return true;
    }
  }
  return false;
}

std::optional<ScannedGrid> scan_grid(std::string_view html) {
  return Scanner(html).run();
}

std::optional<int> rating_from_classes(std::string_view classes) {
  constexpr std::string_view kRated = "rated-";
  constexpr std::string_view kSpace = " \t\n\r\f";
  for (std::size_t start = classes.find_first_not_of(kSpace); start != std::string_view::npos;) {
    const std::size_t end = std::min(classes.find_first_of(kSpace, start), classes.size());
    const std::string_view token = classes.substr(start, end - start);
    if (token.starts_with(kRated)) {
      const auto n = parse_positive(token.substr(kRated.size()));
      if (n && *n >= domain::kMinHalfStars && *n <= domain::kMaxHalfStars)
        return static_cast<int>(*n);
    }
    start = classes.find_first_not_of(kSpace, end);
  }
  return std::nullopt;
}

std::optional<int> film_count_of(std::string_view text) {
  text = trim_text(text);
  std::string digits;
  std::size_t i = 0;
  for (; i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == ','); ++i) {
    if (text[i] != ',') digits += text[i];
  }
  const std::string_view rest = trim_text(text.substr(i));
  if (digits.empty() || digits.size() > 9 || !(rest.empty() || rest.starts_with("film")))
    return std::nullopt;
  int value = 0;
  for (const char c : digits)
    value = value * 10 + (c - '0');
  return value;
}

}  // namespace lbrec::sources::letterboxd::detail
