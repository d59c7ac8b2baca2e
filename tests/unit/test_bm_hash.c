/* SPDX-License-Identifier: MIT */
/* test_bm_hash.c - the string map behind the linear duplicate checks: add, find, repeats,
 * growth past many sizes, keys that differ only late. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_hash.h"
#include "check.h"

static void adds_finds_and_keeps_the_first(void) {
    bm_strmap *m = bm_strmap_new();
    REQUIRE(m != NULL);
    bool is_new = false;
    size_t v = 0;
    CHECK(!bm_strmap_get(m, "a", &v));
    CHECK_INTEQ(bm_strmap_add(m, "quetta", 7, &is_new, &v), BM_OK);
    CHECK(is_new);
    CHECK_INTEQ(v, 7);
    CHECK_INTEQ(bm_strmap_add(m, "quetta", 9, &is_new, &v), BM_OK);
    CHECK(!is_new);
    CHECK_INTEQ(v, 7); /* the first stays */
    CHECK(bm_strmap_get(m, "quetta", &v));
    CHECK_INTEQ(v, 7);
    CHECK(!bm_strmap_get(m, "Quetta", NULL)); /* exact bytes */
    CHECK_INTEQ(bm_strmap_add(m, "", 1, &is_new, NULL), BM_OK);
    CHECK(is_new);
    CHECK(bm_strmap_get(m, "", &v));
    CHECK_INTEQ(v, 1);
    CHECK_INTEQ(bm_strmap_size(m), 2);
    bm_strmap_free(m);
    bm_strmap_free(NULL);
}

static void grows_to_many_keys(void) {
    enum { N = 50000 };
    char(*keys)[32] = malloc(N * sizeof *keys);
    REQUIRE(keys != NULL);
    bm_strmap *m = bm_strmap_new();
    REQUIRE(m != NULL);
    for (size_t i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "user.killi-same-%zu", i);
        bool is_new = false;
        REQUIRE(bm_strmap_add(m, keys[i], i, &is_new, NULL) == BM_OK);
        CHECK(is_new);
    }
    CHECK_INTEQ(bm_strmap_size(m), N);
    size_t n_ok = 0;
    for (size_t i = 0; i < N; i++) {
        size_t v = 0;
        n_ok += bm_strmap_get(m, keys[i], &v) && v == i;
    }
    CHECK_INTEQ(n_ok, N);
    CHECK(!bm_strmap_get(m, "user.killi-same-50000", NULL));
    bm_strmap_free(m);
    free(keys);
}

int main(void) {
    RUN(adds_finds_and_keeps_the_first);
    RUN(grows_to_many_keys);
    return CHECK_DONE();
}
