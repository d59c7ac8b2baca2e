/* SPDX-License-Identifier: MIT */
/* incidents_json.c - reads the JSON incident format (docs/incident-format.md) with cJSON.
 *
 * Three passes over one text: the raw bytes are checked as UTF-8; cJSON parses them (its stop
 * pointer gives the line and column of a syntax error); a small scanner (incidents_input.c) then
 * walks the text and the cJSON tree side by side and records where each value starts, because
 * cJSON keeps no positions. The checks walk the tree, building the RFC 6901 pointer as they go,
 * and collect every problem. What the model keeps is copied into its arena; the tree is deleted
 * before returning. */
#include <cjson/cJSON.h>

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incidents.h"
#include "incidents_input.h"

#define FORMAT_VERSION 1

typedef struct reader {
    const char *text;
    size_t len;
    const char *path;
    bm_diags *diags;
    bm_error *err;
    bm_arena *arena;
    bool is_out_of_memory;
    size_t n_errors;
    bm_input_positions positions;
    char pointer[1024]; /* the JSON pointer of the value being checked */
    size_t pointer_len;
} reader;

/* ---- positions ------------------------------------------------------------------------- */

static int line_of(const reader *r, const cJSON *node) {
    const bm_input_pos *p = bm_input_position_of(&r->positions, node);
    return p != NULL ? p->line : 0;
}

/* ---- JSON pointers and diagnostics ------------------------------------------------------ */

static size_t pointer_push_key(reader *r, const char *key) {
    const size_t saved = r->pointer_len;
    size_t n = r->pointer_len;
    const size_t cap = sizeof r->pointer - 1;
    if (n < cap)
        r->pointer[n++] = '/';
    for (const char *k = key; *k != '\0' && n + 2 <= cap; k++) {
        if (*k == '~' || *k == '/') { /* RFC 6901: ~ is ~0, / is ~1 */
            r->pointer[n++] = '~';
            r->pointer[n++] = *k == '~' ? '0' : '1';
        } else {
            r->pointer[n++] = *k;
        }
    }
    r->pointer[n] = '\0';
    r->pointer_len = n;
    return saved;
}

static size_t pointer_push_index(reader *r, size_t i) {
    char digits[32];
    snprintf(digits, sizeof digits, "%zu", i);
    return pointer_push_key(r, digits);
}

static void pointer_pop(reader *r, size_t saved) {
    r->pointer_len = saved;
    r->pointer[saved] = '\0';
}

/* Room in the arena for n items (at least one) of size bytes; NULL when memory ran out. */
static void *alloc_items(reader *r, size_t n, size_t size) {
    void *items = bm_arena_alloc(r->arena, (n ? n : 1) * size);
    if (items == NULL)
        r->is_out_of_memory = true;
    return items;
}

static const char *arena_pointer(reader *r) {
    const char *p = bm_arena_strdup(r->arena, r->pointer);
    if (p == NULL)
        r->is_out_of_memory = true;
    return p;
}

/* Adds the problem e; the first error is also copied to r->err. */
static void add(reader *r, bm_severity severity, const bm_error *e) {
    if (bm_input_report(r->diags, r->err, &r->n_errors, severity, e) != BM_OK)
        r->is_out_of_memory = true;
}

/* Adds one problem at node (its member name when at_key), with the current pointer. hint may be
 * NULL. */
static BM_VPRINTF(6) void vflag(reader *r, bm_severity severity, const cJSON *at, bool at_key,
                                const char *hint, const char *fmt, va_list ap) {
    bm_error e = {0};
    e.status = BM_ERR_INVALID;
    vsnprintf(e.message, sizeof e.message, fmt, ap);
    bm_error_file(&e, r->path);
    bm_error_pointer(&e, r->pointer[0] != '\0' ? r->pointer : "");
    const bm_input_pos *p = bm_input_position_of(&r->positions, at);
    if (p != NULL) {
        e.line = at_key && p->key_line > 0 ? p->key_line : p->line;
        e.column = at_key && p->key_line > 0 ? p->key_column : p->column;
    }
    if (hint != NULL)
        bm_error_hint(&e, "%s", hint);
    add(r, severity, &e);
}

static void BM_PRINTF(6, 7) flag(reader *r, bm_severity severity, const cJSON *at, bool at_key,
                                 const char *hint, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vflag(r, severity, at, at_key, hint, fmt, ap);
    va_end(ap);
}

#define ERROR_AT(r, at, hint, ...) flag((r), BM_SEV_ERROR, (at), false, (hint), __VA_ARGS__)

/* An error at the member key of obj, with the pointer to it. */
static void BM_PRINTF(5, 6)
    error_in(reader *r, const cJSON *obj, const char *key, const char *hint, const char *fmt, ...) {
    const size_t saved = pointer_push_key(r, key);
    va_list ap;
    va_start(ap, fmt);
    vflag(r, BM_SEV_ERROR, bm_input_member(obj, key), false, hint, fmt, ap);
    va_end(ap);
    pointer_pop(r, saved);
}

/* ---- suggestions ------------------------------------------------------------------------ */

/* Ids compared where an earlier object may have none (its missing "id" already an error): a
 * missing id equals nothing. */
static bool same_id(const char *a, const char *b) {
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static void join(const char *const *words, size_t n, char *out, size_t out_size) {
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && used < out_size; i++) {
        const int w = snprintf(out + used, out_size - used, "%s%s", i ? ", " : "", words[i]);
        if (w < 0)
            return;
        used += (size_t)w;
    }
}

/* ---- object members --------------------------------------------------------------------- */

typedef struct object_rules {
    const char *what; /* "claim", "source", ... for messages */
    const char *const *keys;
    size_t n_keys;
} object_rules;

/* Unknown keys are warnings, so a typo ("vlaue") is never silently ignored; duplicate keys are
 * errors, because cJSON would keep one of them without saying so. */
