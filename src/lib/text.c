/* SPDX-License-Identifier: MIT */
#include "text.h"

#include <fontconfig/fontconfig.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct bm_text {
    PangoFontMap *font_map;
    PangoContext *context;
    /* The system's fonts, for text the style's fonts cannot show (created when first needed,
     * NULL until then; font_map is it when the style's fonts were not found). */
    PangoFontMap *system_map;
    PangoContext *system_context;
    char family[128];
    /* Laid-out texts by what decides them (layout_key): a map measures most of its texts more
     * than once, and the maps of a batch share most of theirs (legend, notes, place names). */
    GHashTable *layouts;
    /* The pool it goes back to when freed (NULL: none); the style's font names it was made
     * for; the next in the pool's list of idle ones. */
    bm_text_pool *pool;
    char pool_key[256];
    bm_text *next_idle;
};

/* At most this many laid-out texts are kept; then the table starts again (a map has a few
 * hundred). */
#define MAX_LAYOUTS 4096

/* Pango turns points into device units at resolution/72; at 25.4 "dots per inch" one device
 * unit is one mm, the unit of the scene. */
#define MM_RESOLUTION 25.4

/* Does fontconfig really have this family, or would it substitute another? */
/* The family fontconfig gives for a request of family into out ("" when there is none). */
static void substitute_of(PangoContext *ctx, const char *family, char *out, size_t out_size) {
    out[0] = '\0';
    PangoFontDescription *want = pango_font_description_new();
    pango_font_description_set_family(want, family);
    pango_font_description_set_size(want, 10 * PANGO_SCALE);
    PangoFont *font = pango_context_load_font(ctx, want);
    if (font != NULL) {
        PangoFontDescription *got = pango_font_describe(font);
        const char *got_family = pango_font_description_get_family(got);
        snprintf(out, out_size, "%s", got_family != NULL ? got_family : "");
        pango_font_description_free(got);
        g_object_unref(font);
    }
    pango_font_description_free(want);
}

static bool has_family(PangoContext *ctx, const char *family) {
    PangoFontDescription *want = pango_font_description_new();
    pango_font_description_set_family(want, family);
    pango_font_description_set_size(want, 10 * PANGO_SCALE);
    PangoFont *font = pango_context_load_font(ctx, want);
    bool ok = false;
    if (font != NULL) {
        PangoFontDescription *got = pango_font_describe(font);
        const char *got_family = pango_font_description_get_family(got);
        ok = got_family != NULL && strcasecmp(got_family, family) == 0;
        pango_font_description_free(got);
        g_object_unref(font);
    }
    pango_font_description_free(want);
    return ok;
}

/* Where Debian puts the families balmap's styles use (fonts-noto-core, fonts-dejavu-core). */
static const struct {
    const char *family, *dir;
} known_fonts[] = {
    {"Noto Sans", "/usr/share/fonts/truetype/noto"},
    {"Noto Nastaliq Urdu", "/usr/share/fonts/truetype/noto"},
    {"DejaVu Sans", "/usr/share/fonts/truetype/dejavu"},
};

static const char *dir_of_family(const char *family) {
    for (size_t i = 0; i < sizeof known_fonts / sizeof known_fonts[0]; i++)
        if (strcasecmp(known_fonts[i].family, family) == 0)
            return known_fonts[i].dir;
    return NULL;
}

/* A fontconfig configuration holding only the style's two families, read from fontconfig's
 * system cache of their directories (the other fonts there are refused by a selectfont rule, so
 * every font sort is over those few faces): loading the system configuration (34 files of
 * rules, then the caches of every font directory) took 10-20 ms a process, this takes 1 ms.
 * NULL when a family is not one balmap knows or its directory is not there: the system's
 * configuration is then used, as before. Rules (aliases, hinting) do not matter: the family is
 * asked for by name, and text.c sets hinting and antialiasing itself. */
/* The families of a comma-separated list, trimmed, into names; returns how many (at most max). */
#define MAX_FAMILIES 8
static size_t split_families(const char *list, char names[][128], size_t max) {
    size_t n = 0;
    for (const char *p = list; *p != '\0' && n < max;) {
        const char *end = strchr(p, ',');
        if (end == NULL)
            end = p + strlen(p);
        const char *a = p, *b = end;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        p = *end == ',' ? end + 1 : end;
        if (a < b)
            snprintf(names[n++], 128, "%.*s", (int)(b - a), a);
    }
    return n;
}

