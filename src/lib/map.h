/* SPDX-License-Identifier: MIT */
/* map.h - one call per map: bm_render(request), shared by `render` and `batch`.
 *
 * The request is plain data the caller owns; bm_render borrows it for the call. It reads the
 * incident file, geocodes every place, lays out the scene and writes each output atomically.
 * Nothing is written unless every input is valid. Warnings go to request->warn. */
#ifndef BM_MAP_H
#define BM_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bm_error.h"
#include "incidents.h"
#include "layout.h"
#include "output.h"
#include "render_cache.h"
#include "text.h"

/* The built-in data a batch's maps share (map.c): the gazetteer and the two boundary layers,
 * loaded by the first map that needs them and read by every other (all are read-only once
 * loaded). A map given its own gazetteer files (gazetteer_files) loads its own. Thread-safe
 * (one mutex); owned by its creator, freed after the last render. */
typedef struct bm_map_data bm_map_data; /* opaque */
bm_map_data *bm_map_data_new(void);
void bm_map_data_free(bm_map_data *d); /* NULL is a no-op */

/* Small multiples: one panel per source, per day a claim was made, or per calendar year or
 * month of the incidents' first days (at most BM_MAX_PANELS: a longer span is refused). */
typedef enum bm_facet {
    BM_FACET_NONE,
    BM_FACET_SOURCE,
    BM_FACET_DATE,
    BM_FACET_YEAR,
    BM_FACET_MONTH
} bm_facet;
#define BM_MAX_PANELS 12

typedef struct bm_render_request {
    const char *input_path;   /* the incident file; "<stdin>" with input_text */
    const char *input_format; /* "json", "csv" or "geojson"; NULL: from the file name */
    const char *input_text;   /* the file's bytes when already read (stdin), NUL-terminated;
                                 NULL: read input_path */
    size_t input_len;
    const char *data_dir;       /* holds shapes/ and styles/ */
    const char *style_path;     /* NULL: <data_dir>/styles/default.json */
    const char *const *outputs; /* .png, .svg, .pdf or .html paths; "-": into `piped`; .csv,
                                 * .json: the marks as data */
    size_t n_outputs;
    bm_buf *piped;          /* the output named "-" is rendered here, for the caller to write to
                               standard output once bm_render succeeds; NULL: no "-" allowed */
    bm_format piped_format; /* its format */
    double width_px, height_px, dpi; /* the page: width_px / dpi inches wide; dpi 0: automatic */
    bool is_print_size;   /* the page is a print size (--size): SVG and PDF text is held to 7 pt
                           * on it, not at 96 px per inch (output.h) */
    double min_text_pt;   /* a page read on paper (--size A4, WxHmm; not phone): no text is set
                           * smaller on it, in any format; the legend and attribution wrap, widen
                           * or move under the map instead, and a page where nothing fits is
                           * refused; 0: none (a screen map, its text checked at 96 px/in) */
    const char *extent;   /* "balochistan", "pakistan", "data", "lon0,lat0,lon1,lat1" */
    bm_quantity measure;  /* what circles are sized by (default killed) */
    int party;            /* a bm_party, or -1 for all */
    const char *as_of;    /* YYYY-MM-DD: latest claims made by then; NULL: latest */
    bool accept_fuzzy;    /* take approximate place-name matches */
    bm_facet facet;       /* BM_FACET_DATE shows every claim on the day it was made */
    bool allocate_even;   /* split multi-place claims evenly (ACLED); the map says so */
    int group;            /* one mark per claim (0), place (1), district (2), province (3), the
                           * order of carto/group.h's bm_group_mode; -1: by place when more than
                           * BM_GROUP_AUTO_MIN_CLAIMS would be drawn, else per claim */
    const char *from;     /* incidents whose first day is on or after (YYYY-MM-DD); NULL: open */
    const char *to;       /* ... on or before; NULL: open */
    double scale_max;     /* the value drawn at the largest circle (one scale for a series); 0: the
                           * map's largest */
    bm_lang_code lang;    /* the map's own words, from <data_dir>/lang/<code>.tsv: BM_LANG_EN (0)
                           * or BM_LANG_UR */
    bm_place_names names; /* place labels: English (0), the gazetteer's cited Urdu names (falling
                           * back to English), or both */
    const char *const *gazetteer_files; /* user places, override the built-in ones */
    size_t n_gazetteer_files;
    const char *const *layers; /* extra boundary layers, "path[:name-field]" */
    size_t n_layers;
    /* let GDAL fetch URLs, /vsicurl/ and remote .vrt sources in layers (--allow-remote-layers) */
    bool allow_remote_layers;
    /* basemaps shared by the rasters of a batch (render_cache.h); NULL: none. Borrowed. */
    bm_basemap_cache *basemap_cache;
    /* font setups shared by the maps of a batch (text.h); NULL: none. Borrowed. */
    bm_text_pool *text_pool;
    /* the gazetteer and boundaries shared by the maps of a batch; NULL: none. Borrowed. */
    bm_map_data *shared_data;
    const char *scene_path; /* write the scene dump here; NULL: no dump */
    const char *title;      /* NULL: the incident file's */
    int64_t created_unix_s; /* PDF creation date; -1: none */
    const char *creator;    /* "balmap 0.1.0" */
    bm_warn_fn warn;
    void *warn_user;
    bm_diags *diags; /* receives every problem in the incident file; may be NULL */
    const bm_output_hooks *output_hooks; /* temporary-file and stop hooks (output.h); NULL */
} bm_render_request;

/* Sets the defaults: 1600 x 1200 px at automatic dpi, killed, all parties, extent balochistan. */
void bm_render_request_init(bm_render_request *req);
/* The resolution used: req->dpi, or when it is 0, 150 dpi scaled down for pages smaller than
 * 1600 x 1200 px, so that a smaller PNG keeps the same layout (the page in mm stays 271 x 203). */
double bm_render_dpi(const bm_render_request *req);

/* Renders one map to every output. On failure no output is created or changed. */
bm_status bm_render(const bm_render_request *req, bm_error *err);

/* The value the map's largest circle would stand for without scale_max: the largest value
 * drawn over all its panels (0 when nothing is drawn). Reads, geocodes and groups as bm_render
 * does, and draws and writes nothing: a batch takes the largest over a series of maps and
 * gives it to each as scale_max, so that they share one scale. */
bm_status bm_render_value_max(const bm_render_request *req, double *value_max, bm_error *err);

#endif
