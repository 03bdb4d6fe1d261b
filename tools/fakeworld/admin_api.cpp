#include "admin_api.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "export_zip.hpp"

namespace lbrec::fakeworld {

namespace json = boost::json;

namespace {

FakeReply admin_error(int status, std::string_view message) {
  return FakeReply::json(status, json::object{{"error", message}});
}

}  // namespace

FakeReply serve_admin(const World& world, FaultInjector& faults, RequestStats& stats,
                      const FakeRequest& fr) {
  FakeReply r;
  if (fr.path == "/__stats") {
    r = FakeReply::json(200, stats.describe());
  } else if (fr.path == "/__reset") {
    if (fr.method != "POST") {
      r = admin_error(405, "POST to reset the counters");
    } else {
      stats.reset();
      r = FakeReply::json(200, json::object{{"reset", true}});
    }
  } else if (fr.path == "/__faults") {
    if (fr.method == "DELETE") {
      faults.clear();
      r = FakeReply::json(200, faults.describe());
    } else if (fr.method == "POST") {
      boost::system::error_code jec;
      const json::value spec = json::parse(fr.body, jec);
      if (jec || !spec.is_object()) {
        r = admin_error(400, "body must be a JSON object");
      } else if (auto applied = faults.apply_json(spec.get_object()); !applied) {
        r = admin_error(400, applied.error().message);
      } else {
        r = FakeReply::json(200, faults.describe());
      }
    } else {
      r = FakeReply::json(200, faults.describe());
    }
  } else if (fr.path == "/__users") {
    json::array users;
    for (const User& u : world.users()) {
      std::size_t rated = 0, liked = 0, four_plus = 0;
      for (const Viewing& v : u.films) {
        rated += v.rating > 0;
        liked += v.liked;
        four_plus += v.rating >= 8;
      }
      users.push_back(json::object{{"name", u.name},
                                   {"films", u.films.size()},
                                   {"rated", rated},
                                   {"liked", liked},
                                   {"rated_4_plus", four_plus},
                                   {"watchlist", u.watchlist.size()},
                                   {"markup", to_string(u.markup)}});
    }
    r = FakeReply::json(200, users);
  } else if (fr.path.starts_with("/__export/") && fr.path.ends_with(".zip")) {
    const std::string name = fr.path.substr(10, fr.path.size() - 14);
    const User* u = world.user(name);
    if (u == nullptr) {
      r = admin_error(404, "no such member");
    } else if (auto zip = export_zip(world, *u, fr.param("nested") == "1"); !zip) {
      r = admin_error(500, zip.error().message);
    } else {
      r.content_type = "application/zip";
      r.headers.emplace_back(
          "Content-Disposition",
          fmt::format("attachment; filename=\"letterboxd-{}-export.zip\"", u->name));
      r.body = std::move(*zip);
    }
  } else {
    r = admin_error(404, "unknown admin endpoint");
  }
  return r;
}

}  // namespace lbrec::fakeworld
