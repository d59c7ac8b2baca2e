/* SPDX-License-Identifier: MIT */
/* The drawing order of a map; each step is in src/lib/carto/. */
#include "layout.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carto/carto.h"
#include "carto/wording.h"

static void measure_with_pango(void *text, const char *utf8, const bm_text_spec *spec, double *w_mm,
                               double *h_mm) {
    bm_text_measure(text, utf8, spec, w_mm, h_mm);
}

/* One panel: basemap, claims (with the scale bar and inset once their corners are known), the
 * names of regions where room is left, then the frame and the panel's title on top. */
static bm_status add_map_panel(bm_carto *c, size_t index) {
    c->panel = &c->in->panels[index];
    c->view = c->panel->view;
    if (bm_carto_add_basemap(c) != BM_OK || bm_carto_add_claims(c) != BM_OK ||
        bm_carto_add_region_labels(c) != BM_OK || bm_carto_add_frame(c) != BM_OK)
        return c->cv.err->status;
    return BM_OK;
}

static void warn_about_labels(const bm_layout_input *in, const bm_labels *lb) {
    if (lb->unplaced.len > 0 && in->warn) {
        bm_error warning = {0};
        bm_error_set(&warning, BM_ERR_INVALID, "labels overlap other marks: %s",
                     bm_buf_str(&lb->unplaced));
        bm_error_hint(&warning, "make the map larger (--width, --height) or zoom in (--extent)");
        in->warn(in->warn_user, &warning);
    }
    if (lb->n_callouts > 0 && in->warn) {
        bm_error note = {0};
        bm_error_set(&note, BM_ERR_INVALID,
                     "%zu label%s found no room on the map: numbered there and listed in the "
                     "legend",
                     lb->n_callouts, lb->n_callouts == 1 ? "" : "s");
        bm_error_hint(&note, "make the map larger (--width, --height) or zoom in (--extent) to "
                             "label them in place");
        in->warn(in->warn_user, &note);
    }
}

/* The scene's page, first panel's view and title; the page background. */
static bm_status start_scene(bm_carto *c) {
    const bm_layout_input *in = c->in;
    double x0_m, y0_m;
    bm_view_origin_m(in->panels[0].view, &x0_m, &y0_m);
    bm_scene_set_view(c->cv.scene, bm_view_frame(in->panels[0].view), x0_m, y0_m,
                      bm_view_mm_per_metre(in->panels[0].view));
    bm_mark bg = bm_mark_of(BM_MARK_RECT, "background", "");
    bg.w_mm = in->page_w_mm;
    bg.h_mm = in->page_h_mm;
    bg.fill_rgba = in->style->background_rgba;
    if (bm_scene_set_title(c->cv.scene,
                           in->title ? in->title : bm_incidents_title(in->incidents)) != BM_OK)
        return bm_error_set(c->cv.err, BM_ERR_NOMEM, "out of memory");
    return bm_canvas_add(&c->cv, &bg, NULL);
}

