/* SPDX-License-Identifier: MIT */
/* test_svg.c - svg.c on small hand-made scenes: text stays text at Pango's baseline, marks go
 * to their layers without changing the drawing order, ids come from the claims and stay
 * unique, text is escaped, numbers are hundredths of a mm, and the output is deterministic. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carto/scene.h"
#include "check.h"
#include "layout.h"
#include "output.h"
#include "style.h"
#include "svg.h"
#include "text.h"

static bm_style style;
static bm_text *text;

static bm_mark text_mark(const char *role, const char *ref, const char *s, double x, double y) {
    bm_mark m = bm_mark_of(BM_MARK_TEXT, role, ref);
    m.text = s;
    m.spec.size_pt = 10;
    m.x_mm = x;
    m.y_mm = y;
    bm_text_measure(text, s, &m.spec, &m.w_mm, &m.h_mm);
    m.fill_rgba = 0x1f1f1fff;
    return m;
}

static bm_mark circle(const char *role, const char *ref, double x, double y, double r) {
    bm_mark m = bm_mark_of(BM_MARK_CIRCLE, role, ref);
    m.x_mm = x;
    m.y_mm = y;
    m.r_mm = r;
    m.fill_rgba = 0x0072b2d1;
    return m;
}

/* The SVG of the scene, as a string the caller frees. */
static char *svg_of(const bm_scene *s, bool is_inline) {
    bm_buf out = BM_BUF_INIT((size_t)1 << 24);
    bm_error err = {0};
    const bm_svg_options opts = {NULL, is_inline, NULL, NULL};
    if (bm_svg_write(s, text, &opts, &out, &err) != BM_OK) {
        bm_buf_free(&out);
        return NULL;
    }
    char *copy = strdup(bm_buf_str(&out));
    bm_buf_free(&out);
    return copy;
}

