/* SPDX-License-Identifier: MIT */
#include "html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carto/wording.h"
#include "svg.h"

/* No request of any kind (styles and script are inline); links still open when followed. */
static const char csp[] = "default-src 'none'; style-src 'unsafe-inline'; "
                          "script-src 'unsafe-inline'; img-src data:";

static const char css[] =
    "body{font-family:'Noto Sans',sans-serif;color:#1f1f1f;line-height:1.45;margin:0 auto;"
    "max-width:1200px;padding:1em}\n"
    "h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:1.4em 0 .4em}\n"
    "h3{font-size:1em;margin:.9em 0 .3em}p{margin:.3em 0}\n"
    /* the map draws the title; the page keeps it as its heading for screen readers */
    ".sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);"
    "white-space:nowrap}\n"
    "figure{position:relative;margin:1em 0}\n"
    "figure svg{display:block;width:100%;height:auto}\n"
    "figcaption{font-size:.85em;color:#5e5a55}\n"
    ".claim{cursor:pointer}\n"
    ".claim:focus,.claim:hover{outline:none;stroke:#000;stroke-width:.6}\n"
    "#page-tip{position:absolute;z-index:2;max-width:26em;background:#fff;border:1px solid #888;"
    "border-radius:4px;padding:.5em .7em;box-shadow:0 2px 8px rgba(0,0,0,.3);font-size:.85em}\n"
    "#page-tip dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:.15em .7em}\n"
    "#page-tip dt{font-weight:bold}#page-tip dd{margin:0}\n"
    ".swatch{display:inline-block;width:.85em;height:.85em;border-radius:50%;"
    "margin-right:.4em;vertical-align:-.1em}\n"
    ".lines{white-space:pre-line}\n"
    ".muted{color:#5e5a55;font-style:italic}\n"
    ".table-wrap{overflow-x:auto}\n"
    "table{border-collapse:collapse;width:100%;font-size:.88em}\n"
    "caption{text-align:left;color:#5e5a55;padding-bottom:.4em}\n"
    "th,td{border-bottom:1px solid #ddd;padding:.3em .45em;text-align:left;vertical-align:top}\n"
    "td.num,td.date{text-align:right;white-space:nowrap}\n"
    "th button{font:inherit;font-weight:bold;background:none;border:0;padding:0;"
    "cursor:pointer;color:inherit}\n"
    "th[aria-sort=ascending] button::after{content:' \\25B2'}\n"
    "th[aria-sort=descending] button::after{content:' \\25BC'}\n"
    "tr:target,tr.current{background:#fff3c4}\n"
    "q{font-style:italic}\n";

/* A page with a narrow copy of its map (html.h) shows it, edge to edge, under
 * BM_HTML_NARROW_PX (%d: that width less one). */
static const char narrow_css[] =
    ".map-narrow{display:none}\n"
    "@media (max-width:%dpx){.map-wide{display:none}.map-narrow{display:block}\n"
    "#page-map.has-narrow{margin-left:-1em;margin-right:-1em}"
    "#page-map.has-narrow figcaption{padding:0 1em}\n"
    ".map-narrow svg{max-width:36em;margin:0 auto}}\n";

