/* SPDX-License-Identifier: MIT */
#include "render.h"

#include <cairo.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bm_buf.h"

static void set_rgba(cairo_t *cr, uint32_t rgba) {
    cairo_set_source_rgba(cr, (rgba >> 24 & 0xFF) / 255.0, (rgba >> 16 & 0xFF) / 255.0,
                          (rgba >> 8 & 0xFF) / 255.0, (rgba & 0xFF) / 255.0);
}

static void path_rings(cairo_t *cr, const bm_mark *m, bool is_closed) {
    for (size_t r = 0; r < m->n_rings; r++) {
        const size_t a = m->ring_starts[r], b = m->ring_starts[r + 1];
        for (size_t i = a; i < b; i++) {
            if (i == a)
                cairo_move_to(cr, m->xy_mm[2 * i], m->xy_mm[2 * i + 1]);
            else
                cairo_line_to(cr, m->xy_mm[2 * i], m->xy_mm[2 * i + 1]);
        }
        if (is_closed)
            cairo_close_path(cr);
    }
}

/* Hatching or dots over a filled shape (the current path), clipped to it, so that sources
 * differ by more than colour in greyscale print. The path is kept. */
static void draw_pattern(cairo_t *cr, const bm_mark *m) {
    double x0, y0, x1, y1;
    cairo_path_extents(cr, &x0, &y0, &x1, &y1);
    cairo_path_t *path = cairo_copy_path(cr);
    const double step = m->pattern_spacing_mm;
    cairo_save(cr);
    cairo_clip(cr);
    set_rgba(cr, m->pattern_rgba);
    cairo_set_line_width(cr, m->pattern_line_mm);
    if (m->pattern == BM_PATTERN_DOTS) {
        /* A grid anchored on the page, so neighbouring circles' dots line up. */
        for (double y = floor(y0 / step) * step; y <= y1; y += step)
            for (double x = floor(x0 / step) * step; x <= x1; x += step) {
                cairo_new_sub_path(cr);
                cairo_arc(cr, x, y, m->pattern_line_mm, 0, 2 * 3.14159265358979323846);
            }
        cairo_fill(cr);
    } else {
        for (double t = floor((x0 + y0) / step) * step; t <= x1 + y1 + step; t += step) {
            cairo_move_to(cr, t - y1, y1); /* rising at 45 degrees: x + y = t */
            cairo_line_to(cr, t - y0, y0);
        }
        if (m->pattern == BM_PATTERN_CROSSHATCH)
            for (double t = floor((x0 - y1) / step) * step; t <= x1 - y0 + step; t += step) {
                cairo_move_to(cr, t + y0, y0); /* falling: x - y = t */
                cairo_line_to(cr, t + y1, y1);
            }
        cairo_stroke(cr);
    }
    cairo_restore(cr);
    cairo_new_path(cr);
    cairo_append_path(cr, path);
    cairo_path_destroy(path);
}

