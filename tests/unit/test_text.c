/* SPDX-License-Identifier: MIT */
/* text: the fontconfig configuration made of the style's font directories (issue 13) measures
 * text exactly as the system's configuration does, also text the style's family cannot show
 * (Urdu: not in Noto Sans; fontconfig falls back to Noto's Arabic fonts in both; where the
 * system has fonts elsewhere, text.c lays such text out with the system's configuration). */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "style.h"
#include "text.h"

static void measure_both(const char *utf8, double *w_small, double *w_system) {
    bm_style small, system;
    bm_style_defaults(&small);
    bm_style_defaults(&system);
    /* A fallback balmap does not know makes bm_text use the system's configuration. */
    snprintf(system.font_fallback, sizeof system.font_fallback, "%s", "Not A Known Family");
    bm_error err = {0};
    bm_text *a = bm_text_new(&small, NULL, NULL, &err), *b = bm_text_new(&system, NULL, NULL, &err);
    const bm_text_spec spec = {9, BM_TEXT_REGULAR, false, 0, 0, false};
    double h;
    *w_small = *w_system = -1;
    if (a != NULL && b != NULL) {
        bm_text_measure(a, utf8, &spec, w_small, &h);
        bm_text_measure(b, utf8, &spec, w_system, &h);
    }
    bm_text_free(a);
    bm_text_free(b);
}

static void style_fonts_measure_like_the_system(void) {
    double a, b;
    measure_both("Kandahār, Turbat – 12 killed (at least)", &a, &b);
    CHECK(a > 10);
    CHECK_NEAR(a, b, 1e-9);
}

static void script_the_style_lacks_uses_system_fonts(void) {
    double a, b;
    measure_both("بلوچستان", &a, &b); /* Balochistan in Urdu */
    CHECK(a > 2);
    CHECK_NEAR(a, b, 1e-9);
}

int main(void) {
    RUN(style_fonts_measure_like_the_system);
    RUN(script_the_style_lacks_uses_system_fonts);
    return CHECK_DONE();
}
