#include "letterboxd_site.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <functional>

#include "core/strings.hpp"
#include "dates.hpp"

namespace lbrec::fakeworld {
namespace {

constexpr std::string_view kEmptyPoster = "https://s.ltrbxd.com/static/img/empty-poster-70.png";
constexpr std::string_view kSite = "https://letterboxd.com";

std::string stars(int half_stars) {
  std::string s;
  for (int i = 0; i < half_stars / 2; ++i)
    s += "★";
  if (half_stars % 2) s += "½";
  return s;
}

std::string page_head(std::string_view title, std::string_view extra_meta = {}) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\" class=\"no-js\">\n<head>\n<meta charset=\"UTF-8\">\n"
      "<title>\u200E{}</title>\n{}</head>\n",
      html_escape(title), extra_meta);
}

std::string not_found_page() {
  return page_head("Letterboxd • Social film discovery.") +
         "<body class=\"error message-dark\">\n<div id=\"content\" class=\"site-body\">\n"
         "<section class=\"message\"><h1 class=\"title\">Sorry, we can’t find the page you’ve "
         "requested.</h1><p>You may have followed a broken link or the page may have been "
         "removed.</p></section>\n</div>\n</body>\n</html>\n";
}

// The poster-grid item for one film in a markup generation. `viewing` is null on pages that show
// no member data (watchlist).
std::string grid_item(const Film& f, Markup markup, const Viewing* viewing,
                      bool posteritem = false) {
  const std::string name = html_escape(display_name(f));
  const std::string link = fmt::format("/film/{}/", f.slug);
  std::string viewing_data;
  if (viewing != nullptr) {
    std::string inner;
    if (viewing->rating > 0) {
      inner += fmt::format("<span class=\"rating -micro -darker rated-{}\">{}</span>",
                           viewing->rating, stars(viewing->rating));
    }
    if (viewing->liked) {
      inner +=
          "<span class=\"like liked-micro has-icon icon-liked icon-16\"><span "
          "class=\"icon\"></span></span>";
    }
    if (markup == Markup::kLegacy) {
      viewing_data = fmt::format("<p class=\"poster-viewingdata\">{}</p>", inner);
    } else {
      viewing_data = fmt::format("<p class=\"poster-viewingdata\" data-item-uid=\"film:{}\">{}</p>",
                                 f.lb_id, inner.empty() ? " " : inner);
    }
  }

  if (markup == Markup::kLegacy) {
    return fmt::format(
        "<li class=\"poster-container\">\n"
        " <div class=\"really-lazy-load poster film-poster film-poster-{id} linked-film-poster\" "
        "data-film-id=\"{id}\" data-film-slug=\"{slug}\" data-film-name=\"{title}\"{year} "
        "data-poster-url=\"/film/{slug}/image-150/\" data-linked=\"linked\" "
        "data-target-link=\"{link}\">\n"
        "  <img class=\"image\" src=\"{empty}\" width=\"70\" height=\"105\" alt=\"{title}\"/>"
        "<span class=\"frame-title\"></span></div>\n {viewing}\n</li>\n",
        fmt::arg("id", f.lb_id), fmt::arg("slug", f.slug), fmt::arg("title", html_escape(f.title)),
        fmt::arg("year", f.letterboxd_year
                             ? fmt::format(" data-film-release-year=\"{}\"", f.letterboxd_year)
                             : ""),
        fmt::arg("link", link), fmt::arg("empty", kEmptyPoster), fmt::arg("viewing", viewing_data));
  }

  const std::string identifier = html_escape(fmt::format(
      R"({{"lid":"{}","uid":"film:{}","type":"film","typeName":"film"}})", f.lid, f.lb_id));
  const std::string resolvable = html_escape(fmt::format(
      R"({{"postered":{{"lid":"{}","uid":"film:{}","type":"film","typeName":"film"}},"posteredBaseLink":"/film/{}/","isAdultThemed":false,"hasDefaultPoster":{},"cacheBustingKey":"{:08x}"}})",
      f.lid, f.lb_id, f.slug, f.poster_path.empty() ? "true" : "false",
      static_cast<unsigned>(f.lb_id) * 2654435761u));
  const std::string film_id =
      markup == Markup::kLazyPoster ? fmt::format(" data-film-id=\"{}\"", f.lb_id) : std::string();
  return fmt::format(
      "<li class=\"{cls}\">\n"
      " <div class=\"react-component\" data-component-class=\"LazyPoster\" "
      "data-request-poster-metadata=\"true\" data-likeable=\"true\" data-watchable=\"true\" "
      "data-rateable=\"true\" data-item-slug=\"{slug}\" data-item-link=\"{link}\" "
      "data-target-link=\"{link}\" data-item-name=\"{name}\" "
      "data-item-full-display-name=\"{name}\"{film_id} "
      "data-postered-identifier=\"{ident}\" data-details-endpoint=\"/film/{slug}/json/\" "
      "data-poster-url=\"/film/{slug}/image-150/\" data-image-width=\"70\" "
      "data-image-height=\"105\" "
      "data-empty-poster-src=\"{empty}\" data-is-linked=\"true\" data-show-menu=\"true\" "
      "data-resolvable-poster-path=\"{resolvable}\">\n"
      "  <div class=\"poster film-poster\"><img class=\"image\" src=\"{empty}\" width=\"70\" "
      "height=\"105\" "
      "alt=\"Poster for {name}\" loading=\"lazy\"/><span class=\"frame-title\"></span>"
      // The like overlay of hydrated pages (docs §4.6), kept deliberately: a parser that counts
      // it as a like would fail against the fake, as it would against a browser-rendered page.
      "<span class=\"like-link-target react-component\"><span class=\"like-link "
      "icon-like\"></span></span></div>\n"
      " </div>\n {viewing}\n</li>\n",
      fmt::arg("cls", posteritem ? "posteritem" : "griditem"), fmt::arg("slug", f.slug),
      fmt::arg("link", link), fmt::arg("name", name), fmt::arg("film_id", film_id),
      fmt::arg("ident", identifier), fmt::arg("empty", kEmptyPoster),
      fmt::arg("resolvable", resolvable), fmt::arg("viewing", viewing_data));
}

