/* SPDX-License-Identifier: MIT */
/* Map furniture: scale bar, locator inset, panel frames and titles, title and attribution, the
 * notes under the legend, and the description kept as file metadata. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "carto/carto.h"
#include "carto/wording.h"

bm_status bm_carto_add_par(bm_carto *c, const char *role, const char *text, double size_pt,
                           bm_text_weight weight, bool is_italic, double x, double *y, double width,
                           uint32_t rgba, double space_after, double *h_mm) {
    const bm_text_spec sp = bm_canvas_spec(size_pt, weight, is_italic, width);
    double h;
    if (bm_canvas_text(&c->cv, role, "", text, &sp, x, *y, rgba, false, &h) != BM_OK)
        return c->cv.err->status;
    *y += h + space_after;
    if (h_mm != NULL)
        *h_mm = h;
    return BM_OK;
}

bm_status bm_carto_add_scale_bar(bm_carto *c) {
    const bm_frame *fr = bm_view_frame(c->view);
    const double mm_per_km = bm_view_mm_per_metre(c->view) * 1000;
    static const double nice_km[] = {10, 20, 25, 50, 100, 150, 200, 250, 500, 1000};
    double km = nice_km[0];
    for (size_t i = 0; i < sizeof nice_km / sizeof nice_km[0]; i++)
        if (nice_km[i] * mm_per_km <= fr->w_mm / 5)
            km = nice_km[i];
    const double len = km * mm_per_km;
    const uint32_t ink = c->in->style->text_rgba;
    char label[64];
    snprintf(label, sizeof label, "%g km", km);
    const bm_text_spec sp = bm_canvas_spec(c->in->style->note_pt, BM_TEXT_REGULAR, false, 0);
    double w, h;
    bm_canvas_measure(&c->cv, label, &sp, &w, &h);
    /* The first corner whose box holds no circle or label: bottom left, then the others. */
    const double box_w = len + 1.5 + w + 4, box_h = h + 3;
    const double xs[2] = {fr->x_mm + 3, fr->x_mm + fr->w_mm - 3 - box_w};
    const double ys[2] = {fr->y_mm + fr->h_mm - 3 - box_h, fr->y_mm + 3};
    bm_box where = {0, 0, 0, 0};
    int k = 0;
    for (; k < 4; k++) {
        where = (bm_box){xs[k % 2], ys[k / 2], xs[k % 2] + box_w, ys[k / 2] + box_h};
        if (bm_canvas_is_free(&c->cv, &where, NULL))
            break;
    }
    if (k == 4)
        return BM_OK; /* every corner holds data: the map goes without a scale bar */
    const double x0 = where.x0 + 2, y0 = where.y0 + h / 2 + 1.8;
    bm_mark bg = bm_mark_of(BM_MARK_RECT, "scale-bg", "");
    bg.x_mm = x0 - 2;
    bg.y_mm = y0 - h / 2 - 1.8;
    bg.w_mm = box_w;
    bg.h_mm = box_h;
    bg.fill_rgba = (c->in->style->halo_rgba & 0xFFFFFF00u) | 0xB3u;
    bm_canvas *cv = &c->cv;
    if (bm_canvas_add(cv, &bg, NULL) != BM_OK ||
        bm_canvas_line(cv, "scale-bar", label, x0, y0, x0 + len, y0, ink, 0.5, 0) != BM_OK ||
        bm_canvas_line(cv, "scale-bar", label, x0, y0 - 1.2, x0, y0 + 0.25, ink, 0.4, 0) != BM_OK ||
        bm_canvas_line(cv, "scale-bar", label, x0 + len, y0 - 1.2, x0 + len, y0 + 0.25, ink, 0.4,
                       0) != BM_OK ||
        bm_canvas_line(cv, "scale-bar", label, x0 + len / 2, y0 - 0.8, x0 + len / 2, y0 + 0.25, ink,
                       0.3, 0) != BM_OK ||
        bm_canvas_text(cv, "scale-label", "", label, &sp, x0 + len + 1.5, y0 - h / 2 - 0.3, ink,
                       false, NULL) != BM_OK)
        return cv->err->status;
    return bm_canvas_keep_clear(cv, where.x0, where.y0, where.x1, where.y1);
}

