/* SPDX-License-Identifier: MIT */
/* Claim symbols: circles sized by the figures, kept apart, joined to their places by leader
 * lines; place symbols; source colours and patterns; then the labels of claims and places. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carto/carto.h"
#include "carto/wording.h"

double bm_layout_radius_mm(double value, double value_max, double radius_max_mm,
                           double radius_min_mm) {
    if (!(value > 0) || !(value_max > 0))
        return 0;
    /* Flannery's apparent-size correction is not applied: readers of a legend with nested
     * circles judge areas well enough, and true proportionality is what can be checked. */
    const double r = radius_max_mm * sqrt(value / value_max);
    return r < radius_min_mm ? radius_min_mm : r;
}

double bm_carto_size_value(const bm_claim *cl) {
    return (double)cl->value.min;
}

/* Where labels may go in the current panel: its frame less half a millimetre. */
static bm_box labels_inside(const bm_carto *c) {
    const bm_frame *fr = bm_view_frame(c->view);
    return (bm_box){fr->x_mm + 0.5, fr->y_mm + 0.5, fr->x_mm + fr->w_mm - 0.5,
                    fr->y_mm + fr->h_mm - 0.5};
}

#define AGGREGATE_LEADERS_MAX 3
#define BRACKET_GAP_MM        0.9
#define PI                    3.14159265358979323846

typedef struct circle {
    double x, y, r, r_outer; /* r_outer: the dashed ring of a range maximum, else r */
    double pad;              /* room for an aggregate's brackets around r_outer */
    double ax, ay;           /* anchor: the place, or the mean of the places */
    bool is_movable;
    size_t claim; /* index into in->claims */
    size_t source;
} circle;

static void separate_circles(circle *cs, size_t n, const double *fixed_xy, size_t n_fixed,
                             const bm_frame *fr) {
    const double gap = 0.8;
    for (int iter = 0; iter < 300; iter++) {
        bool moved = false;
        for (size_t i = 0; i < n; i++) {
            for (size_t j = i + 1; j < n; j++) {
                double dx = cs[j].x - cs[i].x, dy = cs[j].y - cs[i].y;
                double d = sqrt(dx * dx + dy * dy);
                const double need = cs[i].r_outer + cs[i].pad + cs[j].r_outer + cs[j].pad + gap;
                if (d >= need || (!cs[i].is_movable && !cs[j].is_movable))
                    continue;
                if (d < 1e-6) { /* coincident: split sideways, deterministically */
                    dx = 1;
                    dy = 0;
                    d = 1;
                } else {
                    dx /= d;
                    dy /= d;
                }
                const double push = need - fmax(d, 0);
                const double wi = cs[i].is_movable ? (cs[j].is_movable ? 0.5 : 1) : 0;
                const double wj = cs[j].is_movable ? (cs[i].is_movable ? 0.5 : 1) : 0;
                cs[i].x -= dx * push * wi;
                cs[i].y -= dy * push * wi;
                cs[j].x += dx * push * wj;
                cs[j].y += dy * push * wj;
                moved = true;
            }
            if (!cs[i].is_movable)
                continue;
            /* Keep town dots visible: movable circles step off them. */
            for (size_t k = 0; k < n_fixed; k++) {
                double dx = cs[i].x - fixed_xy[2 * k], dy = cs[i].y - fixed_xy[2 * k + 1];
                const double d = sqrt(dx * dx + dy * dy), need = cs[i].r_outer + 1.6;
                if (d >= need)
                    continue;
                if (d < 1e-6) {
                    dx = 0;
                    dy = 1;
                } else {
                    dx /= d;
                    dy /= d;
                }
                cs[i].x += dx * (need - d);
                cs[i].y += dy * (need - d);
                moved = true;
            }
            const double r = cs[i].r_outer;
            cs[i].x = fmin(fmax(cs[i].x, fr->x_mm + r + 1), fr->x_mm + fr->w_mm - r - 1);
            cs[i].y = fmin(fmax(cs[i].y, fr->y_mm + r + 1), fr->y_mm + fr->h_mm - r - 1);
        }
        if (!moved)
            break;
    }
}

static int by_radius_desc(const void *a, const void *b) {
    const circle *ca = a, *cb = b;
    if (ca->r != cb->r)
        return ca->r < cb->r ? 1 : -1;
    return ca->claim < cb->claim ? -1 : ca->claim > cb->claim;
}

