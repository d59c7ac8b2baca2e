/* SPDX-License-Identifier: MIT */
/* carto/canvas.h - a scene being built, with what it covers so far.
 *
 * The canvas adds marks to a scene and remembers the boxes and circles that labels and map
 * furniture must keep clear of. Text is measured through a callback, so that everything built
 * on the canvas (label placement above all) can be tested without fonts. The canvas borrows
 * the scene and the error; bm_canvas_release frees only what the canvas itself holds. */
#ifndef BM_CARTO_CANVAS_H
#define BM_CARTO_CANVAS_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bm_error.h"
#include "carto/scene.h"
#include "text.h"

#define BM_PT_MM (25.4 / 72.0) /* one typographic point in mm */

typedef struct bm_box {
    double x0, y0, x1, y1;
} bm_box;

/* Sets *w_mm x *h_mm to the size text takes when set with spec. */
typedef void (*bm_measure_fn)(void *user, const char *utf8, const bm_text_spec *spec, double *w_mm,
                              double *h_mm);

typedef struct bm_canvas {
    bm_scene *scene;
    bm_error *err; /* set on every failure */
    bm_measure_fn measure;
    void *measure_user;
    uint32_t halo_rgba; /* behind labels */
    double min_pt;      /* text is measured and set at this size when its spec asks less */
    /* The map's language is written right to left: the legend's and notes' own paragraphs
     * (not those beside a swatch or key) are set flush right in their column. */
    bool is_rtl;
    bm_box *boxes; /* what labels must not cover */
    size_t n_boxes, n_boxes_alloc;
    double *circles; /* x, y, r triples */
    size_t n_circles, n_circles_alloc;
    double *segments; /* x0, y0, x1, y1 quadruples: lines no label may cross */
    size_t n_segments, n_segments_alloc;
} bm_canvas;

void bm_canvas_init(bm_canvas *cv, bm_scene *scene, bm_measure_fn measure, void *measure_user,
                    uint32_t halo_rgba, bm_error *err);
void bm_canvas_release(bm_canvas *cv);

static inline bm_text_spec bm_canvas_spec(double size_pt, bm_text_weight weight, bool is_italic,
                                          double wrap_mm) {
    bm_text_spec sp = {size_pt, weight, is_italic, wrap_mm, 0, false};
    return sp;
}

/* The colour with its alpha set from an opacity 0-1. */
static inline uint32_t bm_rgba_with_opacity(uint32_t rgba, double opacity) {
    return (rgba & 0xFFFFFF00u) | (uint32_t)lround(opacity * 255.0);
}

/* Text is measured, and set by bm_canvas_text, at min_pt when its spec is smaller. */
void bm_canvas_measure(const bm_canvas *cv, const char *text, const bm_text_spec *spec,
                       double *w_mm, double *h_mm);
/* Appends a copy of *m; *index (may be NULL) says where it is: change it later through
 * bm_scene_mark_at, never through a pointer kept across another add. */
bm_status bm_canvas_add(bm_canvas *cv, const bm_mark *m, size_t *index);
/* A text mark with its top-left corner at (x, y), measured; with a halo when has_halo. A text
 * cut in the middle of a UTF-8 sequence loses the partial sequence. *h_mm (may be NULL) gets
 * its height. On a right-to-left canvas (is_rtl) a wrapped paragraph of the legend's or notes'
 * own (headings, notes, lists) is end-aligned (bm_text_spec). */
bm_status bm_canvas_text(bm_canvas *cv, const char *role, const char *ref, const char *text,
                         const bm_text_spec *spec, double x_mm, double y_mm, uint32_t rgba,
                         bool has_halo, double *h_mm);
/* A straight line from (x0, y0) to (x1, y1); dash_mm 0: solid. */
bm_status bm_canvas_line(bm_canvas *cv, const char *role, const char *ref, double x0, double y0,
                         double x1, double y1, uint32_t rgba, double width_mm, double dash_mm);

/* Marks the box or circle as covered: no label goes over it. */
bm_status bm_canvas_keep_clear(bm_canvas *cv, double x0, double y0, double x1, double y1);
bm_status bm_canvas_keep_clear_circle(bm_canvas *cv, double x, double y, double r);
/* Marks the line from (x0, y0) to (x1, y1) as covered: no label is set across it. */
bm_status bm_canvas_keep_clear_segment(bm_canvas *cv, double x0, double y0, double x1, double y1);
/* The box covers nothing kept clear and lies within inside (NULL: anywhere). */
bool bm_canvas_is_free(const bm_canvas *cv, const bm_box *b, const bm_box *inside);

#endif
