/* SPDX-License-Identifier: MIT */
#include "carto/canvas.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

void bm_canvas_init(bm_canvas *cv, bm_scene *scene, bm_measure_fn measure, void *measure_user,
                    uint32_t halo_rgba, bm_error *err) {
    memset(cv, 0, sizeof *cv);
    cv->scene = scene;
    cv->measure = measure;
    cv->measure_user = measure_user;
    cv->halo_rgba = halo_rgba;
    cv->err = err;
}

void bm_canvas_release(bm_canvas *cv) {
    free(cv->boxes);
    free(cv->circles);
    free(cv->segments);
    cv->boxes = NULL;
    cv->circles = NULL;
    cv->segments = NULL;
    cv->n_boxes = cv->n_boxes_alloc = cv->n_circles = cv->n_circles_alloc = 0;
    cv->n_segments = cv->n_segments_alloc = 0;
}

void bm_canvas_measure(const bm_canvas *cv, const char *text, const bm_text_spec *spec,
                       double *w_mm, double *h_mm) {
    if (spec->size_pt < cv->min_pt) {
        bm_text_spec held = *spec;
        held.size_pt = cv->min_pt;
        cv->measure(cv->measure_user, text, &held, w_mm, h_mm);
        return;
    }
    cv->measure(cv->measure_user, text, spec, w_mm, h_mm);
}

bm_status bm_canvas_add(bm_canvas *cv, const bm_mark *m, size_t *index) {
    if (bm_scene_add(cv->scene, m, index) != BM_OK)
        return bm_error_set(cv->err, BM_ERR_NOMEM, "out of memory");
    return BM_OK;
}

bm_status bm_canvas_text(bm_canvas *cv, const char *role, const char *ref, const char *text,
                         const bm_text_spec *spec, double x_mm, double y_mm, uint32_t rgba,
                         bool has_halo, double *h_mm) {
    bm_mark m = bm_mark_of(BM_MARK_TEXT, role, ref);
    char *kept = bm_arena_strdup(bm_scene_arena(cv->scene), text);
    if (kept == NULL)
        return bm_error_set(cv->err, BM_ERR_NOMEM, "out of memory");
    bm_utf8_trim_partial(kept); /* a fixed buffer may cut a sequence: Pango rejects it */
    m.text = kept;
    m.spec = *spec;
    m.spec.size_pt = fmax(spec->size_pt, cv->min_pt);
    if (cv->is_rtl && spec->wrap_width_mm > 0) {
        static const char *const pars[] = {"legend-heading", "legend-note", "note",
                                           "also-claimed",   "changes",     "callouts",
                                           "unlabelled",     "as-of"};
        for (size_t k = 0; k < sizeof pars / sizeof *pars; k++)
            m.spec.is_end_aligned |= strcmp(role, pars[k]) == 0;
    }
    bm_canvas_measure(cv, text, &m.spec, &m.w_mm, &m.h_mm);
    m.x_mm = x_mm;
    m.y_mm = y_mm;
    m.fill_rgba = rgba;
    if (has_halo) {
        m.halo_rgba = cv->halo_rgba;
        m.halo_mm = 0.9;
    }
    if (h_mm != NULL)
        *h_mm = m.h_mm;
    return bm_canvas_add(cv, &m, NULL);
}

bm_status bm_canvas_line(bm_canvas *cv, const char *role, const char *ref, double x0, double y0,
                         double x1, double y1, uint32_t rgba, double width_mm, double dash_mm) {
    bm_arena *arena = bm_scene_arena(cv->scene);
    double *xy = bm_arena_alloc(arena, 4 * sizeof(double));
    size_t *starts = bm_arena_alloc(arena, 2 * sizeof(size_t));
    if (xy == NULL || starts == NULL)
        return bm_error_set(cv->err, BM_ERR_NOMEM, "out of memory");
    xy[0] = x0;
    xy[1] = y0;
    xy[2] = x1;
    xy[3] = y1;
    starts[0] = 0;
    starts[1] = 2;
    bm_mark m = bm_mark_of(BM_MARK_LINE, role, ref);
    m.xy_mm = xy;
    m.n_points = 2;
    m.ring_starts = starts;
    m.n_rings = 1;
    m.stroke_rgba = rgba;
    m.stroke_mm = width_mm;
    m.dash_mm = dash_mm;
    return bm_canvas_add(cv, &m, NULL);
}

