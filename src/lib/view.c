/* SPDX-License-Identifier: MIT */
#include "view.h"

#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PROJ logs through the context; we keep the last message for the bm_error. */
typedef struct log_sink {
    char message[256];
} log_sink;

struct bm_view {
    log_sink sink; /* PROJ's log function writes here for as long as the context lives */
    PJ_CONTEXT *ctx;
    PJ *pj; /* degrees in, metres out */
    bm_frame frame;
    double mm_per_metre;
    double x0_m, y0_m; /* projected point at the frame's top-left corner */
};

static void log_to_sink(void *user, int level, const char *msg) {
    (void)level;
    log_sink *sink = user;
    snprintf(sink->message, sizeof sink->message, "%s", msg);
}

bm_view *bm_view_new(const char *proj_def, const bm_extent *extent, const bm_frame *frame,
                     bm_error *err) {
    bm_view *v = calloc(1, sizeof *v);
    char *pipeline = NULL;
    if (v == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (!(extent->lon_min_deg < extent->lon_max_deg && extent->lat_min_deg < extent->lat_max_deg &&
          extent->lat_min_deg >= -90 && extent->lat_max_deg <= 90)) {
        bm_error_set(err, BM_ERR_INVALID, "empty or inverted extent %g,%g,%g,%g",
                     extent->lon_min_deg, extent->lat_min_deg, extent->lon_max_deg,
                     extent->lat_max_deg);
        bm_error_hint(err, "give the extent as lon_min,lat_min,lon_max,lat_max in degrees");
        goto fail;
    }
    v->ctx = proj_context_create();
    if (v->ctx == NULL) {
        bm_error_set(err, BM_ERR_DEPENDENCY, "PROJ could not create a context");
        goto fail;
    }
    proj_log_func(v->ctx, &v->sink, log_to_sink);
    /* A pipeline from degrees avoids proj_create_crs_to_crs, which opens proj.db and costs
     * 12-17 ms per process; the input is plain WGS84 lon/lat, so no datum shift is involved. */
    const size_t n = strlen(proj_def) + 128;
    pipeline = malloc(n);
    if (pipeline == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        goto fail;
    }
    snprintf(pipeline, n, "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step %s",
             proj_def);
    v->pj = proj_create(v->ctx, pipeline);
    if (v->pj == NULL) {
        bm_error_set(err, BM_ERR_INVALID, "PROJ rejected the projection '%s': %s", proj_def,
                     v->sink.message[0]
                         ? v->sink.message
                         : proj_context_errno_string(v->ctx, proj_context_errno(v->ctx)));
        bm_error_hint(err, "give a PROJ string such as '%s'", BM_VIEW_DEFAULT_PROJ);
        goto fail;
    }
    /* The projected bounding box of the extent: its edges are curves, so sample them. */
    double x_min = HUGE_VAL, y_min = HUGE_VAL, x_max = -HUGE_VAL, y_max = -HUGE_VAL;
    const int n_steps = 32;
    for (int i = 0; i <= n_steps; i++) {
        const double t = (double)i / n_steps;
        const double lons[4] = {
            extent->lon_min_deg + t * (extent->lon_max_deg - extent->lon_min_deg),
            extent->lon_min_deg + t * (extent->lon_max_deg - extent->lon_min_deg),
            extent->lon_min_deg, extent->lon_max_deg};
        const double lats[4] = {
            extent->lat_min_deg, extent->lat_max_deg,
            extent->lat_min_deg + t * (extent->lat_max_deg - extent->lat_min_deg),
            extent->lat_min_deg + t * (extent->lat_max_deg - extent->lat_min_deg)};
        for (int k = 0; k < 4; k++) {
            double x, y;
            if (bm_view_to_metres(v, lons[k], lats[k], &x, &y) != BM_OK) {
                bm_error_set(err, BM_ERR_INVALID, "cannot project %g,%g with '%s'", lons[k],
                             lats[k], proj_def);
                goto fail;
            }
            x_min = fmin(x_min, x);
            x_max = fmax(x_max, x);
            y_min = fmin(y_min, y);
            y_max = fmax(y_max, y);
        }
    }
    v->frame = *frame;
    const double sx = frame->w_mm / (x_max - x_min), sy = frame->h_mm / (y_max - y_min);
    v->mm_per_metre = fmin(sx, sy);
    /* Centre the extent in the frame. */
    const double cx = (x_min + x_max) / 2, cy = (y_min + y_max) / 2;
    v->x0_m = cx - frame->w_mm / 2 / v->mm_per_metre;
    v->y0_m = cy + frame->h_mm / 2 / v->mm_per_metre;
    free(pipeline);
    return v;
fail:
    free(pipeline);
    bm_view_free(v);
    return NULL;
}

void bm_view_free(bm_view *v) {
    if (v == NULL)
        return;
    if (v->pj)
        proj_destroy(v->pj);
    if (v->ctx)
        proj_context_destroy(v->ctx);
    free(v);
}

bm_status bm_view_to_metres(const bm_view *v, double lon_deg, double lat_deg, double *x_m,
                            double *y_m) {
    PJ_COORD c = proj_coord(lon_deg, lat_deg, 0, 0);
    c = proj_trans(v->pj, PJ_FWD, c);
    if (!isfinite(c.xy.x) || !isfinite(c.xy.y))
        return BM_ERR_INVALID;
    *x_m = c.xy.x;
    *y_m = c.xy.y;
    return BM_OK;
}

bm_status bm_view_to_page(const bm_view *v, double lon_deg, double lat_deg, double *x_mm,
                          double *y_mm) {
    double x, y;
    if (bm_view_to_metres(v, lon_deg, lat_deg, &x, &y) != BM_OK)
        return BM_ERR_INVALID;
    *x_mm = v->frame.x_mm + (x - v->x0_m) * v->mm_per_metre;
    *y_mm = v->frame.y_mm + (v->y0_m - y) * v->mm_per_metre;
    return BM_OK;
}

bm_status bm_view_to_page_array(const bm_view *v, double *xy, size_t n_points, bm_error *err) {
    if (n_points == 0)
        return BM_OK;
    const size_t stride = 2 * sizeof(double);
    proj_trans_generic(v->pj, PJ_FWD, xy, stride, n_points, xy + 1, stride, n_points, NULL, 0, 0,
                       NULL, 0, 0);
    for (size_t i = 0; i < n_points; i++) {
        const double x = xy[2 * i], y = xy[2 * i + 1];
        if (!isfinite(x) || !isfinite(y))
            return bm_error_set(err, BM_ERR_INVALID, "a boundary point cannot be projected");
        xy[2 * i] = v->frame.x_mm + (x - v->x0_m) * v->mm_per_metre;
        xy[2 * i + 1] = v->frame.y_mm + (v->y0_m - y) * v->mm_per_metre;
    }
    return BM_OK;
}

double bm_view_mm_per_metre(const bm_view *v) {
    return v->mm_per_metre;
}

const bm_frame *bm_view_frame(const bm_view *v) {
    return &v->frame;
}

void bm_view_origin_m(const bm_view *v, double *x0_m, double *y0_m) {
    *x0_m = v->x0_m;
    *y0_m = v->y0_m;
}
