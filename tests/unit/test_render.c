/* SPDX-License-Identifier: MIT */
/* render: the basemap cache of a batch (issue 13). Maps of one extent and size drawn through one
 * cache give the same PNG bytes as maps drawn alone; the second map of a pair takes its basemap
 * from the cache; another size does not; SVG never uses it. */
#include <stdio.h>
#include <string.h>

#include "bm_buf.h"
#include "check.h"
#include "map.h"

static bool render(const char *input, const char *out, double width, bm_basemap_cache *cache) {
    bm_render_request req;
    bm_render_request_init(&req);
    req.input_path = input;
    req.data_dir = BM_SOURCE_DIR;
    req.outputs = &out;
    req.n_outputs = 1;
    req.width_px = width;
    req.basemap_cache = cache;
    bm_error err = {0};
    const bool ok = bm_render(&req, &err) == BM_OK;
    if (!ok)
        fprintf(stderr, "render %s: %s\n", input, err.message);
    return ok;
}

static bool same_file(const char *a, const char *b) {
    bm_buf x = BM_BUF_INIT((size_t)64 << 20), y = BM_BUF_INIT((size_t)64 << 20);
    bm_error err = {0};
    const bool same = bm_buf_read_file(&x, a, x.cap, &err) == BM_OK &&
                      bm_buf_read_file(&y, b, y.cap, &err) == BM_OK && x.len == y.len &&
                      x.len > 1000 && memcmp(x.data, y.data, x.len) == 0;
    bm_buf_free(&x);
    bm_buf_free(&y);
    return same;
}

static void basemap_reused_with_the_same_pixels(void) {
    const char *inputs[2] = {BM_SOURCE_DIR "/examples/herof2.json",
                             BM_TEST_DATA "/claims-small.geojson"};
    bm_basemap_cache *cache = bm_basemap_cache_new((size_t)64 << 20);
    REQUIRE(cache != NULL);
    size_t n_reused = 9, n_drawn = 9;
    for (int k = 0; k < 2; k++) {
        char alone[64], shared[64];
        snprintf(alone, sizeof alone, "test_render-alone-%d.png", k);
        snprintf(shared, sizeof shared, "test_render-shared-%d.png", k);
        CHECK(render(inputs[k], alone, 1600, NULL));
        CHECK(render(inputs[k], shared, 1600, cache));
        CHECK(same_file(alone, shared));
        remove(alone);
        remove(shared);
    }
    bm_basemap_cache_counts(cache, &n_reused, &n_drawn);
    CHECK_INTEQ(n_drawn, 1);
    CHECK_INTEQ(n_reused, 1);
    /* another page size draws its own; an SVG never touches the cache */
    CHECK(render(inputs[0], "test_render-small.png", 1200, cache));
    CHECK(render(inputs[0], "test_render.svg", 1600, cache));
    bm_basemap_cache_counts(cache, &n_reused, &n_drawn);
    CHECK_INTEQ(n_drawn, 2);
    CHECK_INTEQ(n_reused, 1);
    remove("test_render-small.png");
    remove("test_render.svg");
    bm_basemap_cache_free(cache);
}

/* A cache too small for one page keeps nothing, and maps still come out whole. */
static void tiny_cache_keeps_nothing(void) {
    bm_basemap_cache *cache = bm_basemap_cache_new(1000);
    REQUIRE(cache != NULL);
    CHECK(render(BM_SOURCE_DIR "/examples/herof2.json", "test_render-tiny.png", 1600, cache));
    CHECK(render(BM_SOURCE_DIR "/examples/herof2.json", "test_render-tiny.png", 1600, cache));
    size_t n_reused, n_drawn;
    bm_basemap_cache_counts(cache, &n_reused, &n_drawn);
    CHECK_INTEQ(n_reused, 0);
    remove("test_render-tiny.png");
    bm_basemap_cache_free(cache);
}

int main(void) {
    RUN(basemap_reused_with_the_same_pixels);
    RUN(tiny_cache_keeps_nothing);
    return CHECK_DONE();
}
