#include "clock.hpp"

#include <chrono>
#include <cstdio>

namespace secfeed::emulator {
namespace {

using namespace std::chrono;

bool read_number(std::string_view text, std::size_t& pos, std::size_t digits, int& value) {
  if (pos + digits > text.size()) return false;
  value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += digits;
  return true;
}

bool skip(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

struct Civil {
  year_month_day date;
  int hour, minute, second;
  Ticks fraction;
};

Civil to_civil(Ticks ticks) {
  Ticks days_part = ticks / kTicksPerDay;
  Ticks rest = ticks % kTicksPerDay;
  if (rest < 0) {
    rest += kTicksPerDay;
    --days_part;
  }
  const auto date = year_month_day{sys_days{days{days_part}}};
  const Ticks seconds_of_day = rest / kTicksPerSecond;
  return Civil{date, static_cast<int>(seconds_of_day / 3600),
               static_cast<int>((seconds_of_day / 60) % 60), static_cast<int>(seconds_of_day % 60),
               rest % kTicksPerSecond};
}

}  // namespace

std::optional<Ticks> parse_datetime(std::string_view text) {
  std::size_t pos = 0;
  int y, mo, d, h, mi, s;
  if (!read_number(text, pos, 4, y) || !skip(text, pos, '-') || !read_number(text, pos, 2, mo) ||
      !skip(text, pos, '-') || !read_number(text, pos, 2, d)) {
    return std::nullopt;
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't')) return std::nullopt;
  ++pos;
  if (!read_number(text, pos, 2, h) || !skip(text, pos, ':') || !read_number(text, pos, 2, mi) ||
      !skip(text, pos, ':') || !read_number(text, pos, 2, s)) {
    return std::nullopt;
  }
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  Ticks fraction = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits == 7) return std::nullopt;
      fraction = fraction * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 7; ++digits) fraction *= 10;
  }
  Ticks offset = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const Ticks sign = text[pos] == '+' ? 1 : -1;
    ++pos;
    int oh, om;
    if (!read_number(text, pos, 2, oh) || !skip(text, pos, ':') || !read_number(text, pos, 2, om) ||
        oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset = sign * (oh * kTicksPerHour + om * kTicksPerMinute);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  const Ticks day_count = sys_days{date}.time_since_epoch().count();
  return day_count * kTicksPerDay + h * kTicksPerHour + mi * kTicksPerMinute + s * kTicksPerSecond +
         fraction - offset;
}

std::string format_datetime(Ticks ticks) {
  const Civil c = to_civil(ticks);
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%07lldZ",
                static_cast<int>(c.date.year()), static_cast<unsigned>(c.date.month()),
                static_cast<unsigned>(c.date.day()), c.hour, c.minute, c.second,
                static_cast<long long>(c.fraction));
  return text;
}

std::string format_date(Ticks ticks) {
  return format_datetime(ticks).substr(0, 10);
}

std::string format_http_date(Ticks ticks) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const Civil c = to_civil(ticks);
  const weekday wd{sys_days{c.date}};
  char text[40];
  std::snprintf(text, sizeof text, "%s, %02u %s %04d %02d:%02d:%02d GMT", kDays[wd.c_encoding()],
                static_cast<unsigned>(c.date.day()),
                kMonths[static_cast<unsigned>(c.date.month()) - 1], static_cast<int>(c.date.year()),
                c.hour, c.minute, c.second);
  return text;
}

Ticks Clock::now() const {
  const auto since_epoch = system_clock::now().time_since_epoch();
  return duration_cast<duration<Ticks, std::ratio<1, 10'000'000>>>(since_epoch).count() + offset_;
}

void Clock::start_at(Ticks start) {
  offset_ = 0;
  offset_ = start - now();
}

}  // namespace secfeed::emulator
