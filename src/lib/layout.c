/* SPDX-License-Identifier: MIT */
#include "layout.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PT_MM (25.4 / 72.0) /* one typographic point in mm */

typedef struct box {
    double x0, y0, x1, y1;
} box;

struct bm_scene {
    bm_arena *arena;
    bm_mark *marks;
    size_t n_marks, n_alloc;
    double w_mm, h_mm;
    bm_frame frame;
    const char *title, *description;
    double x0_m, y0_m, mm_per_metre; /* the view, for the dump */
};

/* Label placement state: what labels must not cover. */
typedef struct obstacles {
    box *boxes;
    size_t n, n_alloc;
    double *circles; /* x, y, r triples */
    size_t n_circles, n_circles_alloc;
} obstacles;

typedef struct ctx {
    const bm_layout_input *in;
    bm_scene *s;
    bm_error *err;
    obstacles obs;
    bm_buf unplaced;   /* labels that could not be placed without overlap */
    bool use_callouts; /* a label with no room becomes a number, listed in the legend */
    bm_buf callouts;   /* that list: "1: 133 militants killed, ISPR, 31 Jan\n" */
    size_t n_callouts;
    size_t *palette;       /* source index -> style colour slot */
    const bm_view *view;   /* of the panel being laid out */
    const bm_panel *panel; /* the panel being laid out */
    bm_frame area;         /* the whole map area (all panels) */
    double value_max;      /* the value that gets the largest circle, shared by all panels */
    double radius_max_mm;  /* its radius: the style's, smaller in small multiples */
    double stroke_scale;   /* boundary line widths: 1, less in the inset */
    double footer_top_mm;  /* where the attribution starts */
} ctx;