// Letterboxd's pagination block; none at all for a single page.
std::string pagination(std::string_view base, int page, int pages) {
  if (pages <= 1) return {};
  const auto href = [&](int p) {
    return p == 1 ? std::string(base) : fmt::format("{}page/{}/", base, p);
  };
  std::string out = "<div class=\"pagination\">\n";
  out += page > 1 ? fmt::format(
                        " <div class=\"paginate-nextprev\"><a class=\"previous\" "
                        "href=\"{}\">Newer</a></div>\n",
                        href(page - 1))
                  : " <div class=\"paginate-nextprev paginate-disabled\"><span "
                    "class=\"previous\">Newer</span></div>\n";
  out +=
      page < pages
          ? fmt::format(
                " <div class=\"paginate-nextprev\"><a class=\"next\" href=\"{}\">Older</a></div>\n",
                href(page + 1))
          : " <div class=\"paginate-nextprev paginate-disabled\"><span "
            "class=\"next\">Older</span></div>\n";
  out += " <div class=\"paginate-pages\"><ul>\n";
  bool gap = false;
  for (int p = 1; p <= pages; ++p) {
    const bool shown = p == 1 || p == pages || (p >= page - 1 && p <= page + 1);
    if (!shown) {
      if (!gap) out += "  <li class=\"paginate-page unseen-pages\">&hellip;</li>\n";
      gap = true;
      continue;
    }
    gap = false;
    out +=
        p == page
            ? fmt::format("  <li class=\"paginate-page paginate-current\"><span>{}</span></li>\n",
                          p)
            : fmt::format("  <li class=\"paginate-page\"><a href=\"{}\">{}</a></li>\n", href(p), p);
  }
  out += " </ul></div>\n</div>\n";
  return out;
}

struct GridPage {
  std::string body_class;
  std::string title;
  std::string heading;
  std::string base;   // "/<user>/films/"
  std::string extra;  // markup before the grid (counts)
};

