/* SPDX-License-Identifier: MIT */
#include "carto/labels.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void bm_labels_init(bm_labels *lb, bm_canvas *cv, uint32_t leader_rgba, bool use_callouts) {
    lb->cv = cv;
    lb->leader_rgba = leader_rgba;
    lb->use_callouts = use_callouts;
    lb->callouts = (bm_buf)BM_BUF_INIT(1 << 16);
    lb->n_callouts = 0;
    lb->unplaced = (bm_buf)BM_BUF_INIT(1 << 16);
    lb->joiner = ", ";
    lb->is_rtl = false;
}

void bm_labels_release(bm_labels *lb) {
    bm_buf_free(&lb->callouts);
    bm_buf_free(&lb->unplaced);
}

/* A callout number in a ring of its colour, the size x size box at (x0, y0): set apart from the
 * figures that label circles (plain numbers under --allocate even). */
static bm_status add_tag(bm_labels *lb, const char *ref, const char *number, const bm_text_spec *sp,
                         double x0, double y0, double size, uint32_t rgba) {
    bm_canvas *cv = lb->cv;
    bm_mark ring = bm_mark_of(BM_MARK_CIRCLE, "callout-ring", ref);
    ring.x_mm = x0 + size / 2;
    ring.y_mm = y0 + size / 2;
    ring.r_mm = size / 2 - 0.1;
    ring.fill_rgba = cv->halo_rgba | 0xFFu;
    ring.stroke_rgba = rgba;
    ring.stroke_mm = 0.25;
    if (bm_canvas_add(cv, &ring, NULL) != BM_OK)
        return cv->err->status;
    double w, h;
    bm_canvas_measure(cv, number, sp, &w, &h);
    if (bm_canvas_text(cv, "callout", ref, number, sp, x0 + (size - w) / 2, y0 + (size - h) / 2,
                       rgba, false, NULL) != BM_OK)
        return cv->err->status;
    return bm_canvas_keep_clear(cv, x0, y0, x0 + size, y0 + size);
}

/* The side of the square a callout number takes. */
static double tag_size(const bm_canvas *cv, const char *number, const bm_text_spec *sp) {
    double w, h;
    bm_canvas_measure(cv, number, sp, &w, &h);
    return fmax(w, h * 0.8) + 0.8;
}

/* Tries the candidate positions around (x, y); sets *is_placed when one was free. */
static bm_status try_place(bm_labels *lb, const bm_box *inside, const char *role, const char *ref,
                           const char *text, const bm_text_spec *sp, double x, double y,
                           double gap_mm, uint32_t rgba, bool is_tag, bool *is_placed) {
    bm_canvas *cv = lb->cv;
    double w, h;
    bm_canvas_measure(cv, text, sp, &w, &h);
    if (is_tag)
        w = h = tag_size(cv, text, sp);
    static const double dirs[][2] = {{1, 0},  {-1, 0},  {0, -1}, {0, 1},
                                     {1, -1}, {-1, -1}, {1, 1},  {-1, 1}};
    *is_placed = false;
    /* First with room each side, so two names never run together ("KalatMangochar"); where
     * that finds nothing, tight. */
    for (int pass = 0; pass < 2 * 7; pass++) {
        const int ring = pass % 7;
        const double pad = pass < 7 ? 0.8 : 0;
        const double d = gap_mm + ring * 3.0;
        for (size_t k = 0; k < sizeof dirs / sizeof dirs[0]; k++) {
            const double dx = dirs[k][0], dy = dirs[k][1];
            double x0 = dx > 0 ? x + d : dx < 0 ? x - d - w : x - w / 2;
            double y0 = dy > 0 ? y + d : dy < 0 ? y - d - h : y - h / 2;
            if (dx != 0 && dy != 0) {
                x0 = dx > 0 ? x + d * 0.7 : x - d * 0.7 - w;
                y0 = dy > 0 ? y + d * 0.7 : y - d * 0.7 - h;
            }
            const bm_box b = {x0, y0, x0 + w, y0 + h};
            const bm_box padded = {x0 - pad, y0, x0 + w + pad, y0 + h};
            if (!bm_canvas_is_free(cv, &padded, inside))
                continue;
            /* Further out, a leader from the mark to the nearest point of the label. */
            if (ring > 0 &&
                bm_canvas_line(cv, "label-leader", ref, x, y, fmax(b.x0, fmin(x, b.x1)),
                               fmax(b.y0, fmin(y, b.y1)), lb->leader_rgba, 0.2, 0) != BM_OK)
                return cv->err->status;
            *is_placed = true;
            if (is_tag)
                return add_tag(lb, ref, text, sp, x0, y0, w, rgba);
            if (bm_canvas_text(cv, role, ref, text, sp, x0, y0, rgba, true, NULL) != BM_OK)
                return cv->err->status;
            return bm_canvas_keep_clear(cv, b.x0, b.y0, b.x1, b.y1);
        }
    }
    return BM_OK;
}

