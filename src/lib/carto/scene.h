/* SPDX-License-Identifier: MIT */
/* carto/scene.h - the scene: everything a map shows, placed on the page, as a list of marks.
 *
 * A mark is an area, line, circle, rectangle or text in mm on the page, in drawing order, tagged
 * with what it shows (role) and what it traces back to (ref). Rendering only paints the scene,
 * so the dump (bm_scene_dump) is an exact, testable account of the map. A scene owns all its
 * memory; pointers inside marks are borrowed and valid until bm_scene_free.
 *
 * Building (the carto package only): marks are appended by value with bm_scene_add and
 * addressed by index afterwards. The pointer bm_scene_mark_at gives is valid only until the
 * next mark is added (the array grows), so a mark that must be changed after others were added
 * is kept by its index. */
#ifndef BM_CARTO_SCENE_H
#define BM_CARTO_SCENE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bm_buf.h"
#include "bm_error.h"
#include "style.h"
#include "text.h"
#include "view.h"

typedef enum bm_mark_kind {
    BM_MARK_AREA,   /* filled rings (even-odd), stroked if stroke_mm > 0 */
    BM_MARK_LINE,   /* open polylines */
    BM_MARK_CIRCLE, /* x, y, r */
    BM_MARK_RECT,   /* x, y, w, h */
    BM_MARK_TEXT    /* text with its top-left corner at x, y; box w x h */
} bm_mark_kind;

typedef struct bm_mark {
    bm_mark_kind kind;
    const char *role; /* "sea", "neighbour", "claim", "leader", "place", "label", "legend", ... */
    const char *ref;  /* what it traces back to: a claim id, a place, a source id; "" if none */
    uint32_t fill_rgba, stroke_rgba;
    double stroke_mm, dash_mm; /* dash_mm 0: solid */
    bool is_clipped;           /* clipped to the map frame */
    double x_mm, y_mm, r_mm, w_mm, h_mm;
    const double *xy_mm; /* AREA, LINE: pairs */
    size_t n_points;
    const size_t *ring_starts; /* n_rings + 1 offsets */
    size_t n_rings;
    bm_frame clip;    /* the panel frame it is clipped to, when is_clipped */
    const char *text; /* TEXT */
    bm_text_spec spec;
    uint32_t halo_rgba;
    double halo_mm;
    double value;            /* CIRCLE of a claim: the number it is sized by */
    bm_fill_pattern pattern; /* drawn over the fill, clipped to the shape */
    uint32_t pattern_rgba;
    double pattern_spacing_mm, pattern_line_mm;
} bm_mark;

typedef struct bm_scene bm_scene; /* opaque */

void bm_scene_free(bm_scene *s); /* NULL is a no-op */

double bm_scene_width_mm(const bm_scene *s);
double bm_scene_height_mm(const bm_scene *s);
size_t bm_scene_n_marks(const bm_scene *s);
const bm_mark *bm_scene_mark(const bm_scene *s, size_t i);
/* Title and description for file metadata (SVG <title>/<desc>, PDF, PNG tEXt). */
const char *bm_scene_title(const bm_scene *s);
const char *bm_scene_description(const bm_scene *s);

/* Appends the text dump: one line per mark (areas summarised), numbers in mm to 0.01. */
bm_status bm_scene_dump(const bm_scene *s, bm_buf *out);

/* ---- building ---- */

/* An empty scene for a page of w x h mm; NULL when memory runs out. */
bm_scene *bm_scene_new(double w_mm, double h_mm);
/* The arena the scene's strings and point arrays live in. */
bm_arena *bm_scene_arena(bm_scene *s);
/* The first panel's frame and view, written at the head of the dump. */
void bm_scene_set_view(bm_scene *s, const bm_frame *frame, double x0_m, double y0_m,
                       double mm_per_metre);
/* Copies title or description into the scene; BM_ERR_NOMEM when memory runs out. */
bm_status bm_scene_set_title(bm_scene *s, const char *title);
bm_status bm_scene_set_description(bm_scene *s, const char *description);

/* A mark of this kind with every other field zero; ref NULL stands for "". */
bm_mark bm_mark_of(bm_mark_kind kind, const char *role, const char *ref);
/* Appends a copy of *m (its ref copied into the scene; the rest borrowed or already the
 * scene's); *index (may be NULL) says where it is. BM_ERR_NOMEM when memory runs out. */
bm_status bm_scene_add(bm_scene *s, const bm_mark *m, size_t *index);
/* The mark at index, to change it; valid until the next bm_scene_add. */
bm_mark *bm_scene_mark_at(bm_scene *s, size_t index);
/* Drops every mark from index n on (to lay a part out again). */
void bm_scene_truncate(bm_scene *s, size_t n);

#endif