// A member page with a poster grid: `items` are (film, viewing-or-null) in display order.
std::string grid_page(const World& world, const User& u, const GridPage& g, int page, int per_page,
                      const std::vector<std::pair<int, const Viewing*>>& items) {
  const int total = static_cast<int>(items.size());
  const int pages = std::max(1, (total + per_page - 1) / per_page);
  std::string out =
      page_head(g.title, fmt::format("<meta property=\"og:url\" content=\"{}{}\"/>\n"
                                     "<meta property=\"og:type\" content=\"website\"/>\n",
                                     kSite, g.base));
  out += fmt::format(
      "<body class=\"{}\" data-owner=\"{}\">\n<div id=\"content\" class=\"site-body\">\n",
      g.body_class, u.name);
  out += fmt::format(
      "<div id=\"content-nav\"><h1 class=\"section-heading\"><a href=\"/{0}/\">{1}</a> "
      "<span class=\"tooltip\" data-original-title=\"{2}&nbsp;films\">{3}</span></h1></div>\n",
      u.name, html_escape(u.display_name), total, html_escape(g.heading));
  out += g.extra;
  const Markup markup = u.rotate_markup ? static_cast<Markup>((page - 1) % 3) : u.markup;
  const bool legacy = markup == Markup::kLegacy;
  out += legacy ? "<ul class=\"poster-list -p70 -grid film-list clear\">\n"
                : "<div class=\"poster-grid\">\n<ul class=\"grid -p70\">\n";
  const int start = (page - 1) * per_page;
  for (int i = start; i < std::min(total, start + per_page); ++i) {
    const auto& [film, viewing] = items[static_cast<std::size_t>(i)];
    out += grid_item(world.films()[static_cast<std::size_t>(film)], markup, viewing);
  }
  out += legacy ? "</ul>\n" : "</ul>\n</div>\n";
  out += pagination(g.base, page, pages);
  out += "</div>\n</body>\n</html>\n";
  return out;
}

std::string rss_feed(const World& world, const User& u) {
  std::vector<const Viewing*> diary;
  for (const Viewing& v : u.films) {
    if (v.in_diary) diary.push_back(&v);
  }
  std::string out = fmt::format(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<rss version=\"2.0\" xmlns:letterboxd=\"https://letterboxd.com\" "
      "xmlns:tmdb=\"https://themoviedb.org\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
      "xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n"
      "<title>Letterboxd - {0}</title>\n<link>{1}/{2}/</link>\n"
      "<description>Letterboxd - {0}</description>\n",
      html_escape(u.display_name), kSite, u.name);
  int items = 0;
  for (const Viewing* v : diary) {
    if (items >= kRssItems) break;
    const Film& f = world.films()[static_cast<std::size_t>(v->film)];
    if (items == 3) {
      // Members' feeds also carry list activity, which has no watched date.
      out += fmt::format(
          "<item>\n<title>Favourites</title>\n<link>{0}/{1}/list/favourites/</link>\n"
          "<guid isPermaLink=\"false\">letterboxd-list-{2}</guid>\n<pubDate>{3}</pubDate>\n"
          "<description><![CDATA[<p>A list of "
          "films.</p>]]></description>\n<dc:creator>{4}</dc:creator>\n</item>\n",
          kSite, u.name, v->viewing_id + 7, rfc822_date(v->watched_day, 43200),
          html_escape(u.display_name));
      ++items;  // and the viewing follows: list activity takes a feed slot, not a viewing's
      if (items >= kRssItems) break;
    }
    const std::string year = f.letterboxd_year ? fmt::format(", {}", f.letterboxd_year) : "";
    const std::string rating = v->rating ? fmt::format(" - {}", stars(v->rating)) : "";
    const std::string guid = v->reviewed ? fmt::format("letterboxd-review-{}", v->viewing_id)
                                         : fmt::format("letterboxd-watch-{}", v->viewing_id);
    out += "<item>\n";
    out += fmt::format("<title>{}{}{}</title>\n", html_escape(f.title), year, rating);
    out += fmt::format("<link>{}/{}/film/{}/</link>\n", kSite, u.name, f.slug);
    out += fmt::format("<guid isPermaLink=\"false\">{}</guid>\n", guid);
    out += fmt::format("<pubDate>{}</pubDate>\n", rfc822_date(v->watched_day + 1, 36000));
    out += fmt::format("<letterboxd:watchedDate>{}</letterboxd:watchedDate>\n",
                       iso_date(v->watched_day));
    out += fmt::format("<letterboxd:rewatch>{}</letterboxd:rewatch>\n", v->rewatch ? "Yes" : "No");
    out += fmt::format("<letterboxd:filmTitle>{}</letterboxd:filmTitle>\n", html_escape(f.title));
    if (f.letterboxd_year)
      out += fmt::format("<letterboxd:filmYear>{}</letterboxd:filmYear>\n", f.letterboxd_year);
    if (v->rating)
      out += fmt::format("<letterboxd:memberRating>{:.1f}</letterboxd:memberRating>\n",
                         v->rating / 2.0);
    out +=
        fmt::format("<letterboxd:memberLike>{}</letterboxd:memberLike>\n", v->liked ? "Yes" : "No");
    out += f.is_tv ? fmt::format("<tmdb:tvId>{}</tmdb:tvId>\n", f.tmdb_id)
                   : fmt::format("<tmdb:movieId>{}</tmdb:movieId>\n", f.tmdb_id);
    const std::string review =
        v->reviewed ? "<p>Loved the ending, the score &amp; the &lt;quiet&gt; middle.</p>"
                    : fmt::format("<p>Watched on {}.</p>", iso_date(v->watched_day));
    out += fmt::format(
        "<description><![CDATA[<p><img "
        "src=\"https://a.ltrbxd.com/resized/film-poster/{}.jpg\"/></p>{}]]></description>\n",
        f.lb_id, review);
    out += fmt::format("<dc:creator>{}</dc:creator>\n</item>\n", html_escape(u.display_name));
    ++items;
  }
  out += "</channel>\n</rss>\n";
  return out;
}

