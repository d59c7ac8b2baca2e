/* SPDX-License-Identifier: MIT */
/* incidents_json.c - reads the JSON incident format (docs/incident-format.md) with cJSON.
 *
 * Three passes over one text: the raw bytes are checked as UTF-8; cJSON parses them (its stop
 * pointer gives the line and column of a syntax error); the JSON kit (json_kit.c) then records
 * where each value starts, because cJSON keeps no positions. The checks walk the tree, building the
 * RFC 6901 pointer as they go, and collect every problem. What the model keeps is copied into its
 * arena; the tree is deleted before returning. */
#include <cjson/cJSON.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_hash.h"
#include "dates.h"
#include "incidents.h"
#include "incidents_readers.h"
#include "incidents_value.h"
#include "json_kit.h"

#define FORMAT_VERSION 1

/* When no known key is near an unknown one. */
#define NOTE_HINT "remove it, or put free text in 'note'"

typedef struct reader {
    bm_json_reader j; /* text, positions, the pointer being read, problems */
    bm_arena *arena;
    bm_strmap *source_ids; /* source id -> index in the sources read: linear lookups */
} reader;

#define ERROR_AT(r, at, hint, ...)                                                                 \
    bm_json_flag(&(r)->j, BM_SEV_ERROR, (at), false, (hint), __VA_ARGS__)

/* Room in the arena for n items (at least one) of size bytes; NULL when memory ran out. */
static void *alloc_items(reader *r, size_t n, size_t size) {
    void *items = bm_arena_alloc(r->arena, (n ? n : 1) * size);
    if (items == NULL)
        r->j.is_out_of_memory = true;
    return items;
}

/* A copy of s (NULL gives NULL) in the arena. */
static const char *keep(reader *r, const char *s) {
    if (s == NULL)
        return NULL;
    const char *copy = bm_arena_strdup(r->arena, s);
    if (copy == NULL)
        r->j.is_out_of_memory = true;
    return copy;
}

static const char *arena_pointer(reader *r) {
    return keep(r, r->j.pointer);
}

/* ---- ids ------------------------------------------------------------------------------- */

/* An error at the id of obj (at obj when the id was generated), first used at first_line. */
static void duplicate_id(reader *r, const cJSON *obj, const char *what, const char *id,
                         int first_line) {
    char hint[96];
    snprintf(hint, sizeof hint, "the first is at line %d; ids must be unique", first_line);
    const cJSON *at = bm_json_member(obj, "id");
    const size_t saved = bm_json_push_key(&r->j, "id");
    ERROR_AT(r, at != NULL ? at : obj, hint, "duplicate %s id '%s'", what, id);
    bm_json_pop(&r->j, saved);
}

/* ---- strings and dates ------------------------------------------------------------------ */

/* A string member, copied into the arena: NULL when absent (an error if required), not a string,
 * or blank (both errors). */
static const char *read_string(reader *r, const cJSON *obj, const char *key, const char *what,
                               bool is_required) {
    return keep(r, bm_json_get_string(&r->j, obj, key, what, is_required));
}

static const char *read_when(reader *r, const cJSON *obj, const char *key, const char *what,
                             bool is_required, bm_when *out) {
    const char *text = read_string(r, obj, key, what, is_required);
    if (text == NULL)
        return NULL;
    char why[160];
    if (!bm_date_parse_when(text, out, why, sizeof why)) {
        bm_json_error_in(&r->j, obj, key, "write dates as 2026-01-31, or 2026-01-31T05:00+05:00",
                         "invalid date '%s' in '%s': %s", text, key, why);
        return NULL;
    }
    return text;
}

/* ---- places ----------------------------------------------------------------------------- */

static const char *read_place_kind(reader *r, const cJSON *obj) {
    const char *kind = read_string(r, obj, "kind", "place", false);
    if (kind == NULL)
        return NULL;
    const char *const *place_kinds = bm_place_kind_names();
    for (size_t i = 0; i < BM_N_PLACE_KINDS; i++) {
        if (strcmp(kind, place_kinds[i]) == 0)
            return kind;
    }
    const char *guess = bm_closest(kind, place_kinds, BM_N_PLACE_KINDS);
    char hint[96] = "leave 'kind' out when the source does not say";
    if (guess != NULL)
        snprintf(hint, sizeof hint, "did you mean '%s'?", guess);
    bm_json_error_in(&r->j, obj, "kind", hint, "unknown place kind '%s'; expected one of: %s", kind,
                     bm_place_kind_list());
    return NULL;
}