const bm_source_style *bm_carto_source_style(const bm_carto *c, size_t source) {
    return &c->palette[source];
}

static uint32_t source_color(const bm_carto *c, size_t source) {
    return bm_carto_source_style(c, source)->color_rgba;
}

void bm_carto_set_pattern(const bm_carto *c, bm_mark *m, size_t source) {
    const bm_source_style *ss = bm_carto_source_style(c, source);
    m->pattern = ss->pattern;
    m->pattern_rgba = ss->pattern_rgba;
    m->pattern_spacing_mm = c->in->style->pattern_spacing_mm;
    m->pattern_line_mm = c->in->style->pattern_line_mm;
}

/* The kinds of source in palette order: the style's colour slot of each kind. */
static const char *const palette_kinds[] = {"military", "armed_group", "government", "media",
                                            "monitor"};
#define N_PALETTE_KINDS (sizeof palette_kinds / sizeof palette_kinds[0])

/* The slot of a kind; "other" and unknown kinds share the last slot (neutral in the styles). */
static size_t kind_slot(const char *kind, size_t n_colors) {
    for (size_t k = 0; kind && k < N_PALETTE_KINDS; k++)
        if (strcmp(kind, palette_kinds[k]) == 0)
            return k % n_colors;
    return n_colors - 1;
}

static double channel(uint32_t rgba, int shift) {
    return (double)((rgba >> shift) & 0xFFu) / 255.0;
}

/* rgba mixed with white (amount > 0) or black (amount < 0), its alpha kept. */
static uint32_t mix_rgba(uint32_t rgba, double amount) {
    uint32_t out = rgba & 0xFFu;
    for (int shift = 24; shift >= 8; shift -= 8) {
        const double v = channel(rgba, shift);
        const double m = amount > 0 ? v + (1 - v) * amount : v * (1 + amount);
        out |= (uint32_t)lround(fmin(fmax(m, 0), 1) * 255.0) << shift;
    }
    return out;
}

static double luminance(uint32_t rgba) {
    return 0.2126 * channel(rgba, 24) + 0.7152 * channel(rgba, 16) + 0.0722 * channel(rgba, 8);
}

/* The n-th further source of a kind (n >= 1): its colour is the kind's, lighter or darker by a
 * step no other n gives (golden-ratio steps never repeat), and its fill pattern the next one,
 * so that neighbours in the legend differ in pattern as well as lightness. */
static bm_source_style shade_of(const bm_source_style *base, size_t n) {
    bm_source_style s = *base;
    const double lum = luminance(base->color_rgba);
    const double step = fmod(0.6180339887498949 * (double)((n + 1) / 2), 1.0);
    /* Light colours only darken, dark ones only lighten; others alternate. */
    const bool is_lighter = lum < 0.2 ? true : lum > 0.75 ? false : n % 2 == 1;
    const double amount =
        is_lighter ? 0.15 + 0.7 * (lum < 0.2 ? fmod(0.618034 * (double)n, 1.0) : step)
                   : -(0.12 + 0.5 * (lum > 0.75 ? fmod(0.618034 * (double)n, 1.0) : step));
    s.color_rgba = mix_rgba(base->color_rgba, amount);
    s.pattern = (bm_fill_pattern)(((size_t)base->pattern + n) % 4);
    if (s.pattern != BM_PATTERN_SOLID && luminance(s.color_rgba) > 0.6 &&
        luminance(s.pattern_rgba) > 0.6)
        s.pattern_rgba = mix_rgba(base->color_rgba, -0.55); /* ink that shows on a light shade */
    /* Labels keep a colour that reads on the page: the kind's, or the shade when darker. */
    s.label_rgba = is_lighter ? base->label_rgba : s.color_rgba;
    return s;
}

/* Colours follow the kind of source, so that the military is the same colour on every map of
 * a report whatever order a file lists its sources in: palette slot 0 for the military, 1 for
 * armed groups, 2 for governments, 3 for media, 4 for monitors; a second source of a kind takes
 * the next free slot. With more sources than the style has colours, every source of a kind
 * takes the kind's colour, the first as it is and the others in shades and patterns of it (in
 * the order the file lists them): any number of sources is told apart, and the legend names
 * each. */
