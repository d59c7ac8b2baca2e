/* SPDX-License-Identifier: MIT */
#include "map.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_buf.h"
#include "bm_limits.h"
#include "carto/carto.h"
#include "carto/group.h"
#include "carto/wording.h"
#include "dates.h"
#include "gazetteer.h"
#include "geocode.h"
#include "incidents_load.h"
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
    req->group = -1;
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
    bool is_data_shared; /* gz, countries and provinces are req->shared_data's */
    bm_shapes **layers;
    size_t n_layers;
    bm_style style;
    bm_text *text;
    bm_view *views[BM_MAX_PANELS];
    bm_panel panels[BM_MAX_PANELS];
    char panel_titles[BM_MAX_PANELS][256];
    char panel_periods[BM_MAX_PANELS][32]; /* "2024", "2024-03" (--facet year, month) */
    size_t n_panels;
    bm_scene *scene;
    bm_scene *narrow; /* the web page's copy for a phone's screen (lay_out_narrow); or NULL */
    bm_geocoded *geo;
    const bm_located_place *places; /* the geocoded model's, for short */
    size_t n_places;
    const bm_located_claim *claims;
    size_t n_claims;
    bm_groups *groups; /* NULL when each claim stands alone and no window is set */
    bm_group_input group_in;
    const bm_group **group_of; /* per claim, its group (NULL: not drawn) */
    const char *grouping;      /* the legend's sentence on what was summed; NULL: none */
    const char *subtitle;      /* the file's, with the window; NULL: the file's as it is */
    char *title;               /* req->title checked, tabs and line breaks made spaces; or NULL */
    bm_lang *lang;             /* the map's words */
    bm_lang *lang_ur;          /* Urdu's, for Urdu place names on a map in another language */
    const char **places_ur;    /* per place, its cited Urdu name or NULL (--labels ur, en+ur) */
    size_t n_names_fallback;   /* places without one */
} job;

static char *path_join(job *j, const char *dir, const char *rel) {
    const size_t n = strlen(dir) + strlen(rel) + 2;
    char *p = bm_arena_alloc(j->arena, n);
    if (p != NULL)
        snprintf(p, n, "%s/%s", dir, rel);
    return p;
}

static bm_status geocode(job *j) {
    const bm_render_request *req = j->req;
    const bm_geocode_options opt = {
        .input_path = req->input_path,
        .measure = req->measure,
        .party = req->party,
        .as_of = req->as_of,
        .keep_superseded = req->facet == BM_FACET_DATE, /* each day shows that day's figures */
        .allocate_even = req->allocate_even,
        .accept_fuzzy = req->accept_fuzzy,
        .warn = req->warn,
        .warn_user = req->warn_user,
        .problems = req->diags, /* every unplaceable place listed, then one refusal */
    };
    j->geo = bm_geocode(j->inc, j->gz, &opt, j->err);
    if (j->geo == NULL)
        return j->err->status;
    j->places = bm_geocoded_places(j->geo, &j->n_places);
    j->claims = bm_geocoded_claims(j->geo, &j->n_claims);
    return BM_OK;
}

/* --facet year|month: a claim whose incident has no date is in no panel; the user is told. */
static bm_status warn_undated(job *j) {
    size_t n_undated = 0;
    for (size_t i = 0; i < j->n_claims; i++) {
        bm_group_skip why;
        if (bm_groups_of_claim(j->groups, i, &why) == BM_GROUP_NONE &&
            why == BM_GROUP_SKIP_WINDOW) {
            const bm_incident *ev = bm_incidents_incident(j->inc, j->claims[i].incident);
            n_undated += ev->date_start == NULL || strlen(ev->date_start) < 7;
        }
    }
    if (n_undated > 0 && j->req->warn != NULL) {
        bm_error w = {0};
        bm_error_set(
            &w, BM_ERR_INVALID, "%zu claim%s in no panel of --facet %s: %s incident has no date",
            n_undated, n_undated == 1 ? " is" : "s are",
            j->req->facet == BM_FACET_YEAR ? "year" : "month", n_undated == 1 ? "its" : "their");
        bm_error_file(&w, j->req->input_path);
        bm_error_hint(&w, "give each incident its \"date\", or draw without --facet");
        j->req->warn(j->req->warn_user, &w);
    }
    return BM_OK;
}

/* --group district|province: the places whose area is not known, named in the legend and in a
 * warning (kept at their own place, never guessed into an area). */
static bm_status unknown_areas(job *j, bm_buf *text) {
    const size_t n = bm_groups_n_unknown_area(j->groups);
    if (n == 0)
        return BM_OK;
    const char *unit = j->group_in.mode == BM_GROUP_BY_DISTRICT ? "district" : "province";
    bm_buf names = BM_BUF_INIT(1 << 16);
    bm_status st = bm_groups_unknown_area_names(j->groups, &j->group_in, j->places, 12, &names);
    if (st == BM_OK)
        st = bm_buf_printf(text, " %c%s not known: %s.", unit[0] == 'd' ? 'D' : 'P', unit + 1,
                           bm_buf_str(&names));
    if (st == BM_OK && j->req->warn != NULL) {
        bm_error w = {0};
        bm_error_set(&w, BM_ERR_NOT_FOUND,
                     "--group %s: %zu claim%s at places of unknown %s keep their own circle: %s",
                     unit, n, n == 1 ? "" : "s", unit, bm_buf_str(&names));
        bm_error_file(&w, j->req->input_path);
        bm_error_hint(&w,
                      "say each place's %s (a place's \"%s\", a CSV's %s), or pin the "
                      "place with a gazetteer id that has one",
                      unit, unit, unit[0] == 'd' ? "admin2" : "admin1");
        j->req->warn(j->req->warn_user, &w);
    }
    bm_buf_free(&names);
    return st;
}

/* Claims summed per source, measure, party and place (carto/group.h) within --from/--to: by
 * --group, or by place when more claims would be drawn than a map can label legibly. One mark
 * per claim stays one mark per claim, so maps of reports do not change. */