/* Tooltips are filled from the claim's row of the table, so each fact is written once. */
static const char script[] =
    "(function () {\n"
    "  'use strict';\n"
    "  var tip = document.getElementById('page-tip');\n"
    "  var fig = document.getElementById('page-map');\n"
    "  var table = document.getElementById('page-claims');\n"
    "  var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {\n"
    "    return th.textContent;\n"
    "  });\n"
    "  function rowOf(id) {\n"
    "    var rows = table.tBodies[0].rows;\n"
    "    for (var i = 0; i < rows.length; i++)\n"
    "      if (rows[i].getAttribute('data-claim') === id) return rows[i];\n"
    "    return null;\n"
    "  }\n"
    "  function show(el) {\n"
    "    var row = rowOf(el.getAttribute('data-claim'));\n"
    "    if (!row) return;\n"
    "    var dl = document.createElement('dl');\n"
    "    Array.prototype.forEach.call(row.cells, function (td, i) {\n"
    "      if (td.hasAttribute('data-no-tip') || td.textContent.trim() === '') return;\n"
    "      var dt = document.createElement('dt'), dd = document.createElement('dd');\n"
    "      dt.textContent = heads[i];\n"
    "      Array.prototype.forEach.call(td.childNodes, function (n) {\n"
    "        dd.appendChild(n.cloneNode(true));\n"
    "      });\n"
    "      dl.appendChild(dt);\n"
    "      dl.appendChild(dd);\n"
    "    });\n"
    "    tip.textContent = '';\n"
    "    tip.appendChild(dl);\n"
    "    tip.hidden = false;\n"
    "    var f = fig.getBoundingClientRect(), b = el.getBoundingClientRect();\n"
    "    var x = b.right - f.left + 8, y = Math.max(0, b.top - f.top);\n"
    "    if (x + tip.offsetWidth > f.width) x = Math.max(0, b.left - f.left - tip.offsetWidth - "
    "8);\n"
    "    tip.style.left = x + 'px';\n"
    "    tip.style.top = y + 'px';\n"
    "    el.setAttribute('aria-describedby', 'page-tip');\n"
    "  }\n"
    "  function hide() { tip.hidden = true; }\n"
    /* A tap (touch or pen) pins the tooltip until a tap elsewhere: a touch screen sends
     * mouseleave right after the tap, which hid it at once (audit, Chromium touch emulation). */
    "  var pinned = null;\n"
    "  document.addEventListener('pointerdown', function (e) {\n"
    "    if (pinned && !pinned.contains(e.target) && !tip.contains(e.target)) {\n"
    "      pinned = null;\n"
    "      hide();\n"
    "    }\n"
    "  }, true);\n"
    "  Array.prototype.forEach.call(fig.querySelectorAll('.claim'), function (el) {\n"
    "    el.addEventListener('focus', function () { show(el); });\n"
    "    el.addEventListener('mouseenter', function () { show(el); });\n"
    "    el.addEventListener('pointerdown', function (e) {\n"
    "      if (e.pointerType !== 'mouse') { pinned = el; show(el); }\n"
    "    });\n"
    "    el.addEventListener('blur', function () { if (!pinned) hide(); });\n"
    "    el.addEventListener('mouseleave', function () {\n"
    "      if (document.activeElement !== el && !pinned) hide();\n"
    "    });\n"
    "  });\n"
    "  document.addEventListener('keydown', function (e) {\n"
    "    if (e.key === 'Escape') { pinned = null; hide(); }\n"
    "  });\n"
    "  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {\n"
    "    var btn = th.querySelector('button');\n"
    "    if (!btn) return;\n"
    "    btn.addEventListener('click', function () {\n"
    "      var asc = th.getAttribute('aria-sort') !== 'ascending';\n"
    "      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {\n"
    "        h.removeAttribute('aria-sort');\n"
    "      });\n"
    "      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');\n"
    "      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);\n"
    "      function key(r) {\n"
    "        var c = r.cells[col];\n"
    "        return c.hasAttribute('data-sort') ? Number(c.getAttribute('data-sort'))\n"
    "                                           : c.textContent.trim().toLowerCase();\n"
    "      }\n"
    "      rows.sort(function (a, b) {\n"
    "        var x = key(a), y = key(b), d = x < y ? -1 : x > y ? 1 : 0;\n"
    "        return asc ? d : -d;\n"
    "      });\n"
    "      rows.forEach(function (r) { body.appendChild(r); });\n"
    "    });\n"
    "  });\n"
    "})();\n";

typedef struct writer {
    bm_buf *out;
    bm_status st;
} writer;

static void put(writer *w, const char *s) {
    if (w->st == BM_OK)
        w->st = bm_buf_appends(w->out, s);
}

static void put_esc(writer *w, const char *s) {
    if (w->st == BM_OK)
        w->st = bm_svg_escape(w->out, s);
}

static void put_color(writer *w, uint32_t rgba) {
    char buf[16];
    snprintf(buf, sizeof buf, "#%06x", (unsigned)(rgba >> 8));
    put(w, buf);
}

static bool role_is(const bm_mark *m, const char *role) {
    return m->role != NULL && strcmp(m->role, role) == 0;
}

static bool is_rtl_page(const bm_lang *lang) {
    return lang != NULL && bm_lang_is_rtl(lang);
}

/* The file's words (a name, a place, a quote's source): on a right-to-left page isolated in
 * <bdi>, so that "Quetta، Mastung" lists right to left and a name's punctuation stays with it. */
static void put_data(writer *w, const char *s, bool is_rtl) {
    put(w, is_rtl ? "<bdi>" : "");
    put_esc(w, s);
    put(w, is_rtl ? "</bdi>" : "");
}

/* One of the page's own words from the message file (html.* keys), English without one. */
static const char *word(const bm_lang *lang, const char *key, const char *en) {
    const char *t = lang != NULL ? bm_words_tr(lang, key) : NULL;
    return t != NULL && strcmp(t, key) != 0 ? t : en;
}

/* The scene's wording, in its order: the legend layer's text (with the source colours as
 * swatches; the size key's numbers on one line), then the notes layer's. */