static void check_members(reader *r, const cJSON *obj, const object_rules *rules) {
    for (const cJSON *c = obj->child; c != NULL; c = c->next) {
        const size_t saved = pointer_push_key(r, c->string);
        bool is_known = false;
        for (size_t i = 0; i < rules->n_keys; i++)
            is_known = is_known || strcmp(c->string, rules->keys[i]) == 0;
        if (!is_known) {
            char valid[512], hint[256];
            join(rules->keys, rules->n_keys, valid, sizeof valid);
            const char *guess = bm_closest(c->string, rules->keys, rules->n_keys);
            if (guess != NULL)
                snprintf(hint, sizeof hint, "did you mean '%s'?", guess);
            else
                snprintf(hint, sizeof hint, "remove it, or put free text in 'note'");
            flag(r, BM_SEV_WARNING, c, true, hint,
                 "unknown key '%s' in %s (ignored); expected one of: %s", c->string, rules->what,
                 valid);
        }
        for (const cJSON *e = obj->child; e != c; e = e->next) {
            if (strcmp(e->string, c->string) == 0) {
                char hint[128];
                snprintf(hint, sizeof hint, "the first is at line %d; keep one of them",
                         line_of(r, e));
                flag(r, BM_SEV_ERROR, c, true, hint, "duplicate key '%s' in %s", c->string,
                     rules->what);
                break;
            }
        }
        pointer_pop(r, saved);
    }
}

static void missing(reader *r, const cJSON *obj, const char *key, const char *what,
                    const char *hint) {
    ERROR_AT(r, obj, hint, "missing required key '%s' in %s", key, what);
}

/* An error at the id of obj (at obj when the id was generated), first used at first_line. */
static void duplicate_id(reader *r, const cJSON *obj, const char *what, const char *id,
                         int first_line) {
    char hint[96];
    snprintf(hint, sizeof hint, "the first is at line %d; ids must be unique", first_line);
    const cJSON *at = bm_input_member(obj, "id");
    const size_t saved = pointer_push_key(r, "id");
    ERROR_AT(r, at != NULL ? at : obj, hint, "duplicate %s id '%s'", what, id);
    pointer_pop(r, saved);
}

/* A string member, copied into the arena: NULL when absent (an error if required), not a string,
 * or blank (both errors). */
static const char *read_string(reader *r, const cJSON *obj, const char *key, const char *what,
                               bool is_required) {
    const cJSON *item = bm_input_member(obj, key);
    if (item == NULL) {
        if (is_required)
            missing(r, obj, key, what, NULL);
        return NULL;
    }
    const size_t saved = pointer_push_key(r, key);
    const char *out = NULL;
    if (!cJSON_IsString(item)) {
        char got[96];
        ERROR_AT(r, item, NULL, "expected a string for '%s', found %s", key,
                 bm_input_describe(item, got, sizeof got));
    } else if (item->valuestring[strspn(item->valuestring, " \t\r\n")] == '\0') {
        ERROR_AT(r, item, NULL, "empty '%s' in %s", key, what);
    } else {
        out = bm_arena_strdup(r->arena, item->valuestring);
        if (out == NULL)
            r->is_out_of_memory = true;
    }
    pointer_pop(r, saved);
    return out;
}

/* An array member; NULL (with an error) when absent-and-required or not an array. */
static const cJSON *read_array(reader *r, const cJSON *obj, const char *key, const char *what,
                               bool is_required) {
    const cJSON *item = bm_input_member(obj, key);
    if (item == NULL) {
        if (is_required)
            missing(r, obj, key, what, NULL);
        return NULL;
    }
    if (!cJSON_IsArray(item)) {
        char got[96];
        const size_t saved = pointer_push_key(r, key);
        ERROR_AT(r, item, NULL, "expected an array for '%s', found %s", key,
                 bm_input_describe(item, got, sizeof got));
        pointer_pop(r, saved);
        return NULL;
    }
    return item;
}

/* Whether item is an object (an error if not); when it is, checks its members against rules. */
static bool expect_object(reader *r, const cJSON *item, const char *what,
                          const object_rules *rules) {
    if (cJSON_IsObject(item)) {
        check_members(r, item, rules);
        return true;
    }
    char got[96];
    ERROR_AT(r, item, NULL, "expected an object for %s, found %s", what,
             bm_input_describe(item, got, sizeof got));
    return false;
}

/* ---- dates ------------------------------------------------------------------------------ */

typedef struct when {
    int64_t minutes; /* since 1970-01-01T00:00Z; a date alone is its day's first minute */
    bool has_time;
} when;

/* Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm). */
static int64_t days_from_civil(long y, long m, long d) {
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + doe - 719468;
}

/* Reads exactly n digits. */
static bool digits(const char **s, int n, long *out) {
    return bm_input_digits(s, n, n, out);
}

