/* SPDX-License-Identifier: MIT */
/* stamp.h - the --if-changed record of `render` and `batch`.
 *
 * A stamp is a 64-bit FNV-1a hash of everything a map is made from: the bytes of the incident
 * file, the .fgb files in shapes/ and shapes/gazetteer.tsv under the data dir, the balmap
 * version, and every option of options.h's table that changes the picture, in full: numbers,
 * words and texts by value, files (style, --gazetteer, --layer) by their bytes. After a
 * successful render it is written beside each output as `<output>.balmap-stamp` (temporary file,
 * then rename). An output is up to date when it exists and its stamp holds the same hash.
 * Functions here only read the request; they are safe to call from several threads for
 * different outputs. */
#ifndef BM_STAMP_H
#define BM_STAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "balmap.h"

/* The stamp of a request (version is written into it, e.g. "0.1.0"). Returns false, with the
 * reason in why, when an input cannot be read: the render then runs and reports it. */
bool bm_stamp_compute(const bm_render_request *req, const char *version, uint64_t *out, char *why,
                      size_t why_size);

/* True when the request has outputs, each exists and its stamp holds hash (and the --scene
 * file, if any, exists). */
bool bm_stamp_is_current(const bm_render_request *req, uint64_t hash);

/* Writes `<output>.balmap-stamp` for every output. Returns false, with the reason in why, when
 * one cannot be written (the maps themselves are fine; the next run renders again). */
bool bm_stamp_write(const bm_render_request *req, uint64_t hash, char *why, size_t why_size);

/* Removes the stamps of every output (after a render without --if-changed, whose maps may no
 * longer match them). Missing stamps are fine. */
void bm_stamp_remove(const bm_render_request *req);

#endif