static void put_legend(writer *w, const bm_scene *scene, const bm_lang *lang) {
    const char *dir = is_rtl_page(lang) ? " dir=\"auto\"" : "";
    uint32_t swatch = 0;
    bool in_sizes = false;
    put(w, "<section id=\"page-legend\" aria-labelledby=\"page-legend-h\">\n"
           "<h2 id=\"page-legend-h\">");
    put_esc(w, word(lang, "html.legend", "Legend"));
    put(w, "</h2>\n");
    for (size_t i = 0; i < bm_scene_n_marks(scene); i++) {
        const bm_mark *m = bm_scene_mark(scene, i);
        if (strcmp(bm_svg_layer_of(m->role, m->kind == BM_MARK_TEXT), "legend") != 0)
            continue;
        if (m->kind != BM_MARK_TEXT) {
            if (role_is(m, "legend-source"))
                swatch = m->fill_rgba;
            continue;
        }
        if (role_is(m, "legend-size-label")) {
            if (in_sizes) {
                put_esc(w, word(lang, "punct.comma", ", "));
            } else {
                put(w, "<p>");
                put_esc(w, word(lang, "html.sizes", "Circle sizes shown in the key:"));
                put(w, " ");
            }
            put_esc(w, m->text);
            in_sizes = true;
            continue;
        }
        if (in_sizes)
            put(w, "</p>\n");
        in_sizes = false;
        if (role_is(m, "legend-heading")) {
            put(w, "<h3");
            put(w, dir);
            put(w, ">");
            put_esc(w, m->text);
            put(w, "</h3>\n");
        } else if (role_is(m, "legend-source-label") && (swatch & 0xFF) != 0) {
            put(w, "<p><span class=\"swatch\" style=\"background:");
            put_color(w, swatch);
            put(w, "\"></span>");
            put_data(w, m->text, is_rtl_page(lang));
            swatch = 0;
        } else if (role_is(m, "legend-source-kind")) {
            put(w, " <span class=\"muted\">(");
            put_esc(w, m->text);
            put(w, ")</span></p>\n");
        } else {
            put(w, "<p class=\"lines\"");
            put(w, dir);
            put(w, ">");
            put_esc(w, m->text);
            put(w, "</p>\n");
        }
    }
    if (in_sizes)
        put(w, "</p>\n");
    put(w, "</section>\n");
}

static void put_notes(writer *w, const bm_scene *scene, const bm_lang *lang) {
    put(w, "<section id=\"page-notes\" aria-labelledby=\"page-notes-h\">\n"
           "<h2 id=\"page-notes-h\">");
    put_esc(w, word(lang, "html.notes", "Notes"));
    put(w, "</h2>\n");
    for (size_t i = 0; i < bm_scene_n_marks(scene); i++) {
        const bm_mark *m = bm_scene_mark(scene, i);
        if (m->kind != BM_MARK_TEXT || !(role_is(m, "note") || role_is(m, "attribution")))
            continue;
        put(w, role_is(m, "note") ? "<p" : "<p class=\"muted\"");
        put(w, is_rtl_page(lang) ? " dir=\"auto\">" : ">");
        put_esc(w, m->text);
        put(w, "</p>\n");
    }
    put(w, "</section>\n");
}

static bool is_drawn(const bm_scene *scene, const char *claim_id) {
    for (size_t i = 0; i < bm_scene_n_marks(scene); i++) {
        const bm_mark *m = bm_scene_mark(scene, i);
        if (role_is(m, "claim") && m->ref != NULL && strcmp(m->ref, claim_id) == 0)
            return true;
    }
    return false;
}

