/* SPDX-License-Identifier: MIT */
/* Style files: the shipped styles load, each bad file in tests/data/styles fails with its exact
 * message and place, and the source colours survive colour-vision deficiency and greyscale.
 *
 * Colour checks, and why these thresholds:
 * - Deuteranopia and protanopia are simulated with Machado, Oliveira & Fernandes (2009), severity
 *   1.0 (dichromacy, the worst case), applied to linear RGB; colours are then compared in
 *   CIELAB (D65) with CIE76 dE.
 * - The first three sources (palette slots military, armed group, government: every example so
 *   far) must differ by dE >= 20 under both: well past "noticeable" (dE ~ 2-5 side by side),
 *   enough to match a small marker to its legend swatch across the page.
 * - Every pair of the eight must differ by dE >= 15 under deuteranopia (the commonest
 *   dichromacy). Okabe-Ito, the default palette, reaches 17.0 at worst (orange/yellow), so 20
 *   would reject it; sources beyond the third should differ by pattern too.
 * - Greyscale: relative luminance Y from linear RGB with Rec. 709 weights, as CIE L* (0-100);
 *   print.json's first three sources differ by >= 25 L*, i.e. 25% of the lightness scale. */
#include <stdlib.h>

#include "check.h"
#include "style.h"

#define STYLES BM_SOURCE_DIR "/styles"
#define BAD    BM_TEST_DATA "/styles"

/* ---- colour science ---- */

typedef struct lab {
    double l, a, b;
} lab;

