/* SPDX-License-Identifier: MIT */
/* svg.h - the scene as SVG 1.1 with live text, written by balmap itself.
 *
 * Cairo's SVG surface turns every letter into an outline; this writer keeps each label a
 * <text> element (font family, size, weight; a halo is a stroke painted under the fill), so a
 * graphics desk can find, retype, restyle or translate it. Marks are grouped in named layers by
 * role (basemap, claims, labels, legend, notes; svg_layer_of says which), a claim's marks carry
 * ids made from the claim's id, and its circle has a <title> naming the source, the figure and
 * the places. Coordinates are mm to 0.01 in a viewBox the size of the page, and a shape drawn
 * twice (a border over its area) is written once. The same scene gives the same bytes.
 * Borrowed pointers: none are kept. */
#ifndef BM_SVG_H
#define BM_SVG_H

#include <stdbool.h>

#include "bm_buf.h"
#include "bm_error.h"
#include "incidents.h"
#include "layout.h"
#include "text.h"

typedef struct bm_svg_options {
    const bm_incidents *incidents; /* for the claims' <title>s; NULL: the claim id alone */
    /* For an HTML page (html.c): no XML declaration, and each claim circle focusable
     * (tabindex 0) with data-claim="<claim id>" for the page's script. */
    bool is_inline;
    /* The words of the claims' titles (claim.title* keys, lang/<code>.tsv); NULL: English. */
    const struct bm_lang *lang;
    /* Put before every id (and reference to one), so that two maps can share a page: "n-";
     * NULL: none. Letters, digits and '-' only (written as it is). */
    const char *id_prefix;
} bm_svg_options;

/* Appends the SVG document for the scene to out. */
bm_status bm_svg_write(const bm_scene *scene, bm_text *text, const bm_svg_options *opts,
                       bm_buf *out, bm_error *err);

/* The layer a mark of this role is drawn in: "basemap", "claims", "labels", "legend" or
 * "notes" (title, subtitle, notes and credits; the
 * lists beside the legend are "legend"). Unknown roles: "labels" for text, else
 * "basemap". */
const char *bm_svg_layer_of(const char *role, bool is_text);

/* Appends s with &, <, >, " and ' escaped for XML text and attributes; NULL appends nothing. */
bm_status bm_svg_escape(bm_buf *out, const char *s);

#endif
