/* SPDX-License-Identifier: MIT */
/* style.h - how a map looks: colours, line widths, fonts and sizes, read from styles/<name>.json.
 *
 * A bm_style is plain data once loaded (no resources), read-only, shareable between threads.
 * Keys are documented in styles/README.md. Unknown keys and malformed values are errors that
 * name the file and the JSON pointer. Colours are 0xRRGGBBAA. */
#ifndef BM_STYLE_H
#define BM_STYLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bm_error.h"

#define BM_STYLE_MAX_SOURCES 8

typedef struct bm_stroke_fill {
    uint32_t fill_rgba;
    uint32_t stroke_rgba;
    double stroke_mm;
} bm_stroke_fill;

/* How a source's markers are filled, so that sources differ by more than colour (greyscale
 * print, colour-vision deficiency). The pattern is drawn in pattern_rgba over color_rgba,
 * clipped to the marker, and the legend swatch shows the same pattern. */
typedef enum bm_fill_pattern {
    BM_PATTERN_SOLID,      /* color_rgba only */
    BM_PATTERN_HATCH,      /* parallel lines rising at 45 degrees */
    BM_PATTERN_CROSSHATCH, /* lines at 45 and 135 degrees */
    BM_PATTERN_DOTS        /* dots on a square grid */
} bm_fill_pattern;

typedef struct bm_source_style {
    uint32_t color_rgba;
    uint32_t outline_rgba;
    bm_fill_pattern pattern; /* default BM_PATTERN_SOLID */
    uint32_t pattern_rgba;   /* ink of lines or dots; default: outline_rgba */
    uint32_t label_rgba;     /* text of this source's labels on the map; default: color_rgba */
} bm_source_style;

typedef struct bm_style {
    char name[64];
    char font_family[128];   /* fontconfig family name */
    char font_fallback[128]; /* used, with a warning, when font_family is not installed */
    uint32_t background_rgba, sea_rgba, text_rgba, muted_text_rgba, halo_rgba, frame_rgba;
    bm_stroke_fill neighbour, province,
        focus; /* other countries, Pakistan's provinces, Balochistan */
    uint32_t country_border_rgba;
    double country_border_mm;
    bm_source_style sources[BM_STYLE_MAX_SOURCES];
    size_t n_sources;
    double marker_max_radius_mm, marker_min_radius_mm, marker_stroke_mm;
    double marker_fill_opacity;
    double leader_mm; /* leader line width */
    double leader_opacity;
    uint32_t place_rgba;        /* town dots */
    uint32_t inset_extent_rgba; /* the main map's extent drawn in the locator inset */
    double place_radius_mm;
    double title_pt, subtitle_pt, label_pt, legend_pt, note_pt, attribution_pt;
    double margin_mm, panel_width_mm;
    double pattern_spacing_mm; /* centre to centre of hatch lines or dots */
    double pattern_line_mm;    /* width of hatch lines; the diameter of dots is twice this */
    /* Not style keys: how the render fits a print page (map.c), all 0 otherwise. */
    double min_text_pt;      /* no text is set smaller: legends wrap or move instead; 0: none */
    double attribution_h_mm; /* room the footer leaves for the attribution; 0: two lines */
    double header_h_mm;      /* from the page's top to the map; 0: room for the title on one
                              * line and the subtitle on two (two and three on narrow pages) */
    bool is_legend_under;    /* the legend under the map whatever the page's shape */
    bool is_legend_two;      /* beside the map, the legend in two columns (key, then notes) */
} bm_style;

/* Reads a style file, starting from the built-in defaults (so a style may give only what it
 * changes). On failure *out is untouched and err holds the file, the JSON pointer (or line and
 * column for malformed JSON), what was expected and found, and a hint. */
bm_status bm_style_load(const char *path, bm_style *out, bm_error *err);
/* The same from memory (len bytes, NUL-terminated or not); path is used in messages only. */
bm_status bm_style_parse(const char *text, size_t len, const char *path, bm_style *out,
                         bm_error *err);
/* The built-in defaults (what styles/default.json also says). */
void bm_style_defaults(bm_style *out);
/* Parses "#rrggbb" (opaque) or "#rrggbbaa", hex digits in either case, into 0xRRGGBBAA.
 * Returns BM_ERR_INVALID (and leaves *out_rgba untouched) for anything else, NULL included. */
bm_status bm_color_parse(const char *text, uint32_t *out_rgba);
/* The style-file name of a pattern ("solid", "hatch", "crosshatch", "dots"). Never NULL. */
const char *bm_style_pattern_name(bm_fill_pattern pattern);

#endif
