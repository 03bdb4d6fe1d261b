#include "sources/letterboxd/grid_parser.hpp"

#include <algorithm>
#include <unordered_set>
#include <utility>

#include "sources/html_document.hpp"
#include "sources/letterboxd/grid_scanner.hpp"
#include "sources/letterboxd/parser_support.hpp"

namespace lbrec::sources::letterboxd {
namespace {

using detail::AttrList;
using detail::element_name;
using detail::has_class_token;
using detail::trim_text;
using Node = HtmlDocument::Node;

// Hot paths read attributes as views into the document and test classes in C++: a 72-item page
// needs thousands of reads, and XPath string functions or copied values cost more than the rest
// of the extraction (see bench/letterboxd_parse_bench.cpp).

// §12: without li containers, any poster element stands for an item.
constexpr const char* kBarePosters =
    "//div[@data-component-class='LazyPoster' or @data-item-slug or (" LBREC_XPATH_CLASS(
        "film-poster") " and @data-film-slug)]";
// Grid wrappers of every generation; an empty one is a valid empty page.
constexpr const char* kGrids =
    "//div[" LBREC_XPATH_CLASS("poster-grid") "] | //ul[" LBREC_XPATH_CLASS(
        "grid") "] | //ul[" LBREC_XPATH_CLASS("poster-list") "]";

// What one item's subtree holds.
struct ItemNodes {
  std::optional<Node> poster;
  std::optional<Node> viewing;  // p.poster-viewingdata
  std::optional<Node> image;    // first img with alt text
};

// Rating and like live only inside p.poster-viewingdata (§4.5): the hydrated like-link overlay
// sits on every poster (§4.6), and rated-N also appears in histograms and reviews.
void read_viewing_data(const Node& p, std::optional<int>& rating, bool& liked) {
  detail::for_each_descendant_element(p, [&](const Node& n) {
    if (element_name(n) == "span") {
      std::string scratch;
      if (const auto classes = detail::attr_view(n, "class", scratch)) {
        if (!rating && has_class_token(*classes, "rating")) {
          rating = detail::rating_from_classes(*classes);
        }
        if (has_class_token(*classes, "like")) liked = true;
      }
    }
    return true;
  });
}

// The inputs an item's fields come from, whichever path (DOM walk or byte scanner) found them.
struct ItemInputs {
  std::optional<std::string_view> viewing_uid;  // p.poster-viewingdata@data-item-uid
  std::optional<std::string_view> image_alt;    // the first img alt
  std::optional<int> rating;
  bool liked = false;
};

template <typename Attrs>
std::string slug_of(const Attrs& poster) {
  if (const std::string_view slug = trim_text(poster.value("data-item-slug")); !slug.empty()) {
    return std::string(slug);
  }
  for (const char* link : {"data-item-link", "data-target-link", "data-film-link"}) {
    if (auto path = poster.get(link)) {
      std::string slug = detail::film_slug_from_path(*path);
      if (!slug.empty()) return slug;
    }
  }
  return std::string(trim_text(poster.value("data-film-slug")));
}

template <typename Attrs>
void read_names(const Attrs& poster, std::optional<std::string_view> image_alt,
                domain::FilmRef& film) {
  for (const char* attr : {"data-item-name", "data-item-full-display-name"}) {
    if (const std::string_view name = trim_text(poster.value(attr)); !name.empty()) {
      TitleYear split = split_title_year(name);
      film.title = std::move(split.title);
      film.year = split.year;
      return;
    }
  }
  // Legacy: the bare title, and the year apart (§4.4).
  if (const std::string_view name = trim_text(poster.value("data-film-name")); !name.empty()) {
    film.title = std::string(name);
    const auto y = detail::parse_positive(trim_text(poster.value("data-film-release-year")));
    if (y && *y >= 1000 && *y <= 9999) film.year = static_cast<int>(*y);
    return;
  }
  // Last resort (§4.6): "Poster for Title (YYYY)" or a bare title.
  if (image_alt) {
    const std::string_view alt = trim_text(*image_alt);
    constexpr std::string_view kPosterFor = "Poster for ";
    if (alt.starts_with(kPosterFor)) {
      TitleYear split = split_title_year(alt.substr(kPosterFor.size()));
      film.title = std::move(split.title);
      film.year = split.year;
    } else {
      film.title = std::string(alt);
    }
  }
}

template <typename Attrs>
Markup markup_of(const Attrs& poster) {
  const bool lazy = poster.value("data-component-class") == "LazyPoster" ||
                    poster.has("data-item-slug") || poster.has("data-postered-identifier");
  if (!lazy) return Markup::kLegacy;
  return poster.has("data-film-id") ? Markup::kLazyPoster : Markup::kCurrent;
}

template <typename Attrs>
std::optional<GridItem> build_item(const Attrs& poster, const ItemInputs& in, Markup& markup) {
  GridItem item;
  item.film.slug = slug_of(poster);
  if (item.film.slug.empty()) return std::nullopt;

  // Numeric id (§4.5): postered identifier, then data-film-id, then the viewing data's uid.
  detail::PosteredIdentifier ident;
  if (auto json = poster.get("data-postered-identifier")) {
    ident = detail::parse_postered_identifier(*json);
  }
  if (!ident.letterboxd_id || ident.lid.empty()) {
    if (auto json = poster.get("data-resolvable-poster-path")) {
      detail::PosteredIdentifier resolvable = detail::parse_postered_identifier(*json);
      if (!ident.letterboxd_id) ident.letterboxd_id = resolvable.letterboxd_id;
      if (ident.lid.empty()) ident.lid = std::move(resolvable.lid);
    }
  }
  item.film.letterboxd_id = ident.letterboxd_id;
  item.film.lid = std::move(ident.lid);
  if (!item.film.letterboxd_id) {
    item.film.letterboxd_id = detail::parse_positive(trim_text(poster.value("data-film-id")));
  }
  if (!item.film.letterboxd_id && in.viewing_uid) {
    item.film.letterboxd_id = detail::parse_film_uid(trim_text(*in.viewing_uid));
  }

  read_names(poster, in.image_alt, item.film);
  item.rating = in.rating;
  item.liked = in.liked;
  markup = markup_of(poster);
  return item;
}

std::optional<GridItem> read_item(const ItemNodes& nodes, Markup& markup) {
  if (!nodes.poster) return std::nullopt;
  const AttrList poster(*nodes.poster);
  std::string uid_scratch, alt_scratch;
  ItemInputs in;
  if (nodes.viewing) {
    in.viewing_uid = detail::attr_view(*nodes.viewing, "data-item-uid", uid_scratch);
    read_viewing_data(*nodes.viewing, in.rating, in.liked);
  }
  if (nodes.image) in.image_alt = detail::attr_view(*nodes.image, "alt", alt_scratch);
  return build_item(poster, in, markup);
}

// One walk over an item container collects the nodes the fields come from.
ItemNodes collect_item_nodes(const Node& container) {
  ItemNodes nodes;
  detail::for_each_descendant_element(container, [&](const Node& n) {
    const std::string_view name = element_name(n);
    if (name == "p" && detail::has_class(n, "poster-viewingdata")) {
      if (!nodes.viewing) nodes.viewing = n;
      return false;
    }
    if (name == "img") {
      std::string scratch;
      if (!nodes.image && detail::attr_view(n, "alt", scratch)) nodes.image = n;
      return false;
    }
    if (!nodes.poster && detail::looks_like_poster(AttrList(n))) nodes.poster = n;
    return true;
  });
  return nodes;
}

// A bare poster (no li container): its viewing data, if any, is the next sibling paragraph.
ItemNodes collect_bare_poster_nodes(const Node& poster) {
  ItemNodes nodes;
  nodes.poster = poster;
  detail::for_each_descendant_element(poster, [&](const Node& n) {
    std::string scratch;
    if (!nodes.image && element_name(n) == "img" && detail::attr_view(n, "alt", scratch)) {
      nodes.image = n;
    }
    return true;
  });
  if (_xmlNode* next = detail::next_sibling_element(poster.raw())) {
    const Node sibling(next);
    if (element_name(sibling) == "p" && detail::has_class(sibling, "poster-viewingdata")) {
      nodes.viewing = sibling;
    }
  }
  return nodes;
}

// §4.1: the count in the heading tooltip, else a watchlist's data-num-entries (§7).
std::optional<int> total_films_of(const HtmlDocument& doc) {
  std::optional<int> total;
  for (const Node& nav : doc.select("id('content-nav')")) {
    detail::for_each_descendant_element(nav, [&](const Node& n) {
      if (!total && element_name(n) == "span" && detail::has_class(n, "tooltip")) {
        std::string scratch;
        if (auto title = detail::attr_view(n, "data-original-title", scratch)) {
          total = detail::film_count_of(*title);
        }
      }
      return !total;
    });
    if (total) return total;
  }
  for (const Node& div : doc.select("//div[@data-num-entries]")) {
    if (!detail::has_class(div, "s-watchlist-content")) continue;
    std::string scratch;
    return detail::film_count_of(detail::attr_view(div, "data-num-entries", scratch).value_or(""));
  }
  return std::nullopt;
}

bool is_inside(_xmlNode* node, const std::unordered_set<_xmlNode*>& taken) {
  for (_xmlNode* p = detail::parent_element(node); p != nullptr; p = detail::parent_element(p)) {
    if (taken.contains(p)) return true;
  }
  return false;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::string_view to_string(Markup markup) {
  switch (markup) {
    case Markup::kLegacy:
      return "legacy";
    case Markup::kLazyPoster:
      return "lazyposter";
    case Markup::kCurrent:
      return "current";
  }
  return "current";
}

TitleYear split_title_year(std::string_view display_name) {
  // ^(.+?)(?:\s*\((\d{4})\))?$ by hand (std::regex would dominate the parse of a grid page): the
  // optional group can only match the final "(dddd)"; the lazy title then ends before the white
  // space preceding it, and must keep at least one character.
  const std::string_view s = trim_text(display_name);
  TitleYear out;
  const std::size_t n = s.size();
  const bool has_year =
      n > 6 && s[n - 1] == ')' && s[n - 6] == '(' &&
      std::all_of(s.end() - 5, s.end() - 1, [](char c) { return c >= '0' && c <= '9'; });
  if (!has_year) {
    out.title = std::string(s);
    return out;
  }
  std::string_view title = s.substr(0, n - 6);
  while (title.size() > 1 && is_space(title.back()))
    title.remove_suffix(1);
  out.title = std::string(title);
  out.year =
      (s[n - 5] - '0') * 1000 + (s[n - 4] - '0') * 100 + (s[n - 3] - '0') * 10 + (s[n - 2] - '0');
  return out;
}

std::optional<GridPage> detail::parse_grid_page_fast(std::string_view html) {
  if (html.size() > HtmlDocument::kDefaultMaxBytes) return std::nullopt;
  auto scanned = scan_grid(html);
  if (!scanned) return std::nullopt;
  GridPage page;
  page.owner = std::move(scanned->owner);
  page.page_count = scanned->page_count;
  page.total_films = scanned->total_films;
  page.items.reserve(scanned->items.size());
  for (const ScannedItem& s : scanned->items) {
    if (!s.has_poster) continue;
    ItemInputs in;
    if (s.viewing_uid) in.viewing_uid = *s.viewing_uid;
    if (s.image_alt) in.image_alt = *s.image_alt;
    in.rating = s.rating;
    in.liked = s.liked;
    Markup markup = Markup::kCurrent;
    auto item = build_item(s.poster, in, markup);
    if (s.poster.failed()) return std::nullopt;
    if (!item) continue;
    if (!page.markup) page.markup = markup;
    page.items.push_back(std::move(*item));
  }
  if (page.items.empty()) return std::nullopt;  // the DOM path words the error
  return page;
}

core::Result<GridPage> parse_grid_page(std::string_view html) {
  // The byte scanner reads well-formed grid pages several times faster than libxml2 builds a
  // tree; anything it is not sure about goes to the DOM walk, which is the reference.
  if (auto fast = detail::parse_grid_page_fast(html)) return std::move(*fast);
  return detail::parse_grid_page_dom(html);
}

core::Result<GridPage> detail::parse_grid_page_dom(std::string_view html) {
  auto parsed = HtmlDocument::parse(html);
  if (!parsed) return tl::unexpected(parsed.error());
  const HtmlDocument& doc = *parsed;

  GridPage page;
  if (auto body = doc.first("//body")) page.owner = body->attr("data-owner").value_or("");

  // One XPath for every li: item containers (§4.6) and pagination entries (§5).
  std::vector<ItemNodes> item_nodes;
  for (const Node& li : doc.select("//li")) {
    std::string scratch;
    const std::string_view classes = detail::attr_view(li, "class", scratch).value_or("");
    if (has_class_token(classes, "griditem") || has_class_token(classes, "posteritem") ||
        has_class_token(classes, "poster-container")) {
      item_nodes.push_back(collect_item_nodes(li));
    } else if (has_class_token(classes, "paginate-page")) {
      // The largest page number shown; the ellipsis item has none.
      const std::string text = li.text();
      if (const auto n = detail::parse_positive(trim_text(text)); n && *n < 1000000) {
        page.page_count = std::max(page.page_count, static_cast<int>(*n));
      }
    }
  }
  if (item_nodes.empty()) {
    std::unordered_set<_xmlNode*> taken;
    for (const Node& poster : doc.select(kBarePosters)) {
      if (is_inside(poster.raw(), taken)) continue;
      taken.insert(poster.raw());
      item_nodes.push_back(collect_bare_poster_nodes(poster));
    }
  }

  page.items.reserve(item_nodes.size());
  for (const ItemNodes& nodes : item_nodes) {
    Markup markup = Markup::kCurrent;
    if (auto item = read_item(nodes, markup)) {
      if (!page.markup) page.markup = markup;
      page.items.push_back(std::move(*item));
    }
  }

  if (page.items.empty()) {
    if (!item_nodes.empty()) {
      return core::fail(core::ErrorCode::kParseError,
                        "letterboxd grid: " + std::to_string(item_nodes.size()) +
                            " poster items but none has a film slug (unknown markup)");
    }
    // Zero items is only believable on a member page whose grid is present and empty.
    const std::vector<Node> grids = doc.select(kGrids);
    if (page.owner.empty() || grids.empty()) {
      return core::fail(core::ErrorCode::kParseError,
                        "letterboxd grid: not a poster-grid page (no items, grid or data-owner)");
    }
    for (const Node& grid : grids) {
      if (!doc.select(".//li", &grid).empty()) {
        return core::fail(core::ErrorCode::kParseError,
                          "letterboxd grid: grid entries in an unknown markup");
      }
    }
  }

  page.total_films = total_films_of(doc);
  return page;
}

}  // namespace lbrec::sources::letterboxd