std::string director_names(const World& world, const Film& f) {
  std::string names;
  for (int d : f.director_ids) {
    if (!names.empty()) names += ", ";
    names += world.people()[static_cast<std::size_t>(d)].name;
  }
  return names;
}

std::string film_page(const World& world, const Film& f) {
  const std::string directors = director_names(world, f);
  const double average = f.vote_count ? std::clamp(f.vote_average / 2.0 - 0.1, 0.5, 5.0) : 0.0;
  const std::string name = display_name(f);
  std::string meta = fmt::format(
      "<meta property=\"og:type\" content=\"video.movie\"/>\n"
      "<meta property=\"og:title\" content=\"{0}\"/>\n"
      "<meta property=\"og:url\" content=\"{1}/film/{2}/\"/>\n"
      "<meta property=\"og:image\" "
      "content=\"https://a.ltrbxd.com/resized/sm/upload/{3}-1200-1200-675-675-crop-fill.jpg\"/>\n"
      "<meta name=\"twitter:label1\" content=\"Directed by\"/>\n<meta name=\"twitter:data1\" "
      "content=\"{4}\"/>\n",
      html_escape(name), kSite, f.slug, f.lb_id, html_escape(directors));
  if (f.vote_count >= 10) {
    meta += fmt::format(
        "<meta name=\"twitter:label2\" content=\"Average rating\"/>\n"
        "<meta name=\"twitter:data2\" content=\"{:.2f} out of 5\"/>\n",
        average);
  }
  std::string out = page_head(fmt::format("{}{} • Reviews, film + cast • Letterboxd", name,
                                          directors.empty() ? "" : " directed by " + directors),
                              meta);
  out += fmt::format(
      "<body class=\"film backdropped\" data-type=\"film\" data-tmdb-type=\"{}\" "
      "data-tmdb-id=\"{}\">\n",
      f.is_tv ? "tv" : "movie", f.tmdb_id);
  out += "<div id=\"content\" class=\"site-body\">\n<section class=\"production-masthead\">\n";
  out += fmt::format("<h1 class=\"headline-1 primaryname\"><span class=\"name\">{}</span></h1>\n",
                     html_escape(f.title));
  if (f.letterboxd_year) {
    out += fmt::format("<span class=\"releasedate\"><a href=\"/films/year/{0}/\">{0}</a></span>\n",
                       f.letterboxd_year);
  }
  if (f.original_title != f.title) {
    out += fmt::format("<h2 class=\"originalname\">{}</h2>\n", html_escape(f.original_title));
  }
  out += "<p class=\"credits\"><span class=\"creatorlist\">";
  for (int d : f.director_ids) {
    const Person& p = world.people()[static_cast<std::size_t>(d)];
    out += fmt::format(
        "<a class=\"contributor\" href=\"/director/{}/\"><span class=\"prettify\">{}</span></a>",
        p.slug, html_escape(p.name));
  }
  out += "</span></p>\n</section>\n";
  out += fmt::format(
      "<section class=\"production-synopsis\"><div class=\"truncate\"><p>{}</p></div></section>\n",
      html_escape(f.overview));
  // The page poster: a flat identifier, and the nested resolvable path of docs §4.2.
  const std::string identifier = fmt::format(
      R"({{"lid":"{}","uid":"film:{}","type":"film","typeName":"film"}})", f.lid, f.lb_id);
  out += fmt::format(
      "<div class=\"film-poster\"><div class=\"react-component\" "
      "data-component-class=\"LazyPoster\" "
      "data-item-slug=\"{0}\" data-postered-identifier=\"{1}\" "
      "data-resolvable-poster-path=\"{2}\"></div></div>\n",
      f.slug, html_escape(identifier),
      html_escape(fmt::format(
          R"({{"postered":{},"posteredBaseLink":"/film/{}/","isAdultThemed":false,"hasDefaultPoster":{}}})",
          identifier, f.slug, f.poster_path.empty() ? "true" : "false")));
  out +=
      "<div id=\"tab-panel-genres\" "
      "class=\"tabbed-content-block\"><h3><span>Genres</span></h3><div class=\"text-sluglist "
      "capitalize\"><p>";
  for (int g : f.genre_ids) {
    const std::string_view gname = genre_name(g);
    out += fmt::format("<a class=\"text-slug\" href=\"/films/genre/{}/\">{}</a> ",
                       core::to_lower_ascii(gname.substr(0, gname.find(' '))), gname);
  }
  out += "</p><h3><span>Themes</span></h3><p>";
  for (int k : f.keyword_ids) {
    const std::string& kw = world.keywords()[static_cast<std::size_t>(k)].name;
    std::string slug = kw;
    std::replace(slug.begin(), slug.end(), ' ', '-');
    out += fmt::format("<a class=\"text-slug\" href=\"/films/theme/{}/by/best-match/\">{}</a> ",
                       slug, html_escape(kw));
  }
  out += "</p></div></div>\n";
  out += "<p class=\"text-link text-footer\">";
  if (f.runtime) out += fmt::format("{}&nbsp;mins &nbsp;", f.runtime);
  out += "More at ";
  if (!f.imdb_id.empty()) {
    out += fmt::format(
        "<a href=\"http://www.imdb.com/title/{}/maindetails\" class=\"micro-button track-event\" "
        "data-track-action=\"IMDb\">IMDb</a> ",
        f.imdb_id);
  }
  out += fmt::format(
      "<a href=\"https://www.themoviedb.org/{}/{}/\" class=\"micro-button track-event\" "
      "data-track-action=\"TMDB\">TMDB</a> ",
      f.is_tv ? "tv" : "movie", f.tmdb_id);
  out += fmt::format(
      "<a class=\"report-link\" data-report-url=\"/ajax/film:{}/report-form\">Report this "
      "film</a></p>\n",
      f.lb_id);

  const std::vector<int> similar = world.similar(f.index);
  if (!similar.empty()) {
    out += fmt::format(
        "<section class=\"section related-films\"><h2 class=\"section-heading\"><a "
        "href=\"/film/{}/similar/\">Similar films</a></h2>\n"
        "<ul class=\"poster-list -p110 -horizontal\">\n",
        f.slug);
    for (std::size_t i = 0; i < similar.size() && i < 6; ++i) {
      out += grid_item(world.films()[static_cast<std::size_t>(similar[i])], Markup::kCurrent,
                       nullptr, true);
    }
    out += "</ul></section>\n";
  }

  boost::json::object ld;
  ld["@context"] = "http://schema.org";
  ld["@type"] = "Movie";
  ld["name"] = f.title;
  ld["url"] = fmt::format("{}/film/{}/", kSite, f.slug);
  if (!f.poster_path.empty()) {
    ld["image"] = fmt::format("https://a.ltrbxd.com/resized/film-poster/{}-{}-0-230-0-345-crop.jpg",
                              f.lb_id, f.slug);
  }
  boost::json::array dirs;
  for (int d : f.director_ids) {
    const Person& p = world.people()[static_cast<std::size_t>(d)];
    dirs.push_back(boost::json::object{
        {"@type", "Person"}, {"name", p.name}, {"sameAs", fmt::format("/director/{}/", p.slug)}});
  }
  ld["director"] = std::move(dirs);
  boost::json::array genres;
  for (int g : f.genre_ids)
    genres.push_back(boost::json::string(genre_name(g)));
  ld["genre"] = std::move(genres);
  if (f.letterboxd_year) {
    ld["releasedEvent"] = boost::json::array{boost::json::object{
        {"@type", "PublicationEvent"}, {"startDate", std::to_string(f.letterboxd_year)}}};
  }
  if (f.vote_count >= 10) {
    ld["aggregateRating"] = boost::json::object{{"@type", "aggregateRating"},
                                                {"ratingValue", std::round(average * 100) / 100},
                                                {"ratingCount", f.vote_count * 3},
                                                {"reviewCount", f.vote_count / 2},
                                                {"bestRating", 5},
                                                {"worstRating", 0}};
  }
  // No raw "<" inside the script element, whatever the title says ("</script>", "<!--" and markup
  // like "<img src=x ...>" would otherwise reach the page); "<" only occurs inside JSON strings.
  std::string json = to_json_text(ld);
  for (std::size_t p = json.find('<'); p != std::string::npos; p = json.find('<', p + 6))
    json.replace(p, 1, "\\u003c");
  out += fmt::format(
      "<script type=\"application/ld+json\">\n/* <![CDATA[ */\n{}\n/* ]]> */\n</script>\n", json);
  out += "</div>\n</body>\n</html>\n";
  return out;
}