bm_status bm_carto_assign_palette(bm_carto *c) {
    const bm_style *st = c->in->style;
    const size_t n = bm_incidents_n_sources(c->in->incidents);
    const size_t n_colors = st->n_sources;
    c->palette = calloc(n + 1, sizeof *c->palette);
    bool *is_used = calloc(n_colors + 1, sizeof *is_used);
    bool *is_done = calloc(n + 1, sizeof *is_done);
    size_t *n_of_slot = calloc(n_colors + 1, sizeof *n_of_slot);
    if (c->palette == NULL || is_used == NULL || is_done == NULL || n_of_slot == NULL) {
        free(is_used);
        free(is_done);
        free(n_of_slot);
        return bm_error_set(c->cv.err, BM_ERR_NOMEM, "out of memory");
    }
    if (n > n_colors) {
        for (size_t i = 0; i < n; i++) {
            const size_t k = kind_slot(bm_incidents_source(c->in->incidents, i)->kind, n_colors);
            const size_t nth = n_of_slot[k]++;
            c->palette[i] = nth == 0 ? st->sources[k] : shade_of(&st->sources[k], nth);
        }
    } else {
        size_t *slot = n_of_slot; /* source -> slot here; n <= n_colors */
        for (size_t i = 0; i < n; i++) {
            const char *kind = bm_incidents_source(c->in->incidents, i)->kind;
            for (size_t k = 0; kind && k < N_PALETTE_KINDS && k < n_colors; k++)
                if (strcmp(kind, palette_kinds[k]) == 0 && !is_used[k]) {
                    slot[i] = k;
                    is_used[k] = is_done[i] = true;
                }
        }
        for (size_t i = 0; i < n; i++) {
            if (is_done[i])
                continue;
            size_t k = 0;
            while (k < n_colors && is_used[k])
                k++;
            slot[i] = k < n_colors ? k : i % n_colors;
            if (k < n_colors)
                is_used[k] = true;
        }
        for (size_t i = 0; i < n; i++)
            c->palette[i] = st->sources[slot[i]];
    }
    free(is_used);
    free(is_done);
    free(n_of_slot);
    return BM_OK;
}

static bool in_panel(const bm_carto *c, const bm_located_claim *lc) {
    const bm_panel *p = c->panel;
    const bm_incident *ev =
        p->period != NULL && lc->incident < bm_incidents_n_incidents(c->in->incidents)
            ? bm_incidents_incident(c->in->incidents, lc->incident)
            : NULL;
    return lc->is_drawn && (p->source < 0 || lc->claim->source == (size_t)p->source) &&
           (p->day == NULL ||
            (lc->claim->claimed_on && strncmp(lc->claim->claimed_on, p->day, 10) == 0)) &&
           (p->period == NULL || (ev != NULL && ev->date_start != NULL &&
                                  strncmp(ev->date_start, p->period, strlen(p->period)) == 0));
}

/* The value that gets the largest circle: the largest drawn, over all panels. */
double bm_carto_value_max(const bm_layout_input *in) {
    double value_max = 0;
    for (size_t i = 0; i < in->n_claims; i++) {
        const bm_claim *cl = in->claims[i].claim;
        if (!in->claims[i].is_drawn)
            continue;
        value_max = fmax(value_max, cl->value.kind == BM_VALUE_RANGE ? (double)cl->value.max
                                                                     : bm_carto_size_value(cl));
    }
    return value_max;
}

/* Every place's position on the page in the current panel. A province-wide claim belongs to the
 * whole province, not to its capital (the gazetteer's point): it is anchored inside the
 * province's visible area. */
static bm_status project_places(bm_carto *c, double *place_xy) {
    const bm_layout_input *in = c->in;
    for (size_t p = 0; p < in->n_places; p++) {
        if (bm_view_to_page(c->view, in->places[p].lon_deg, in->places[p].lat_deg, &place_xy[2 * p],
                            &place_xy[2 * p + 1]) != BM_OK)
            return bm_error_set(c->cv.err, BM_ERR_INVALID, "place '%s' cannot be projected",
                                in->places[p].name);
        const bm_feature *f = in->places[p].precision == BM_PREC_PROVINCE && in->provinces
                                  ? bm_shapes_find(in->provinces, in->places[p].name)
                                  : NULL;
        if (f != NULL)
            bm_carto_label_point(c, f, &place_xy[2 * p], &place_xy[2 * p + 1]);
    }
    return BM_OK;
}

