/* SPDX-License-Identifier: MIT */
/* The basemap: boundaries cut to the frame and simplified, and the names of seas, countries
 * and provinces where they fit. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carto/carto.h"
#include "carto/wording.h"

/* Sutherland-Hodgman: the part of a closed ring inside one edge of a rectangle. `edge` 0-3 is
 * left, right, top, bottom at `at` mm. Writes at most 2n points to out; returns the count. */
static size_t clip_edge(const double *in, size_t n, double *out, int edge, double at) {
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const double *p = &in[2 * i], *q = &in[2 * ((i + 1) % n)];
        const double vp = edge < 2 ? p[0] : p[1], vq = edge < 2 ? q[0] : q[1];
        const bool p_in = edge % 2 == 0 ? vp >= at : vp <= at;
        const bool q_in = edge % 2 == 0 ? vq >= at : vq <= at;
        if (p_in) {
            out[2 * m] = p[0];
            out[2 * m + 1] = p[1];
            m++;
        }
        if (p_in != q_in) {
            const double t = (at - vp) / (vq - vp);
            out[2 * m] = p[0] + t * (q[0] - p[0]);
            out[2 * m + 1] = p[1] + t * (q[1] - p[1]);
            m++;
        }
    }
    return m;
}

/* Douglas-Peucker on pts[0..n) in place, keeping the ends and every point farther than
 * tolerance from the chord of the run it lies in; returns how many are kept. stack and keep
 * hold n entries. Iterative, so long coastlines cannot exhaust the C stack. */
