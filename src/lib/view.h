/* SPDX-License-Identifier: MIT */
/* view.h - where the map sits on the page: a projection and the affine fit of an extent into a
 * frame in mm. The projection (Lambert conformal conic on WGS 84) is computed in view.c, to
 * the bit what PROJ computes (view.c says why it does not link PROJ). Read-only after
 * bm_view_new, so views on different threads need no locks. */
#ifndef BM_VIEW_H
#define BM_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "bm_error.h"

/* Lambert conformal conic with standard parallels at 25N and 31N, close to Balochistan's
 * southern and northern edges (24.9N-32.1N), so scale error stays under 1% over the province. */
#define BM_VIEW_DEFAULT_PROJ                                                                       \
    "+proj=lcc +lat_1=25 +lat_2=31 +lat_0=28 +lon_0=66 +x_0=0 +y_0=0 +ellps=WGS84 +units=m"

typedef struct bm_extent {
    double lon_min_deg, lat_min_deg, lon_max_deg, lat_max_deg;
} bm_extent;

/* The most northern or southern latitude a map may reach: the projection's scale grows without
 * bound towards the poles. */
#define BM_EXTENT_MAX_LAT 85.0

/* Why an extent cannot be drawn, in words for a message ("inverted: lat_min 30 is north of
 * lat_max 25"), written to why; false when it can be. */
bool bm_extent_why_invalid(const bm_extent *e, char *why, size_t why_size);

typedef struct bm_frame {
    double x_mm, y_mm, w_mm, h_mm; /* the map's rectangle on the page, y down */
} bm_frame;

typedef struct bm_view bm_view; /* opaque */

/* Projects with proj_def (a PROJ string of a Lambert conformal conic on WGS 84 in metres, as
 * BM_VIEW_DEFAULT_PROJ; anything else is refused with BM_ERR_INVALID) and fits `extent` into
 * `frame`, centred, keeping the scale equal in x and y. */
bm_view *bm_view_new(const char *proj_def, const bm_extent *extent, const bm_frame *frame,
                     bm_error *err);
void bm_view_free(bm_view *v); /* NULL is a no-op */

/* lon/lat degrees -> projected metres (easting, northing). */
bm_status bm_view_to_metres(const bm_view *v, double lon_deg, double lat_deg, double *x_m,
                            double *y_m);
/* lon/lat degrees -> page mm (y down). */
bm_status bm_view_to_page(const bm_view *v, double lon_deg, double lat_deg, double *x_mm,
                          double *y_mm);
/* Many points in place: pairs (lon, lat) become pairs (x_mm, y_mm). */
bm_status bm_view_to_page_array(const bm_view *v, double *xy, size_t n_points, bm_error *err);
/* mm on the page per metre on the ground at the projection's true-scale parallels. */
double bm_view_mm_per_metre(const bm_view *v);
const bm_frame *bm_view_frame(const bm_view *v);
/* The projected point (metres) at the frame's top-left corner: page = frame + (m - origin) *
 * mm_per_metre, with y flipped. Lets tests check positions against PROJ's own cs2cs. */
void bm_view_origin_m(const bm_view *v, double *x0_m, double *y0_m);

#endif