static const char *const place_ref_keys[] = {"name", "kind", "district", "province", "country"};
static const bm_json_rules place_ref_rules = {"place", place_ref_keys, 5, BM_SEV_WARNING,
                                              NOTE_HINT};

static void read_claim_places(reader *r, const cJSON *claim, bm_claim *c) {
    const cJSON *places = bm_json_get_array(&r->j, claim, "places", "claim", false);
    if (places == NULL) {
        if (bm_json_member(claim, "places") == NULL && c->value.kind != BM_VALUE_NONE)
            bm_json_missing(
                &r->j, claim, "places", "claim",
                "a claim with a figure names at least one place; if the source names none, "
                "use [{\"name\": \"Balochistan\", \"kind\": \"province\"}] and say so in "
                "'note'");
        return;
    }
    const size_t saved = bm_json_push_key(&r->j, "places");
    const size_t n = (size_t)cJSON_GetArraySize(places);
    if (n == 0) {
        ERROR_AT(r, places,
                 "list the places as the source spelled them, or leave 'places' out of a claim "
                 "with no figure",
                 "empty 'places' in claim; expected at least one place");
        bm_json_pop(&r->j, saved);
        return;
    }
    bm_place_ref *refs = alloc_items(r, n, sizeof *refs);
    bm_strmap *seen = bm_strmap_new();
    bool *is_warned = calloc(n, sizeof *is_warned);
    if (refs == NULL || seen == NULL || is_warned == NULL) {
        if (seen == NULL || is_warned == NULL)
            r->j.is_out_of_memory = true;
        bm_strmap_free(seen);
        free(is_warned);
        bm_json_pop(&r->j, saved);
        return;
    }
    size_t n_refs = 0, i = 0;
    for (const cJSON *p = places->child; p != NULL; p = p->next, i++) {
        const size_t saved_item = bm_json_push_index(&r->j, i);
        const char *name = NULL, *kind = NULL, *district = NULL, *province = NULL, *country = NULL;
        if (cJSON_IsString(p)) {
            if (p->valuestring[strspn(p->valuestring, " \t\r\n")] == '\0')
                ERROR_AT(r, p, "write the name as the source spelled it",
                         "empty place name; expected a name such as 'Quetta'");
            else if ((name = bm_arena_strdup(r->arena, p->valuestring)) == NULL)
                r->j.is_out_of_memory = true;
        } else if (cJSON_IsObject(p)) {
            bm_json_check_members(&r->j, p, &place_ref_rules);
            name = read_string(r, p, "name", "place", true);
            kind = read_place_kind(r, p);
            district = read_string(r, p, "district", "place", false);
            province = read_string(r, p, "province", "place", false);
            country = read_string(r, p, "country", "place", false);
        } else {
            char got[96];
            ERROR_AT(r, p, NULL,
                     "expected a place name or {\"name\": ..., \"kind\": ...}, found %s",
                     bm_json_describe(p, got, sizeof got));
        }
        if (name != NULL) {
            /* One warning per repeated place, found through a map: a claim naming 10,000
             * places used to report every pair of repeats (2,494,900 problems). */
            bool is_new = true;
            size_t first = 0;
            if (bm_strmap_add(seen, name, n_refs, &is_new, &first) != BM_OK)
                r->j.is_out_of_memory = true;
            if (!is_new && !is_warned[first]) {
                is_warned[first] = true;
                bm_json_flag(&r->j, BM_SEV_WARNING, p, false, "list each place once",
                             "place '%s' is listed more than once in this claim (first at "
                             "line %d)",
                             name, refs[first].line);
            }
            const bm_json_pos *pos = bm_json_position_of(&r->j.positions, p);
            refs[n_refs++] =
                (bm_place_ref){name,     kind,     arena_pointer(r), bm_json_line_of(&r->j, p),
                               district, province, country,          pos != NULL ? pos->column : 0,
                               NULL,     false};
        }
        bm_json_pop(&r->j, saved_item);
    }
    c->places = refs;
    c->n_places = n_refs;
    bm_strmap_free(seen);
    free(is_warned);
    bm_json_pop(&r->j, saved);
}