static bm_scene *build(const bm_layout_input *in, bool use_callouts, size_t *n_callouts,
                       bm_error *err) {
    assert(in->n_panels > 0);
    bm_carto c = {0};
    c.in = in;
    bm_scene *s = bm_scene_new(in->page_w_mm, in->page_h_mm);
    bm_canvas_init(&c.cv, s, measure_with_pango, in->text, in->style->halo_rgba, err);
    c.cv.min_pt = in->style->min_text_pt;
    bm_labels_init(&c.labels, &c.cv, in->style->muted_text_rgba, use_callouts);
    if (in->lang != NULL) {
        c.labels.joiner = bm_words_tr(in->lang, "punct.comma");
        c.labels.is_rtl = c.cv.is_rtl = bm_lang_is_rtl(in->lang);
    }
    if (s == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        goto fail;
    }
    bm_layout_frame(in->style, in->page_w_mm, in->page_h_mm, &c.area);
    c.value_max = in->scale_max > 0 ? in->scale_max : bm_carto_value_max(in);
    /* "9 Nov" is ambiguous on data spanning five years. */
    const char *year = NULL;
    for (size_t i = 0; i < in->n_claims && !c.has_years; i++) {
        const bm_located_claim *lc = &in->claims[i];
        const char *days[3] = {lc->claim->claimed_on, lc->first_day, lc->last_day};
        for (int k = 0; k < 3 && !c.has_years; k++) {
            if (days[k] == NULL || !lc->is_drawn)
                continue;
            if (year == NULL)
                year = days[k];
            else
                c.has_years = strncmp(year, days[k], 4) != 0;
        }
    }
    /* The years of all the sums drawn, as a sum's label writes them ("2020-2025"). */
    const char *first = NULL, *last = NULL;
    for (size_t i = 0; i < in->n_claims; i++) {
        const bm_located_claim *lc = &in->claims[i];
        if (!lc->is_drawn || lc->n_events == 0 || lc->first_day == NULL || lc->last_day == NULL)
            continue;
        if (first == NULL || strncmp(lc->first_day, first, 4) < 0)
            first = lc->first_day;
        if (last == NULL || strncmp(lc->last_day, last, 4) > 0)
            last = lc->last_day;
    }
    if (first != NULL && strncmp(first, last, 4) != 0)
        snprintf(c.sums_span, sizeof c.sums_span, "%.4s-%.4s", first, last);
    else if (first != NULL)
        snprintf(c.sums_span, sizeof c.sums_span, "%.4s", first);
    c.stroke_scale = 1;
    /* Small multiples shrink the circles with the panels (by the square root of the panel's
     * share of the map area, so the largest stays readable), one scale for all panels. */
    const bm_frame *p0 = bm_view_frame(in->panels[0].view);
    c.radius_max_mm = in->style->marker_max_radius_mm *
                      fmin(1, fmax(0.45, sqrt(p0->w_mm * p0->h_mm / (c.area.w_mm * c.area.h_mm))));
    /* A map smaller than the default page's (175 x 165 mm) shrinks them too, by the square
     * root of its share, to half at most: a phone-width map keeps room between them. */
    c.radius_max_mm *= fmin(1, fmax(0.5, sqrt(c.area.w_mm * c.area.h_mm / (175.0 * 165.0))));
    if (start_scene(&c) != BM_OK || bm_carto_assign_palette(&c) != BM_OK)
        goto fail;
    for (size_t i = 0; i < in->n_panels; i++)
        if (add_map_panel(&c, i) != BM_OK)
            goto fail;
    /* The header and footer first: the legend runs down to the attribution. */
    if (bm_carto_add_header_footer(&c) != BM_OK || bm_carto_add_legend(&c) != BM_OK ||
        bm_carto_describe(&c) != BM_OK)
        goto fail;
    warn_about_labels(in, &c.labels);
    *n_callouts = c.labels.n_callouts;
    bm_labels_release(&c.labels);
    bm_canvas_release(&c.cv);
    free(c.palette);
    return s;
fail:
    *n_callouts = c.labels.n_callouts;
    bm_labels_release(&c.labels);
    bm_canvas_release(&c.cv);
    free(c.palette);
    bm_scene_free(s);
    return NULL;
}

bm_scene *bm_layout_build(const bm_layout_input *in, bm_error *err) {
    size_t n_callouts = 0;
    bm_scene *s = build(in, true, &n_callouts, err);
    /* Numbered labels lengthen the legend: when that is what made it overflow, lay out again
     * with every label in place, overlapping, as the warning then says. */
    if (s == NULL && n_callouts > 0 && err->status == BM_ERR_INVALID) {
        bm_error retry = {0};
        s = build(in, false, &n_callouts, &retry);
        if (s != NULL)
            *err = (bm_error){0};
        else
            *err = retry;
    }
    return s;
}
