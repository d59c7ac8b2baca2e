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
#include <strings.h>

#include "bm_limits.h"
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

/* ---- limits ------------------------------------------------------------------------------ */

typedef struct parts_check {
    const char *path;
    bool has_key_pointers;
    bm_diags *diags;
    bm_error *err;
    size_t *n_errors;
    bool is_out_of_memory;
} parts_check;

static void check_report(parts_check *pc, bm_error *e, const char *pointer, const char *key,
                         int line, int column) {
    char where[320] = "";
    if (pointer != NULL && pointer[0] != '\0')
        snprintf(where, sizeof where, "%s%s%s", pointer,
                 pc->has_key_pointers && key != NULL ? "/" : "",
                 pc->has_key_pointers && key != NULL ? key : "");
    bm_error_file(e, pc->path);
    bm_error_pointer(e, where);
    e->line = line;
    e->column = column;
    if (bm_report(pc->diags, pc->err, pc->n_errors, BM_SEV_ERROR, e) != BM_OK)
        pc->is_out_of_memory = true;
}

/* One text field (NULL: absent, nothing to check). key: its name in the JSON format. The parts
 * hold their strings as const for the model's readers; before the model is made they are the
 * reader's own (bm_incidents_parts_check), so the check may write spaces over tabs. */
static void check_text(parts_check *pc, const char *text, bm_field_kind kind, const char *what,
                       const char *pointer, const char *key, int line, int column) {
    bm_error e = {0};
    if (text != NULL && !bm_text_check((char *)(uintptr_t)text, kind, what, &e))
        check_report(pc, &e, pointer, key, line, column);
}

/* A link the web page will make clickable: http or https only, so that an incident file cannot
 * put a javascript: or data: link in front of a reader (the page allows its own inline script). */
static void check_url(parts_check *pc, const char *url, const char *what, const char *pointer,
                      int line) {
    if (url == NULL || strncasecmp(url, "https://", 8) == 0 || strncasecmp(url, "http://", 7) == 0)
        return;
    bm_error e = {0};
    bm_error_set(&e, BM_ERR_INVALID, "%s '%.80s%s' is not a web address", what, url,
                 strlen(url) > 80 ? "..." : "");
    bm_error_hint(&e, "write the link in full, starting with https:// or http://; balmap "
                      "links nothing else");
    check_report(pc, &e, pointer, "url", line, 0);
}

static void check_claim(parts_check *pc, const bm_claim *c, const char *incident_id) {
    const char *p = c->pointer;
    const int line = c->line;
    /* an id the JSON reader made ("<incident id>/<index>") may be a few characters longer */
    const size_t n = incident_id != NULL ? strlen(incident_id) : 0;
    const bool is_made = n > 0 && c->id != NULL && strncmp(c->id, incident_id, n) == 0 &&
                         c->id[n] == '/' && c->id[n + 1] != '\0' &&
                         c->id[n + 1 + strspn(c->id + n + 1, "0123456789")] == '\0';
    if (!is_made)
        check_text(pc, c->id, BM_FIELD_NAME, "the claim's id", p, "id", line, 0);
    check_text(pc, c->object, BM_FIELD_NAME, "the claim's object", p, "object", line, 0);
    check_text(pc, c->reported_by, BM_FIELD_TITLE, "the claim's reported_by", p, "reported_by",
               line, 0);
    check_text(pc, c->quote, BM_FIELD_PROSE, "the claim's quote", p, "quote", line, 0);
    check_text(pc, c->note, BM_FIELD_PROSE, "the claim's note", p, "note", line, 0);
    check_text(pc, c->url, BM_FIELD_PROSE, "the claim's url", p, "url", line, 0);
    check_url(pc, c->url, "the claim's url", p, line);
    check_text(pc, c->revises, BM_FIELD_NAME, "the claim's revises", p, "revises", line, 0);
    if (c->n_places > BM_MAX_PLACES_PER_CLAIM) {
        bm_error e = {0};
        bm_error_set(&e, BM_ERR_INVALID, "the claim names %zu places; balmap takes up to %d",
                     c->n_places, BM_MAX_PLACES_PER_CLAIM);
        bm_error_hint(&e, "a claim names the places its source names; split a list this long "
                          "into claims per district (docs/limits.md)");
        check_report(pc, &e, p, "places", line, 0);
    }
    for (size_t i = 0; i < c->n_places; i++) {
        const bm_place_ref *r = &c->places[i];
        const char *rp = r->pointer != NULL && r->pointer[0] != '\0' ? r->pointer : p;
        check_text(pc, r->name, BM_FIELD_NAME, "a place name", rp, NULL, r->line, r->column);
        check_text(pc, r->district, BM_FIELD_NAME, "a place's district", rp, "district", r->line,
                   r->column);
        check_text(pc, r->province, BM_FIELD_NAME, "a place's province", rp, "province", r->line,
                   r->column);
        check_text(pc, r->country, BM_FIELD_NAME, "a place's country", rp, "country", r->line,
                   r->column);
    }
}

