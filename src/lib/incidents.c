/* SPDX-License-Identifier: MIT */
/* incidents.c - the incident model: ownership, getters, names and value wording. The readers
 * (incidents_json.c, incidents_csv.c, incidents_geojson.c) build the parts in an arena and hand
 * them over with bm_incidents_new_take; this file calls none of them. */
#include "incidents.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "utf8.h"

struct bm_incidents {
    bm_arena *arena;
    const char *path;
    bm_incidents_parts parts;
};

bm_incidents *bm_incidents_new_take(bm_arena *arena, const char *path,
                                    const bm_incidents_parts *parts) {
    assert(arena != NULL && parts != NULL);
    bm_incidents *inc = bm_arena_alloc(arena, sizeof *inc);
    const char *path_copy = bm_arena_strdup(arena, path != NULL ? path : "");
    if (inc == NULL || path_copy == NULL) {
        bm_arena_free(arena);
        return NULL;
    }
    inc->arena = arena;
    inc->path = path_copy;
    inc->parts = *parts;
    if (inc->parts.title == NULL)
        inc->parts.title = "";
    return inc;
}

void bm_incidents_free(bm_incidents *inc) {
    if (inc != NULL)
        bm_arena_free(inc->arena); /* inc itself lives in the arena */
}

const char *bm_incidents_path(const bm_incidents *inc) {
    return inc->path;
}

const char *bm_incidents_title(const bm_incidents *inc) {
    return inc->parts.title;
}

const char *bm_incidents_subtitle(const bm_incidents *inc) {
    return inc->parts.subtitle;
}

const char *bm_incidents_report(const bm_incidents *inc) {
    return inc->parts.report;
}

size_t bm_incidents_n_notes(const bm_incidents *inc) {
    return inc->parts.n_notes;
}

const char *bm_incidents_note(const bm_incidents *inc, size_t i) {
    assert(i < inc->parts.n_notes);
    return inc->parts.notes[i];
}

size_t bm_incidents_n_sources(const bm_incidents *inc) {
    return inc->parts.n_sources;
}

const bm_source *bm_incidents_source(const bm_incidents *inc, size_t i) {
    assert(i < inc->parts.n_sources);
    return &inc->parts.sources[i];
}

size_t bm_incidents_n_incidents(const bm_incidents *inc) {
    return inc->parts.n_incidents;
}

const bm_incident *bm_incidents_incident(const bm_incidents *inc, size_t i) {
    assert(i < inc->parts.n_incidents);
    return &inc->parts.incidents[i];
}

size_t bm_incidents_n_pins(const bm_incidents *inc) {
    return inc->parts.n_pins;
}

const bm_place_pin *bm_incidents_pin(const bm_incidents *inc, size_t i) {
    assert(i < inc->parts.n_pins);
    return &inc->parts.pins[i];
}

static const char *const quantity_names[BM_N_QUANTITIES] = {
    [BM_Q_KILLED] = "killed",     [BM_Q_WOUNDED] = "wounded",     [BM_Q_CAPTURED] = "captured",
    [BM_Q_ATTACKED] = "attacked", [BM_Q_DESTROYED] = "destroyed",
};
static const char quantity_list[] = "killed, wounded, captured, attacked, destroyed";

static const char *const party_names[BM_N_PARTIES] = {
    [BM_PARTY_MILITANTS] = "militants",
    [BM_PARTY_SECURITY_FORCES] = "security_forces",
    [BM_PARTY_CIVILIANS] = "civilians",
    [BM_PARTY_UNSPECIFIED] = "unspecified",
};
static const char party_list[] = "militants, security_forces, civilians, unspecified";

static const char *const source_kind_names[BM_N_SOURCE_KINDS] = {"military", "armed_group",
                                                                 "government", "media", "other"};
static const char source_kind_list[] = "military, armed_group, government, media, other";

static const char *const place_kind_names[BM_N_PLACE_KINDS] = {"town", "district", "province"};
static const char place_kind_list[] = "town, district, province";

const char *const *bm_quantity_names(void) {
    return quantity_names;
}

const char *bm_quantity_list(void) {
    return quantity_list;
}

const char *const *bm_party_names(void) {
    return party_names;
}

const char *bm_party_list(void) {
    return party_list;
}

const char *const *bm_source_kind_names(void) {
    return source_kind_names;
}

const char *bm_source_kind_list(void) {
    return source_kind_list;
}

const char *const *bm_place_kind_names(void) {
    return place_kind_names;
}

const char *bm_place_kind_list(void) {
    return place_kind_list;
}

const char *bm_quantity_name(bm_quantity q) {
    return (unsigned)q < BM_N_QUANTITIES ? quantity_names[q] : "?";
}

