/* SPDX-License-Identifier: MIT */
/* The legend beside the map: what is sized, the sources, nested size circles, the symbol keys,
 * how figures changed, the claims not sized, numbered labels, notes. Set smaller, down to 60%,
 * when it would run past the map. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carto/carto.h"
#include "carto/wording.h"
#include "utf8.h"

/* Where the legend is set: its left edge, width, and the style scaled to fit. */
typedef struct column {
    const bm_style *st;
    double x, w;
} column;

static void nice_values(double vmax, double out[3]) {
    /* Round values of the form 1, 2, 5 x 10^k: the largest near vmax, then about a quarter
     * and a twentieth of it, so the nested circles span the markers' range. */
    static const double steps[] = {1, 2, 2.5, 5}; /* 2.5 only from 25 up: keys are whole */
    double best = 1;
    for (double p = 1; p <= 1e6; p *= 10)
        for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
            if (steps[i] * p <= vmax * 1.1 && steps[i] * p == floor(steps[i] * p))
                best = steps[i] * p;
    out[0] = best;
    double lo = best / 4, tiny = best / 20;
    double q = 1, t = 1;
    for (double p = 1; p <= 1e6; p *= 10)
        for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
            if (steps[i] * p != floor(steps[i] * p))
                continue;
            if (steps[i] * p <= lo)
                q = steps[i] * p;
            if (steps[i] * p <= tiny)
                t = steps[i] * p;
        }
    out[1] = q;
    out[2] = t < q ? t : q / 2 >= 1 ? floor(q / 2) : q;
}

/* b is an earlier figure that a (directly) replaces: the two are links of one series. */
static bool replaces(const bm_located_claim *a, const bm_located_claim *b) {
    if (a->split_of || b->split_of)
        return false;
    return bm_claim_replaces(a->claim, b->claim, a->incident == b->incident);
}

static bool claim_before(const bm_claim *a, const bm_claim *b) {
    return a->claimed_on && b->claimed_on && strcmp(a->claimed_on, b->claimed_on) < 0;
}

/* What is sized, what a circle is, and the --as-of moment. */
static bm_status add_intro(bm_carto *c, const column *col, double *y) {
    const bm_layout_input *in = c->in;
    const bm_style *st = col->st;
    char text[1024];
    bm_words_legend_heading(in->lang, in->measure, in->party, text, sizeof text);
    if (bm_carto_add_par(c, "legend-heading", text, st->legend_pt * 1.25, BM_TEXT_BOLD, false,
                         col->x, y, col->w, st->text_rgba, 1.2, NULL) != BM_OK ||
        bm_carto_add_par(c, "legend-note",
                         in->grouping ? in->grouping
                                      : bm_words_circle_note(in->lang, in->is_allocated_even),
                         st->legend_pt, BM_TEXT_REGULAR, false, col->x, y, col->w, st->text_rgba,
                         2.5, NULL) != BM_OK)
        return c->cv.err->status;
    if (c->n_unlabelled > 0) {
        snprintf(text, sizeof text,
                 "%zu smaller %s not labelled for lack of room; -o marks.csv lists every circle.",
                 c->n_unlabelled, c->n_unlabelled == 1 ? "circle is" : "circles are");
        if (bm_carto_add_par(c, "unlabelled", text, st->legend_pt, BM_TEXT_REGULAR, true, col->x, y,
                             col->w, st->text_rgba, 2.5, NULL) != BM_OK)
            return c->cv.err->status;
    }
    if (in->as_of != NULL) {
        bm_words_as_of(in->lang, in->as_of, in->n_later, text, sizeof text);
        if (bm_carto_add_par(c, "as-of", text, st->legend_pt, BM_TEXT_BOLD, false, col->x, y,
                             col->w, st->text_rgba, 2.5, NULL) != BM_OK)
            return c->cv.err->status;
    }
    return BM_OK;
}