/* Parses YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM]. On failure writes why. */
static bool parse_when(const char *text, when *out, char *why, size_t why_size) {
    const char *s = text;
    long y, mo, d, h = 0, mi = 0, sec = 0, off = 0;
    if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) || *s++ != '-' ||
        !digits(&s, 2, &d)) {
        snprintf(why, why_size, "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]");
        return false;
    }
    if (!bm_input_check_date(y, mo, d, why, why_size))
        return false;
    const bool has_time = *s == 'T';
    if (has_time) {
        s++;
        if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi)) {
            snprintf(why, why_size, "expected a time HH:MM after 'T'");
            return false;
        }
        if (*s == ':' && (s++, !digits(&s, 2, &sec))) {
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
            if (!digits(&s, 2, &oh) || *s++ != ':' || !digits(&s, 2, &om) || oh > 14 || om > 59) {
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

static const char *read_when(reader *r, const cJSON *obj, const char *key, const char *what,
                             bool is_required, when *out) {
    const char *text = read_string(r, obj, key, what, is_required);
    if (text == NULL)
        return NULL;
    char why[160];
    if (!parse_when(text, out, why, sizeof why)) {
        error_in(r, obj, key, "write dates as 2026-01-31, or 2026-01-31T05:00+05:00",
                 "invalid date '%s' in '%s': %s", text, key, why);
        return NULL;
    }
    return text;
}

/* ---- values ----------------------------------------------------------------------------- */

/* Counts are whole and non-negative. Fractions and negatives are entry mistakes, not estimates,
 * so they are refused, never rounded; so is anything above BM_MAX_COUNT. */
static bool read_count(reader *r, const cJSON *item, const char *key, int64_t *out) {
    char got[96];
    if (cJSON_IsString(item)) {
        char *end = NULL;
        const char *s = item->valuestring;
        const double v = strtod(s, &end);
        const bool is_numeric = end != s && *end == '\0';
        char hint[160];
        if (is_numeric && isfinite(v))
            snprintf(hint, sizeof hint, "write the number without quotes: %s", s);
        else if (is_numeric)
            snprintf(hint, sizeof hint,
                     "JSON numbers cannot be NaN or infinite; leave 'value' out when the source "
                     "gives no figure");
        else
            snprintf(hint, sizeof hint,
                     "write a vague word as {\"text\": \"dozens\"}, or leave 'value' out when "
                     "the source gives no figure");
        ERROR_AT(r, item, hint, "expected a number for '%s', found %s", key,
                 bm_input_describe(item, got, sizeof got));
        return false;
    }
    if (!cJSON_IsNumber(item)) {
        ERROR_AT(r, item, NULL, "expected a whole number >= 0 for '%s', found %s", key,
                 bm_input_describe(item, got, sizeof got));
        return false;
    }
    const double v = item->valuedouble;
    if (v < 0) {
        ERROR_AT(r, item, "a count of people or objects cannot be negative",
                 "negative count %.15g in '%s'; expected a whole number >= 0", v, key);
        return false;
    }
    if (!isfinite(v) || v > BM_MAX_COUNT) {
        ERROR_AT(r, item, "check for extra digits; larger counts are refused as entry mistakes",
                 "count %.15g in '%s' is absurd; expected at most %d", v, key, BM_MAX_COUNT);
        return false;
    }
    if (v != floor(v)) {
        ERROR_AT(r, item,
                 "counts are whole numbers and are never rounded; for an uncertain figure write "
                 "a range {\"min\": 2, \"max\": 3}",
                 "fractional count %.15g in '%s'; expected a whole number", v, key);
        return false;
    }
    *out = (int64_t)v;
    return true;
}

static const char *const value_keys[] = {"min", "max", "at_least", "more_than", "text"};
static const object_rules value_rules = {"value", value_keys, 5};

/* A count read from a member of a value object. */
static bool read_value_member(reader *r, const cJSON *obj, const char *key, int64_t *out) {
    const size_t saved = pointer_push_key(r, key);
    const bool ok = read_count(r, bm_input_member(obj, key), key, out);
    pointer_pop(r, saved);
    return ok;
}

static void read_value(reader *r, const cJSON *claim, bm_value *v) {
    *v = (bm_value){BM_VALUE_NONE, 0, 0, NULL, false};
    const cJSON *item = bm_input_member(claim, "value");
    if (item == NULL || cJSON_IsNull(item))
        return; /* a statement with no figure */
    const size_t saved = pointer_push_key(r, "value");
    if (!cJSON_IsObject(item)) {
        int64_t n;
        if (read_count(r, item, "value", &n))
            *v = (bm_value){BM_VALUE_EXACT, n, n, NULL, false};
        goto done;
    }
    check_members(r, item, &value_rules);
    const cJSON *min = bm_input_member(item, "min"), *max = bm_input_member(item, "max");
    const cJSON *at_least = bm_input_member(item, "at_least"),
                *more_than = bm_input_member(item, "more_than");
    const cJSON *text = bm_input_member(item, "text");
    const int n_forms = (min != NULL || max != NULL) + (at_least != NULL) + (more_than != NULL);
    const char *forms = "{\"min\": a, \"max\": b}, {\"at_least\": n}, {\"more_than\": n} or "
                        "{\"text\": \"dozens\"}";
    if (n_forms > 1) {
        ERROR_AT(r, item, NULL, "'value' mixes forms; expected one of: %s", forms);
        goto done;
    }
    const char *wording = NULL;
    if (text != NULL) {
        wording = read_string(r, item, "text", "value", false);
        if (wording == NULL)
            goto done;
    }
    if (min != NULL || max != NULL) {
        int64_t lo, hi;
        if (min == NULL || max == NULL) {
            ERROR_AT(r, item, "for an open-ended figure write {\"at_least\": n}",
                     "'value' range needs both 'min' and 'max'; found only '%s'",
                     min != NULL ? "min" : "max");
            goto done;
        }
        if (!read_value_member(r, item, "min", &lo) || !read_value_member(r, item, "max", &hi))
            goto done;
        if (lo > hi) {
            ERROR_AT(r, item, "swap them",
                     "reversed range in 'value': 'min' %lld is greater than 'max' %lld",
                     (long long)lo, (long long)hi);
            goto done;
        }
        *v = (bm_value){lo == hi ? BM_VALUE_EXACT : BM_VALUE_RANGE, lo, hi, wording, false};
    } else if (at_least != NULL) {
        int64_t n;
        if (read_value_member(r, item, "at_least", &n))
            *v = (bm_value){BM_VALUE_AT_LEAST, n, BM_VALUE_UNBOUNDED, wording, false};
    } else if (more_than != NULL) {
        int64_t n;
        if (!read_value_member(r, item, "more_than", &n))
            goto done;
        if (wording == NULL) {
            char said[48];
            snprintf(said, sizeof said, "more than %lld", (long long)n);
            wording = bm_arena_strdup(r->arena, said);
            if (wording == NULL)
                r->is_out_of_memory = true;
        }
        /* "more than 30" is at least 31 */
        *v = (bm_value){BM_VALUE_AT_LEAST, n + 1, BM_VALUE_UNBOUNDED, wording, false};
    } else if (wording != NULL) {
        int64_t lower;
        if (!bm_vague_word_lower_bound(wording, &lower)) {
            const size_t saved_text = pointer_push_key(r, "text");
            ERROR_AT(r, text, "give the figure as {\"at_least\": n} and keep the words in 'quote'",
                     "unknown vague word '%s' in 'value'; expected one of: %s", wording,
                     bm_vague_words());
            pointer_pop(r, saved_text);
            goto done;
        }
        *v = (bm_value){BM_VALUE_AT_LEAST, lower, BM_VALUE_UNBOUNDED, wording, true};
    } else {
        ERROR_AT(r, item, NULL, "empty 'value' object; expected one of: %s", forms);
    }
done:
    pointer_pop(r, saved);
}

/* ---- places ----------------------------------------------------------------------------- */

static const char *const place_kinds[] = {"town", "district", "province"};

static const char *read_place_kind(reader *r, const cJSON *obj) {
    const char *kind = read_string(r, obj, "kind", "place", false);
    if (kind == NULL)
        return NULL;
    for (size_t i = 0; i < 3; i++) {
        if (strcmp(kind, place_kinds[i]) == 0)
            return kind;
    }
    const char *guess = bm_closest(kind, place_kinds, 3);
    char hint[96] = "leave 'kind' out when the source does not say";
    if (guess != NULL)
        snprintf(hint, sizeof hint, "did you mean '%s'?", guess);
    error_in(r, obj, "kind", hint,
             "unknown place kind '%s'; expected one of: town, district, province", kind);
    return NULL;
}

static const char *const place_ref_keys[] = {"name", "kind"};
static const object_rules place_ref_rules = {"place", place_ref_keys, 2};

static void read_claim_places(reader *r, const cJSON *claim, bm_claim *c) {
    const cJSON *places = read_array(r, claim, "places", "claim", false);
    if (places == NULL) {
        if (bm_input_member(claim, "places") == NULL && c->value.kind != BM_VALUE_NONE)
            missing(r, claim, "places", "claim",
                    "a claim with a figure names at least one place; if the source names none, "
                    "use [{\"name\": \"Balochistan\", \"kind\": \"province\"}] and say so in "
                    "'note'");
        return;
    }
    const size_t saved = pointer_push_key(r, "places");
    const size_t n = (size_t)cJSON_GetArraySize(places);
    if (n == 0) {
        ERROR_AT(r, places,
                 "list the places as the source spelled them, or leave 'places' out of a claim "
                 "with no figure",
                 "empty 'places' in claim; expected at least one place");
        pointer_pop(r, saved);
        return;
    }
    bm_place_ref *refs = alloc_items(r, n, sizeof *refs);
    if (refs == NULL) {
        pointer_pop(r, saved);
        return;
    }
    size_t n_refs = 0, i = 0;
    for (const cJSON *p = places->child; p != NULL; p = p->next, i++) {
        const size_t saved_item = pointer_push_index(r, i);
        const char *name = NULL, *kind = NULL;
        if (cJSON_IsString(p)) {
            if (p->valuestring[strspn(p->valuestring, " \t\r\n")] == '\0')
                ERROR_AT(r, p, "write the name as the source spelled it",
                         "empty place name; expected a name such as 'Quetta'");
            else if ((name = bm_arena_strdup(r->arena, p->valuestring)) == NULL)
                r->is_out_of_memory = true;
        } else if (cJSON_IsObject(p)) {
            check_members(r, p, &place_ref_rules);
            name = read_string(r, p, "name", "place", true);
            kind = read_place_kind(r, p);
        } else {
            char got[96];
            ERROR_AT(r, p, NULL,
                     "expected a place name or {\"name\": ..., \"kind\": ...}, found %s",
                     bm_input_describe(p, got, sizeof got));
        }
        if (name != NULL) {
            for (size_t j = 0; j < n_refs; j++) {
                if (strcmp(refs[j].name, name) == 0)
                    flag(r, BM_SEV_WARNING, p, false, "list each place once",
                         "place '%s' is listed twice in this claim", name);
            }
            refs[n_refs++] = (bm_place_ref){name, kind, arena_pointer(r), line_of(r, p)};
        }
        pointer_pop(r, saved_item);
    }
    c->places = refs;
    c->n_places = n_refs;
    pointer_pop(r, saved);
}

static const char *const pin_keys[] = {"name",   "kind",         "lat", "lon",
                                       "source", "gazetteer_id", "note"};
static const object_rules pin_rules = {"place pin", pin_keys, 7};

static bool read_degrees(reader *r, const cJSON *pin, const char *key, double limit, double *out) {
    const cJSON *item = bm_input_member(pin, key);
    const size_t saved = pointer_push_key(r, key);
    bool ok = false;
    char got[96];
    if (!cJSON_IsNumber(item))
        ERROR_AT(r, item, NULL, "expected a number of degrees for '%s', found %s", key,
                 bm_input_describe(item, got, sizeof got));
    else if (!(fabs(item->valuedouble) <= limit))
        ERROR_AT(r, item, "latitude comes first: Quetta is lat 30.18, lon 67.00",
                 "'%s' %.15g is out of range; expected -%g to %g", key, item->valuedouble, limit,
                 limit);
    else
        ok = true;
    if (ok)
        *out = item->valuedouble;
    pointer_pop(r, saved);
    return ok;
}

static void read_pins(reader *r, const cJSON *root, bm_incidents_parts *parts) {
    const cJSON *pins = read_array(r, root, "places", "the file", false);
    if (pins == NULL)
        return;
    const size_t saved = pointer_push_key(r, "places");
    const size_t n = (size_t)cJSON_GetArraySize(pins);
    bm_place_pin *out = alloc_items(r, n, sizeof *out);
    if (out == NULL) {
        pointer_pop(r, saved);
        return;
    }
    size_t n_out = 0, i = 0;
    for (const cJSON *p = pins->child; p != NULL; p = p->next, i++) {
        const size_t saved_item = pointer_push_index(r, i);
        if (!expect_object(r, p, "a place pin", &pin_rules)) {
            pointer_pop(r, saved_item);
            continue;
        }
        bm_place_pin pin = {0};
        pin.name = read_string(r, p, "name", "place pin", true);
        pin.kind = read_place_kind(r, p);
        pin.gazetteer_id = read_string(r, p, "gazetteer_id", "place pin", false);
        const bool has_lat = bm_input_member(p, "lat") != NULL,
                   has_lon = bm_input_member(p, "lon") != NULL;
        bool ok = pin.name != NULL;
        if (has_lat || has_lon) {
            pin.has_coords = true;
            if (!has_lat || !has_lon) {
                missing(r, p, has_lat ? "lon" : "lat", "place pin", NULL);
                ok = false;
            } else {
                ok = read_degrees(r, p, "lat", 90, &pin.lat_deg) && ok;
                ok = read_degrees(r, p, "lon", 180, &pin.lon_deg) && ok;
            }
            pin.source = read_string(r, p, "source", "place pin", false);
            if (bm_input_member(p, "source") == NULL) {
                missing(r, p, "source", "place pin",
                        "say where the coordinates come from, e.g. \"GeoNames 1167527\"");
                ok = false;
            }
            if (pin.gazetteer_id != NULL) {
                ERROR_AT(r, p, "keep one of them",
                         "place pin has both coordinates and 'gazetteer_id'; expected one");
                ok = false;
            }
        } else if (pin.gazetteer_id == NULL && bm_input_member(p, "gazetteer_id") == NULL) {
            ERROR_AT(r, p, NULL,
                     "place pin needs 'lat', 'lon' and 'source', or 'gazetteer_id'; found neither");
            ok = false;
        }
        if (pin.name != NULL) {
            for (size_t j = 0; j < n_out; j++) {
                const bool same_kind = (out[j].kind == NULL) == (pin.kind == NULL) &&
                                       (pin.kind == NULL || strcmp(out[j].kind, pin.kind) == 0);
                if (strcmp(out[j].name, pin.name) == 0 && same_kind) {
                    char hint[96];
                    snprintf(hint, sizeof hint, "the first is at line %d", out[j].line);
                    ERROR_AT(r, p, hint, "place '%s' is pinned twice", pin.name);
                    ok = false;
                    break;
                }
            }
        }
        if (ok) {
            pin.pointer = arena_pointer(r);
            pin.line = line_of(r, p);
            out[n_out++] = pin;
        }
        pointer_pop(r, saved_item);
    }
    parts->pins = out;
    parts->n_pins = n_out;
    pointer_pop(r, saved);
}

/* ---- sources ---------------------------------------------------------------------------- */

static const char *const source_keys[] = {"id", "label", "name", "kind", "url", "note"};
static const object_rules source_rules = {"source", source_keys, 6};
static const char *const source_kinds[] = {"military", "armed_group", "government", "media",
                                           "other"};

static void read_sources(reader *r, const cJSON *root, bm_incidents_parts *parts) {
    const cJSON *sources = read_array(r, root, "sources", "the file", true);
    if (sources == NULL)
        return;
    const size_t saved = pointer_push_key(r, "sources");
    const size_t n = (size_t)cJSON_GetArraySize(sources);
    if (n == 0)
        ERROR_AT(r, sources, "declare who makes the claims: {\"id\": \"ispr\", ...}",
                 "empty 'sources'; expected at least one source");
    bm_source *out = alloc_items(r, n, sizeof *out);
    if (out == NULL) {
        pointer_pop(r, saved);
        return;
    }
    size_t n_out = 0, i = 0;
    for (const cJSON *s = sources->child; s != NULL; s = s->next, i++) {
        const size_t saved_item = pointer_push_index(r, i);
        if (!expect_object(r, s, "a source", &source_rules)) {
            pointer_pop(r, saved_item);
            continue;
        }
        bm_source src = {0};
        src.id = read_string(r, s, "id", "source", true);
        src.label = read_string(r, s, "label", "source", true);
        src.name = read_string(r, s, "name", "source", false);
        src.kind = read_string(r, s, "kind", "source", true);
        src.url = read_string(r, s, "url", "source", false);
        src.note = read_string(r, s, "note", "source", false);
        /* A source with other errors is still declared, so its claims raise no more errors. */
        bool ok = src.id != NULL;
        if (src.kind != NULL) {
            bool is_known = false;
            for (size_t k = 0; k < 5; k++)
                is_known = is_known || strcmp(src.kind, source_kinds[k]) == 0;
            if (!is_known) {
                const char *guess = bm_closest(src.kind, source_kinds, 5);
                char hint[96] = "";
                if (guess != NULL)
                    snprintf(hint, sizeof hint, "did you mean '%s'?", guess);
                error_in(r, s, "kind", guess != NULL ? hint : NULL,
                         "unknown source kind '%s'; expected one of: military, armed_group, "
                         "government, media, other",
                         src.kind);
            }
        }
        if (src.id != NULL) {
            for (size_t j = 0; j < n_out; j++) {
                if (same_id(out[j].id, src.id)) {
                    duplicate_id(r, s, "source", src.id, out[j].line);
                    ok = false;
                    break;
                }
            }
        }
        if (ok) {
            src.pointer = arena_pointer(r);
            src.line = line_of(r, s);
            out[n_out++] = src;
        }
        pointer_pop(r, saved_item);
    }
    parts->sources = out;
    parts->n_sources = n_out;
    pointer_pop(r, saved);
}

/* ---- incidents and claims --------------------------------------------------------------- */

static const char *const claim_keys[] = {
    "id",         "source",      "what",  "who",  "object", "value",         "places",
    "claimed_on", "reported_by", "quote", "note", "url",    "is_cumulative", "revises"};
static const object_rules claim_rules = {"claim", claim_keys, 14};

static const char *const quantities[BM_N_QUANTITIES] = {"killed", "wounded", "captured", "attacked",
                                                        "destroyed"};
static const char *const parties[BM_N_PARTIES] = {"militants", "security_forces", "civilians",
                                                  "unspecified"};
static const char quantity_list[] = "killed, wounded, captured, attacked, destroyed";
static const char party_list[] = "militants, security_forces, civilians, unspecified";

typedef struct id_seen {
    const char *id;
    int line;
} id_seen;

typedef struct claim_ids {
    id_seen *items;
    size_t n, n_alloc;
} claim_ids;

static bool remember_id(reader *r, claim_ids *ids, const char *id, int line) {
    if (bm_grow((void **)&ids->items, &ids->n_alloc, ids->n + 1, sizeof *ids->items) != BM_OK) {
        r->is_out_of_memory = true;
        return false;
    }
    ids->items[ids->n++] = (id_seen){id, line};
    return true;
}

static const id_seen *find_id(const claim_ids *ids, const char *id) {
    for (size_t i = 0; i < ids->n; i++) {
        if (same_id(ids->items[i].id, id))
            return &ids->items[i];
    }
    return NULL;
}

static bool read_claim_source(reader *r, const cJSON *claim, const bm_incidents_parts *parts,
                              size_t *out) {
    const char *id = read_string(r, claim, "source", "claim", true);
    if (id == NULL)
        return false;
    for (size_t i = 0; i < parts->n_sources; i++) {
        if (same_id(parts->sources[i].id, id)) {
            *out = i;
            return true;
        }
    }
    const char *ids[64];
    const size_t n_ids = parts->n_sources < 64 ? parts->n_sources : 64;
    for (size_t i = 0; i < n_ids; i++)
        ids[i] = parts->sources[i].id;
    char valid[512], hint[160] = "declare it in 'sources' first";
    join(ids, n_ids, valid, sizeof valid);
    const char *guess = bm_closest(id, ids, n_ids);
    if (guess != NULL)
        snprintf(hint, sizeof hint, "did you mean '%s'?", guess);
    error_in(r, claim, "source", hint, "unknown source '%s'; expected one of: %s", id,
             n_ids ? valid : "(no sources declared)");
    return false;
}

static bool read_enum(reader *r, const cJSON *claim, const char *key, const char *const *names,
                      size_t n, const char *list, size_t *out) {
    const char *word = read_string(r, claim, key, "claim", true);
    if (word == NULL)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(word, names[i]) == 0) {
            *out = i;
            return true;
        }
    }
    const char *guess = bm_closest(word, names, n);
    char hint[96];
    if (guess != NULL)
        snprintf(hint, sizeof hint, "did you mean '%s'?", guess);
    error_in(r, claim, key, guess != NULL ? hint : NULL,
             "unknown '%s' value '%s'; expected one of: %s", key, word, list);
    return false;
}