static void put_claim_row(writer *w, const bm_scene *scene, const bm_incidents *inc,
                          const bm_lang *lang, const bm_claim *c) {
    const bm_source *src = bm_incidents_source(inc, c->source);
    const bool is_rtl = is_rtl_page(lang);
    char value[96], num[32];
    if (lang != NULL)
        bm_words_value(lang, &c->value, value, sizeof value);
    else
        bm_value_format(&c->value, value, sizeof value);
    put(w, "<tr data-claim=\"");
    put_esc(w, c->id);
    put(w, "\"><td>");
    put_data(w, src->label, is_rtl);
    if (src->name != NULL && strcmp(src->name, src->label) != 0) {
        put(w, "<br><span class=\"muted\">");
        put_data(w, src->name, is_rtl);
        put(w, "</span>");
    }
    /* sorted by the lower bound; a claim without a figure sorts first */
    snprintf(num, sizeof num, "%lld",
             c->value.kind == BM_VALUE_NONE ? -1LL : (long long)c->value.min);
    put(w, "</td><td class=\"num\" data-sort=\"");
    put(w, num);
    put(w, "\">");
    put_esc(w, c->value.kind == BM_VALUE_NONE ? word(lang, "html.no_figure", "no figure") : value);
    put(w, "</td><td>");
    char key[64];
    snprintf(key, sizeof key, "measure.%s", bm_quantity_name(c->what));
    put_esc(w, word(lang, key, bm_quantity_name(c->what)));
    put(w, "</td><td>");
    if (c->object != NULL && c->who == BM_PARTY_UNSPECIFIED) {
        put_data(w, c->object, is_rtl); /* the file's own word: "vehicles" */
    } else {
        char who[256];
        bm_words_who(lang, c->who, who, sizeof who);
        put_esc(w, who);
    }
    put(w, "</td><td>");
    for (size_t k = 0; k < c->n_places; k++) {
        if (k > 0)
            put_esc(w, word(lang, "punct.comma", ", "));
        put_data(w, c->places[k].name, is_rtl);
    }
    put(w, "</td><td class=\"date\">");
    put_esc(w, c->claimed_on);
    put(w, "</td><td>");
    if (c->reported_by != NULL)
        put_data(w, c->reported_by, is_rtl);
    put(w, "</td><td>");
    if (c->quote != NULL) {
        put(w, is_rtl ? "<q dir=\"auto\">" : "<q>");
        put_esc(w, c->quote);
        put(w, "</q>");
    }
    /* The file's notes on the claim and on its source say how to read the figure ("includes
     * three suicide attackers"): in the cell, so in the tooltip too (the audit found them
     * nowhere on the page). */
    const char *const notes[2][2] = {{"html.claim_note", c->note}, {"html.source_note", src->note}};
    for (size_t k = 0; k < 2; k++) {
        if (notes[k][1] == NULL || notes[k][1][0] == '\0')
            continue;
        put(w, c->quote != NULL || k > 0 ? "<br><span class=\"muted\">" : "<span class=\"muted\">");
        put_esc(w, word(lang, notes[k][0], k == 0 ? "Note:" : "About the source:"));
        put(w, "</span> ");
        put_data(w, notes[k][1], is_rtl);
    }
    put(w, "</td><td>");
    if (c->url != NULL) {
        put(w, "<a href=\"");
        put_esc(w, c->url);
        put(w, is_rtl ? "\" rel=\"noopener noreferrer\" dir=\"ltr\">"
                      : "\" rel=\"noopener noreferrer\">");
        put_esc(w, c->url);
        put(w, "</a>");
    } else if (src->url != NULL) {
        put(w, "<a href=\"");
        put_esc(w, src->url);
        put(w, is_rtl ? "\" rel=\"noopener noreferrer\" dir=\"ltr\">"
                      : "\" rel=\"noopener noreferrer\">");
        put_esc(w, src->url);
        put(w, "</a> <span class=\"muted\">");
        put_esc(w, word(lang, "html.the_source", "(the source)"));
        put(w, "</span>");
    }
    put(w, "</td><td data-no-tip>");
    put_esc(w, is_drawn(scene, c->id) ? word(lang, "html.drawn", "circle")
                                      : word(lang, "html.not_drawn", "no"));
    put(w, "</td></tr>\n");
}

