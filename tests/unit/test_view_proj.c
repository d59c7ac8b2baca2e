/* SPDX-License-Identifier: MIT */
/* view_proj: view.c's Lambert conformal conic gives the same doubles as PROJ (the library
 * balmap used until issue 13), bit for bit, over a grid of 260,000 points around Pakistan, and
 * the same refusals at the poles. Links PROJ; balmap itself does not. */
#include <proj.h>

#include "check.h"
#include "view.h"

static const bm_extent world = {40, 10, 90, 45};
static const bm_frame frame = {0, 0, 100, 100};

static void same_doubles_as_proj(void) {
    bm_error err = {0};
    bm_view *v = bm_view_new(BM_VIEW_DEFAULT_PROJ, &world, &frame, &err);
    PJ_CONTEXT *ctx = proj_context_create();
    PJ *pj = proj_create(ctx, "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
                              "+step " BM_VIEW_DEFAULT_PROJ);
    REQUIRE(v != NULL && pj != NULL);
    long n = 0, n_same = 0;
    for (double lat = 10.0137; lat < 45; lat += 0.0731)
        for (double lon = 40.0213; lon < 90; lon += 0.0917) {
            const PJ_COORD c = proj_trans(pj, PJ_FWD, proj_coord(lon, lat, 0, 0));
            double x, y;
            CHECK(bm_view_to_metres(v, lon, lat, &x, &y) == BM_OK);
            n++;
            n_same += x == c.xy.x && y == c.xy.y;
        }
    CHECK_INTEQ(n_same, n);
    CHECK(n > 250000);
    /* far from the central meridian and at the poles */
    const double pts[][2] = {{-170, 20}, {179.9, -10}, {66, 90}, {10, 89.9999}};
    for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
        const PJ_COORD c = proj_trans(pj, PJ_FWD, proj_coord(pts[i][0], pts[i][1], 0, 0));
        double x, y;
        CHECK(bm_view_to_metres(v, pts[i][0], pts[i][1], &x, &y) == BM_OK);
        CHECK_NEAR(x, c.xy.x, 1e-6);
        CHECK_NEAR(y, c.xy.y, 1e-6);
    }
    double x, y;
    CHECK(bm_view_to_metres(v, 66, -90, &x, &y) != BM_OK); /* the cone's other pole */
    CHECK(bm_view_to_metres(v, 66, 91, &x, &y) != BM_OK);
    proj_destroy(pj);
    proj_context_destroy(ctx);
    bm_view_free(v);
}

int main(void) {
    RUN(same_doubles_as_proj);
    return CHECK_DONE();
}