static bool read_claim(reader *r, const cJSON *obj, const char *incident_id, size_t index,
                       const bm_incidents_parts *parts, claim_ids *ids, bm_claim *c) {
    bool ok = true;
    c->id = read_string(r, obj, "id", "claim", false);
    if (c->id == NULL && bm_input_member(obj, "id") == NULL) {
        char generated[160];
        snprintf(generated, sizeof generated, "%s/%zu", incident_id ? incident_id : "?", index);
        c->id = bm_arena_strdup(r->arena, generated);
        if (c->id == NULL)
            r->is_out_of_memory = true;
    }
    ok = read_claim_source(r, obj, parts, &c->source) && ok;
    size_t what = 0, who = 0;
    ok = read_enum(r, obj, "what", quantities, BM_N_QUANTITIES, quantity_list, &what) && ok;
    ok = read_enum(r, obj, "who", parties, BM_N_PARTIES, party_list, &who) && ok;
    c->what = (bm_quantity)what;
    c->who = (bm_party)who;
    c->object = read_string(r, obj, "object", "claim", false);
    const size_t n_errors_before = r->n_errors;
    read_value(r, obj, &c->value);
    read_claim_places(r, obj, c);
    when claimed = {0, false};
    if (bm_input_member(obj, "claimed_on") == NULL)
        missing(r, obj, "claimed_on", "claim",
                "give the date the source made the claim, e.g. \"2026-01-31\"");
    else
        c->claimed_on = read_when(r, obj, "claimed_on", "claim", true, &claimed);
    c->reported_by = read_string(r, obj, "reported_by", "claim", false);
    c->quote = read_string(r, obj, "quote", "claim", false);
    c->note = read_string(r, obj, "note", "claim", false);
    c->url = read_string(r, obj, "url", "claim", false);
    c->revises = read_string(r, obj, "revises", "claim", false);
    const cJSON *cumulative = bm_input_member(obj, "is_cumulative");
    if (cumulative != NULL) {
        if (cJSON_IsBool(cumulative)) {
            c->is_cumulative = cJSON_IsTrue(cumulative);
        } else {
            char got[96];
            const size_t saved = pointer_push_key(r, "is_cumulative");
            ERROR_AT(r, cumulative, NULL, "expected true or false for 'is_cumulative', found %s",
                     bm_input_describe(cumulative, got, sizeof got));
            pointer_pop(r, saved);
        }
    }
    c->pointer = arena_pointer(r);
    c->line = line_of(r, obj);
    if (c->id != NULL) {
        const id_seen *first = find_id(ids, c->id);
        if (first != NULL) {
            duplicate_id(r, obj, "claim", c->id, first->line);
        } else {
            remember_id(r, ids, c->id, c->line);
        }
    }
    return ok && r->n_errors == n_errors_before;
}

