/* SPDX-License-Identifier: MIT */
/* layout.h - everything a map shows, placed on the page: the scene.
 *
 * bm_layout_build turns geocoded claims, boundaries and a style into a bm_scene (carto/scene.h):
 * a list of marks in mm on the page, in drawing order, each tagged with what it shows and where
 * that comes from. The input types (bm_layout_input, bm_panel) and the page geometry
 * (bm_layout_frame, bm_layout_panel_frames, bm_layout_radius_mm) are in carto/input.h; the
 * steps themselves are the carto package (src/lib/carto/), which layout.c calls in drawing
 * order. */
#ifndef BM_LAYOUT_H
#define BM_LAYOUT_H

#include "bm_error.h"
#include "carto/input.h"
#include "carto/scene.h"

/* Lays out the map. Fails with BM_ERR_INVALID when the legend cannot fit beside the map even
 * set smaller; warns (in->warn) about labels numbered or placed over other marks. */
bm_scene *bm_layout_build(const bm_layout_input *in, bm_error *err);

#endif