/* A swatch per source, its label and its kind. */
static bm_status add_sources_listed(bm_carto *c, const column *col, double *y_io) {
    const bm_layout_input *in = c->in;
    const bm_style *st = col->st;
    const double x = col->x, w = col->w;
    double y = *y_io;
    char text[1024];
    for (size_t i = 0; i < bm_incidents_n_sources(in->incidents); i++) {
        const bm_source *src = bm_incidents_source(in->incidents, i);
        bm_mark sw = bm_mark_of(BM_MARK_CIRCLE, "legend-source", src->id);
        sw.x_mm = x + 2.2;
        sw.r_mm = 2.0;
        sw.fill_rgba =
            bm_rgba_with_opacity(bm_carto_source_style(c, i)->color_rgba, st->marker_fill_opacity);
        sw.stroke_rgba = bm_carto_source_style(c, i)->outline_rgba;
        sw.stroke_mm = st->marker_stroke_mm;
        bm_carto_set_pattern(c, &sw, i);
        size_t i_sw;
        if (bm_canvas_add(&c->cv, &sw, &i_sw) != BM_OK)
            return c->cv.err->status;
        char b1[BM_WORDS_NAME_MAX], b2[BM_WORDS_NAME_MAX];
        snprintf(text, sizeof text, "%s%s%s%s", bm_words_name(src->label, b1),
                 src->name ? " — " : "", src->name ? bm_words_name(src->name, b2) : "", "");
        double y_text = y, h_label;
        if (bm_carto_add_par(c, "legend-source-label", text, st->legend_pt, BM_TEXT_REGULAR, false,
                             x + 6, &y_text, w - 6, st->text_rgba, 0, &h_label) != BM_OK)
            return c->cv.err->status;
        /* Centred on the label's first two lines, now that its height is known. */
        bm_scene_mark_at(c->cv.scene, i_sw)->y_mm =
            y + fmin(h_label, 2.2 * st->legend_pt * BM_PT_MM * 1.2) / 2;
        const char *kind = bm_words_source_kind(in->lang, src->kind);
        if (kind[0]) {
            const bm_text_spec sp =
                bm_canvas_spec(st->legend_pt * 0.9, BM_TEXT_REGULAR, true, w - 6);
            double h_kind;
            if (bm_canvas_text(&c->cv, "legend-source-kind", src->id, kind, &sp, x + 6, y_text,
                               st->muted_text_rgba, false, &h_kind) != BM_OK)
                return c->cv.err->status;
            y_text += h_kind;
        }
        y = y_text + 1.6;
    }
    *y_io = y + 1.5;
    return BM_OK;
}

/* Many sources (more than the style has colours): grouped under their kind, whose colour they
 * share in shades, in two columns of swatches and labels, so that 20 or more fit. */
static bm_status add_sources_by_kind(bm_carto *c, const column *col, double *y_io) {
    const bm_layout_input *in = c->in;
    const bm_style *st = col->st;
    const size_t n = bm_incidents_n_sources(in->incidents);
    const char *const *kinds = bm_source_kind_names();
    const double cw = (col->w - 3) / 2, line = st->legend_pt * BM_PT_MM * 1.25;
    double y = *y_io;
    char text[1024];
    for (size_t k = 0; k <= BM_N_SOURCE_KINDS; k++) {
        /* k == BM_N_SOURCE_KINDS: sources of a kind the model does not list (none today) */
        size_t n_kind = 0;
        for (size_t i = 0; i < n; i++) {
            const char *kind = bm_incidents_source(in->incidents, i)->kind;
            size_t ki = 0;
            while (ki < BM_N_SOURCE_KINDS && (kind == NULL || strcmp(kind, kinds[ki]) != 0))
                ki++;
            if (ki != k)
                continue;
            if (n_kind == 0 && k < BM_N_SOURCE_KINDS) {
                const bm_text_spec sp =
                    bm_canvas_spec(st->legend_pt * 0.9, BM_TEXT_REGULAR, true, col->w);
                double h;
                if (bm_canvas_text(&c->cv, "legend-source-kind", kinds[k],
                                   bm_words_source_kind(in->lang, kinds[k]), &sp, col->x, y,
                                   st->muted_text_rgba, false, &h) != BM_OK)
                    return c->cv.err->status;
                y += h + 0.4;
            }
            const bm_source *src = bm_incidents_source(in->incidents, i);
            const double x = col->x + (double)(n_kind % 2) * (cw + 3);
            bm_mark sw = bm_mark_of(BM_MARK_CIRCLE, "legend-source", src->id);
            sw.x_mm = x + 1.8;
            sw.y_mm = y + line / 2;
            sw.r_mm = 1.6;
            sw.fill_rgba = bm_rgba_with_opacity(bm_carto_source_style(c, i)->color_rgba,
                                                st->marker_fill_opacity);
            sw.stroke_rgba = bm_carto_source_style(c, i)->outline_rgba;
            sw.stroke_mm = st->marker_stroke_mm;
            bm_carto_set_pattern(c, &sw, i);
            if (bm_canvas_add(&c->cv, &sw, NULL) != BM_OK)
                return c->cv.err->status;
            char b1[BM_WORDS_NAME_MAX];
            snprintf(text, sizeof text, "%s", bm_words_name(src->label, b1));
            const bm_text_spec sp = bm_canvas_spec(st->legend_pt * 0.95, BM_TEXT_REGULAR, false, 0);
            double tw, th;
            bm_canvas_measure(&c->cv, text, &sp, &tw, &th);
            /* One line each: a label too long for its column is cut, with an ellipsis. */
            size_t len = strlen(text);
            while (tw > cw - 4.5 && len > 1) {
                do
                    len--;
                while (len > 1 && ((unsigned char)text[len] & 0xC0u) == 0x80u);
                snprintf(text + len, sizeof text - len, "…");
                bm_canvas_measure(&c->cv, text, &sp, &tw, &th);
            }
            if (bm_canvas_text(&c->cv, "legend-source-label", src->id, text, &sp, x + 4.5,
                               y + (line - th) / 2, st->text_rgba, false, NULL) != BM_OK)
                return c->cv.err->status;
            if (++n_kind % 2 == 0)
                y += line + 0.6;
        }
        if (n_kind % 2 == 1)
            y += line + 0.6;
        if (n_kind > 0)
            y += 0.8;
    }
    *y_io = y + 1.5;
    return BM_OK;
}

