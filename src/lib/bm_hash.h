/* SPDX-License-Identifier: MIT */
/* bm_hash.h - a map from strings to numbers (indexes, line numbers), for the duplicate checks
 * that must stay linear in their input (issue 14): open addressing with linear probing on
 * 64-bit FNV-1a, kept at most half full, so adding and finding take constant expected time.
 *
 * Keys are borrowed: each must stay valid and unchanged until the map is freed (strings in the
 * caller's arena). The map owns only its table. Not thread-safe for writers; readers of a map
 * that no longer changes may share it. */
#ifndef BM_HASH_H
#define BM_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bm_error.h"

typedef struct bm_strmap bm_strmap;

/* An empty map; NULL when memory runs out. */
bm_strmap *bm_strmap_new(void);
void bm_strmap_free(bm_strmap *m); /* NULL is a no-op */

/* Adds key -> value unless the key is already there. *is_new says which; *value_out (may be
 * NULL) receives the value now stored under key (the earlier one when it was there). Returns
 * BM_ERR_NOMEM, with the map unchanged, when the table cannot grow. */
bm_status bm_strmap_add(bm_strmap *m, const char *key, size_t value, bool *is_new,
                        size_t *value_out);

/* Whether key is there; its value in *value (may be NULL). */
bool bm_strmap_get(const bm_strmap *m, const char *key, size_t *value);

size_t bm_strmap_size(const bm_strmap *m);

/* 64-bit FNV-1a of a string (Fowler, Noll, Vo): not cryptographic. */
uint64_t bm_hash_str(const char *s);

#endif