/* Pakistan and its neighbours, for the locator inset. */
static const bm_extent inset_extent = {60.0, 23.3, 78.2, 37.2};

/* A locator map of Pakistan in a corner of the frame that holds no marks, with the main map's
 * extent outlined. Left out when every corner is taken: it must never cover data. */
bm_status bm_carto_add_inset(bm_carto *c) {
    const bm_frame *fr = bm_view_frame(c->view);
    const double w = fmin(fr->w_mm * 0.27, 52), h = w * 0.85, pad = 2.5;
    const double corners[4][2] = {{fr->x_mm + fr->w_mm - w - pad, fr->y_mm + pad},
                                  {fr->x_mm + pad, fr->y_mm + pad},
                                  {fr->x_mm + fr->w_mm - w - pad, fr->y_mm + fr->h_mm - h - pad},
                                  {fr->x_mm + pad, fr->y_mm + fr->h_mm - h - pad}};
    size_t k = 0;
    for (; k < 4; k++) {
        const bm_box b = {corners[k][0] - 1, corners[k][1] - 1, corners[k][0] + w + 1,
                          corners[k][1] + h + 1};
        if (bm_canvas_is_free(&c->cv, &b, NULL))
            break;
    }
    if (k == 4)
        return BM_OK;
    const bm_frame inset_frame = {corners[k][0], corners[k][1], w, h};
    bm_error ignored = {0};
    bm_view *iv = bm_view_new(BM_VIEW_DEFAULT_PROJ, &inset_extent, &inset_frame, &ignored);
    if (iv == NULL)
        return BM_OK; /* a locator is a nicety: the map stands without it */
    const bm_view *main_view = c->view;
    c->view = iv;
    c->stroke_scale = 0.5;
    bm_status st = bm_carto_add_basemap(c);
    c->view = main_view;
    c->stroke_scale = 1;
    /* The main map's frame, which is a rectangle in the inset too: same projection. */
    double mx0, my0, ix0, iy0;
    bm_view_origin_m(main_view, &mx0, &my0);
    bm_view_origin_m(iv, &ix0, &iy0);
    const double k_main = bm_view_mm_per_metre(main_view), k_inset = bm_view_mm_per_metre(iv);
    bm_view_free(iv);
    if (st != BM_OK)
        return st;
    bm_mark r = bm_mark_of(BM_MARK_RECT, "inset-extent", "");
    r.x_mm = inset_frame.x_mm + (mx0 - ix0) * k_inset;
    r.y_mm = inset_frame.y_mm + (iy0 - my0) * k_inset;
    r.w_mm = fr->w_mm / k_main * k_inset;
    r.h_mm = fr->h_mm / k_main * k_inset;
    r.stroke_rgba = c->in->style->inset_extent_rgba;
    r.stroke_mm = 0.4;
    r.is_clipped = true;
    r.clip = inset_frame;
    bm_mark f = bm_mark_of(BM_MARK_RECT, "inset-frame", "");
    f.x_mm = inset_frame.x_mm;
    f.y_mm = inset_frame.y_mm;
    f.w_mm = inset_frame.w_mm;
    f.h_mm = inset_frame.h_mm;
    f.stroke_rgba = c->in->style->frame_rgba;
    f.stroke_mm = 0.3;
    if (bm_canvas_add(&c->cv, &r, NULL) != BM_OK || bm_canvas_add(&c->cv, &f, NULL) != BM_OK)
        return c->cv.err->status;
    return bm_canvas_keep_clear(&c->cv, inset_frame.x_mm - 1, inset_frame.y_mm - 1,
                                inset_frame.x_mm + w + 1, inset_frame.y_mm + h + 1);
}

