/* SPDX-License-Identifier: MIT */
#include "style.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bm_buf.h"

/* Okabe & Ito's palette (2008): distinguishable with the common colour-vision deficiencies,
 * and the first two (blue, vermillion) differ in lightness, so they survive greyscale print. */
static const uint32_t default_source_colors[] = {0x0072B2FF, 0xD55E00FF, 0x009E73FF, 0xCC79A7FF,
                                                 0xE69F00FF, 0x56B4E9FF, 0xF0E442FF, 0x000000FF};

void bm_style_defaults(bm_style *s) {
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "default");
    snprintf(s->font_family, sizeof s->font_family, "Noto Sans");
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
        s->sources[i].outline_rgba = 0xFFFFFFFF;
    }
    s->marker_max_radius_mm = 11.0;
    s->marker_min_radius_mm = 1.2;
    s->marker_stroke_mm = 0.35;
    s->marker_fill_opacity = 0.82;
    s->leader_mm = 0.3;
    s->leader_opacity = 0.65;
    s->place_rgba = 0x1F1F1FFF;
    s->place_radius_mm = 0.75;
    s->title_pt = 16;
    s->subtitle_pt = 9.5;
    s->label_pt = 7.2;
    s->legend_pt = 7.2;
    s->note_pt = 6.6;
    s->attribution_pt = 5.8;
    s->margin_mm = 6;
    s->panel_width_mm = 74;
}

bm_status bm_color_parse(const char *text, uint32_t *out_rgba) {
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

typedef struct reader {
    const char *path;
    bm_error *err;
} reader;

static bm_status fail_at(reader *r, const char *pointer, const char *fmt, ...) BM_PRINTF(3, 4);
static bm_status fail_at(reader *r, const char *pointer, const char *fmt, ...) {
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    bm_error_set(r->err, BM_ERR_INVALID, "%s", message);
    bm_error_file(r->err, r->path);
    bm_error_pointer(r->err, pointer);
    return r->err->status;
}

static bm_status read_color(reader *r, const cJSON *item, const char *pointer, uint32_t *out) {
    if (!cJSON_IsString(item) || bm_color_parse(item->valuestring, out) != BM_OK) {
        fail_at(r, pointer, "expected a colour as \"#rrggbb\" or \"#rrggbbaa\"%s%s",
                cJSON_IsString(item) ? ", got " : "",
                cJSON_IsString(item) ? item->valuestring : "");
        bm_error_hint(r->err, "for example \"#0072b2\"");
        return r->err->status;
    }
    return BM_OK;
}

static bm_status read_number(reader *r, const cJSON *item, const char *pointer, double lo,
                             double hi, double *out) {
    if (!cJSON_IsNumber(item) || !(item->valuedouble >= lo && item->valuedouble <= hi)) {
        char range[96];
        snprintf(range, sizeof range, "%g to %g", lo, hi);
        return fail_at(r, pointer, "expected a number from %s", range);
    }
    *out = item->valuedouble;
    return BM_OK;
}

static bm_status read_string(reader *r, const cJSON *item, const char *pointer, char *out,
                             size_t out_size) {
    if (!cJSON_IsString(item) || item->valuestring[0] == '\0' ||
        strlen(item->valuestring) >= out_size)
        return fail_at(r, pointer, "expected a non-empty string");
    snprintf(out, out_size, "%s", item->valuestring);
    return BM_OK;
}

static bm_status read_stroke_fill(reader *r, const cJSON *obj, const char *pointer,
                                  bm_stroke_fill *out) {
    char p[128];
    if (!cJSON_IsObject(obj))
        return fail_at(r, pointer, "expected an object with fill, stroke, stroke_mm");
    for (const cJSON *it = obj->child; it; it = it->next) {
        snprintf(p, sizeof p, "%s/%s", pointer, it->string);
        bm_status st;
        if (strcmp(it->string, "fill") == 0)
            st = read_color(r, it, p, &out->fill_rgba);
        else if (strcmp(it->string, "stroke") == 0)
            st = read_color(r, it, p, &out->stroke_rgba);
        else if (strcmp(it->string, "stroke_mm") == 0)
            st = read_number(r, it, p, 0, 5, &out->stroke_mm);
        else
            st = fail_at(r, p, "unknown key '%s'; expected one of: %s", it->string,
                         "fill, stroke, stroke_mm");
        if (st != BM_OK)
            return st;
    }
    return BM_OK;
}

static bm_status read_sources(reader *r, const cJSON *arr, bm_style *s) {
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 1 ||
        cJSON_GetArraySize(arr) > BM_STYLE_MAX_SOURCES)
        return fail_at(r, "/sources", "expected an array of 1 to 8 source colours");
    size_t i = 0;
    char p[64];
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        snprintf(p, sizeof p, "/sources/%zu", i);
        if (!cJSON_IsObject(it))
            return fail_at(r, p, "expected an object {\"color\": ..., \"outline\": ...}");
        for (const cJSON *k = it->child; k; k = k->next) {
            char pk[96];
            snprintf(pk, sizeof pk, "%s/%s", p, k->string);
            bm_status st;
            if (strcmp(k->string, "color") == 0)
                st = read_color(r, k, pk, &s->sources[i].color_rgba);
            else if (strcmp(k->string, "outline") == 0)
                st = read_color(r, k, pk, &s->sources[i].outline_rgba);
            else
                st = fail_at(r, pk, "unknown key '%s'; expected one of: %s", k->string,
                             "color, outline");
            if (st != BM_OK)
                return st;
        }
    }
    s->n_sources = i;
    return BM_OK;
}