static const char *const incident_keys[] = {"id", "title", "date", "date_note", "claims", "note"};
static const object_rules incident_rules = {"incident", incident_keys, 6};
static const char *const range_keys[] = {"start", "end"};
static const object_rules range_rules = {"date range", range_keys, 2};

static void read_incident_date(reader *r, const cJSON *obj, bm_incident *inc) {
    const cJSON *date = bm_input_member(obj, "date");
    if (date == NULL) {
        missing(r, obj, "date", "incident",
                "write \"date\": \"2026-01-31\" or {\"start\": ..., \"end\": ...}");
        return;
    }
    when start = {0, false}, end = {0, false};
    if (!cJSON_IsObject(date)) {
        inc->date_start = inc->date_end = read_when(r, obj, "date", "incident", true, &start);
        return;
    }
    const size_t saved = pointer_push_key(r, "date");
    check_members(r, date, &range_rules);
    const char *s = read_when(r, date, "start", "date range", true, &start);
    const char *e = read_when(r, date, "end", "date range", true, &end);
    if (s != NULL && e != NULL) {
        /* a date without a time covers its whole day */
        const int64_t end_minutes = end.has_time ? end.minutes : end.minutes + 1439;
        if (start.minutes > end_minutes)
            ERROR_AT(r, date, "swap them", "reversed date range: 'start' %s is after 'end' %s", s,
                     e);
        else {
            inc->date_start = s;
            inc->date_end = e;
        }
    }
    pointer_pop(r, saved);
}

