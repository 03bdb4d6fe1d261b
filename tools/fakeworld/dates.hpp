#pragma once

#include <string>

namespace lbrec::fakeworld {

// Days since 1970-01-01 (civil calendar, proleptic Gregorian).
int days_from_civil(int y, int m, int d);
void civil_from_days(int days, int& y, int& m, int& d);

// "YYYY-MM-DD".
std::string iso_date(int days);
// RFC 822 date as RSS uses it: "Sat, 04 Jul 2026 10:00:00 +1200".
std::string rfc822_date(int days, int seconds_of_day);

// The fake world's "today": every generated date lies before it, so pages never change with
// the real date.
inline constexpr int kWorldToday = 20758;  // 2026-11-01

}  // namespace lbrec::fakeworld