static const char *const pin_keys[] = {"name",   "kind",         "lat", "lon",
                                       "source", "gazetteer_id", "note"};
static const bm_json_rules pin_rules = {"place pin", pin_keys, 7, BM_SEV_WARNING, NOTE_HINT};

static bool read_degrees(reader *r, const cJSON *pin, const char *key, double limit, double *out) {
    const cJSON *item = bm_json_member(pin, key);
    const size_t saved = bm_json_push_key(&r->j, key);
    bool ok = false;
    char got[96];
    if (!cJSON_IsNumber(item))
        ERROR_AT(r, item, NULL, "expected a number of degrees for '%s', found %s", key,
                 bm_json_describe(item, got, sizeof got));
    else if (!(fabs(item->valuedouble) <= limit))
        ERROR_AT(r, item, "latitude comes first: Quetta is lat 30.18, lon 67.00",
                 "'%s' %.15g is out of range; expected -%g to %g", key, item->valuedouble, limit,
                 limit);
    else
        ok = true;
    if (ok)
        *out = item->valuedouble;
    bm_json_pop(&r->j, saved);
    return ok;
}

static void read_pins(reader *r, const cJSON *root, bm_incidents_parts *parts) {
    const cJSON *pins = bm_json_get_array(&r->j, root, "places", "the file", false);
    if (pins == NULL)
        return;
    const size_t saved = bm_json_push_key(&r->j, "places");
    const size_t n = (size_t)cJSON_GetArraySize(pins);
    bm_place_pin *out = alloc_items(r, n, sizeof *out);
    if (out == NULL) {
        bm_json_pop(&r->j, saved);
        return;
    }
    size_t n_out = 0, i = 0;
    bm_strmap *pin_keys_seen = NULL; /* "name\x1fkind" -> index in out */
    for (const cJSON *p = pins->child; p != NULL; p = p->next, i++) {
        const size_t saved_item = bm_json_push_index(&r->j, i);
        char *key = NULL;
        if (!bm_json_expect_object(&r->j, p, "a place pin", &pin_rules)) {
            bm_json_pop(&r->j, saved_item);
            continue;
        }
        bm_place_pin pin = {0};
        pin.name = read_string(r, p, "name", "place pin", true);
        pin.kind = read_place_kind(r, p);
        pin.gazetteer_id = read_string(r, p, "gazetteer_id", "place pin", false);
        const bool has_lat = bm_json_member(p, "lat") != NULL,
                   has_lon = bm_json_member(p, "lon") != NULL;
        bool ok = pin.name != NULL;
        if (has_lat || has_lon) {
            pin.has_coords = true;
            if (!has_lat || !has_lon) {
                bm_json_missing(&r->j, p, has_lat ? "lon" : "lat", "place pin", NULL);
                ok = false;
            } else {
                ok = read_degrees(r, p, "lat", 90, &pin.lat_deg) && ok;
                ok = read_degrees(r, p, "lon", 180, &pin.lon_deg) && ok;
            }
            pin.source = read_string(r, p, "source", "place pin", false);
            if (bm_json_member(p, "source") == NULL) {
                bm_json_missing(&r->j, p, "source", "place pin",
                                "say where the coordinates come from, e.g. \"GeoNames 1167527\"");
                ok = false;
            }
            if (pin.gazetteer_id != NULL) {
                ERROR_AT(r, p, "keep one of them",
                         "place pin has both coordinates and 'gazetteer_id'; expected one");
                ok = false;
            }
        } else if (pin.gazetteer_id == NULL && bm_json_member(p, "gazetteer_id") == NULL) {
            ERROR_AT(r, p, NULL,
                     "place pin needs 'lat', 'lon' and 'source', or 'gazetteer_id'; found neither");
            ok = false;
        }
        if (pin.name != NULL) {
            /* name and kind, apart: one map lookup instead of a scan of every pin so far */
            const size_t key_size = strlen(pin.name) + (pin.kind ? strlen(pin.kind) : 0) + 3;
            key = bm_arena_alloc(r->arena, key_size);
            size_t j = 0;
            if (key != NULL)
                snprintf(key, key_size, "%s\x1f%s", pin.name, pin.kind ? pin.kind : "");
            if (key == NULL ||
                (pin_keys_seen == NULL && (pin_keys_seen = bm_strmap_new()) == NULL)) {
                r->j.is_out_of_memory = true;
                key = NULL;
            } else if (bm_strmap_get(pin_keys_seen, key, &j)) {
                char hint[96];
                snprintf(hint, sizeof hint, "the first is at line %d", out[j].line);
                ERROR_AT(r, p, hint, "place '%s' is pinned twice", pin.name);
                ok = false;
            }
        }
        if (ok) {
            pin.pointer = arena_pointer(r);
            pin.line = bm_json_line_of(&r->j, p);
            bool is_new;
            if (key != NULL && bm_strmap_add(pin_keys_seen, key, n_out, &is_new, NULL) != BM_OK)
                r->j.is_out_of_memory = true;
            out[n_out++] = pin;
        }
        bm_json_pop(&r->j, saved_item);
    }
    bm_strmap_free(pin_keys_seen);
    parts->pins = out;
    parts->n_pins = n_out;
    bm_json_pop(&r->j, saved);
}

