/* SPDX-License-Identifier: MIT */
#include "render.h"

#include <cairo.h>
#include <math.h>

static void set_rgba(cairo_t *cr, uint32_t rgba) {
    cairo_set_source_rgba(cr, (rgba >> 24 & 0xFF) / 255.0, (rgba >> 16 & 0xFF) / 255.0,
                          (rgba >> 8 & 0xFF) / 255.0, (rgba & 0xFF) / 255.0);
}

static void path_rings(cairo_t *cr, const bm_mark *m, bool is_closed) {
    for (size_t r = 0; r < m->n_rings; r++) {
        const size_t a = m->ring_starts[r], b = m->ring_starts[r + 1];
        for (size_t i = a; i < b; i++) {
            if (i == a)
                cairo_move_to(cr, m->xy_mm[2 * i], m->xy_mm[2 * i + 1]);
            else
                cairo_line_to(cr, m->xy_mm[2 * i], m->xy_mm[2 * i + 1]);
        }
        if (is_closed)
            cairo_close_path(cr);
    }
}

/* Hatching or dots over a filled shape (the current path), clipped to it, so that sources
 * differ by more than colour in greyscale print. The path is kept. */
static void draw_pattern(cairo_t *cr, const bm_mark *m) {
    double x0, y0, x1, y1;
    cairo_path_extents(cr, &x0, &y0, &x1, &y1);
    cairo_path_t *path = cairo_copy_path(cr);
    const double step = m->pattern_spacing_mm;
    cairo_save(cr);
    cairo_clip(cr);
    set_rgba(cr, m->pattern_rgba);
    cairo_set_line_width(cr, m->pattern_line_mm);
    if (m->pattern == BM_PATTERN_DOTS) {
        /* A grid anchored on the page, so neighbouring circles' dots line up. */
        for (double y = floor(y0 / step) * step; y <= y1; y += step)
            for (double x = floor(x0 / step) * step; x <= x1; x += step) {
                cairo_new_sub_path(cr);
                cairo_arc(cr, x, y, m->pattern_line_mm, 0, 2 * 3.14159265358979323846);
            }
        cairo_fill(cr);
    } else {
        for (double t = floor((x0 + y0) / step) * step; t <= x1 + y1 + step; t += step) {
            cairo_move_to(cr, t - y1, y1); /* rising at 45 degrees: x + y = t */
            cairo_line_to(cr, t - y0, y0);
        }
        if (m->pattern == BM_PATTERN_CROSSHATCH)
            for (double t = floor((x0 - y1) / step) * step; t <= x1 - y0 + step; t += step) {
                cairo_move_to(cr, t + y0, y0); /* falling: x - y = t */
                cairo_line_to(cr, t + y1, y1);
            }
        cairo_stroke(cr);
    }
    cairo_restore(cr);
    cairo_new_path(cr);
    cairo_append_path(cr, path);
    cairo_path_destroy(path);
}

static void fill_and_stroke(cairo_t *cr, const bm_mark *m) {
    if ((m->fill_rgba & 0xFF) != 0) {
        set_rgba(cr, m->fill_rgba);
        cairo_fill_preserve(cr);
        if (m->pattern != BM_PATTERN_SOLID)
            draw_pattern(cr, m);
        if (!(m->stroke_mm > 0 && (m->stroke_rgba & 0xFF) != 0))
            cairo_new_path(cr);
    }
    if (m->stroke_mm > 0 && (m->stroke_rgba & 0xFF) != 0) {
        set_rgba(cr, m->stroke_rgba);
        cairo_set_line_width(cr, m->stroke_mm);
        if (m->dash_mm > 0) {
            const double dash[2] = {m->dash_mm, m->dash_mm * 0.8};
            cairo_set_dash(cr, dash, 2, 0);
        }
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    cairo_new_path(cr);
}

bm_status bm_render_scene(const bm_scene *scene, bm_text *text, void *cairo_ctx, bm_error *err) {
    cairo_t *cr = cairo_ctx;
    bm_frame clip = {0, 0, 0, 0};
    bool is_clipping = false;
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    for (size_t i = 0; i < bm_scene_n_marks(scene); i++) {
        const bm_mark *m = bm_scene_mark(scene, i);
        const bool is_new_clip = m->is_clipped && is_clipping &&
                                 (m->clip.x_mm != clip.x_mm || m->clip.y_mm != clip.y_mm ||
                                  m->clip.w_mm != clip.w_mm || m->clip.h_mm != clip.h_mm);
        if (m->is_clipped != is_clipping || is_new_clip) {
            if (is_clipping)
                cairo_restore(cr);
            if (m->is_clipped) {
                cairo_save(cr);
                cairo_rectangle(cr, m->clip.x_mm, m->clip.y_mm, m->clip.w_mm, m->clip.h_mm);
                cairo_clip(cr);
                clip = m->clip;
            }
            is_clipping = m->is_clipped;
        }
        switch (m->kind) {
        case BM_MARK_AREA:
            path_rings(cr, m, true);
            fill_and_stroke(cr, m);
            break;
        case BM_MARK_LINE:
            path_rings(cr, m, false);
            fill_and_stroke(cr, m);
            break;
        case BM_MARK_CIRCLE:
            cairo_new_sub_path(cr);
            cairo_arc(cr, m->x_mm, m->y_mm, m->r_mm, 0, 2 * 3.14159265358979323846);
            fill_and_stroke(cr, m);
            break;
        case BM_MARK_RECT:
            cairo_rectangle(cr, m->x_mm, m->y_mm, m->w_mm, m->h_mm);
            fill_and_stroke(cr, m);
            break;
        case BM_MARK_TEXT:
            bm_text_draw(text, cr, m->text, &m->spec, m->x_mm, m->y_mm, m->fill_rgba, m->halo_rgba,
                         m->halo_mm);
            break;
        }
    }
    if (is_clipping)
        cairo_restore(cr);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return bm_error_set(err, BM_ERR_DEPENDENCY, "drawing failed: %s",
                            cairo_status_to_string(cairo_status(cr)));
    return BM_OK;
}