/* Whether every family of the style's list is there. */
static bool has_every_family(PangoContext *ctx, const char *list) {
    char names[MAX_FAMILIES][128];
    const size_t n = split_families(list, names, MAX_FAMILIES);
    for (size_t i = 0; i < n; i++)
        if (!has_family(ctx, names[i]))
            return false;
    return n > 0;
}

static FcConfig *style_fonts_config(const bm_style *style) {
    char names[MAX_FAMILIES + 1][128];
    size_t n = split_families(style->font_family, names, MAX_FAMILIES);
    if (n == 0)
        return NULL;
    snprintf(names[n++], 128, "%s", style->font_fallback);
    const char *dirs[MAX_FAMILIES + 1];
    for (size_t i = 0; i < n; i++)
        if ((dirs[i] = dir_of_family(names[i])) == NULL)
            return NULL;
    FcConfig *cfg = FcConfigCreate();
    if (cfg == NULL)
        return NULL;
    char rules[2048];
    size_t used = (size_t)snprintf(rules, sizeof rules,
                                   "<fontconfig><cachedir>/var/cache/fontconfig</cachedir>"
                                   "<selectfont><acceptfont>");
    /* the names are those of known_fonts: nothing to escape */
    for (size_t i = 0; i < n && used < sizeof rules; i++)
        used += (size_t)snprintf(rules + used, sizeof rules - used,
                                 "<pattern><patelt name=\"family\"><string>%s</string></patelt>"
                                 "</pattern>",
                                 names[i]);
    if (used < sizeof rules)
        used += (size_t)snprintf(rules + used, sizeof rules - used,
                                 "</acceptfont><rejectfont><pattern/></rejectfont></selectfont>"
                                 "</fontconfig>");
    bool ok = used < sizeof rules &&
              FcConfigParseAndLoadFromMemory(cfg, (const FcChar8 *)rules, FcFalse) == FcTrue;
    for (size_t i = 0; i < n && ok; i++) {
        bool is_new = true;
        for (size_t j = 0; j < i; j++)
            is_new &= strcmp(dirs[i], dirs[j]) != 0;
        ok = !is_new || FcConfigAppFontAddDir(cfg, (const FcChar8 *)dirs[i]) == FcTrue;
    }
    if (!ok) {
        FcConfigDestroy(cfg);
        return NULL;
    }
    return cfg;
}

static PangoContext *new_context(PangoFontMap *map) {
    PangoContext *ctx = pango_font_map_create_context(map);
    pango_cairo_context_set_resolution(ctx, MM_RESOLUTION);
    /* Unhinted metrics: text measures the same at every scale and in every format. */
    cairo_font_options_t *opts = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(opts, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(ctx, opts);
    cairo_font_options_destroy(opts);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    return ctx;
}

/* The system's fonts; false when Pango cannot make a font map. */
static bool use_system_fonts(bm_text *t) {
    if (t->system_context != NULL)
        return true;
    t->system_map = pango_cairo_font_map_new();
    if (t->system_map == NULL)
        return false;
    /* Explicitly: the process's current configuration may be a style's (bm_text_new). */
    FcConfig *cfg = FcInitLoadConfigAndFonts();
    if (cfg != NULL && PANGO_IS_FC_FONT_MAP(t->system_map))
        pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(t->system_map), cfg);
    if (cfg != NULL)
        FcConfigDestroy(cfg);
    t->system_context = new_context(t->system_map);
    return true;
}

/* Copies the installed families of a comma-separated list into t->family, ", " between them,
 * and warns of each missing one when others remain; false when none is installed. */
static bool keep_installed(bm_text *t, const char *list, bm_warn_fn warn, void *warn_user) {
    size_t n_kept = 0, used = 0;
    char missing[128] = "";
    t->family[0] = '\0';
    char names[MAX_FAMILIES][128];
    const size_t n_names = split_families(list, names, MAX_FAMILIES);
    for (size_t k = 0; k < n_names; k++) {
        const char *one = names[k];
        if (has_family(t->context, one)) {
            used += (size_t)snprintf(t->family + used, sizeof t->family - used, "%s%s",
                                     n_kept ? ", " : "", one);
            if (used >= sizeof t->family)
                used = sizeof t->family - 1;
            n_kept++;
        } else if (missing[0] == '\0') {
            snprintf(missing, sizeof missing, "%s", one);
        }
    }
    if (n_kept > 0 && n_kept < n_names && warn != NULL) {
        bm_error w = {0};
        bm_error_set(&w, BM_ERR_NOT_FOUND,
                     "font '%s' of the list '%s' is not installed; using '%s'", missing, list,
                     t->family);
        bm_error_hint(&w, "install it (Debian: fonts-noto-core) or drop it from font_family; "
                          "'fc-list : family' lists what is installed");
        warn(warn_user, &w);
    }
    return n_kept > 0;
}

