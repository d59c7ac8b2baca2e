/* SPDX-License-Identifier: MIT */
/* incidents_value.c - the claim value grammar (incidents_value.h). */
#include "incidents_value.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define ERROR_AT(r, at, hint, ...) bm_json_flag((r), BM_SEV_ERROR, (at), false, (hint), __VA_ARGS__)

/* Counts are whole and non-negative (bm_count_check): fractions and negatives are entry
 * mistakes, not estimates, so they are refused, never rounded. */
static bool read_count(bm_json_reader *r, const cJSON *item, int64_t *out) {
    char got[96], why[160], hint[192];
    if (cJSON_IsString(item)) {
        char *end = NULL;
        const char *s = item->valuestring;
        const double v = strtod(s, &end);
        const bool is_numeric = end != s && *end == '\0';
        if (is_numeric && isfinite(v))
            snprintf(hint, sizeof hint,
                     "write the number without quotes, or a vague word as {\"text\": \"dozens\"}");
        else if (is_numeric)
            snprintf(hint, sizeof hint,
                     "JSON numbers cannot be NaN or infinite; leave 'value' out when the source "
                     "gives no figure");
        else
            snprintf(hint, sizeof hint,
                     "write a vague word as {\"text\": \"dozens\"}, or leave 'value' out when "
                     "the source gives no figure");
        ERROR_AT(r, item, hint, "expected a whole number >= 0, found %s",
                 bm_json_describe(item, got, sizeof got));
        return false;
    }
    if (!cJSON_IsNumber(item)) {
        ERROR_AT(r, item, NULL, "expected a whole number >= 0, found %s",
                 bm_json_describe(item, got, sizeof got));
        return false;
    }
    if (!bm_count_check(item->valuedouble, why, sizeof why, hint, sizeof hint)) {
        ERROR_AT(r, item, hint, "%s", why);
        return false;
    }
    *out = (int64_t)item->valuedouble;
    return true;
}

/* A count read from the member key of a value object. */
static bool read_member(bm_json_reader *r, const cJSON *obj, const char *key, int64_t *out) {
    const size_t saved = bm_json_push_key(r, key);
    const bool ok = read_count(r, bm_json_member(obj, key), out);
    bm_json_pop(r, saved);
    return ok;
}

static const char *keep(bm_json_reader *r, bm_arena *arena, const char *s) {
    char *copy = bm_arena_strdup(arena, s);
    if (copy == NULL)
        r->is_out_of_memory = true;
    return copy;
}

static const char *const value_keys[] = {"min", "max", "at_least", "more_than", "text"};
static const bm_json_rules value_rules = {"value", value_keys, 5, BM_SEV_WARNING,
                                          "remove it, or put free text in 'note'"};

/* The value object (item), into *v. */
static bool read_object(bm_json_reader *r, bm_arena *arena, const cJSON *item, bm_value *v) {
    bm_json_check_members(r, item, &value_rules);
    const cJSON *min = bm_json_member(item, "min"), *max = bm_json_member(item, "max");
    const cJSON *at_least = bm_json_member(item, "at_least"),
                *more_than = bm_json_member(item, "more_than");
    const cJSON *text = bm_json_member(item, "text");
    const char *forms = "a number, {\"min\": a, \"max\": b}, {\"at_least\": n}, "
                        "{\"more_than\": n} or {\"text\": \"dozens\"}";
    if ((min != NULL || max != NULL) + (at_least != NULL) + (more_than != NULL) > 1) {
        ERROR_AT(r, item, NULL, "'value' mixes forms; expected one of: %s", forms);
        return false;
    }
    const char *wording = NULL;
    if (text != NULL) {
        wording = bm_json_get_string(r, item, "text", "value", false);
        if (wording == NULL || (wording = keep(r, arena, wording)) == NULL)
            return false;
    }
    int64_t a = 0, b = 0;
    if (min != NULL || max != NULL) {
        if (min == NULL || max == NULL) {
            ERROR_AT(r, item, "for an open-ended figure write {\"at_least\": n}",
                     "'value' range needs both 'min' and 'max'; found only '%s'",
                     min != NULL ? "min" : "max");
            return false;
        }
        if (!read_member(r, item, "min", &a) || !read_member(r, item, "max", &b))
            return false;
        if (a > b) {
            ERROR_AT(r, item, "swap them",
                     "reversed range in 'value': 'min' %lld is greater than 'max' %lld",
                     (long long)a, (long long)b);
            return false;
        }
        *v = (bm_value){a == b ? BM_VALUE_EXACT : BM_VALUE_RANGE, a, b, wording, false};
    } else if (at_least != NULL) {
        if (!read_member(r, item, "at_least", &a))
            return false;
        *v = (bm_value){BM_VALUE_AT_LEAST, a, BM_VALUE_UNBOUNDED, wording, false};
    } else if (more_than != NULL) {
        if (!read_member(r, item, "more_than", &a))
            return false;
        if (wording == NULL) {
            char said[48];
            snprintf(said, sizeof said, "more than %lld", (long long)a);
            if ((wording = keep(r, arena, said)) == NULL)
                return false;
        }
        /* "more than 30" is at least 31 */
        *v = (bm_value){BM_VALUE_AT_LEAST, a + 1, BM_VALUE_UNBOUNDED, wording, false};
    } else if (wording != NULL) {
        if (!bm_vague_word_lower_bound(wording, &a)) {
            const size_t saved = bm_json_push_key(r, "text");
            ERROR_AT(r, text, "give the figure as {\"at_least\": n} and keep the words in 'quote'",
                     "unknown vague word '%s' in 'value'; expected one of: %s", wording,
                     bm_vague_words());
            bm_json_pop(r, saved);
            return false;
        }
        *v = (bm_value){BM_VALUE_AT_LEAST, a, BM_VALUE_UNBOUNDED, wording, true};
    } else {
        ERROR_AT(r, item, NULL, "empty 'value' object; expected one of: %s", forms);
        return false;
    }
    return true;
}

bool bm_value_read(bm_json_reader *r, bm_arena *arena, const cJSON *owner, bm_value *out) {
    *out = (bm_value){BM_VALUE_NONE, 0, 0, NULL, false};
    const cJSON *item = bm_json_member(owner, "value");
    if (item == NULL || cJSON_IsNull(item))
        return true; /* a statement with no figure */
    const size_t saved = bm_json_push_key(r, "value");
    bool ok;
    bm_value v = *out;
    if (cJSON_IsObject(item)) {
        ok = read_object(r, arena, item, &v);
    } else {
        int64_t n = 0;
        ok = read_count(r, item, &n);
        v = (bm_value){BM_VALUE_EXACT, n, n, NULL, false};
    }
    bm_json_pop(r, saved);
    if (ok)
        *out = v;
    return ok;
}