static size_t simplify_run(double *pts, size_t n, double tolerance, size_t *stack, bool *keep) {
    if (n < 3)
        return n;
    for (size_t i = 0; i < n; i++)
        keep[i] = false;
    keep[0] = keep[n - 1] = true;
    size_t top = 0;
    stack[top++] = 0;
    stack[top++] = n - 1;
    while (top >= 2) {
        const size_t b = stack[--top], a = stack[--top];
        const double ax = pts[2 * a], ay = pts[2 * a + 1];
        const double dx = pts[2 * b] - ax, dy = pts[2 * b + 1] - ay;
        const double len = hypot(dx, dy);
        double worst = -1;
        size_t at = a;
        for (size_t i = a + 1; i < b; i++) {
            const double px = pts[2 * i] - ax, py = pts[2 * i + 1] - ay;
            /* Distance to the chord, or to its start when the chord is a point (a closed ring). */
            const double d = len > 0 ? fabs(px * dy - py * dx) / len : hypot(px, py);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        if (worst > tolerance) {
            keep[at] = true;
            stack[top++] = a;
            stack[top++] = at;
            stack[top++] = at;
            stack[top++] = b;
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (keep[i]) {
            pts[2 * k] = pts[2 * i];
            pts[2 * k + 1] = pts[2 * i + 1];
            k++;
        }
    }
    return k;
}

static bm_status add_feature(bm_carto *c, const bm_feature *f, const char *role, uint32_t fill,
                             uint32_t stroke, double stroke_mm) {
    bm_status st = BM_OK;
    double *xy = malloc(2 * f->n_points * sizeof(double) + 1);
    double *ring = NULL, *tmp = NULL, *kept = NULL;
    size_t *starts = NULL, n_ring_alloc = 0, n_tmp_alloc = 0, n_kept_alloc = 0, n_starts_alloc = 0;
    size_t *dp_stack = NULL, n_dp_stack_alloc = 0, n_dp_keep_alloc = 0;
    bool *dp_keep = NULL;
    size_t n_kept = 0, n_rings = 0;
    if (xy == NULL)
        return bm_error_set(c->cv.err, BM_ERR_NOMEM, "out of memory");
    memcpy(xy, f->lonlat_deg, 2 * f->n_points * sizeof(double));
    if (bm_view_to_page_array(c->view, xy, f->n_points, c->cv.err) != BM_OK) {
        free(xy);
        return c->cv.err->status;
    }
    const bm_frame *fr = bm_view_frame(c->view);
    /* Areas are cut to the frame plus 2 mm (the cut edges stay outside the visible clip), lines
     * are kept whole; then points closer than 0.05 mm to the last one kept are dropped, and the
     * rest simplified (Douglas-Peucker) to 0.05 mm: a third of a pixel at 150 dpi, finer than a
     * 600 dpi printer's dot. Both keep Cairo's work and the SVG and PDF small (boundary strokes
     * were a sixth of the render time). */
    const double lim[4] = {fr->x_mm - 2, fr->x_mm + fr->w_mm + 2, fr->y_mm - 2,
                           fr->y_mm + fr->h_mm + 2};
    for (size_t r = 0; r < f->n_rings && st == BM_OK; r++) {
        const size_t a = f->ring_starts[r], b = f->ring_starts[r + 1];
        size_t n = b - a;
        const double *pts = &xy[2 * a];
        if (f->is_area) {
            /* Each edge can add one point per vertex: 2n + 8 covers four passes' growth. */
            const size_t cap = 2 * (n + 8);
            if (bm_grow((void **)&ring, &n_ring_alloc, 2 * cap, sizeof(double)) != BM_OK ||
                bm_grow((void **)&tmp, &n_tmp_alloc, 2 * cap, sizeof(double)) != BM_OK) {
                st = bm_error_set(c->cv.err, BM_ERR_NOMEM, "out of memory");
                break;
            }
            memcpy(ring, pts, 2 * n * sizeof(double));
            for (int e = 0; e < 4 && n > 0; e++) {
                n = clip_edge(ring, n, tmp, e, lim[e]);
                double *swap = ring;
                ring = tmp;
                tmp = swap;
                size_t swap_n = n_ring_alloc;
                n_ring_alloc = n_tmp_alloc;
                n_tmp_alloc = swap_n;
            }
            pts = ring;
        }
        if (n < 2)
            continue;
        if (bm_grow((void **)&kept, &n_kept_alloc, 2 * (n_kept + n), sizeof(double)) != BM_OK ||
            bm_grow((void **)&starts, &n_starts_alloc, n_rings + 2, sizeof(size_t)) != BM_OK) {
            st = bm_error_set(c->cv.err, BM_ERR_NOMEM, "out of memory");
            break;
        }
        starts[n_rings++] = n_kept;
        for (size_t i = 0; i < n; i++) {
            const bool is_end = i == 0 || i + 1 == n;
            if (!is_end && hypot(pts[2 * i] - kept[2 * (n_kept - 1)],
                                 pts[2 * i + 1] - kept[2 * (n_kept - 1) + 1]) < 0.05)
                continue;
            kept[2 * n_kept] = pts[2 * i];
            kept[2 * n_kept + 1] = pts[2 * i + 1];
            n_kept++;
        }
        const size_t start = starts[n_rings - 1], n_run = n_kept - start;
        if (bm_grow((void **)&dp_stack, &n_dp_stack_alloc, 2 * n_run + 2, sizeof(size_t)) !=
                BM_OK ||
            bm_grow((void **)&dp_keep, &n_dp_keep_alloc, n_run + 1, sizeof(bool)) != BM_OK) {
            st = bm_error_set(c->cv.err, BM_ERR_NOMEM, "out of memory");
            break;
        }
        n_kept = start + simplify_run(&kept[2 * start], n_run, 0.05, dp_stack, dp_keep);
    }
    free(dp_stack);
    free(dp_keep);
    free(xy);
    free(ring);
    free(tmp);
    if (st == BM_OK && n_rings > 0) {
        double *xy_kept = bm_arena_alloc(bm_scene_arena(c->cv.scene), 2 * n_kept * sizeof(double));
        size_t *starts_kept =
            bm_arena_alloc(bm_scene_arena(c->cv.scene), (n_rings + 1) * sizeof(size_t));
        if (xy_kept == NULL || starts_kept == NULL) {
            st = bm_error_set(c->cv.err, BM_ERR_NOMEM, "out of memory");
        } else {
            memcpy(xy_kept, kept, 2 * n_kept * sizeof(double));
            memcpy(starts_kept, starts, n_rings * sizeof(size_t));
            starts_kept[n_rings] = n_kept;
            bm_mark m = bm_mark_of(f->is_area ? BM_MARK_AREA : BM_MARK_LINE, role, f->name);
            m.xy_mm = xy_kept;
            m.n_points = n_kept;
            m.ring_starts = starts_kept;
            m.n_rings = n_rings;
            m.fill_rgba = f->is_area ? fill : 0;
            m.stroke_rgba = stroke;
            m.stroke_mm = stroke_mm * c->stroke_scale;
            m.is_clipped = true;
            m.clip = *fr;
            st = bm_canvas_add(&c->cv, &m, NULL);
        }
    }
    free(kept);
    free(starts);
    return st;
}

/* A point inside the visible part of a feature, for its label: the sample nearest the centroid
 * of the samples of a grid over the frame that fall inside it. */
bool bm_carto_label_point(const bm_carto *c, const bm_feature *f, double *x_mm, double *y_mm) {
    const bm_frame *fr = bm_view_frame(c->view);
    enum { N = 24 };
    double sx[N * N], sy[N * N];
    size_t n = 0;
    double mx = 0, my = 0;
    /* Sample in lon/lat via an inverse-free approach: project the feature's bbox grid. */
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            const double lon = f->lon_min_deg + (i + 0.5) / N * (f->lon_max_deg - f->lon_min_deg);
            const double lat = f->lat_min_deg + (j + 0.5) / N * (f->lat_max_deg - f->lat_min_deg);
            double x, y;
            if (bm_view_to_page(c->view, lon, lat, &x, &y) != BM_OK)
                continue;
            if (x < fr->x_mm + 12 || x > fr->x_mm + fr->w_mm - 12 || y < fr->y_mm + 6 ||
                y > fr->y_mm + fr->h_mm - 6)
                continue;
            if (!bm_feature_contains(f, lon, lat))
                continue;
            sx[n] = x;
            sy[n] = y;
            mx += x;
            my += y;
            n++;
        }
    }
    if (n < 3)
        return false;
    mx /= (double)n;
    my /= (double)n;
    size_t best = 0;
    double best_d = HUGE_VAL;
    for (size_t k = 0; k < n; k++) {
        const double d = (sx[k] - mx) * (sx[k] - mx) + (sy[k] - my) * (sy[k] - my);
        if (d < best_d) {
            best_d = d;
            best = k;
        }
    }
    *x_mm = sx[best];
    *y_mm = sy[best];
    return true;
}

