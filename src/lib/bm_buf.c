/* SPDX-License-Identifier: MIT */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MADV_HUGEPAGE */
#include "bm_buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void *bm_big_alloc(size_t n) {
    if (n > SIZE_MAX - BM_BIG_HEADER - BM_BIG_HUGE_PAGE)
        return NULL;
    unsigned char *block;
    size_t len = n + BM_BIG_HEADER;
    if (len < BM_BIG_MIN) {
        if ((block = malloc(len)) == NULL)
            return NULL;
        len = 0;
    } else {
        len = (len + BM_BIG_HUGE_PAGE - 1) / BM_BIG_HUGE_PAGE * BM_BIG_HUGE_PAGE;
        block = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (block == MAP_FAILED)
            return NULL;
#ifdef MADV_HUGEPAGE
        madvise(block, len, MADV_HUGEPAGE); /* advice only: without it, ordinary pages */
#endif
    }
    memcpy(block, &len, sizeof len);
    return block + BM_BIG_HEADER;
}

void bm_big_free(void *p) {
    if (p == NULL)
        return;
    unsigned char *block = (unsigned char *)p - BM_BIG_HEADER;
    size_t len;
    memcpy(&len, block, sizeof len);
    if (len == 0)
        free(block);
    else
        munmap(block, len);
}

bm_status bm_buf_append(bm_buf *b, const void *bytes, size_t n) {
    if (n > b->cap || b->len > b->cap - n)
        return BM_ERR_NOMEM;
    if (b->len + n + 1 > b->alloc) {
        size_t want = b->alloc ? b->alloc : 256;
        while (want < b->len + n + 1)
            want = want > SIZE_MAX / 2 ? SIZE_MAX : want * 2;
        if (want > b->cap + 1)
            want = b->cap + 1;
        char *p = realloc(b->data, want);
        if (p == NULL)
            return BM_ERR_NOMEM;
        b->data = p;
        b->alloc = want;
    }
    if (n > 0)
        memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
    return BM_OK;
}

bm_status bm_buf_appends(bm_buf *b, const char *s) {
    return bm_buf_append(b, s, strlen(s));
}

bm_status bm_buf_vprintf(bm_buf *b, const char *fmt, va_list ap) {
    char small[256];
    va_list copy;
    va_copy(copy, ap);
    const int n = vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    if (n < 0)
        return BM_ERR_INVALID;
    if ((size_t)n < sizeof small)
        return bm_buf_append(b, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (big == NULL)
        return BM_ERR_NOMEM;
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    const bm_status st = bm_buf_append(b, big, (size_t)n);
    free(big);
    return st;
}

bm_status bm_buf_printf(bm_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    const bm_status st = bm_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return st;
}

const char *bm_buf_str(const bm_buf *b) {
    return b->data ? b->data : "";
}

void bm_buf_reset(bm_buf *b) {
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void bm_buf_free(bm_buf *b) {
    if (b == NULL)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->alloc = 0;
}

bm_status bm_buf_read_file(bm_buf *b, const char *path, size_t max_bytes, bm_error *err) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        bm_error_set(err, BM_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
        bm_error_file(err, path);
        bm_error_hint(err, "check the path and that the file is readable");
        return err ? err->status : BM_ERR_IO;
    }
    const size_t saved_cap = b->cap;
    b->cap = max_bytes;
    char chunk[65536];
    size_t n;
    bm_status st = BM_OK;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (bm_buf_append(b, chunk, n) != BM_OK) {
            st = bm_error_set(err, BM_ERR_IO, "'%s' is larger than %zu bytes", path, max_bytes);
            bm_error_file(err, path);
            break;
        }
    }
    if (st == BM_OK && ferror(f)) {
        st = bm_error_set(err, BM_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
        bm_error_file(err, path);
    }
    fclose(f);
    b->cap = saved_cap;
    if (st == BM_OK && b->data == NULL)
        st = bm_buf_append(b, "", 0);
    return st;
}

bm_status bm_grow(void **items, size_t *n_alloc, size_t n_needed, size_t elem_size) {
    if (n_needed <= *n_alloc)
        return BM_OK;
    size_t want = *n_alloc ? *n_alloc : 8;
    while (want < n_needed) {
        if (want > SIZE_MAX / 2)
            return BM_ERR_NOMEM;
        want *= 2;
    }
    if (elem_size != 0 && want > SIZE_MAX / elem_size)
        return BM_ERR_NOMEM;
    void *p = realloc(*items, want * elem_size);
    if (p == NULL)
        return BM_ERR_NOMEM;
    *items = p;
    *n_alloc = want;
    return BM_OK;
}

/* Blocks of at least 64 KiB: a model of a few thousand strings needs a handful. */
#define ARENA_BLOCK 65536

typedef struct arena_block {
    struct arena_block *next;
    size_t used, size;
    max_align_t data[]; /* aligned storage */
} arena_block;

struct bm_arena {
    arena_block *head;
};

bm_arena *bm_arena_new(void) {
    return calloc(1, sizeof(bm_arena));
}

void bm_arena_free(bm_arena *a) {
    if (a == NULL)
        return;
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

/* n bytes at a multiple of align (a power of two, at most max_align_t's), not zeroed. Strings
 * take align 1: a gazetteer of 100,000 places holds a million short ones. */
static void *arena_alloc_raw(bm_arena *a, size_t n, size_t align) {
    if (n > SIZE_MAX - 2 * sizeof(max_align_t))
        return NULL;
    size_t at = a->head != NULL ? (a->head->used + align - 1) & ~(align - 1) : 0;
    if (a->head == NULL || at > a->head->size || a->head->size - at < n) {
        const size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        arena_block *b = malloc(sizeof(arena_block) + size);
        if (b == NULL)
            return NULL;
        b->next = a->head;
        b->used = 0;
        b->size = size;
        a->head = b;
        at = 0;
    }
    void *p = (char *)a->head->data + at;
    a->head->used = at + n;
    return p;
}

void *bm_arena_alloc(bm_arena *a, size_t n) {
    void *p = arena_alloc_raw(a, n, sizeof(max_align_t));
    if (p != NULL)
        memset(p, 0, n);
    return p;
}

char *bm_arena_strndup(bm_arena *a, const char *s, size_t n) {
    if (s == NULL)
        return NULL;
    char *p = arena_alloc_raw(a, n + 1, 1); /* every byte is written below */
    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *bm_arena_strdup(bm_arena *a, const char *s) {
    return s ? bm_arena_strndup(a, s, strlen(s)) : NULL;
}
