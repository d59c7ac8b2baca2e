/* SPDX-License-Identifier: MIT */
/* incidents_readers.h - the incident readers, one per format, each from text in memory to the
 * model (incidents.h). bm_incidents_load (incidents_load.h) picks one by the file's name and
 * content; tests and fuzzers call them directly.
 *
 * Each reads text (len bytes, NUL-terminated or not); path is used in messages only (may be
 * NULL). Every problem found is added to diags (when not NULL); if any is an error, returns NULL
 * and err holds the first. Syntax errors carry line and column. */
#ifndef BM_INCIDENTS_READERS_H
#define BM_INCIDENTS_READERS_H

#include <stddef.h>

#include "bm_error.h"
#include "incidents.h"

/* The balmap JSON format (docs/incident-format.md). */
bm_incidents *bm_incidents_parse(const char *text, size_t len, const char *path, bm_diags *diags,
                                 bm_error *err);
/* An ACLED-shaped CSV export (docs/input-formats.md). */
bm_incidents *bm_incidents_parse_csv(const char *text, size_t len, const char *path,
                                     bm_diags *diags, bm_error *err);
/* A GeoJSON FeatureCollection of points, one claim each (docs/input-formats.md). */
bm_incidents *bm_incidents_parse_geojson(const char *text, size_t len, const char *path,
                                         bm_diags *diags, bm_error *err);

#endif