static void upper_copy(const char *in, char *out, size_t out_size) {
    size_t i = 0;
    for (; in[i] && i + 1 < out_size; i++)
        out[i] = (in[i] >= 'a' && in[i] <= 'z') ? (char)(in[i] - 'a' + 'A') : in[i];
    out[i] = '\0';
}

/* Region labels go where they fit; a crowded one is left out (it names a boundary, not data). */
/* The lon/lat that the view puts at page point (x, y), by Newton's method on bm_view_to_page
 * from the feature's centre (the view has no inverse); false when it does not converge. */
static bool page_to_lonlat(const bm_carto *c, const bm_feature *f, double x, double y, double *lon,
                           double *lat) {
    double lo = (f->lon_min_deg + f->lon_max_deg) / 2, la = (f->lat_min_deg + f->lat_max_deg) / 2;
    const double d = 1e-3;
    for (int k = 0; k < 8; k++) {
        double px, py, ax, ay, bx, by;
        if (bm_view_to_page(c->view, lo, la, &px, &py) != BM_OK ||
            bm_view_to_page(c->view, lo + d, la, &ax, &ay) != BM_OK ||
            bm_view_to_page(c->view, lo, la + d, &bx, &by) != BM_OK)
            return false;
        const double j11 = (ax - px) / d, j21 = (ay - py) / d, j12 = (bx - px) / d,
                     j22 = (by - py) / d, det = j11 * j22 - j12 * j21;
        if (fabs(det) < 1e-12)
            return false;
        const double ex = x - px, ey = y - py;
        lo += (j22 * ex - j12 * ey) / det;
        la += (-j21 * ex + j11 * ey) / det;
        if (fabs(ex) < 0.05 && fabs(ey) < 0.05)
            break;
    }
    *lon = lo;
    *lat = la;
    return true;
}

/* Whether both ends of a label's middle line lie inside the feature: a name must not spill
 * over a neighbour (a panel that shows only a sliver of Sindh has no room for SINDH). */
static bool is_label_inside(const bm_carto *c, const bm_feature *f, const bm_box *b,
                            double clear_mm) {
    const double y = (b->y0 + b->y1) / 2;
    const double xs[2] = {b->x0 - clear_mm, b->x1 + clear_mm};
    for (int k = 0; k < 2; k++) {
        double lon, lat;
        if (!page_to_lonlat(c, f, xs[k], y, &lon, &lat) || !bm_feature_contains(f, lon, lat))
            return false;
    }
    return true;
}