static double linear(double c) {
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static void rgb_linear(uint32_t rgba, double out[3]) {
    for (int i = 0; i < 3; i++)
        out[i] = linear((double)(rgba >> (24 - 8 * i) & 0xFF) / 255.0);
}

static double lab_f(double t) {
    return t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116;
}

static lab lab_of_linear(const double rgb[3]) {
    double c[3];
    for (int i = 0; i < 3; i++)
        c[i] = rgb[i] < 0 ? 0 : rgb[i] > 1 ? 1 : rgb[i];
    const double x = 0.4124 * c[0] + 0.3576 * c[1] + 0.1805 * c[2];
    const double y = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    const double z = 0.0193 * c[0] + 0.1192 * c[1] + 0.9505 * c[2];
    const double fx = lab_f(x / 0.95047), fy = lab_f(y), fz = lab_f(z / 1.08883);
    return (lab){116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
}

/* Machado et al. 2009, Table 1, severity 1.0. */
static const double deuteranopia[3][3] = {{0.367322, 0.860646, -0.227968},
                                          {0.280085, 0.672501, 0.047413},
                                          {-0.011820, 0.042940, 0.968881}};
static const double protanopia[3][3] = {{0.152286, 1.052583, -0.204868},
                                        {0.114503, 0.786281, 0.099216},
                                        {-0.003882, -0.048116, 1.051998}};

static lab seen(uint32_t rgba, const double (*m)[3]) {
    double rgb[3], out[3];
    rgb_linear(rgba, rgb);
    for (int i = 0; i < 3; i++)
        out[i] = m ? m[i][0] * rgb[0] + m[i][1] * rgb[1] + m[i][2] * rgb[2] : rgb[i];
    return lab_of_linear(out);
}

static double delta_e(lab p, lab q) {
    return sqrt((p.l - q.l) * (p.l - q.l) + (p.a - q.a) * (p.a - q.a) + (p.b - q.b) * (p.b - q.b));
}

/* L* of the grey a Rec. 709 greyscale conversion gives. */
static double grey_lightness(uint32_t rgba) {
    return seen(rgba, NULL).l;
}

static void colour_science_matches_known_values(void) {
    CHECK_NEAR(grey_lightness(0xFFFFFFFF), 100, 0.01);
    CHECK_NEAR(grey_lightness(0x000000FF), 0, 0.01);
    CHECK_NEAR(grey_lightness(0x777777FF), 50.0, 0.1); /* sRGB 119 is mid grey */
    const lab red = seen(0xFF0000FF, NULL);
    CHECK_NEAR(red.l, 53.24, 0.05);
    CHECK_NEAR(red.a, 80.09, 0.1);
    CHECK_NEAR(red.b, 67.20, 0.1);
    /* a deuteranope cannot tell red from a matching olive: they collapse together */
    CHECK(delta_e(seen(0xFF0000FF, deuteranopia), seen(0x9E9E00FF, deuteranopia)) <
          delta_e(seen(0xFF0000FF, NULL), seen(0x9E9E00FF, NULL)) / 3);
    /* greys are left alone by the simulation */
    CHECK_NEAR(delta_e(seen(0x808080FF, deuteranopia), seen(0x808080FF, NULL)), 0, 0.5);
}

/* ---- shipped styles ---- */

static void load_ok(const char *path, bm_style *s) {
    bm_error err = {0};
    const bm_status st = bm_style_load(path, s, &err);
    if (st != BM_OK)
        fprintf(stderr, "%s: %s: %s (hint: %s)\n", path, err.pointer, err.message, err.hint);
    CHECK_INTEQ(st, BM_OK);
}

static void every_shipped_style_loads(void) {
    static const char *const names[] = {"default", "dark", "print"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, STYLES "/%s.json", names[i]);
        bm_style s;
        load_ok(path, &s);
        CHECK_STREQ(s.name, names[i]);
    }
}

static void default_json_says_what_the_built_in_defaults_say(void) {
    bm_style d, f;
    bm_style_defaults(&d);
    load_ok(STYLES "/default.json", &f);
    CHECK_STREQ(f.font_family, d.font_family);
    CHECK_STREQ(f.font_fallback, d.font_fallback);
    const uint32_t dc[] = {d.background_rgba,       d.sea_rgba,           d.text_rgba,
                           d.muted_text_rgba,       d.halo_rgba,          d.frame_rgba,
                           d.country_border_rgba,   d.place_rgba,         d.neighbour.fill_rgba,
                           d.neighbour.stroke_rgba, d.province.fill_rgba, d.province.stroke_rgba,
                           d.focus.fill_rgba,       d.focus.stroke_rgba,  d.inset_extent_rgba};
    const uint32_t fc[] = {f.background_rgba,       f.sea_rgba,           f.text_rgba,
                           f.muted_text_rgba,       f.halo_rgba,          f.frame_rgba,
                           f.country_border_rgba,   f.place_rgba,         f.neighbour.fill_rgba,
                           f.neighbour.stroke_rgba, f.province.fill_rgba, f.province.stroke_rgba,
                           f.focus.fill_rgba,       f.focus.stroke_rgba,  f.inset_extent_rgba};
    for (size_t i = 0; i < sizeof dc / sizeof dc[0]; i++)
        CHECK_INTEQ(fc[i], dc[i]);
    const double dn[] = {d.neighbour.stroke_mm,
                         d.province.stroke_mm,
                         d.focus.stroke_mm,
                         d.country_border_mm,
                         d.marker_max_radius_mm,
                         d.marker_min_radius_mm,
                         d.marker_stroke_mm,
                         d.marker_fill_opacity,
                         d.leader_mm,
                         d.leader_opacity,
                         d.place_radius_mm,
                         d.title_pt,
                         d.subtitle_pt,
                         d.label_pt,
                         d.legend_pt,
                         d.note_pt,
                         d.attribution_pt,
                         d.margin_mm,
                         d.panel_width_mm,
                         d.pattern_spacing_mm,
                         d.pattern_line_mm};
    const double fn[] = {f.neighbour.stroke_mm,
                         f.province.stroke_mm,
                         f.focus.stroke_mm,
                         f.country_border_mm,
                         f.marker_max_radius_mm,
                         f.marker_min_radius_mm,
                         f.marker_stroke_mm,
                         f.marker_fill_opacity,
                         f.leader_mm,
                         f.leader_opacity,
                         f.place_radius_mm,
                         f.title_pt,
                         f.subtitle_pt,
                         f.label_pt,
                         f.legend_pt,
                         f.note_pt,
                         f.attribution_pt,
                         f.margin_mm,
                         f.panel_width_mm,
                         f.pattern_spacing_mm,
                         f.pattern_line_mm};
    for (size_t i = 0; i < sizeof dn / sizeof dn[0]; i++)
        CHECK_NEAR(fn[i], dn[i], 1e-12);
    CHECK_INTEQ(f.n_sources, d.n_sources);
    for (size_t i = 0; i < d.n_sources; i++) {
        CHECK_INTEQ(f.sources[i].color_rgba, d.sources[i].color_rgba);
        CHECK_INTEQ(f.sources[i].outline_rgba, d.sources[i].outline_rgba);
        CHECK_INTEQ(f.sources[i].pattern, d.sources[i].pattern);
        CHECK_INTEQ(f.sources[i].pattern_rgba, d.sources[i].pattern_rgba);
        CHECK_INTEQ(f.sources[i].label_rgba, d.sources[i].label_rgba);
    }
}

static void a_style_gives_only_what_it_changes(void) {
    bm_style d, p;
    bm_style_defaults(&d);
    load_ok(STYLES "/print.json", &p);
    CHECK_NEAR(p.title_pt, d.title_pt, 0);      /* not in print.json */
    CHECK_STREQ(p.font_family, d.font_family);  /* not in print.json */
    CHECK_INTEQ(p.background_rgba, 0xFFFFFFFF); /* given */
    CHECK_INTEQ(p.sources[1].pattern, BM_PATTERN_HATCH);
    CHECK_INTEQ(p.sources[0].pattern_rgba, 0x000000FF); /* defaults to the outline */
    CHECK_INTEQ(p.sources[3].pattern_rgba, 0xFFFFFFFF); /* given */
    CHECK_INTEQ(p.sources[0].label_rgba, p.sources[0].color_rgba);
    CHECK_INTEQ(p.sources[1].label_rgba, 0x8F4500FF);
    CHECK_STREQ(bm_style_pattern_name(p.sources[2].pattern), "dots");
    CHECK_INTEQ(d.sources[0].pattern, BM_PATTERN_SOLID);
}

static void check_sources_under_cvd(const char *path) {
    bm_style s;
    load_ok(path, &s);
    for (size_t i = 0; i < s.n_sources; i++) {
        for (size_t j = i + 1; j < s.n_sources; j++) {
            const uint32_t a = s.sources[i].color_rgba, b = s.sources[j].color_rgba;
            const double deut = delta_e(seen(a, deuteranopia), seen(b, deuteranopia));
            const double prot = delta_e(seen(a, protanopia), seen(b, protanopia));
            if (deut < 15 || (j < 3 && (deut < 20 || prot < 20)))
                fprintf(stderr,
                        "%s: sources %zu #%08x and %zu #%08x: dE %.1f deuteranopia, "
                        "%.1f protanopia\n",
                        path, i, a, j, b, deut, prot);
            CHECK(deut >= 15);
            if (j < 3) {
                CHECK(deut >= 20);
                CHECK(prot >= 20);
            }
        }
    }
}

static void source_colours_survive_colour_vision_deficiency(void) {
    check_sources_under_cvd(STYLES "/default.json");
    check_sources_under_cvd(STYLES "/dark.json");
    check_sources_under_cvd(STYLES "/print.json");
}

static void print_sources_differ_in_greyscale(void) {
    bm_style s;
    load_ok(STYLES "/print.json", &s);
    REQUIRE(s.n_sources >= 3);
    for (size_t i = 0; i < 3; i++)
        for (size_t j = i + 1; j < 3; j++) {
            const double dl = fabs(grey_lightness(s.sources[i].color_rgba) -
                                   grey_lightness(s.sources[j].color_rgba));
            if (dl < 25)
                fprintf(stderr, "print.json: sources %zu and %zu differ by %.1f L*\n", i, j, dl);
            CHECK(dl >= 25);
        }
    /* past the third, a pair close in grey must differ by pattern */
    for (size_t i = 0; i < s.n_sources; i++)
        for (size_t j = i + 1; j < s.n_sources; j++)
            if (fabs(grey_lightness(s.sources[i].color_rgba) -
                     grey_lightness(s.sources[j].color_rgba)) < 25)
                CHECK(s.sources[i].pattern != s.sources[j].pattern);
}

/* ---- bad files: one defect each, exact message and place (line and column of the value,
 * or of the key for unknown and repeated keys) ---- */

typedef struct bad_case {
    const char *file;
    bm_status status;
    const char *pointer;
    int line, column;
    const char *message; /* exact */
    const char *hint;    /* exact */
} bad_case;

static const bad_case bad_cases[] = {
    {"unknown-key.json", BM_ERR_INVALID, "/sae", 3, 3,
     "unknown key 'sae'; expected one of: description, name, font_family, font_fallback, "
     "background, sea, text, muted_text, halo, frame, neighbour, province, focus, "
     "country_border, country_border_mm, sources, marker_max_radius_mm, marker_min_radius_mm, "
     "marker_stroke_mm, marker_fill_opacity, leader_mm, leader_opacity, place, place_radius_mm, "
     "inset_extent, title_pt, subtitle_pt, label_pt, legend_pt, note_pt, attribution_pt, "
     "margin_mm, panel_width_mm, pattern_spacing_mm, pattern_line_mm",
     "did you mean 'sea'?"},
    {"unknown-nested-key.json", BM_ERR_INVALID, "/focus/stroke_width", 2, 32,
     "unknown key 'stroke_width'; expected one of: fill, stroke, stroke_mm",
     "did you mean 'stroke_mm'?"},
    {"unknown-source-key.json", BM_ERR_INVALID, "/sources/0/colour", 3, 6,
     "unknown key 'colour'; expected one of: color, outline, pattern, pattern_color, label_color",
     "did you mean 'color'?"},
    {"bad-colour.json", BM_ERR_INVALID, "/sea", 2, 10,
     "expected a colour \"#rrggbb\" or \"#rrggbbaa\", got a string ('blue')",
     "write colours in hex, e.g. \"#0072b2\"; names such as 'blue' are not understood"},
    {"number-out-of-range.json", BM_ERR_INVALID, "/country_border_mm", 2, 24,
     "expected a length in millimetres from 0 to 5, got a number (7)",
     "lengths are millimetres on the printed page, whatever the output's pixel size"},
    {"wrong-type.json", BM_ERR_INVALID, "/title_pt", 2, 15,
     "expected a font size in points from 4 to 48, got a string ('16')",
     "write numbers without quotes, e.g. 0.5"},
    {"too-many-sources.json", BM_ERR_INVALID, "/sources", 2, 14, "expected 1 to 8 sources, got 9",
     "balmap tells at most 8 sources apart; drop the extra entries"},
    {"unknown-pattern.json", BM_ERR_INVALID, "/sources/1/pattern", 4, 37,
     "unknown pattern 'stripes'; expected one of: solid, hatch, crosshatch, dots",
     "patterns tell sources apart in greyscale print; see styles/README.md"},
    {"min-radius-not-below-max.json", BM_ERR_INVALID, "/marker_min_radius_mm", 3, 27,
     "expected less than marker_max_radius_mm (4), got 4",
     "the smallest claim is drawn at the minimum radius, the largest at the maximum; lower the "
     "one or raise the other"},
    {"pattern-line-too-wide.json", BM_ERR_INVALID, "/pattern_line_mm", 2, 22,
     "expected pattern_line_mm (0.8) less than half of pattern_spacing_mm (1.2)",
     "dots are twice pattern_line_mm across; wider than the spacing, they merge into a solid "
     "fill"},
    {"duplicate-key.json", BM_ERR_INVALID, "/sea", 3, 3, "key 'sea' appears twice",
     "delete one of them"},
    {"not-an-object.json", BM_ERR_INVALID, "", 1, 1,
     "expected a JSON object of style keys, got an array",
     "a style is one object: {\"sea\": \"#d6e6ef\", ...}"},
    /* The one JSON syntax diagnosis (json_kit.c), as for incident files. */
    {"syntax-trailing-comma.json", BM_ERR_SYNTAX, "", 3, 20,
     "invalid JSON: trailing comma before '}'",
     "remove the comma: JSON does not allow one after the last item"},
    {"syntax-missing-comma.json", BM_ERR_SYNTAX, "", 3, 3,
     "invalid JSON: expected ',' or '}' before '\"'",
     "add the missing comma at the end of the previous item"},
    {"syntax-unclosed.json", BM_ERR_SYNTAX, "", 3, 1,
     "invalid JSON: unexpected end of the file; expected a key in double quotes",
     "a bracket or a quote is not closed"},
    {"syntax-comment.json", BM_ERR_SYNTAX, "", 2, 3,
     "invalid JSON: unexpected '/'; expected a key in double quotes",
     "JSON has no comments; put notes in a \"note\" or \"description\" string"},
};

static void each_bad_style_fails_with_its_message_and_place(void) {
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        char path[512];
        snprintf(path, sizeof path, BAD "/%s", c->file);
        bm_style s;
        bm_style_defaults(&s);
        s.title_pt = 99; /* a sentinel: a failed load leaves *out untouched */
        bm_error err = {0};
        const bm_status st = bm_style_load(path, &s, &err);
        if (st != c->status || strcmp(err.message, c->message) != 0)
            fprintf(stderr, "case %s\n", c->file);
        CHECK_INTEQ(st, c->status);
        CHECK_STREQ(err.file, path);
        CHECK_STREQ(err.pointer, c->pointer);
        CHECK_INTEQ(err.line, c->line);
        CHECK_INTEQ(err.column, c->column);
        CHECK_STREQ(err.message, c->message);
        CHECK_STREQ(err.hint, c->hint);
        CHECK_NEAR(s.title_pt, 99, 0);
    }
}