boost::json::value film_json(const World& world, const Film& f) {
  boost::json::array dirs;
  for (int d : f.director_ids)
    dirs.push_back(boost::json::object{{"name", world.people()[static_cast<std::size_t>(d)].name}});
  boost::json::object o{
      {"result", true},
      {"csrf", "0f1e2d3c4b5a69788796a5b4c3d2e1f0"},
      {"lid", f.lid},
      {"uid", fmt::format("film:{}", f.lb_id)},
      {"type", "film"},
      {"typeName", "film"},
      {"id", f.lb_id},
      {"name", f.title},
      {"image125",
       fmt::format("https://a.ltrbxd.com/resized/film-poster/{}-0-125-0-187-crop.jpg", f.lb_id)},
      {"image150",
       fmt::format("https://a.ltrbxd.com/resized/film-poster/{}-0-150-0-225-crop.jpg", f.lb_id)},
      {"slug", f.slug},
      {"url", fmt::format("/film/{}/", f.slug)},
      {"originalName", f.original_title == f.title ? boost::json::value(nullptr)
                                                   : boost::json::value(f.original_title)},
      {"filmlistAction", fmt::format("/ajax/film:{}/filmlist/", f.lb_id)},
      {"watchlistAction", fmt::format("/ajax/film:{}/watchlist/", f.lb_id)},
      {"directors", std::move(dirs)}};
  if (f.letterboxd_year) o["releaseYear"] = f.letterboxd_year;
  if (f.runtime) o["runTime"] = f.runtime;
  return o;
}