/* Passes a warning on and notes that there was one. */
typedef struct warning_relay {
    bm_warn_fn warn;
    void *user;
    bool *has_warned;
} warning_relay;

static void note_warning(void *user, const bm_error *w) {
    const warning_relay *r = user;
    *r->has_warned = true;
    if (r->warn != NULL)
        r->warn(r->user, w);
}

/* ---- the pool of a batch (render_cache.h) ------------------------------------------------- */

struct bm_text_pool {
    pthread_mutex_t lock;
    bm_text *idle; /* texts no render is using, most recently returned first */
};

bm_text_pool *bm_text_pool_new(void) {
    bm_text_pool *p = calloc(1, sizeof *p);
    if (p != NULL && pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p);
        return NULL;
    }
    return p;
}

void bm_text_pool_free(bm_text_pool *p) {
    if (p == NULL)
        return;
    while (p->idle != NULL) {
        bm_text *t = p->idle;
        p->idle = t->next_idle;
        t->pool = NULL;
        bm_text_free(t);
    }
    pthread_mutex_destroy(&p->lock);
    free(p);
}

/* What a pooled text was made from: the style's font list and fallback; false when they do
 * not fit in size bytes. */
static bool pool_key_of(const bm_style *style, char *key, size_t size) {
    const int n = snprintf(key, size, "%s\n%s", style->font_family, style->font_fallback);
    return n >= 0 && (size_t)n < size;
}

/* An idle text made for these fonts, taken out of the pool; NULL when there is none. */
static bm_text *pool_take(bm_text_pool *p, const char *key) {
    pthread_mutex_lock(&p->lock);
    bm_text **at = &p->idle;
    while (*at != NULL && strcmp((*at)->pool_key, key) != 0)
        at = &(*at)->next_idle;
    bm_text *t = *at;
    if (t != NULL) {
        *at = t->next_idle;
        t->next_idle = NULL;
    }
    pthread_mutex_unlock(&p->lock);
    return t;
}

/* Gives a text back to its pool, with the texts it laid out. */
static void pool_put(bm_text *t) {
    bm_text_pool *p = t->pool;
    pthread_mutex_lock(&p->lock);
    t->next_idle = p->idle;
    p->idle = t;
    pthread_mutex_unlock(&p->lock);
}