static void fill_and_stroke(cairo_t *cr, const bm_mark *m) {
    if ((m->fill_rgba & 0xFF) != 0) {
        set_rgba(cr, m->fill_rgba);
        cairo_fill_preserve(cr);
        if (m->pattern != BM_PATTERN_SOLID)
            draw_pattern(cr, m);
        if (!(m->stroke_mm > 0 && (m->stroke_rgba & 0xFF) != 0))
            cairo_new_path(cr);
    }
    if (m->stroke_mm > 0 && (m->stroke_rgba & 0xFF) != 0) {
        set_rgba(cr, m->stroke_rgba);
        cairo_set_line_width(cr, m->stroke_mm);
        if (m->dash_mm > 0) {
            const double dash[2] = {m->dash_mm, m->dash_mm * 0.8};
            cairo_set_dash(cr, dash, 2, 0);
        }
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    cairo_new_path(cr);
}

/* ---- basemap cache ------------------------------------------------------------------------- */

/* A basemap's pixels, run-length coded: flat map colours make long runs of one 32-bit pixel,
 * and only the antialiased edges are literal. Words, in order: a count n with the top bit set,
 * then one pixel repeated n times; or a count n, then n pixels. A 1600 x 1100 basemap is
 * 7.0 MB of pixels and about a tenth of that coded, so the cache holds ten times more
 * basemaps in the same memory (the mixed batch cycles through about ten), and a map that keeps
 * or takes one writes no 7 MB copy: coding it and decoding it are each one pass. Immutable once
 * made, shared by reference: a render decodes outside the cache's lock. */
typedef struct coded_pixels {
    size_t n_refs;   /* under the cache's lock */
    size_t n_pixels; /* pixels of the surface (height * stride / 4) */
    size_t n_words;
    uint32_t words[];
} coded_pixels;

#define RUN_BIT 0x80000000u
#define MIN_RUN 3 /* shorter runs stay in the literal */

/* Codes n pixels; NULL when memory runs out or the coded form would not be smaller. The
 * worst case is allocated (only the pages written are touched) and trimmed at the end. */
static coded_pixels *code_pixels(const uint32_t *px, size_t n) {
    coded_pixels *c = malloc(sizeof *c + n * 4);
    if (c == NULL)
        return NULL;
    uint32_t *w = c->words, *const end = c->words + n;
    size_t i = 0, lit = 0; /* pixels [lit, i) wait in the literal */
    while (i < n) {
        size_t run = 1;
        while (i + run < n && px[i + run] == px[i] && run < RUN_BIT - 1)
            run++;
        if (run < MIN_RUN && i + run < n && i + run - lit < RUN_BIT - 1) {
            i += run;
            continue;
        }
        if (run < MIN_RUN) /* the last pixels, or a literal at its longest */
            i += run, run = 0;
        if (i > lit) { /* the literal before the run */
            if ((size_t)(end - w) < 1 + (i - lit))
                goto too_large;
            *w++ = (uint32_t)(i - lit);
            memcpy(w, px + lit, (i - lit) * 4);
            w += i - lit;
        }
        if (run > 0) {
            if (end - w < 2)
                goto too_large;
            *w++ = RUN_BIT | (uint32_t)run;
            *w++ = px[i];
            i += run;
        }
        lit = i;
    }
    c->n_refs = 0;
    c->n_pixels = n;
    c->n_words = (size_t)(w - c->words);
    coded_pixels *trimmed = realloc(c, sizeof *c + c->n_words * 4);
    return trimmed != NULL ? trimmed : c;
too_large:
    free(c);
    return NULL;
}

static void decode_pixels(const coded_pixels *c, uint32_t *px) {
    size_t w = 0, out = 0;
    while (w < c->n_words && out < c->n_pixels) {
        const uint32_t head = c->words[w++];
        const size_t k = head & ~RUN_BIT;
        if (head & RUN_BIT) {
            const uint32_t v = c->words[w++];
            for (size_t j = 0; j < k; j++)
                px[out + j] = v;
        } else {
            memcpy(px + out, c->words + w, k * 4);
            w += k;
        }
        out += k;
    }
}

typedef struct cache_entry {
    unsigned char *key; /* what determines the pixels: see basemap_key */
    size_t key_len;
    coded_pixels *pixels;
    size_t n_bytes; /* of the coded pixels */
    size_t n_marks; /* marks the pixels hold */
    unsigned long last_use;
} cache_entry;

#define CACHE_MAX_ENTRIES 64

struct bm_basemap_cache {
    pthread_mutex_t lock;
    cache_entry entries[CACHE_MAX_ENTRIES];
    size_t max_bytes, n_bytes;
    unsigned long clock;
    size_t n_reused, n_drawn;
};

bm_basemap_cache *bm_basemap_cache_new(size_t max_bytes) {
    bm_basemap_cache *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c);
        return NULL;
    }
    c->max_bytes = max_bytes;
    return c;
}

/* With the lock held: one reference fewer. */
static void pixels_release(coded_pixels *p) {
    if (p != NULL && --p->n_refs == 0)
        free(p);
}

void bm_basemap_cache_free(bm_basemap_cache *c) {
    if (c == NULL)
        return;
    for (size_t i = 0; i < CACHE_MAX_ENTRIES; i++) {
        free(c->entries[i].key);
        pixels_release(c->entries[i].pixels);
    }
    pthread_mutex_destroy(&c->lock);
    free(c);
}

void bm_basemap_cache_counts(bm_basemap_cache *c, size_t *n_reused, size_t *n_drawn) {
    pthread_mutex_lock(&c->lock);
    *n_reused = c->n_reused;
    *n_drawn = c->n_drawn;
    pthread_mutex_unlock(&c->lock);
}

/* Marks of the basemap: shapes (never text, whose look depends on the fonts) of these roles. */
static bool is_basemap_mark(const bm_mark *m) {
    static const char *const roles[] = {"background",   "sea",   "country",
                                        "province",     "focus", "country-border",
                                        "focus-border", "layer"};
    if (m->kind == BM_MARK_TEXT || m->role == NULL)
        return false;
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(m->role, roles[i]) == 0)
            return true;
    return false;
}

static bm_status put(bm_buf *b, const void *p, size_t n) {
    return bm_buf_append(b, p, n);
}

/* Everything that decides the pixels of the first n_marks marks on this surface: its size and
 * the context's transformation, then every field render_mark reads. */
