/* SPDX-License-Identifier: MIT */
/* render.h - paints a scene with Cairo. The caller owns the cairo_t (passed as void * so that
 * this header does not expose Cairo) and has scaled it so that one user unit is one mm. */
#ifndef BM_RENDER_H
#define BM_RENDER_H

#include "bm_error.h"
#include "layout.h"
#include "render_cache.h"
#include "text.h"

/* Draws every mark in order. Fails with BM_ERR_DEPENDENCY if Cairo reports an error. */
bm_status bm_render_scene(const bm_scene *scene, bm_text *text, void *cairo_ctx, bm_error *err);

/* bm_render_scene, reusing and filling the cache (NULL: none) when the target is an image. */
bm_status bm_render_scene_cached(const bm_scene *scene, bm_text *text, void *cairo_ctx,
                                 bm_basemap_cache *cache, bm_error *err);

#endif