/* Where a w x h box goes when no place is free: right of (x, y), or left at the frame's edge,
 * centred vertically, kept inside the frame. */
static void spot_beside(const bm_box *inside, double x, double y, double gap_mm, double w, double h,
                        double *x0, double *y0) {
    *x0 = x + gap_mm;
    if (*x0 + w > inside->x1)
        *x0 = fmax(inside->x0, x - gap_mm - w);
    *y0 = fmin(fmax(y - h / 2, inside->y0), inside->y1 - h);
}

bm_status bm_labels_place(bm_labels *lb, const bm_box *inside, const char *role, const char *ref,
                          const char *text, const bm_text_spec *sp, double x, double y,
                          double gap_mm, uint32_t rgba, bool must_place) {
    bm_canvas *cv = lb->cv;
    bool is_placed = false;
    if (try_place(lb, inside, role, ref, text, sp, x, y, gap_mm, rgba, false, &is_placed) != BM_OK)
        return cv->err->status;
    if (is_placed || !must_place)
        return BM_OK;
    /* The text on one line, for the list and the warning: "92 militants killed, ISPR, 31 Jan"
     * (Urdu: "، "); a sequence that does not fit whole is left out (bm_canvas_text trims). */
    char listed[300];
    size_t k = 0;
    const size_t n_joiner = strlen(lb->joiner);
    for (const char *p = text; *p != '\0' && k + 1 < sizeof listed; p++) {
        if (*p != '\n') {
            listed[k++] = *p;
        } else if (k + n_joiner + 1 < sizeof listed) {
            memcpy(listed + k, lb->joiner, n_joiner);
            k += n_joiner;
        } else {
            break;
        }
    }
    listed[k] = '\0';
    if (lb->use_callouts) {
        char number[32];
        snprintf(number, sizeof number, "%zu", ++lb->n_callouts);
        bm_buf_printf(&lb->callouts, "%s%s%s: %s", lb->n_callouts > 1 ? "\n" : "",
                      lb->is_rtl ? "\u200F" : "", number, listed);
        bm_text_spec tag = *sp;
        tag.weight = BM_TEXT_BOLD;
        tag.is_italic = false;
        tag.wrap_width_mm = 0;
        tag.size_pt *= 0.85;
        if (try_place(lb, inside, "callout", ref, number, &tag, x, y, gap_mm, rgba, true,
                      &is_placed) != BM_OK)
            return cv->err->status;
        if (is_placed)
            return BM_OK;
        /* Not even a number fits: beside the mark all the same, and in the warning. */
        const double size = tag_size(cv, number, &tag);
        double x0, y0;
        spot_beside(inside, x, y, gap_mm, size, size, &x0, &y0);
        bm_buf_printf(&lb->unplaced, "%s'%s'", lb->unplaced.len ? ", " : "", listed);
        return add_tag(lb, ref, number, &tag, x0, y0, size, rgba);
    }
    /* No free position: to the right all the same (or left, at the frame's edge), inside the
     * frame, and say so. */
    double w, h, x0, y0;
    bm_canvas_measure(cv, text, sp, &w, &h);
    spot_beside(inside, x, y, gap_mm, w, h, &x0, &y0);
    if (bm_canvas_text(cv, role, ref, text, sp, x0, y0, rgba, true, NULL) != BM_OK)
        return cv->err->status;
    bm_buf_printf(&lb->unplaced, "%s'%s'", lb->unplaced.len ? ", " : "", listed);
    return bm_canvas_keep_clear(cv, x0, y0, x0 + w, y0 + h);
}