/* ---- sources ---------------------------------------------------------------------------- */

static const char *const source_keys[] = {"id", "label", "name", "kind", "url", "note"};
static const bm_json_rules source_rules = {"source", source_keys, 6, BM_SEV_WARNING, NOTE_HINT};

static void read_sources(reader *r, const cJSON *root, bm_incidents_parts *parts) {
    const cJSON *sources = bm_json_get_array(&r->j, root, "sources", "the file", true);
    if (sources == NULL)
        return;
    const size_t saved = bm_json_push_key(&r->j, "sources");
    const size_t n = (size_t)cJSON_GetArraySize(sources);
    if (n == 0)
        ERROR_AT(r, sources, "declare who makes the claims: {\"id\": \"ispr\", ...}",
                 "empty 'sources'; expected at least one source");
    bm_source *out = alloc_items(r, n, sizeof *out);
    if (out == NULL) {
        bm_json_pop(&r->j, saved);
        return;
    }
    size_t n_out = 0, i = 0;
    for (const cJSON *s = sources->child; s != NULL; s = s->next, i++) {
        const size_t saved_item = bm_json_push_index(&r->j, i);
        if (!bm_json_expect_object(&r->j, s, "a source", &source_rules)) {
            bm_json_pop(&r->j, saved_item);
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
            const char *const *source_kinds = bm_source_kind_names();
            for (size_t k = 0; k < BM_N_SOURCE_KINDS; k++)
                is_known = is_known || strcmp(src.kind, source_kinds[k]) == 0;
            if (!is_known) {
                const char *guess = bm_closest(src.kind, source_kinds, BM_N_SOURCE_KINDS);
                char hint[96] = "";
                if (guess != NULL)
                    snprintf(hint, sizeof hint, "did you mean '%s'?", guess);
                bm_json_error_in(&r->j, s, "kind", guess != NULL ? hint : NULL,
                                 "unknown source kind '%s'; expected one of: %s", src.kind,
                                 bm_source_kind_list());
            }
        }
        size_t j;
        if (src.id != NULL && r->source_ids != NULL && bm_strmap_get(r->source_ids, src.id, &j)) {
            duplicate_id(r, s, "source", src.id, out[j].line);
            ok = false;
        }
        if (ok) {
            src.pointer = arena_pointer(r);
            src.line = bm_json_line_of(&r->j, s);
            bool is_new;
            if (src.id != NULL &&
                ((r->source_ids == NULL && (r->source_ids = bm_strmap_new()) == NULL) ||
                 bm_strmap_add(r->source_ids, src.id, n_out, &is_new, NULL) != BM_OK))
                r->j.is_out_of_memory = true;
            out[n_out++] = src;
        }
        bm_json_pop(&r->j, saved_item);
    }
    parts->sources = out;
    parts->n_sources = n_out;
    bm_json_pop(&r->j, saved);
}

/* ---- incidents and claims --------------------------------------------------------------- */

static const char *const claim_keys[] = {
    "id",         "source",      "what",  "who",  "object", "value",         "places",
    "claimed_on", "reported_by", "quote", "note", "url",    "is_cumulative", "revises"};
static const bm_json_rules claim_rules = {"claim", claim_keys, 14, BM_SEV_WARNING, NOTE_HINT};

typedef struct id_seen {
    const char *id;
    int line;
} id_seen;