/* One circle per claim of the panel, at its place or the mean of its places; returns how many. */
static size_t make_circles(const bm_carto *c, const double *place_xy, circle *cs) {
    const bm_layout_input *in = c->in;
    const bm_style *st = in->style;
    const double value_max = c->value_max;
    size_t n = 0;
    for (size_t i = 0; i < in->n_claims; i++) {
        const bm_located_claim *lc = &in->claims[i];
        if (!in_panel(c, lc) || lc->claim->n_places == 0)
            continue;
        circle *ci = &cs[n++];
        double sx = 0, sy = 0;
        for (size_t k = 0; k < lc->claim->n_places; k++) {
            sx += place_xy[2 * lc->place_index[k]];
            sy += place_xy[2 * lc->place_index[k] + 1];
        }
        ci->ax = ci->x = sx / (double)lc->claim->n_places;
        ci->ay = ci->y = sy / (double)lc->claim->n_places;
        ci->r = bm_layout_radius_mm(bm_carto_size_value(lc->claim), value_max, c->radius_max_mm,
                                    st->marker_min_radius_mm);
        ci->r_outer = ci->r;
        if (lc->claim->value.kind == BM_VALUE_RANGE)
            ci->r_outer = bm_layout_radius_mm((double)lc->claim->value.max, value_max,
                                              c->radius_max_mm, st->marker_min_radius_mm);
        else if (lc->claim->value.kind == BM_VALUE_AT_LEAST)
            ci->r_outer = ci->r + 1.0;
        ci->is_movable = lc->claim->n_places > 1;
        ci->pad = ci->is_movable ? BRACKET_GAP_MM + 0.3 : 0;
        ci->claim = i;
        ci->source = lc->claim->source;
    }
    return n;
}

/* Claims at one anchor would hide each other: they may all move, and start on a golden-angle
 * spiral (largest nearest the anchor) so that they settle into a round cluster rather than a
 * row; then they are pushed apart and off the town dots. Sorted largest first. */
static void spread_circles(const bm_carto *c, circle *cs, size_t n, const double *place_xy) {
    qsort(cs, n, sizeof *cs, by_radius_desc);
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        for (size_t j = 0; j < i; j++)
            if (fabs(cs[i].ax - cs[j].ax) < 0.1 && fabs(cs[i].ay - cs[j].ay) < 0.1) {
                cs[i].is_movable = cs[j].is_movable = true;
                k++;
            }
        if (k > 0) {
            const double angle = 2.399963229728653 * (double)k, d = 0.6 * sqrt((double)k);
            cs[i].x = cs[i].ax + d * cos(angle);
            cs[i].y = cs[i].ay + d * sin(angle);
        }
    }
    separate_circles(cs, n, place_xy, c->in->n_places, bm_view_frame(c->view));
    qsort(cs, n, sizeof *cs, by_radius_desc);
}

/* A claim naming several places is one circle for all of them (an aggregate): it is drawn with
 * brackets, and a tick in its source's colour marks each place it names, instead of a fan of
 * lines to every place. Leader lines remain where they help: from a circle that had to move off
 * its one place, and from an aggregate of at most this many places. */

static bool is_aggregate(const bm_carto *c, const circle *ci) {
    return c->in->claims[ci->claim].claim->n_places > 1;
}

/* An aggregate whose places are shown by ticks rather than leader lines. */
static bool has_ticks(const bm_carto *c, const circle *ci) {
    return c->in->claims[ci->claim].claim->n_places > AGGREGATE_LEADERS_MAX && is_aggregate(c, ci);
}