bm_text *bm_text_new(const bm_style *style, bm_warn_fn warn, void *warn_user, bm_error *err) {
    bm_text *t = calloc(1, sizeof *t);
    if (t == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    t->layouts = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref,
                                       g_object_unref);
    FcConfig *cfg = style_fonts_config(style);
    if (cfg != NULL) {
        /* Made fontconfig's current configuration too: Pango starts a thread that calls
         * FcInit() when it makes its first font map, which would otherwise load the system's
         * configuration anyway (10-20 ms of CPU beside the render). Every font map balmap
         * makes is given its configuration explicitly, so this changes none of them. It is
         * process-wide: a program embedding libbalmap that relies on fontconfig's current
         * configuration would see it changed (kept: bench/README.md, "Batch, second pass"). */
        FcConfigSetCurrent(cfg);
        t->font_map = pango_cairo_font_map_new();
        if (t->font_map != NULL && PANGO_IS_FC_FONT_MAP(t->font_map))
            pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(t->font_map), cfg);
        FcConfigDestroy(cfg); /* the font map holds its own reference */
        if (t->font_map != NULL) {
            t->context = new_context(t->font_map);
            /* The style's font must really be there; otherwise the system decides, as before. */
            if (!has_every_family(t->context, style->font_family)) {
                g_object_unref(t->context);
                g_object_unref(t->font_map);
                t->context = NULL;
                t->font_map = NULL;
            }
        }
    }
    if (t->context == NULL) {
        if (!use_system_fonts(t)) {
            bm_error_set(err, BM_ERR_DEPENDENCY, "Pango could not create a font map");
            goto fail;
        }
        t->font_map = g_object_ref(t->system_map);
        t->context = g_object_ref(t->system_context);
    }

    /* font_family may be a list, "Noto Sans, Noto Nastaliq Urdu": Pango takes each letter from
     * the first family that has it, so Urdu is set in Nastaliq and Latin in Noto Sans. Families
     * that are not installed are dropped with a warning; none left means the fallback. */
    if (!keep_installed(t, style->font_family, warn, warn_user)) {
        /* The fallback is said to be used only when it is there: otherwise fontconfig's
         * substitute is named, which is what the map is set in. */
        char used[128];
        const bool has_fallback = has_family(t->context, style->font_fallback);
        if (has_fallback)
            snprintf(used, sizeof used, "%s", style->font_fallback);
        else
            substitute_of(t->context, style->font_fallback, used, sizeof used);
        if (warn != NULL) {
            bm_error w = {0};
            if (has_fallback)
                bm_error_set(&w, BM_ERR_NOT_FOUND, "font '%s' is not installed; using '%s'",
                             style->font_family, style->font_fallback);
            else
                bm_error_set(&w, BM_ERR_NOT_FOUND,
                             "font '%s' is not installed, nor the fallback font '%s'; using the "
                             "system's substitute '%s'",
                             style->font_family, style->font_fallback, used[0] ? used : "(none)");
            bm_error_hint(&w,
                          "install it (Debian: fonts-noto-core) or set font_family%s in the "
                          "style; 'fc-list : family' lists what is installed",
                          has_fallback ? "" : " and font_fallback");
            warn(warn_user, &w);
        }
        snprintf(t->family, sizeof t->family, "%s", used[0] ? used : style->font_fallback);
    }
    return t;
fail:
    bm_text_free(t);
    return NULL;
}

bm_text *bm_text_new_pooled(bm_text_pool *pool, const bm_style *style, bm_warn_fn warn,
                            void *warn_user, bm_error *err) {
    if (pool == NULL)
        return bm_text_new(style, warn, warn_user, err);
    char key[sizeof((bm_text *)NULL)->pool_key];
    if (!pool_key_of(style, key, sizeof key))
        return bm_text_new(style, warn, warn_user, err);
    bm_text *t = pool_take(pool, key);
    if (t != NULL)
        return t;
    /* Made afresh; kept for the next maps only when it warned of nothing (a missing font is
     * then told once per map, as without a pool). */
    bool has_warned = false;
    t = bm_text_new(style, note_warning, &(warning_relay){warn, warn_user, &has_warned}, err);
    if (t != NULL && !has_warned) {
        t->pool = pool;
        memcpy(t->pool_key, key, strlen(key) + 1);
    }
    return t;
}

void bm_text_free(bm_text *t) {
    if (t == NULL)
        return;
    if (t->pool != NULL) {
        pool_put(t);
        return;
    }
    if (t->layouts)
        g_hash_table_destroy(t->layouts);
    if (t->context)
        g_object_unref(t->context);
    if (t->font_map)
        g_object_unref(t->font_map);
    if (t->system_context)
        g_object_unref(t->system_context);
    if (t->system_map)
        g_object_unref(t->system_map);
    free(t);
}

/* Every text is laid out at one reference size and scaled to its own: with unhinted metrics the
 * result is the same, and fontconfig then sorts fonts once per weight and style instead of once
 * per size as well (it did so about 15 times a map, 20 ms of the render). */
#define REFERENCE_PT 10.0

/* The factor from the reference layout to the text's size. */
static double scale_of(const bm_text_spec *spec) {
    return spec->size_pt > 0 ? spec->size_pt / REFERENCE_PT : 1.0;
}