static void read_incidents(reader *r, const cJSON *root, bm_incidents_parts *parts) {
    const cJSON *incidents = read_array(r, root, "incidents", "the file", true);
    if (incidents == NULL)
        return;
    const size_t saved = pointer_push_key(r, "incidents");
    const size_t n = (size_t)cJSON_GetArraySize(incidents);
    if (n == 0)
        ERROR_AT(r, incidents, NULL, "empty 'incidents'; expected at least one incident");
    bm_incident *out = alloc_items(r, n, sizeof *out);
    claim_ids ids = {0};
    if (out == NULL)
        goto done;
    size_t n_out = 0, i = 0;
    for (const cJSON *obj = incidents->child; obj != NULL; obj = obj->next, i++) {
        const size_t saved_item = pointer_push_index(r, i);
        if (!expect_object(r, obj, "an incident", &incident_rules)) {
            pointer_pop(r, saved_item);
            continue;
        }
        bm_incident inc = {0};
        inc.id = read_string(r, obj, "id", "incident", true);
        inc.title = read_string(r, obj, "title", "incident", false);
        inc.date_note = read_string(r, obj, "date_note", "incident", false);
        read_incident_date(r, obj, &inc);
        inc.pointer = arena_pointer(r);
        inc.line = line_of(r, obj);
        if (inc.id != NULL) {
            for (size_t j = 0; j < n_out; j++) {
                if (same_id(out[j].id, inc.id)) {
                    duplicate_id(r, obj, "incident", inc.id, out[j].line);
                    break;
                }
            }
        }
        const cJSON *claims = read_array(r, obj, "claims", "incident", true);
        if (claims != NULL) {
            const size_t saved_claims = pointer_push_key(r, "claims");
            const size_t n_claims = (size_t)cJSON_GetArraySize(claims);
            if (n_claims == 0)
                ERROR_AT(r, claims, NULL, "empty 'claims' in incident; expected at least one");
            bm_claim *cs = alloc_items(r, n_claims, sizeof *cs);
            size_t k = 0;
            for (const cJSON *c = claims->child; c != NULL && cs != NULL; c = c->next, k++) {
                const size_t saved_claim = pointer_push_index(r, k);
                if (expect_object(r, c, "a claim", &claim_rules) &&
                    read_claim(r, c, inc.id, k, parts, &ids, &cs[inc.n_claims]))
                    inc.n_claims++;
                pointer_pop(r, saved_claim);
            }
            inc.claims = cs;
            pointer_pop(r, saved_claims);
        }
        out[n_out++] = inc;
        pointer_pop(r, saved_item);
    }
    parts->incidents = out;
    parts->n_incidents = n_out;

    /* "revises" may point forward or across incidents, so it is checked once all ids are known. */
    for (size_t a = 0; a < n_out; a++) {
        for (size_t b = 0; b < out[a].n_claims; b++) {
            const bm_claim *c = &out[a].claims[b];
            if (c->revises == NULL || find_id(&ids, c->revises) != NULL)
                continue;
            const char *known[64];
            size_t n_known = 0;
            for (size_t x = 0; x < ids.n && n_known < 64; x++)
                known[n_known++] = ids.items[x].id;
            const char *guess = bm_closest(c->revises, known, n_known);
            char hint[160] = "name the id of an earlier claim in this file";
            if (guess != NULL)
                snprintf(hint, sizeof hint, "did you mean '%s'?", guess);
            snprintf(r->pointer, sizeof r->pointer, "%s/revises", c->pointer);
            bm_error e = {0};
            e.status = BM_ERR_INVALID;
            snprintf(e.message, sizeof e.message, "'revises' names unknown claim '%s'", c->revises);
            bm_error_file(&e, r->path);
            bm_error_pointer(&e, r->pointer);
            bm_error_hint(&e, "%s", hint);
            e.line = c->line;
            add(r, BM_SEV_ERROR, &e);
        }
    }
done:
    free(ids.items);
    pointer_pop(r, saved);
}