typedef enum { K_COLOR, K_NUMBER, K_STRING, K_STROKE_FILL } key_kind;

typedef struct key_spec {
    const char *name;
    key_kind kind;
    size_t offset;
    double lo, hi;
} key_spec;

#define COLOR(f)                                                                                   \
    { #f, K_COLOR, offsetof(bm_style, f##_rgba), 0, 0 }
#define NUM(f, lo, hi)                                                                             \
    { #f, K_NUMBER, offsetof(bm_style, f), lo, hi }
static const key_spec keys[] = {
    {"name", K_STRING, offsetof(bm_style, name), 0, 0},
    {"font_family", K_STRING, offsetof(bm_style, font_family), 0, 0},
    {"font_fallback", K_STRING, offsetof(bm_style, font_fallback), 0, 0},
    COLOR(background),
    COLOR(sea),
    COLOR(text),
    COLOR(muted_text),
    COLOR(halo),
    COLOR(frame),
    COLOR(country_border),
    COLOR(place),
    {"neighbour", K_STROKE_FILL, offsetof(bm_style, neighbour), 0, 0},
    {"province", K_STROKE_FILL, offsetof(bm_style, province), 0, 0},
    {"focus", K_STROKE_FILL, offsetof(bm_style, focus), 0, 0},
    NUM(country_border_mm, 0, 5),
    NUM(marker_max_radius_mm, 2, 40),
    NUM(marker_min_radius_mm, 0.3, 5),
    NUM(marker_stroke_mm, 0, 2),
    NUM(marker_fill_opacity, 0.1, 1),
    NUM(leader_mm, 0.05, 2),
    NUM(leader_opacity, 0.1, 1),
    NUM(place_radius_mm, 0.2, 3),
    NUM(title_pt, 4, 48),
    NUM(subtitle_pt, 4, 36),
    NUM(label_pt, 4, 24),
    NUM(legend_pt, 4, 24),
    NUM(note_pt, 4, 24),
    NUM(attribution_pt, 4, 24),
    NUM(margin_mm, 0, 40),
    NUM(panel_width_mm, 30, 200),
};

static void list_keys(char *out, size_t out_size) {
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof keys / sizeof keys[0] && used < out_size; i++)
        used += (size_t)snprintf(out + used, out_size - used, "%s, ", keys[i].name);
    if (used < out_size)
        snprintf(out + used, out_size - used, "sources");
}

bm_status bm_style_load(const char *path, bm_style *out, bm_error *err) {
    bm_buf text = BM_BUF_INIT(1 << 20);
    cJSON *root = NULL;
    bm_style s;
    reader r = {path, err};
    bm_style_defaults(&s);
    if (bm_buf_read_file(&text, path, 1 << 20, err) != BM_OK)
        goto fail;
    const char *end = NULL;
    root = cJSON_ParseWithLengthOpts(text.data, text.len, &end, 0);
    if (root == NULL) {
        int line = 1, col = 1;
        for (const char *p = text.data; end && p < end; p++) {
            if (*p == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        bm_error_set(err, BM_ERR_SYNTAX, "style is not valid JSON");
        bm_error_file(err, path);
        err->line = line;
        err->column = col;
        bm_error_hint(err, "compare with styles/default.json");
        goto fail;
    }
    if (!cJSON_IsObject(root)) {
        fail_at(&r, "", "expected a JSON object");
        goto fail;
    }
    char p[128];
    for (const cJSON *it = root->child; it; it = it->next) {
        snprintf(p, sizeof p, "/%s", it->string);
        if (strcmp(it->string, "sources") == 0) {
            if (read_sources(&r, it, &s) != BM_OK)
                goto fail;
            continue;
        }
        if (strcmp(it->string, "description") == 0)
            continue;
        const key_spec *k = NULL;
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (strcmp(keys[i].name, it->string) == 0)
                k = &keys[i];
        if (k == NULL) {
            char valid[1024];
            list_keys(valid, sizeof valid);
            fail_at(&r, p, "unknown key '%s'; expected one of: %s", it->string, valid);
            goto fail;
        }
        char *field = (char *)&s + k->offset;
        bm_status st = BM_OK;
        switch (k->kind) {
        case K_COLOR:
            st = read_color(&r, it, p, (uint32_t *)(void *)field);
            break;
        case K_NUMBER:
            st = read_number(&r, it, p, k->lo, k->hi, (double *)(void *)field);
            break;
        case K_STRING:
            st = read_string(&r, it, p, field, k->offset == offsetof(bm_style, name) ? 64 : 128);
            break;
        case K_STROKE_FILL:
            st = read_stroke_fill(&r, it, p, (bm_stroke_fill *)(void *)field);
            break;
        }
        if (st != BM_OK)
            goto fail;
    }
    if (s.marker_min_radius_mm >= s.marker_max_radius_mm) {
        fail_at(&r, "/marker_min_radius_mm", "must be smaller than marker_max_radius_mm");
        goto fail;
    }
    cJSON_Delete(root);
    bm_buf_free(&text);
    *out = s;
    return BM_OK;
fail:
    cJSON_Delete(root);
    bm_buf_free(&text);
    return err->status;
}
