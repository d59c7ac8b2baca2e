/* SPDX-License-Identifier: MIT */
/* Page geometry: the map area and the grid of small multiples. */
#include <math.h>

#include "carto/carto.h"

bool bm_layout_is_narrow(const bm_style *st, double page_w_mm, double page_h_mm) {
    return st->is_legend_under || page_w_mm < BM_LAYOUT_NARROW_MM || page_h_mm > page_w_mm;
}

void bm_layout_frame(const bm_style *st, double page_w_mm, double page_h_mm, bm_frame *out) {
    const bool is_narrow = bm_layout_is_narrow(st, page_w_mm, page_h_mm);
    /* Room for the title on one line and the subtitle on two; on a narrow page, where they
     * wrap sooner, two and three (bm_carto_add_header_footer sets them smaller if needed). */
    const bool is_narrow_page = page_w_mm < BM_LAYOUT_NARROW_MM || page_h_mm > page_w_mm;
    const double title_lines = is_narrow_page ? 2 : 1, subtitle_lines = is_narrow_page ? 3 : 2;
    const double header_mm = st->header_h_mm > 0
                                 ? st->header_h_mm
                                 : st->margin_mm + st->title_pt * BM_PT_MM * 1.3 * title_lines +
                                       st->subtitle_pt * BM_PT_MM * 1.3 * subtitle_lines + 2.5;
    const double footer_mm =
        fmax(st->attribution_pt * BM_PT_MM * 1.3 * 2, st->attribution_h_mm) + st->margin_mm + 1.5;
    const double gap_mm = 4;
    out->x_mm = st->margin_mm;
    out->y_mm = header_mm;
    if (is_narrow) {
        /* The legend goes under the map: the map takes the page's width and is as tall as it is
         * wide (Balochistan nearly is), but leaves at least 45% of the height for the legend. */
        out->w_mm = page_w_mm - 2 * st->margin_mm;
        out->h_mm = fmin(out->w_mm, 0.55 * (page_h_mm - header_mm - footer_mm));
    } else {
        out->w_mm = page_w_mm - 2 * st->margin_mm - st->panel_width_mm - gap_mm;
        out->h_mm = page_h_mm - header_mm - footer_mm;
    }
}

void bm_layout_panel_frames(const bm_style *st, double page_w_mm, double page_h_mm, size_t n,
                            double extent_aspect, bm_frame *out) {
    bm_frame area;
    bm_layout_frame(st, page_w_mm, page_h_mm, &area);
    if (n <= 1) {
        out[0] = area;
        return;
    }
    const double gap_mm = 4, title_mm = st->legend_pt * 1.15 * BM_PT_MM * 1.4 + 1;
    size_t best_cols = 1;
    double best_scale = 0;
    /* The grid that gives each panel's extent the largest scale. */
    for (size_t cols = 1; cols <= n; cols++) {
        const size_t rows = (n + cols - 1) / cols;
        const double w = (area.w_mm - (double)(cols - 1) * gap_mm) / (double)cols;
        const double h =
            (area.h_mm - (double)rows * title_mm - (double)(rows - 1) * gap_mm) / (double)rows;
        const double scale = fmin(w / extent_aspect, h);
        if (scale > best_scale) {
            best_scale = scale;
            best_cols = cols;
        }
    }
    const size_t rows = (n + best_cols - 1) / best_cols;
    const double w = (area.w_mm - (double)(best_cols - 1) * gap_mm) / (double)best_cols;
    const double h =
        (area.h_mm - (double)rows * title_mm - (double)(rows - 1) * gap_mm) / (double)rows;
    for (size_t i = 0; i < n; i++) {
        const size_t r = i / best_cols, col = i % best_cols;
        out[i].x_mm = area.x_mm + (double)col * (w + gap_mm);
        out[i].y_mm = area.y_mm + title_mm + (double)r * (h + gap_mm + title_mm);
        out[i].w_mm = w;
        out[i].h_mm = h;
    }
}
