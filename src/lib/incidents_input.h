/* SPDX-License-Identifier: MIT */
/* incidents_input.h - private to the incident readers (incidents*.c): what they share for
 * reading input text. Line and column counting, UTF-8 validation and ASCII case folding for any
 * reader; for the JSON readers (incidents_json.c, incidents_geojson.c) a table of where each value
 * of a cJSON tree starts in its text (cJSON keeps no positions), member lookup, and the wording of
 * a value in "expected X, found Y" messages. Nothing here keeps state between calls; a position
 * table belongs to one reader call and one thread. Returned pointers are borrowed. */
#ifndef BM_INCIDENTS_INPUT_H
#define BM_INCIDENTS_INPUT_H

#include <cjson/cJSON.h>

#include <stdbool.h>
#include <stddef.h>

#include "bm_error.h"

/* Moves line and column (1-based) past the byte b: '\n' starts a line, and UTF-8 continuation
 * bytes do not start a column, so a caret lines up under multi-byte names. */
void bm_input_count(unsigned char b, int *line, int *column);

/* The line and column of byte offset in text. */
void bm_input_locate(const char *text, size_t offset, int *line, int *column);

/* The length (1 to 4) of the well-formed UTF-8 sequence at the start of the n bytes at s, or 0
 * when there is none there: a NUL byte, a stray or missing continuation byte, an overlong form, a
 * surrogate, anything above U+10FFFF, or a sequence cut off by the end of the n bytes. */
size_t bm_input_utf8_length(const char *s, size_t n);

/* Reads min_n to max_n ASCII digits at *s (as many as there are, up to max_n), moving *s past
 * them. False, with *s and *out untouched, when fewer than min_n are there. */
bool bm_input_digits(const char **s, int min_n, int max_n, long *out);

/* Whether month m (1-12) and day d of year y (proleptic Gregorian) exist; when not, writes why
 * ("month 13 is not 01-12", "day 30 is not in month 02 of 2026, which has 28 days"). */
bool bm_input_check_date(long y, long m, long d, char *why, size_t why_size);

/* Records the problem e: an error is counted in *n_errors and, if it is the first, copied to err;
 * every problem goes to diags. err and diags may be NULL. BM_ERR_NOMEM when diags could not take
 * it. */
bm_status bm_input_report(bm_diags *diags, bm_error *err, size_t *n_errors, bm_severity severity,
                          const bm_error *e);

/* Whether a and b are equal but for ASCII case. */
bool bm_input_iequal(const char *a, const char *b);

typedef struct bm_input_pos {
    const cJSON *node;
    int line, column;         /* where the value starts */
    int key_line, key_column; /* where its member name starts; 0 for array elements and the root */
} bm_input_pos;

typedef struct bm_input_positions { /* plain data: start with {0}, end with _free */
    bm_input_pos *items;            /* sorted by node once scanned */
    size_t n, n_alloc;
} bm_input_positions;

/* Parses text as one JSON value with nothing but white space after it into *root (the caller
 * deletes it), and records in positions where each of its values starts. BM_ERR_SYNTAX when the
 * text is not that: *root is NULL and *stop is where the text stops being JSON, for the reader's
 * message. BM_ERR_NOMEM when memory ran out for positions: *root is set, positions partial. */
bm_status bm_input_parse_json(const char *text, size_t len, cJSON **root, const char **stop,
                              bm_input_positions *positions);

/* Why text stops being JSON at stop (as bm_input_parse_json gives it): sets e's status
 * (BM_ERR_SYNTAX), line, column, message and hint after what usually stops it there (an
 * unterminated string, an unclosed bracket, a trailing or missing comma); the file is the
 * caller's to set. */
void bm_input_syntax_error(const char *text, size_t len, const char *stop, bm_error *e);

/* Where node starts; NULL when node is NULL or was not recorded. */
const bm_input_pos *bm_input_position_of(const bm_input_positions *p, const cJSON *node);
void bm_input_positions_free(bm_input_positions *p); /* NULL is a no-op */

/* The first member of obj named key, case-sensitively (unlike cJSON_GetObjectItem); NULL when
 * there is none or obj is NULL. */
const cJSON *bm_input_member(const cJSON *obj, const char *key);

/* "a number (5)", "a string ('x')", "an object", "nothing" (for NULL), ... into out, for
 * "expected X, found Y" messages. Returns out. */
const char *bm_input_describe(const cJSON *item, char *out, size_t out_size);

#endif
