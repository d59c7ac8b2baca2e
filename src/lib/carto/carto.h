/* SPDX-License-Identifier: MIT */
/* carto/carto.h - the steps that lay out a map (internal to the carto package and layout.c).
 *
 * bm_carto is the state of one layout; the steps layout.c calls in drawing order are basemap
 * (basemap.c), claim symbols and their labels (symbols.c), the legend (legend.c) and map
 * furniture (furniture.c). The input and page geometry (frames.c) are in carto/input.h, the
 * map's words in carto/wording.h. */
#ifndef BM_CARTO_CARTO_H
#define BM_CARTO_CARTO_H

#include <stdbool.h>
#include <stddef.h>

#include "bm_error.h"
#include "carto/canvas.h"
#include "carto/input.h"
#include "carto/labels.h"
#include "carto/scene.h"
#include "geocode.h"
#include "incidents.h"
#include "shapes.h"
#include "style.h"
#include "text.h"
#include "view.h"

/* ---- one layout ---- */

typedef struct bm_carto {
    const bm_layout_input *in;
    bm_canvas cv;             /* the scene and what labels must not cover */
    bm_labels labels;         /* label placement, callouts */
    bm_source_style *palette; /* per source: its colours and pattern (by kind) */
    const bm_view *view;      /* of the panel being laid out */
    const bm_panel *panel;    /* the panel being laid out */
    bm_frame area;            /* the whole map area (all panels) */
    double value_max;         /* the value that gets the largest circle, shared by all panels */
    bool has_years;           /* the claims span more than one year: days are written with it */
    char sums_span[16];       /* the years of every sum drawn ("2020-2025"; the legend says
                               * them): a sum's label omits its years when they are these */
    size_t n_unlabelled;      /* sums with no room for a label (the legend says how many) */
    bool *is_place_named;     /* per place: a sum's label names it (grouped maps); may be NULL */
    double radius_max_mm;     /* its radius: the style's, smaller in small multiples */
    double stroke_scale;      /* boundary line widths: 1, less in the inset */
    double footer_top_mm;     /* where the attribution starts */
} bm_carto;

/* Sea, countries, provinces (the focus province emphasised), user layers, in c->view. */
bm_status bm_carto_add_basemap(bm_carto *c);
/* Sea, country and province names where they fit, after the data. */
bm_status bm_carto_add_region_labels(bm_carto *c);
/* A point inside the visible part of a feature, for its label; false when too little shows. */
bool bm_carto_label_point(const bm_carto *c, const bm_feature *f, double *x_mm, double *y_mm);

/* Colours, shades and patterns by kind of source (c->palette). */
bm_status bm_carto_assign_palette(bm_carto *c);
const bm_source_style *bm_carto_source_style(const bm_carto *c, size_t source);
void bm_carto_set_pattern(const bm_carto *c, bm_mark *m, size_t source);
/* The value that gets the largest circle: the largest drawn, over all panels. */
double bm_carto_value_max(const bm_layout_input *in);
/* The number a claim's circle is sized by. */
double bm_carto_size_value(const bm_claim *cl);
/* Two arcs of radius r, left and right of (x, y): "( )", the mark of one claim naming several
 * places. */
bm_status bm_carto_add_bracket(bm_carto *c, const char *role, const char *ref, double x, double y,
                               double r, uint32_t rgba, double width_mm);
/* The current panel's circles, leaders, places, furniture, then claim and place labels. */
bm_status bm_carto_add_claims(bm_carto *c);

/* The legend beside the map, set smaller when long; fails when even that does not fit. */
bm_status bm_carto_add_legend(bm_carto *c);

/* Scale bar and locator inset, in a corner free of data (left out when none is). */
bm_status bm_carto_add_scale_bar(bm_carto *c);
bm_status bm_carto_add_inset(bm_carto *c);
/* The panel's frame and title. */
bm_status bm_carto_add_frame(bm_carto *c);
/* Title, subtitle, and the attribution at the foot (sets c->footer_top_mm). */
bm_status bm_carto_add_header_footer(bm_carto *c);
/* A paragraph of text at (x, *y), wrapped to width; advances *y past it and space_after.
 * *h_mm (may be NULL) gets its height. */
bm_status bm_carto_add_par(bm_carto *c, const char *role, const char *text, double size_pt,
                           bm_text_weight weight, bool is_italic, double x, double *y, double width,
                           uint32_t rgba, double space_after, double *h_mm);
/* The notes under the legend: how vague words were read, then the file's notes. */
bm_status bm_carto_add_notes(bm_carto *c, const bm_style *st, double x, double *y, double w);
/* The scene's description for file metadata. */
bm_status bm_carto_describe(bm_carto *c);

#endif
