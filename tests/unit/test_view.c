/* SPDX-License-Identifier: MIT */
/* view: projection against PROJ's own cs2cs, and the fit of an extent into a frame. */
#include "check.h"
#include "view.h"

static const bm_extent balochistan = {60.8, 24.8, 70.3, 32.2};
static const bm_frame frame = {6, 24, 180, 165};

/* Figures from `cs2cs -f %.4f +proj=longlat +datum=WGS84 +to <BM_VIEW_DEFAULT_PROJ>`. */
static const struct {
    const char *name;
    double lon, lat, x_m, y_m;
} known[] = {
    {"Quetta", 67.0014, 30.1841, 96379.1711, 242202.8431},
    {"Gwadar", 62.3254, 25.1216, -370489.4266, -313036.5080},
    {"origin", 66.0, 28.0, 0.0, 0.0},
    {"south-east", 70.0, 24.0, 407361.2359, -436227.9358},
};

static void projects_like_cs2cs(void) {
    bm_error err = {0};
    bm_view *v = bm_view_new(BM_VIEW_DEFAULT_PROJ, &balochistan, &frame, &err);
    REQUIRE(v != NULL);
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        double x, y;
        CHECK(bm_view_to_metres(v, known[i].lon, known[i].lat, &x, &y) == BM_OK);
        CHECK_NEAR(x, known[i].x_m, 0.001); /* a millimetre on the ground */
        CHECK_NEAR(y, known[i].y_m, 0.001);
    }
    bm_view_free(v);
}

static void extent_fits_the_frame_centred(void) {
    bm_error err = {0};
    bm_view *v = bm_view_new(BM_VIEW_DEFAULT_PROJ, &balochistan, &frame, &err);
    REQUIRE(v != NULL);
    /* Every corner and edge midpoint of the extent is inside the frame, and the extent touches
     * two opposite sides of it. */
    double x_min = 1e9, x_max = -1e9, y_min = 1e9, y_max = -1e9;
    for (int i = 0; i <= 32; i++) {
        const double t = i / 32.0;
        const double lons[4] = {60.8 + t * 9.5, 60.8 + t * 9.5, 60.8, 70.3};
        const double lats[4] = {24.8, 32.2, 24.8 + t * 7.4, 24.8 + t * 7.4};
        for (int k = 0; k < 4; k++) {
            double x, y;
            REQUIRE(bm_view_to_page(v, lons[k], lats[k], &x, &y) == BM_OK);
            x_min = fmin(x_min, x);
            x_max = fmax(x_max, x);
            y_min = fmin(y_min, y);
            y_max = fmax(y_max, y);
        }
    }
    CHECK(x_min >= frame.x_mm - 1e-6 && x_max <= frame.x_mm + frame.w_mm + 1e-6);
    CHECK(y_min >= frame.y_mm - 1e-6 && y_max <= frame.y_mm + frame.h_mm + 1e-6);
    const int touches_x = fabs(x_min - frame.x_mm) < 1e-6 && fabs(x_max - 186) < 1e-6;
    const int touches_y = fabs(y_min - frame.y_mm) < 1e-6 && fabs(y_max - 189) < 1e-6;
    CHECK(touches_x || touches_y);
    CHECK_NEAR((x_min + x_max) / 2, frame.x_mm + frame.w_mm / 2, 1e-6);
    CHECK_NEAR((y_min + y_max) / 2, frame.y_mm + frame.h_mm / 2, 1e-6);
    /* North is up: Quetta is above (smaller y than) Gwadar. */
    double xq, yq, xg, yg;
    bm_view_to_page(v, 67.0014, 30.1841, &xq, &yq);
    bm_view_to_page(v, 62.3254, 25.1216, &xg, &yg);
    CHECK(yq < yg && xq > xg);
    bm_view_free(v);
}

static void bad_projection_is_refused_with_a_hint(void) {
    bm_error err = {0};
    CHECK(bm_view_new("+proj=nonsense", &balochistan, &frame, &err) == NULL);
    CHECK(err.status == BM_ERR_INVALID);
    CHECK_STRCONTAINS(err.message, "the projection '+proj=nonsense'");
    CHECK_STRCONTAINS(err.hint, "+proj=lcc");
}

static void inverted_extent_is_refused(void) {
    bm_error err = {0};
    const bm_extent inverted = {70.3, 24.8, 60.8, 32.2};
    CHECK(bm_view_new(BM_VIEW_DEFAULT_PROJ, &inverted, &frame, &err) == NULL);
    CHECK_STRCONTAINS(err.message, "inverted: lon_min 70.3 is east of lon_max 60.8");
}

/* Each refusal says why (issue 14: "invalid extent" alone did not). */
static void extent_reasons(void) {
    char why[256];
    CHECK(!bm_extent_why_invalid(&(bm_extent){60.8, 24.8, 70.3, 32.2}, why, sizeof why));
    CHECK(bm_extent_why_invalid(&(bm_extent){60, 30, 70, 25}, why, sizeof why));
    CHECK_STRCONTAINS(why, "inverted: lat_min 30 is north of lat_max 25");
    CHECK(bm_extent_why_invalid(&(bm_extent){60, 25, 60, 30}, why, sizeof why));
    CHECK_STRCONTAINS(why, "empty: lon_min equals lon_max");
    CHECK(bm_extent_why_invalid(&(bm_extent){170, 25, -170, 30}, why, sizeof why));
    CHECK_STRCONTAINS(why, "crosses the 180th meridian");
    CHECK(bm_extent_why_invalid(&(bm_extent){60, 25, 70, 90}, why, sizeof why));
    CHECK_STRCONTAINS(why, "lat_max 90 is out of range");
}

int main(void) {
    RUN(projects_like_cs2cs);
    RUN(extent_fits_the_frame_centred);
    RUN(bad_projection_is_refused_with_a_hint);
    RUN(inverted_extent_is_refused);
    RUN(extent_reasons);
    return CHECK_DONE();
}