bm_status bm_carto_add_frame(bm_carto *c) {
    const bm_panel *p = c->panel;
    const bm_frame *fr = bm_view_frame(p->view);
    bm_mark frame = bm_mark_of(BM_MARK_RECT, "frame", p->title ? p->title : "");
    frame.x_mm = fr->x_mm;
    frame.y_mm = fr->y_mm;
    frame.w_mm = fr->w_mm;
    frame.h_mm = fr->h_mm;
    frame.stroke_rgba = c->in->style->frame_rgba;
    frame.stroke_mm = 0.3;
    if (bm_canvas_add(&c->cv, &frame, NULL) != BM_OK)
        return c->cv.err->status;
    if (p->title != NULL) {
        const bm_style *st = c->in->style;
        const bm_text_spec sp = bm_canvas_spec(st->legend_pt * 1.15, BM_TEXT_BOLD, false, fr->w_mm);
        double w, h;
        bm_canvas_measure(&c->cv, p->title, &sp, &w, &h);
        const uint32_t rgba = p->source >= 0
                                  ? bm_carto_source_style(c, (size_t)p->source)->label_rgba
                                  : st->text_rgba;
        if (bm_canvas_text(&c->cv, "panel-title", p->title, p->title, &sp, fr->x_mm,
                           fr->y_mm - h - 0.6, rgba, false, NULL) != BM_OK)
            return c->cv.err->status;
    }
    return BM_OK;
}

bm_status bm_carto_add_header_footer(bm_carto *c) {
    const bm_layout_input *in = c->in;
    const bm_style *st = in->style;
    const double x = st->margin_mm, w = in->page_w_mm - 2 * st->margin_mm;
    const char *title = in->title ? in->title : bm_incidents_title(in->incidents);
    const char *sub = in->subtitle ? in->subtitle : bm_incidents_subtitle(in->incidents);
    /* Title and subtitle wrap; when they would run into the map area (which holds the panels'
     * titles too), they are set smaller, down to 70%, and refused beyond. */
    const size_t n_marks = bm_scene_n_marks(c->cv.scene), n_boxes = c->cv.n_boxes;
    const double room_bottom = c->area.y_mm - 1;
    double y = 0;
    for (int k = 0; k < 4; k++) {
        const double scale = 1 - 0.1 * k;
        bm_scene_truncate(c->cv.scene, n_marks);
        c->cv.n_boxes = n_boxes;
        y = st->margin_mm - 1;
        if (bm_carto_add_par(c, "title", title, st->title_pt * scale, BM_TEXT_BOLD, false, x, &y, w,
                             st->text_rgba, 0.6, NULL) != BM_OK)
            return c->cv.err->status;
        if (sub && bm_carto_add_par(c, "subtitle", sub, st->subtitle_pt * scale, BM_TEXT_REGULAR,
                                    false, x, &y, w, st->muted_text_rgba, 0, NULL) != BM_OK)
            return c->cv.err->status;
        if (y <= room_bottom)
            break;
    }
    if (y > room_bottom) {
        bm_error_set(c->cv.err, BM_ERR_INVALID,
                     "the title and subtitle run %.1f mm into the map even set at 70%%",
                     y - room_bottom);
        bm_error_hint(c->cv.err, "shorten the title (--title) or the subtitle, or make the "
                                 "page wider");
        return c->cv.err->status;
    }
    /* Footer: the attribution, always. bm_layout_frame leaves two lines for it (or the room a
     * print page measured for it, style.h): a longer one is set smaller to fit. */
    bm_text_spec sp = bm_canvas_spec(st->attribution_pt, BM_TEXT_REGULAR, false, w);
    const double room_mm =
        fmax(st->attribution_pt * BM_PT_MM * 1.3 * 2, st->attribution_h_mm) + 0.5;
    double aw, ah;
    bm_canvas_measure(&c->cv, in->attribution, &sp, &aw, &ah);
    for (int k = 0; k < 4 && ah > room_mm; k++) {
        sp.size_pt *= 0.9;
        bm_canvas_measure(&c->cv, in->attribution, &sp, &aw, &ah);
    }
    c->footer_top_mm = in->page_h_mm - st->margin_mm - ah;
    return bm_canvas_text(&c->cv, "attribution", "", in->attribution, &sp, x, c->footer_top_mm,
                          st->muted_text_rgba, false, NULL);
}

