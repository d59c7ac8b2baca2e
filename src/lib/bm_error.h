/* SPDX-License-Identifier: MIT */
/* bm_error.h - error values that say where a problem is and what to do about it.
 *
 * A bm_error is plain data owned by the caller (usually on the stack, zero-initialised).
 * Library calls fill it on failure; the first failure wins: bm_error_set keeps an earlier
 * status and message and returns the status already there. Callers add only what they know
 * (a file name) and propagate with `if (f(..., err) != BM_OK) return err->status;`.
 *
 * bm_diags collects many problems (validate lists them all); it owns its array. */
#ifndef BM_ERROR_H
#define BM_ERROR_H

#include <stddef.h>

typedef enum bm_status {
    BM_OK = 0,
    BM_ERR_NOMEM,     /* out of memory */
    BM_ERR_IO,        /* a file could not be read or written */
    BM_ERR_SYNTAX,    /* malformed JSON, CSV, TSV */
    BM_ERR_INVALID,   /* well-formed input with a wrong value */
    BM_ERR_NOT_FOUND, /* a name that resolves to nothing */
    BM_ERR_AMBIGUOUS, /* a name that resolves to more than one thing */
    BM_ERR_DEPENDENCY /* Cairo, GDAL, PROJ or Pango failed */
} bm_status;

typedef struct bm_error {
    bm_status status;
    char file[512];    /* input the problem is in; "" if none */
    int line, column;  /* 1-based; 0 when unknown */
    char pointer[256]; /* RFC 6901 JSON pointer, e.g. "/incidents/0/claims/2/value" */
    char message[512]; /* what was expected and what was found */
    char hint[256];    /* what to do; "" when there is nothing useful to say */
} bm_error;

#if defined(__GNUC__)
#define BM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define BM_VPRINTF(a)   __attribute__((format(printf, a, 0))) /* a va_list version */
#else
#define BM_PRINTF(a, b)
#define BM_VPRINTF(a)
#endif

/* Sets status and message unless err already holds a failure; returns err->status.
 * err may be NULL (then only the status is returned). */
bm_status bm_error_set(bm_error *err, bm_status status, const char *fmt, ...) BM_PRINTF(3, 4);
/* Sets the hint if none is set yet. */
void bm_error_hint(bm_error *err, const char *fmt, ...) BM_PRINTF(2, 3);
/* Sets the file name if none is set yet. */
void bm_error_file(bm_error *err, const char *path);
/* Sets the JSON pointer if none is set yet. */
void bm_error_pointer(bm_error *err, const char *pointer);
/* Forgets any failure. */
void bm_error_clear(bm_error *err);
/* Short name of a status ("invalid input", ...). Never NULL. */
const char *bm_status_name(bm_status status);

/* Problems found while reading; errors and warnings, capped at BM_DIAGS_MAX. */
#define BM_DIAGS_MAX 100
typedef enum bm_severity { BM_SEV_ERROR, BM_SEV_WARNING } bm_severity;
typedef struct bm_diag {
    bm_severity severity;
    bm_error where; /* status, file, line, column, pointer, message, hint */
} bm_diag;
typedef struct bm_diags {
    bm_diag *items; /* owned */
    size_t n_items;
    size_t n_errors, n_warnings; /* counted even past the cap */
} bm_diags;

/* Appends a copy of e with the given severity (dropped silently past the cap, but counted).
 * Returns BM_ERR_NOMEM only when memory runs out. */
bm_status bm_diags_add(bm_diags *d, bm_severity severity, const bm_error *e);
void bm_diags_free(bm_diags *d); /* frees the items and zeroes d; NULL is a no-op */

/* Records the problem e: an error is counted in *n_errors and, if it is the first, copied to err;
 * every problem goes to diags. err and diags may be NULL. BM_ERR_NOMEM when diags could not take
 * it. */
bm_status bm_report(bm_diags *diags, bm_error *err, size_t *n_errors, bm_severity severity,
                    const bm_error *e);

/* The one edit distance: insertions, deletions, substitutions and swaps of neighbours (optimal
 * string alignment) between the la bytes at a and the lb bytes at b, or cap + 1 as soon as it
 * must exceed cap. Lengths up to BM_EDIT_MAX_LEN; longer words give cap + 1. */
#define BM_EDIT_MAX_LEN 64
int bm_edit_distance_within(const char *a, size_t la, const char *b, size_t lb, int cap);
/* For "did you mean" hints: the same, uncapped; SIZE_MAX for words of 48 bytes or more. */
size_t bm_edit_distance(const char *a, const char *b);
/* The candidate nearest word within a third of its length (at least 2 edits), or NULL: a
 * suggestion, never a substitute. */
const char *bm_closest(const char *word, const char *const *candidates, size_t n);

/* Warning callback used by long-running library calls: the library never prints. */
typedef void (*bm_warn_fn)(void *user, const bm_error *warning);

#endif
