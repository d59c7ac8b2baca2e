/* SPDX-License-Identifier: MIT */
/* incidents_rows.h - for the flat readers only (incidents_csv.c, incidents_geojson.c): one record
 * per event or feature, turned into the incident model (incidents.h).
 *
 * A bm_rows collects sources (one per distinct id), place pins (one per distinct name; the same
 * name at two points is an error), incidents and their claims, and every problem found, then
 * hands the parts to bm_incidents_new_take. Strings given to it must live in its arena
 * (bm_rows_arena) or be string literals; the structs themselves are copied. A bm_rows belongs to
 * one reader call and one thread. */
#ifndef BM_INCIDENTS_ROWS_H
#define BM_INCIDENTS_ROWS_H

#include <stdbool.h>
#include <stddef.h>

#include "bm_buf.h"
#include "bm_error.h"
#include "incidents.h"

typedef struct bm_rows bm_rows; /* opaque */

/* A builder for the file at path (used in messages and kept by the model). NULL when memory
 * runs out. diags and err may be NULL. */
bm_rows *bm_rows_new(const char *path, bm_diags *diags, bm_error *err);
void bm_rows_free(bm_rows *r); /* NULL is a no-op */
bm_arena *bm_rows_arena(bm_rows *r);
/* Copies s into the arena (NULL gives NULL); remembers when memory runs out. */
const char *bm_rows_strdup(bm_rows *r, const char *s);

/* Adds one problem at line:column (1-based; 0 when unknown). The first error also goes to err.
 * pointer and hint may be NULL. */
void bm_rows_flag(bm_rows *r, bm_severity severity, bm_status status, int line, int column,
                  const char *pointer, const char *hint, const char *fmt, ...) BM_PRINTF(8, 9);
size_t bm_rows_n_errors(const bm_rows *r);
/* Counts n errors reported elsewhere (through a bm_json_reader sharing diags and err), so that
 * bm_rows_finish refuses the file. */
void bm_rows_count_errors(bm_rows *r, size_t n);
/* Records that memory ran out; bm_rows_finish then fails with BM_ERR_NOMEM. */
void bm_rows_out_of_memory(bm_rows *r);

/* Flags every byte sequence that is not UTF-8, and NUL bytes (one error each, with position). */
void bm_rows_check_utf8(bm_rows *r, const char *text, size_t len);

/* The index of the source with this id, declaring it on first use. */
bool bm_rows_source(bm_rows *r, const char *id, const char *label, const char *kind, int line,
                    size_t *index);

/* Pins name at lat/lon. A second pin with the same name (ASCII case ignored) and a point within
 * 0.0001 degrees (about 10 m) is the same pin; farther away it is an error at line:column, and
 * false is returned. */
bool bm_rows_pin(bm_rows *r, const char *name, const char *kind, double lat_deg, double lon_deg,
                 const char *coords_source, const char *pointer, int line, int column);

/* The index of the incident with this id; a new one when none has it. With is_new_id the caller
 * promises the id is new (skips the search). A date that differs from the incident's first
 * record is an error. */
bool bm_rows_incident(bm_rows *r, const char *id, const char *title, const char *date,
                      bool is_new_id, const char *pointer, int line, int column, size_t *index);
/* Appends a copy of *c to the incident's claims. */
bool bm_rows_claim(bm_rows *r, size_t incident, const bm_claim *c);

/* The model, or NULL if any error was flagged or memory ran out (err then holds the first
 * error). The builder is spent either way; free it afterwards. */
bm_incidents *bm_rows_finish(bm_rows *r, const char *title, const char *subtitle,
                             const char *const *notes, size_t n_notes);

#endif
