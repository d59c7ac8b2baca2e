/* SPDX-License-Identifier: MIT */
/* bm_limits.h - the limits balmap puts on its input, in one table (documented in docs/limits.md;
 * keep the two together), and the check of one text field against them. Plain functions of
 * their arguments: no state, no allocation, safe from any thread.
 *
 * Each limit is far above what a real file holds, and each bounds a cost: text is measured and
 * wrapped by Pango, whose cost grows faster than the length of one run of combining marks (a
 * title of 100,000 accents took over a minute), and every claim and place is a mark to place. */
#ifndef BM_LIMITS_H
#define BM_LIMITS_H

#include <stdbool.h>
#include <stddef.h>

#include "bm_error.h"

#define BM_MAX_FILE_BYTES       ((size_t)1 << 30) /* an incident file: 1 GiB */
#define BM_MAX_NESTING          1000    /* levels of JSON arrays and objects (cJSON's own limit) */
#define BM_MAX_CLAIMS           1000000 /* claims in one file: CSV rows, GeoJSON features */
#define BM_MAX_PLACES_PER_CLAIM 10000   /* places one claim names */
#define BM_MAX_NAME_CHARS       200     /* ids, place names and their context, source names */
#define BM_MAX_TITLE_CHARS      500     /* titles, subtitle, report, reported_by, pin sources */
#define BM_MAX_PROSE_CHARS      10000   /* quotes, notes, date notes, URLs */

/* What a text field is: its limit, and whether line breaks belong in it. */
typedef enum bm_field_kind {
    BM_FIELD_NAME,  /* one line, BM_MAX_NAME_CHARS */
    BM_FIELD_TITLE, /* one line, BM_MAX_TITLE_CHARS */
    BM_FIELD_PROSE  /* may hold line breaks and tabs, BM_MAX_PROSE_CHARS */
} bm_field_kind;

/* The limit, in characters (Unicode code points), of a field of this kind. */
size_t bm_field_max_chars(bm_field_kind kind);

/* Checks one text field (NUL-terminated; bytes that are not UTF-8 are refused) and normalises it in
 * place. In a NAME or TITLE field a tab, line feed or carriage return (or a CR LF pair) is read
 * as one space (the text is one line); PROSE keeps them. Refused, with message and hint written
 * to e (status BM_ERR_INVALID; file, line and pointer are the caller's to set):
 *   - any other control character: U+0000-U+001F, U+007F (DEL), U+0080-U+009F (C1), and the
 *     noncharacters U+FFFE and U+FFFF, none of which can be drawn or written in SVG (XML 1.0
 *     forbids most of them); the message gives the code point and the character's position;
 *   - more characters than the kind's limit (the message gives both numbers);
 *   - blank text: nothing but white space, Unicode's included (no-break and ideographic spaces,
 *     zero-width space, byte-order mark).
 * what names the field in messages ("title", "the claim's quote"). Linear in the text's length.
 * Returns whether the text passed. */
bool bm_text_check(char *text, bm_field_kind kind, const char *what, bm_error *e);

#endif