/* Leader lines first, so circles sit on top of them; no label is set across them. */
static bm_status add_leaders(bm_carto *c, const circle *cs, size_t n, const double *place_xy) {
    const bm_layout_input *in = c->in;
    const bm_style *st = in->style;
    for (size_t i = 0; i < n; i++) {
        const bm_located_claim *lc = &in->claims[cs[i].claim];
        if (has_ticks(c, &cs[i]))
            continue;
        if (lc->claim->n_places < 2 && hypot(cs[i].x - cs[i].ax, cs[i].y - cs[i].ay) < 0.01)
            continue;
        const uint32_t rgba =
            bm_rgba_with_opacity(source_color(c, cs[i].source), st->leader_opacity);
        const double r0 = cs[i].r_outer + (lc->claim->n_places > 1 ? BRACKET_GAP_MM : 0);
        for (size_t k = 0; k < lc->claim->n_places; k++) {
            const size_t p = lc->place_index[k];
            const double dx = place_xy[2 * p] - cs[i].x, dy = place_xy[2 * p + 1] - cs[i].y;
            const double d = hypot(dx, dy);
            if (d <= r0)
                continue; /* the place is under its own circle */
            const double x0 = cs[i].x + dx / d * r0, y0 = cs[i].y + dy / d * r0;
            if (bm_canvas_line(&c->cv, "leader", lc->claim->id, x0, y0, place_xy[2 * p],
                               place_xy[2 * p + 1], rgba, st->leader_mm, 0) != BM_OK ||
                bm_canvas_keep_clear_segment(&c->cv, x0, y0, place_xy[2 * p],
                                             place_xy[2 * p + 1]) != BM_OK)
                return c->cv.err->status;
        }
    }
    return BM_OK;
}

bm_status bm_carto_add_bracket(bm_carto *c, const char *role, const char *ref, double x, double y,
                               double r, uint32_t rgba, double width_mm) {
    enum { N_ARC = 9 };
    bm_arena *arena = bm_scene_arena(c->cv.scene);
    double *xy = bm_arena_alloc(arena, 4 * N_ARC * sizeof(double));
    size_t *starts = bm_arena_alloc(arena, 3 * sizeof(size_t));
    if (xy == NULL || starts == NULL)
        return bm_error_set(c->cv.err, BM_ERR_NOMEM, "out of memory");
    const double half = 0.9; /* radians each side of the horizontal */
    for (int side = 0; side < 2; side++)
        for (int k = 0; k < N_ARC; k++) {
            const double a = (side ? 0 : PI) - half + 2 * half * k / (N_ARC - 1);
            xy[2 * (side * N_ARC + k)] = x + r * cos(a);
            xy[2 * (side * N_ARC + k) + 1] = y + r * sin(a);
        }
    starts[0] = 0;
    starts[1] = N_ARC;
    starts[2] = 2 * N_ARC;
    bm_mark m = bm_mark_of(BM_MARK_LINE, role, ref);
    m.xy_mm = xy;
    m.n_points = 2 * N_ARC;
    m.ring_starts = starts;
    m.n_rings = 2;
    m.stroke_rgba = rgba;
    m.stroke_mm = width_mm;
    return bm_canvas_add(&c->cv, &m, NULL);
}

/* At each place an aggregate names, a tick in its source's colour: one per source and place.
 * Each source keeps one angle on the whole panel (in the order of the file's sources, among
 * those with ticks), so a reader finds "the blue tick, up-left" at every place it names.
 * Drawn with the circles; kept clear of labels (is_keeping_clear) only once the claims' own
 * labels are placed, as a figure's label matters more than a tick it may cover. */
typedef struct tick {
    size_t place, source;
} tick;

static int by_place_then_source(const void *a, const void *b) {
    const tick *ta = a, *tb = b;
    if (ta->place != tb->place)
        return ta->place < tb->place ? -1 : 1;
    return ta->source < tb->source ? -1 : ta->source > tb->source;
}