/* A swatch per source: listed with its kind, or grouped by kind when there are many. */
static bm_status add_sources(bm_carto *c, const column *col, double *y_io) {
    if (bm_incidents_n_sources(c->in->incidents) > c->in->style->n_sources)
        return add_sources_by_kind(c, col, y_io);
    return add_sources_listed(c, col, y_io);
}

/* Nested circles at round values, drawn exactly as the markers are sized. */
static bm_status add_sizes(bm_carto *c, const column *col, double value_max, double *y) {
    const bm_style *st = col->st;
    if (!(value_max > 0))
        return BM_OK;
    double vals[3];
    nice_values(value_max, vals);
    if (c->in->scale_max > 0) /* --scale-max: the largest key is that value, for a series */
        vals[0] = c->in->scale_max;
    const double r0 =
        bm_layout_radius_mm(vals[0], value_max, c->radius_max_mm, st->marker_min_radius_mm);
    const double cx = col->x + r0 + 1, base = *y + 2 * r0;
    double label_bottom = -HUGE_VAL; /* labels never overlap when the circles are small */
    for (int i = 0; i < 3; i++) {
        if (i > 0 && vals[i] >= vals[i - 1])
            continue;
        const double r =
            bm_layout_radius_mm(vals[i], value_max, c->radius_max_mm, st->marker_min_radius_mm);
        char v[32];
        snprintf(v, sizeof v, "%g", vals[i]);
        bm_mark m = bm_mark_of(BM_MARK_CIRCLE, "legend-size", v);
        m.x_mm = cx;
        m.y_mm = base - r;
        m.r_mm = r;
        m.stroke_rgba = st->text_rgba;
        m.stroke_mm = 0.25;
        m.value = vals[i];
        if (bm_canvas_add(&c->cv, &m, NULL) != BM_OK)
            return c->cv.err->status;
        const bm_text_spec sp = bm_canvas_spec(st->legend_pt * 0.95, BM_TEXT_REGULAR, false, 0);
        double tw, th;
        bm_canvas_measure(&c->cv, v, &sp, &tw, &th);
        const double label_y = fmax(base - 2 * r - th / 2, label_bottom);
        label_bottom = label_y + th;
        if (bm_canvas_line(&c->cv, "legend-size-tick", v, cx, base - 2 * r, cx + r0 + 3,
                           label_y + th / 2, st->muted_text_rgba, 0.15, 0) != BM_OK ||
            bm_canvas_text(&c->cv, "legend-size-label", v, v, &sp, cx + r0 + 3.5, label_y,
                           st->text_rgba, false, NULL) != BM_OK)
            return c->cv.err->status;
    }
    *y = fmax(base, label_bottom) + 2.5;
    return BM_OK;
}

