/* SPDX-License-Identifier: MIT */
/* bm_buf.h - the one growable buffer, the one vector-growth helper, and a string arena.
 *
 * bm_buf: a NUL-terminated byte buffer with a hard size cap (curl's dynbuf). Invariant: when
 * len > 0, data[len] == '\0'. BM_BUF_INIT(cap) makes an empty one; bm_buf_free releases it.
 *
 * bm_grow: overflow-checked growth of a caller-owned array.
 *
 * bm_arena: strings and small objects that live as long as the model that owns the arena;
 * one bm_arena_free releases all of them, so error paths cannot leak. */
#ifndef BM_BUF_H
#define BM_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "bm_error.h"

typedef struct bm_buf {
    char *data; /* NULL until the first append */
    size_t len, alloc, cap;
} bm_buf;

#define BM_BUF_INIT(cap_bytes)                                                                     \
    { NULL, 0, 0, (cap_bytes) }

bm_status bm_buf_append(bm_buf *b, const void *bytes, size_t n);
bm_status bm_buf_appends(bm_buf *b, const char *s);
bm_status bm_buf_printf(bm_buf *b, const char *fmt, ...) BM_PRINTF(2, 3);
bm_status bm_buf_vprintf(bm_buf *b, const char *fmt, va_list ap) BM_VPRINTF(2);
/* Text so far; "" (never NULL) when empty. Borrowed. */
const char *bm_buf_str(const bm_buf *b);
void bm_buf_reset(bm_buf *b); /* keeps the memory */
void bm_buf_free(bm_buf *b);  /* NULL is a no-op */
/* Reads a whole file (at most max_bytes). On failure fills err with file and reason. */
bm_status bm_buf_read_file(bm_buf *b, const char *path, size_t max_bytes, bm_error *err);

/* Makes room for n_needed items of elem_size bytes in *items (capacity *n_alloc), doubling.
 * Returns BM_ERR_NOMEM on overflow or allocation failure, leaving *items untouched. */
bm_status bm_grow(void **items, size_t *n_alloc, size_t n_needed, size_t elem_size);

/* Large blocks (a megabyte or more: a PNG raster, a big gazetteer's indexes and text) are mapped
 * and given huge pages where the kernel lends them (transparent huge pages in madvise mode): on
 * this project's virtual machines a first touch of a 4 KiB page costs 10-20 us, and a 7.7 MB
 * raster took 1,875 page faults, a 100,000-row gazetteer 25,000. Smaller ones come from malloc.
 * bm_big_alloc returns NULL when out of memory; the block is not zeroed; bm_big_free(NULL) is a
 * no-op. The block is aligned as malloc's. */
#define BM_BIG_MIN       ((size_t)1 << 20)
#define BM_BIG_HUGE_PAGE ((size_t)2 << 20)
#define BM_BIG_HEADER    64 /* before the block: its mapped length (0: from malloc) */
void *bm_big_alloc(size_t n);
void bm_big_free(void *p);

typedef struct bm_arena bm_arena;
bm_arena *bm_arena_new(void);
void bm_arena_free(bm_arena *a); /* NULL is a no-op */
/* n bytes, zeroed, aligned for any type; NULL when memory runs out. Owned by the arena. */
void *bm_arena_alloc(bm_arena *a, size_t n);
/* Copy of s (NULL gives NULL); owned by the arena. */
char *bm_arena_strdup(bm_arena *a, const char *s);
char *bm_arena_strndup(bm_arena *a, const char *s, size_t n);

#endif