static bm_status add_ticks(bm_carto *c, const circle *cs, size_t n, const double *place_xy,
                           bool is_keeping_clear) {
    const bm_layout_input *in = c->in;
    const size_t n_src = bm_incidents_n_sources(in->incidents);
    /* Up-left, up-right, down-left, down-right, then up, down, left, right (degrees, y down):
     * the diagonals first, as labels are tried right, left, above and below first. */
    static const double angles[] = {-135, -45, 135, 45, -90, 90, 180, 0};
    const size_t n_angles = sizeof angles / sizeof angles[0];
    size_t n_ticks = 0;
    for (size_t i = 0; i < n; i++)
        if (has_ticks(c, &cs[i]))
            n_ticks += in->claims[cs[i].claim].claim->n_places;
    if (n_ticks == 0)
        return BM_OK;
    tick *ts = calloc(n_ticks, sizeof *ts);
    size_t *angle_of = calloc(n_src + 1, sizeof *angle_of);
    if (ts == NULL || angle_of == NULL) {
        free(ts);
        free(angle_of);
        return bm_error_set(c->cv.err, BM_ERR_NOMEM, "out of memory");
    }
    n_ticks = 0;
    for (size_t i = 0; i < n; i++) {
        if (!has_ticks(c, &cs[i]))
            continue;
        const bm_located_claim *lc = &in->claims[cs[i].claim];
        for (size_t k = 0; k < lc->claim->n_places; k++) {
            ts[n_ticks++] = (tick){lc->place_index[k], cs[i].source};
            angle_of[cs[i].source] = 1; /* has ticks */
        }
    }
    for (size_t s = 0, slot = 0; s < n_src; s++)
        angle_of[s] = angle_of[s] ? slot++ % n_angles : 0;
    qsort(ts, n_ticks, sizeof *ts, by_place_then_source);
    bm_status status = BM_OK;
    for (size_t t = 0; t < n_ticks && status == BM_OK; t++) {
        if (t > 0 && ts[t].place == ts[t - 1].place && ts[t].source == ts[t - 1].source)
            continue; /* one tick per source and place */
        const size_t p = ts[t].place, s = ts[t].source;
        const double a = angles[angle_of[s]] * PI / 180;
        const double x = place_xy[2 * p], y = place_xy[2 * p + 1];
        const double x0 = x + 1.1 * cos(a), y0 = y + 1.1 * sin(a);
        const double x1 = x + 2.7 * cos(a), y1 = y + 2.7 * sin(a);
        if (is_keeping_clear
                ? bm_canvas_keep_clear_segment(&c->cv, x0, y0, x1, y1) != BM_OK
                : bm_canvas_line(&c->cv, "claim-tick", bm_incidents_source(in->incidents, s)->id,
                                 x0, y0, x1, y1, source_color(c, s), 0.6, 0) != BM_OK)
            status = c->cv.err->status;
    }
    free(ts);
    free(angle_of);
    return status;
}

/* The circles, each with a dashed ring for the uncertain part of its figure. */
static bm_status add_circles(bm_carto *c, const circle *cs, size_t n) {
    const bm_layout_input *in = c->in;
    const bm_style *st = in->style;
    for (size_t i = 0; i < n; i++) {
        const bm_located_claim *lc = &in->claims[cs[i].claim];
        const bm_value *v = &lc->claim->value;
        bm_mark m = bm_mark_of(BM_MARK_CIRCLE, "claim", lc->claim->id);
        m.x_mm = cs[i].x;
        m.y_mm = cs[i].y;
        m.r_mm = cs[i].r;
        m.fill_rgba = bm_rgba_with_opacity(source_color(c, cs[i].source), st->marker_fill_opacity);
        m.stroke_rgba = bm_carto_source_style(c, cs[i].source)->outline_rgba;
        m.stroke_mm = st->marker_stroke_mm;
        bm_carto_set_pattern(c, &m, cs[i].source);
        m.value = bm_carto_size_value(lc->claim);
        if (bm_canvas_add(&c->cv, &m, NULL) != BM_OK)
            return c->cv.err->status;
        if (v->kind == BM_VALUE_RANGE || v->kind == BM_VALUE_AT_LEAST) {
            /* The uncertain part: a dashed ring to the maximum, or just outside for "at least". */
            bm_mark o = bm_mark_of(BM_MARK_CIRCLE, "claim-upper", lc->claim->id);
            o.x_mm = cs[i].x;
            o.y_mm = cs[i].y;
            o.r_mm = cs[i].r_outer;
            o.stroke_rgba = source_color(c, cs[i].source);
            o.stroke_mm = 0.35;
            o.dash_mm = 0.8;
            o.value = v->kind == BM_VALUE_RANGE ? (double)v->max : -1;
            if (bm_canvas_add(&c->cv, &o, NULL) != BM_OK)
                return c->cv.err->status;
        }
        const bool is_agg = lc->claim->n_places > 1;
        if ((is_agg && bm_carto_add_bracket(c, "claim-bracket", lc->claim->id, cs[i].x, cs[i].y,
                                            cs[i].r_outer + BRACKET_GAP_MM,
                                            source_color(c, cs[i].source), 0.45) != BM_OK) ||
            bm_canvas_keep_clear_circle(&c->cv, cs[i].x, cs[i].y,
                                        cs[i].r_outer + (is_agg ? BRACKET_GAP_MM + 0.3 : 0)) !=
                BM_OK)
            return c->cv.err->status;
    }
    return BM_OK;
}

