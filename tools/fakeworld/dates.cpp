#include "dates.hpp"

#include <fmt/format.h>

namespace lbrec::fakeworld {

// Howard Hinnant's algorithms (public domain description of the civil calendar arithmetic).
int days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int z, int& y, int& m, int& d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp + (mp < 10 ? 3 : -9);
  y += m <= 2;
}

std::string iso_date(int days) {
  int y, m, d;
  civil_from_days(days, y, m, d);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

std::string rfc822_date(int days, int seconds_of_day) {
  static constexpr const char* kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int y, m, d;
  civil_from_days(days, y, m, d);
  const int weekday = ((days % 7) + 7) % 7;  // 1970-01-01 was a Thursday
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +1200", kDays[weekday], d,
                     kMonths[m - 1], y, seconds_of_day / 3600, seconds_of_day / 60 % 60,
                     seconds_of_day % 60);
}

}  // namespace lbrec::fakeworld
