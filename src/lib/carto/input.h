/* SPDX-License-Identifier: MIT */
/* carto/input.h - what a map is laid out from, and the page geometry the caller needs first.
 *
 * bm_layout_input is everything one map shows (layout.h's bm_layout_build takes it); every
 * pointer in it is borrowed for the call. The frame functions are pure arithmetic. */
#ifndef BM_CARTO_INPUT_H
#define BM_CARTO_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "bm_error.h"
#include "geocode.h"
#include "incidents.h"
#include "shapes.h"
#include "style.h"
#include "text.h"
#include "view.h"

/* One map panel: the whole map, or one facet of small multiples (one source, one day). */
typedef struct bm_panel {
    const bm_view *view;
    const char *title; /* above the panel; NULL: none */
    int source;        /* only this source's claims; -1: all */
    const char *day;   /* only claims made on this day (YYYY-MM-DD); NULL: all */
    /* only claims whose incident's first day starts with this ("2024", "2024-03"); NULL: all */
    const char *period;
} bm_panel;

/* The language of the map's own words (legend, notes, dates), as a request names it; its
 * messages, read from the data directory's lang/<code>.tsv, are a bm_lang (carto/wording.h). */
typedef enum bm_lang_code { BM_LANG_EN, BM_LANG_UR } bm_lang_code;
typedef struct bm_lang bm_lang;
/* The language of place labels (--labels): the gazetteer's name, its cited Urdu name, both. */
typedef enum bm_place_names { BM_NAMES_EN, BM_NAMES_UR, BM_NAMES_EN_UR } bm_place_names;

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
    const char *subtitle;   /* NULL: the incident file's */
    double scale_max;       /* the value the largest circle stands for; 0: the largest drawn */
    const char *grouping;   /* what was summed ("1,705 events at 169 places, ..."); NULL: none */
    const char *attribution;
    bm_warn_fn warn;
    void *warn_user;
    const bm_lang *lang;  /* the map's own words (carto/wording.h) */
    bm_place_names names; /* place labels in English, Urdu or both */
    /* Per place (as in places): its cited Urdu name, NULL where the gazetteer has none; NULL
     * when names is BM_NAMES_EN. */
    const char *const *places_ur;
    const bm_lang *names_lang; /* Urdu's words ("ضلع") for Urdu place labels; else lang */
    size_t n_names_fallback;   /* places with no cited Urdu name, labelled in English */
} bm_layout_input;

/* ---- page geometry (frames.c) ---- */

/* Pages narrower than this, and portrait pages (taller than wide), have the legend under the
 * map instead of beside it, and more room above the map for a title that wraps. So has any
 * page whose style says is_legend_under (a print page where the legend's text would otherwise
 * go under the style's min_text_pt), keeping its header. */
#define BM_LAYOUT_NARROW_MM 180.0
bool bm_layout_is_narrow(const bm_style *style, double page_w_mm, double page_h_mm);

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

#endif
