/* SPDX-License-Identifier: MIT */
/* dates.c - ISO dates read, checked, compared and worded (dates.h). */
#include "dates.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const month_names[12] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};

static bool is_leap(long y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(long y, long m) {
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : month_days[m - 1];
}

bool bm_date_check(long y, long m, long d, char *why, size_t why_size) {
    if (m < 1 || m > 12) {
        if (why != NULL)
            snprintf(why, why_size, "month %ld is not 01-12", m);
        return false;
    }
    if (d < 1 || d > days_in_month(y, m)) {
        if (why != NULL)
            snprintf(why, why_size, "day %ld is not in month %02ld of %04ld, which has %d days", d,
                     m, y, days_in_month(y, m));
        return false;
    }
    return true;
}

/* Reads min_n to max_n ASCII digits at *s (as many as there are, up to max_n), moving *s past
 * them. False, with *s and *out untouched, when fewer than min_n are there. */
static bool digits(const char **s, int min_n, int max_n, long *out) {
    long v = 0;
    int n = 0;
    while (n < max_n && (*s)[n] >= '0' && (*s)[n] <= '9') {
        v = v * 10 + ((*s)[n] - '0');
        n++;
    }
    if (n < min_n)
        return false;
    *s += n;
    *out = v;
    return true;
}

/* YYYY-MM-DD at *s, moving *s past it; no calendar check. */
static bool iso_fields(const char **s, long *y, long *m, long *d) {
    const char *p = *s;
    if (!digits(&p, 4, 4, y) || *p++ != '-' || !digits(&p, 2, 2, m) || *p++ != '-' ||
        !digits(&p, 2, 2, d))
        return false;
    *s = p;
    return true;
}

bool bm_date_is_iso(const char *text) {
    const char *s = text;
    long y, m, d;
    return iso_fields(&s, &y, &m, &d) && *s == '\0' && bm_date_check(y, m, d, NULL, 0);
}

/* Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm). */
static int64_t days_from_civil(long y, long m, long d) {
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + doe - 719468;
}

bool bm_date_parse_when(const char *text, bm_when *out, char *why, size_t why_size) {
    const char *s = text;
    long y, mo, d, h = 0, mi = 0, sec = 0, off = 0;
    if (!iso_fields(&s, &y, &mo, &d)) {
        snprintf(why, why_size, "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]");
        return false;
    }
    if (!bm_date_check(y, mo, d, why, why_size))
        return false;
    const bool has_time = *s == 'T';
    if (has_time) {
        s++;
        if (!digits(&s, 2, 2, &h) || *s++ != ':' || !digits(&s, 2, 2, &mi)) {
            snprintf(why, why_size, "expected a time HH:MM after 'T'");
            return false;
        }
        if (*s == ':' && (s++, !digits(&s, 2, 2, &sec))) {
            snprintf(why, why_size, "expected seconds SS after HH:MM:");
            return false;
        }
        if (h > 23 || mi > 59 || sec > 59) {
            snprintf(why, why_size, "time %02ld:%02ld:%02ld is out of range", h, mi, sec);
            return false;
        }
        if (*s == 'Z') {
            s++;
        } else if (*s == '+' || *s == '-') {
            const long sign = *s++ == '-' ? -1 : 1;
            long oh, om;
            if (!digits(&s, 2, 2, &oh) || *s++ != ':' || !digits(&s, 2, 2, &om) || oh > 14 ||
                om > 59) {
                snprintf(why, why_size, "expected a UTC offset +HH:MM or -HH:MM");
                return false;
            }
            off = sign * (oh * 60 + om);
        }
    }
    if (*s != '\0') {
        snprintf(why, why_size, "unexpected '%s' after the %s", s, has_time ? "time" : "date");
        return false;
    }
    out->minutes = days_from_civil(y, mo, d) * 1440 + h * 60 + mi - off;
    out->has_time = has_time;
    return true;
}

/* A month name or its first three letters, any ASCII case; 0 when none. */
static long month_from_name(const char *word, size_t n) {
    char lower[16];
    if (n < 3 || n >= sizeof lower)
        return 0;
    for (size_t i = 0; i < n; i++)
        lower[i] = (char)(word[i] >= 'A' && word[i] <= 'Z' ? word[i] - 'A' + 'a' : word[i]);
    lower[n] = '\0';
    for (long m = 0; m < 12; m++) {
        const char *name = month_names[m];
        size_t k = 0;
        while (k < n && name[k] != '\0' &&
               lower[k] == (name[k] >= 'A' && name[k] <= 'Z' ? name[k] - 'A' + 'a' : name[k]))
            k++;
        if ((k == n && name[k] == '\0') || (n == 3 && k == 3))
            return m + 1;
    }
    return 0;
}

bool bm_date_parse_day(const char *text, char iso[11], char *why, size_t why_size) {
    const char *s = text;
    long y = 0, m = 0, d = 0;
    const char *expected = "expected YYYY-MM-DD or '31 January 2026'";
    if (strlen(text) == 10 && text[4] == '-') {
        if (!iso_fields(&s, &y, &m, &d) || *s != '\0') {
            snprintf(why, why_size, "%s", expected);
            return false;
        }
    } else {
        if (!digits(&s, 1, 2, &d) || *s++ != ' ') {
            snprintf(why, why_size, "%s", expected);
            return false;
        }
        const char *word = s;
        while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
            s++;
        m = month_from_name(word, (size_t)(s - word));
        if (m == 0) {
            snprintf(why, why_size, "unknown month '%.*s'; expected an English month name",
                     (int)(s - word), word);
            return false;
        }
        if (*s++ != ' ' || !digits(&s, 4, 4, &y) || *s != '\0') {
            snprintf(why, why_size, "%s", expected);
            return false;
        }
    }
    if (!bm_date_check(y, m, d, why, why_size))
        return false;
    snprintf(iso, 11, "%04ld-%02ld-%02ld", y, m, d);
    return true;
}

int bm_date_compare_day(const char *a, const char *b) {
    return strncmp(a, b, 10);
}

/* Year, month (1-12) and day of an ISO date at the start of text (no calendar check beyond the
 * month, as the map wording always did). */
static bool day_fields(const char *text, long *y, long *m, long *d) {
    const char *s = text;
    return iso_fields(&s, y, m, d) && *m >= 1 && *m <= 12;
}

void bm_date_format_day_month(const char *iso, char *out, size_t out_size) {
    long y, m, d;
    if (day_fields(iso, &y, &m, &d))
        snprintf(out, out_size, "%ld %.3s", d, month_names[m - 1]);
    else
        snprintf(out, out_size, "%s", iso);
}

void bm_date_format_long(const char *iso, char *out, size_t out_size) {
    long y, m, d;
    if (day_fields(iso, &y, &m, &d))
        snprintf(out, out_size, "%ld %s %ld", d, month_names[m - 1], y);
    else
        snprintf(out, out_size, "%.10s", iso);
}

void bm_date_format_month(const char *iso, char *out, size_t out_size) {
    long m = 0;
    if (strlen(iso) >= 7 && iso[4] == '-' && isdigit((unsigned char)iso[5]) &&
        isdigit((unsigned char)iso[6]))
        m = (iso[5] - '0') * 10 + (iso[6] - '0');
    if (m >= 1 && m <= 12)
        snprintf(out, out_size, "%s %.4s", month_names[m - 1], iso);
    else
        snprintf(out, out_size, "%.7s", iso);
}
