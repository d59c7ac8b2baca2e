/* SPDX-License-Identifier: MIT */
/* json_kit.h - the one JSON reading kit, behind cJSON: syntax diagnosis, positions, and typed
 * getters whose errors carry file, line, column, JSON pointer, what was expected and a hint.
 *
 * Usage (a reader of some JSON file; the batch manifest reader is one):
 *
 *     bm_json_reader r;
 *     bm_json_reader_init(&r, text, len, path, diags, err); // diags may be NULL
 *     cJSON *root = bm_json_reader_parse(&r);               // NULL: syntax error reported
 *     static const char *const keys[] = {"input", "output", "options"};
 *     static const bm_json_rules job_rules = {"job", keys, 3, BM_SEV_ERROR, NULL};
 *     size_t saved = bm_json_push_key(&r, "jobs");          // pointer "/jobs"
 *     ... bm_json_push_index(&r, i); bm_json_check_members(&r, job, &job_rules);
 *     const char *in = bm_json_get_string(&r, job, "input", "job", true); // borrowed
 *     long w; bm_json_get_int(&r, opts, "width", 100, 20000, &w);
 *     double dpi; bm_json_get_number(&r, opts, "dpi", 30, 1200, &dpi);
 *     for (const cJSON *o = outs->child; ...) bm_json_as_string(&r, o, "an output path");
 *     bm_json_pop(&r, saved);
 *     ... if (r.n_errors > 0 || r.is_out_of_memory) fail; err holds the first error
 *     cJSON_Delete(root); bm_json_reader_free(&r);
 *
 * Every problem goes to diags (when not NULL) and is counted in n_errors or n_warnings; the first
 * error is copied to err. Getters return NULL/false after reporting; an absent optional member is
 * no problem (false/NULL, nothing reported). Strings returned are borrowed from the cJSON tree.
 * A reader belongs to one call and one thread. */
#ifndef BM_JSON_KIT_H
#define BM_JSON_KIT_H

#include <cjson/cJSON.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "bm_error.h"

typedef struct bm_json_pos {
    const cJSON *node;
    int line, column;         /* where the value starts */
    int key_line, key_column; /* where its member name starts; 0 for array elements and the root */
} bm_json_pos;

typedef struct bm_json_positions { /* plain data: start with {0}, end with _free */
    bm_json_pos *items;            /* sorted by node once scanned */
    size_t n, n_alloc;
} bm_json_positions;

/* Parses text as one JSON value with nothing but white space after it into *root (the caller
 * deletes it), and records in positions (when not NULL) where each of its values starts.
 * BM_ERR_SYNTAX when the text is not that: *root is NULL and *stop is where cJSON stopped, for
 * bm_json_syntax_error. BM_ERR_NOMEM when memory ran out for positions: *root is set. */
bm_status bm_json_parse(const char *text, size_t len, cJSON **root, const char **stop,
                        bm_json_positions *positions);

/* Why text (which cJSON refused; stop as bm_json_parse gives it) is not JSON: sets e's status
 * (BM_ERR_SYNTAX), line, column, message ("invalid JSON: expected ',' or '}', found '\"'") and
 * hint after what usually causes it (a trailing or missing comma, an unterminated string, an
 * unclosed bracket, a comment, single quotes). The file is the caller's to set. */
void bm_json_syntax_error(const char *text, size_t len, const char *stop, bm_error *e);

/* Where node starts; NULL when node is NULL or was not recorded. */
const bm_json_pos *bm_json_position_of(const bm_json_positions *p, const cJSON *node);
void bm_json_positions_free(bm_json_positions *p); /* NULL is a no-op */

/* The first member of obj named key, case-sensitively (unlike cJSON_GetObjectItem); NULL when
 * there is none or obj is NULL. */
const cJSON *bm_json_member(const cJSON *obj, const char *key);

/* "a number (5)", "a string ('x')", "an object", "nothing" (for NULL), ... into out, for
 * "expected X, found Y" messages. Returns out. */
const char *bm_json_describe(const cJSON *item, char *out, size_t out_size);

/* ---- a reader: positions, the pointer being read, and every problem --------------------- */

typedef struct bm_json_reader {
    const char *text;
    size_t len;
    const char *path; /* for messages; never NULL after init */
    bm_diags *diags;  /* may be NULL */
    bm_error *err;    /* may be NULL */
    size_t n_errors, n_warnings;
    bool is_out_of_memory;
    bm_json_positions positions;
    char pointer[1024]; /* RFC 6901 pointer of the value being read */
    size_t pointer_len;
} bm_json_reader;

void bm_json_reader_init(bm_json_reader *r, const char *text, size_t len, const char *path,
                         bm_diags *diags, bm_error *err);
void bm_json_reader_free(bm_json_reader *r); /* the positions; NULL is a no-op */

/* Flags every byte sequence that is not UTF-8, and NUL bytes (one error each, with position).
 * Returns whether there were none. */
