#include <gtest/gtest.h>

#include "policy/windows.h"

namespace pixmill::policy {
namespace {

TEST(Windows, MinuteWindowEdges) {
  EXPECT_EQ(minute_window(6000).reset_epoch_s, 6060);
  EXPECT_EQ(minute_window(6059).id, minute_window(6000).id);
  EXPECT_NE(minute_window(6060).id, minute_window(6059).id);
  EXPECT_EQ(minute_window(6060).reset_epoch_s, 6120);
  EXPECT_EQ(minute_window(6010).seconds_left(6010), 50);
  EXPECT_EQ(minute_window(6059).seconds_left(6060), 1);  // never 0: Retry-After must make the client wait
}

TEST(Windows, MonthRollsOverAtUtcMidnightOnTheFirst) {
  // 2026-11-30T23:59:59Z and 2026-12-01T00:00:00Z
  const int64_t last_second_of_november = 1796083199, first_of_december = 1796083200;
  EXPECT_EQ(month_window(last_second_of_november).id, "2026-11");
  EXPECT_EQ(month_window(last_second_of_november).reset_epoch_s, first_of_december);
  EXPECT_EQ(month_window(first_of_december).id, "2026-12");
  // December rolls into the next year.
  EXPECT_EQ(month_window(first_of_december).reset_epoch_s, 1798761600);  // 2027-01-01
  EXPECT_EQ(month_window(1798761600).id, "2027-01");
}

TEST(Windows, FebruaryOfALeapYear) {
  const int64_t feb_29_2028_noon = 1835438400;  // 2028-02-29T12:00:00Z
  EXPECT_EQ(month_window(feb_29_2028_noon).id, "2028-02");
  EXPECT_EQ(month_window(feb_29_2028_noon).reset_epoch_s, 1835481600);  // 2028-03-01
}

}  // namespace
}  // namespace pixmill::policy