/* The first mark of this role on the map (before the legend), or NULL: the legend keys only
 * the symbols the map draws. */
static const bm_mark *first_drawn(const bm_carto *c, size_t n_map_marks, const char *role) {
    for (size_t i = 0; i < n_map_marks; i++) {
        const bm_mark *m = bm_scene_mark(c->cv.scene, i);
        if (strcmp(m->role, role) == 0)
            return m;
    }
    return NULL;
}

/* A key for each symbol the map draws: leader line, claim in brackets, tick, dashed ring, town,
 * district. */
static bm_status add_keys(bm_carto *c, const column *col, size_t n_map_marks, double *y) {
    const bm_layout_input *in = c->in;
    const bm_style *st = col->st;
    static const struct {
        const char *key, *drawn; /* the key's role, and the role of the symbol it explains */
    } keys[] = {{"key-leader", "leader"},   {"key-aggregate", "claim-bracket"},
                {"key-tick", "claim-tick"}, {"key-upper", "claim-upper"},
                {"key-place", "place"},     {"key-district", "district"}};
    bool has_any = false, is_district_keyed = false;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const bm_mark *drawn = first_drawn(c, n_map_marks, keys[k].drawn);
        if (drawn == NULL)
            continue;
        const char *role = keys[k].key, *text_role = role;
        /* Marks move when the scene grows: only what is needed of them is kept, before adding. */
        const bm_mark *tick = first_drawn(c, n_map_marks, "claim-tick");
        const bool has_tick = tick != NULL;
        const uint32_t tick_ink = has_tick ? (tick->stroke_rgba & 0xFFFFFF00u) | 0xFFu : 0;
        if (strcmp(role, "key-tick") == 0 ||
            (strcmp(role, "key-district") == 0 && is_district_keyed))
            continue; /* keyed with the brackets (every tick comes with them), or beside towns */
        if (strcmp(role, "key-aggregate") == 0 && has_tick)
            text_role = "key-aggregate-tick";
        has_any = true;
        const double sym_y = *y + st->legend_pt * BM_PT_MM * 0.7, x = col->x;
        const uint32_t ink = (drawn->stroke_rgba & 0xFFFFFF00u) | 0xFFu;
        bm_status s2 = BM_OK;
        if (strcmp(role, "key-leader") == 0) {
            s2 = bm_canvas_line(&c->cv, role, "", x, sym_y, x + 4.5, sym_y, ink,
                                st->leader_mm * 1.5, 0);
        } else if (strcmp(role, "key-aggregate") == 0) {
            bm_mark m = bm_mark_of(BM_MARK_CIRCLE, role, "");
            m.x_mm = x + 2.2;
            m.y_mm = sym_y;
            m.r_mm = 1.3;
            m.fill_rgba = st->muted_text_rgba;
            s2 = bm_canvas_add(&c->cv, &m, NULL);
            if (s2 == BM_OK)
                s2 = bm_carto_add_bracket(c, role, "", x + 2.2, sym_y, 2.1, st->text_rgba, 0.35);
            if (s2 == BM_OK && has_tick) {
                /* the tick, at a town dot, under the brackets (the text takes two lines) */
                const double tx = x + 3.4, ty = sym_y + 3.5;
                m = bm_mark_of(BM_MARK_CIRCLE, "key-tick", "");
                m.x_mm = tx;
                m.y_mm = ty;
                m.r_mm = st->place_radius_mm;
                m.fill_rgba = st->place_rgba;
                s2 = bm_canvas_add(&c->cv, &m, NULL);
                if (s2 == BM_OK)
                    s2 = bm_canvas_line(&c->cv, "key-tick", "", tx - 0.78, ty - 0.78, tx - 1.9,
                                        ty - 1.9, tick_ink, 0.6, 0);
            }
        } else {
            bm_mark m = bm_mark_of(BM_MARK_CIRCLE, role, "");
            m.x_mm = x + 2.2;
            m.y_mm = sym_y;
            if (strcmp(role, "key-upper") == 0) {
                m.r_mm = 1.9;
                m.stroke_rgba = st->text_rgba;
                m.stroke_mm = 0.35;
                m.dash_mm = 0.8;
            } else if (strcmp(role, "key-place") == 0) {
                m.r_mm = st->place_radius_mm;
                m.fill_rgba = st->place_rgba;
            } else {
                m.r_mm = 1.6;
                m.stroke_rgba = st->place_rgba;
                m.stroke_mm = 0.3;
                m.dash_mm = 0.5;
            }
            s2 = bm_canvas_add(&c->cv, &m, NULL);
        }
        /* Town and district share a line when both are drawn and it holds them. */
        if (s2 == BM_OK && strcmp(role, "key-place") == 0 &&
            first_drawn(c, n_map_marks, "district") != NULL) {
            const char *district_text = bm_words_key(in->lang, "key-district", false);
            const bm_text_spec sp = bm_canvas_spec(st->legend_pt * 0.95, BM_TEXT_REGULAR, false, 0);
            double w1, w2, h;
            bm_canvas_measure(&c->cv, bm_words_key(in->lang, role, false), &sp, &w1, &h);
            bm_canvas_measure(&c->cv, district_text, &sp, &w2, &h);
            const double x2 = x + 6 + w1 + 3;
            if (x2 + 6 + w2 <= col->x + col->w) {
                bm_mark m = bm_mark_of(BM_MARK_CIRCLE, "key-district", "");
                m.x_mm = x2 + 2.2;
                m.y_mm = sym_y;
                m.r_mm = 1.6;
                m.stroke_rgba = st->place_rgba;
                m.stroke_mm = 0.3;
                m.dash_mm = 0.5;
                double y2 = *y;
                if (bm_canvas_add(&c->cv, &m, NULL) != BM_OK ||
                    bm_carto_add_par(c, "legend-key", district_text, st->legend_pt * 0.95,
                                     BM_TEXT_REGULAR, false, x2 + 6, &y2, col->x + col->w - x2 - 6,
                                     st->text_rgba, 1.2, NULL) != BM_OK)
                    return c->cv.err->status;
                is_district_keyed = true;
            }
        }
        if (s2 != BM_OK ||
            bm_carto_add_par(c, "legend-key",
                             bm_words_key(in->lang, text_role, in->is_allocated_even),
                             st->legend_pt * 0.95, BM_TEXT_REGULAR, false, col->x + 6, y,
                             col->w - 6, st->text_rgba, 1.2, NULL) != BM_OK)
            return c->cv.err->status;
    }
    if (has_any)
        *y += 1.5;
    return BM_OK;
}