/* ---- the file --------------------------------------------------------------------------- */

static const char *const top_keys[] = {"balmap", "title",   "subtitle", "report",
                                       "notes",  "sources", "places",   "incidents"};
static const object_rules top_rules = {"the file", top_keys, 8};

static void read_notes(reader *r, const cJSON *root, bm_incidents_parts *parts) {
    const cJSON *notes = read_array(r, root, "notes", "the file", false);
    if (notes == NULL)
        return;
    const size_t saved = pointer_push_key(r, "notes");
    const size_t n = (size_t)cJSON_GetArraySize(notes);
    const char **out = alloc_items(r, n, sizeof *out);
    size_t n_out = 0, i = 0;
    for (const cJSON *note = notes->child; note != NULL && out != NULL; note = note->next, i++) {
        const size_t saved_item = pointer_push_index(r, i);
        if (cJSON_IsString(note)) {
            out[n_out] = bm_arena_strdup(r->arena, note->valuestring);
            if (out[n_out++] == NULL)
                r->is_out_of_memory = true;
        } else {
            char got[96];
            ERROR_AT(r, note, NULL, "expected a string for a note, found %s",
                     bm_input_describe(note, got, sizeof got));
        }
        pointer_pop(r, saved_item);
    }
    parts->notes = (const char *const *)out;
    parts->n_notes = n_out;
    pointer_pop(r, saved);
}