static bm_status basemap_key(const bm_scene *scene, size_t n_marks, cairo_t *cr, bm_buf *key) {
    cairo_surface_t *s = cairo_get_target(cr);
    const int dims[3] = {cairo_image_surface_get_width(s), cairo_image_surface_get_height(s),
                         cairo_image_surface_get_stride(s)};
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    const int format = (int)cairo_image_surface_get_format(s);
    bm_status st = put(key, dims, sizeof dims);
    if (st == BM_OK)
        st = put(key, &format, sizeof format);
    if (st == BM_OK)
        st = put(key, &m, sizeof m);
    for (size_t i = 0; i < n_marks && st == BM_OK; i++) {
        const bm_mark *k = bm_scene_mark(scene, i);
        const int kind = (int)k->kind, is_clipped = k->is_clipped, pattern = (int)k->pattern;
        const uint32_t colours[3] = {k->fill_rgba, k->stroke_rgba, k->pattern_rgba};
        const double nums[14] = {k->stroke_mm,
                                 k->dash_mm,
                                 k->x_mm,
                                 k->y_mm,
                                 k->r_mm,
                                 k->w_mm,
                                 k->h_mm,
                                 k->clip.x_mm,
                                 k->clip.y_mm,
                                 k->clip.w_mm,
                                 k->clip.h_mm,
                                 k->pattern_spacing_mm,
                                 k->pattern_line_mm,
                                 0};
        const size_t counts[2] = {k->n_points, k->n_rings};
        st = put(key, &kind, sizeof kind);
        if (st == BM_OK)
            st = put(key, &is_clipped, sizeof is_clipped);
        if (st == BM_OK)
            st = put(key, &pattern, sizeof pattern);
        if (st == BM_OK)
            st = put(key, colours, sizeof colours);
        if (st == BM_OK)
            st = put(key, nums, sizeof nums);
        if (st == BM_OK)
            st = put(key, counts, sizeof counts);
        if (st == BM_OK && k->n_points > 0)
            st = put(key, k->xy_mm, 2 * k->n_points * sizeof(double));
        if (st == BM_OK && k->n_rings > 0)
            st = put(key, k->ring_starts, (k->n_rings + 1) * sizeof(size_t));
    }
    return st;
}

/* The surface's pixels as words (RGB24 and ARGB32 rows are whole words: stride is 4 * width
 * rounded up to 4 bytes), and how many. */
static uint32_t *surface_words(cairo_surface_t *s, size_t *n) {
    *n = (size_t)cairo_image_surface_get_height(s) * (size_t)cairo_image_surface_get_stride(s) / 4;
    return (uint32_t *)(void *)cairo_image_surface_get_data(s);
}

/* Decodes the cached pixels for key into the surface; the number of marks they hold, or 0. */
static size_t cache_take(bm_basemap_cache *c, const bm_buf *key, cairo_t *cr) {
    cairo_surface_t *s = cairo_get_target(cr);
    size_t n_marks = 0;
    coded_pixels *found = NULL;
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < CACHE_MAX_ENTRIES && found == NULL; i++) {
        cache_entry *e = &c->entries[i];
        if (e->key != NULL && e->key_len == key->len && memcmp(e->key, key->data, key->len) == 0) {
            e->last_use = ++c->clock;
            n_marks = e->n_marks;
            found = e->pixels;
            found->n_refs++;
            c->n_reused++;
        }
    }
    pthread_mutex_unlock(&c->lock);
    if (found == NULL)
        return 0;
    cairo_surface_flush(s);
    size_t n;
    uint32_t *px = surface_words(s, &n);
    if (n == found->n_pixels) /* always: the key holds the surface's size */
        decode_pixels(found, px);
    else
        n_marks = 0;
    cairo_surface_mark_dirty(s);
    pthread_mutex_lock(&c->lock);
    pixels_release(found);
    pthread_mutex_unlock(&c->lock);
    return n_marks;
}

/* Keeps the surface's pixels, coded, under key (taking the key's memory), replacing the least
 * recently used entries while the cache would hold more than its limit. */