static bm_status group_claims(job *j) {
    const bm_render_request *req = j->req;
    size_t n_drawn = 0;
    for (size_t i = 0; i < j->n_claims; i++)
        n_drawn += j->claims[i].is_drawn;
    bm_group_mode mode = req->group >= 0                      ? (bm_group_mode)req->group
                         : n_drawn > BM_GROUP_AUTO_MIN_CLAIMS ? BM_GROUP_BY_PLACE
                                                              : BM_GROUP_BY_NONE;
    if (req->facet == BM_FACET_DATE) /* a panel per day shows that day's claims, one by one */
        mode = BM_GROUP_BY_NONE;
    const size_t period_chars = req->facet == BM_FACET_YEAR    ? 4
                                : req->facet == BM_FACET_MONTH ? 7
                                                               : 0;
    bool has_marks = false;
    for (size_t i = 0; i < req->n_outputs; i++)
        has_marks |= bm_output_is_marks_path(req->outputs[i]);
    if (mode == BM_GROUP_BY_NONE && req->from == NULL && req->to == NULL && !has_marks &&
        period_chars == 0)
        return BM_OK;
    j->group_in = (bm_group_input){.incidents = j->inc,
                                   .claims = j->claims,
                                   .n_claims = j->n_claims,
                                   .n_places = j->n_places,
                                   .mode = mode,
                                   .window = {req->from, req->to, req->as_of},
                                   .period_chars = period_chars};
    if (mode == BM_GROUP_BY_DISTRICT || mode == BM_GROUP_BY_PROVINCE) {
        /* Districts and provinces join the located places (marks go at their points). */
        if (bm_groups_find_areas(j->gz, j->claims, j->n_claims, j->arena, &j->places, &j->n_places,
                                 &j->group_in.district_of, &j->group_in.province_of,
                                 j->err) != BM_OK)
            return j->err->status;
        j->group_in.n_places = j->n_places;
    }
    j->groups = bm_groups_build(&j->group_in, j->err);
    if (j->groups == NULL)
        return j->err->status;
    if (period_chars > 0 && warn_undated(j) != BM_OK)
        return j->err->status;
    bm_located_claim *claims = NULL;
    size_t n = 0;
    if (bm_groups_to_claims(j->groups, &j->group_in, j->places, j->arena, &claims, &n, &j->group_of,
                            j->err) != BM_OK)
        return j->err->status;
    j->claims = claims;
    j->n_claims = n;
    if (mode != BM_GROUP_BY_NONE) {
        bm_buf text = BM_BUF_INIT(1 << 16);
        /* The window is stated in the subtitle (make_subtitle). */
        if (bm_groups_describe(j->groups, &j->group_in, &text) != BM_OK ||
            bm_buf_appends(&text, " Its area is proportional to the sum. Sources are never "
                                  "added together, and the figures are not independently "
                                  "verified.") != BM_OK ||
            unknown_areas(j, &text) != BM_OK ||
            (j->grouping = bm_arena_strdup(j->arena, bm_buf_str(&text))) == NULL) {
            bm_buf_free(&text);
            return bm_error_set(j->err, BM_ERR_NOMEM, "out of memory");
        }
        bm_buf_free(&text);
    }
    return BM_OK;
}

/* --from/--to in the subtitle, after the file's own: "Incidents of 2022", "Incidents from 1
 * March 2024 to 30 June 2024", "Incidents from 1 March 2024 on", "Incidents up to ...". */
static bm_status make_subtitle(job *j) {
    const char *from = j->req->from, *to = j->req->to;
    if (from == NULL && to == NULL)
        return BM_OK;
    char a[64] = "", b[64] = "", window[160];
    if (from != NULL)
        bm_date_format_long(from, a, sizeof a);
    if (to != NULL)
        bm_date_format_long(to, b, sizeof b);
    if (from != NULL && to != NULL && strncmp(from, to, 4) == 0 &&
        strncmp(from + 4, "-01-01", 6) == 0 && strncmp(to + 4, "-12-31", 6) == 0)
        snprintf(window, sizeof window, "Incidents of %.4s", from);
    else if (from != NULL && to != NULL)
        snprintf(window, sizeof window, "Incidents from %s to %s", a, b);
    else if (from != NULL)
        snprintf(window, sizeof window, "Incidents from %s on", a);
    else
        snprintf(window, sizeof window, "Incidents up to %s", b);
    const char *file_sub = bm_incidents_subtitle(j->inc);
    bm_buf text = BM_BUF_INIT(1 << 16);
    const bm_status st = file_sub != NULL && file_sub[0] != '\0'
                             ? bm_buf_printf(&text, "%s. %s", file_sub, window)
                             : bm_buf_appends(&text, window);
    if (st == BM_OK)
        j->subtitle = bm_arena_strdup(j->arena, bm_buf_str(&text));
    bm_buf_free(&text);
    return st != BM_OK || j->subtitle == NULL ? bm_error_set(j->err, BM_ERR_NOMEM, "out of memory")
                                              : BM_OK;
}

/* A place too near a pole for any map (a pin at latitude 90, say): named, with the pin's line,
 * rather than an extent the user never gave. */