static void put_table(writer *w, const bm_scene *scene, const bm_incidents *inc,
                      const bm_lang *lang) {
    static const char *const heads[][2] = {{"html.head.source", "Source"},
                                           {"html.head.figure", "Figure"},
                                           {"html.head.measure", "Measure"},
                                           {"html.head.who", "Who"},
                                           {"html.head.places", "Places"},
                                           {"html.head.claimed_on", "Claimed on"},
                                           {"html.head.relayed_by", "Relayed by"},
                                           {"html.head.quote", "Quote and notes"},
                                           {"html.head.link", "Link"},
                                           {"html.head.on_map", "On the map"}};
    size_t n = 0;
    for (size_t i = 0; inc != NULL && i < bm_incidents_n_incidents(inc); i++)
        n += bm_incidents_incident(inc, i)->n_claims;
    put(w, "<section aria-labelledby=\"page-claims-h\">\n<h2 id=\"page-claims-h\">");
    put_esc(w, word(lang, "html.every_claim", "Every claim"));
    put(w, "</h2>\n<div class=\"table-wrap\"><table id=\"page-claims\">\n<caption>");
    char buf[512], num[32];
    if (lang != NULL) {
        bm_words_number(lang, (int64_t)n, num, sizeof num);
        bm_words_fill(bm_words_plural(lang, "html.caption", (int64_t)n), buf, sizeof buf, "n", num,
                      (char *)NULL);
    } else {
        snprintf(buf, sizeof buf,
                 "%zu claim%s, as each source made %s; none is independently verified. Sort by "
                 "a column with its heading.",
                 n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
    }
    put_esc(w, buf);
    put(w, "</caption>\n<thead><tr>");
    for (size_t k = 0; k < sizeof heads / sizeof *heads; k++) {
        put(w, "<th scope=\"col\"><button type=\"button\">");
        put_esc(w, word(lang, heads[k][0], heads[k][1]));
        put(w, "</button></th>");
    }
    put(w, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; inc != NULL && i < bm_incidents_n_incidents(inc); i++) {
        const bm_incident *in = bm_incidents_incident(inc, i);
        for (size_t k = 0; k < in->n_claims; k++)
            put_claim_row(w, scene, inc, lang, &in->claims[k]);
    }
    put(w, "</tbody></table></div>\n</section>\n");
}

bm_status bm_html_write(const bm_scene *scene, bm_text *text, const bm_html_options *opts,
                        bm_buf *out, bm_error *err) {
    writer w = {out, BM_OK};
    const bm_incidents *inc = opts->incidents;
    const bm_lang *lang = opts->lang;
    put(&w, "<!DOCTYPE html>\n<html lang=\"");
    put_esc(&w, word(lang, "lang.code", "en"));
    put(&w, lang != NULL && bm_lang_is_rtl(lang) ? "\" dir=\"rtl\">\n" : "\">\n");
    put(&w, "<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"");
    put(&w, csp);
    put(&w, "\">\n");
    if (opts->creator != NULL) {
        put(&w, "<meta name=\"generator\" content=\"");
        put_esc(&w, opts->creator);
        put(&w, "\">\n");
    }
    put(&w, "<title>");
    put_esc(&w, bm_scene_title(scene));
    put(&w, "</title>\n<style>\n");
    put(&w, css);
    if (opts->narrow != NULL) {
        char media[sizeof narrow_css + 16];
        snprintf(media, sizeof media, narrow_css, BM_HTML_NARROW_PX - 1);
        put(&w, media);
    }
    put(&w, "</style>\n</head>\n<body>\n<main>\n<h1 class=\"sr-only\">");
    put_esc(&w, bm_scene_title(scene));
    put(&w, "</h1>\n");
    /* The map keeps its own left-to-right geometry on a right-to-left page (CSS direction
     * would flip the anchors of its text); its caption reads in the page's direction. */
    const bool is_rtl = lang != NULL && bm_lang_is_rtl(lang);
    put(&w, "<figure id=\"page-map\"");
    put(&w, opts->narrow != NULL ? " class=\"has-narrow\"" : "");
    put(&w, is_rtl ? " dir=\"ltr\">\n" : ">\n");
    put(&w, opts->narrow != NULL ? "<div class=\"map-wide\">\n" : "");
    if (w.st != BM_OK)
        return bm_error_set(err, w.st, "out of memory");
    const bm_svg_options svg_opts = {inc, true, lang, NULL};
    if (bm_svg_write(scene, text, &svg_opts, out, err) != BM_OK)
        return err->status;
    if (opts->narrow != NULL) {
        /* the narrow copy's ids start with "n-": one page, two maps */
        const bm_svg_options narrow_opts = {inc, true, lang, "n-"};
        put(&w, "</div>\n<div class=\"map-narrow\">\n");
        if (w.st != BM_OK)
            return bm_error_set(err, w.st, "out of memory");
        if (bm_svg_write(opts->narrow, text, &narrow_opts, out, err) != BM_OK)
            return err->status;
        put(&w, "</div>\n");
    }
    put(&w, is_rtl ? "<div id=\"page-tip\" role=\"tooltip\" dir=\"rtl\" hidden></div>\n"
                     "<figcaption dir=\"rtl\">"
                   : "<div id=\"page-tip\" role=\"tooltip\" hidden></div>\n<figcaption>");
    put_esc(&w, word(lang, "html.how_to",
                     "Focus a circle (Tab) or point at it for the claim's source, figure, places, "
                     "date and quote."));
    put(&w, " ");
    put_esc(&w, bm_scene_description(scene));
    put(&w, "</figcaption>\n</figure>\n");
    put_legend(&w, scene, lang);
    put_table(&w, scene, inc, lang);
    put_notes(&w, scene, lang);
    put(&w, "</main>\n<script>\n");
    put(&w, script);
    put(&w, "</script>\n</body>\n</html>\n");
    if (w.st != BM_OK)
        return bm_error_set(err, w.st, "out of memory");
    return BM_OK;
}