static bm_status add_region_label(bm_carto *c, const bm_feature *f, const char *name,
                                  double size_pt, uint32_t rgba) {
    double x, y;
    if (!bm_carto_label_point(c, f, &x, &y))
        return BM_OK;
    char upper[256];
    upper_copy(name, upper, sizeof upper);
    bm_text_spec sp = bm_canvas_spec(size_pt, BM_TEXT_REGULAR, false, 0);
    sp.letter_spacing_pt = 1.2;
    /* Urdu place labels (--labels ur, en+ur) name the regions in Urdu too, from the message
     * file (region.<Name>, lang/ur.tsv); Arabic script is neither upper-cased nor spaced out. */
    const bm_place_names names = c->in->names;
    if (names != BM_NAMES_EN && c->in->names_lang != NULL) {
        char key[160];
        snprintf(key, sizeof key, "region.%s", name);
        for (char *k = key; *k != '\0'; k++)
            if (*k == ' ')
                *k = '_';
        const char *ur = bm_words_tr(c->in->names_lang, key);
        if (strcmp(ur, key) != 0) {
            if (names == BM_NAMES_UR)
                snprintf(upper, sizeof upper, "%s", ur);
            else
                snprintf(upper + strlen(upper), sizeof upper - strlen(upper), " %s", ur);
            sp.letter_spacing_pt = names == BM_NAMES_UR ? 0 : sp.letter_spacing_pt;
        }
    }
    double w, h;
    bm_canvas_measure(&c->cv, upper, &sp, &w, &h);
    const bm_frame *fr = bm_view_frame(c->view);
    const bm_box inside = {fr->x_mm, fr->y_mm, fr->x_mm + fr->w_mm, fr->y_mm + fr->h_mm};
    static const double offsets[][2] = {{0, 0},   {0, -6},  {0, 6},    {-10, 0}, {10, 0},
                                        {0, -12}, {0, 12},  {-10, -6}, {10, -6}, {-10, 6},
                                        {10, 6},  {-20, 0}, {20, 0},   {0, -18}, {0, 18}};
    for (size_t k = 0; k < sizeof offsets / sizeof offsets[0]; k++) {
        const bm_box b = {x + offsets[k][0] - w / 2, y + offsets[k][1] - h / 2,
                          x + offsets[k][0] + w / 2, y + offsets[k][1] + h / 2};
        /* Never over a neighbour (on the phone page IRAN fell inside Balochistan). Small
         * multiples, whose narrow panels cut neighbours to slivers, also keep clear of the
         * border line; the single map lets a name touch it (PUNJAB on the seed map). */
        if (bm_canvas_is_free(&c->cv, &b, &inside) &&
            is_label_inside(c, f, &b, c->in->n_panels == 1 ? 0 : 1.5)) {
            if (bm_canvas_text(&c->cv, "region-label", f->name, upper, &sp, b.x0, b.y0, rgba, false,
                               NULL) != BM_OK)
                return c->cv.err->status;
            return bm_canvas_keep_clear(&c->cv, b.x0, b.y0, b.x1, b.y1);
        }
    }
    return BM_OK;
}

bm_status bm_carto_add_basemap(bm_carto *c) {
    const bm_style *st = c->in->style;
    const bm_frame *fr = bm_view_frame(c->view);
    bm_mark sea = bm_mark_of(BM_MARK_RECT, "sea", "");
    sea.x_mm = fr->x_mm;
    sea.y_mm = fr->y_mm;
    sea.w_mm = fr->w_mm;
    sea.h_mm = fr->h_mm;
    sea.fill_rgba = st->sea_rgba;
    if (bm_canvas_add(&c->cv, &sea, NULL) != BM_OK)
        return c->cv.err->status;
    if (c->in->countries) {
        for (size_t i = 0; i < bm_shapes_n_features(c->in->countries); i++) {
            const bm_feature *f = bm_shapes_feature(c->in->countries, i);
            if (add_feature(c, f, "country", st->neighbour.fill_rgba, st->neighbour.stroke_rgba,
                            st->neighbour.stroke_mm) != BM_OK)
                return c->cv.err->status;
        }
    }
    const bm_feature *focus = NULL;
    if (c->in->provinces) {
        for (size_t i = 0; i < bm_shapes_n_features(c->in->provinces); i++) {
            const bm_feature *f = bm_shapes_feature(c->in->provinces, i);
            const bool is_focus =
                c->in->focus_province && strcmp(f->name, c->in->focus_province) == 0;
            if (is_focus)
                focus = f;
            const bm_stroke_fill *sf = is_focus ? &st->focus : &st->province;
            if (add_feature(c, f, is_focus ? "focus" : "province", sf->fill_rgba,
                            st->province.stroke_rgba, st->province.stroke_mm) != BM_OK)
                return c->cv.err->status;
        }
        /* Pakistan's outline over the province fills, then the focus outline on top. */
        if (c->in->countries) {
            const bm_feature *pk = bm_shapes_find(c->in->countries, "Pakistan");
            if (pk && add_feature(c, pk, "country-border", 0, st->country_border_rgba,
                                  st->country_border_mm) != BM_OK)
                return c->cv.err->status;
        }
        if (focus && add_feature(c, focus, "focus-border", 0, st->focus.stroke_rgba,
                                 st->focus.stroke_mm) != BM_OK)
            return c->cv.err->status;
    }
    for (size_t i = 0; i < c->in->n_extra_layers; i++) {
        const bm_shapes *layer = c->in->extra_layers[i];
        for (size_t k = 0; k < bm_shapes_n_features(layer); k++)
            if (add_feature(c, bm_shapes_feature(layer, k), "layer", 0, st->province.stroke_rgba,
                            st->province.stroke_mm * 0.8) != BM_OK)
                return c->cv.err->status;
    }
    return BM_OK;
}

