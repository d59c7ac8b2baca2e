/* SPDX-License-Identifier: MIT */
#include "style.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bm_buf.h"
#include "json_kit.h"
#include "utf8.h"

/* Okabe & Ito's palette (2008): distinguishable with the common colour-vision deficiencies,
 * and the first two (blue, vermillion) differ in lightness, so they survive greyscale print.
 * Under a simulated deuteranopia (Machado et al. 2009) its weakest pairs are orange/yellow
 * (CIE76 dE 17.0), bluish green/reddish purple (17.9) and vermillion/orange (18.3): styles
 * showing more than three sources should give those a pattern too (tests/unit/test_style.c). */
static const uint32_t default_source_colors[] = {0x0072B2FF, 0xD55E00FF, 0x009E73FF, 0xCC79A7FF,
                                                 0xE69F00FF, 0x56B4E9FF, 0xF0E442FF, 0x000000FF};

static const char *const pattern_names[] = {"solid", "hatch", "crosshatch", "dots"};
#define N_PATTERNS (sizeof pattern_names / sizeof pattern_names[0])

void bm_style_defaults(bm_style *s) {
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "default");
    snprintf(s->font_family, sizeof s->font_family, "Noto Sans, Noto Nastaliq Urdu");
    snprintf(s->font_fallback, sizeof s->font_fallback, "DejaVu Sans");
    s->background_rgba = 0xFFFFFFFF;
    s->sea_rgba = 0xD6E6EFFF;
    s->text_rgba = 0x1F1F1FFF;
    s->muted_text_rgba = 0x5E5A55FF;
    s->halo_rgba = 0xFFFFFFD9;
    s->frame_rgba = 0x8C8C8CFF;
    s->neighbour = (bm_stroke_fill){0xE9E6E0FF, 0xB3ADA3FF, 0.25};
    s->province = (bm_stroke_fill){0xF3F1EBFF, 0x9B958BFF, 0.3};
    s->focus = (bm_stroke_fill){0xFFFDF6FF, 0x3D3935FF, 0.55};
    s->country_border_rgba = 0x6E6860FF;
    s->country_border_mm = 0.45;
    s->n_sources = sizeof default_source_colors / sizeof default_source_colors[0];
    for (size_t i = 0; i < s->n_sources; i++) {
        s->sources[i].color_rgba = default_source_colors[i];
        s->sources[i].outline_rgba = i == 6 ? 0x1F1F1FFF : 0xFFFFFFFF; /* yellow: dark outline */
        s->sources[i].pattern = BM_PATTERN_SOLID;
        s->sources[i].pattern_rgba = s->sources[i].outline_rgba;
        s->sources[i].label_rgba = s->sources[i].color_rgba;
    }
    s->marker_max_radius_mm = 11.0;
    s->marker_min_radius_mm = 1.2;
    s->marker_stroke_mm = 0.35;
    s->marker_fill_opacity = 0.82;
    s->leader_mm = 0.3;
    s->leader_opacity = 0.65;
    s->place_rgba = 0x1F1F1FFF;
    s->place_radius_mm = 0.75;
    s->inset_extent_rgba = 0xC0392BFF;
    s->title_pt = 16;
    s->subtitle_pt = 9.5;
    s->label_pt = 8.0;
    s->legend_pt = 8.0;
    s->note_pt = 7.2;
    s->attribution_pt = 6.4;
    s->margin_mm = 6;
    s->panel_width_mm = 80;
    /* 1.2 mm between 0.25 mm lines: at 300 dpi that is 14 pixels apart and 3 wide, still a
     * texture at the 2.4 mm of the smallest marker (two or three lines across it). */
    s->pattern_spacing_mm = 1.2;
    s->pattern_line_mm = 0.25;
}