typedef struct claim_ids {
    id_seen *items;
    size_t n, n_alloc;
    bm_strmap *index; /* id -> position in items: linear duplicate checks for 100,000 claims */
} claim_ids;

static bool remember_id(reader *r, claim_ids *ids, const char *id, int line) {
    bool is_new;
    if ((ids->index == NULL && (ids->index = bm_strmap_new()) == NULL) ||
        bm_grow((void **)&ids->items, &ids->n_alloc, ids->n + 1, sizeof *ids->items) != BM_OK ||
        bm_strmap_add(ids->index, id, ids->n, &is_new, NULL) != BM_OK) {
        r->j.is_out_of_memory = true;
        return false;
    }
    ids->items[ids->n++] = (id_seen){id, line};
    return true;
}

static const id_seen *find_id(const claim_ids *ids, const char *id) {
    size_t i;
    if (id == NULL || ids->index == NULL || !bm_strmap_get(ids->index, id, &i))
        return NULL;
    return &ids->items[i];
}

static bool read_claim_source(reader *r, const cJSON *claim, const bm_incidents_parts *parts,
                              size_t *out) {
    const char *id = read_string(r, claim, "source", "claim", true);
    if (id == NULL)
        return false;
    size_t at;
    if (r->source_ids != NULL && bm_strmap_get(r->source_ids, id, &at) && at < parts->n_sources) {
        *out = at;
        return true;
    }
    const char *ids[64];
    const size_t n_ids = parts->n_sources < 64 ? parts->n_sources : 64;
    for (size_t i = 0; i < n_ids; i++)
        ids[i] = parts->sources[i].id;
    char valid[512], hint[160] = "declare it in 'sources' first";
    bm_json_join(ids, n_ids, valid, sizeof valid);
    const char *guess = bm_closest(id, ids, n_ids);
    if (guess != NULL)
        snprintf(hint, sizeof hint, "did you mean '%s'?", guess);
    bm_json_error_in(&r->j, claim, "source", hint, "unknown source '%s'; expected one of: %s", id,
                     n_ids ? valid : "(no sources declared)");
    return false;
}

static bool read_claim(reader *r, const cJSON *obj, const char *incident_id, size_t index,
                       const bm_incidents_parts *parts, claim_ids *ids, bm_claim *c) {
    bool ok = true;
    c->id = read_string(r, obj, "id", "claim", false);
    if (c->id == NULL && bm_json_member(obj, "id") == NULL) {
        char generated[160];
        snprintf(generated, sizeof generated, "%s/%zu", incident_id ? incident_id : "?", index);
        c->id = bm_arena_strdup(r->arena, generated);
        if (c->id == NULL)
            r->j.is_out_of_memory = true;
    }
    ok = read_claim_source(r, obj, parts, &c->source) && ok;
    size_t what = 0, who = 0;
    ok = bm_json_get_enum(&r->j, obj, "what", "claim", bm_quantity_names(), BM_N_QUANTITIES, true,
                          &what) &&
         ok;
    ok = bm_json_get_enum(&r->j, obj, "who", "claim", bm_party_names(), BM_N_PARTIES, true, &who) &&
         ok;
    c->what = (bm_quantity)what;
    c->who = (bm_party)who;
    c->object = read_string(r, obj, "object", "claim", false);
    const size_t n_errors_before = r->j.n_errors;
    bm_value_read(&r->j, r->arena, obj, &c->value);
    read_claim_places(r, obj, c);
    bm_when claimed = {0, false};
    if (bm_json_member(obj, "claimed_on") == NULL)
        bm_json_missing(&r->j, obj, "claimed_on", "claim",
                        "give the date the source made the claim, e.g. \"2026-01-31\"");
    else
        c->claimed_on = read_when(r, obj, "claimed_on", "claim", true, &claimed);
    c->reported_by = read_string(r, obj, "reported_by", "claim", false);
    c->quote = read_string(r, obj, "quote", "claim", false);
    c->note = read_string(r, obj, "note", "claim", false);
    c->url = read_string(r, obj, "url", "claim", false);
    c->revises = read_string(r, obj, "revises", "claim", false);
    bm_json_get_bool(&r->j, obj, "is_cumulative", &c->is_cumulative);
    c->pointer = arena_pointer(r);
    c->line = bm_json_line_of(&r->j, obj);
    if (c->id != NULL) {
        const id_seen *first = find_id(ids, c->id);
        if (first != NULL) {
            duplicate_id(r, obj, "claim", c->id, first->line);
        } else {
            remember_id(r, ids, c->id, c->line);
        }
    }
    return ok && r->j.n_errors == n_errors_before;
}