bool bm_quantity_parse(const char *name, bm_quantity *out) {
    for (size_t i = 0; i < BM_N_QUANTITIES; i++) {
        if (strcmp(name, quantity_names[i]) == 0) {
            *out = (bm_quantity)i;
            return true;
        }
    }
    return false;
}

const char *bm_party_name(bm_party p) {
    return (unsigned)p < BM_N_PARTIES ? party_names[p] : "?";
}

bool bm_party_parse(const char *name, bm_party *out) {
    for (size_t i = 0; i < BM_N_PARTIES; i++) {
        if (strcmp(name, party_names[i]) == 0) {
            *out = (bm_party)i;
            return true;
        }
    }
    return false;
}

bool bm_count_check(double v, char *why, size_t why_size, char *hint, size_t hint_size) {
    if (isnan(v)) {
        snprintf(why, why_size, "expected a whole number >= 0, found NaN");
        snprintf(hint, hint_size, "leave the figure out when the source gives none");
        return false;
    }
    if (v < 0) {
        snprintf(why, why_size, "negative count %.15g; expected a whole number >= 0", v);
        snprintf(hint, hint_size, "a count of people or objects cannot be negative");
        return false;
    }
    if (!isfinite(v) || v > BM_MAX_COUNT) {
        snprintf(why, why_size, "count %.15g is absurd; expected at most %d", v, BM_MAX_COUNT);
        snprintf(hint, hint_size,
                 "check for extra digits; larger counts are refused as entry mistakes");
        return false;
    }
    if (v != floor(v)) {
        snprintf(why, why_size, "fractional count %.15g; expected a whole number", v);
        snprintf(hint, hint_size, "counts are whole numbers and are never rounded");
        return false;
    }
    return true;
}

/* Lower bounds for vague words. "dozens" = 12 and "hundreds" = 100 are ACLED's rule ("Fatalities",
 * Uses and limitations of ACLED data, 2023, updated 2024); "several" = 3 and "many" = 10 are the
 * project's choice, documented in docs/incident-format.md. Anything else is refused, not guessed.
 */
static const struct vague_word {
    const char *word;
    int64_t lower_bound;
} vague_words[] = {
    {"several", 3},
    {"many", 10},
    {"dozens", 12},
    {"hundreds", 100},
};

bool bm_vague_word_lower_bound(const char *word, int64_t *out) {
    for (size_t i = 0; i < sizeof vague_words / sizeof vague_words[0]; i++) {
        if (bm_ascii_iequal(word, vague_words[i].word)) {
            *out = vague_words[i].lower_bound;
            return true;
        }
    }
    return false;
}

const char *bm_vague_words(void) {
    return "several, many, dozens, hundreds";
}

void bm_value_format(const bm_value *v, char *out, size_t out_size) {
    if (out_size == 0)
        return;
    switch (v->kind) {
    case BM_VALUE_NONE:
        snprintf(out, out_size, "%s", v->text != NULL ? v->text : "no figure");
        return;
    case BM_VALUE_EXACT:
        snprintf(out, out_size, "%" PRId64, v->min);
        return;
    case BM_VALUE_RANGE:
        snprintf(out, out_size, "%" PRId64 "-%" PRId64, v->min, v->max);
        return;
    case BM_VALUE_AT_LEAST:
        if (v->is_vague_word)
            snprintf(out, out_size, "%s (at least %" PRId64 ")", v->text, v->min);
        else if (v->text != NULL)
            snprintf(out, out_size, "%s", v->text);
        else
            snprintf(out, out_size, "at least %" PRId64, v->min);
        return;
    }
    snprintf(out, out_size, "?");
}

static bool same_places(const bm_claim *a, const bm_claim *b) {
    if (a->n_places != b->n_places)
        return false;
    for (size_t i = 0; i < a->n_places; i++) {
        bool is_found = false;
        for (size_t k = 0; k < b->n_places && !is_found; k++)
            is_found = bm_ascii_iequal(a->places[i].name, b->places[k].name);
        if (!is_found)
            return false;
    }
    return true;
}

bool bm_claim_replaces(const bm_claim *later, const bm_claim *earlier, bool is_same_incident) {
    if (later == earlier || later->value.kind == BM_VALUE_NONE ||
        earlier->value.kind == BM_VALUE_NONE)
        return false;
    if (later->revises != NULL && earlier->id != NULL && strcmp(later->revises, earlier->id) == 0)
        return true;
    /* Same day: which came first cannot be told without "revises". */
    return is_same_incident && later->source == earlier->source && later->what == earlier->what &&
           later->who == earlier->who && later->is_cumulative == earlier->is_cumulative &&
           later->claimed_on != NULL && earlier->claimed_on != NULL &&
           bm_date_compare_day(later->claimed_on, earlier->claimed_on) > 0 &&
           same_places(later, earlier);
}