static void cache_keep(bm_basemap_cache *c, bm_buf *key, size_t n_marks, cairo_t *cr) {
    cairo_surface_t *s = cairo_get_target(cr);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return; /* a failed drawing is no basemap for anyone */
    cairo_surface_flush(s);
    size_t n_px;
    const uint32_t *px = surface_words(s, &n_px);
    coded_pixels *pixels = code_pixels(px, n_px);
    if (pixels == NULL)
        return;
    const size_t n = sizeof *pixels + pixels->n_words * 4 + key->len;
    pixels->n_refs = 1;
    pthread_mutex_lock(&c->lock);
    c->n_drawn++;
    for (;;) {
        if (n > c->max_bytes)
            break;
        size_t free_slot = CACHE_MAX_ENTRIES, oldest = CACHE_MAX_ENTRIES;
        for (size_t i = 0; i < CACHE_MAX_ENTRIES; i++) {
            const cache_entry *e = &c->entries[i];
            if (e->key == NULL)
                free_slot = free_slot < CACHE_MAX_ENTRIES ? free_slot : i;
            else if (oldest == CACHE_MAX_ENTRIES || e->last_use < c->entries[oldest].last_use)
                oldest = i;
        }
        if (free_slot < CACHE_MAX_ENTRIES && c->n_bytes + n <= c->max_bytes) {
            cache_entry *e = &c->entries[free_slot];
            e->key = (unsigned char *)key->data;
            e->key_len = key->len;
            key->data = NULL; /* the entry owns it now */
            key->len = key->alloc = 0;
            e->pixels = pixels;
            e->n_bytes = n;
            e->n_marks = n_marks;
            e->last_use = ++c->clock;
            c->n_bytes += n;
            pixels = NULL;
            break;
        }
        if (oldest == CACHE_MAX_ENTRIES)
            break; /* nothing to drop (cannot happen: n <= max_bytes) */
        cache_entry *e = &c->entries[oldest];
        c->n_bytes -= e->n_bytes;
        free(e->key);
        pixels_release(e->pixels); /* freed once no render is decoding it */
        memset(e, 0, sizeof *e);
    }
    pixels_release(pixels);
    pthread_mutex_unlock(&c->lock);
}

bm_status bm_render_scene(const bm_scene *scene, bm_text *text, void *cairo_ctx, bm_error *err) {
    return bm_render_scene_cached(scene, text, cairo_ctx, NULL, err);
}

bm_status bm_render_scene_cached(const bm_scene *scene, bm_text *text, void *cairo_ctx,
                                 bm_basemap_cache *cache, bm_error *err) {
    cairo_t *cr = cairo_ctx;
    bm_frame clip = {0, 0, 0, 0};
    bool is_clipping = false;
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    /* The basemap: the marks the scene begins with, on a raster still blank. */
    size_t n_base = 0, n_done = 0;
    bm_buf key = BM_BUF_INIT((size_t)1 << 30);
    if (cache != NULL && cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_IMAGE) {
        while (n_base < bm_scene_n_marks(scene) && is_basemap_mark(bm_scene_mark(scene, n_base)))
            n_base++;
        if (n_base > 0 && basemap_key(scene, n_base, cr, &key) == BM_OK)
            n_done = cache_take(cache, &key, cr);
        else
            n_base = 0;
    }
    for (size_t i = 0; i < bm_scene_n_marks(scene); i++) {
        const bm_mark *m = bm_scene_mark(scene, i);
        if (i == n_base && n_base > 0 && n_done == 0)
            cache_keep(cache, &key, n_base, cr); /* drawn: keep it for the next maps */
        const bool is_new_clip = m->is_clipped && is_clipping &&
                                 (m->clip.x_mm != clip.x_mm || m->clip.y_mm != clip.y_mm ||
                                  m->clip.w_mm != clip.w_mm || m->clip.h_mm != clip.h_mm);
        if (m->is_clipped != is_clipping || is_new_clip) {
            if (is_clipping)
                cairo_restore(cr);
            if (m->is_clipped) {
                cairo_save(cr);
                cairo_rectangle(cr, m->clip.x_mm, m->clip.y_mm, m->clip.w_mm, m->clip.h_mm);
                cairo_clip(cr);
                clip = m->clip;
            }
            is_clipping = m->is_clipped;
        }
        if (i < n_done)
            continue; /* in the pixels taken from the cache (the clip above is kept in step) */
        switch (m->kind) {
        case BM_MARK_AREA:
            path_rings(cr, m, true);
            fill_and_stroke(cr, m);
            break;
        case BM_MARK_LINE:
            path_rings(cr, m, false);
            fill_and_stroke(cr, m);
            break;
        case BM_MARK_CIRCLE:
            cairo_new_sub_path(cr);
            cairo_arc(cr, m->x_mm, m->y_mm, m->r_mm, 0, 2 * 3.14159265358979323846);
            fill_and_stroke(cr, m);
            break;
        case BM_MARK_RECT:
            cairo_rectangle(cr, m->x_mm, m->y_mm, m->w_mm, m->h_mm);
            fill_and_stroke(cr, m);
            break;
        case BM_MARK_TEXT:
            bm_text_draw(text, cr, m->text, &m->spec, m->x_mm, m->y_mm, m->fill_rgba, m->halo_rgba,
                         m->halo_mm);
            break;
        }
    }
    if (n_base > 0 && n_base == bm_scene_n_marks(scene) && n_done == 0)
        cache_keep(cache, &key, n_base, cr);
    bm_buf_free(&key);
    if (is_clipping)
        cairo_restore(cr);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return bm_error_set(err, BM_ERR_DEPENDENCY, "drawing failed: %s",
                            cairo_status_to_string(cairo_status(cr)));
    return BM_OK;
}
