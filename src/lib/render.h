/* SPDX-License-Identifier: MIT */
/* render.h - paints a scene with Cairo. The caller owns the cairo_t (passed as void * so that
 * this header does not expose Cairo) and has scaled it so that one user unit is one mm. */
#ifndef BM_RENDER_H
#define BM_RENDER_H

#include "bm_error.h"
#include "layout.h"
#include "text.h"

/* Draws every mark in order. Fails with BM_ERR_DEPENDENCY if Cairo reports an error. */
bm_status bm_render_scene(const bm_scene *scene, bm_text *text, void *cairo_ctx, bm_error *err);

/* Basemaps shared by the maps of a batch (issue 13). The basemap of a raster is the run of
 * marks a scene begins with that are the same for every map of one extent, size and style
 * (background, sea, countries, provinces, layers, borders). The first map drawing a basemap
 * keeps a copy of its pixels; a later map whose basemap marks, page size and scale are the same
 * (compared whole, not by hash alone) starts from that copy and draws the rest, which gives the
 * same pixels as drawing everything. Thread-safe (one mutex). Owned by its creator (a batch),
 * which frees it after the last render using it; holds at most max_bytes of pixels, keeping
 * the most recently used. Vector surfaces never use it. */
typedef struct bm_basemap_cache bm_basemap_cache; /* opaque */
bm_basemap_cache *bm_basemap_cache_new(size_t max_bytes);
void bm_basemap_cache_free(bm_basemap_cache *c); /* NULL is a no-op */
/* How many renders found their basemap, and how many drew it (bench, tests). */
void bm_basemap_cache_counts(bm_basemap_cache *c, size_t *n_reused, size_t *n_drawn);
/* bm_render_scene, reusing and filling the cache (NULL: none) when the target is an image. */
bm_status bm_render_scene_cached(const bm_scene *scene, bm_text *text, void *cairo_ctx,
                                 bm_basemap_cache *cache, bm_error *err);

#endif
