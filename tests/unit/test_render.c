/* SPDX-License-Identifier: MIT */
/* render: the basemap cache and the font pool of a batch (issue 13). Maps of one extent and size
 * drawn through one cache give the same PNG bytes as maps drawn alone; the second map of a pair
 * takes its basemap from the cache; another size does not; SVG never uses it; the cache holds
 * basemaps coded, more of them than their raw pixels would fit in. Maps drawn with fonts and
 * laid-out texts taken from the pool give the same PNG, SVG and PDF bytes as maps drawn alone. */
#include <stdio.h>
#include <string.h>

#include "bm_buf.h"
#include "check.h"
#include "map.h"

static bool render_with(const char *input, const char *out, double width, bm_basemap_cache *cache,
                        bm_text_pool *fonts) {
    bm_render_request req;
    bm_render_request_init(&req);
    req.input_path = input;
    req.data_dir = BM_SOURCE_DIR;
    req.outputs = &out;
    req.n_outputs = 1;
    req.width_px = width;
    req.basemap_cache = cache;
    req.text_pool = fonts;
    bm_error err = {0};
    const bool ok = bm_render(&req, &err) == BM_OK;
    if (!ok)
        fprintf(stderr, "render %s: %s\n", input, err.message);
    return ok;
}

static bool render(const char *input, const char *out, double width, bm_basemap_cache *cache) {
    return render_with(input, out, width, cache, NULL);
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

/* Five page sizes: 34 MB of raw basemap pixels, more than the 24 MiB given (which held three
 * before the pixels were coded). Coded, all five stay: drawn again, each is reused. */
static void coded_basemaps_fit_more(void) {
    bm_basemap_cache *cache = bm_basemap_cache_new((size_t)24 << 20);
    REQUIRE(cache != NULL);
    const char *in = BM_SOURCE_DIR "/examples/herof2.json";
    for (int round = 0; round < 2; round++)
        for (int k = 0; k < 5; k++)
            CHECK(render(in, "test_render-sizes.png", 1200 + 100 * k, cache));
    size_t n_reused, n_drawn;
    bm_basemap_cache_counts(cache, &n_reused, &n_drawn);
    CHECK_INTEQ(n_drawn, 5);
    CHECK_INTEQ(n_reused, 5);
    remove("test_render-sizes.png");
    bm_basemap_cache_free(cache);
}

/* A map drawn with a pooled font setup, after another map laid its texts out there, is the
 * same file as the map drawn alone, in every format. */
static void pooled_fonts_give_the_same_files(void) {
    bm_text_pool *fonts = bm_text_pool_new();
    REQUIRE(fonts != NULL);
    static const char *const exts[3] = {"png", "svg", "pdf"};
    const char *first = BM_TEST_DATA "/claims-small.geojson";
    const char *then = BM_SOURCE_DIR "/examples/herof2.json";
    for (int f = 0; f < 3; f++) {
        char alone[64], pooled[64];
        snprintf(alone, sizeof alone, "test_render-alone.%s", exts[f]);
        snprintf(pooled, sizeof pooled, "test_render-pooled.%s", exts[f]);
        CHECK(render_with(then, alone, 1600, NULL, NULL));
        CHECK(render_with(first, pooled, 1600, NULL, fonts));
        CHECK(render_with(then, pooled, 1600, NULL, fonts));
        CHECK(same_file(alone, pooled));
        remove(alone);
        remove(pooled);
    }
    bm_text_pool_free(fonts);
}

int main(void) {
    RUN(basemap_reused_with_the_same_pixels);
    RUN(tiny_cache_keeps_nothing);
    RUN(coded_basemaps_fit_more);
    RUN(pooled_fonts_give_the_same_files);
    return CHECK_DONE();
}
