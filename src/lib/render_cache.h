/* SPDX-License-Identifier: MIT */
/* render_cache.h - the basemap cache of a batch (render.c), apart from render.h so that the
 * public header can name it without the scene and text types. */
#ifndef BM_RENDER_CACHE_H
#define BM_RENDER_CACHE_H

#include <stddef.h>

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

#endif