bool bm_json_check_utf8(bm_json_reader *r);

/* Parses r's text; on a syntax error reports it and returns NULL. The caller deletes the tree. */
cJSON *bm_json_reader_parse(bm_json_reader *r);

/* The pointer: push returns what to give pop. Keys are escaped (~0, ~1). */
size_t bm_json_push_key(bm_json_reader *r, const char *key);
size_t bm_json_push_index(bm_json_reader *r, size_t i);
void bm_json_pop(bm_json_reader *r, size_t saved);

/* The line where node starts; 0 when unknown. */
int bm_json_line_of(const bm_json_reader *r, const cJSON *node);

/* Records the problem e (counted; the first error copied to err; all to diags). */
void bm_json_report(bm_json_reader *r, bm_severity severity, const bm_error *e);

/* Adds one problem at node (its member name when at_key), with the current pointer. hint may be
 * NULL. status is BM_ERR_INVALID. */
void bm_json_flag(bm_json_reader *r, bm_severity severity, const cJSON *at, bool at_key,
                  const char *hint, const char *fmt, ...) BM_PRINTF(6, 7);
void bm_json_vflag(bm_json_reader *r, bm_severity severity, const cJSON *at, bool at_key,
                   const char *hint, const char *fmt, va_list ap) BM_VPRINTF(6);
/* An error at the member key of obj, with the pointer to it. */
void bm_json_error_in(bm_json_reader *r, const cJSON *obj, const char *key, const char *hint,
                      const char *fmt, ...) BM_PRINTF(5, 6);
/* "missing required key 'key' in what", at obj. */
void bm_json_missing(bm_json_reader *r, const cJSON *obj, const char *key, const char *what,
                     const char *hint);

/* The members an object may have. */
typedef struct bm_json_rules {
    const char *what; /* "claim", "source", ... for messages */
    const char *const *keys;
    size_t n_keys;
    bm_severity unknown;      /* how an unknown key counts */
    const char *unknown_hint; /* when no key is near it; NULL: "remove it" */
} bm_json_rules;

/* Unknown keys are reported ("unknown key 'vlaue' in claim (ignored); expected one of: ..."),
 * with "did you mean 'value'?" when one is near; duplicate keys are errors, because cJSON would
 * keep one of them without saying so. */
void bm_json_check_members(bm_json_reader *r, const cJSON *obj, const bm_json_rules *rules);

/* Whether item is an object (an error if not); when it is, checks its members against rules
 * (when not NULL). what: "an incident". */
bool bm_json_expect_object(bm_json_reader *r, const cJSON *item, const char *what,
                           const bm_json_rules *rules);

/* A non-blank string member; NULL when absent (an error if required), not a string or blank
 * (errors). Borrowed from the tree. */
const char *bm_json_get_string(bm_json_reader *r, const cJSON *obj, const char *key,
                               const char *what, bool is_required);
/* item itself (an array element, say) as a non-blank string; NULL after an error at item, with
 * r's pointer, "expected <what> as a non-empty string, found ...". Borrowed from the tree. */
const char *bm_json_as_string(bm_json_reader *r, const cJSON *item, const char *what);
/* An array member; NULL when absent (an error if required) or not an array (an error). */
const cJSON *bm_json_get_array(bm_json_reader *r, const cJSON *obj, const char *key,
                               const char *what, bool is_required);
/* An object member; NULL when absent or not an object (an error). */
const cJSON *bm_json_get_object(bm_json_reader *r, const cJSON *obj, const char *key);
/* A true/false member into *out; false when absent or not a boolean (an error). */
bool bm_json_get_bool(bm_json_reader *r, const cJSON *obj, const char *key, bool *out);
/* A number member in [min, max] into *out; false when absent or anything else (an error that
 * gives the range). */
bool bm_json_get_number(bm_json_reader *r, const cJSON *obj, const char *key, double min,
                        double max, double *out);
/* A whole number member in [min, max] into *out; false when absent or anything else (an error
 * that gives the range). */
bool bm_json_get_int(bm_json_reader *r, const cJSON *obj, const char *key, long min, long max,
                     long *out);
/* A string member that must be one of names (n of them): its index in *out. Unknown words are
 * errors that list the names and suggest the nearest. */
bool bm_json_get_enum(bm_json_reader *r, const cJSON *obj, const char *key, const char *what,
                      const char *const *names, size_t n, bool is_required, size_t *out);

/* Appends "/" and key, escaped as RFC 6901 says ('~' is "~0", '/' is "~1"), to the pointer of
 * len bytes in a buffer of size bytes (cut to fit; always NUL-terminated). Returns the new
 * length. */
size_t bm_json_pointer_add(char *pointer, size_t len, size_t size, const char *key);

/* "a, b, c" into out. */
void bm_json_join(const char *const *words, size_t n, char *out, size_t out_size);

#endif