static void a_missing_style_file_is_an_io_error_naming_it(void) {
    bm_style s;
    bm_error err = {0};
    CHECK_INTEQ(bm_style_load(BAD "/no-such-style.json", &s, &err), BM_ERR_IO);
    CHECK_STREQ(err.file, BAD "/no-such-style.json");
}

/* Every key the loader accepts is documented in styles/README.md. */
static void every_key_is_documented(void) {
    bm_style s;
    bm_error err = {0};
    REQUIRE(bm_style_load(BAD "/unknown-key.json", &s, &err) == BM_ERR_INVALID);
    const char *list = strstr(err.message, "expected one of: ");
    REQUIRE(list != NULL);
    list += strlen("expected one of: ");
    FILE *f = fopen(STYLES "/README.md", "rb");
    REQUIRE(f != NULL);
    char *readme = calloc(1, 1 << 16);
    const size_t n = readme ? fread(readme, 1, (1 << 16) - 1, f) : 0;
    fclose(f);
    REQUIRE(readme != NULL && n > 0);
    static const char *const nested[] = {"fill",    "stroke",  "stroke_mm",     "color",
                                         "outline", "pattern", "pattern_color", "label_color"};
    char key[64];
    for (const char *p = list; *p != '\0';) {
        const size_t k = strcspn(p, ",");
        snprintf(key, sizeof key, "`%.*s`", (int)k, p);
        CHECK_STRCONTAINS(readme, key);
        p += k;
        while (*p == ',' || *p == ' ')
            p++;
    }
    for (size_t i = 0; i < sizeof nested / sizeof nested[0]; i++) {
        snprintf(key, sizeof key, "`%s`", nested[i]);
        CHECK_STRCONTAINS(readme, key);
    }
    free(readme);
}

