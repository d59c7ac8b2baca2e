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

bm_status bm_report(bm_diags *diags, bm_error *err, size_t *n_errors, bm_severity severity,
                    const bm_error *e) {
    if (severity == BM_SEV_ERROR) {
        (*n_errors)++;
        if (err != NULL && err->status == BM_OK)
            *err = *e;
    }
    return diags != NULL ? bm_diags_add(diags, severity, e) : BM_OK;
}

int bm_edit_distance_within(const char *a, size_t la, const char *b, size_t lb, int cap) {
    if (la > BM_EDIT_MAX_LEN || lb > BM_EDIT_MAX_LEN)
        return cap + 1;
    int rows[3][BM_EDIT_MAX_LEN + 1];
    int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        int row_min = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            const int cost = a[i - 1] != b[j - 1];
            int v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (prev[j - 1] + cost < v)
                v = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < row_min)
                row_min = v;
        }
        if (row_min > cap)
            return cap + 1;
        int *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb] > cap ? cap + 1 : prev[lb];
}

size_t bm_edit_distance(const char *a, const char *b) {
    const size_t na = strlen(a), nb = strlen(b);
    if (na >= 48 || nb >= 48)
        return SIZE_MAX;
    return (size_t)bm_edit_distance_within(a, na, b, nb, 96);
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