/* The drawn claim i and every figure it replaces, directly or through others, oldest first,
 * into *series (grown as needed); *n_series counts them. */
static bm_status find_series(bm_carto *c, size_t i, const bool *is_listed, size_t **series,
                             size_t *n_series, size_t *n_series_alloc) {
    const bm_layout_input *in = c->in;
    size_t n = 0;
    if (bm_grow((void **)series, n_series_alloc, 1, sizeof **series) != BM_OK)
        return bm_error_set(c->cv.err, BM_ERR_NOMEM, "out of memory");
    (*series)[n++] = i;
    for (size_t a = 0; a < n; a++)
        for (size_t k = 0; k < in->n_claims; k++) {
            if (in->claims[k].is_drawn || is_listed[k] ||
                !replaces(&in->claims[(*series)[a]], &in->claims[k]))
                continue;
            bool is_in = false;
            for (size_t b = 0; b < n; b++)
                is_in |= (*series)[b] == k;
            if (is_in)
                continue;
            if (bm_grow((void **)series, n_series_alloc, n + 1, sizeof **series) != BM_OK)
                return bm_error_set(c->cv.err, BM_ERR_NOMEM, "out of memory");
            (*series)[n++] = k;
        }
    /* Oldest first. The series was found walking back from the latest figure, so on the same
     * day the one found later is the older: reverse first, then sort stably by day. */
    size_t *s = *series;
    for (size_t a = 0; a < n / 2; a++) {
        const size_t t = s[a];
        s[a] = s[n - 1 - a];
        s[n - 1 - a] = t;
    }
    for (size_t a = 1; a < n; a++)
        for (size_t b = a;
             b > 0 && claim_before(in->claims[s[b]].claim, in->claims[s[b - 1]].claim); b--) {
            const size_t t = s[b];
            s[b] = s[b - 1];
            s[b - 1] = t;
        }
    *n_series = n;
    return BM_OK;
}

/* Figures a source revised: the series, oldest first, ending with the one drawn; each figure
 * listed is marked in is_listed. */