static bm_status place_near_pole(job *j, const bm_located_place *pl) {
    const bm_place_pin *pin = NULL;
    for (size_t i = 0; strcmp(pl->place_id, "pinned") == 0 && i < bm_incidents_n_pins(j->inc);
         i++) {
        const bm_place_pin *p = bm_incidents_pin(j->inc, i);
        if (p->has_coords && p->lat_deg == pl->lat_deg && p->lon_deg == pl->lon_deg &&
            strcmp(p->name, pl->name) == 0)
            pin = p;
    }
    bm_error_set(j->err, BM_ERR_INVALID,
                 "%s '%s' is at latitude %g, too near the pole to be drawn: maps reach from "
                 "%g to %g",
                 pin != NULL ? "the pin of place" : "place", pl->name, pl->lat_deg,
                 -BM_EXTENT_MAX_LAT, BM_EXTENT_MAX_LAT);
    if (pin != NULL) {
        bm_error_file(j->err, j->req->input_path);
        j->err->line = pin->line;
        if (pin->pointer != NULL)
            bm_error_pointer(j->err, pin->pointer);
        bm_error_hint(j->err, "check the pin's 'lat' and 'lon' (latitude comes first: Quetta is "
                              "lat 30.18, lon 67.00)");
    } else {
        bm_error_hint(j->err, "check where '%s' comes from (%s)", pl->name,
                      pl->source != NULL ? pl->source : pl->place_id);
    }
    return j->err->status;
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
        /* Every place drawn must be in view, and can be only short of the poles. */
        for (size_t i = 0; i < j->n_places; i++) {
            if (!(fabs(j->places[i].lat_deg) <= BM_EXTENT_MAX_LAT))
                return place_near_pole(j, &j->places[i]);
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
        char why[256] = "";
        if (k < 4 || *p != '\0')
            snprintf(why, sizeof why, "expected a name or four numbers separated by commas");
        if (why[0] != '\0' ||
            bm_extent_why_invalid(&(bm_extent){v[0], v[1], v[2], v[3]}, why, sizeof why)) {
            bm_error_set(j->err, BM_ERR_INVALID, "invalid extent '%s': %s", e, why);
            bm_error_hint(j->err, "use balochistan, pakistan, data, or lon_min,lat_min,lon_max,"
                                  "lat_max in degrees, west before east and south before north, "
                                  "e.g. 60.8,24.8,70.3,32.2");
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
        j->layers[i] = bm_shapes_load_ex(
            spec, field, j->req->allow_remote_layers ? BM_SHAPES_ALLOW_REMOTE : 0, j->err);
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

/* Months since year 0 of "YYYY-MM", or years of "YYYY". */
static long period_number(const char *p, size_t len) {
    const long y = strtol(p, NULL, 10);
    return len == 4 ? y : y * 12 + (strtol(p + 5, NULL, 10) - 1);
}

/* --facet year|month: one panel per calendar year (month) from the first to the last of the
 * drawn claims' incidents, empty ones between included, so that a series reads evenly. More
 * than BM_MAX_PANELS is refused with a hint. */
static bm_status make_periods(job *j, size_t *n_out) {
    const size_t len = j->req->facet == BM_FACET_YEAR ? 4 : 7;
    const char *lo = NULL, *hi = NULL;
    for (size_t i = 0; i < j->n_claims; i++) {
        if (!j->claims[i].is_drawn)
            continue;
        const char *day = bm_incidents_incident(j->inc, j->claims[i].incident)->date_start;
        if (day == NULL || strlen(day) < len)
            continue;
        if (lo == NULL || strncmp(day, lo, len) < 0)
            lo = day;
        if (hi == NULL || strncmp(day, hi, len) > 0)
            hi = day;
    }
    *n_out = 0;
    if (lo == NULL)
        return BM_OK;
    const long first = period_number(lo, len), last = period_number(hi, len);
    const long n = last - first + 1;
    if (n > BM_MAX_PANELS) {
        char a[32], b[32];
        if (len == 4) {
            snprintf(a, sizeof a, "%.4s", lo);
            snprintf(b, sizeof b, "%.4s", hi);
        } else {
            bm_date_format_month(lo, a, sizeof a);
            bm_date_format_month(hi, b, sizeof b);
        }
        bm_error_set(j->err, BM_ERR_INVALID,
                     "--facet %s: the incidents drawn span %ld %s (%s to %s); a page holds at "
                     "most %d panels",
                     len == 4 ? "year" : "month", n, len == 4 ? "years" : "months", a, b,
                     BM_MAX_PANELS);
        bm_error_file(j->err, j->req->input_path);
        if (len == 4)
            bm_error_hint(j->err, "narrow the window with --from and --to, or draw several maps "
                                  "(a batch manifest) with \"scale_max\": \"shared\"");
        else
            bm_error_hint(j->err,
                          "narrow the window with --from and --to (one year: --from "
                          "%.4s-01-01 --to %.4s-12-31), or use --facet year",
                          hi, hi);
        return j->err->status;
    }
    for (long k = 0; k < n; k++) {
        const long p = first + k;
        if (len == 4) {
            snprintf(j->panel_periods[k], sizeof j->panel_periods[k], "%04ld", p);
            snprintf(j->panel_titles[k], sizeof j->panel_titles[k], "%04ld", p);
        } else {
            snprintf(j->panel_periods[k], sizeof j->panel_periods[k], "%04ld-%02ld", p / 12,
                     p % 12 + 1);
            bm_date_format_month(j->panel_periods[k], j->panel_titles[k],
                                 sizeof j->panel_titles[k]);
        }
    }
    *n_out = (size_t)n;
    return BM_OK;
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
            bm_date_format_long(days[k], j->panel_titles[k], sizeof j->panel_titles[k]);
            sources[k] = -1;
        }
    } else if (req->facet == BM_FACET_YEAR || req->facet == BM_FACET_MONTH) {
        if (make_periods(j, &n) != BM_OK)
            return j->err->status;
        for (size_t k = 0; k < n; k++) {
            sources[k] = -1;
            days[k] = NULL;
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
        j->panels[i].period = n > 0 && j->panel_periods[i][0] != '\0' ? j->panel_periods[i] : NULL;
    }
    return BM_OK;
}

static void job_free(job *j) {
    bm_scene_free(j->scene);
    bm_scene_free(j->narrow);
    bm_groups_free(j->groups);
    for (size_t i = 0; i < j->n_panels; i++)
        bm_view_free(j->views[i]);
    bm_text_free(j->text);
    for (size_t i = 0; j->layers && i < j->n_layers; i++)
        bm_shapes_free(j->layers[i]);
    if (!j->is_data_shared) {
        bm_shapes_free(j->countries);
        bm_shapes_free(j->provinces);
        bm_gazetteer_free(j->gz);
    }
    bm_geocoded_free(j->geo);
    bm_lang_free(j->lang);
    bm_lang_free(j->lang_ur);
    bm_incidents_free(j->inc);
    bm_arena_free(j->arena);
}

/* The request alone: page size, at least one output, formats known by their names. */
static bm_status check_request(const bm_render_request *req, bm_error *err) {
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
        if (strcmp(req->outputs[i], "-") == 0) {
            if (req->piped == NULL) {
                bm_error_set(err, BM_ERR_INVALID, "no standard output for '-'");
                return err->status;
            }
        } else if (!bm_output_is_marks_path(req->outputs[i]) &&
                   bm_format_from_path(req->outputs[i], &f, err) != BM_OK) {
            return err->status;
        }
    }
    if (req->from != NULL && req->to != NULL && strncmp(req->from, req->to, 10) > 0) {
        bm_error_set(err, BM_ERR_INVALID, "--from %s is after --to %s", req->from, req->to);
        bm_error_hint(err, "the window is from the first date to the second, both included");
        return err->status;
    }
    return BM_OK;
}

/* ---- the data of a batch (map.h) ------------------------------------------------------- */

struct bm_map_data {
    pthread_mutex_t lock;
    char *dir; /* the data directory they were loaded from */
    bm_gazetteer *gz;
    bm_shapes *countries, *provinces;
};

bm_map_data *bm_map_data_new(void) {
    bm_map_data *d = calloc(1, sizeof *d);
    if (d != NULL && pthread_mutex_init(&d->lock, NULL) != 0) {
        free(d);
        return NULL;
    }
    return d;
}

void bm_map_data_free(bm_map_data *d) {
    if (d == NULL)
        return;
    bm_gazetteer_free(d->gz);
    bm_shapes_free(d->countries);
    bm_shapes_free(d->provinces);
    free(d->dir);
    pthread_mutex_destroy(&d->lock);
    free(d);
}

/* Loads the built-in gazetteer and boundaries of dir into the job, or borrows the batch's:
 * loaded by the first map, under the lock, then shared (a later map with another data
 * directory loads its own). */
static bm_status load_builtin_data(job *j, const char *dir) {
    bm_map_data *d = j->req->shared_data;
    bm_error *err = j->err;
    if (d != NULL && j->req->n_gazetteer_files == 0) {
        pthread_mutex_lock(&d->lock);
        if (d->dir == NULL) {
            bm_gazetteer *gz = bm_gazetteer_load(path_join(j, dir, "shapes/gazetteer.tsv"), err);
            bm_shapes *p =
                gz ? bm_shapes_load(path_join(j, dir, "shapes/pakistan-provinces.bms"), "name", err)
                   : NULL;
            bm_shapes *c =
                p ? bm_shapes_load(path_join(j, dir, "shapes/countries.bms"), "name", err) : NULL;
            char *copy = c ? strdup(dir) : NULL;
            if (copy != NULL) {
                d->dir = copy;
                d->gz = gz;
                d->provinces = p;
                d->countries = c;
            } else {
                bm_gazetteer_free(gz);
                bm_shapes_free(p);
                bm_shapes_free(c);
                if (c != NULL)
                    bm_error_set(err, BM_ERR_NOMEM, "out of memory");
            }
        }
        const bool is_shared = d->dir != NULL && strcmp(d->dir, dir) == 0;
        if (is_shared) {
            j->gz = d->gz;
            j->provinces = d->provinces;
            j->countries = d->countries;
            j->is_data_shared = true;
        }
        pthread_mutex_unlock(&d->lock);
        if (is_shared || err->status != BM_OK)
            return err->status;
    }
    j->gz = bm_gazetteer_load(path_join(j, dir, "shapes/gazetteer.tsv"), err);
    if (j->gz == NULL)
        return err->status;
    for (size_t i = 0; i < j->req->n_gazetteer_files; i++)
        if (bm_gazetteer_add_file(j->gz, j->req->gazetteer_files[i], err) != BM_OK)
            return err->status;
    j->provinces = bm_shapes_load(path_join(j, dir, "shapes/pakistan-provinces.bms"), "name", err);
    if (j->provinces == NULL)
        return err->status;
    j->countries = bm_shapes_load(path_join(j, dir, "shapes/countries.bms"), "name", err);
    return j->countries == NULL ? err->status : BM_OK;
}

/* The map's words (lang/<code>.tsv) and, for Urdu place labels, each place's cited Urdu name:
 * the Urdu of its gazetteer spellings (bm_words_pick_urdu); pinned places have none. */
static bm_status load_words(job *j, const char *dir) {
    const bm_render_request *req = j->req;
    const char *lang_dir = path_join(j, dir, "lang");
    if (lang_dir == NULL)
        return bm_error_set(j->err, BM_ERR_NOMEM, "out of memory");
    j->lang = bm_lang_load(lang_dir, bm_lang_code_name(req->lang), j->err);
    if (j->lang == NULL)
        return j->err->status;
    if (req->names == BM_NAMES_EN)
        return BM_OK;
    if (req->lang != BM_LANG_UR &&
        (j->lang_ur = bm_lang_load(lang_dir, bm_lang_code_name(BM_LANG_UR), j->err)) == NULL)
        return j->err->status;
    j->places_ur = bm_arena_alloc(j->arena, (j->n_places + 1) * sizeof *j->places_ur);
    if (j->places_ur == NULL)
        return bm_error_set(j->err, BM_ERR_NOMEM, "out of memory");
    for (size_t p = 0; p < j->n_places; p++) {
        const bm_place *pl = bm_gazetteer_by_id(j->gz, j->places[p].place_id);
        const char *spellings[64];
        const size_t n = pl != NULL ? bm_gazetteer_spellings(j->gz, pl, spellings, 64) : 0;
        j->places_ur[p] = bm_words_pick_urdu(spellings, n);
        j->n_names_fallback += j->places_ur[p] == NULL;
    }
    return BM_OK;
}

/* The incident file and gazetteer, geocoded; then the style, boundaries, layers and fonts. */
/* The incident file read (its problems into diags, which may be NULL), geocoded with the
 * gazetteer and boundaries (shared within a batch), and its claims grouped: what a map sums. */
static bm_status load_sums(job *j, bm_diags *diags) {
    const bm_render_request *req = j->req;
    bm_error *err = j->err;
    j->inc = req->input_text != NULL
                 ? bm_incidents_parse_as(req->input_text, req->input_len, req->input_path,
                                         req->input_format, diags, err)
                 : bm_incidents_load_as(req->input_path, req->input_format, diags, err);
    if (j->inc == NULL)
        return err->status;
    if (load_builtin_data(j, req->data_dir ? req->data_dir : ".") != BM_OK || geocode(j) != BM_OK)
        return err->status;
    return group_claims(j);
}

static bm_status load_and_geocode(job *j) {
    const bm_render_request *req = j->req;
    bm_error *err = j->err;
    const char *dir = req->data_dir ? req->data_dir : ".";
    const char *style_path =
        req->style_path ? req->style_path : path_join(j, dir, "styles/default.json");
    if (load_sums(j, req->diags) != BM_OK || make_subtitle(j) != BM_OK ||
        bm_style_load(style_path, &j->style, err) != BM_OK || load_layers(j) != BM_OK)
        return err->status;
    if (load_words(j, dir) != BM_OK)
        return err->status;
    j->text = bm_text_new_pooled(req->text_pool, &j->style, req->warn, req->warn_user, err);
    return j->text == NULL ? err->status : BM_OK;
}

/* A warning when nothing is drawn. */
static bm_status check_drawn(job *j) {
    const bm_render_request *req = j->req;
    size_t n_drawn = 0;
    for (size_t i = 0; i < j->n_claims; i++)
        n_drawn += j->claims[i].is_drawn;
    if (n_drawn == 0 && req->warn) {
        bm_error w = {0};
        bm_error_set(&w, BM_ERR_NOT_FOUND, "no claim gives a number %s to draw%s",
                     bm_quantity_name(req->measure), req->as_of ? " by --as-of" : "");
        bm_error_file(&w, req->input_path);
        bm_error_hint(&w, "try another --measure or --party, or a later --as-of; the claims "
                          "there are listed beside the legend");
        req->warn(req->warn_user, &w);
    }
    /* Any number of sources: beyond the style's colours, shades of each kind's colour
     * (carto/symbols.c). */
    return BM_OK;
}

static bm_status lay_out(job *j, double page_w_mm, double page_h_mm, bm_warn_fn warn,
                         void *warn_user) {
    const bm_render_request *req = j->req;
    bm_layout_input in = {0};
    in.style = &j->style;
    in.text = j->text;
    in.panels = j->panels;
    in.n_panels = j->n_panels;
    in.page_w_mm = page_w_mm;
    in.page_h_mm = page_h_mm;
    in.countries = j->countries;
    in.provinces = j->provinces;
    in.focus_province = "Balochistan";
    in.extra_layers = (const bm_shapes *const *)j->layers;
    in.n_extra_layers = j->n_layers;
    in.incidents = j->inc;
    in.places = j->places;
    in.n_places = j->n_places;
    in.claims = j->claims;
    in.n_claims = j->n_claims;
    in.measure = req->measure;
    in.is_allocated_even = req->allocate_even;
    in.lang = j->lang;
    in.names = req->names;
    in.places_ur = j->places_ur;
    in.names_lang = j->lang_ur != NULL ? j->lang_ur : j->lang;
    in.n_names_fallback = j->n_names_fallback;
    in.party = req->party;
    in.as_of = req->as_of;
    in.n_later = bm_geocoded_n_later(j->geo);
    in.title = j->title;
    in.subtitle = j->subtitle;
    in.scale_max = req->scale_max;
    in.grouping = j->grouping;
    in.attribution = bm_geocoded_attribution(j->geo);
    in.warn = warn;
    in.warn_user = warn_user;
    j->scene = bm_layout_build(&in, j->err);
    return j->scene == NULL ? j->err->status : BM_OK;
}

static int str_cmp(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Which groups have a label (or a callout number) on the map: the scene's label refs, sorted,
 * against each group's claim id. */
static void mark_labelled(job *j, bool *is_labelled) {
    const size_t n_groups = bm_groups_n(j->groups);
    const char **ids = bm_arena_alloc(j->arena, (n_groups + 1) * sizeof *ids);
    const size_t n_marks = j->scene ? bm_scene_n_marks(j->scene) : 0;
    const char **refs = bm_arena_alloc(j->arena, (n_marks + 1) * sizeof *refs);
    if (ids == NULL || refs == NULL)
        return;
    for (size_t i = 0; i < j->n_claims; i++)
        if (j->group_of[i] != NULL)
            ids[j->group_of[i] - bm_groups_get(j->groups, 0)] = j->claims[i].claim->id;
    size_t n_refs = 0;
    for (size_t m = 0; m < n_marks; m++) {
        const bm_mark *mk = bm_scene_mark(j->scene, m);
        if (strcmp(mk->role, "claim-label") == 0 || strcmp(mk->role, "callout") == 0)
            refs[n_refs++] = mk->ref;
    }
    qsort(refs, n_refs, sizeof *refs, str_cmp);
    for (size_t k = 0; k < n_groups; k++)
        is_labelled[k] = ids[k] != NULL && n_refs > 0 &&
                         bsearch(&ids[k], refs, n_refs, sizeof *refs, str_cmp) != NULL;
}

/* Every map file, the marks as data and the scene dump are staged, then committed together:
 * one that cannot be written leaves all the previous files as they were (output.h). Standard
 * output is rendered into memory; the caller writes it only when the files are committed. */
/* An SVG or PDF of a print size is read at that size: text under 7 pt there is said. A paper
 * size has none (req->min_text_pt, fit_print_page); the phone's page can (docs/web.md). */
static void warn_print_text(job *j) {
    const bm_render_request *req = j->req;
    const bm_mark *smallest = bm_output_smallest_text(j->scene);
    if (!req->is_print_size || req->warn == NULL || smallest == NULL ||
        smallest->spec.size_pt >= BM_OUTPUT_MIN_TEXT_PT - 1e-9)
        return;
    const char *vector = NULL;
    for (size_t i = 0; i < req->n_outputs && vector == NULL; i++) {
        bm_format f;
        if (strcmp(req->outputs[i], "-") == 0)
            f = req->piped_format;
        else if (bm_output_is_marks_path(req->outputs[i]) ||
                 bm_format_from_path(req->outputs[i], &f, NULL) != BM_OK)
            continue;
        if (f == BM_FORMAT_SVG || f == BM_FORMAT_PDF)
            vector = req->outputs[i];
    }
    if (vector == NULL)
        return;
    bm_error w = {0};
    bm_error_set(&w, BM_ERR_INVALID,
                 "on the %.0f x %.0f mm page the smallest text ('%s', %.1f pt) is printed under "
                 "7 pt",
                 bm_scene_width_mm(j->scene), bm_scene_height_mm(j->scene), smallest->role,
                 smallest->spec.size_pt);
    bm_error_file(&w, vector);
    bm_error_hint(&w, "print it larger (--size A3 and up) with a style whose legend_pt, note_pt "
                      "and attribution_pt are 7 or more; for a screen, write PNG or HTML");
    req->warn(req->warn_user, &w);
}

static bm_status write_outputs(job *j, double dpi) {
    const bm_render_request *req = j->req;
    bm_error *err = j->err;
    bm_output_options opts = {dpi,
                              req->created_unix_s,
                              req->creator,
                              j->inc,
                              req->basemap_cache,
                              req->is_print_size,
                              j->lang,
                              j->narrow};
    bm_output_txn *txn = bm_output_txn_new(req->output_hooks, err);
    bool *is_labelled = NULL;
    for (size_t i = 0; txn != NULL && err->status == BM_OK && i < req->n_outputs; i++) {
        const char *p = req->outputs[i];
        if (strcmp(p, "-") == 0) {
            bm_output_render(j->scene, j->text, req->piped_format, &opts, req->piped, err);
        } else if (!bm_output_is_marks_path(p)) {
            bm_output_txn_stage_maps(txn, j->scene, j->text, &p, 1, &opts, err);
        } else {
            /* What was drawn, as data: a mark is labelled when its claim has a label. */
            if (is_labelled == NULL) {
                const size_t n_groups = bm_groups_n(j->groups);
                is_labelled = bm_arena_alloc(j->arena, (n_groups + 1) * sizeof *is_labelled);
                if (is_labelled == NULL) {
                    bm_error_set(err, BM_ERR_NOMEM, "out of memory");
                    break;
                }
                mark_labelled(j, is_labelled);
            }
            bm_buf data = BM_BUF_INIT((size_t)1 << 30);
            const bool is_csv = strcmp(p + strlen(p) - 4, ".csv") == 0;
            if ((is_csv
                     ? bm_groups_write_csv(j->groups, &j->group_in, j->places, is_labelled, &data)
                     : bm_groups_write_json(j->groups, &j->group_in, j->places, is_labelled,
                                            &data)) != BM_OK)
                bm_error_set(err, BM_ERR_NOMEM, "out of memory");
            else
                bm_output_txn_stage_take(txn, p, &data, err);
            bm_buf_free(&data);
        }
    }
    if (err->status == BM_OK)
        warn_print_text(j);
    if (txn != NULL && err->status == BM_OK && req->scene_path != NULL) {
        bm_buf dump = BM_BUF_INIT((size_t)1 << 26);
        if (bm_scene_dump(j->scene, &dump) != BM_OK)
            bm_error_set(err, BM_ERR_NOMEM, "the scene dump is larger than 64 MiB");
        else
            bm_output_txn_stage_take(txn, req->scene_path, &dump, err);
        bm_buf_free(&dump);
    }
    if (txn != NULL && err->status == BM_OK)
        bm_output_txn_commit(txn, err);
    bm_output_txn_free(txn);
    return err->status;
}

/* The web page's narrow copy: the map laid out as on a phone (legend under it) on a page
 * 99 mm wide, which the page shows edge to edge on a screen under BM_HTML_NARROW_PX wide (html.h):
 * on a 390 CSS px phone its 8 pt labels are 11.1 px. As long as --size phone, for its legend. */
#define NARROW_COPY_W_MM 99.0
#define NARROW_COPY_H_MM 330.0

/* Whether an output is a web page. */
static bool has_html(const bm_render_request *req) {
    for (size_t i = 0; i < req->n_outputs; i++) {
        bm_format f;
        if (strcmp(req->outputs[i], "-") == 0
                ? req->piped_format == BM_FORMAT_HTML
                : !bm_output_is_marks_path(req->outputs[i]) &&
                      bm_format_from_path(req->outputs[i], &f, NULL) == BM_OK &&
                      f == BM_FORMAT_HTML)
            return true;
    }
    return false;
}

/* A web page of a map with its legend beside it gets a narrow copy (j->narrow) for phones: the
 * same map on a NARROW_COPY page, laid out without warnings of its own (the map's are said
 * once). Where the copy does not fit, the page goes without it, and a warning says why. */
static bm_status lay_out_narrow(job *j, const bm_extent *extent, double page_w_mm,
                                double page_h_mm) {
    const bm_render_request *req = j->req;
    /* (small multiples: three panels 30 mm wide would be no better than the wide page) */
    if (!has_html(req) || bm_layout_is_narrow(&j->style, page_w_mm, page_h_mm) || j->n_panels > 1)
        return BM_OK;
    bm_scene *wide = j->scene;
    j->scene = NULL;
    for (size_t i = 0; i < j->n_panels; i++) {
        bm_view_free(j->views[i]);
        j->views[i] = NULL;
    }
    j->n_panels = 0;
    bm_error e = {0};
    bm_error *map_err = j->err;
    j->err = &e;
    if (make_panels(j, extent, NARROW_COPY_W_MM, NARROW_COPY_H_MM) == BM_OK)
        lay_out(j, NARROW_COPY_W_MM, NARROW_COPY_H_MM, NULL, NULL);
    j->err = map_err;
    j->narrow = j->scene;
    j->scene = wide;
    if (e.status == BM_ERR_NOMEM)
        return bm_error_set(j->err, BM_ERR_NOMEM, "out of memory");
    if (e.status != BM_OK && req->warn != NULL) {
        bm_error w = {0};
        bm_error_set(&w, BM_ERR_INVALID,
                     "the web page has no narrow copy of the map for phones: on a %.0f x %.0f mm "
                     "page, %s",
                     NARROW_COPY_W_MM, NARROW_COPY_H_MM, e.message);
        bm_error_hint(&w, "render it with --size phone for a page made for phones");
        req->warn(req->warn_user, &w);
    }
    return BM_OK;
}

/* The smallest map frame, in mm each way. */
#define MIN_FRAME_MM 40

/* The map frame is under MIN_FRAME_MM: blames the style's margins, legend panel or title sizes
 * when the default style's would leave room on this page, else the page. */
static void page_too_small(job *j, double page_w_mm, double page_h_mm, const bm_frame *frame) {
    bm_style d;
    bm_style_defaults(&d);
    bm_style st = j->style;
    st.margin_mm = d.margin_mm;
    st.panel_width_mm = d.panel_width_mm;
    st.title_pt = d.title_pt;
    st.subtitle_pt = d.subtitle_pt;
    st.attribution_pt = d.attribution_pt;
    bm_frame with_defaults;
    bm_layout_frame(&st, page_w_mm, page_h_mm, &with_defaults);
    const double w = fmax(frame->w_mm, 0), h = fmax(frame->h_mm, 0);
    char culprits[256] = "";
    size_t used = 0;
    const struct {
        const char *key;
        double value, default_value;
    } keys[] = {{"margin_mm", j->style.margin_mm, d.margin_mm},
                {"panel_width_mm", j->style.panel_width_mm, d.panel_width_mm},
                {"title_pt", j->style.title_pt, d.title_pt},
                {"subtitle_pt", j->style.subtitle_pt, d.subtitle_pt},
                {"attribution_pt", j->style.attribution_pt, d.attribution_pt}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0] && used < sizeof culprits; i++)
        if (keys[i].value > keys[i].default_value)
            used += (size_t)snprintf(culprits + used, sizeof culprits - used,
                                     "%s%s %g (default %g)", used ? ", " : "", keys[i].key,
                                     keys[i].value, keys[i].default_value);
    if (culprits[0] == '\0' || with_defaults.w_mm < MIN_FRAME_MM ||
        with_defaults.h_mm < MIN_FRAME_MM) {
        bm_error_set(j->err, BM_ERR_INVALID,
                     "the page is too small for a map: %.0fx%.0f mm leaves %.0fx%.0f mm for it, "
                     "at least %dx%d mm is needed",
                     page_w_mm, page_h_mm, w, h, MIN_FRAME_MM, MIN_FRAME_MM);
        bm_error_hint(j->err, "make the page larger: at 150 dpi, at least --width 1000 --height "
                              "800");
        return;
    }
    const char *style_path = j->req->style_path != NULL ? j->req->style_path : "the style";
    bm_error_set(j->err, BM_ERR_INVALID,
                 "the style's margins do not fit the page: %s leave%s %.0fx%.0f mm for the map "
                 "on this %.0fx%.0f mm page, at least %dx%d mm is needed",
                 culprits, strchr(culprits, ',') != NULL ? "" : "s", w, h, page_w_mm, page_h_mm,
                 MIN_FRAME_MM, MIN_FRAME_MM);
    if (j->req->style_path != NULL)
        bm_error_file(j->err, style_path);
    bm_error_hint(j->err,
                  "lower them in %s (the default style fits this page), or make the page "
                  "larger",
                  style_path);
}

/* ---- a print page: text never under req->min_text_pt on paper ---- */

/* Warnings of one attempt at a layout, kept until it is the one chosen (a layout gives two at
 * most: labels over other marks, labels numbered). */
typedef struct held_warnings {
    bm_error items[8];
    size_t n;
} held_warnings;

static void hold_warning(void *user, const bm_error *w) {
    held_warnings *h = user;
    if (h->n < sizeof h->items / sizeof h->items[0])
        h->items[h->n++] = *w;
}

/* The ways a print page is laid out, in the order tried: the page's own layout; beside the map,
 * a wider legend, then one in two columns; then the legend under the map (in two columns where
 * two of the style's legend width fit). */
typedef struct page_fit {
    double panel_scale; /* the style's legend width times this (beside the map) */
    bool is_two, is_under;
    const char *said; /* the note when this way is taken; NULL: none (the page's own layout) */
} page_fit;

static const page_fit page_fits[] = {
    {1, false, false, NULL},
    {1.15, false, false, NULL}, /* a wider legend is no news */
    {1.3, false, false, NULL},
    {1.3, true, false, "the legend is in two columns"},
    {1.45, true, false, "the legend is in two columns"},
    {1.6, true, false, "the legend is in two columns"},
    {1, false, true, "the legend is under the map"},
};

/* The style for one way of fitting the page: every text size at least min_pt, room for the
 * attribution as it wraps at that size. */
static void fit_style(job *j, const bm_style *base, const page_fit *f, double page_w_mm) {
    const double min_pt = j->req->min_text_pt;
    bm_style st = *base;
    st.min_text_pt = min_pt;
    st.label_pt = fmax(st.label_pt, min_pt);
    st.legend_pt = fmax(st.legend_pt, min_pt);
    st.note_pt = fmax(st.note_pt, min_pt);
    st.attribution_pt = fmax(st.attribution_pt, min_pt);
    st.panel_width_mm *= f->panel_scale;
    st.is_legend_two = f->is_two;
    st.is_legend_under = f->is_under;
    /* The header and footer as they wrap on this page, no more (bm_layout_frame's default
     * keeps room for more lines than most titles take: paper is short of room). */
    const double wrap_mm = page_w_mm - 2 * st.margin_mm;
    const bm_text_spec sp = {st.attribution_pt, BM_TEXT_REGULAR, false, wrap_mm, 0, false};
    double w_mm = 0, h_mm = 0;
    bm_text_measure(j->text, bm_geocoded_attribution(j->geo), &sp, &w_mm, &h_mm);
    st.attribution_h_mm = h_mm;
    /* as bm_carto_add_header_footer sets them: from margin - 1, 0.6 mm between, 1 mm clear of
     * the map and 1.5 mm more */
    const char *title = j->title ? j->title : bm_incidents_title(j->inc);
    const char *sub = j->subtitle ? j->subtitle : bm_incidents_subtitle(j->inc);
    const bm_text_spec title_sp = {st.title_pt, BM_TEXT_BOLD, false, wrap_mm, 0, false};
    const bm_text_spec sub_sp = {st.subtitle_pt, BM_TEXT_REGULAR, false, wrap_mm, 0, false};
    double title_h = 0, sub_h = 0;
    bm_text_measure(j->text, title, &title_sp, &w_mm, &title_h);
    if (sub != NULL)
        bm_text_measure(j->text, sub, &sub_sp, &w_mm, &sub_h);
    st.header_h_mm = st.margin_mm - 1 + title_h + 0.6 + sub_h + 2.5;
    j->style = st;
}

static void free_panels(job *j) {
    for (size_t i = 0; i < j->n_panels; i++)
        bm_view_free(j->views[i]);
    j->n_panels = 0;
    bm_scene_free(j->scene);
    j->scene = NULL;
}

/* Lays out a print page the first way that keeps every text at req->min_text_pt or more;
 * a short note (a warning of status BM_OK) says how the legend was fitted when that is not the
 * page's own layout. When no way fits, the page is refused, naming the text that would be
 * smallest set the way a screen map is (the legend smaller to fit) and its size. */
static bm_status fit_print_page(job *j, const bm_extent *extent, double page_w_mm,
                                double page_h_mm) {
    const bm_render_request *req = j->req;
    const bm_style base = j->style;
    const bool is_narrow_page = bm_layout_is_narrow(&base, page_w_mm, page_h_mm);
    bm_error last = {0};
    for (size_t k = 0; k < sizeof page_fits / sizeof page_fits[0]; k++) {
        const page_fit *f = &page_fits[k];
        if (is_narrow_page && k > 0 && !f->is_under)
            continue; /* the legend is under the map already */
        fit_style(j, &base, f, page_w_mm);
        bm_frame frame;
        bm_layout_frame(&j->style, page_w_mm, page_h_mm, &frame);
        if (frame.w_mm < MIN_FRAME_MM || frame.h_mm < MIN_FRAME_MM)
            continue;
        /* A map smaller than the default page's (175 x 165 mm) sets its names smaller, as its
         * circles are (layout.c), by the square root of its share, down to the floor. */
        j->style.label_pt =
            fmax(req->min_text_pt,
                 j->style.label_pt * fmin(1, sqrt(frame.w_mm * frame.h_mm / (175.0 * 165.0))));
        free_panels(j);
        held_warnings held = {0};
        if (make_panels(j, extent, page_w_mm, page_h_mm) != BM_OK)
            return j->err->status;
        if (lay_out(j, page_w_mm, page_h_mm, hold_warning, &held) == BM_OK) {
            for (size_t i = 0; req->warn != NULL && i < held.n; i++)
                req->warn(req->warn_user, &held.items[i]);
            if (f->said != NULL && req->warn != NULL) {
                bm_error note = {0};
                note.status = BM_OK;
                snprintf(note.message, sizeof note.message,
                         "on the %.0f x %.0f mm page %s, so that no text is under %.0f pt",
                         page_w_mm, page_h_mm, f->said, req->min_text_pt);
                req->warn(req->warn_user, &note);
            }
            return BM_OK;
        }
        if (j->err->status != BM_ERR_INVALID)
            return j->err->status;
        last = *j->err;
        *j->err = (bm_error){0};
    }
    /* Nothing fits: the page as a screen map would have it, for the text to name. */
    j->style = base;
    free_panels(j);
    bm_frame frame;
    bm_layout_frame(&j->style, page_w_mm, page_h_mm, &frame);
    const bm_mark *smallest = NULL;
    if (frame.w_mm >= MIN_FRAME_MM && frame.h_mm >= MIN_FRAME_MM &&
        make_panels(j, extent, page_w_mm, page_h_mm) == BM_OK &&
        lay_out(j, page_w_mm, page_h_mm, NULL, NULL) == BM_OK)
        smallest = bm_output_smallest_text(j->scene);
    *j->err = (bm_error){0};
    if (smallest != NULL && smallest->spec.size_pt < req->min_text_pt)
        bm_error_set(j->err, BM_ERR_INVALID,
                     "on the %.0f x %.0f mm page the map's text does not fit at %.0f pt or more, "
                     "with the legend beside the map or under it: set smaller to fit, its "
                     "smallest text ('%s') would be %.1f pt",
                     page_w_mm, page_h_mm, req->min_text_pt, smallest->role,
                     smallest->spec.size_pt);
    else
        bm_error_set(j->err, BM_ERR_INVALID,
                     "on the %.0f x %.0f mm page the map's text does not fit at %.0f pt or more, "
                     "with the legend beside the map or under it: %s",
                     page_w_mm, page_h_mm, req->min_text_pt,
                     last.message[0] ? last.message : "the map frame would be too small");
    bm_error_hint(j->err, "print on a larger page or turn it (--size A3, A4, A5, or one of "
                          "them -portrait), or draw fewer claims (--as-of, --party, --measure); "
                          "for a screen, give the size in pixels (--width, --height)");
    return j->err->status;
}

/* The pipeline: load and geocode, panels, layout, output. */
bm_status bm_render(const bm_render_request *req, bm_error *err) {
    if (check_request(req, err) != BM_OK)
        return err->status;
    job j = {0};
    j.req = req;
    j.err = err;
    j.arena = bm_arena_new();
    if (j.arena == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
    if (req->title != NULL) { /* before anything is read: a 10 MB title is refused at once */
        bm_error e = {0};
        if ((j.title = bm_arena_strdup(j.arena, req->title)) == NULL) {
            bm_error_set(err, BM_ERR_NOMEM, "out of memory");
            goto done;
        }
        if (!bm_text_check(j.title, BM_FIELD_TITLE, "the title given (--title)", &e)) {
            bm_error_set(err, e.status, "%s", e.message);
            bm_error_hint(err, "%s", e.hint);
            goto done;
        }
    }
    const double dpi = bm_render_dpi(req);
    const double page_w_mm = req->width_px / dpi * 25.4;
    const double page_h_mm = req->height_px / dpi * 25.4;
    if (load_and_geocode(&j) != BM_OK)
        goto done;
    bm_frame frame;
    bm_layout_frame(&j.style, page_w_mm, page_h_mm, &frame);
    if (frame.w_mm < MIN_FRAME_MM || frame.h_mm < MIN_FRAME_MM) {
        page_too_small(&j, page_w_mm, page_h_mm, &frame);
        goto done;
    }
    bm_extent extent;
    if (parse_extent(&j, &extent) != BM_OK)
        goto done;
    if (req->min_text_pt > 0) {
        if (check_drawn(&j) != BM_OK || fit_print_page(&j, &extent, page_w_mm, page_h_mm) != BM_OK)
            goto done;
    } else if (make_panels(&j, &extent, page_w_mm, page_h_mm) != BM_OK ||
               check_drawn(&j) != BM_OK ||
               lay_out(&j, page_w_mm, page_h_mm, req->warn, req->warn_user) != BM_OK) {
        goto done;
    }
    if (lay_out_narrow(&j, &extent, page_w_mm, page_h_mm) != BM_OK)
        goto done;
    write_outputs(&j, dpi);
done:;
    const bm_status st = err->status;
    job_free(&j);
    return st;
}

bm_status bm_render_value_max(const bm_render_request *req, double *value_max, bm_error *err) {
    job j = {0};
    j.req = req;
    j.err = err;
    j.arena = bm_arena_new();
    if (j.arena == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
    /* The same sums as the maps it scales will draw (problems are listed by those maps). */
    if (load_sums(&j, NULL) == BM_OK) {
        const bm_layout_input in = {.claims = j.claims, .n_claims = j.n_claims};
        *value_max = bm_carto_value_max(&in);
    }
    const bm_status st = err->status;
    job_free(&j);
    return st;
}