static PangoLayout *layout_in(PangoContext *ctx, const char *family, const char *utf8,
                              const bm_text_spec *spec) {
    const double k = scale_of(spec);
    PangoLayout *layout = pango_layout_new(ctx);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, family);
    pango_font_description_set_size(fd, (int)(REFERENCE_PT * PANGO_SCALE + 0.5));
    pango_font_description_set_weight(fd, spec->weight == BM_TEXT_BOLD ? PANGO_WEIGHT_BOLD
                                                                       : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(fd, spec->is_italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(layout, fd);
    pango_font_description_free(fd);
    if (spec->letter_spacing_pt > 0) {
        PangoAttrList *attrs = pango_attr_list_new();
        /* letter spacing is in Pango units of the device: mm here */
        pango_attr_list_insert(attrs,
                               pango_attr_letter_spacing_new(
                                   (int)(spec->letter_spacing_pt / k * 25.4 / 72 * PANGO_SCALE)));
        pango_layout_set_attributes(layout, attrs);
        pango_attr_list_unref(attrs);
    }
    if (spec->wrap_width_mm > 0) {
        pango_layout_set_width(layout, (int)(spec->wrap_width_mm / k * PANGO_SCALE));
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(layout, utf8, -1);
    /* A wrapped paragraph sits in a column beside its swatch or key at the column's left edge:
     * a right-to-left one (Urdu) too. Pango mirrors the alignment of RTL lines, so RIGHT puts
     * them at the left, when every line is RTL (a list that mixes directions keeps Pango's
     * natural sides); English (LTR) text never changes. */
    if (spec->wrap_width_mm > 0) {
        bool is_all_rtl = true;
        for (GSList *l = pango_layout_get_lines_readonly(layout); l != NULL; l = l->next)
            is_all_rtl &= ((PangoLayoutLine *)l->data)->resolved_dir == PANGO_DIRECTION_RTL;
        /* End-aligned (a paragraph of a right-to-left legend, bm_text_spec): Pango's natural
         * side, flush right at the wrap width. */
        if (is_all_rtl && !spec->is_end_aligned)
            pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT);
    }
    return layout;
}

/* Text laid out with the style's fonts, or with the system's when these lack a glyph of it (a
 * script the style's fonts do not cover): the same text always takes the same path, so it
 * measures and draws alike. */
static PangoLayout *make_layout_afresh(bm_text *t, const char *utf8, const bm_text_spec *spec) {
    PangoLayout *layout = layout_in(t->context, t->family, utf8, spec);
    if (t->context != t->system_context && pango_layout_get_unknown_glyphs_count(layout) > 0 &&
        use_system_fonts(t)) {
        g_object_unref(layout);
        layout = layout_in(t->system_context, t->family, utf8, spec);
    }
    return layout;
}

/* What decides a layout besides the text's fonts: its spec and its bytes. */
static GBytes *layout_key(const char *utf8, const bm_text_spec *spec) {
    const double nums[3] = {spec->size_pt, spec->wrap_width_mm, spec->letter_spacing_pt};
    const unsigned char flags[3] = {(unsigned char)spec->weight, (unsigned char)spec->is_italic,
                                    (unsigned char)spec->is_end_aligned};
    const size_t n = strlen(utf8);
    unsigned char *b = g_malloc(sizeof nums + sizeof flags + n);
    memcpy(b, nums, sizeof nums);
    memcpy(b + sizeof nums, flags, sizeof flags);
    memcpy(b + sizeof nums + sizeof flags, utf8, n);
    return g_bytes_new_take(b, sizeof nums + sizeof flags + n);
}

/* The text laid out (a new reference), from the table when it was laid out before: a layout is
 * only read once made (measured, drawn, its lines listed), so one serves every use. */
static PangoLayout *make_layout(bm_text *t, const char *utf8, const bm_text_spec *spec) {
    GBytes *key = layout_key(utf8, spec);
    PangoLayout *layout = g_hash_table_lookup(t->layouts, key);
    if (layout != NULL) {
        g_bytes_unref(key);
        return g_object_ref(layout);
    }
    layout = make_layout_afresh(t, utf8, spec);
    if (g_hash_table_size(t->layouts) >= MAX_LAYOUTS)
        g_hash_table_remove_all(t->layouts);
    g_hash_table_insert(t->layouts, key, g_object_ref(layout));
    return layout;
}

void bm_text_measure(bm_text *t, const char *utf8, const bm_text_spec *spec, double *w_mm,
                     double *h_mm) {
    PangoLayout *layout = make_layout(t, utf8, spec);
    PangoRectangle logical;
    pango_layout_get_extents(layout, NULL, &logical);
    /* an end-aligned paragraph takes its column to the right end of its last line */
    if (spec->is_end_aligned && logical.x > 0)
        logical.width += logical.x;
    *w_mm = (double)logical.width / PANGO_SCALE * scale_of(spec);
    *h_mm = (double)logical.height / PANGO_SCALE * scale_of(spec);
    g_object_unref(layout);
}

static void set_rgba(cairo_t *cr, uint32_t rgba) {
    cairo_set_source_rgba(cr, (rgba >> 24 & 0xFF) / 255.0, (rgba >> 16 & 0xFF) / 255.0,
                          (rgba >> 8 & 0xFF) / 255.0, (rgba & 0xFF) / 255.0);
}

/* The halo of vector output: the glyph outlines stroked with round joins, width_mm wide (in the
 * layout's space), so it is exact at any zoom and the text stays one copy (searchable). */
static void draw_halo_vector(cairo_t *cr, PangoLayout *layout, uint32_t rgba, double width_mm) {
    pango_cairo_layout_path(cr, layout);
    set_rgba(cr, rgba);
    cairo_set_line_width(cr, width_mm);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
}

/* The halo of a raster: the text painted at 16 offsets on a circle of radius_mm and 8 on half
 * of it, opaque into a group the size of the text, then laid down at the halo's alpha. Glyphs
 * come from Cairo's cache, so this costs a tenth of stroking the outlines (halos were 14 ms of
 * a 157 ms render); the edge of the union is within a twentieth of the radius of the stroked
 * one, below a pixel at any size balmap draws. */
static void draw_halo_raster(cairo_t *cr, PangoLayout *layout, uint32_t rgba, double radius_mm) {
    PangoRectangle ink;
    pango_layout_get_extents(layout, &ink, NULL);
    cairo_save(cr);
    cairo_rectangle(cr, (double)ink.x / PANGO_SCALE - 2 * radius_mm,
                    (double)ink.y / PANGO_SCALE - 2 * radius_mm,
                    (double)ink.width / PANGO_SCALE + 4 * radius_mm,
                    (double)ink.height / PANGO_SCALE + 4 * radius_mm);
    cairo_clip(cr);
    cairo_push_group(cr);
    set_rgba(cr, rgba | 0xFF);
    for (int ring = 0; ring < 2; ring++) {
        const int n = ring == 0 ? 16 : 8;
        const double r = ring == 0 ? radius_mm : radius_mm / 2;
        for (int i = 0; i < n; i++) {
            const double a = 2 * 3.14159265358979323846 * i / n;
            cairo_move_to(cr, r * cos(a), r * sin(a));
            pango_cairo_show_layout(cr, layout);
        }
    }
    cairo_pop_group_to_source(cr);
    cairo_paint_with_alpha(cr, (rgba & 0xFF) / 255.0);
    cairo_restore(cr);
}

void bm_text_draw(bm_text *t, void *cairo_ctx, const char *utf8, const bm_text_spec *spec,
                  double x_mm, double y_mm, uint32_t rgba, uint32_t halo_rgba, double halo_mm) {
    cairo_t *cr = cairo_ctx;
    PangoLayout *layout = make_layout(t, utf8, spec);
    const double k = scale_of(spec);
    cairo_save(cr);
    cairo_translate(cr, x_mm, y_mm);
    cairo_scale(cr, k, k);
    cairo_move_to(cr, 0, 0);
    if ((halo_rgba & 0xFF) != 0 && halo_mm > 0) {
        if (cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_IMAGE)
            draw_halo_raster(cr, layout, halo_rgba, halo_mm / 2 / k);
        else
            draw_halo_vector(cr, layout, halo_rgba, halo_mm / k);
        cairo_move_to(cr, 0, 0);
    }
    set_rgba(cr, rgba);
    pango_cairo_show_layout(cr, layout);
    cairo_restore(cr);
    g_object_unref(layout);
}

size_t bm_text_lines(bm_text *t, const char *utf8, const bm_text_spec *spec, bm_text_line *out,
                     size_t max) {
    PangoLayout *layout = make_layout(t, utf8, spec);
    const double k = scale_of(spec);
    PangoLayoutIter *it = pango_layout_get_iter(layout);
    size_t n = 0;
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        if (n < max) {
            out[n].start = (size_t)line->start_index;
            out[n].len = (size_t)line->length;
            out[n].x_mm = (double)logical.x / PANGO_SCALE * k;
            out[n].baseline_mm = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE * k;
            out[n].w_mm = (double)logical.width / PANGO_SCALE * k;
            out[n].is_rtl = line->resolved_dir == PANGO_DIRECTION_RTL;
        }
        n++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(layout);
    return n;
}

const char *bm_text_family(const bm_text *t) {
    return t->family;
}