static const char *const incident_keys[] = {"id", "title", "date", "date_note", "claims", "note"};
static const bm_json_rules incident_rules = {"incident", incident_keys, 6, BM_SEV_WARNING,
                                             NOTE_HINT};
static const char *const range_keys[] = {"start", "end"};
static const bm_json_rules range_rules = {"date range", range_keys, 2, BM_SEV_WARNING, NOTE_HINT};

static void read_incident_date(reader *r, const cJSON *obj, bm_incident *inc) {
    const cJSON *date = bm_json_member(obj, "date");
    if (date == NULL) {
        bm_json_missing(&r->j, obj, "date", "incident",
                        "write \"date\": \"2026-01-31\" or {\"start\": ..., \"end\": ...}");
        return;
    }
    bm_when start = {0, false}, end = {0, false};
    if (!cJSON_IsObject(date)) {
        inc->date_start = inc->date_end = read_when(r, obj, "date", "incident", true, &start);
        return;
    }
    const size_t saved = bm_json_push_key(&r->j, "date");
    bm_json_check_members(&r->j, date, &range_rules);
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
    bm_json_pop(&r->j, saved);
}

/* A claim revising itself, or claims revising each other in a circle, have no latest figure:
 * each would be replaced by another and all would vanish from the map. Each claim has at most
 * one "revises", so following them from every claim, marking the ones done, is linear. */
