/* SPDX-License-Identifier: MIT */
/* incidents_load.h - reads an incident file of any supported format into the model
 * (incidents.h): the one call above the readers (incidents_readers.h). */
#ifndef BM_INCIDENTS_LOAD_H
#define BM_INCIDENTS_LOAD_H

#include "bm_error.h"
#include "incidents.h"

/* Reads an incident file, picking the reader by extension and content: .csv is an ACLED-shaped
 * CSV, .geojson a FeatureCollection; a .json file that is a FeatureCollection without a "balmap"
 * key (GeoJSON saved as .json) goes to the GeoJSON reader; every other file is the balmap JSON
 * format. Every problem found is added to diags (when not NULL); if any is an error, returns
 * NULL and err holds the first. Syntax errors carry line and column. The caller frees the model
 * with bm_incidents_free. */
bm_incidents *bm_incidents_load(const char *path, bm_diags *diags, bm_error *err);
/* The same in a named format, "json", "csv" (ACLED-shaped) or "geojson", whatever the name;
 * NULL: by name and content as bm_incidents_load. parse_as reads text already in memory
 * (NUL-terminated at len; standard input), path only naming it in messages ("<stdin>"). */
bm_incidents *bm_incidents_load_as(const char *path, const char *format, bm_diags *diags,
                                   bm_error *err);
bm_incidents *bm_incidents_parse_as(const char *text, size_t len, const char *path,
                                    const char *format, bm_diags *diags, bm_error *err);

#endif
