/* SPDX-License-Identifier: MIT */
#include "bm_hash.h"

#include <stdlib.h>
#include <string.h>

struct bm_strmap {
    const char **keys; /* NULL: an empty slot */
    size_t *values;
    size_t cap; /* a power of two, or 0 */
    size_t n;
};

uint64_t bm_hash_str(const char *s) {
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

bm_strmap *bm_strmap_new(void) {
    return calloc(1, sizeof(bm_strmap));
}

void bm_strmap_free(bm_strmap *m) {
    if (m == NULL)
        return;
    free(m->keys);
    free(m->values);
    free(m);
}

size_t bm_strmap_size(const bm_strmap *m) {
    return m->n;
}

/* The slot holding key, or the empty slot where it would go. cap > 0. */
static size_t slot_of(const char *const *keys, size_t cap, const char *key) {
    size_t i = (size_t)bm_hash_str(key) & (cap - 1);
    while (keys[i] != NULL && strcmp(keys[i], key) != 0)
        i = (i + 1) & (cap - 1);
    return i;
}

static bm_status grow(bm_strmap *m) {
    const size_t cap = m->cap == 0 ? 16 : m->cap * 2;
    if (cap < m->cap || cap > SIZE_MAX / sizeof(size_t))
        return BM_ERR_NOMEM;
    const char **keys = calloc(cap, sizeof *keys);
    size_t *values = malloc(cap * sizeof *values);
    if (keys == NULL || values == NULL) {
        free(keys);
        free(values);
        return BM_ERR_NOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] == NULL)
            continue;
        const size_t k = slot_of(keys, cap, m->keys[i]);
        keys[k] = m->keys[i];
        values[k] = m->values[i];
    }
    free(m->keys);
    free(m->values);
    m->keys = keys;
    m->values = values;
    m->cap = cap;
    return BM_OK;
}

bm_status bm_strmap_add(bm_strmap *m, const char *key, size_t value, bool *is_new,
                        size_t *value_out) {
    if (m->cap > 0) {
        const size_t i = slot_of(m->keys, m->cap, key);
        if (m->keys[i] != NULL) {
            *is_new = false;
            if (value_out != NULL)
                *value_out = m->values[i];
            return BM_OK;
        }
    }
    if (2 * (m->n + 1) > m->cap && grow(m) != BM_OK)
        return BM_ERR_NOMEM;
    const size_t i = slot_of(m->keys, m->cap, key);
    m->keys[i] = key;
    m->values[i] = value;
    m->n++;
    *is_new = true;
    if (value_out != NULL)
        *value_out = value;
    return BM_OK;
}

bool bm_strmap_get(const bm_strmap *m, const char *key, size_t *value) {
    if (m->cap == 0)
        return false;
    const size_t i = slot_of((const char *const *)m->keys, m->cap, key);
    if (m->keys[i] == NULL)
        return false;
    if (value != NULL)
        *value = m->values[i];
    return true;
}
