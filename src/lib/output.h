/* SPDX-License-Identifier: MIT */
/* output.h - a scene written to PNG, SVG, PDF or an HTML page, atomically.
 *
 * Every file is written whole under a temporary name beside its target and renamed over it only
 * when all outputs of the render are complete, so a failed or interrupted render never damages
 * a previous map (bm_output_txn below). The same scene and options give byte-identical files
 * (no timestamps beyond the one the caller passes). */
#ifndef BM_OUTPUT_H
#define BM_OUTPUT_H

#include <stdbool.h>
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
    /* The page's size is a print size (--size): SVG and PDF are read at it (their text is not
     * checked here: map.c lays a paper size out with none under 7 pt, and warns for the
     * phone's); otherwise they are read like the PNG, at 96 px per inch, and refused under
     * 7 pt there. */
    bool is_print_size;
    /* The map's words, for the web page's own (headings, captions, its lang and dir); NULL:
     * English. Borrowed. */
    const struct bm_lang *lang;
    /* For the web page: the map laid out for a phone's screen, which the page shows on narrow
     * viewports (html.h); NULL: none. Borrowed. */
    const bm_scene *narrow;
} bm_output_options;

/* The legibility floor: no text under 7 pt as an output is read (a PNG, and an SVG or PDF of a
 * page sized in pixels, at 96 px per inch). */
#define BM_OUTPUT_MIN_TEXT_PT 7.0
/* The scene's smallest visible text, or NULL when it has none. */
const bm_mark *bm_output_smallest_text(const bm_scene *scene);

/* The format named by a path's extension (.png, .svg, .pdf, .html or .htm, any case). */
bm_status bm_format_from_path(const char *path, bm_format *out, bm_error *err);
/* Whether an output path is for the marks as data (.csv, .json) rather than a map. */
bool bm_output_is_marks_path(const char *path);
const char *bm_format_name(bm_format f);

/* Renders the scene in a format into out, writing no file (for standard output). */
bm_status bm_output_render(const bm_scene *scene, bm_text *text, bm_format format,
                           const bm_output_options *opts, bm_buf *out, bm_error *err);

/* Writes bytes to path the same way (one transaction). */
bm_status bm_output_write_bytes(const char *path, const bm_buf *data, bm_error *err);

/* Several files from one scene: all are written, or none is changed (one transaction). */
bm_status bm_output_write_all(const bm_scene *scene, bm_text *text, const char *const *paths,
                              size_t n_paths, const bm_output_options *opts, bm_error *err);

/* Committing several outputs together (bm_output_txn).
 *
 * Each output is staged first: a map or scene for a regular file is written whole and synced
 * into an unnamed temporary file in the target's directory (O_TMPFILE; where the file system
 * lacks it, a named "<target>.balmap-tmp.<pid>.<n>" beside it, reported to hooks->on_temp);
 * bytes for a stream are kept. Commit then writes the streams, gives each temporary file a name,
 * keeps a hard link to every existing target and renames the new files over the targets; if one
 * rename fails the ones done are undone, so every existing file is left as it was. SIGINT,
 * SIGTERM, SIGHUP and SIGQUIT are blocked in the committing thread for those few renames, so an
 * unnamed temporary file is never left behind, even after SIGKILL outside that window.
 *
 * Targets: a symlink is followed (to at most 40 links) and its final target replaced, the link
 * itself kept; "-", /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N are written to that
 * descriptor; an existing character device or FIFO is opened and written as a stream, never
 * renamed over; a directory, block device or socket is refused. Two outputs of one transaction
 * naming the same file (through "./", "..", a symlink or a hard link) are refused. */
typedef struct bm_output_txn bm_output_txn;

typedef struct bm_output_hooks {
    /* Told of each named temporary file when created (is_created) and when it is gone, so that
     * a signal handler can unlink any left; may be called from several threads. NULL: none. */
    void (*on_temp)(void *user, const char *temp_path, bool is_created);
    /* Asked just before a commit; true refuses it (a time limit ran out). NULL: never. */
    bool (*should_stop)(void *user);
    void *user;
    bool use_named_temps; /* never O_TMPFILE (tests of the fallback) */
} bm_output_hooks;

/* hooks is copied; NULL: none. Returns NULL only when memory runs out. */
bm_output_txn *bm_output_txn_new(const bm_output_hooks *hooks, bm_error *err);
/* Discards whatever is staged and not committed (temporary files are removed). NULL: no-op. */
void bm_output_txn_free(bm_output_txn *t);
/* Stages data for path, taking the buffer (*data is left empty, also on failure). Fails when
 * the target cannot be written (no such directory, a directory, ...) or repeats one staged. */
bm_status bm_output_txn_stage_take(bm_output_txn *t, const char *path, bm_buf *data, bm_error *err);
/* Renders the scene once per path (format from the extension) and stages each. */
bm_status bm_output_txn_stage_maps(bm_output_txn *t, const bm_scene *scene, bm_text *text,
                                   const char *const *paths, size_t n_paths,
                                   const bm_output_options *opts, bm_error *err);
/* Writes everything staged (module comment); on failure no existing file is changed. A
 * transaction is committed at most once. */
bm_status bm_output_txn_commit(bm_output_txn *t, bm_error *err);

/* What a path names for duplicate checks: "-" or "fd:N" for a stream, else the absolute path
 * of the file after symlinks, with "." and ".." resolved (directories that do not exist yet
 * are taken as written). Fills out (reset first); BM_ERR_IO when a symlink cannot be read. */
bm_status bm_output_identity(const char *path, bm_buf *out, bm_error *err);

#endif