static void check_revises_cycles(reader *r, const bm_incident *incidents, size_t n_incidents) {
    size_t n = 0;
    for (size_t a = 0; a < n_incidents; a++)
        n += incidents[a].n_claims;
    const bm_claim **all = calloc(n + 1, sizeof *all);
    unsigned char *state = calloc(n + 1, 1); /* 0 not seen, 1 on the current path, 2 done */
    size_t *next = calloc(n + 1, sizeof *next);
    bm_strmap *by_id = bm_strmap_new();
    if (all == NULL || state == NULL || next == NULL || by_id == NULL) {
        r->j.is_out_of_memory = true;
        goto done;
    }
    size_t k = 0;
    for (size_t a = 0; a < n_incidents; a++) {
        for (size_t b = 0; b < incidents[a].n_claims; b++, k++) {
            all[k] = &incidents[a].claims[b];
            bool is_new;
            if (all[k]->id != NULL && bm_strmap_add(by_id, all[k]->id, k, &is_new, NULL) != BM_OK) {
                r->j.is_out_of_memory = true;
                goto done;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (all[i]->revises == NULL || !bm_strmap_get(by_id, all[i]->revises, &next[i]))
            next[i] = SIZE_MAX;
    }
    for (size_t start = 0; start < n; start++) {
        size_t i = start;
        while (i != SIZE_MAX && state[i] == 0) {
            state[i] = 1;
            i = next[i];
        }
        if (i != SIZE_MAX && state[i] == 1) { /* back on this path: i starts a circle */
            char path[400];
            size_t len = (size_t)snprintf(path, sizeof path, "'%s'", all[i]->id);
            for (size_t j = next[i]; j != i && len < sizeof path; j = next[j])
                len += (size_t)snprintf(path + len, sizeof path - len, " -> '%s'", all[j]->id);
            if (len < sizeof path)
                snprintf(path + len, sizeof path - len, " -> '%s'", all[i]->id);
            bm_error e = {0};
            e.status = BM_ERR_INVALID;
            if (next[i] == i)
                snprintf(e.message, sizeof e.message, "claim '%s' revises itself", all[i]->id);
            else
                snprintf(e.message, sizeof e.message,
                         "claims revise each other in a circle: %s; none would be drawn", path);
            bm_error_file(&e, r->j.path);
            char pointer[320];
            snprintf(pointer, sizeof pointer, "%s/revises", all[i]->pointer);
            bm_error_pointer(&e, pointer);
            bm_error_hint(&e, "'revises' names an earlier claim of the same source; remove it "
                              "from the earliest claim");
            e.line = all[i]->line;
            bm_json_report(&r->j, BM_SEV_ERROR, &e);
        }
        for (size_t j = start; j != SIZE_MAX && state[j] == 1; j = next[j])
            state[j] = 2;
    }
done:
    bm_strmap_free(by_id);
    free(next);
    free(state);
    free(all);
}

static void read_incidents(reader *r, const cJSON *root, bm_incidents_parts *parts) {
    const cJSON *incidents = bm_json_get_array(&r->j, root, "incidents", "the file", true);
    if (incidents == NULL)
        return;
    const size_t saved = bm_json_push_key(&r->j, "incidents");
    const size_t n = (size_t)cJSON_GetArraySize(incidents);
    if (n == 0)
        ERROR_AT(r, incidents, NULL, "empty 'incidents'; expected at least one incident");
    bm_incident *out = alloc_items(r, n, sizeof *out);
    claim_ids ids = {0};
    bm_strmap *incident_ids = NULL; /* id -> first incident with it */
    if (out == NULL)
        goto done;
    size_t n_out = 0, i = 0;
    for (const cJSON *obj = incidents->child; obj != NULL; obj = obj->next, i++) {
        const size_t saved_item = bm_json_push_index(&r->j, i);
        if (!bm_json_expect_object(&r->j, obj, "an incident", &incident_rules)) {
            bm_json_pop(&r->j, saved_item);
            continue;
        }
        bm_incident inc = {0};
        inc.id = read_string(r, obj, "id", "incident", true);
        inc.title = read_string(r, obj, "title", "incident", false);
        inc.date_note = read_string(r, obj, "date_note", "incident", false);
        read_incident_date(r, obj, &inc);
        inc.pointer = arena_pointer(r);
        inc.line = bm_json_line_of(&r->j, obj);
        if (inc.id != NULL) {
            bool is_new;
            size_t j;
            if ((incident_ids == NULL && (incident_ids = bm_strmap_new()) == NULL) ||
                bm_strmap_add(incident_ids, inc.id, n_out, &is_new, &j) != BM_OK)
                r->j.is_out_of_memory = true;
            else if (!is_new)
                duplicate_id(r, obj, "incident", inc.id, out[j].line);
        }
        const cJSON *claims = bm_json_get_array(&r->j, obj, "claims", "incident", true);
        if (claims != NULL) {
            const size_t saved_claims = bm_json_push_key(&r->j, "claims");
            const size_t n_claims = (size_t)cJSON_GetArraySize(claims);
            if (n_claims == 0)
                ERROR_AT(r, claims, NULL, "empty 'claims' in incident; expected at least one");
            bm_claim *cs = alloc_items(r, n_claims, sizeof *cs);
            size_t k = 0;
            for (const cJSON *c = claims->child; c != NULL && cs != NULL; c = c->next, k++) {
                const size_t saved_claim = bm_json_push_index(&r->j, k);
                if (bm_json_expect_object(&r->j, c, "a claim", &claim_rules) &&
                    read_claim(r, c, inc.id, k, parts, &ids, &cs[inc.n_claims]))
                    inc.n_claims++;
                bm_json_pop(&r->j, saved_claim);
            }
            inc.claims = cs;
            bm_json_pop(&r->j, saved_claims);
        }
        out[n_out++] = inc;
        bm_json_pop(&r->j, saved_item);
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
            snprintf(r->j.pointer, sizeof r->j.pointer, "%s/revises", c->pointer);
            bm_error e = {0};
            e.status = BM_ERR_INVALID;
            snprintf(e.message, sizeof e.message, "'revises' names unknown claim '%s'", c->revises);
            bm_error_file(&e, r->j.path);
            bm_error_pointer(&e, r->j.pointer);
            bm_error_hint(&e, "%s", hint);
            e.line = c->line;
            bm_json_report(&r->j, BM_SEV_ERROR, &e);
        }
    }
    check_revises_cycles(r, out, n_out);
done:
    bm_strmap_free(incident_ids);
    bm_strmap_free(ids.index);
    free(ids.items);
    bm_json_pop(&r->j, saved);
}

/* ---- the file --------------------------------------------------------------------------- */

static const char *const top_keys[] = {"balmap", "title",   "subtitle", "report",
                                       "notes",  "sources", "places",   "incidents"};
static const bm_json_rules top_rules = {"the file", top_keys, 8, BM_SEV_WARNING, NOTE_HINT};

static void read_notes(reader *r, const cJSON *root, bm_incidents_parts *parts) {
    const cJSON *notes = bm_json_get_array(&r->j, root, "notes", "the file", false);
    if (notes == NULL)
        return;
    const size_t saved = bm_json_push_key(&r->j, "notes");
    const size_t n = (size_t)cJSON_GetArraySize(notes);
    const char **out = alloc_items(r, n, sizeof *out);
    size_t n_out = 0, i = 0;
    for (const cJSON *note = notes->child; note != NULL && out != NULL; note = note->next, i++) {
        const size_t saved_item = bm_json_push_index(&r->j, i);
        if (cJSON_IsString(note)) {
            out[n_out] = bm_arena_strdup(r->arena, note->valuestring);
            if (out[n_out++] == NULL)
                r->j.is_out_of_memory = true;
        } else {
            char got[96];
            ERROR_AT(r, note, NULL, "expected a string for a note, found %s",
                     bm_json_describe(note, got, sizeof got));
        }
        bm_json_pop(&r->j, saved_item);
    }
    parts->notes = (const char *const *)out;
    parts->n_notes = n_out;
    bm_json_pop(&r->j, saved);
}

static bool check_version(reader *r, const cJSON *root) {
    const cJSON *version = bm_json_member(root, "balmap");
    if (version == NULL) {
        bm_json_missing(&r->j, root, "balmap", "the file",
                        "start the file with \"balmap\": 1 (the format version)");
        return false;
    }
    if (cJSON_IsNumber(version) && version->valuedouble == FORMAT_VERSION)
        return true;
    char got[96];
    const size_t saved = bm_json_push_key(&r->j, "balmap");
    ERROR_AT(r, version, "this balmap reads format version 1 only",
             "unsupported format version in 'balmap'; expected 1, found %s",
             bm_json_describe(version, got, sizeof got));
    bm_json_pop(&r->j, saved);
    return false;
}

bm_incidents *bm_incidents_parse(const char *text, size_t len, const char *path, bm_diags *diags,
                                 bm_error *err) {
    reader r = {0};
    bm_json_reader_init(&r.j, text, len, path, diags, err);
    cJSON *root = NULL;
    bm_incidents *inc = NULL;
    bm_incidents_parts parts = {0};

    r.arena = bm_arena_new();
    if (r.arena == NULL) {
        r.j.is_out_of_memory = true;
        goto done;
    }
    if (!bm_json_check_utf8(&r.j))
        goto done;
    root = bm_json_reader_parse(&r.j);
    if (root == NULL)
        goto done;

    if (!cJSON_IsObject(root)) {
        char got[96];
        ERROR_AT(&r, root, "an incident file is one object: {\"balmap\": 1, ...}",
                 "expected an object at the top of the file, found %s",
                 bm_json_describe(root, got, sizeof got));
        goto done;
    }
    if (!check_version(&r, root))
        goto done; /* other versions may mean other rules: check nothing else */
    bm_json_check_members(&r.j, root, &top_rules);
    parts.title = read_string(&r, root, "title", "the file", true);
    parts.subtitle = read_string(&r, root, "subtitle", "the file", false);
    parts.report = read_string(&r, root, "report", "the file", false);
    read_notes(&r, root, &parts);
    read_sources(&r, root, &parts);
    read_pins(&r, root, &parts);
    read_incidents(&r, root, &parts);
    if (bm_incidents_parts_check(&parts, r.j.path, true, r.j.diags, r.j.err, &r.j.n_errors) !=
        BM_OK)
        r.j.is_out_of_memory = true;
    if (r.j.n_errors == 0 && !r.j.is_out_of_memory) {
        inc = bm_incidents_new_take(r.arena, path, &parts);
        r.arena = NULL;
        if (inc == NULL)
            r.j.is_out_of_memory = true;
    }
done:
    if (r.j.is_out_of_memory) {
        bm_incidents_free(inc);
        inc = NULL;
        bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading '%s'", r.j.path);
    }
    cJSON_Delete(root);
    bm_json_reader_free(&r.j);
    bm_strmap_free(r.source_ids);
    bm_arena_free(r.arena);
    return inc;
}