/* Town dots and district rings of the places the panel's claims name. */
static bm_status add_place_symbols(bm_carto *c, const double *place_xy, const bool *is_used) {
    const bm_layout_input *in = c->in;
    const bm_style *st = in->style;
    for (size_t p = 0; p < in->n_places; p++) {
        const bool is_district = in->places[p].precision != BM_PREC_POINT;
        if (!is_used[p] || in->places[p].precision >= BM_PREC_PROVINCE)
            continue; /* no point stands for a whole province */
        bm_mark m =
            bm_mark_of(BM_MARK_CIRCLE, is_district ? "district" : "place", in->places[p].name);
        m.x_mm = place_xy[2 * p];
        m.y_mm = place_xy[2 * p + 1];
        if (is_district) {
            m.r_mm = 1.6;
            m.stroke_rgba = st->place_rgba;
            m.stroke_mm = 0.3;
            m.dash_mm = 0.5;
            m.fill_rgba = (st->halo_rgba & 0xFFFFFF00u) | 0x99u;
        } else {
            m.r_mm = st->place_radius_mm;
            m.fill_rgba = st->place_rgba;
            m.stroke_rgba = st->halo_rgba;
            m.stroke_mm = 0.25;
        }
        if (bm_canvas_add(&c->cv, &m, NULL) != BM_OK ||
            bm_canvas_keep_clear_circle(&c->cv, m.x_mm, m.y_mm, m.r_mm + 0.3) != BM_OK)
            return c->cv.err->status;
    }
    return BM_OK;
}

/* Claim labels have priority over town labels: they carry the numbers. */
static bm_status add_claim_labels(bm_carto *c, const circle *cs, size_t n) {
    const bm_layout_input *in = c->in;
    const bm_style *st = in->style;
    const bm_box inside = labels_inside(c);
    /* Small multiples of sums: a panel is read for its pattern, so only its largest sums are
     * named, without a thicket of leaders (the circles come largest first). */
    const size_t max_labels = in->grouping != NULL && in->n_panels > 1 ? 8 : SIZE_MAX;
    size_t n_labelled = 0;
    for (size_t i = 0; i < n; i++) {
        const bm_located_claim *lc = &in->claims[cs[i].claim];
        const bm_source *src = bm_incidents_source(in->incidents, lc->claim->source);
        if (n_labelled >= max_labels) {
            c->n_unlabelled++;
            continue;
        }
        char text[2048];
        bm_words_claim_label(in->lang, lc, src, c->has_years, c->sums_span[0] ? c->sums_span : NULL,
                             text, sizeof text);
        if (in->grouping != NULL && lc->claim->n_places == 1) {
            /* Sums are labelled largest first where they fit, and carry their place's name:
             * the place labels give way to them. In small multiples (--facet year|month) a
             * panel is narrow: the place and the figure only ("Chaman: 10"); the legend says
             * what is summed, the panel's title when, and marks.csv the rest. */
            char named[sizeof text];
            snprintf(named, sizeof named, "%s", text);
            if (in->n_panels > 1 && in->lang == BM_LANG_EN)
                bm_value_format(&lc->claim->value, named, sizeof named);
            const bm_located_place *pl = &in->places[lc->place_index[0]];
            snprintf(text, sizeof text, "%.200s%s: %.1800s", pl->name,
                     pl->precision == BM_PREC_DISTRICT ? " district" : "", named);
        }
        const bm_text_spec sp = bm_canvas_spec(st->label_pt, BM_TEXT_BOLD, false, 0);
        const size_t n_before = bm_scene_n_marks(c->cv.scene);
        if (bm_labels_place(
                &c->labels, &inside, "claim-label", lc->claim->id, text, &sp, cs[i].x, cs[i].y,
                cs[i].r_outer + 0.8 + (lc->claim->n_places > 1 ? BRACKET_GAP_MM : 0),
                bm_carto_source_style(c, cs[i].source)->label_rgba, in->grouping == NULL) != BM_OK)
            return c->cv.err->status;
        if (bm_scene_n_marks(c->cv.scene) == n_before)
            c->n_unlabelled++;
        else
            n_labelled++;
        if (bm_scene_n_marks(c->cv.scene) != n_before && in->grouping != NULL &&
            lc->claim->n_places == 1)
            c->is_place_named[lc->place_index[0]] = true;
    }
    return BM_OK;
}