/* ---- bm_color_parse ---- */

static void colours_parse_as_hex_with_optional_alpha(void) {
    uint32_t c = 0;
    CHECK_INTEQ(bm_color_parse("#0072b2", &c), BM_OK);
    CHECK_INTEQ(c, 0x0072B2FF);
    CHECK_INTEQ(bm_color_parse("#0072B2", &c), BM_OK);
    CHECK_INTEQ(c, 0x0072B2FF);
    CHECK_INTEQ(bm_color_parse("#ffffffd9", &c), BM_OK);
    CHECK_INTEQ(c, 0xFFFFFFD9);
    CHECK_INTEQ(bm_color_parse("#00000000", &c), BM_OK);
    CHECK_INTEQ(c, 0x00000000);
}

static void malformed_colours_are_refused_and_leave_the_output_alone(void) {
    static const char *const bad[] = {"",         "#",          "0072b2",   "#0072b",
                                      "#0072b2f", "#0072b2ff0", "#gg0000",  "#00 0000",
                                      "blue",     "#fff",       "#0072b2\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t c = 0x12345678;
        if (bm_color_parse(bad[i], &c) != BM_ERR_INVALID)
            fprintf(stderr, "accepted '%s'\n", bad[i]);
        CHECK_INTEQ(bm_color_parse(bad[i], &c), BM_ERR_INVALID);
        CHECK_INTEQ(c, 0x12345678);
    }
    uint32_t c = 0x12345678;
    CHECK_INTEQ(bm_color_parse(NULL, &c), BM_ERR_INVALID);
    CHECK_INTEQ(c, 0x12345678);
}

int main(void) {
    RUN(colour_science_matches_known_values);
    RUN(every_shipped_style_loads);
    RUN(default_json_says_what_the_built_in_defaults_say);
    RUN(a_style_gives_only_what_it_changes);
    RUN(source_colours_survive_colour_vision_deficiency);
    RUN(print_sources_differ_in_greyscale);
    RUN(each_bad_style_fails_with_its_message_and_place);
    RUN(a_missing_style_file_is_an_io_error_naming_it);
    RUN(every_key_is_documented);
    RUN(colours_parse_as_hex_with_optional_alpha);
    RUN(malformed_colours_are_refused_and_leave_the_output_alone);
    return CHECK_DONE();
}