static bm_status list_changes(bm_carto *c, bool *is_listed, bm_buf *changes) {
    const bm_layout_input *in = c->in;
    size_t *series = NULL, n_series = 0, n_series_alloc = 0;
    for (size_t i = 0; i < in->n_claims; i++) {
        if (!in->claims[i].is_drawn)
            continue;
        if (find_series(c, i, is_listed, &series, &n_series, &n_series_alloc) != BM_OK) {
            free(series);
            return c->cv.err->status;
        }
        if (n_series < 2)
            continue;
        const bm_claim *d = in->claims[i].claim;
        char b[BM_WORDS_NAME_MAX];
        bm_buf_printf(changes, "%s• %s, %s %s: ", changes->len ? "\n" : "",
                      bm_words_name(bm_incidents_source(in->incidents, d->source)->label, b),
                      bm_words_party(in->lang, d->who),
                      bm_words_tr(in->lang, bm_quantity_name(d->what)));
        for (size_t a = 0; a < n_series; a++) {
            const bm_claim *cl = in->claims[series[a]].claim;
            char v[96], when[32] = "";
            bm_value_format(&cl->value, v, sizeof v);
            if (cl->claimed_on)
                bm_words_day(in->lang, cl->claimed_on, when, sizeof when);
            /* A series the file links across sources ("revises") names each other source. */
            char bo[BM_WORDS_NAME_MAX];
            const char *other =
                cl->source != d->source
                    ? bm_words_name(bm_incidents_source(in->incidents, cl->source)->label, bo)
                    : NULL;
            bm_buf_printf(changes, "%s%s (%s%s%s)", a ? " → " : "", v, other ? other : "",
                          other && when[0] ? ", " : "", when);
            is_listed[series[a]] = true;
        }
    }
    free(series);
    return BM_OK;
}

static int compare_ptr(const void *a, const void *b) {
    const uintptr_t x = (uintptr_t) * (const void *const *)a,
                    y = (uintptr_t) * (const void *const *)b;
    return x < y ? -1 : x > y;
}

/* The line listing claim i (not sized) beside the legend; split is the sorted list of claims
 * split evenly among places (--allocate even). */
static void also_line(const bm_carto *c, size_t i, const bm_claim *const *split, size_t n_split,
                      char *line, size_t line_size) {
    const bm_layout_input *in = c->in;
    const bm_claim *cl = in->claims[i].claim;
    const bool is_split =
        n_split > 0 && bsearch(&cl, split, n_split, sizeof *split, compare_ptr) != NULL;
    bm_words_also_claimed(in->lang, cl, bm_incidents_source(in->incidents, cl->source), is_split,
                          line, line_size);
}

/* Claims the map does not size: listed, never dropped. */
static void list_also(const bm_carto *c, const bool *is_listed, const bm_claim *const *split,
                      size_t n_split, bm_buf *also) {
    const bm_layout_input *in = c->in;
    for (size_t i = 0; i < in->n_claims; i++) {
        if (in->claims[i].is_drawn || is_listed[i])
            continue;
        char line[4096];
        also_line(c, i, split, n_split, line, sizeof line);
        bm_buf_printf(also, "%s%s", also->len ? "\n" : "", line);
    }
}

/* More claims to list than lines of the smallest legend text the page could hold (each claim
 * is a line at least): refused at once, with their count and the first few, rather than laid
 * out at every size and cut. */