/* Water bodies have no polygon in shapes/: their labels sit at fixed points in open water,
 * tried in order until one fits in the frame. */
static const struct {
    const char *name;
    double lon_deg, lat_deg;
} sea_labels[] = {
    {"Arabian Sea", 63.6, 24.25}, {"Arabian Sea", 65.5, 23.9}, {"Gulf of Oman", 58.8, 24.6}};

static bm_status add_sea_labels(bm_carto *c) {
    const bm_style *st = c->in->style;
    const bm_frame *fr = bm_view_frame(c->view);
    const bm_box inside = {fr->x_mm + 1, fr->y_mm + 1, fr->x_mm + fr->w_mm - 1,
                           fr->y_mm + fr->h_mm - 1};
    const char *done = "";
    for (size_t i = 0; i < sizeof sea_labels / sizeof sea_labels[0]; i++) {
        if (strcmp(done, sea_labels[i].name) == 0)
            continue;
        double x, y, w, h;
        if (bm_view_to_page(c->view, sea_labels[i].lon_deg, sea_labels[i].lat_deg, &x, &y) != BM_OK)
            continue;
        bm_text_spec sp = bm_canvas_spec(st->label_pt * 1.1, BM_TEXT_REGULAR, true, 0);
        sp.letter_spacing_pt = 1.0;
        bm_canvas_measure(&c->cv, sea_labels[i].name, &sp, &w, &h);
        const bm_box b = {x - w / 2, y - h / 2, x + w / 2, y + h / 2};
        if (!bm_canvas_is_free(&c->cv, &b, &inside))
            continue;
        if (bm_canvas_text(&c->cv, "sea-label", "", sea_labels[i].name, &sp, b.x0, b.y0,
                           st->muted_text_rgba, false, NULL) != BM_OK ||
            bm_canvas_keep_clear(&c->cv, b.x0, b.y0, b.x1, b.y1) != BM_OK)
            return c->cv.err->status;
        done = sea_labels[i].name;
    }
    return BM_OK;
}

bm_status bm_carto_add_region_labels(bm_carto *c) {
    const bm_style *st = c->in->style;
    if (add_sea_labels(c) != BM_OK)
        return c->cv.err->status;
    if (c->in->countries) {
        for (size_t i = 0; i < bm_shapes_n_features(c->in->countries); i++) {
            const bm_feature *f = bm_shapes_feature(c->in->countries, i);
            if (strcmp(f->name, "Pakistan") == 0)
                continue; /* its provinces are labelled */
            if (add_region_label(c, f, f->name, st->label_pt * 1.15, st->muted_text_rgba) != BM_OK)
                return c->cv.err->status;
        }
    }
    if (c->in->provinces) {
        for (size_t i = 0; i < bm_shapes_n_features(c->in->provinces); i++) {
            const bm_feature *f = bm_shapes_feature(c->in->provinces, i);
            if (add_region_label(c, f, f->name, st->label_pt * 0.95, st->muted_text_rgba) != BM_OK)
                return c->cv.err->status;
        }
    }
    return BM_OK;
}
