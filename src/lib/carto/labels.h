/* SPDX-License-Identifier: MIT */
/* carto/labels.h - label placement: text next to a mark, covering nothing.
 *
 * A label is tried at the positions cartographers prefer around its anchor (Imhof: right,
 * left, above, below, then the diagonals), first with room on each side so that two names never
 * run together, then tight, then further out with a leader line. A label that must be placed
 * and finds no free spot becomes a number in a ring (with callouts), its text listed under that
 * number for the legend; without callouts, or when not even the number fits, it goes beside the
 * anchor all the same and is named in `unplaced`, for the warning. Every label placed is kept
 * clear on the canvas. Text is measured through the canvas's callback: no fonts needed. */
#ifndef BM_CARTO_LABELS_H
#define BM_CARTO_LABELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bm_buf.h"
#include "carto/canvas.h"

typedef struct bm_labels {
    bm_canvas *cv;        /* borrowed */
    uint32_t leader_rgba; /* leader lines to labels set further out */
    bool use_callouts;    /* a label with no room becomes a number */
    bm_buf callouts;      /* "1: 133 militants killed, ISPR, 31 Jan\n2: ..." */
    size_t n_callouts;
    bm_buf unplaced; /* "'a', 'b'": labels placed over other marks */
    /* How a label's lines join in the callout list: the language's comma (punct.comma; ", "
     * unless set after bm_labels_init); in a right-to-left language (is_rtl) each listed line
     * starts with a RIGHT-TO-LEFT MARK, like the legend's other lists. Borrowed. */
    const char *joiner;
    bool is_rtl;
} bm_labels;

void bm_labels_init(bm_labels *lb, bm_canvas *cv, uint32_t leader_rgba, bool use_callouts);
void bm_labels_release(bm_labels *lb);

/* Places text (may hold line breaks) near the anchor (x, y), gap_mm from it, inside the box.
 * Without must_place, a label with no free spot is left out. Fails only when memory runs out. */
bm_status bm_labels_place(bm_labels *lb, const bm_box *inside, const char *role, const char *ref,
                          const char *text, const bm_text_spec *spec, double x, double y,
                          double gap_mm, uint32_t rgba, bool must_place);

#endif