bm_status bm_canvas_keep_clear(bm_canvas *cv, double x0, double y0, double x1, double y1) {
    if (bm_grow((void **)&cv->boxes, &cv->n_boxes_alloc, cv->n_boxes + 1, sizeof(bm_box)) != BM_OK)
        return bm_error_set(cv->err, BM_ERR_NOMEM, "out of memory");
    cv->boxes[cv->n_boxes++] = (bm_box){x0, y0, x1, y1};
    return BM_OK;
}

bm_status bm_canvas_keep_clear_circle(bm_canvas *cv, double x, double y, double r) {
    if (bm_grow((void **)&cv->circles, &cv->n_circles_alloc, 3 * (cv->n_circles + 1),
                sizeof(double)) != BM_OK)
        return bm_error_set(cv->err, BM_ERR_NOMEM, "out of memory");
    cv->circles[3 * cv->n_circles] = x;
    cv->circles[3 * cv->n_circles + 1] = y;
    cv->circles[3 * cv->n_circles + 2] = r;
    cv->n_circles++;
    return BM_OK;
}

bm_status bm_canvas_keep_clear_segment(bm_canvas *cv, double x0, double y0, double x1, double y1) {
    if (bm_grow((void **)&cv->segments, &cv->n_segments_alloc, 4 * (cv->n_segments + 1),
                sizeof(double)) != BM_OK)
        return bm_error_set(cv->err, BM_ERR_NOMEM, "out of memory");
    double *q = &cv->segments[4 * cv->n_segments++];
    q[0] = x0;
    q[1] = y0;
    q[2] = x1;
    q[3] = y1;
    return BM_OK;
}

/* The segment meets the box (Liang-Barsky clipping of the segment to the box). */
static bool box_hits_segment(const bm_box *b, const double *q) {
    const double dx = q[2] - q[0], dy = q[3] - q[1];
    const double p[4] = {-dx, dx, -dy, dy};
    const double r[4] = {q[0] - b->x0, b->x1 - q[0], q[1] - b->y0, b->y1 - q[1]};
    double t0 = 0, t1 = 1;
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (r[i] < 0)
                return false;
        } else {
            const double t = r[i] / p[i];
            if (p[i] < 0)
                t0 = fmax(t0, t);
            else
                t1 = fmin(t1, t);
        }
    }
    return t0 < t1;
}

static bool box_hits_circle(const bm_box *b, double cx, double cy, double r) {
    const double nx = fmax(b->x0, fmin(cx, b->x1)), ny = fmax(b->y0, fmin(cy, b->y1));
    return (nx - cx) * (nx - cx) + (ny - cy) * (ny - cy) < r * r;
}

bool bm_canvas_is_free(const bm_canvas *cv, const bm_box *b, const bm_box *inside) {
    if (inside &&
        (b->x0 < inside->x0 || b->y0 < inside->y0 || b->x1 > inside->x1 || b->y1 > inside->y1))
        return false;
    for (size_t i = 0; i < cv->n_boxes; i++) {
        const bm_box *o = &cv->boxes[i];
        if (b->x0 < o->x1 && b->x1 > o->x0 && b->y0 < o->y1 && b->y1 > o->y0)
            return false;
    }
    for (size_t i = 0; i < cv->n_circles; i++)
        if (box_hits_circle(b, cv->circles[3 * i], cv->circles[3 * i + 1], cv->circles[3 * i + 2]))
            return false;
    for (size_t i = 0; i < cv->n_segments; i++)
        if (box_hits_segment(b, &cv->segments[4 * i]))
            return false;
    return true;
}
