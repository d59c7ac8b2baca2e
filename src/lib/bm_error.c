/* SPDX-License-Identifier: MIT */
#include "bm_error.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bm_status bm_error_set(bm_error *err, bm_status status, const char *fmt, ...) {
    if (err == NULL)
        return status;
    if (err->status != BM_OK)
        return err->status;
    err->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

void bm_error_hint(bm_error *err, const char *fmt, ...) {
    if (err == NULL || err->hint[0] != '\0')
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->hint, sizeof err->hint, fmt, ap);
    va_end(ap);
}

void bm_error_file(bm_error *err, const char *path) {
    if (err == NULL || path == NULL || err->file[0] != '\0')
        return;
    snprintf(err->file, sizeof err->file, "%s", path);
}

void bm_error_pointer(bm_error *err, const char *pointer) {
    if (err == NULL || pointer == NULL || err->pointer[0] != '\0')
        return;
    snprintf(err->pointer, sizeof err->pointer, "%s", pointer);
}

void bm_error_clear(bm_error *err) {
    if (err != NULL)
        memset(err, 0, sizeof *err);
}

const char *bm_status_name(bm_status status) {
    switch (status) {
    case BM_OK:
        return "ok";
    case BM_ERR_NOMEM:
        return "out of memory";
    case BM_ERR_IO:
        return "input/output error";
    case BM_ERR_SYNTAX:
        return "syntax error";
    case BM_ERR_INVALID:
        return "invalid input";
    case BM_ERR_NOT_FOUND:
        return "not found";
    case BM_ERR_AMBIGUOUS:
        return "ambiguous";
    case BM_ERR_DEPENDENCY:
        return "library failure";
    }
    return "unknown error";
}

bm_status bm_diags_add(bm_diags *d, bm_severity severity, const bm_error *e) {
    if (severity == BM_SEV_ERROR)
        d->n_errors++;
    else
        d->n_warnings++;
    if (d->n_items >= BM_DIAGS_MAX)
        return BM_OK;
    if (d->items == NULL) {
        d->items = calloc(BM_DIAGS_MAX, sizeof *d->items);
        if (d->items == NULL)
            return BM_ERR_NOMEM;
    }
    d->items[d->n_items].severity = severity;
    d->items[d->n_items].where = *e;
    d->n_items++;
    return BM_OK;
}

void bm_diags_free(bm_diags *d) {
    if (d == NULL)
        return;
    free(d->items);
    memset(d, 0, sizeof *d);
}

size_t bm_edit_distance(const char *a, const char *b) {
    enum { MAX = 48 };
    const size_t na = strlen(a), nb = strlen(b);
    if (na >= MAX || nb >= MAX)
        return SIZE_MAX;
    size_t d[MAX + 1][MAX + 1];
    for (size_t i = 0; i <= na; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= nb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= na; i++) {
        for (size_t j = 1; j <= nb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[na][nb];
}

const char *bm_closest(const char *word, const char *const *candidates, size_t n) {
    const char *best = NULL;
    const size_t len = strlen(word);
    size_t best_d = len / 3 > 2 ? len / 3 : 2; /* at most a third of the word mistyped */
    for (size_t i = 0; i < n; i++) {
        const size_t d = bm_edit_distance(word, candidates[i]);
        if (d <= best_d && (best == NULL || d < best_d)) {
            best = candidates[i];
            best_d = d;
        }
    }
    return best;
}