bm_status bm_incidents_parts_check(bm_incidents_parts *parts, const char *path,
                                   bool has_key_pointers, bm_diags *diags, bm_error *err,
                                   size_t *n_errors) {
    parts_check pc = {path != NULL ? path : "", has_key_pointers, diags, err, n_errors, false};
    const bool is_json = has_key_pointers;
    check_text(&pc, parts->title, BM_FIELD_TITLE, "the title", is_json ? "/title" : "", NULL, 0, 0);
    check_text(&pc, parts->subtitle, BM_FIELD_TITLE, "the subtitle", is_json ? "/subtitle" : "",
               NULL, 0, 0);
    check_text(&pc, parts->report, BM_FIELD_TITLE, "the report", is_json ? "/report" : "", NULL, 0,
               0);
    for (size_t i = 0; i < parts->n_notes; i++) {
        char pointer[48];
        snprintf(pointer, sizeof pointer, "/notes/%zu", i);
        check_text(&pc, parts->notes[i], BM_FIELD_PROSE, "a note", has_key_pointers ? pointer : "",
                   NULL, 0, 0);
    }
    for (size_t i = 0; i < parts->n_sources; i++) {
        const bm_source *s = &parts->sources[i];
        const char *p = s->pointer;
        check_text(&pc, s->id, BM_FIELD_NAME, "the source's id", p, "id", s->line, 0);
        check_text(&pc, s->label, BM_FIELD_NAME, "the source's label", p, "label", s->line, 0);
        check_text(&pc, s->name, BM_FIELD_NAME, "the source's name", p, "name", s->line, 0);
        check_text(&pc, s->kind, BM_FIELD_NAME, "the source's kind", p, "kind", s->line, 0);
        check_text(&pc, s->url, BM_FIELD_PROSE, "the source's url", p, "url", s->line, 0);
        check_url(&pc, s->url, "the source's url", p, s->line);
        check_text(&pc, s->note, BM_FIELD_PROSE, "the source's note", p, "note", s->line, 0);
    }
    for (size_t i = 0; i < parts->n_pins; i++) {
        const bm_place_pin *pin = &parts->pins[i];
        const char *p = pin->pointer;
        check_text(&pc, pin->name, BM_FIELD_NAME, "the pinned place's name", p, "name", pin->line,
                   0);
        check_text(&pc, pin->gazetteer_id, BM_FIELD_NAME, "the pin's gazetteer_id", p,
                   "gazetteer_id", pin->line, 0);
        check_text(&pc, pin->source, BM_FIELD_TITLE, "the pin's source", p, "source", pin->line, 0);
    }
    size_t n_claims = 0;
    for (size_t i = 0; i < parts->n_incidents; i++) {
        const bm_incident *inc = &parts->incidents[i];
        const char *p = inc->pointer;
        check_text(&pc, inc->id, BM_FIELD_NAME, "the incident's id", p, "id", inc->line, 0);
        check_text(&pc, inc->title, BM_FIELD_TITLE, "the incident's title", p, "title", inc->line,
                   0);
        check_text(&pc, inc->date_note, BM_FIELD_PROSE, "the incident's date_note", p, "date_note",
                   inc->line, 0);
        for (size_t k = 0; k < inc->n_claims; k++) {
            if (++n_claims == BM_MAX_CLAIMS + 1) {
                bm_error e = {0};
                bm_error_set(&e, BM_ERR_INVALID,
                             "more than %d claims in the file (this is claim %d); balmap "
                             "takes up to %d",
                             BM_MAX_CLAIMS, BM_MAX_CLAIMS + 1, BM_MAX_CLAIMS);
                bm_error_hint(&e, "split the file (one per year or per district, say) and map "
                                  "each part (docs/limits.md)");
                check_report(&pc, &e, inc->claims[k].pointer, NULL, inc->claims[k].line, 0);
            }
            check_claim(&pc, &inc->claims[k], inc->id);
        }
    }
    return pc.is_out_of_memory ? BM_ERR_NOMEM : BM_OK;
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

/* monitor: a monitoring project or dataset that codes others' reports (ACLED, UCDP, PICSS,
 * SATP). */
static const char *const source_kind_names[BM_N_SOURCE_KINDS] = {
    "military", "armed_group", "government", "media", "monitor", "other"};
static const char source_kind_list[] = "military, armed_group, government, media, monitor, other";

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