static bool check_version(reader *r, const cJSON *root) {
    const cJSON *version = bm_input_member(root, "balmap");
    if (version == NULL) {
        missing(r, root, "balmap", "the file",
                "start the file with \"balmap\": 1 (the format version)");
        return false;
    }
    if (cJSON_IsNumber(version) && version->valuedouble == FORMAT_VERSION)
        return true;
    char got[96];
    const size_t saved = pointer_push_key(r, "balmap");
    ERROR_AT(r, version, "this balmap reads format version 1 only",
             "unsupported format version in 'balmap'; expected 1, found %s",
             bm_input_describe(version, got, sizeof got));
    pointer_pop(r, saved);
    return false;
}

/* Checks the raw bytes: every sequence must be well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF) and there must be no NUL byte. */
static void check_utf8(reader *r) {
    size_t i = 0;
    while (i < r->len) {
        const size_t n = bm_input_utf8_length(r->text + i, r->len - i);
        if (n > 0) {
            i += n;
            continue;
        }
        const unsigned char b = (unsigned char)r->text[i];
        bm_error e = {0};
        e.status = BM_ERR_SYNTAX;
        bm_error_file(&e, r->path);
        bm_input_locate(r->text, i, &e.line, &e.column);
        if (b == 0)
            snprintf(e.message, sizeof e.message, "NUL byte in the file; expected UTF-8 text");
        else
            snprintf(e.message, sizeof e.message, "invalid UTF-8 byte 0x%02X; expected UTF-8 text",
                     (unsigned)b);
        bm_error_hint(&e, "save the file as UTF-8 (this byte looks like Latin-1 or "
                          "Windows-1252 text)");
        add(r, BM_SEV_ERROR, &e);
        i++;
    }
}

/* cJSON says only where it stopped; bm_input_syntax_error says what usually stops it there. */
static void report_syntax(reader *r, const char *stop) {
    bm_error e = {0};
    bm_error_file(&e, r->path);
    bm_input_syntax_error(r->text, r->len, stop, &e);
    add(r, BM_SEV_ERROR, &e);
}

bm_incidents *bm_incidents_parse(const char *text, size_t len, const char *path, bm_diags *diags,
                                 bm_error *err) {
    reader r = {0};
    r.text = text;
    r.len = len;
    r.path = path != NULL ? path : "";
    r.diags = diags;
    r.err = err;
    cJSON *root = NULL;
    bm_incidents *inc = NULL;
    bm_incidents_parts parts = {0};

    r.arena = bm_arena_new();
    if (r.arena == NULL) {
        r.is_out_of_memory = true;
        goto done;
    }
    check_utf8(&r);
    if (r.n_errors > 0)
        goto done;
    const char *stop = NULL;
    const bm_status parsed = bm_input_parse_json(text, len, &root, &stop, &r.positions);
    if (parsed == BM_ERR_SYNTAX) {
        report_syntax(&r, stop);
        goto done;
    }
    if (parsed == BM_ERR_NOMEM)
        r.is_out_of_memory = true;

    if (!cJSON_IsObject(root)) {
        char got[96];
        ERROR_AT(&r, root, "an incident file is one object: {\"balmap\": 1, ...}",
                 "expected an object at the top of the file, found %s",
                 bm_input_describe(root, got, sizeof got));
        goto done;
    }
    if (!check_version(&r, root))
        goto done; /* other versions may mean other rules: check nothing else */
    check_members(&r, root, &top_rules);
    parts.title = read_string(&r, root, "title", "the file", true);
    parts.subtitle = read_string(&r, root, "subtitle", "the file", false);
    parts.report = read_string(&r, root, "report", "the file", false);
    read_notes(&r, root, &parts);
    read_sources(&r, root, &parts);
    read_pins(&r, root, &parts);
    read_incidents(&r, root, &parts);
    if (r.n_errors == 0 && !r.is_out_of_memory) {
        inc = bm_incidents_new_take(r.arena, path, &parts);
        r.arena = NULL;
        if (inc == NULL)
            r.is_out_of_memory = true;
    }
done:
    if (r.is_out_of_memory) {
        bm_incidents_free(inc);
        inc = NULL;
        bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading '%s'", r.path);
    }
    cJSON_Delete(root);
    bm_input_positions_free(&r.positions);
    bm_arena_free(r.arena);
    return inc;
}
