/* SPDX-License-Identifier: MIT */
/* layout.h - everything a map shows, placed on the page: the scene.
 *
 * bm_layout_build turns geocoded claims, boundaries and a style into a bm_scene: a list of
 * marks (areas, lines, circles, text) in mm on the page, in drawing order, each tagged with
 * what it shows and where that comes from. Rendering only paints the scene, so the scene dump
 * (bm_scene_dump) is an exact, testable account of the map. A scene owns all its memory;
 * pointers inside marks are borrowed and valid until bm_scene_free. */
#ifndef BM_LAYOUT_H
#define BM_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bm_buf.h"
#include "bm_error.h"
#include "gazetteer.h"
#include "geocode.h"
#include "incidents.h"
#include "shapes.h"
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

/* One map panel: the whole map, or one facet of small multiples (one source, one day). */
typedef struct bm_panel {
    const bm_view *view;
    const char *title; /* above the panel; NULL: none */
    int source;        /* only this source's claims; -1: all */
    const char *day;   /* only claims made on this day (YYYY-MM-DD); NULL: all */
} bm_panel;

typedef struct bm_layout_input {
    const bm_style *style;
    bm_text *text;
    const bm_panel *panels; /* at least one; all share one size scale and one legend */
    size_t n_panels;
    double page_w_mm, page_h_mm;
    const bm_shapes *countries;           /* NULL: none */
    const bm_shapes *provinces;           /* NULL: none */
    const char *focus_province;           /* emphasised, e.g. "Balochistan" */
    const bm_shapes *const *extra_layers; /* user layers (--layer) */
    size_t n_extra_layers;
    const bm_incidents *incidents;
    const bm_located_place *places;
    size_t n_places;
    const bm_located_claim *claims;
    size_t n_claims;
    bm_quantity measure;    /* what the circles are sized by */
    int party;              /* only claims about this bm_party; -1: all */
    bool is_allocated_even; /* claims over several places were split evenly on request */
    const char *as_of;      /* --as-of date, or NULL */
    size_t n_later;         /* claims made after as_of, not shown */
    const char *title;      /* NULL: the incident file's */
    const char *attribution;
    bm_warn_fn warn;
    void *warn_user;
} bm_layout_input;

/* The map area for a page of this size with this style (the view needs it first). */
void bm_layout_frame(const bm_style *style, double page_w_mm, double page_h_mm, bm_frame *out);
/* Splits the map area into n panel frames, in reading order, as large as an extent of aspect
 * width/height `extent_aspect` allows; out holds n frames. */
void bm_layout_panel_frames(const bm_style *style, double page_w_mm, double page_h_mm, size_t n,
                            double extent_aspect, bm_frame *out);

/* Radius in mm of a circle for `value` when value_max gets radius_max_mm: area is proportional
 * to the value (radius to its square root), never under radius_min_mm for a value > 0. */
double bm_layout_radius_mm(double value, double value_max, double radius_max_mm,
                           double radius_min_mm);

bm_scene *bm_layout_build(const bm_layout_input *in, bm_error *err);
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

#endif
