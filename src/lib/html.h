/* SPDX-License-Identifier: MIT */
/* html.h - the map as one self-contained web page.
 *
 * The page holds the map as inline SVG (svg.c), each claim's circle focusable with a tooltip
 * (source, figure with its bound, party, places, date claimed, who relayed it, the quote, the
 * link), a sortable table of every claim in the incident file, and the legend and notes as
 * text. Styles and the small script are inline and a Content-Security-Policy forbids every
 * request, so the page works from a file or an intranet with no network. The same scene gives
 * the same bytes. Borrowed pointers: none are kept. */
#ifndef BM_HTML_H
#define BM_HTML_H

#include "bm_buf.h"
#include "bm_error.h"
#include "incidents.h"
#include "layout.h"
#include "text.h"

typedef struct bm_html_options {
    const bm_incidents *incidents; /* the claims for the table and tooltips; NULL: none */
    const char *creator;           /* "balmap 0.1.0", for the generator meta tag; NULL: none */
    const struct bm_lang *lang;    /* the page's own words (lang/<code>.tsv); NULL: English */
    /* The same map laid out for a phone's screen (legend under the map), shown instead of the
     * scene on a viewport under BM_HTML_NARROW_PX wide; NULL: the scene at every width. */
    const bm_scene *narrow;
} bm_html_options;

/* Below this viewport width (CSS px) a page with a narrow copy shows it: at 900 px the default
 * 1600 x 1200 map's 8 pt labels are about 7 pt. */
#define BM_HTML_NARROW_PX 900

/* Appends the page to out. */
bm_status bm_html_write(const bm_scene *scene, bm_text *text, const bm_html_options *opts,
                        bm_buf *out, bm_error *err);

#endif