std::string index_page(const World& world) {
  std::string out = page_head("lbrec fake world");
  out +=
      "<body class=\"fakeworld-index\">\n<h1>lbrec fake world</h1>\n"
      "<p>A generated Letterboxd, TMDB (<code>/3/</code>) and JustWatch (<code>POST "
      "/graphql</code>) "
      "for tests and demos. Counters at <a href=\"/__stats\">/__stats</a>.</p>\n"
      "<table>\n<tr><th>member</th><th>films</th><th>markup</th><th>pages</th></tr>\n";
  for (std::size_t i = 0; i < world.users().size() && i < 40; ++i) {
    const User& u = world.users()[i];
    out += fmt::format(
        "<tr><td><a href=\"/{0}/films/\">{0}</a></td><td>{1}</td><td>{2}</td>"
        "<td><a href=\"/{0}/rss/\">rss</a> <a href=\"/{0}/watchlist/\">watchlist</a> "
        "<a href=\"/__export/{0}.zip\">export.zip</a></td></tr>\n",
        u.name, u.films.size(), to_string(u.markup));
  }
  out += fmt::format("</table>\n<p>{} films, {} members.</p>\n</body>\n</html>\n",
                     world.films().size(), world.users().size());
  return out;
}

// Splits "/a/b/c/" into {"a","b","c"}.
std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  for (std::string_view s : core::split(path, '/')) {
    if (!s.empty()) out.push_back(s);
  }
  return out;
}

// Reads a trailing "page/N" from segments starting at `at`; 1 when absent; 0 when malformed.
int page_number(const std::vector<std::string_view>& seg, std::size_t at) {
  if (seg.size() == at) return 1;
  if (seg.size() != at + 2 || seg[at] != "page") return 0;
  const auto n = core::parse_int(seg[at + 1]);
  return n && *n >= 1 && *n <= 100000 ? static_cast<int>(*n) : 0;
}

}  // namespace