static size_t count(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void text_is_live_at_its_baseline(void) {
    bm_scene *s = bm_scene_new(100, 80);
    REQUIRE(s != NULL);
    bm_mark m = text_mark("place-label", "Quetta", "Quetta & <Mastung>", 10, 20);
    m.spec.weight = BM_TEXT_BOLD;
    m.halo_rgba = 0xffffffd9;
    m.halo_mm = 0.9;
    REQUIRE(bm_scene_add(s, &m, NULL) == BM_OK);
    char *svg = svg_of(s, false);
    REQUIRE(svg != NULL);
    CHECK_STRCONTAINS(svg, ">Quetta &amp; &lt;Mastung&gt;</text>");
    CHECK_STRCONTAINS(svg, "font-weight=\"bold\"");
    CHECK_STRCONTAINS(svg, "font-size=\"3.53\""); /* 10 pt in mm */
    CHECK_STRCONTAINS(svg, "paint-order=\"stroke\"");
    CHECK_STRCONTAINS(svg, "stroke-width=\".9\"");
    /* y is the baseline Pango gives, not the top of the box */
    bm_text_line line;
    REQUIRE(bm_text_lines(text, m.text, &m.spec, &line, 1) == 1);
    CHECK(line.baseline_mm > 2 && line.baseline_mm < m.h_mm);
    /* the writer drops trailing zeros: compare the number, not the digits */
    const char *y = strstr(svg, " y=\"");
    REQUIRE(y != NULL);
    CHECK_NEAR(strtod(y + 4, NULL), 20 + line.baseline_mm, 0.006);
    free(svg);
    bm_scene_free(s);
}

static void wrapped_text_is_one_element_with_a_line_each(void) {
    bm_scene *s = bm_scene_new(100, 80);
    REQUIRE(s != NULL);
    bm_mark m = text_mark("note", "", "one two three four five six seven eight nine ten", 5, 5);
    m.spec.wrap_width_mm = 25;
    bm_text_measure(text, m.text, &m.spec, &m.w_mm, &m.h_mm);
    REQUIRE(bm_scene_add(s, &m, NULL) == BM_OK);
    char *svg = svg_of(s, false);
    REQUIRE(svg != NULL);
    const size_t n = bm_text_lines(text, m.text, &m.spec, NULL, 0);
    CHECK(n >= 3);
    CHECK_INTEQ(count(svg, "<text"), 1);
    CHECK_INTEQ(count(svg, "<tspan"), n);
    CHECK(strstr(svg, " </tspan>") == NULL); /* no trailing space kept at a break */
    free(svg);
    bm_scene_free(s);
}

static void layers_regroup_only_what_does_not_overlap(void) {
    bm_scene *s = bm_scene_new(100, 80);
    REQUIRE(s != NULL);
    bm_mark sea = bm_mark_of(BM_MARK_RECT, "sea", "");
    sea.w_mm = 100, sea.h_mm = 80, sea.fill_rgba = 0xd6e6efff;
    REQUIRE(bm_scene_add(s, &sea, NULL) == BM_OK);
    bm_mark a = circle("claim", "a", 20, 20, 5);
    REQUIRE(bm_scene_add(s, &a, NULL) == BM_OK);
    /* a scale bar far from the claim: moves under it, into the first basemap group */
    bm_mark bar = bm_mark_of(BM_MARK_RECT, "scale-bg", "");
    bar.x_mm = 70, bar.y_mm = 70, bar.w_mm = 20, bar.h_mm = 5, bar.fill_rgba = 0xffffffb3;
    REQUIRE(bm_scene_add(s, &bar, NULL) == BM_OK);
    /* an inset over the claim: must stay above it, in a second basemap group */
    bm_mark inset = bar;
    inset.role = "inset-frame";
    inset.x_mm = 18, inset.y_mm = 18;
    REQUIRE(bm_scene_add(s, &inset, NULL) == BM_OK);
    char *svg = svg_of(s, false);
    REQUIRE(svg != NULL);
    const char *g1 = strstr(svg, "<g id=\"basemap\""), *gc = strstr(svg, "<g id=\"claims\"");
    const char *g2 = strstr(svg, "<g id=\"basemap-2\"");
    REQUIRE(g1 != NULL && gc != NULL && g2 != NULL);
    CHECK(g1 < gc && gc < g2);
    const char *bar_at = strstr(svg, "<rect x=\"70\"");
    const char *inset_at = strstr(svg, "<rect x=\"18\"");
    CHECK(bar_at != NULL && bar_at > g1 && bar_at < gc);
    CHECK(inset_at != NULL && inset_at > g2);
    CHECK_INTEQ(count(svg, "inkscape:groupmode=\"layer\""), 3);
    free(svg);
    bm_scene_free(s);
}

static void claim_ids_are_unique_and_focusable_inline(void) {
    bm_scene *s = bm_scene_new(100, 80);
    REQUIRE(s != NULL);
    bm_mark a = circle("claim", "herof2/0", 20, 20, 5);
    bm_mark b = circle("claim", "herof2/0", 60, 20, 5); /* the same claim in a second panel */
    bm_mark c = circle("claim", "2nd claim", 20, 60, 5);
    REQUIRE(bm_scene_add(s, &a, NULL) == BM_OK && bm_scene_add(s, &b, NULL) == BM_OK &&
            bm_scene_add(s, &c, NULL) == BM_OK);
    char *svg = svg_of(s, false);
    REQUIRE(svg != NULL);
    CHECK_STRCONTAINS(svg, "id=\"herof2_0\"");
    CHECK_STRCONTAINS(svg, "id=\"herof2_0-2\"");
    CHECK_STRCONTAINS(svg, "id=\"c-2nd_claim\""); /* an XML name starts with a letter */
    CHECK_STRCONTAINS(svg, "<title>herof2/0</title>");
    CHECK(strstr(svg, "tabindex") == NULL);
    free(svg);
    svg = svg_of(s, true);
    REQUIRE(svg != NULL);
    CHECK(strncmp(svg, "<svg", 4) == 0); /* no XML declaration inside a page */
    CHECK_INTEQ(count(svg, "tabindex=\"0\""), 3);
    CHECK_STRCONTAINS(svg, "data-claim=\"herof2/0\"");
    /* named by aria-label; no <title>, which the browser would show beside the page's tooltip */
    CHECK_STRCONTAINS(svg, "aria-label=\"herof2/0\"");
    CHECK(strstr(svg, "<title>herof2/0</title>") == NULL);
    free(svg);
    bm_scene_free(s);
}

static void shapes_drawn_twice_are_written_once(void) {
    bm_scene *s = bm_scene_new(100, 80);
    REQUIRE(s != NULL);
    static const double xy[] = {10.004, 10, 50.126, 10, 50, 40.5, 10, 40};
    static const size_t rings[] = {0, 4};
    bm_mark area = bm_mark_of(BM_MARK_AREA, "focus", "Balochistan");
    area.xy_mm = xy, area.n_points = 4, area.ring_starts = rings, area.n_rings = 1;
    area.fill_rgba = 0xfffdf6ff;
    bm_mark border = area;
    border.role = "focus-border";
    border.fill_rgba = 0;
    border.stroke_rgba = 0x3d3935ff, border.stroke_mm = 0.55;
    REQUIRE(bm_scene_add(s, &area, NULL) == BM_OK && bm_scene_add(s, &border, NULL) == BM_OK);
    char *svg = svg_of(s, false);
    REQUIRE(svg != NULL);
    /* hundredths, relative, from the rounded points: 10.004 -> 10, 50.126 -> 50.13 */
    CHECK_STRCONTAINS(svg, "<path id=\"shape1\" d=\"M10 10l40.13 0-.13 30.5-40-.5Z\"/>");
    CHECK_INTEQ(count(svg, "xlink:href=\"#shape1\""), 2);
    CHECK_STRCONTAINS(svg, "fill=\"none\" stroke=\"#3d3935\" stroke-width=\".55\"");
    char *again = svg_of(s, false);
    REQUIRE(again != NULL);
    CHECK_STREQ(again, svg);
    free(again);
    free(svg);
    bm_scene_free(s);
}

static int n_warnings;
static void count_warning(void *user, const bm_error *w) {
    (void)user;
    (void)w;
    n_warnings++;
}

/* A style's font_family may be a list: Urdu then takes Nastaliq, Latin Noto Sans. */
static void font_lists_are_accepted_and_written_as_css(void) {
    bm_style st;
    bm_style_defaults(&st);
    snprintf(st.font_family, sizeof st.font_family, "Noto Sans,  Noto Nastaliq Urdu ");
    bm_error err = {0};
    n_warnings = 0;
    bm_text *t = bm_text_new(&st, count_warning, NULL, &err);
    REQUIRE(t != NULL);
    CHECK_STREQ(bm_text_family(t), "Noto Sans, Noto Nastaliq Urdu");
    CHECK(n_warnings == 0);
    bm_scene *s = bm_scene_new(100, 80);
    REQUIRE(s != NULL);
    bm_mark m = text_mark("place-label", "Quetta", "\u06a9\u0648\u0626\u0679\u06c1", 10, 20);
    REQUIRE(bm_scene_add(s, &m, NULL) == BM_OK);
    bm_buf out = BM_BUF_INIT((size_t)1 << 24);
    const bm_svg_options opts = {NULL, false, NULL, NULL};
    REQUIRE(bm_svg_write(s, t, &opts, &out, &err) == BM_OK);
    CHECK_STRCONTAINS(bm_buf_str(&out),
                      "font-family=\"'Noto Sans', 'Noto Nastaliq Urdu', sans-serif\"");
    bm_buf_free(&out);
    bm_scene_free(s);
    bm_text_free(t);

    /* a missing family is dropped with one warning; the others stay */
    snprintf(st.font_family, sizeof st.font_family, "No Such Font Xq, Noto Nastaliq Urdu");
    n_warnings = 0;
    t = bm_text_new(&st, count_warning, NULL, &err);
    REQUIRE(t != NULL);
    CHECK_STREQ(bm_text_family(t), "Noto Nastaliq Urdu");
    CHECK(n_warnings == 1);
    bm_text_free(t);

    /* none installed: the fallback, as for one missing family */
    snprintf(st.font_family, sizeof st.font_family, "No Such Font Xq, Nor This Qx");
    n_warnings = 0;
    t = bm_text_new(&st, count_warning, NULL, &err);
    REQUIRE(t != NULL);
    CHECK_STREQ(bm_text_family(t), st.font_fallback);
    CHECK(n_warnings == 1);
    bm_text_free(t);
}

/* SVG and PDF are held to 7 pt like the PNG: a page sized in pixels is read at 96 px per inch
 * (6.1 pt on a 271 mm page is 9.5 px at 150 dpi, readable; 5.1 px at 80 dpi, refused); a print
 * size is read at its size, which map.c warns about rather than refuses. */
static void svg_and_pdf_text_is_held_to_7_pt(void) {
    bm_scene *s = bm_scene_new(270.93, 203.2);
    REQUIRE(s != NULL);
    REQUIRE(bm_scene_set_title(s, "Title") == BM_OK && bm_scene_set_description(s, "") == BM_OK);
    bm_mark big = text_mark("title", "", "Title", 10, 10);
    bm_mark small = text_mark("also-claimed", "", "BLA: 48 locations attacked", 10, 30);
    small.spec.size_pt = 6.1;
    REQUIRE(bm_scene_add(s, &big, NULL) == BM_OK && bm_scene_add(s, &small, NULL) == BM_OK);
    const bm_mark *got = bm_output_smallest_text(s);
    REQUIRE(got != NULL);
    CHECK_STREQ(got->role, "also-claimed");
    const bm_format formats[] = {BM_FORMAT_SVG, BM_FORMAT_PDF, BM_FORMAT_PNG};
    for (size_t k = 0; k < 3; k++) {
        bm_output_options opts = {.dpi = 150, .created_unix_s = -1};
        bm_buf out = BM_BUF_INIT((size_t)1 << 26);
        bm_error err = {0};
        CHECK_INTEQ(bm_output_render(s, text, formats[k], &opts, &out, &err), BM_OK);
        bm_buf_reset(&out);
        opts.dpi = 80;
        CHECK_INTEQ(bm_output_render(s, text, formats[k], &opts, &out, &err), BM_ERR_INVALID);
        CHECK_STRCONTAINS(err.message, "('also-claimed', 6.1 pt on the 271 mm page)");
        CHECK_STRCONTAINS(err.hint, "at least 1176 px wide");
        CHECK_INTEQ(out.len, 0);
        if (formats[k] != BM_FORMAT_PNG) { /* a print size: not refused here */
            bm_error_clear(&err);
            opts.is_print_size = true;
            CHECK_INTEQ(bm_output_render(s, text, formats[k], &opts, &out, &err), BM_OK);
            CHECK(out.len > 0);
        }
        bm_buf_free(&out);
    }
    bm_scene_free(s);
}

int main(void) {
    bm_style_defaults(&style);
    bm_error err = {0};
    text = bm_text_new(&style, NULL, NULL, &err);
    if (text == NULL)
        return 1;
    RUN(text_is_live_at_its_baseline);
    RUN(wrapped_text_is_one_element_with_a_line_each);
    RUN(layers_regroup_only_what_does_not_overlap);
    RUN(claim_ids_are_unique_and_focusable_inline);
    RUN(shapes_drawn_twice_are_written_once);
    RUN(font_lists_are_accepted_and_written_as_css);
    RUN(svg_and_pdf_text_is_held_to_7_pt);
    bm_text_free(text);
    return CHECK_DONE();
}
