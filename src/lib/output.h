/* SPDX-License-Identifier: MIT */
/* output.h - a scene written to PNG, SVG, PDF or an HTML page, atomically.
 *
 * The file is written beside the target under a temporary name and renamed over it only when
 * complete, so a failed or interrupted render never damages the previous map. The same scene
 * and options give byte-identical files (no timestamps beyond the one the caller passes). */
#ifndef BM_OUTPUT_H
#define BM_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "bm_buf.h"
#include "bm_error.h"
#include "incidents.h"
#include "layout.h"
#include "text.h"

typedef enum bm_format { BM_FORMAT_PNG, BM_FORMAT_SVG, BM_FORMAT_PDF, BM_FORMAT_HTML } bm_format;

typedef struct bm_output_options {
    double dpi;                    /* PNG pixels per inch (the page is in mm) */
    int64_t created_unix_s;        /* written into PDF metadata; -1: none */
    const char *creator;           /* "balmap 0.1.0" */
    const bm_incidents *incidents; /* the claims, for SVG titles; NULL: ids only */
    /* basemaps shared by a batch's rasters (render_cache.h); NULL: none. Borrowed. */
    struct bm_basemap_cache *basemap_cache;
} bm_output_options;

/* The format named by a path's extension (.png, .svg, .pdf, .html or .htm, any case). */
bm_status bm_format_from_path(const char *path, bm_format *out, bm_error *err);
const char *bm_format_name(bm_format f);

/* Renders the scene in a format into out, writing no file (for standard output). */
bm_status bm_output_render(const bm_scene *scene, bm_text *text, bm_format format,
                           const bm_output_options *opts, bm_buf *out, bm_error *err);

/* Writes bytes to path the same way: beside it, then renamed over it. */
bm_status bm_output_write_bytes(const char *path, const bm_buf *data, bm_error *err);

/* Several files from one scene: all are written, or none is changed. */
bm_status bm_output_write_all(const bm_scene *scene, bm_text *text, const char *const *paths,
                              size_t n_paths, const bm_output_options *opts, bm_error *err);

#endif