bm_status bm_carto_add_notes(bm_carto *c, const bm_style *st, double x, double *y, double w) {
    const bm_layout_input *in = c->in;
    /* How vague words were read, whenever one is on the map or in the lists. */
    bool has_vague = false;
    for (size_t i = 0; i < in->n_claims; i++)
        has_vague |= in->claims[i].claim->value.is_vague_word;
    if (has_vague &&
        bm_carto_add_par(c, "note", bm_words_vague_note(in->lang), st->note_pt, BM_TEXT_REGULAR,
                         true, x, y, w, st->muted_text_rgba, 1.2, NULL) != BM_OK)
        return c->cv.err->status;
    /* Urdu place names: how many had none cited and are in English (--labels ur, en+ur). */
    if (in->names != BM_NAMES_EN && in->n_names_fallback > 0) {
        char n[32], total[32], text[1024];
        bm_words_number(in->lang, (int64_t)in->n_names_fallback, n, sizeof n);
        bm_words_number(in->lang, (int64_t)in->n_places, total, sizeof total);
        bm_words_fill(bm_words_plural(in->lang, "names.fallback", (int64_t)in->n_names_fallback),
                      text, sizeof text, "n", n, "total", total, (char *)NULL);
        if (bm_carto_add_par(c, "note", text, st->note_pt, BM_TEXT_REGULAR, true, x, y, w,
                             st->muted_text_rgba, 1.2, NULL) != BM_OK)
            return c->cv.err->status;
    }
    /* The file's notes. */
    for (size_t i = 0; i < bm_incidents_n_notes(in->incidents); i++)
        if (bm_carto_add_par(c, "note", bm_incidents_note(in->incidents, i), st->note_pt,
                             BM_TEXT_REGULAR, true, x, y, w, st->muted_text_rgba, 1.2,
                             NULL) != BM_OK)
            return c->cv.err->status;
    return BM_OK;
}

bm_status bm_carto_describe(bm_carto *c) {
    bm_buf d = BM_BUF_INIT(1 << 16);
    const bm_layout_input *in = c->in;
    bm_buf_printf(&d, "%s", bm_words_tr(in->lang, BM_WORDS_DESCRIPTION));
    size_t last = SIZE_MAX; /* the last item ends the sentence ("." not ";") */
    for (size_t i = 0; i < in->n_claims; i++)
        if (in->claims[i].is_drawn)
            last = i;
    for (size_t i = 0; i < in->n_claims; i++) {
        const bm_claim *cl = in->claims[i].claim;
        if (!in->claims[i].is_drawn)
            continue;
        char head[1024];
        bm_words_headline(in->lang, cl, head, sizeof head);
        char item[1536];
        const char *key = i == last ? "description.last" : "description.item";
        const char *tmpl = bm_words_tr(in->lang, key);
        bm_words_fill(strcmp(tmpl, key) != 0 ? tmpl
                      : i == last            ? " {source}: {claim}."
                                             : " {source}: {claim};",
                      item, sizeof item, "source",
                      bm_incidents_source(in->incidents, cl->source)->label, "claim", head,
                      (char *)NULL);
        bm_buf_appends(&d, item);
    }
    const bm_status st = bm_scene_set_description(c->cv.scene, bm_buf_str(&d));
    bm_buf_free(&d);
    return st == BM_OK ? BM_OK : bm_error_set(c->cv.err, BM_ERR_NOMEM, "out of memory");
}