static bm_status check_list_fits(const bm_carto *c, const bool *is_listed,
                                 const bm_claim *const *split, size_t n_split,
                                 const bm_buf *changes) {
    const bm_layout_input *in = c->in;
    size_t n_also = 0, n_lines = changes->len > 0 ? 1 : 0;
    for (size_t i = 0; i < changes->len; i++)
        n_lines += changes->data[i] == '\n';
    for (size_t i = 0; i < in->n_claims; i++)
        n_also += !in->claims[i].is_drawn && !is_listed[i];
    /* The legend's smallest notes (60% of note_pt), one line each at 1.2 times their size. */
    const double line_mm = in->style->note_pt * 0.6 * BM_PT_MM * 1.2;
    const double n_fit = floor(in->page_h_mm / line_mm);
    if ((double)(n_lines + n_also) <= n_fit)
        return BM_OK;
    char first[512] = "", what[96] = "";
    size_t used = 0, n_first = 0;
    for (size_t i = 0; i < in->n_claims && n_first < 3 && used < sizeof first; i++) {
        if (in->claims[i].is_drawn || is_listed[i])
            continue;
        const bm_claim *cl = in->claims[i].claim;
        if (n_first == 0) {
            char line[4096];
            also_line(c, i, split, n_split, line, sizeof line);
            line[sizeof what - 1] = '\0';
            memcpy(what, line, sizeof what);
            bm_utf8_trim_partial(what);
        }
        used += (size_t)snprintf(first + used, sizeof first - used, "%s%s (line %d)",
                                 n_first ? ", " : "", cl->pointer ? cl->pointer : cl->id, cl->line);
        n_first++;
    }
    char changed[64] = "";
    if (n_lines > 0)
        snprintf(changed, sizeof changed, ", with %zu series of changed figures", n_lines);
    bm_error_set(c->cv.err, BM_ERR_INVALID,
                 "%zu claims are not sized on the map (no figure, or another measure or "
                 "party)%s: too many to list beside it, where about %.0f lines fit on this page; "
                 "the first: %s, listed as '%s'",
                 n_also, changed, n_fit, first, what);
    bm_error_hint(c->cv.err, "map fewer claims at a time (--from/--to, --party, --measure, "
                             "--as-of) or give the claims their figures; 'balmap validate' "
                             "checks the file");
    return c->cv.err->status;
}

/* A heading and a list under it, when the list is not empty. */
static bm_status add_list(bm_carto *c, const column *col, double *y, const char *heading,
                          const char *role, const bm_buf *list) {
    const bm_style *st = col->st;
    if (list->len == 0)
        return BM_OK;
    if (bm_carto_add_par(c, "legend-heading", heading, st->legend_pt, BM_TEXT_BOLD, false, col->x,
                         y, col->w, st->text_rgba, 0.8, NULL) != BM_OK ||
        bm_carto_add_par(c, role, bm_buf_str(list), st->note_pt, BM_TEXT_REGULAR, false, col->x, y,
                         col->w, st->text_rgba, 2.5, NULL) != BM_OK)
        return c->cv.err->status;
    return BM_OK;
}

/* How the figures changed, and what else was claimed. */
static bm_status add_lists(bm_carto *c, const column *col, double *y) {
    const bm_layout_input *in = c->in;
    bm_buf changes = BM_BUF_INIT(1 << 20), also = BM_BUF_INIT(1 << 20);
    bool *is_listed = calloc(in->n_claims + 1, sizeof *is_listed);
    const bm_claim **split = calloc(in->n_claims + 1, sizeof *split);
    size_t n_split = 0;
    bm_status st = BM_OK;
    if (is_listed == NULL || split == NULL)
        st = bm_error_set(c->cv.err, BM_ERR_NOMEM, "out of memory");
    else if (list_changes(c, is_listed, &changes) != BM_OK)
        st = c->cv.err->status;
    if (st == BM_OK) {
        for (size_t i = 0; i < in->n_claims; i++)
            if (in->claims[i].split_of != NULL)
                split[n_split++] = in->claims[i].split_of;
        qsort(split, n_split, sizeof *split, compare_ptr);
        st = check_list_fits(c, is_listed, split, n_split, &changes);
    }
    if (st == BM_OK) {
        list_also(c, is_listed, split, n_split, &also);
        /* A list cut short would drop claims without a word. */
        if (changes.len + 4096 > changes.cap || also.len + 4096 > also.cap)
            st = bm_error_set(c->cv.err, BM_ERR_NOMEM, "too many claims to list");
    }
    if (st == BM_OK && add_list(c, col, y, bm_words_tr(in->lang, BM_WORDS_CHANGES_HEADING),
                                "changes", &changes) != BM_OK)
        st = c->cv.err->status;
    if (st == BM_OK && add_list(c, col, y, bm_words_tr(in->lang, BM_WORDS_ALSO_HEADING),
                                "also-claimed", &also) != BM_OK)
        st = c->cv.err->status;
    free(is_listed);
    free(split);
    bm_buf_free(&changes);
    bm_buf_free(&also);
    return st;
}