static bm_status add_place_labels(bm_carto *c, const double *place_xy, const bool *is_used) {
    const bm_layout_input *in = c->in;
    const bm_style *st = in->style;
    const bm_box inside = labels_inside(c);
    /* Small multiples of sums (--facet year|month): each panel is read for its pattern; the
     * labelled sums name their places, and town names with leader lines across every panel
     * would bury them. */
    if (in->grouping != NULL && in->n_panels > 1)
        return BM_OK;
    for (size_t p = 0; p < in->n_places; p++) {
        const bm_located_place *pl = &in->places[p];
        if (!is_used[p] || (c->is_place_named != NULL && c->is_place_named[p]))
            continue;
        const bool is_district = pl->precision != BM_PREC_POINT;
        char text[512];
        bm_words_place_label(in->names_lang, pl, in->names,
                             in->places_ur != NULL ? in->places_ur[p] : NULL, text, sizeof text);
        const bm_text_spec sp = bm_canvas_spec(st->label_pt, BM_TEXT_REGULAR, is_district, 0);
        if (bm_labels_place(&c->labels, &inside, "place-label", pl->name, text, &sp,
                            place_xy[2 * p], place_xy[2 * p + 1], is_district ? 2.0 : 1.2,
                            st->text_rgba, in->grouping == NULL) != BM_OK)
            return c->cv.err->status;
    }
    return BM_OK;
}

/* Circles, leader lines, place symbols, then (once the furniture has found a free corner) the
 * labels. The scale bar goes on the first panel only: all panels share one scale. */
bm_status bm_carto_add_claims(bm_carto *c) {
    const bm_layout_input *in = c->in;
    bm_status status = BM_OK;
    double *place_xy = calloc(2 * (in->n_places + 1), sizeof(double));
    circle *cs = calloc(in->n_claims + 1, sizeof *cs);
    bool *is_used = calloc(in->n_places + 1, sizeof *is_used);
    c->is_place_named = in->grouping != NULL ? calloc(in->n_places + 1, sizeof(bool)) : NULL;
    if (place_xy == NULL || cs == NULL || is_used == NULL ||
        (in->grouping != NULL && c->is_place_named == NULL)) {
        status = bm_error_set(c->cv.err, BM_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (project_places(c, place_xy) != BM_OK) {
        status = c->cv.err->status;
        goto done;
    }
    /* A panel shows the places its own claims name. */
    for (size_t i = 0; i < in->n_claims; i++)
        if (in_panel(c, &in->claims[i]))
            for (size_t k = 0; k < in->claims[i].claim->n_places; k++)
                is_used[in->claims[i].place_index[k]] = true;
    const size_t n = make_circles(c, place_xy, cs);
    if (in->grouping == NULL)
        spread_circles(c, cs, n, place_xy);
    else /* sums stay at their places, the largest behind (drawn first), as cartographers do */
        qsort(cs, n, sizeof *cs, by_radius_desc);
    /* Scale bar and locator go where no circle or place is, before any label is placed. */
    if (add_leaders(c, cs, n, place_xy) != BM_OK || add_circles(c, cs, n) != BM_OK ||
        add_ticks(c, cs, n, place_xy, false) != BM_OK ||
        add_place_symbols(c, place_xy, is_used) != BM_OK ||
        (c->panel == &in->panels[0] && bm_carto_add_scale_bar(c) != BM_OK) ||
        (in->n_panels == 1 && bm_carto_add_inset(c) != BM_OK) ||
        add_claim_labels(c, cs, n) != BM_OK || add_ticks(c, cs, n, place_xy, true) != BM_OK ||
        add_place_labels(c, place_xy, is_used) != BM_OK)
        status = c->cv.err->status;
done:
    free(cs);
    free(is_used);
    free(place_xy);
    free(c->is_place_named);
    c->is_place_named = NULL;
    return status;
}
