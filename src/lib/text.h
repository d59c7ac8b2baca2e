/* SPDX-License-Identifier: MIT */
/* text.h - text measured and drawn with Pango (the only module that calls Pango).
 *
 * A bm_text owns a Pango font map and context at a fixed resolution, so measurements in mm
 * are the same for PNG, SVG and PDF, and the texts it laid out (each is laid out once). Not
 * thread-safe: one render at a time. Borrowed pointers: none. */
#ifndef BM_TEXT_H
#define BM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bm_error.h"
#include "style.h"

typedef enum bm_text_weight { BM_TEXT_REGULAR, BM_TEXT_BOLD } bm_text_weight;

typedef struct bm_text_spec {
    double size_pt;
    bm_text_weight weight;
    bool is_italic;
    double wrap_width_mm; /* 0: one line */
    double letter_spacing_pt;
    /* A wrapped paragraph whose lines are all right to left (Urdu) is set against the wrap
     * width's right end, each line flush right, and measures the whole wrap width; without it
     * (and for any other text) lines start at the left. */
    bool is_end_aligned;
} bm_text_spec;

typedef struct bm_text bm_text; /* opaque */

/* Font setups shared by the maps of a batch (text.c): a map takes one made for its style's
 * fonts when another map has finished with it, with the texts already laid out there, instead
 * of starting fontconfig, Pango and HarfBuzz afresh. Each setup serves one map at a time; the
 * pool is thread-safe (one mutex). Owned by its creator, freed after the last render. */
typedef struct bm_text_pool bm_text_pool; /* opaque */
bm_text_pool *bm_text_pool_new(void);
void bm_text_pool_free(bm_text_pool *p); /* NULL is a no-op */

/* Font family from the style: one family or a comma-separated list ("Noto Sans, Noto Nastaliq
 * Urdu"), each letter set in the first listed family that has it. Families not installed are
 * dropped with a warning; when none is, falls back to style->font_fallback and calls warn (may
 * be NULL). */
bm_text *bm_text_new(const bm_style *style, bm_warn_fn warn, void *warn_user, bm_error *err);
/* bm_text_new, or an idle one of the pool made for the same fonts (render_cache.h; NULL: none).
 * One that warned when made is not pooled, so each map that uses it warns. */
bm_text *bm_text_new_pooled(bm_text_pool *pool, const bm_style *style, bm_warn_fn warn,
                            void *warn_user, bm_error *err);
void bm_text_free(bm_text *t); /* gives a pooled text back to its pool; NULL is a no-op */

/* Size of the laid-out text in mm (ink-independent logical extents). */
void bm_text_measure(bm_text *t, const char *utf8, const bm_text_spec *spec, double *w_mm,
                     double *h_mm);
/* Draws text with its top-left corner at (x_mm, y_mm) on a cairo_t (passed as void * so that
 * this header does not expose Cairo), in a coordinate system where 1 unit = 1 mm. A halo
 * (halo_rgba alpha > 0) is stroked first, halo_mm wide. */
void bm_text_draw(bm_text *t, void *cairo_ctx, const char *utf8, const bm_text_spec *spec,
                  double x_mm, double y_mm, uint32_t rgba, uint32_t halo_rgba, double halo_mm);

/* One line of laid-out text, for writers that place text themselves (svg.c): its bytes in the
 * string and where its baseline starts, relative to the text's top-left corner, in mm. */
typedef struct bm_text_line {
    size_t start, len; /* bytes of the UTF-8 string, without the line break */
    double x_mm, baseline_mm;
    double w_mm; /* logical width */
    bool is_rtl; /* its base direction is right to left (Urdu): it ends at x_mm + w_mm */
} bm_text_line;

/* Lays the text out as bm_text_draw does and writes up to max lines to out; returns the number
 * of lines (which may exceed max). */
size_t bm_text_lines(bm_text *t, const char *utf8, const bm_text_spec *spec, bm_text_line *out,
                     size_t max);
/* The font families text is drawn in, joined by ", ": the style's installed ones, or its
 * fallback when none is. */
const char *bm_text_family(const bm_text *t);

#endif