/* The legend with its text at style st; *overflow_mm says how far it runs past the map. */
static bm_status add_legend_sized(bm_carto *c, double value_max, const bm_style *st,
                                  double *overflow_mm) {
    const bm_layout_input *in = c->in;
    const size_t n_map_marks = bm_scene_n_marks(c->cv.scene);
    const bm_frame *fr = &c->area;
    /* Beside the map; or under it on a narrow or portrait page, in two columns when there is
     * room for two of the style's legend width (the key, then the lists and notes); beside it
     * in two columns when the print page asks (style.h). */
    const bool is_narrow = bm_layout_is_narrow(st, in->page_w_mm, in->page_h_mm);
    const double x = is_narrow ? fr->x_mm : fr->x_mm + fr->w_mm + 4;
    const double w = in->page_w_mm - st->margin_mm - x;
    const bool is_two = is_narrow ? w >= 2 * st->panel_width_mm + 6 : st->is_legend_two;
    const column col = {st, x, is_two ? (w - 6) / 2 : w};
    const column col2 = is_two ? (column){st, x + (w + 6) / 2, (w - 6) / 2} : col;
    const double y0 = is_narrow ? fr->y_mm + fr->h_mm + 5 : fr->y_mm;
    double y = y0;
    if (add_intro(c, &col, &y) != BM_OK || add_sources(c, &col, &y) != BM_OK ||
        add_sizes(c, &col, value_max, &y) != BM_OK || add_keys(c, &col, n_map_marks, &y) != BM_OK)
        return c->cv.err->status;
    const double y1 = y;
    if (is_two)
        y = y0;
    if (add_lists(c, &col2, &y) != BM_OK ||
        /* Labels that found no room on the map, under the numbers that stand in for them. */
        add_list(c, &col2, &y, bm_words_tr(in->lang, BM_WORDS_CALLOUTS_HEADING), "callouts",
                 &c->labels.callouts) != BM_OK ||
        bm_carto_add_notes(c, st, col2.x, &y, col2.w) != BM_OK)
        return c->cv.err->status;
    y = fmax(y, y1);
    /* The legend may run down to the attribution, 1.5 mm above it. */
    *overflow_mm = y - (c->footer_top_mm - 1.5);
    return bm_canvas_keep_clear(&c->cv, x, y0, x + w, y);
}

/* The legend must end where the map frame ends, above the attribution: when the notes are
 * long, its text is set smaller, down to 60% of the style's sizes (never under min_text_pt:
 * the canvas holds every text to it), before giving up. */
bm_status bm_carto_add_legend(bm_carto *c) {
    static const double scales[] = {1.0, 0.92, 0.85, 0.78, 0.72, 0.66, 0.6};
    const size_t n_marks = bm_scene_n_marks(c->cv.scene), n_boxes = c->cv.n_boxes;
    const double min_pt = c->in->style->min_text_pt;
    double overflow_mm = 0;
    for (size_t k = 0; k < sizeof scales / sizeof scales[0]; k++) {
        bm_style st = *c->in->style;
        st.legend_pt = fmax(st.legend_pt * scales[k], fmin(st.legend_pt, min_pt));
        st.note_pt = fmax(st.note_pt * scales[k], fmin(st.note_pt, min_pt));
        /* at the floor already: a smaller scale would lay out the same legend again */
        if (k > 0 &&
            st.legend_pt == fmax(c->in->style->legend_pt * scales[k - 1],
                                 fmin(c->in->style->legend_pt, min_pt)) &&
            st.note_pt ==
                fmax(c->in->style->note_pt * scales[k - 1], fmin(c->in->style->note_pt, min_pt)))
            break;
        bm_scene_truncate(c->cv.scene, n_marks);
        c->cv.n_boxes = n_boxes;
        if (add_legend_sized(c, c->value_max, &st, &overflow_mm) != BM_OK)
            return c->cv.err->status;
        if (overflow_mm <= 0)
            return BM_OK;
    }
    /* Claims listed past the page's edge would be dropped in all but name: refused. */
    bm_error_set(c->cv.err, BM_ERR_INVALID,
                 "the legend, the claims it lists and the notes run %.1f mm past the bottom of "
                 "the map",
                 overflow_mm);
    bm_error_hint(c->cv.err, "make the page larger in mm: a taller --height, or a lower --dpi "
                             "for the same pixels (--width 1200 --height 900 --dpi 112 is a "
                             "1600 x 1200 map at three-quarter size); or draw fewer claims "
                             "(--as-of, --party, --measure)");
    return c->cv.err->status;
}
