/* SPDX-License-Identifier: MIT */
/* dates.h - the one date module: reading and checking ISO dates (calendar checks included:
 * 2026-02-30 is refused), ACLED's "31 January 2026", comparing, and the wording on maps
 * ("9 Nov", "9 November 2024"). Dates are proleptic Gregorian. Plain functions: no state, no
 * allocation, safe from any thread. Messages written into `why` are lower case, no full stop. */
#ifndef BM_DATES_H
#define BM_DATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A moment as an incident file states it. */
typedef struct bm_when {
    int64_t minutes; /* since 1970-01-01T00:00Z; a date alone is its day's first minute */
    bool has_time;
} bm_when;

/* Whether month m (1-12) and day d of year y exist; when not, writes why ("month 13 is not
 * 01-12", "day 30 is not in month 02 of 2026, which has 28 days"). why may be NULL. */
bool bm_date_check(long y, long m, long d, char *why, size_t why_size);

/* Whether text is exactly YYYY-MM-DD, digits only, and a day that exists. */
bool bm_date_is_iso(const char *text);

/* Parses YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM]. On failure writes why. */
bool bm_date_parse_when(const char *text, bm_when *out, char *why, size_t why_size);

/* Reads a date as YYYY-MM-DD or "31 January 2026" (ACLED's; month names in English, any case,
 * three-letter abbreviations too) into iso ("2026-01-31"). On failure writes why. */
bool bm_date_parse_day(const char *text, char iso[11], char *why, size_t why_size);

/* Compares the days (the first ten characters) of two ISO dates or date-times: <0, 0, >0. */
int bm_date_compare_day(const char *a, const char *b);

/* "2026-01-31" -> "31 Jan"; text that is not an ISO date is copied as it is. */
void bm_date_format_day_month(const char *iso, char *out, size_t out_size);
/* "2026-01-31" -> "31 January 2026"; text that is not an ISO date is copied (10 bytes at most). */
void bm_date_format_long(const char *iso, char *out, size_t out_size);
/* "2026-01" or "2026-01-31" -> "January 2026"; other text is copied (7 bytes at most). */
void bm_date_format_month(const char *iso, char *out, size_t out_size);

#endif