bm_status bm_color_parse(const char *text, uint32_t *out_rgba) {
    if (text == NULL)
        return BM_ERR_INVALID;
    const size_t n = strlen(text);
    if (text[0] != '#' || (n != 7 && n != 9))
        return BM_ERR_INVALID;
    uint32_t v = 0;
    for (size_t i = 1; i < n; i++) {
        const char c = text[i];
        uint32_t d;
        if (c >= '0' && c <= '9')
            d = (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (uint32_t)(c - 'A' + 10);
        else
            return BM_ERR_INVALID;
        v = v << 4 | d;
    }
    *out_rgba = n == 7 ? v << 8 | 0xFF : v;
    return BM_OK;
}

const char *bm_style_pattern_name(bm_fill_pattern pattern) {
    return (size_t)pattern < N_PATTERNS ? pattern_names[pattern] : "solid";
}

/* ---- reading a style file ---- */

typedef enum {
    K_COLOR,
    K_NUMBER,
    K_STRING,
    K_PATTERN,
    K_STROKE_FILL,
    K_SOURCES,
    K_COMMENT /* "description": free text for people, not read */
} key_kind;

typedef struct key_spec {
    const char *name;
    key_kind kind;
    size_t offset, size; /* of the field in the struct being filled; size for strings */
    double lo, hi;       /* valid range of numbers */
    const char *what;    /* "a width in millimetres", for messages */
} key_spec;

#define STYLE_COLOR(f)                                                                             \
    { #f, K_COLOR, offsetof(bm_style, f##_rgba), 0, 0, 0, NULL }
#define STYLE_NUM(f, lo, hi, what)                                                                 \
    { #f, K_NUMBER, offsetof(bm_style, f), 0, lo, hi, what }
#define STYLE_STR(f, what)                                                                         \
    { #f, K_STRING, offsetof(bm_style, f), sizeof(((bm_style *)NULL)->f), 0, 0, what }
#define MM "a length in millimetres"
#define PT "a font size in points"

static const key_spec style_keys[] = {
    {"description", K_COMMENT, 0, 0, 0, 0, NULL},
    STYLE_STR(name, "a style name"),
    STYLE_STR(font_family, "a fontconfig family name"),
    STYLE_STR(font_fallback, "a fontconfig family name"),
    STYLE_COLOR(background),
    STYLE_COLOR(sea),
    STYLE_COLOR(text),
    STYLE_COLOR(muted_text),
    STYLE_COLOR(halo),
    STYLE_COLOR(frame),
    {"neighbour", K_STROKE_FILL, offsetof(bm_style, neighbour), 0, 0, 0, NULL},
    {"province", K_STROKE_FILL, offsetof(bm_style, province), 0, 0, 0, NULL},
    {"focus", K_STROKE_FILL, offsetof(bm_style, focus), 0, 0, 0, NULL},
    STYLE_COLOR(country_border),
    STYLE_NUM(country_border_mm, 0, 5, MM),
    {"sources", K_SOURCES, 0, 0, 0, 0, NULL},
    STYLE_NUM(marker_max_radius_mm, 2, 40, MM),
    STYLE_NUM(marker_min_radius_mm, 0.3, 5, MM),
    STYLE_NUM(marker_stroke_mm, 0, 2, MM),
    STYLE_NUM(marker_fill_opacity, 0.1, 1, "an opacity"),
    STYLE_NUM(leader_mm, 0.05, 2, MM),
    STYLE_NUM(leader_opacity, 0.1, 1, "an opacity"),
    STYLE_COLOR(place),
    STYLE_NUM(place_radius_mm, 0.2, 3, MM),
    STYLE_COLOR(inset_extent),
    STYLE_NUM(title_pt, 4, 48, PT),
    STYLE_NUM(subtitle_pt, 4, 36, PT),
    STYLE_NUM(label_pt, 4, 24, PT),
    STYLE_NUM(legend_pt, 4, 24, PT),
    STYLE_NUM(note_pt, 4, 24, PT),
    STYLE_NUM(attribution_pt, 4, 24, PT),
    STYLE_NUM(margin_mm, 0, 40, MM),
    STYLE_NUM(panel_width_mm, 30, 200, MM),
    STYLE_NUM(pattern_spacing_mm, 0.5, 5, MM),
    STYLE_NUM(pattern_line_mm, 0.05, 1, MM),
};

static const key_spec stroke_fill_keys[] = {
    {"fill", K_COLOR, offsetof(bm_stroke_fill, fill_rgba), 0, 0, 0, NULL},
    {"stroke", K_COLOR, offsetof(bm_stroke_fill, stroke_rgba), 0, 0, 0, NULL},
    {"stroke_mm", K_NUMBER, offsetof(bm_stroke_fill, stroke_mm), 0, 0, 5, MM},
};

static const key_spec source_keys[] = {
    {"color", K_COLOR, offsetof(bm_source_style, color_rgba), 0, 0, 0, NULL},
    {"outline", K_COLOR, offsetof(bm_source_style, outline_rgba), 0, 0, 0, NULL},
    {"pattern", K_PATTERN, offsetof(bm_source_style, pattern), 0, 0, 0, NULL},
    {"pattern_color", K_COLOR, offsetof(bm_source_style, pattern_rgba), 0, 0, 0, NULL},
    {"label_color", K_COLOR, offsetof(bm_source_style, label_rgba), 0, 0, 0, NULL},
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Endings people write for ours: "sea_color" means "sea", "stroke_width" "stroke_mm". */
static const struct {
    const char *theirs, *ours;
} suffix_fixes[] = {{"_color", ""},
                    {"_colour", ""},
                    {"_rgba", ""},
                    {"_rgb", ""},
                    {"_width", "_mm"},
                    {"_width_mm", "_mm"},
                    {"_px", "_mm"},
                    {"_size", "_pt"},
                    {"_size_pt", "_pt"},
                    {"_pt", "_mm"},
                    {"_mm", "_pt"},
                    {"_radius", "_radius_mm"},
                    {"_opacity", "_fill_opacity"}};

typedef struct reader {
    const char *path;
    bm_error *err;
    bm_style *style;             /* being filled; sources are counted into it */
    bm_json_positions positions; /* where each value starts, for line and column */
} reader;

/* base + "/" + key, escaped (RFC 6901). */
static void pointer_key(char *out, size_t out_size, const char *base, const char *key) {
    const int n = snprintf(out, out_size, "%s", base);
    bm_json_pointer_add(out, n > 0 && (size_t)n < out_size ? (size_t)n : strlen(out), out_size,
                        key);
}

/* The error at node `at` (its member name when at_key): pointer, line and column, hint. */
static bm_status fail_at(reader *r, const cJSON *at, bool at_key, const char *pointer,
                         const char *hint, const char *fmt, ...) BM_PRINTF(6, 7);
static bm_status fail_at(reader *r, const cJSON *at, bool at_key, const char *pointer,
                         const char *hint, const char *fmt, ...) {
    char message[sizeof r->err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    bm_error_set(r->err, BM_ERR_INVALID, "%s", message);
    bm_error_file(r->err, r->path);
    bm_error_pointer(r->err, pointer);
    if (hint != NULL)
        bm_error_hint(r->err, "%s", hint);
    const bm_json_pos *p = bm_json_position_of(&r->positions, at);
    if (p != NULL) {
        const bool is_key = at_key && p->key_line > 0;
        r->err->line = is_key ? p->key_line : p->line;
        r->err->column = is_key ? p->key_column : p->column;
    }
    return r->err->status;
}

static void list_names(const key_spec *specs, size_t n_specs, char *out, size_t out_size) {
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n_specs && used < out_size; i++)
        used += (size_t)snprintf(out + used, out_size - used, "%s%s", i ? ", " : "", specs[i].name);
}

static const key_spec *find_key(const char *name, const key_spec *specs, size_t n_specs) {
    for (size_t i = 0; i < n_specs; i++)
        if (strcmp(specs[i].name, name) == 0)
            return &specs[i];
    return NULL;
}

/* The key a misspelt one most likely meant ("colour" -> "color", "sea_color" -> "sea"), or
 * NULL. A suggestion only: the file is still refused. */
static const char *suggest(const char *unknown, const key_spec *specs, size_t n_specs) {
    const size_t n = strlen(unknown);
    for (size_t s = 0; s < N_OF(suffix_fixes); s++) {
        const size_t ns = strlen(suffix_fixes[s].theirs);
        char fixed[80];
        if (n <= ns || n - ns + strlen(suffix_fixes[s].ours) >= sizeof fixed ||
            strcmp(unknown + n - ns, suffix_fixes[s].theirs) != 0)
            continue;
        snprintf(fixed, sizeof fixed, "%.*s%s", (int)(n - ns), unknown, suffix_fixes[s].ours);
        const key_spec *k = find_key(fixed, specs, n_specs);
        if (k != NULL)
            return k->name;
    }
    const char *names[N_OF(style_keys)];
    size_t n_names = 0;
    for (size_t i = 0; i < n_specs && n_names < N_OF(names); i++)
        names[n_names++] = specs[i].name;
    return bm_closest(unknown, names, n_names);
}

static bm_status read_object(reader *r, const cJSON *obj, const char *pointer,
                             const key_spec *specs, size_t n_specs, void *base);

static bm_status read_color(reader *r, const cJSON *item, const char *pointer, uint32_t *out) {
    if (cJSON_IsString(item) && bm_color_parse(item->valuestring, out) == BM_OK)
        return BM_OK;
    char got[64];
    const bool is_named = cJSON_IsString(item) && item->valuestring[0] != '#';
    return fail_at(r, item, false, pointer,
                   is_named ? "write colours in hex, e.g. \"#0072b2\"; names such as 'blue' are "
                              "not understood"
                            : "six or eight hex digits after '#', e.g. \"#0072b2\" or "
                              "\"#ffffffd9\" (the last two are the opacity)",
                   "expected a colour \"#rrggbb\" or \"#rrggbbaa\", got %s",
                   bm_json_describe(item, got, sizeof got));
}

static bm_status read_number(reader *r, const key_spec *k, const cJSON *item, const char *pointer,
                             double *out) {
    if (cJSON_IsNumber(item) && item->valuedouble >= k->lo && item->valuedouble <= k->hi) {
        *out = item->valuedouble;
        return BM_OK;
    }
    char got[64];
    const char *hint;
    if (cJSON_IsString(item))
        hint = "write numbers without quotes, e.g. 0.5";
    else if (!cJSON_IsNumber(item))
        hint = "give one number";
    else if (strcmp(k->what, MM) == 0)
        hint = "lengths are millimetres on the printed page, whatever the output's pixel size";
    else if (strcmp(k->what, PT) == 0)
        hint = "font sizes are points (1/72 inch) on the printed page";
    else
        hint = "0 is transparent, 1 opaque";
    return fail_at(r, item, false, pointer, hint, "expected %s from %g to %g, got %s", k->what,
                   k->lo, k->hi, bm_json_describe(item, got, sizeof got));
}

static bm_status read_string(reader *r, const key_spec *k, const cJSON *item, const char *pointer,
                             char *out) {
    if (cJSON_IsString(item) && item->valuestring[0] != '\0' &&
        strlen(item->valuestring) < k->size) {
        snprintf(out, k->size, "%s", item->valuestring);
        return BM_OK;
    }
    char got[64];
    return fail_at(r, item, false, pointer,
                   strcmp(k->what, "a style name") == 0
                       ? NULL
                       : "'fc-list : family' lists the families installed, one a line",
                   "expected %s of 1 to %zu bytes, got %s%s", k->what, k->size - 1,
                   bm_json_describe(item, got, sizeof got),
                   cJSON_IsString(item) && item->valuestring[0] != '\0' ? " (too long)" : "");
}

static bm_status read_pattern(reader *r, const cJSON *item, const char *pointer,
                              bm_fill_pattern *out) {
    char valid[96];
    size_t used = 0;
    for (size_t i = 0; i < N_PATTERNS; i++)
        used += (size_t)snprintf(valid + used, sizeof valid - used, "%s%s", i ? ", " : "",
                                 pattern_names[i]);
    const char *hint = "patterns tell sources apart in greyscale print; see styles/README.md";
    char got[64];
    if (!cJSON_IsString(item))
        return fail_at(r, item, false, pointer, hint,
                       "expected a pattern name (one of: %s), got %s", valid,
                       bm_json_describe(item, got, sizeof got));
    for (size_t i = 0; i < N_PATTERNS; i++) {
        if (strcmp(item->valuestring, pattern_names[i]) == 0) {
            *out = (bm_fill_pattern)i;
            return BM_OK;
        }
    }
    return fail_at(r, item, false, pointer, hint, "unknown pattern '%.40s'; expected one of: %s",
                   item->valuestring, valid);
}

static bm_status read_sources(reader *r, const cJSON *arr, const char *pointer) {
    char got[64];
    if (!cJSON_IsArray(arr))
        return fail_at(r, arr, false, pointer,
                       "write [{\"color\": \"#0072b2\"}, {\"color\": \"#d55e00\"}]",
                       "expected an array of 1 to %d source objects, got %s", BM_STYLE_MAX_SOURCES,
                       bm_json_describe(arr, got, sizeof got));
    const int n = cJSON_GetArraySize(arr);
    if (n < 1 || n > BM_STYLE_MAX_SOURCES)
        return fail_at(r, arr, false, pointer,
                       n < 1 ? "leave 'sources' out to keep the default colours"
                             : "balmap tells at most 8 sources apart; drop the extra entries",
                       "expected 1 to %d sources, got %d", BM_STYLE_MAX_SOURCES, n);
    size_t i = 0;
    for (const cJSON *it = arr->child; it != NULL; it = it->next, i++) {
        char p[300]; /* pointer (up to 255) + "/" + index */
        snprintf(p, sizeof p, "%s/%zu", pointer, i);
        bm_source_style *src = &r->style->sources[i];
        if (read_object(r, it, p, source_keys, N_OF(source_keys), src) != BM_OK)
            return r->err->status;
        if (cJSON_GetObjectItemCaseSensitive(it, "pattern_color") == NULL)
            src->pattern_rgba = src->outline_rgba;
        if (cJSON_GetObjectItemCaseSensitive(it, "label_color") == NULL)
            src->label_rgba = src->color_rgba;
    }
    r->style->n_sources = i;
    return BM_OK;
}

static bm_status read_value(reader *r, const key_spec *k, const cJSON *item, const char *pointer,
                            void *base) {
    char *field = (char *)base + k->offset;
    switch (k->kind) {
    case K_COLOR:
        return read_color(r, item, pointer, (uint32_t *)(void *)field);
    case K_NUMBER:
        return read_number(r, k, item, pointer, (double *)(void *)field);
    case K_STRING:
        return read_string(r, k, item, pointer, field);
    case K_PATTERN:
        return read_pattern(r, item, pointer, (bm_fill_pattern *)(void *)field);
    case K_STROKE_FILL:
        return read_object(r, item, pointer, stroke_fill_keys, N_OF(stroke_fill_keys), field);
    case K_SOURCES:
        return read_sources(r, item, pointer);
    case K_COMMENT:
        if (cJSON_IsString(item))
            return BM_OK;
        char got[64];
        return fail_at(r, item, false, pointer, NULL, "expected a string, got %s",
                       bm_json_describe(item, got, sizeof got));
    }
    return BM_OK;
}

static bm_status read_object(reader *r, const cJSON *obj, const char *pointer,
                             const key_spec *specs, size_t n_specs, void *base) {
    char valid[640], got[64];
    list_names(specs, n_specs, valid, sizeof valid);
    if (!cJSON_IsObject(obj) && pointer[0] == '\0')
        return fail_at(r, obj, false, pointer, "a style is one object: {\"sea\": \"#d6e6ef\", ...}",
                       "expected a JSON object of style keys, got %s",
                       bm_json_describe(obj, got, sizeof got));
    if (!cJSON_IsObject(obj))
        return fail_at(r, obj, false, pointer, "compare with styles/default.json",
                       "expected an object with keys from: %s; got %s", valid,
                       bm_json_describe(obj, got, sizeof got));
    for (const cJSON *it = obj->child; it != NULL; it = it->next) {
        char p[sizeof r->err->pointer];
        pointer_key(p, sizeof p, pointer, it->string);
        for (const cJSON *earlier = obj->child; earlier != it; earlier = earlier->next)
            if (strcmp(earlier->string, it->string) == 0)
                return fail_at(r, it, true, p, "delete one of them", "key '%.60s' appears twice",
                               it->string);
        const key_spec *const k = find_key(it->string, specs, n_specs);
        if (k == NULL) {
            const char *near = suggest(it->string, specs, n_specs);
            char hint[128];
            if (near != NULL)
                snprintf(hint, sizeof hint, "did you mean '%s'?", near);
            else
                snprintf(hint, sizeof hint, "styles/README.md describes every key");
            return fail_at(r, it, true, p, hint, "unknown key '%.24s'; expected one of: %s",
                           it->string, valid);
        }
        if (read_value(r, k, it, p, base) != BM_OK)
            return r->err->status;
    }
    return BM_OK;
}

/* Checks between keys, after every key has been read. */
static bm_status check_consistent(reader *r, const cJSON *root, const bm_style *s) {
    if (s->marker_min_radius_mm >= s->marker_max_radius_mm)
        return fail_at(r, cJSON_GetObjectItemCaseSensitive(root, "marker_min_radius_mm"), false,
                       "/marker_min_radius_mm",
                       "the smallest claim is drawn at the minimum radius, the largest at the "
                       "maximum; lower the one or raise the other",
                       "expected less than marker_max_radius_mm (%g), got %g",
                       s->marker_max_radius_mm, s->marker_min_radius_mm);
    if (2 * s->pattern_line_mm >= s->pattern_spacing_mm) {
        const cJSON *line = cJSON_GetObjectItemCaseSensitive(root, "pattern_line_mm");
        return fail_at(
            r, line != NULL ? line : cJSON_GetObjectItemCaseSensitive(root, "pattern_spacing_mm"),
            false, line != NULL ? "/pattern_line_mm" : "/pattern_spacing_mm",
            "dots are twice pattern_line_mm across; wider than the spacing, they "
            "merge into a solid fill",
            "expected pattern_line_mm (%g) less than half of pattern_spacing_mm (%g)",
            s->pattern_line_mm, s->pattern_spacing_mm);
    }
    return BM_OK;
}

/* cJSON says only where it gave up; the JSON kit says what was expected there and why. */
static bm_status fail_syntax(reader *r, const char *text, size_t len, const char *cjson_stop) {
    bm_error e = {0};
    bm_json_syntax_error(text, len, cjson_stop, &e);
    bm_error_file(&e, r->path);
    if (r->err != NULL && r->err->status == BM_OK)
        *r->err = e;
    return BM_ERR_SYNTAX;
}

bm_status bm_style_parse(const char *data, size_t data_len, const char *path, bm_style *out,
                         bm_error *err) {
    cJSON *root = NULL;
    bm_style s;
    reader r = {path, err, &s, {0}};
    bm_style_defaults(&s);
    const char *start = data;
    if (data_len >= 3 && strncmp(start, "\xEF\xBB\xBF", 3) == 0) /* a byte-order mark */
        start += 3;
    const size_t len = data_len - (size_t)(start - data);
    const char *nul = memchr(start, '\0', len);
    if (nul != NULL) {
        bm_error_set(err, BM_ERR_SYNTAX, "expected UTF-8 text, found a NUL byte");
        bm_error_file(err, path);
        bm_utf8_locate(data, (size_t)(nul - data), &err->line, &err->column);
        bm_error_hint(err, "is this a style file? save it as UTF-8 (UTF-16 has NUL bytes)");
        return err->status;
    }
    const char *stop = NULL;
    /* Positions count from after a byte-order mark: it is not a character of the text. */
    if (bm_json_parse(start, len, &root, &stop, &r.positions) == BM_ERR_SYNTAX) {
        bm_json_positions_free(&r.positions);
        return fail_syntax(&r, data, data_len, stop);
    }
    const bm_status st = read_object(&r, root, "", style_keys, N_OF(style_keys), &s) != BM_OK ||
                                 check_consistent(&r, root, &s) != BM_OK
                             ? err->status
                             : BM_OK;
    cJSON_Delete(root);
    bm_json_positions_free(&r.positions);
    if (st == BM_OK)
        *out = s;
    return st;
}

bm_status bm_style_load(const char *path, bm_style *out, bm_error *err) {
    bm_buf text = BM_BUF_INIT(1 << 20);
    if (bm_buf_read_file(&text, path, 1 << 20, err) != BM_OK) {
        bm_buf_free(&text);
        return err->status;
    }
    const bm_status st = bm_style_parse(bm_buf_str(&text), text.len, path, out, err);
    bm_buf_free(&text);
    return st;
}