static bm_mark *add_mark(ctx *c, bm_mark_kind kind, const char *role, const char *ref) {
    bm_scene *s = c->s;
    if (bm_grow((void **)&s->marks, &s->n_alloc, s->n_marks + 1, sizeof(bm_mark)) != BM_OK) {
        bm_error_set(c->err, BM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    bm_mark *m = &s->marks[s->n_marks++];
    memset(m, 0, sizeof *m);
    m->kind = kind;
    m->role = role;
    m->ref = bm_arena_strdup(s->arena, ref ? ref : "");
    return m;
}

static const char *keep(ctx *c, const char *text) {
    return bm_arena_strdup(c->s->arena, text);
}

static bm_status add_box(ctx *c, double x0, double y0, double x1, double y1) {
    obstacles *o = &c->obs;
    if (bm_grow((void **)&o->boxes, &o->n_alloc, o->n + 1, sizeof(box)) != BM_OK)
        return bm_error_set(c->err, BM_ERR_NOMEM, "out of memory");
    o->boxes[o->n++] = (box){x0, y0, x1, y1};
    return BM_OK;
}

static bm_status add_circle_obstacle(ctx *c, double x, double y, double r) {
    obstacles *o = &c->obs;
    if (bm_grow((void **)&o->circles, &o->n_circles_alloc, 3 * (o->n_circles + 1),
                sizeof(double)) != BM_OK)
        return bm_error_set(c->err, BM_ERR_NOMEM, "out of memory");
    o->circles[3 * o->n_circles] = x;
    o->circles[3 * o->n_circles + 1] = y;
    o->circles[3 * o->n_circles + 2] = r;
    o->n_circles++;
    return BM_OK;
}

static bool box_hits_circle(const box *b, double cx, double cy, double r) {
    const double nx = fmax(b->x0, fmin(cx, b->x1)), ny = fmax(b->y0, fmin(cy, b->y1));
    return (nx - cx) * (nx - cx) + (ny - cy) * (ny - cy) < r * r;
}

static bool box_is_free(const ctx *c, const box *b, const box *inside) {
    if (inside &&
        (b->x0 < inside->x0 || b->y0 < inside->y0 || b->x1 > inside->x1 || b->y1 > inside->y1))
        return false;
    for (size_t i = 0; i < c->obs.n; i++) {
        const box *o = &c->obs.boxes[i];
        if (b->x0 < o->x1 && b->x1 > o->x0 && b->y0 < o->y1 && b->y1 > o->y0)
            return false;
    }
    for (size_t i = 0; i < c->obs.n_circles; i++)
        if (box_hits_circle(b, c->obs.circles[3 * i], c->obs.circles[3 * i + 1],
                            c->obs.circles[3 * i + 2]))
            return false;
    return true;
}

static void set_rgba_alpha(uint32_t *rgba, double opacity) {
    *rgba = (*rgba & 0xFFFFFF00u) | (uint32_t)lround(opacity * 255.0);
}

void bm_layout_frame(const bm_style *st, double page_w_mm, double page_h_mm, bm_frame *out) {
    const double header_mm =
        st->margin_mm + st->title_pt * PT_MM * 1.3 + st->subtitle_pt * PT_MM * 1.3 * 2 + 2.5;
    const double footer_mm = st->attribution_pt * PT_MM * 1.3 * 2 + st->margin_mm + 1.5;
    const double gap_mm = 4;
    out->x_mm = st->margin_mm;
    out->y_mm = header_mm;
    out->w_mm = page_w_mm - 2 * st->margin_mm - st->panel_width_mm - gap_mm;
    out->h_mm = page_h_mm - header_mm - footer_mm;
}

double bm_layout_radius_mm(double value, double value_max, double radius_max_mm,
                           double radius_min_mm) {
    if (!(value > 0) || !(value_max > 0))
        return 0;
    /* Flannery's apparent-size correction is not applied: readers of a legend with nested
     * circles judge areas well enough, and true proportionality is what can be checked. */
    const double r = radius_max_mm * sqrt(value / value_max);
    return r < radius_min_mm ? radius_min_mm : r;
}

/* ---- text ---- */

/* A fixed buffer may cut a UTF-8 sequence in half; Pango rejects such text. Drops the tail. */
static void trim_partial_utf8(char *t) {
    size_t n = strlen(t), k = 0;
    while (k < n && k < 4 && ((unsigned char)t[n - 1 - k] & 0xC0) == 0x80)
        k++; /* continuation bytes at the end */
    if (k == n)
        return;
    const unsigned char lead = (unsigned char)t[n - 1 - k];
    const size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (want != k + 1)
        t[n - 1 - k] = '\0';
}

static bm_mark *add_text(ctx *c, const char *role, const char *ref, const char *text,
                         const bm_text_spec *spec, double x_mm, double y_mm, uint32_t rgba,
                         bool has_halo) {
    bm_mark *m = add_mark(c, BM_MARK_TEXT, role, ref);
    if (m == NULL)
        return NULL;
    char *kept = bm_arena_strdup(c->s->arena, text);
    if (kept == NULL) {
        bm_error_set(c->err, BM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    trim_partial_utf8(kept);
    m->text = kept;
    m->spec = *spec;
    bm_text_measure(c->in->text, text, spec, &m->w_mm, &m->h_mm);
    m->x_mm = x_mm;
    m->y_mm = y_mm;
    m->fill_rgba = rgba;
    if (has_halo) {
        m->halo_rgba = c->in->style->halo_rgba;
        m->halo_mm = 0.9;
    }
    return m;
}

static bm_text_spec spec_of(double size_pt, bm_text_weight weight, bool is_italic, double wrap) {
    bm_text_spec sp = {size_pt, weight, is_italic, wrap, 0};
    return sp;
}

/* ---- basemap ---- */

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

static bm_status add_feature(ctx *c, const bm_feature *f, const char *role, uint32_t fill,
                             uint32_t stroke, double stroke_mm) {
    bm_status st = BM_OK;
    double *xy = malloc(2 * f->n_points * sizeof(double) + 1);
    double *ring = NULL, *tmp = NULL, *kept = NULL;
    size_t *starts = NULL, n_ring_alloc = 0, n_tmp_alloc = 0, n_kept_alloc = 0, n_starts_alloc = 0;
    size_t *dp_stack = NULL, n_dp_stack_alloc = 0, n_dp_keep_alloc = 0;
    bool *dp_keep = NULL;
    size_t n_kept = 0, n_rings = 0;
    if (xy == NULL)
        return bm_error_set(c->err, BM_ERR_NOMEM, "out of memory");
    memcpy(xy, f->lonlat_deg, 2 * f->n_points * sizeof(double));
    if (bm_view_to_page_array(c->view, xy, f->n_points, c->err) != BM_OK) {
        free(xy);
        return c->err->status;
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
                st = bm_error_set(c->err, BM_ERR_NOMEM, "out of memory");
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
            st = bm_error_set(c->err, BM_ERR_NOMEM, "out of memory");
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
            st = bm_error_set(c->err, BM_ERR_NOMEM, "out of memory");
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
        double *xy_kept = bm_arena_alloc(c->s->arena, 2 * n_kept * sizeof(double));
        size_t *starts_kept = bm_arena_alloc(c->s->arena, (n_rings + 1) * sizeof(size_t));
        bm_mark *m = xy_kept && starts_kept
                         ? add_mark(c, f->is_area ? BM_MARK_AREA : BM_MARK_LINE, role, f->name)
                         : NULL;
        if (m == NULL) {
            st = bm_error_set(c->err, BM_ERR_NOMEM, "out of memory");
        } else {
            memcpy(xy_kept, kept, 2 * n_kept * sizeof(double));
            memcpy(starts_kept, starts, n_rings * sizeof(size_t));
            starts_kept[n_rings] = n_kept;
            m->xy_mm = xy_kept;
            m->n_points = n_kept;
            m->ring_starts = starts_kept;
            m->n_rings = n_rings;
            m->fill_rgba = f->is_area ? fill : 0;
            m->stroke_rgba = stroke;
            m->stroke_mm = stroke_mm * c->stroke_scale;
            m->is_clipped = true;
            m->clip = *fr;
        }
    }
    free(kept);
    free(starts);
    return st;
}

/* A point inside the visible part of a feature, for its label: the sample nearest the centroid
 * of the samples of a grid over the frame that fall inside it. */
static bool visible_label_point(ctx *c, const bm_feature *f, double *x_mm, double *y_mm) {
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
static bm_status add_region_label(ctx *c, const bm_feature *f, const char *name, double size_pt,
                                  uint32_t rgba) {
    double x, y;
    if (!visible_label_point(c, f, &x, &y))
        return BM_OK;
    char upper[128];
    upper_copy(name, upper, sizeof upper);
    bm_text_spec sp = spec_of(size_pt, BM_TEXT_REGULAR, false, 0);
    sp.letter_spacing_pt = 1.2;
    double w, h;
    bm_text_measure(c->in->text, upper, &sp, &w, &h);
    const bm_frame *fr = bm_view_frame(c->view);
    const box inside = {fr->x_mm, fr->y_mm, fr->x_mm + fr->w_mm, fr->y_mm + fr->h_mm};
    static const double offsets[][2] = {{0, 0},  {0, -6},  {0, 6}, {-10, 0},
                                        {10, 0}, {0, -12}, {0, 12}};
    for (size_t k = 0; k < sizeof offsets / sizeof offsets[0]; k++) {
        const box b = {x + offsets[k][0] - w / 2, y + offsets[k][1] - h / 2,
                       x + offsets[k][0] + w / 2, y + offsets[k][1] + h / 2};
        if (box_is_free(c, &b, &inside)) {
            if (add_text(c, "region-label", f->name, upper, &sp, b.x0, b.y0, rgba, false) == NULL)
                return c->err->status;
            return add_box(c, b.x0, b.y0, b.x1, b.y1);
        }
    }
    return BM_OK;
}

static bm_status add_basemap(ctx *c) {
    const bm_style *st = c->in->style;
    const bm_frame *fr = bm_view_frame(c->view);
    bm_mark *sea = add_mark(c, BM_MARK_RECT, "sea", "");
    if (sea == NULL)
        return c->err->status;
    sea->x_mm = fr->x_mm;
    sea->y_mm = fr->y_mm;
    sea->w_mm = fr->w_mm;
    sea->h_mm = fr->h_mm;
    sea->fill_rgba = st->sea_rgba;
    if (c->in->countries) {
        for (size_t i = 0; i < bm_shapes_n_features(c->in->countries); i++) {
            const bm_feature *f = bm_shapes_feature(c->in->countries, i);
            if (add_feature(c, f, "country", st->neighbour.fill_rgba, st->neighbour.stroke_rgba,
                            st->neighbour.stroke_mm) != BM_OK)
                return c->err->status;
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
                return c->err->status;
        }
        /* Pakistan's outline over the province fills, then the focus outline on top. */
        if (c->in->countries) {
            const bm_feature *pk = bm_shapes_find(c->in->countries, "Pakistan");
            if (pk && add_feature(c, pk, "country-border", 0, st->country_border_rgba,
                                  st->country_border_mm) != BM_OK)
                return c->err->status;
        }
        if (focus && add_feature(c, focus, "focus-border", 0, st->focus.stroke_rgba,
                                 st->focus.stroke_mm) != BM_OK)
            return c->err->status;
    }
    for (size_t i = 0; i < c->in->n_extra_layers; i++) {
        const bm_shapes *layer = c->in->extra_layers[i];
        for (size_t k = 0; k < bm_shapes_n_features(layer); k++)
            if (add_feature(c, bm_shapes_feature(layer, k), "layer", 0, st->province.stroke_rgba,
                            st->province.stroke_mm * 0.8) != BM_OK)
                return c->err->status;
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

static bm_status add_sea_labels(ctx *c) {
    const bm_style *st = c->in->style;
    const bm_frame *fr = bm_view_frame(c->view);
    const box inside = {fr->x_mm + 1, fr->y_mm + 1, fr->x_mm + fr->w_mm - 1,
                        fr->y_mm + fr->h_mm - 1};
    const char *done = "";
    for (size_t i = 0; i < sizeof sea_labels / sizeof sea_labels[0]; i++) {
        if (strcmp(done, sea_labels[i].name) == 0)
            continue;
        double x, y, w, h;
        if (bm_view_to_page(c->view, sea_labels[i].lon_deg, sea_labels[i].lat_deg, &x, &y) != BM_OK)
            continue;
        bm_text_spec sp = spec_of(st->label_pt * 1.1, BM_TEXT_REGULAR, true, 0);
        sp.letter_spacing_pt = 1.0;
        bm_text_measure(c->in->text, sea_labels[i].name, &sp, &w, &h);
        const box b = {x - w / 2, y - h / 2, x + w / 2, y + h / 2};
        if (!box_is_free(c, &b, &inside))
            continue;
        if (add_text(c, "sea-label", "", sea_labels[i].name, &sp, b.x0, b.y0, st->muted_text_rgba,
                     false) == NULL ||
            add_box(c, b.x0, b.y0, b.x1, b.y1) != BM_OK)
            return c->err->status;
        done = sea_labels[i].name;
    }
    return BM_OK;
}

static bm_status add_region_labels(ctx *c) {
    const bm_style *st = c->in->style;
    if (add_sea_labels(c) != BM_OK)
        return c->err->status;
    if (c->in->countries) {
        for (size_t i = 0; i < bm_shapes_n_features(c->in->countries); i++) {
            const bm_feature *f = bm_shapes_feature(c->in->countries, i);
            if (strcmp(f->name, "Pakistan") == 0)
                continue; /* its provinces are labelled */
            if (add_region_label(c, f, f->name, st->label_pt * 1.15, st->muted_text_rgba) != BM_OK)
                return c->err->status;
        }
    }
    if (c->in->provinces) {
        for (size_t i = 0; i < bm_shapes_n_features(c->in->provinces); i++) {
            const bm_feature *f = bm_shapes_feature(c->in->provinces, i);
            if (add_region_label(c, f, f->name, st->label_pt * 0.95, st->muted_text_rgba) != BM_OK)
                return c->err->status;
        }
    }
    return BM_OK;
}

/* ---- claims ---- */

typedef struct circle {
    double x, y, r, r_outer; /* r_outer: the dashed ring of a range maximum, else r */
    double ax, ay;           /* anchor: the place, or the mean of the places */
    bool is_movable;
    size_t claim; /* index into in->claims */
    size_t source;
} circle;

static const char *party_words(bm_party p) {
    switch (p) {
    case BM_PARTY_MILITANTS:
        return "militants";
    case BM_PARTY_SECURITY_FORCES:
        return "security personnel";
    case BM_PARTY_CIVILIANS:
        return "civilians";
    case BM_PARTY_UNSPECIFIED:
        return "people";
    }
    return "people";
}

/* "92 militants killed" */
static void claim_headline(const bm_claim *cl, char *out, size_t out_size) {
    char value[96];
    bm_value_format(&cl->value, value, sizeof value);
    if (cl->what == BM_Q_ATTACKED || cl->what == BM_Q_DESTROYED)
        snprintf(out, out_size, "%s %s %s", value, cl->object ? cl->object : "targets",
                 cl->what == BM_Q_ATTACKED ? "attacked" : "destroyed");
    else
        snprintf(out, out_size, "%s %s %s", value, party_words(cl->who),
                 bm_quantity_name(cl->what));
}

/* "2026-01-31" -> "31 Jan" (the year is in the title or subtitle). */
static void format_day(const char *iso, char *out, size_t out_size) {
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int y, m, d;
    if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12)
        snprintf(out, out_size, "%d %s", d, months[m - 1]);
    else
        snprintf(out, out_size, "%s", iso);
}

static double claim_size_value(const bm_claim *cl) {
    return (double)cl->value.min;
}

static bm_status add_line2(ctx *c, const char *role, const char *ref, double x0, double y0,
                           double x1, double y1, uint32_t rgba, double width_mm, double dash_mm);

/* Tries the candidate positions around (x, y) in the order cartographers prefer (Imhof):
 * right, left, above, below, then the diagonals; then further out with a leader line. Sets
 * *is_placed when one was free. */
/* Where labels may go in the current panel: its frame less half a millimetre. */
static box labels_inside(const ctx *c) {
    const bm_frame *fr = bm_view_frame(c->view);
    return (box){fr->x_mm + 0.5, fr->y_mm + 0.5, fr->x_mm + fr->w_mm - 0.5,
                 fr->y_mm + fr->h_mm - 0.5};
}

/* A callout number in a ring of its colour, the size x size box at (x0, y0): set apart from the
 * figures that label circles (plain numbers under --allocate even). */
static bm_status add_tag(ctx *c, const char *ref, const char *number, const bm_text_spec *sp,
                         double x0, double y0, double size, uint32_t rgba) {
    bm_mark *ring = add_mark(c, BM_MARK_CIRCLE, "callout-ring", ref);
    if (ring == NULL)
        return c->err->status;
    ring->x_mm = x0 + size / 2;
    ring->y_mm = y0 + size / 2;
    ring->r_mm = size / 2 - 0.1;
    ring->fill_rgba = c->in->style->halo_rgba | 0xFFu;
    ring->stroke_rgba = rgba;
    ring->stroke_mm = 0.25;
    double w, h;
    bm_text_measure(c->in->text, number, sp, &w, &h);
    if (add_text(c, "callout", ref, number, sp, x0 + (size - w) / 2, y0 + (size - h) / 2, rgba,
                 false) == NULL)
        return c->err->status;
    return add_box(c, x0, y0, x0 + size, y0 + size);
}

/* The side of the square a callout number takes. */
static double tag_size(ctx *c, const char *number, const bm_text_spec *sp) {
    double w, h;
    bm_text_measure(c->in->text, number, sp, &w, &h);
    return fmax(w, h * 0.8) + 0.8;
}

static bm_status try_place(ctx *c, const char *role, const char *ref, const char *text,
                           const bm_text_spec *sp, double x, double y, double gap_mm, uint32_t rgba,
                           bool is_tag, bool *is_placed) {
    const box inside = labels_inside(c);
    double w, h;
    bm_text_measure(c->in->text, text, sp, &w, &h);
    if (is_tag)
        w = h = tag_size(c, text, sp);
    static const double dirs[][2] = {{1, 0},  {-1, 0},  {0, -1}, {0, 1},
                                     {1, -1}, {-1, -1}, {1, 1},  {-1, 1}};
    *is_placed = false;
    /* First with room each side, so two names never run together ("KalatMangochar"); where
     * that finds nothing, tight. */
    for (int pass = 0; pass < 2 * 7; pass++) {
        const int ring = pass % 7;
        const double pad = pass < 7 ? 0.8 : 0;
        const double d = gap_mm + ring * 3.0;
        for (size_t k = 0; k < sizeof dirs / sizeof dirs[0]; k++) {
            const double dx = dirs[k][0], dy = dirs[k][1];
            double x0 = dx > 0 ? x + d : dx < 0 ? x - d - w : x - w / 2;
            double y0 = dy > 0 ? y + d : dy < 0 ? y - d - h : y - h / 2;
            if (dx != 0 && dy != 0) {
                x0 = dx > 0 ? x + d * 0.7 : x - d * 0.7 - w;
                y0 = dy > 0 ? y + d * 0.7 : y - d * 0.7 - h;
            }
            const box b = {x0, y0, x0 + w, y0 + h};
            const box padded = {x0 - pad, y0, x0 + w + pad, y0 + h};
            if (!box_is_free(c, &padded, &inside))
                continue;
            /* Further out, a leader from the mark to the nearest point of the label. */
            if (ring > 0 && add_line2(c, "label-leader", ref, x, y, fmax(b.x0, fmin(x, b.x1)),
                                      fmax(b.y0, fmin(y, b.y1)), c->in->style->muted_text_rgba, 0.2,
                                      0) != BM_OK)
                return c->err->status;
            *is_placed = true;
            if (is_tag)
                return add_tag(c, ref, text, sp, x0, y0, w, rgba);
            if (add_text(c, role, ref, text, sp, x0, y0, rgba, true) == NULL)
                return c->err->status;
            return add_box(c, b.x0, b.y0, b.x1, b.y1);
        }
    }
    return BM_OK;
}

/* Where a w x h box goes when no place is free: right of (x, y), or left at the frame's edge,
 * centred vertically, kept inside the frame. */
static void spot_beside(const box *inside, double x, double y, double gap_mm, double w, double h,
                        double *x0, double *y0) {
    *x0 = x + gap_mm;
    if (*x0 + w > inside->x1)
        *x0 = fmax(inside->x0, x - gap_mm - w);
    *y0 = fmin(fmax(y - h / 2, inside->y0), inside->y1 - h);
}

/* Puts text where it covers nothing, or, with nowhere free and must_place: a number in its
 * place, the text in the legend's list under that number (with callouts), else the text to the
 * right all the same, in the warning about overlaps. */
static bm_status place_label_near(ctx *c, const char *role, const char *ref, const char *text,
                                  const bm_text_spec *sp, double x, double y, double gap_mm,
                                  uint32_t rgba, bool must_place) {
    bool is_placed = false;
    if (try_place(c, role, ref, text, sp, x, y, gap_mm, rgba, false, &is_placed) != BM_OK)
        return c->err->status;
    if (is_placed || !must_place)
        return BM_OK;
    /* The text on one line, for the list and the warning: "92 militants killed, ISPR, 31 Jan". */
    char listed[300];
    size_t k = 0;
    for (const char *p = text; *p != '\0' && k + 3 < sizeof listed; p++) {
        if (*p == '\n') {
            listed[k++] = ',';
            listed[k++] = ' ';
        } else {
            listed[k++] = *p;
        }
    }
    listed[k] = '\0';
    const box inside = labels_inside(c);
    if (c->use_callouts) {
        char number[32];
        snprintf(number, sizeof number, "%zu", ++c->n_callouts);
        bm_buf_printf(&c->callouts, "%s%s: %s", c->n_callouts > 1 ? "\n" : "", number, listed);
        bm_text_spec tag = *sp;
        tag.weight = BM_TEXT_BOLD;
        tag.is_italic = false;
        tag.wrap_width_mm = 0;
        tag.size_pt *= 0.85;
        if (try_place(c, "callout", ref, number, &tag, x, y, gap_mm, rgba, true, &is_placed) !=
            BM_OK)
            return c->err->status;
        if (is_placed)
            return BM_OK;
        /* Not even a number fits: beside the mark all the same, and in the warning. */
        const double size = tag_size(c, number, &tag);
        double x0, y0;
        spot_beside(&inside, x, y, gap_mm, size, size, &x0, &y0);
        bm_buf_printf(&c->unplaced, "%s'%s'", c->unplaced.len ? ", " : "", listed);
        return add_tag(c, ref, number, &tag, x0, y0, size, rgba);
    }
    /* No free position: to the right all the same (or left, at the frame's edge), inside the
     * frame, and say so. */
    double w, h, x0, y0;
    bm_text_measure(c->in->text, text, sp, &w, &h);
    spot_beside(&inside, x, y, gap_mm, w, h, &x0, &y0);
    if (add_text(c, role, ref, text, sp, x0, y0, rgba, true) == NULL)
        return c->err->status;
    bm_buf_printf(&c->unplaced, "%s'%s'", c->unplaced.len ? ", " : "", listed);
    return add_box(c, x0, y0, x0 + w, y0 + h);
}

static void separate_circles(circle *cs, size_t n, const double *fixed_xy, size_t n_fixed,
                             const bm_frame *fr) {
    const double gap = 0.8;
    for (int iter = 0; iter < 300; iter++) {
        bool moved = false;
        for (size_t i = 0; i < n; i++) {
            for (size_t j = i + 1; j < n; j++) {
                double dx = cs[j].x - cs[i].x, dy = cs[j].y - cs[i].y;
                double d = sqrt(dx * dx + dy * dy);
                const double need = cs[i].r_outer + cs[j].r_outer + gap;
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

static bm_status add_line2(ctx *c, const char *role, const char *ref, double x0, double y0,
                           double x1, double y1, uint32_t rgba, double width_mm, double dash_mm) {
    double *xy = bm_arena_alloc(c->s->arena, 4 * sizeof(double));
    size_t *starts = bm_arena_alloc(c->s->arena, 2 * sizeof(size_t));
    bm_mark *m = xy && starts ? add_mark(c, BM_MARK_LINE, role, ref) : NULL;
    if (m == NULL)
        return bm_error_set(c->err, BM_ERR_NOMEM, "out of memory");
    xy[0] = x0;
    xy[1] = y0;
    xy[2] = x1;
    xy[3] = y1;
    starts[0] = 0;
    starts[1] = 2;
    m->xy_mm = xy;
    m->n_points = 2;
    m->ring_starts = starts;
    m->n_rings = 1;
    m->stroke_rgba = rgba;
    m->stroke_mm = width_mm;
    m->dash_mm = dash_mm;
    return BM_OK;
}

static const bm_source_style *source_style(const ctx *c, size_t source) {
    const bm_style *st = c->in->style;
    return &st->sources[c->palette[source] % st->n_sources];
}

static uint32_t source_color(const ctx *c, size_t source) {
    return source_style(c, source)->color_rgba;
}

static void set_pattern(const ctx *c, bm_mark *m, size_t source) {
    const bm_source_style *ss = source_style(c, source);
    m->pattern = ss->pattern;
    m->pattern_rgba = ss->pattern_rgba;
    m->pattern_spacing_mm = c->in->style->pattern_spacing_mm;
    m->pattern_line_mm = c->in->style->pattern_line_mm;
}

/* Colours follow the kind of source, so that the military is the same colour on every map of
 * a report whatever order a file lists its sources in: palette slot 0 for the military, 1 for
 * armed groups, 2 for governments, 3 for media; a second source of a kind takes the next free
 * slot. */
static bm_status assign_palette(ctx *c) {
    static const char *const kinds[] = {"military", "armed_group", "government", "media"};
    const size_t n = bm_incidents_n_sources(c->in->incidents);
    const size_t n_colors = c->in->style->n_sources;
    c->palette = calloc(n + 1, sizeof *c->palette);
    bool *is_used = calloc(n_colors + 1, sizeof *is_used);
    bool *is_done = calloc(n + 1, sizeof *is_done);
    if (c->palette == NULL || is_used == NULL || is_done == NULL) {
        free(is_used);
        free(is_done);
        return bm_error_set(c->err, BM_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const char *kind = bm_incidents_source(c->in->incidents, i)->kind;
        for (size_t k = 0; kind && k < sizeof kinds / sizeof kinds[0] && k < n_colors; k++)
            if (strcmp(kind, kinds[k]) == 0 && !is_used[k]) {
                c->palette[i] = k;
                is_used[k] = is_done[i] = true;
            }
    }
    for (size_t i = 0; i < n; i++) {
        if (is_done[i])
            continue;
        size_t k = 0;
        while (k < n_colors && is_used[k])
            k++;
        c->palette[i] = k < n_colors ? k : i % n_colors;
        if (k < n_colors)
            is_used[k] = true;
    }
    free(is_used);
    free(is_done);
    return BM_OK;
}

static bool in_panel(const ctx *c, const bm_located_claim *lc) {
    const bm_panel *p = c->panel;
    return lc->is_drawn && (p->source < 0 || lc->claim->source == (size_t)p->source) &&
           (p->day == NULL ||
            (lc->claim->claimed_on && strncmp(lc->claim->claimed_on, p->day, 10) == 0));
}

/* The value that gets the largest circle: the largest drawn, over all panels. */
static double drawn_value_max(const bm_layout_input *in) {
    double value_max = 0;
    for (size_t i = 0; i < in->n_claims; i++) {
        const bm_claim *cl = in->claims[i].claim;
        if (!in->claims[i].is_drawn)
            continue;
        value_max = fmax(value_max, cl->value.kind == BM_VALUE_RANGE ? (double)cl->value.max
                                                                     : claim_size_value(cl));
    }
    return value_max;
}

static bm_status add_scale_bar(ctx *c);
static bm_status add_inset(ctx *c);

/* Circles, leader lines, place symbols, then (once the furniture has found a free corner) the
 * labels. The scale bar goes on the first panel only: all panels share one scale. */
static bm_status add_claims(ctx *c) {
    const bm_layout_input *in = c->in;
    const bm_style *st = in->style;
    bm_status status = BM_OK;
    circle *cs = NULL;
    bool *is_used = NULL;
    double *place_xy = calloc(2 * (in->n_places + 1), sizeof(double));
    size_t n = 0;
    if (place_xy == NULL)
        return bm_error_set(c->err, BM_ERR_NOMEM, "out of memory");
    for (size_t p = 0; p < in->n_places; p++) {
        if (bm_view_to_page(c->view, in->places[p].lon_deg, in->places[p].lat_deg, &place_xy[2 * p],
                            &place_xy[2 * p + 1]) != BM_OK) {
            status = bm_error_set(c->err, BM_ERR_INVALID, "place '%s' cannot be projected",
                                  in->places[p].name);
            goto done;
        }
        /* A province-wide claim belongs to the whole province, not to its capital (the
         * gazetteer's point): it is anchored inside the province's visible area. */
        const bm_feature *f = in->places[p].precision == BM_PREC_PROVINCE && in->provinces
                                  ? bm_shapes_find(in->provinces, in->places[p].name)
                                  : NULL;
        if (f != NULL)
            visible_label_point(c, f, &place_xy[2 * p], &place_xy[2 * p + 1]);
    }
    cs = calloc(in->n_claims + 1, sizeof *cs);
    is_used = calloc(in->n_places + 1, sizeof *is_used);
    if (cs == NULL || is_used == NULL) {
        status = bm_error_set(c->err, BM_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* A panel shows the places its own claims name. */
    for (size_t i = 0; i < in->n_claims; i++)
        if (in_panel(c, &in->claims[i]))
            for (size_t k = 0; k < in->claims[i].claim->n_places; k++)
                is_used[in->claims[i].place_index[k]] = true;
    const double value_max = c->value_max;
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
        ci->r = bm_layout_radius_mm(claim_size_value(lc->claim), value_max, c->radius_max_mm,
                                    st->marker_min_radius_mm);
        ci->r_outer = ci->r;
        if (lc->claim->value.kind == BM_VALUE_RANGE)
            ci->r_outer = bm_layout_radius_mm((double)lc->claim->value.max, value_max,
                                              c->radius_max_mm, st->marker_min_radius_mm);
        else if (lc->claim->value.kind == BM_VALUE_AT_LEAST)
            ci->r_outer = ci->r + 1.0;
        ci->is_movable = lc->claim->n_places > 1;
        ci->claim = i;
        ci->source = lc->claim->source;
    }
    /* Claims at one anchor would hide each other: they may all move, and start on a
     * golden-angle spiral (largest nearest the anchor) so that they settle into a round
     * cluster rather than a row. */
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
    separate_circles(cs, n, place_xy, in->n_places, bm_view_frame(c->view));
    qsort(cs, n, sizeof *cs, by_radius_desc);

    /* Leader lines first, so circles sit on top of them. */
    for (size_t i = 0; i < n; i++) {
        const bm_located_claim *lc = &in->claims[cs[i].claim];
        if (lc->claim->n_places < 2 && hypot(cs[i].x - cs[i].ax, cs[i].y - cs[i].ay) < 0.01)
            continue;
        uint32_t rgba = source_color(c, cs[i].source);
        set_rgba_alpha(&rgba, st->leader_opacity);
        for (size_t k = 0; k < lc->claim->n_places; k++) {
            const size_t p = lc->place_index[k];
            const double dx = place_xy[2 * p] - cs[i].x, dy = place_xy[2 * p + 1] - cs[i].y;
            const double d = hypot(dx, dy);
            if (d <= cs[i].r_outer)
                continue; /* the place is under its own circle */
            const double x0 = cs[i].x + dx / d * cs[i].r_outer,
                         y0 = cs[i].y + dy / d * cs[i].r_outer;
            if (add_line2(c, "leader", lc->claim->id, x0, y0, place_xy[2 * p], place_xy[2 * p + 1],
                          rgba, st->leader_mm, 0) != BM_OK) {
                status = c->err->status;
                goto done;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        const bm_located_claim *lc = &in->claims[cs[i].claim];
        const bm_value *v = &lc->claim->value;
        uint32_t fill = source_color(c, cs[i].source);
        set_rgba_alpha(&fill, st->marker_fill_opacity);
        bm_mark *m = add_mark(c, BM_MARK_CIRCLE, "claim", lc->claim->id);
        if (m == NULL) {
            status = c->err->status;
            goto done;
        }
        m->x_mm = cs[i].x;
        m->y_mm = cs[i].y;
        m->r_mm = cs[i].r;
        m->fill_rgba = fill;
        m->stroke_rgba = source_style(c, cs[i].source)->outline_rgba;
        m->stroke_mm = st->marker_stroke_mm;
        set_pattern(c, m, cs[i].source);
        m->value = claim_size_value(lc->claim);
        if (v->kind == BM_VALUE_RANGE || v->kind == BM_VALUE_AT_LEAST) {
            /* The uncertain part: a dashed ring to the maximum, or just outside for "at least". */
            bm_mark *o = add_mark(c, BM_MARK_CIRCLE, "claim-upper", lc->claim->id);
            if (o == NULL) {
                status = c->err->status;
                goto done;
            }
            o->x_mm = cs[i].x;
            o->y_mm = cs[i].y;
            o->r_mm = cs[i].r_outer;
            o->stroke_rgba = source_color(c, cs[i].source);
            o->stroke_mm = 0.35;
            o->dash_mm = 0.8;
            o->value = v->kind == BM_VALUE_RANGE ? (double)v->max : -1;
        }
        if (add_circle_obstacle(c, cs[i].x, cs[i].y, cs[i].r_outer) != BM_OK) {
            status = c->err->status;
            goto done;
        }
    }
    /* Town dots and district rings, and their names. */
    for (size_t p = 0; p < in->n_places; p++) {
        const bool is_district = in->places[p].precision != BM_PREC_POINT;
        if (!is_used[p] || in->places[p].precision >= BM_PREC_PROVINCE)
            continue; /* no point stands for a whole province */
        bm_mark *m =
            add_mark(c, BM_MARK_CIRCLE, is_district ? "district" : "place", in->places[p].name);
        if (m == NULL) {
            status = c->err->status;
            goto done;
        }
        m->x_mm = place_xy[2 * p];
        m->y_mm = place_xy[2 * p + 1];
        if (is_district) {
            m->r_mm = 1.6;
            m->stroke_rgba = st->place_rgba;
            m->stroke_mm = 0.3;
            m->dash_mm = 0.5;
            m->fill_rgba = (st->halo_rgba & 0xFFFFFF00u) | 0x99u;
        } else {
            m->r_mm = st->place_radius_mm;
            m->fill_rgba = st->place_rgba;
            m->stroke_rgba = st->halo_rgba;
            m->stroke_mm = 0.25;
        }
        if (add_circle_obstacle(c, m->x_mm, m->y_mm, m->r_mm + 0.3) != BM_OK) {
            status = c->err->status;
            goto done;
        }
    }
    /* Scale bar and locator go where no circle or place is, before any label is placed. */
    if ((c->panel == &in->panels[0] && add_scale_bar(c) != BM_OK) ||
        (in->n_panels == 1 && add_inset(c) != BM_OK)) {
        status = c->err->status;
        goto done;
    }
    /* Claim labels have priority over town labels: they carry the numbers. */
    for (size_t i = 0; i < n; i++) {
        const bm_located_claim *lc = &in->claims[cs[i].claim];
        const bm_source *src = bm_incidents_source(in->incidents, lc->claim->source);
        char head[1024], text[2048];
        claim_headline(lc->claim, head, sizeof head);
        char when[32] = "";
        if (lc->claim->claimed_on)
            format_day(lc->claim->claimed_on, when, sizeof when);
        if (lc->split_of != NULL) /* the legend and notes say what the shares are */
            bm_value_format(&lc->claim->value, text, sizeof text);
        else if (lc->claim->n_places > 1)
            snprintf(text, sizeof text, "%s\n%s%s%s · %zu places", head, src->label,
                     when[0] ? ", " : "", when, lc->claim->n_places);
        else
            snprintf(text, sizeof text, "%s\n%s%s%s", head, src->label, when[0] ? ", " : "", when);
        bm_text_spec sp = spec_of(st->label_pt, BM_TEXT_BOLD, false, 0);
        if (place_label_near(c, "claim-label", lc->claim->id, text, &sp, cs[i].x, cs[i].y,
                             cs[i].r_outer + 0.8, source_style(c, cs[i].source)->label_rgba,
                             true) != BM_OK) {
            status = c->err->status;
            goto done;
        }
    }
    for (size_t p = 0; p < in->n_places; p++) {
        const bm_located_place *pl = &in->places[p];
        char text[512];
        if (!is_used[p])
            continue;
        const bool is_district = pl->precision != BM_PREC_POINT;
        char area[48] = "";
        if (pl->area_word != NULL)
            snprintf(area, sizeof area, pl->precision >= BM_PREC_PROVINCE ? " (whole %s)" : " %s",
                     pl->area_word);
        if (pl->as_named && pl->as_named[0])
            snprintf(text, sizeof text, "%s%s (%s)", pl->name, area, pl->as_named);
        else
            snprintf(text, sizeof text, "%s%s", pl->name, area);
        bm_text_spec sp = spec_of(st->label_pt, BM_TEXT_REGULAR, is_district, 0);
        if (place_label_near(c, "place-label", pl->name, text, &sp, place_xy[2 * p],
                             place_xy[2 * p + 1], is_district ? 2.0 : 1.2, st->text_rgba,
                             true) != BM_OK) {
            status = c->err->status;
            goto done;
        }
    }
done:
    free(cs);
    free(is_used);
    free(place_xy);
    return status;
}

/* ---- scale bar ---- */

static bm_status add_scale_bar(ctx *c) {
    const bm_frame *fr = bm_view_frame(c->view);
    const double mm_per_km = bm_view_mm_per_metre(c->view) * 1000;
    static const double nice_km[] = {10, 20, 25, 50, 100, 150, 200, 250, 500, 1000};
    double km = nice_km[0];
    for (size_t i = 0; i < sizeof nice_km / sizeof nice_km[0]; i++)
        if (nice_km[i] * mm_per_km <= fr->w_mm / 5)
            km = nice_km[i];
    const double len = km * mm_per_km;
    const uint32_t ink = c->in->style->text_rgba;
    char label[64];
    snprintf(label, sizeof label, "%g km", km);
    bm_text_spec sp = spec_of(c->in->style->note_pt, BM_TEXT_REGULAR, false, 0);
    double w, h;
    bm_text_measure(c->in->text, label, &sp, &w, &h);
    /* The first corner whose box holds no circle or label: bottom left, then the others. */
    const double box_w = len + 1.5 + w + 4, box_h = h + 3;
    const double xs[2] = {fr->x_mm + 3, fr->x_mm + fr->w_mm - 3 - box_w};
    const double ys[2] = {fr->y_mm + fr->h_mm - 3 - box_h, fr->y_mm + 3};
    box where = {0, 0, 0, 0};
    int k = 0;
    for (; k < 4; k++) {
        where = (box){xs[k % 2], ys[k / 2], xs[k % 2] + box_w, ys[k / 2] + box_h};
        if (box_is_free(c, &where, NULL))
            break;
    }
    if (k == 4)
        return BM_OK; /* every corner holds data: the map goes without a scale bar */
    const double x0 = where.x0 + 2, y0 = where.y0 + h / 2 + 1.8;
    bm_mark *bg = add_mark(c, BM_MARK_RECT, "scale-bg", "");
    if (bg == NULL)
        return c->err->status;
    bg->x_mm = x0 - 2;
    bg->y_mm = y0 - h / 2 - 1.8;
    bg->w_mm = box_w;
    bg->h_mm = box_h;
    bg->fill_rgba = (c->in->style->halo_rgba & 0xFFFFFF00u) | 0xB3u;
    if (add_line2(c, "scale-bar", label, x0, y0, x0 + len, y0, ink, 0.5, 0) != BM_OK ||
        add_line2(c, "scale-bar", label, x0, y0 - 1.2, x0, y0 + 0.25, ink, 0.4, 0) != BM_OK ||
        add_line2(c, "scale-bar", label, x0 + len, y0 - 1.2, x0 + len, y0 + 0.25, ink, 0.4, 0) !=
            BM_OK ||
        add_line2(c, "scale-bar", label, x0 + len / 2, y0 - 0.8, x0 + len / 2, y0 + 0.25, ink, 0.3,
                  0) != BM_OK)
        return c->err->status;
    if (add_text(c, "scale-label", "", label, &sp, x0 + len + 1.5, y0 - h / 2 - 0.3, ink, false) ==
        NULL)
        return c->err->status;
    /* bg may have moved: add_line2 and add_text grow the marks array. */
    return add_box(c, where.x0, where.y0, where.x1, where.y1);
}

/* ---- header, panel, footer ---- */

static bm_mark *add_par(ctx *c, const char *role, const char *text, double size_pt,
                        bm_text_weight weight, bool is_italic, double x, double *y, double width,
                        uint32_t rgba, double space_after) {
    bm_text_spec sp = spec_of(size_pt, weight, is_italic, width);
    bm_mark *m = add_text(c, role, "", text, &sp, x, *y, rgba, false);
    if (m != NULL)
        *y += m->h_mm + space_after;
    return m;
}

static void nice_values(double vmax, double out[3]) {
    /* Round values of the form 1, 2, 5 x 10^k: the largest near vmax, then about a quarter
     * and a twentieth of it, so the nested circles span the markers' range. */
    static const double steps[] = {1, 2, 2.5, 5};
    double best = 1;
    for (double p = 1; p <= 1e6; p *= 10)
        for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
            if (steps[i] * p <= vmax * 1.1)
                best = steps[i] * p;
    out[0] = best;
    double lo = best / 4, tiny = best / 20;
    double q = 1, t = 1;
    for (double p = 1; p <= 1e6; p *= 10)
        for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
            if (steps[i] * p <= lo)
                q = steps[i] * p;
            if (steps[i] * p <= tiny)
                t = steps[i] * p;
        }
    out[1] = q;
    out[2] = t < q ? t : q / 2 >= 1 ? q / 2 : q;
}

/* b is an earlier figure that a (directly) replaces: the two are links of one series. */
static bool replaces(const bm_located_claim *a, const bm_located_claim *b) {
    if (a->split_of || b->split_of)
        return false;
    return bm_claim_replaces(a->claim, b->claim, a->incident == b->incident);
}

static bool claim_before(const bm_claim *a, const bm_claim *b) {
    return a->claimed_on && b->claimed_on && strcmp(a->claimed_on, b->claimed_on) < 0;
}

static const char *source_kind_words(const char *kind) {
    if (kind == NULL)
        return "";
    if (strcmp(kind, "military") == 0)
        return "military";
    if (strcmp(kind, "armed_group") == 0)
        return "armed group";
    if (strcmp(kind, "government") == 0)
        return "government";
    if (strcmp(kind, "media") == 0)
        return "media";
    return kind;
}

static bm_status add_panel_sized(ctx *c, double value_max, const bm_style *st,
                                 double *overflow_mm) {
    const bm_layout_input *in = c->in;
    const bm_frame *fr = &c->area;
    const double x = fr->x_mm + fr->w_mm + 4, w = in->page_w_mm - st->margin_mm - x;
    double y = fr->y_mm;
    char text[1024];
    /* What is sized, and that it is claimed. */
    if (in->party >= 0)
        snprintf(text, sizeof text, "Claimed %s: %s only", bm_quantity_name(in->measure),
                 party_words((bm_party)in->party));
    else
        snprintf(text, sizeof text, "Claimed %s", bm_quantity_name(in->measure));
    if (add_par(c, "legend-heading", text, st->legend_pt * 1.25, BM_TEXT_BOLD, false, x, &y, w,
                st->text_rgba, 1.2) == NULL)
        return c->err->status;
    if (add_par(c, "legend-note",
                in->is_allocated_even
                    ? "Each circle is an even share, at one place, of one claim by one party "
                      "(split by balmap on request, as ACLED does; the parties gave no per-place "
                      "figures); its area is proportional to the number. The parties' figures are "
                      "shown side by side and are not independently verified."
                    : "Each circle is one claim by one party; its area is proportional to the "
                      "number claimed. The parties' figures are shown side by side and are not "
                      "independently verified.",
                st->legend_pt, BM_TEXT_REGULAR, false, x, &y, w, st->text_rgba, 2.5) == NULL)
        return c->err->status;
    if (in->as_of != NULL) {
        /* The map is a moment in the story: say which, and what came after. */
        char date[32];
        format_day(in->as_of, date, sizeof date);
        snprintf(text, sizeof text, "As of %s %.4s: each source's latest figure by then.%s", date,
                 in->as_of, "");
        if (in->n_later > 0) {
            const size_t n_used = strlen(text);
            snprintf(text + n_used, sizeof text - n_used, " %zu later claim%s not shown.",
                     in->n_later, in->n_later == 1 ? " is" : "s are");
        }
        if (add_par(c, "as-of", text, st->legend_pt, BM_TEXT_BOLD, false, x, &y, w, st->text_rgba,
                    2.5) == NULL)
            return c->err->status;
    }
    /* Sources. */
    for (size_t i = 0; i < bm_incidents_n_sources(in->incidents); i++) {
        const bm_source *src = bm_incidents_source(in->incidents, i);
        bm_mark *sw = add_mark(c, BM_MARK_CIRCLE, "legend-source", src->id);
        if (sw == NULL)
            return c->err->status;
        uint32_t fill = source_color(c, i);
        set_rgba_alpha(&fill, st->marker_fill_opacity);
        sw->x_mm = x + 2.2;
        sw->r_mm = 2.0;
        sw->fill_rgba = fill;
        sw->stroke_rgba = source_style(c, i)->outline_rgba;
        sw->stroke_mm = st->marker_stroke_mm;
        set_pattern(c, sw, i);
        snprintf(text, sizeof text, "%s%s%s%s", src->label, src->name ? " — " : "",
                 src->name ? src->name : "", "");
        double y_text = y;
        bm_mark *t = add_par(c, "legend-source-label", text, st->legend_pt, BM_TEXT_REGULAR, false,
                             x + 6, &y_text, w - 6, st->text_rgba, 0);
        if (t == NULL)
            return c->err->status;
        sw = &c->s->marks[c->s->n_marks - 2]; /* add_par may have moved the array */
        sw->y_mm = y + fmin(t->h_mm, 2.2 * st->legend_pt * PT_MM * 1.2) / 2;
        const char *kind = source_kind_words(src->kind);
        if (kind[0]) {
            bm_text_spec sp = spec_of(st->legend_pt * 0.9, BM_TEXT_REGULAR, true, w - 6);
            bm_mark *k = add_text(c, "legend-source-kind", src->id, kind, &sp, x + 6, y_text,
                                  st->muted_text_rgba, false);
            if (k == NULL)
                return c->err->status;
            y_text += k->h_mm;
        }
        y = y_text + 1.6;
    }
    y += 1.5;
    /* Nested circles at round values, drawn exactly as the markers are sized. */
    if (value_max > 0) {
        double vals[3];
        nice_values(value_max, vals);
        const double r0 =
            bm_layout_radius_mm(vals[0], value_max, c->radius_max_mm, st->marker_min_radius_mm);
        const double cx = x + r0 + 1, base = y + 2 * r0;
        double label_bottom = -HUGE_VAL; /* labels never overlap when the circles are small */
        for (int i = 0; i < 3; i++) {
            if (i > 0 && vals[i] >= vals[i - 1])
                continue;
            const double r =
                bm_layout_radius_mm(vals[i], value_max, c->radius_max_mm, st->marker_min_radius_mm);
            char v[32];
            snprintf(v, sizeof v, "%g", vals[i]);
            bm_mark *m = add_mark(c, BM_MARK_CIRCLE, "legend-size", v);
            if (m == NULL)
                return c->err->status;
            m->x_mm = cx;
            m->y_mm = base - r;
            m->r_mm = r;
            m->stroke_rgba = st->text_rgba;
            m->stroke_mm = 0.25;
            m->value = vals[i];
            bm_text_spec sp = spec_of(st->legend_pt * 0.95, BM_TEXT_REGULAR, false, 0);
            double tw, th;
            bm_text_measure(in->text, v, &sp, &tw, &th);
            const double label_y = fmax(base - 2 * r - th / 2, label_bottom);
            label_bottom = label_y + th;
            if (add_line2(c, "legend-size-tick", v, cx, base - 2 * r, cx + r0 + 3, label_y + th / 2,
                          st->muted_text_rgba, 0.15, 0) != BM_OK)
                return c->err->status;
            if (add_text(c, "legend-size-label", v, v, &sp, cx + r0 + 3.5, label_y, st->text_rgba,
                         false) == NULL)
                return c->err->status;
        }
        y = fmax(base, label_bottom) + 2.5;
    }
    /* Symbols. */
    struct {
        const char *role;
        const char *text;
    } keys[] = {
        {"key-leader", in->is_allocated_even
                           ? "Lines join a share to its place where the circle had to move."
                           : "Lines join a claim to each place it names; the figure is for all "
                             "of them together and is not divided among them."},
        {"key-upper", "Dashed ring: \"at least\" or the upper end of a range."},
        {"key-place", "Town (GeoNames point)"},
        {"key-district", "District (representative point)"},
    };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const double sym_y = y + st->legend_pt * PT_MM * 0.7;
        bm_status s2 = BM_OK;
        if (k == 0) {
            s2 = add_line2(c, keys[k].role, "", x, sym_y, x + 4.5, sym_y, source_color(c, 0),
                           st->leader_mm * 1.5, 0);
        } else {
            bm_mark *m = add_mark(c, BM_MARK_CIRCLE, keys[k].role, "");
            if (m == NULL)
                return c->err->status;
            m->x_mm = x + 2.2;
            m->y_mm = sym_y;
            if (k == 1) {
                m->r_mm = 1.9;
                m->stroke_rgba = st->text_rgba;
                m->stroke_mm = 0.35;
                m->dash_mm = 0.8;
            } else if (k == 2) {
                m->r_mm = st->place_radius_mm;
                m->fill_rgba = st->place_rgba;
            } else {
                m->r_mm = 1.6;
                m->stroke_rgba = st->place_rgba;
                m->stroke_mm = 0.3;
                m->dash_mm = 0.5;
            }
        }
        if (s2 != BM_OK ||
            add_par(c, "legend-key", keys[k].text, st->legend_pt * 0.95, BM_TEXT_REGULAR, false,
                    x + 6, &y, w - 6, st->text_rgba, 1.2) == NULL)
            return c->err->status;
    }
    y += 1.5;
    /* Figures a source revised: the series, oldest first, ending with the one drawn. */
    bm_buf changes = BM_BUF_INIT(1 << 20);
    bool *is_listed = calloc(in->n_claims + 1, sizeof *is_listed);
    size_t *series = NULL, n_series = 0, n_series_alloc = 0;
    if (is_listed == NULL)
        return bm_error_set(c->err, BM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < in->n_claims; i++) {
        if (!in->claims[i].is_drawn)
            continue;
        /* The drawn claim and every figure it replaces, directly or through others. */
        n_series = 0;
        if (bm_grow((void **)&series, &n_series_alloc, 1, sizeof *series) != BM_OK) {
            free(is_listed);
            free(series);
            return bm_error_set(c->err, BM_ERR_NOMEM, "out of memory");
        }
        series[n_series++] = i;
        for (size_t a = 0; a < n_series; a++)
            for (size_t k = 0; k < in->n_claims; k++) {
                if (in->claims[k].is_drawn || is_listed[k] ||
                    !replaces(&in->claims[series[a]], &in->claims[k]))
                    continue;
                bool is_in = false;
                for (size_t b = 0; b < n_series; b++)
                    is_in |= series[b] == k;
                if (is_in)
                    continue;
                if (bm_grow((void **)&series, &n_series_alloc, n_series + 1, sizeof *series) !=
                    BM_OK) {
                    free(is_listed);
                    free(series);
                    return bm_error_set(c->err, BM_ERR_NOMEM, "out of memory");
                }
                series[n_series++] = k;
            }
        if (n_series < 2)
            continue;
        /* Oldest first. The series was found walking back from the latest figure, so on the
         * same day the one found later is the older: reverse first, then sort stably by day. */
        for (size_t a = 0; a < n_series / 2; a++) {
            const size_t t = series[a];
            series[a] = series[n_series - 1 - a];
            series[n_series - 1 - a] = t;
        }
        for (size_t a = 1; a < n_series; a++)
            for (size_t b = a; b > 0 && claim_before(in->claims[series[b]].claim,
                                                     in->claims[series[b - 1]].claim);
                 b--) {
                const size_t t = series[b];
                series[b] = series[b - 1];
                series[b - 1] = t;
            }
        const bm_claim *d = in->claims[i].claim;
        bm_buf_printf(&changes, "%s• %s, %s %s: ", changes.len ? "\n" : "",
                      bm_incidents_source(in->incidents, d->source)->label, party_words(d->who),
                      bm_quantity_name(d->what));
        for (size_t a = 0; a < n_series; a++) {
            const bm_claim *cl = in->claims[series[a]].claim;
            char v[96], when[32] = "";
            bm_value_format(&cl->value, v, sizeof v);
            if (cl->claimed_on)
                format_day(cl->claimed_on, when, sizeof when);
            /* A series the file links across sources ("revises") names each other source. */
            const char *other = cl->source != d->source
                                    ? bm_incidents_source(in->incidents, cl->source)->label
                                    : NULL;
            bm_buf_printf(&changes, "%s%s (%s%s%s)", a ? " → " : "", v, other ? other : "",
                          other && when[0] ? ", " : "", when);
            is_listed[series[a]] = true;
        }
    }
    /* Claims the map does not size: listed, never dropped. */
    bm_buf also = BM_BUF_INIT(1 << 20);
    for (size_t i = 0; i < in->n_claims; i++) {
        const bm_claim *cl = in->claims[i].claim;
        if (in->claims[i].is_drawn || is_listed[i])
            continue;
        const bm_source *src = bm_incidents_source(in->incidents, cl->source);
        char head[1024], when[32] = "";
        if (cl->value.kind == BM_VALUE_NONE)
            snprintf(head, sizeof head, "%s", cl->quote ? cl->quote : "statement without figures");
        else
            claim_headline(cl, head, sizeof head);
        if (cl->claimed_on)
            format_day(cl->claimed_on, when, sizeof when);
        bool is_split = false;
        for (size_t k = 0; k < in->n_claims; k++)
            is_split |= in->claims[k].split_of == cl;
        bm_buf_printf(&also, "%s• %s: %s%s%s%s%s%s", also.len ? "\n" : "", src->label, head,
                      cl->is_cumulative ? " (a running total that includes figures above)" : "",
                      when[0] ? " (" : "", when, when[0] ? ")" : "",
                      is_split ? "; split evenly among its places on the map at the map "
                                 "maker's request (--allocate even): the source gave no "
                                 "per-place figures"
                               : "");
    }
    free(is_listed);
    free(series);
    /* A list cut short would drop claims without a word. */
    bm_status st2 = changes.len + 4096 > changes.cap || also.len + 4096 > also.cap
                        ? bm_error_set(c->err, BM_ERR_NOMEM, "too many claims to list")
                        : BM_OK;
    if (changes.len > 0 && (add_par(c, "legend-heading", "How the figures changed", st->legend_pt,
                                    BM_TEXT_BOLD, false, x, &y, w, st->text_rgba, 0.8) == NULL ||
                            add_par(c, "changes", bm_buf_str(&changes), st->note_pt,
                                    BM_TEXT_REGULAR, false, x, &y, w, st->text_rgba, 2.5) == NULL))
        st2 = c->err->status;
    if (st2 == BM_OK && also.len > 0 &&
        (add_par(c, "legend-heading", "Also claimed, not sized on the map", st->legend_pt,
                 BM_TEXT_BOLD, false, x, &y, w, st->text_rgba, 0.8) == NULL ||
         add_par(c, "also-claimed", bm_buf_str(&also), st->note_pt, BM_TEXT_REGULAR, false, x, &y,
                 w, st->text_rgba, 2.5) == NULL))
        st2 = c->err->status;
    bm_buf_free(&changes);
    bm_buf_free(&also);
    if (st2 != BM_OK)
        return st2;
    /* Labels that found no room on the map, under the numbers that stand in for them. */
    if (c->callouts.len > 0 &&
        (add_par(c, "legend-heading", "Numbered on the map for lack of room", st->legend_pt,
                 BM_TEXT_BOLD, false, x, &y, w, st->text_rgba, 0.8) == NULL ||
         add_par(c, "callouts", bm_buf_str(&c->callouts), st->note_pt, BM_TEXT_REGULAR, false, x,
                 &y, w, st->text_rgba, 2.5) == NULL))
        return c->err->status;
    /* How vague words were read, whenever one is on the map or in the lists. */
    bool has_vague = false;
    for (size_t i = 0; i < in->n_claims; i++)
        has_vague |= in->claims[i].claim->value.is_vague_word;
    if (has_vague &&
        add_par(c, "note",
                "Vague words are read as lower bounds, after the ACLED codebook: several = 3, "
                "many = 10, dozens = 12, hundreds = 100.",
                st->note_pt, BM_TEXT_REGULAR, true, x, &y, w, st->muted_text_rgba, 1.2) == NULL)
        return c->err->status;
    /* The file's notes. */
    for (size_t i = 0; i < bm_incidents_n_notes(in->incidents); i++)
        if (add_par(c, "note", bm_incidents_note(in->incidents, i), st->note_pt, BM_TEXT_REGULAR,
                    true, x, &y, w, st->muted_text_rgba, 1.2) == NULL)
            return c->err->status;
    /* The panel may run down to the attribution, 1.5 mm above it. */
    *overflow_mm = y - (c->footer_top_mm - 1.5);
    return add_box(c, x, fr->y_mm, x + w, y);
}

/* The panel must end where the map frame ends, above the attribution: when the notes are
 * long, its text is set smaller, down to 60% of the style's sizes, before giving up with a
 * warning. */
static bm_status add_panel(ctx *c, double value_max) {
    static const double scales[] = {1.0, 0.92, 0.85, 0.78, 0.72, 0.66, 0.6};
    const size_t n_marks = c->s->n_marks, n_boxes = c->obs.n;
    double overflow_mm = 0;
    for (size_t k = 0; k < sizeof scales / sizeof scales[0]; k++) {
        bm_style st = *c->in->style;
        st.legend_pt *= scales[k];
        st.note_pt *= scales[k];
        c->s->n_marks = n_marks;
        c->obs.n = n_boxes;
        if (add_panel_sized(c, value_max, &st, &overflow_mm) != BM_OK)
            return c->err->status;
        if (overflow_mm <= 0)
            return BM_OK;
    }
    /* Claims listed past the page's edge would be dropped in all but name: refused. */
    bm_error_set(c->err, BM_ERR_INVALID,
                 "the legend, the claims it lists and the notes run %.1f mm past the bottom of "
                 "the map",
                 overflow_mm);
    bm_error_hint(c->err, "make the page larger in mm: a taller --height, or a lower --dpi for "
                          "the same pixels (--width 1200 --height 900 --dpi 112 is a 1600 x "
                          "1200 map at three-quarter size); or draw fewer claims (--as-of, "
                          "--party, --measure)");
    return c->err->status;
}

static bm_status add_header_footer(ctx *c) {
    const bm_layout_input *in = c->in;
    const bm_style *st = in->style;
    const double x = st->margin_mm, w = in->page_w_mm - 2 * st->margin_mm;
    double y = st->margin_mm - 1;
    const char *title = in->title ? in->title : bm_incidents_title(in->incidents);
    if (add_par(c, "title", title, st->title_pt, BM_TEXT_BOLD, false, x, &y, w, st->text_rgba,
                0.6) == NULL)
        return c->err->status;
    const char *sub = bm_incidents_subtitle(in->incidents);
    if (sub && add_par(c, "subtitle", sub, st->subtitle_pt, BM_TEXT_REGULAR, false, x, &y, w,
                       st->muted_text_rgba, 0) == NULL)
        return c->err->status;
    /* Footer: the attribution, always. */
    /* bm_layout_frame leaves two lines for it: a longer one is set smaller to fit. */
    bm_text_spec sp = spec_of(st->attribution_pt, BM_TEXT_REGULAR, false, w);
    const double room_mm = st->attribution_pt * PT_MM * 1.3 * 2 + 0.5;
    double aw, ah;
    bm_text_measure(in->text, in->attribution, &sp, &aw, &ah);
    for (int k = 0; k < 4 && ah > room_mm; k++) {
        sp.size_pt *= 0.9;
        bm_text_measure(in->text, in->attribution, &sp, &aw, &ah);
    }
    c->footer_top_mm = in->page_h_mm - st->margin_mm - ah;
    if (add_text(c, "attribution", "", in->attribution, &sp, x, c->footer_top_mm,
                 st->muted_text_rgba, false) == NULL)
        return c->err->status;
    return BM_OK;
}

static bm_status describe(ctx *c) {
    bm_buf d = BM_BUF_INIT(1 << 16);
    const bm_layout_input *in = c->in;
    bm_buf_printf(&d, "Map of claims (not independently verified):");
    for (size_t i = 0; i < in->n_claims; i++) {
        const bm_claim *cl = in->claims[i].claim;
        if (!in->claims[i].is_drawn)
            continue;
        char head[1024];
        claim_headline(cl, head, sizeof head);
        bm_buf_printf(&d, " %s: %s;", bm_incidents_source(in->incidents, cl->source)->label, head);
    }
    c->s->description = keep(c, bm_buf_str(&d));
    bm_buf_free(&d);
    return c->s->description ? BM_OK : bm_error_set(c->err, BM_ERR_NOMEM, "out of memory");
}

/* Pakistan and its neighbours, for the locator inset. */
static const bm_extent inset_extent = {60.0, 23.3, 78.2, 37.2};

/* A locator map of Pakistan in a corner of the frame that holds no marks, with the main map's
 * extent outlined. Left out when every corner is taken: it must never cover data. */
static bm_status add_inset(ctx *c) {
    const bm_frame *fr = bm_view_frame(c->view);
    const double w = fmin(fr->w_mm * 0.27, 52), h = w * 0.85, pad = 2.5;
    const double corners[4][2] = {{fr->x_mm + fr->w_mm - w - pad, fr->y_mm + pad},
                                  {fr->x_mm + pad, fr->y_mm + pad},
                                  {fr->x_mm + fr->w_mm - w - pad, fr->y_mm + fr->h_mm - h - pad},
                                  {fr->x_mm + pad, fr->y_mm + fr->h_mm - h - pad}};
    size_t k = 0;
    for (; k < 4; k++) {
        const box b = {corners[k][0] - 1, corners[k][1] - 1, corners[k][0] + w + 1,
                       corners[k][1] + h + 1};
        if (box_is_free(c, &b, NULL))
            break;
    }
    if (k == 4)
        return BM_OK;
    const bm_frame inset_frame = {corners[k][0], corners[k][1], w, h};
    bm_error ignored = {0};
    bm_view *iv = bm_view_new(BM_VIEW_DEFAULT_PROJ, &inset_extent, &inset_frame, &ignored);
    if (iv == NULL)
        return BM_OK; /* a locator is a nicety: the map stands without it */
    const bm_view *main_view = c->view;
    c->view = iv;
    c->stroke_scale = 0.5;
    bm_status st = add_basemap(c);
    c->view = main_view;
    c->stroke_scale = 1;
    /* The main map's frame, which is a rectangle in the inset too: same projection. */
    double mx0, my0, ix0, iy0;
    bm_view_origin_m(main_view, &mx0, &my0);
    bm_view_origin_m(iv, &ix0, &iy0);
    const double k_main = bm_view_mm_per_metre(main_view), k_inset = bm_view_mm_per_metre(iv);
    bm_view_free(iv);
    if (st != BM_OK)
        return st;
    bm_mark *r = add_mark(c, BM_MARK_RECT, "inset-extent", "");
    bm_mark *f = r ? add_mark(c, BM_MARK_RECT, "inset-frame", "") : NULL;
    if (f == NULL)
        return c->err->status;
    r = f - 1;
    r->x_mm = inset_frame.x_mm + (mx0 - ix0) * k_inset;
    r->y_mm = inset_frame.y_mm + (iy0 - my0) * k_inset;
    r->w_mm = fr->w_mm / k_main * k_inset;
    r->h_mm = fr->h_mm / k_main * k_inset;
    r->stroke_rgba = c->in->style->inset_extent_rgba;
    r->stroke_mm = 0.4;
    r->is_clipped = true;
    r->clip = inset_frame;
    f->x_mm = inset_frame.x_mm;
    f->y_mm = inset_frame.y_mm;
    f->w_mm = inset_frame.w_mm;
    f->h_mm = inset_frame.h_mm;
    f->stroke_rgba = c->in->style->frame_rgba;
    f->stroke_mm = 0.3;
    return add_box(c, inset_frame.x_mm - 1, inset_frame.y_mm - 1, inset_frame.x_mm + w + 1,
                   inset_frame.y_mm + h + 1);
}

static bm_status add_map_panel(ctx *c, size_t index) {
    const bm_panel *p = &c->in->panels[index];
    c->panel = p;
    c->view = p->view;
    const bm_frame *fr = bm_view_frame(p->view);
    if (add_basemap(c) != BM_OK || add_claims(c) != BM_OK || add_region_labels(c) != BM_OK)
        return c->err->status;
    bm_mark *frame = add_mark(c, BM_MARK_RECT, "frame", p->title ? p->title : "");
    if (frame == NULL)
        return c->err->status;
    frame->x_mm = fr->x_mm;
    frame->y_mm = fr->y_mm;
    frame->w_mm = fr->w_mm;
    frame->h_mm = fr->h_mm;
    frame->stroke_rgba = c->in->style->frame_rgba;
    frame->stroke_mm = 0.3;
    if (p->title != NULL) {
        const bm_style *st = c->in->style;
        bm_text_spec sp = spec_of(st->legend_pt * 1.15, BM_TEXT_BOLD, false, fr->w_mm);
        double w, h;
        bm_text_measure(c->in->text, p->title, &sp, &w, &h);
        const uint32_t rgba =
            p->source >= 0 ? source_style(c, (size_t)p->source)->label_rgba : st->text_rgba;
        if (add_text(c, "panel-title", p->title, p->title, &sp, fr->x_mm, fr->y_mm - h - 0.6, rgba,
                     false) == NULL)
            return c->err->status;
    }
    return BM_OK;
}

void bm_layout_panel_frames(const bm_style *st, double page_w_mm, double page_h_mm, size_t n,
                            double extent_aspect, bm_frame *out) {
    bm_frame area;
    bm_layout_frame(st, page_w_mm, page_h_mm, &area);
    if (n <= 1) {
        out[0] = area;
        return;
    }
    const double gap_mm = 4, title_mm = st->legend_pt * 1.15 * PT_MM * 1.4 + 1;
    size_t best_cols = 1;
    double best_scale = 0;
    /* The grid that gives each panel's extent the largest scale. */
    for (size_t cols = 1; cols <= n; cols++) {
        const size_t rows = (n + cols - 1) / cols;
        const double w = (area.w_mm - (double)(cols - 1) * gap_mm) / (double)cols;
        const double h =
            (area.h_mm - (double)rows * title_mm - (double)(rows - 1) * gap_mm) / (double)rows;
        const double scale = fmin(w / extent_aspect, h);
        if (scale > best_scale) {
            best_scale = scale;
            best_cols = cols;
        }
    }
    const size_t rows = (n + best_cols - 1) / best_cols;
    const double w = (area.w_mm - (double)(best_cols - 1) * gap_mm) / (double)best_cols;
    const double h =
        (area.h_mm - (double)rows * title_mm - (double)(rows - 1) * gap_mm) / (double)rows;
    for (size_t i = 0; i < n; i++) {
        const size_t r = i / best_cols, col = i % best_cols;
        out[i].x_mm = area.x_mm + (double)col * (w + gap_mm);
        out[i].y_mm = area.y_mm + title_mm + (double)r * (h + gap_mm + title_mm);
        out[i].w_mm = w;
        out[i].h_mm = h;
    }
}

static bm_scene *build(const bm_layout_input *in, bool use_callouts, size_t *n_callouts,
                       bm_error *err) {
    ctx c = {0};
    c.in = in;
    c.err = err;
    c.unplaced = (bm_buf)BM_BUF_INIT(1 << 16);
    c.callouts = (bm_buf)BM_BUF_INIT(1 << 16);
    c.use_callouts = use_callouts;
    assert(in->n_panels > 0);
    c.s = calloc(1, sizeof *c.s);
    if (c.s == NULL || (c.s->arena = bm_arena_new()) == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        goto fail;
    }
    bm_layout_frame(in->style, in->page_w_mm, in->page_h_mm, &c.area);
    c.value_max = drawn_value_max(in);
    c.stroke_scale = 1;
    /* Small multiples shrink the circles with the panels (by the square root of the panel's
     * share of the map area, so the largest stays readable), one scale for all panels. */
    const bm_frame *p0 = bm_view_frame(in->panels[0].view);
    c.radius_max_mm = in->style->marker_max_radius_mm *
                      fmin(1, fmax(0.45, sqrt(p0->w_mm * p0->h_mm / (c.area.w_mm * c.area.h_mm))));
    c.s->w_mm = in->page_w_mm;
    c.s->h_mm = in->page_h_mm;
    c.s->frame = *bm_view_frame(in->panels[0].view);
    bm_view_origin_m(in->panels[0].view, &c.s->x0_m, &c.s->y0_m);
    c.s->mm_per_metre = bm_view_mm_per_metre(in->panels[0].view);
    c.s->title = keep(&c, in->title ? in->title : bm_incidents_title(in->incidents));
    bm_mark *bg = add_mark(&c, BM_MARK_RECT, "background", "");
    if (bg == NULL)
        goto fail;
    bg->w_mm = in->page_w_mm;
    bg->h_mm = in->page_h_mm;
    bg->fill_rgba = in->style->background_rgba;
    if (assign_palette(&c) != BM_OK)
        goto fail;
    for (size_t i = 0; i < in->n_panels; i++)
        if (add_map_panel(&c, i) != BM_OK)
            goto fail;
    const double value_max = c.value_max;
    if (add_header_footer(&c) != BM_OK || add_panel(&c, value_max) != BM_OK ||
        describe(&c) != BM_OK)
        goto fail;
    if (c.unplaced.len > 0 && in->warn) {
        bm_error warning = {0};
        bm_error_set(&warning, BM_ERR_INVALID, "labels overlap other marks: %s",
                     bm_buf_str(&c.unplaced));
        bm_error_hint(&warning, "make the map larger (--width, --height) or zoom in (--extent)");
        in->warn(in->warn_user, &warning);
    }
    if (c.n_callouts > 0 && in->warn) {
        bm_error note = {0};
        bm_error_set(&note, BM_ERR_INVALID,
                     "%zu label%s found no room on the map: numbered there and listed in the "
                     "legend",
                     c.n_callouts, c.n_callouts == 1 ? "" : "s");
        bm_error_hint(&note, "make the map larger (--width, --height) or zoom in (--extent) to "
                             "label them in place");
        in->warn(in->warn_user, &note);
    }
    *n_callouts = c.n_callouts;
    free(c.obs.boxes);
    free(c.obs.circles);
    free(c.palette);
    bm_buf_free(&c.unplaced);
    bm_buf_free(&c.callouts);
    return c.s;
fail:
    *n_callouts = c.n_callouts;
    free(c.obs.boxes);
    free(c.obs.circles);
    free(c.palette);
    bm_buf_free(&c.unplaced);
    bm_buf_free(&c.callouts);
    bm_scene_free(c.s);
    return NULL;
}

bm_scene *bm_layout_build(const bm_layout_input *in, bm_error *err) {
    size_t n_callouts = 0;
    bm_scene *s = build(in, true, &n_callouts, err);
    /* Numbered labels lengthen the legend: when that is what made it overflow, lay out again
     * with every label in place, overlapping, as the warning then says. */
    if (s == NULL && n_callouts > 0 && err->status == BM_ERR_INVALID) {
        bm_error retry = {0};
        s = build(in, false, &n_callouts, &retry);
        if (s != NULL)
            *err = (bm_error){0};
        else
            *err = retry;
    }
    return s;
}

void bm_scene_free(bm_scene *s) {
    if (s == NULL)
        return;
    free(s->marks);
    bm_arena_free(s->arena);
    free(s);
}

double bm_scene_width_mm(const bm_scene *s) {
    return s->w_mm;
}
double bm_scene_height_mm(const bm_scene *s) {
    return s->h_mm;
}
size_t bm_scene_n_marks(const bm_scene *s) {
    return s->n_marks;
}
const bm_mark *bm_scene_mark(const bm_scene *s, size_t i) {
    return i < s->n_marks ? &s->marks[i] : NULL;
}
const char *bm_scene_title(const bm_scene *s) {
    return s->title;
}
const char *bm_scene_description(const bm_scene *s) {
    return s->description ? s->description : "";
}

/* Text in the dump: one line, quotes and backslashes escaped. */
static void dump_text(bm_buf *out, const char *t) {
    bm_buf_append(out, "\"", 1);
    for (; *t; t++) {
        if (*t == '\n')
            bm_buf_appends(out, "\\n");
        else if (*t == '"' || *t == '\\')
            bm_buf_printf(out, "\\%c", *t);
        else
            bm_buf_append(out, t, 1);
    }
    bm_buf_append(out, "\"", 1);
}

bm_status bm_scene_dump(const bm_scene *s, bm_buf *out) {
    static const char *const kinds[] = {"area", "line", "circle", "rect", "text"};
    bm_buf_printf(out, "page %.2f %.2f\n", s->w_mm, s->h_mm);
    bm_buf_printf(out, "frame %.2f %.2f %.2f %.2f\n", s->frame.x_mm, s->frame.y_mm, s->frame.w_mm,
                  s->frame.h_mm);
    /* Enough digits that page positions can be recomputed from cs2cs to 0.01 mm. */
    bm_buf_printf(out, "view x0_m=%.3f y0_m=%.3f mm_per_m=%.9e\n", s->x0_m, s->y0_m,
                  s->mm_per_metre);
    for (size_t i = 0; i < s->n_marks; i++) {
        const bm_mark *m = &s->marks[i];
        bm_buf_printf(out, "%s %s", kinds[m->kind], m->role);
        if (m->ref[0]) {
            bm_buf_appends(out, " ref=");
            dump_text(out, m->ref);
        }
        switch (m->kind) {
        case BM_MARK_AREA:
        case BM_MARK_LINE:
            if (m->n_points == 2)
                bm_buf_printf(out, " from=%.2f,%.2f to=%.2f,%.2f", m->xy_mm[0], m->xy_mm[1],
                              m->xy_mm[2], m->xy_mm[3]);
            else
                bm_buf_printf(out, " rings=%zu points=%zu", m->n_rings, m->n_points);
            break;
        case BM_MARK_CIRCLE:
            bm_buf_printf(out, " x=%.2f y=%.2f r=%.2f", m->x_mm, m->y_mm, m->r_mm);
            if (m->value != 0)
                bm_buf_printf(out, " value=%g", m->value);
            break;
        case BM_MARK_RECT:
            bm_buf_printf(out, " x=%.2f y=%.2f w=%.2f h=%.2f", m->x_mm, m->y_mm, m->w_mm, m->h_mm);
            break;
        case BM_MARK_TEXT:
            bm_buf_printf(out, " x=%.2f y=%.2f w=%.2f h=%.2f size=%.1f ", m->x_mm, m->y_mm, m->w_mm,
                          m->h_mm, m->spec.size_pt);
            dump_text(out, m->text);
            break;
        }
        bm_buf_printf(out, " fill=#%08x stroke=#%08x\n", m->fill_rgba, m->stroke_rgba);
    }
    /* bm_buf refuses an append that would pass its cap: a full buffer means a cut dump. */
    return out->len + 4096 < out->cap ? BM_OK : BM_ERR_NOMEM;
}