std::string display_name(const Film& film) {
  return film.letterboxd_year ? fmt::format("{} ({})", film.title, film.letterboxd_year)
                              : film.title;
}

FakeReply serve_letterboxd(const World& world, const FakeRequest& req, std::string& route) {
  const auto seg = segments(req.path);
  const auto not_found = [&] {
    route = "letterboxd.not_found";
    return FakeReply::html(404, not_found_page());
  };
  if (seg.empty()) {
    route = "letterboxd.index";
    return FakeReply::html(200, index_page(world));
  }
  if (seg[0] == "film" && seg.size() >= 2) {
    const Film* f = world.film_by_slug(seg[1]);
    if (f == nullptr) return not_found();
    if (seg.size() == 2) {
      route = "letterboxd.film";
      return FakeReply::html(200, film_page(world, *f));
    }
    if (seg.size() == 3 && seg[2] == "json") {
      route = "letterboxd.film_json";
      return FakeReply::json(200, film_json(world, *f));
    }
    return not_found();
  }
  if (seg[0] == "tmdb" && seg.size() == 2) {
    const auto id = core::parse_int(seg[1]);
    const Film* f = id ? world.film_by_tmdb(static_cast<int>(*id)) : nullptr;
    if (f == nullptr) return not_found();
    route = "letterboxd.tmdb_redirect";
    return FakeReply::redirect(302, fmt::format("/film/{}/", f->slug));
  }

  const User* u = world.user(seg[0]);
  if (u == nullptr) return not_found();
  if (seg.size() == 1) {
    route = "letterboxd.profile";
    std::string out = page_head(fmt::format("{}’s profile • Letterboxd", u->display_name));
    out += fmt::format(
        "<body class=\"profile\" data-owner=\"{0}\">\n<section class=\"profile-header\"><h1 "
        "class=\"title-1\">{1}</h1>"
        "<h4 class=\"profile-statistic statistic\"><a href=\"/{0}/films/\"><span "
        "class=\"value\">{2}</span>"
        "<span class=\"definition\">Films</span></a></h4></section>\n</body>\n</html>\n",
        u->name, html_escape(u->display_name), u->films.size());
    return FakeReply::html(200, out);
  }

  if (seg[1] == "rss" && seg.size() == 2) {
    route = "letterboxd.rss";
    FakeReply r = FakeReply::html(200, rss_feed(world, *u));
    r.content_type = "application/rss+xml; charset=utf-8";
    return r;
  }

  std::vector<std::pair<int, const Viewing*>> items;
  GridPage g;
  int per_page = kFilmsPerPage;
  int page = 0;
  if (seg[1] == "films") {
    page = page_number(seg, 2);
    route = "letterboxd.films";
    g = {"screen-member-child-page films-watched wide small-poster-grid",
         fmt::format("{}’s films • Letterboxd", u->display_name), "Watched",
         fmt::format("/{}/films/", u->name), ""};
    for (const Viewing& v : u->films)
      items.emplace_back(v.film, &v);
  } else if (seg[1] == "likes" && seg.size() >= 3 && seg[2] == "films") {
    page = page_number(seg, 3);
    route = "letterboxd.likes";
    g = {"screen-member-child-page likes-films wide small-poster-grid",
         fmt::format("Films liked by {} • Letterboxd", u->display_name), "Liked films",
         fmt::format("/{}/likes/films/", u->name), ""};
    for (const Viewing& v : u->films) {
      if (v.liked) items.emplace_back(v.film, &v);
    }
  } else if (seg[1] == "watchlist") {
    page = page_number(seg, 2);
    route = "letterboxd.watchlist";
    per_page = kWatchlistPerPage;
    g = {"screen-member-child-page watchlist wide",
         fmt::format("{}’s Watchlist • Letterboxd", u->display_name), "Watchlist",
         fmt::format("/{}/watchlist/", u->name),
         fmt::format("<div class=\"s-watchlist-content\" data-num-entries=\"{0}\"><span "
                     "class=\"js-watchlist-count\">{0}&nbsp;films</span></div>\n",
                     u->watchlist.size())};
    for (int f : u->watchlist)
      items.emplace_back(f, nullptr);
  } else {
    return not_found();
  }
  if (page == 0) return not_found();
  return FakeReply::html(200, grid_page(world, *u, g, page, per_page, items));
}

}  // namespace lbrec::fakeworld
