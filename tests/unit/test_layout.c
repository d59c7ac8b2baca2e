/* SPDX-License-Identifier: MIT */
/* layout: circle sizing and panel frames. */
#include "check.h"
#include "layout.h"

static void area_is_proportional_to_the_value(void) {
    const double r92 = bm_layout_radius_mm(92, 92, 11, 1.2);
    const double r23 = bm_layout_radius_mm(23, 92, 11, 1.2);
    CHECK_NEAR(r92, 11, 1e-12);
    CHECK_NEAR(r23 * r23 / (r92 * r92), 23.0 / 92.0, 1e-12); /* a quarter the area */
    CHECK_NEAR(r23, 5.5, 1e-12);                             /* half the radius */
}

static void small_values_keep_the_minimum_radius(void) {
    CHECK_NEAR(bm_layout_radius_mm(1, 10000, 11, 1.2), 1.2, 1e-12);
    CHECK_NEAR(bm_layout_radius_mm(0, 92, 11, 1.2), 0, 0);
    CHECK_NEAR(bm_layout_radius_mm(5, 0, 11, 1.2), 0, 0);
}

static void panels_tile_the_map_area_without_overlap(void) {
    bm_style st;
    bm_style_defaults(&st);
    bm_frame area, f[6];
    bm_layout_frame(&st, 270.93, 203.2, &area);
    bm_layout_panel_frames(&st, 270.93, 203.2, 6, 1.0, f);
    for (int i = 0; i < 6; i++) {
        CHECK(f[i].x_mm >= area.x_mm - 1e-9 &&
              f[i].x_mm + f[i].w_mm <= area.x_mm + area.w_mm + 1e-9);
        CHECK(f[i].y_mm >= area.y_mm - 1e-9 &&
              f[i].y_mm + f[i].h_mm <= area.y_mm + area.h_mm + 1e-9);
        CHECK_NEAR(f[i].w_mm, f[0].w_mm, 1e-9); /* one scale: all panels the same size */
        for (int k = 0; k < i; k++)
            CHECK(f[i].x_mm >= f[k].x_mm + f[k].w_mm || f[k].x_mm >= f[i].x_mm + f[i].w_mm ||
                  f[i].y_mm >= f[k].y_mm + f[k].h_mm || f[k].y_mm >= f[i].y_mm + f[i].h_mm);
    }
    bm_frame one;
    bm_layout_panel_frames(&st, 270.93, 203.2, 1, 1.0, &one);
    CHECK_NEAR(one.w_mm, area.w_mm, 0);
    CHECK_NEAR(one.h_mm, area.h_mm, 0);
}

int main(void) {
    RUN(area_is_proportional_to_the_value);
    RUN(small_values_keep_the_minimum_radius);
    RUN(panels_tile_the_map_area_without_overlap);
    return CHECK_DONE();
}
