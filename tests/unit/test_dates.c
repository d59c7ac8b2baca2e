/* SPDX-License-Identifier: MIT */
/* dates: the one date module - ISO dates with calendar checks, ACLED's day-month-year, moments
 * with times and offsets, comparing, and the wording on maps. */
#include "check.h"
#include "dates.h"

static void calendar_checks(void) {
    char why[128];
    CHECK(bm_date_check(2024, 2, 29, why, sizeof why)); /* a leap year */
    CHECK(!bm_date_check(2026, 2, 29, why, sizeof why));
    CHECK_STREQ(why, "day 29 is not in month 02 of 2026, which has 28 days");
    CHECK(!bm_date_check(2026, 2, 30, why, sizeof why));
    CHECK(!bm_date_check(1900, 2, 29, NULL, 0)); /* centuries are not leap years... */
    CHECK(bm_date_check(2000, 2, 29, NULL, 0));  /* ...unless divisible by 400 */
    CHECK(!bm_date_check(2026, 13, 1, why, sizeof why));
    CHECK_STREQ(why, "month 13 is not 01-12");
    CHECK(!bm_date_check(2026, 4, 31, NULL, 0));
    CHECK(!bm_date_check(2026, 1, 0, NULL, 0));
}

static void iso_dates_only(void) {
    CHECK(bm_date_is_iso("2026-01-31"));
    CHECK(!bm_date_is_iso("2026-02-30"));
    CHECK(!bm_date_is_iso("2026-1-31"));
    CHECK(!bm_date_is_iso("2026-01-31T05:00"));
    CHECK(!bm_date_is_iso("26-01-31"));
    CHECK(!bm_date_is_iso(""));
}

static void moments_with_times_and_offsets(void) {
    bm_when a, b;
    char why[128];
    REQUIRE(bm_date_parse_when("1970-01-02", &a, why, sizeof why));
    CHECK_INTEQ(a.minutes, 1440);
    CHECK(!a.has_time);
    REQUIRE(bm_date_parse_when("2026-01-31T05:00+05:00", &a, why, sizeof why));
    REQUIRE(bm_date_parse_when("2026-01-31T00:00Z", &b, why, sizeof why));
    CHECK_INTEQ(a.minutes, b.minutes); /* 05:00 in Quetta is midnight UTC */
    CHECK(a.has_time);
    REQUIRE(bm_date_parse_when("2026-01-31T00:00:59", &b, why, sizeof why));
    CHECK(!bm_date_parse_when("2026-02-30", &a, why, sizeof why));
    CHECK_STRCONTAINS(why, "which has 28 days");
    CHECK(!bm_date_parse_when("2026-01-31T24:00", &a, why, sizeof why));
    CHECK_STRCONTAINS(why, "out of range");
    CHECK(!bm_date_parse_when("2026-01-31T05", &a, why, sizeof why));
    CHECK(!bm_date_parse_when("2026-01-31T05:00+5", &a, why, sizeof why));
    CHECK(!bm_date_parse_when("2026-01-31 ", &a, why, sizeof why));
    CHECK_STRCONTAINS(why, "unexpected ' ' after the date");
    CHECK(!bm_date_parse_when("31/01/2026", &a, why, sizeof why));
}

static void acled_days_become_iso(void) {
    char iso[11], why[128];
    CHECK(bm_date_parse_day("31 January 2026", iso, why, sizeof why));
    CHECK_STREQ(iso, "2026-01-31");
    CHECK(bm_date_parse_day("9 nov 2024", iso, why, sizeof why));
    CHECK_STREQ(iso, "2024-11-09");
    CHECK(bm_date_parse_day("29 February 2024", iso, why, sizeof why));
    CHECK(!bm_date_parse_day("29 February 2026", iso, why, sizeof why));
    CHECK_STRCONTAINS(why, "which has 28 days");
    CHECK(!bm_date_parse_day("2026-1-31", iso, why, sizeof why));
    CHECK(!bm_date_parse_day("31/01/2026", iso, why, sizeof why));
    CHECK(!bm_date_parse_day("31 January 2026 ", iso, why, sizeof why));
    CHECK(!bm_date_parse_day("", iso, why, sizeof why));
    CHECK(bm_date_parse_day("2026-12-31", iso, why, sizeof why));
    CHECK_STREQ(iso, "2026-12-31");
    CHECK(!bm_date_parse_day("30 February 2026", iso, why, sizeof why));
    CHECK(!bm_date_parse_day("31 Janvier 2026", iso, why, sizeof why));
    CHECK_STRCONTAINS(why, "unknown month 'Janvier'");
    CHECK(!bm_date_parse_day("31 Sept 2026", iso, why, sizeof why)); /* 3 letters or all */
    CHECK(!bm_date_parse_day("2026-13-01", iso, why, sizeof why));
}

static void compares_days_and_words_them(void) {
    CHECK(bm_date_compare_day("2026-02-01", "2026-01-31") > 0);
    CHECK(bm_date_compare_day("2026-01-31T23:00", "2026-01-31") == 0); /* same day */
    CHECK(bm_date_compare_day("2025-12-31", "2026-01-01") < 0);
    char out[64];
    bm_date_format_day_month("2024-11-09", out, sizeof out);
    CHECK_STREQ(out, "9 Nov");
    bm_date_format_day_month("2026-01-31T05:00", out, sizeof out);
    CHECK_STREQ(out, "31 Jan");
    bm_date_format_long("2024-11-09", out, sizeof out);
    CHECK_STREQ(out, "9 November 2024");
    bm_date_format_long("someday", out, sizeof out); /* not a date: kept as written */
    CHECK_STREQ(out, "someday");
}

int main(void) {
    RUN(calendar_checks);
    RUN(iso_dates_only);
    RUN(moments_with_times_and_offsets);
    RUN(acled_days_become_iso);
    RUN(compares_days_and_words_them);
    return CHECK_DONE();
}
