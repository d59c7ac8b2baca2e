/* SPDX-License-Identifier: MIT */
#include "svg.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carto/wording.h"

/* ---- writing ------------------------------------------------------------------------------ */

typedef struct writer {
    bm_buf *out;
    bm_status st; /* sticky: the first failure */
} writer;

static void put(writer *w, const char *s) {
    if (w->st == BM_OK)
        w->st = bm_buf_appends(w->out, s);
}

static void put_escaped(writer *w, const char *s) {
    if (w->st == BM_OK)
        w->st = bm_svg_escape(w->out, s);
}

static void put_escaped_n(writer *w, const char *s, size_t n) {
    char small[256];
    char *copy = n < sizeof small ? small : malloc(n + 1);
    if (copy == NULL) {
        w->st = BM_ERR_NOMEM;
        return;
    }
    memcpy(copy, s, n);
    copy[n] = '\0';
    put_escaped(w, copy);
    if (copy != small)
        free(copy);
}

/* A number of hundredths as a decimal: 1234 -> "12.34", -50 -> "-.5", 300 -> "3". No locale,
 * no printf: the same bytes everywhere, and no "-0". */
static void fmt_hundredths(int64_t v, char *buf) {
    char *p = buf;
    if (v < 0) {
        *p++ = '-';
        v = -v;
    }
    const int64_t whole = v / 100, frac = v % 100;
    if (whole != 0 || frac == 0)
        p += snprintf(p, 24, "%lld", (long long)whole);
    if (frac != 0) {
        *p++ = '.';
        *p++ = (char)('0' + frac / 10);
        if (frac % 10 != 0)
            *p++ = (char)('0' + frac % 10);
    }
    *p = '\0';
}

static int64_t hundredths(double v) {
    if (!isfinite(v))
        return 0;
    if (v > 1e12)
        v = 1e12;
    if (v < -1e12)
        v = -1e12;
    return (int64_t)llround(v * 100);
}

static void put_num(writer *w, double v) {
    char buf[32];
    fmt_hundredths(hundredths(v), buf);
    put(w, buf);
}

/* name="12.34" with a leading space. */
static void put_attr_num(writer *w, const char *name, double v) {
    put(w, " ");
    put(w, name);
    put(w, "=\"");
    put_num(w, v);
    put(w, "\"");
}

static void put_attr(writer *w, const char *name, const char *value) {
    put(w, " ");
    put(w, name);
    put(w, "=\"");
    put_escaped(w, value);
    put(w, "\"");
}

/* fill="#rrggbb" (and fill-opacity when not opaque), or fill="none". */
static void put_paint(writer *w, const char *what, uint32_t rgba) {
    char buf[64];
    if ((rgba & 0xFF) == 0) {
        snprintf(buf, sizeof buf, " %s=\"none\"", what);
        put(w, buf);
        return;
    }
    snprintf(buf, sizeof buf, " %s=\"#%06x\"", what, (unsigned)(rgba >> 8));
    put(w, buf);
    if ((rgba & 0xFF) != 0xFF) {
        /* alpha/255 to three decimals: Cairo and the PNG use 8 bits, so this is exact enough */
        const unsigned a = (unsigned)lround((rgba & 0xFF) / 255.0 * 1000);
        snprintf(buf, sizeof buf, " %s-opacity=\".%03u\"", what, a);
        /* trailing zeros off: .820 -> .82 */
        size_t n = strlen(buf);
        while (buf[n - 2] == '0' && buf[n - 3] != '.')
            memmove(&buf[n - 2], &buf[n - 1], 2), n--;
        put(w, buf);
    }
}

bm_status bm_svg_escape(bm_buf *out, const char *s) {
    bm_status st = BM_OK;
    const char *run = s;
    for (const char *p = s; s != NULL && st == BM_OK; p++) {
        const char *rep = NULL;
        switch (*p) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        case '\0':
            break;
        default:
            /* Control characters are not allowed in XML 1.0; none belongs on a map. */
            if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t')
                rep = " ";
            break;
        }
        if (rep != NULL || *p == '\0') {
            st = bm_buf_append(out, run, (size_t)(p - run));
            if (st == BM_OK && rep != NULL)
                st = bm_buf_appends(out, rep);
            run = p + 1;
        }
        if (*p == '\0')
            break;
    }
    return st;
}

/* ---- layers ------------------------------------------------------------------------------- */

static bool role_is(const char *role, const char *const *names) {
    for (size_t i = 0; names[i] != NULL; i++)
        if (strcmp(role, names[i]) == 0)
            return true;
    return false;
}

const char *bm_svg_layer_of(const char *role, bool is_text) {
    static const char *const claims[] = {"claim",  "claim-upper", "claim-bracket", "claim-tick",
                                         "leader", "place",       "district",      NULL};
    /* a numbered callout stands in for a label that found no room */
    static const char *const labels[] = {"claim-label",  "place-label", "label-leader",
                                         "region-label", "sea-label",   "callout",
                                         "callout-ring", NULL};
    static const char *const notes[] = {"title",       "subtitle", "panel-title",
                                        "attribution", "note",     NULL};
    static const char *const basemap[] = {"scale-label", NULL};
    if (role == NULL)
        return is_text ? "labels" : "basemap";
    if (role_is(role, claims))
        return "claims";
    if (role_is(role, labels))
        return "labels";
    if (role_is(role, notes))
        return "notes";
    if (role_is(role, basemap))
        return "basemap";
    if (strncmp(role, "legend", 6) == 0 || strncmp(role, "key-", 4) == 0 ||
        strcmp(role, "callouts") == 0 || strcmp(role, "as-of") == 0 ||
        strcmp(role, "also-claimed") == 0 || strcmp(role, "changes") == 0)
        return "legend";
    return is_text ? "labels" : "basemap";
}

/* ---- what a mark covers, to regroup marks by layer without changing the picture ------------ */

typedef struct box {
    double x0, y0, x1, y1;
} box;

static bool boxes_meet(const box *a, const box *b) {
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static bool is_visible(uint32_t rgba) {
    return (rgba & 0xFF) != 0;
}

static bool has_stroke(const bm_mark *m) {
    return m->stroke_mm > 0 && is_visible(m->stroke_rgba);
}

/* Up to four boxes that hold everything the mark paints: one, or the four sides of an
 * outline-only rectangle (a frame covers only its border). Returns how many. */
static size_t ink_boxes(const bm_mark *m, box out[4]) {
    const double s = has_stroke(m) ? m->stroke_mm / 2 + 0.01 : 0.01;
    box b;
    switch (m->kind) {
    case BM_MARK_AREA:
    case BM_MARK_LINE:
        b = (box){INFINITY, INFINITY, -INFINITY, -INFINITY};
        for (size_t i = 0; i < m->n_points; i++) {
            const double x = m->xy_mm[2 * i], y = m->xy_mm[2 * i + 1];
            b.x0 = fmin(b.x0, x), b.y0 = fmin(b.y0, y);
            b.x1 = fmax(b.x1, x), b.y1 = fmax(b.y1, y);
        }
        b.x0 -= s, b.y0 -= s, b.x1 += s, b.y1 += s;
        break;
    case BM_MARK_CIRCLE:
        b = (box){m->x_mm - m->r_mm - s, m->y_mm - m->r_mm - s, m->x_mm + m->r_mm + s,
                  m->y_mm + m->r_mm + s};
        break;
    case BM_MARK_RECT:
        if (!is_visible(m->fill_rgba)) {
            const double x0 = m->x_mm, y0 = m->y_mm, x1 = m->x_mm + m->w_mm, y1 = m->y_mm + m->h_mm;
            out[0] = (box){x0 - s, y0 - s, x1 + s, y0 + s};
            out[1] = (box){x0 - s, y1 - s, x1 + s, y1 + s};
            out[2] = (box){x0 - s, y0 - s, x0 + s, y1 + s};
            out[3] = (box){x1 - s, y0 - s, x1 + s, y1 + s};
            return 4;
        }
        b = (box){m->x_mm - s, m->y_mm - s, m->x_mm + m->w_mm + s, m->y_mm + m->h_mm + s};
        break;
    case BM_MARK_TEXT:
    default: {
        /* glyphs may reach a little beyond the logical box: sideways for italics, hardly
         * up or down (the box holds the ascent and descent) */
        const double halo = is_visible(m->halo_rgba) ? m->halo_mm / 2 : 0;
        const double em = m->spec.size_pt * 25.4 / 72;
        b = (box){m->x_mm - halo - 0.2 * em, m->y_mm - halo - 0.05 * em,
                  m->x_mm + m->w_mm + halo + 0.2 * em, m->y_mm + m->h_mm + halo + 0.05 * em};
        break;
    }
    }
    if (m->is_clipped) {
        b.x0 = fmax(b.x0, m->clip.x_mm), b.y0 = fmax(b.y0, m->clip.y_mm);
        b.x1 = fmin(b.x1, m->clip.x_mm + m->clip.w_mm);
        b.y1 = fmin(b.y1, m->clip.y_mm + m->clip.h_mm);
    }
    out[0] = b;
    return 1;
}

typedef struct group {
    const char *layer;
    size_t *marks;
    size_t n, n_alloc;
    box bounds; /* of all its marks' boxes */
} group;

typedef struct mark_info {
    box boxes[4];
    size_t n_boxes;
    size_t shape;   /* shared geometry: 1-based index of the <defs> path; 0 none */
    size_t clip;    /* 1-based clip id; 0: not clipped */
    size_t pattern; /* 1-based pattern id; 0: none */
} mark_info;

static bool mark_meets_group(const mark_info *mi, const group *g, const mark_info *all) {
    bool near = false;
    for (size_t b = 0; b < mi->n_boxes && !near; b++)
        near = boxes_meet(&mi->boxes[b], &g->bounds);
    if (!near)
        return false;
    for (size_t k = 0; k < g->n; k++) {
        const mark_info *o = &all[g->marks[k]];
        for (size_t a = 0; a < mi->n_boxes; a++)
            for (size_t b = 0; b < o->n_boxes; b++)
                if (boxes_meet(&mi->boxes[a], &o->boxes[b]))
                    return true;
    }
    return false;
}

static bm_status group_add(group *g, size_t mark, const mark_info *mi) {
    if (bm_grow((void **)&g->marks, &g->n_alloc, g->n + 1, sizeof *g->marks) != BM_OK)
        return BM_ERR_NOMEM;
    g->marks[g->n++] = mark;
    for (size_t b = 0; b < mi->n_boxes; b++) {
        g->bounds.x0 = fmin(g->bounds.x0, mi->boxes[b].x0);
        g->bounds.y0 = fmin(g->bounds.y0, mi->boxes[b].y0);
        g->bounds.x1 = fmax(g->bounds.x1, mi->boxes[b].x1);
        g->bounds.y1 = fmax(g->bounds.y1, mi->boxes[b].y1);
    }
    return BM_OK;
}

/* Each mark joins the earliest group of its layer such that nothing drawn after that group
 * touches it (so moving it under those marks changes no pixel); otherwise it starts a new
 * group of its layer at the end. The seed map gets one group per layer. */
static bm_status make_groups(const bm_scene *scene, const mark_info *info, group **out,
                             size_t *n_out) {
    group *groups = NULL;
    size_t n = 0, n_alloc = 0;
    for (size_t i = 0; i < bm_scene_n_marks(scene); i++) {
        const bm_mark *m = bm_scene_mark(scene, i);
        const char *layer = bm_svg_layer_of(m->role, m->kind == BM_MARK_TEXT);
        /* the earliest group of its layer with nothing after it that touches the mark */
        size_t target = n;
        for (size_t g = n; g-- > 0;) {
            if (strcmp(groups[g].layer, layer) == 0)
                target = g;
            if (mark_meets_group(&info[i], &groups[g], info))
                break;
        }
        if (target == n) {
            if (bm_grow((void **)&groups, &n_alloc, n + 1, sizeof *groups) != BM_OK)
                goto fail;
            groups[n] = (group){layer, NULL, 0, 0, {INFINITY, INFINITY, -INFINITY, -INFINITY}};
            n++;
        }
        if (group_add(&groups[target], i, &info[i]) != BM_OK)
            goto fail;
    }
    *out = groups;
    *n_out = n;
    return BM_OK;
fail:
    for (size_t g = 0; g < n; g++)
        free(groups[g].marks);
    free(groups);
    return BM_ERR_NOMEM;
}

/* ---- shared definitions: clip frames, patterns, shapes drawn twice ------------------------- */

static bool same_frame(const bm_frame *a, const bm_frame *b) {
    return a->x_mm == b->x_mm && a->y_mm == b->y_mm && a->w_mm == b->w_mm && a->h_mm == b->h_mm;
}

static bool same_pattern(const bm_mark *a, const bm_mark *b) {
    return a->pattern == b->pattern && a->pattern_rgba == b->pattern_rgba &&
           a->pattern_spacing_mm == b->pattern_spacing_mm &&
           a->pattern_line_mm == b->pattern_line_mm;
}

static bool same_shape(const bm_mark *a, const bm_mark *b) {
    if (a->n_points != b->n_points || a->n_rings != b->n_rings || a->n_points == 0)
        return false;
    if (a->xy_mm == b->xy_mm && a->ring_starts == b->ring_starts)
        return true;
    return memcmp(a->xy_mm, b->xy_mm, a->n_points * 2 * sizeof *a->xy_mm) == 0 &&
           memcmp(a->ring_starts, b->ring_starts, (a->n_rings + 1) * sizeof *a->ring_starts) == 0;
}

static bool is_path(const bm_mark *m) {
    return m->kind == BM_MARK_AREA || m->kind == BM_MARK_LINE;
}

/* Numbers the clip frames, patterns and repeated shapes in order of first use. */
static void find_shared(const bm_scene *scene, mark_info *info, size_t *n_clips, size_t *n_patterns,
                        size_t *n_shapes) {
    const size_t n = bm_scene_n_marks(scene);
    *n_clips = *n_patterns = *n_shapes = 0;
    for (size_t i = 0; i < n; i++) {
        const bm_mark *m = bm_scene_mark(scene, i);
        info[i].n_boxes = ink_boxes(m, info[i].boxes);
        if (m->is_clipped) {
            for (size_t k = 0; k < i && info[i].clip == 0; k++)
                if (info[k].clip != 0 && same_frame(&bm_scene_mark(scene, k)->clip, &m->clip))
                    info[i].clip = info[k].clip;
            if (info[i].clip == 0)
                info[i].clip = ++*n_clips;
        }
        if (m->pattern != BM_PATTERN_SOLID && is_visible(m->fill_rgba)) {
            for (size_t k = 0; k < i && info[i].pattern == 0; k++)
                if (info[k].pattern != 0 && same_pattern(bm_scene_mark(scene, k), m))
                    info[i].pattern = info[k].pattern;
            if (info[i].pattern == 0)
                info[i].pattern = ++*n_patterns;
        }
        if (is_path(m) && info[i].shape == 0) {
            for (size_t k = i + 1; k < n; k++) {
                const bm_mark *o = bm_scene_mark(scene, k);
                if (is_path(o) && info[k].shape == 0 && o->kind == m->kind && same_shape(m, o)) {
                    if (info[i].shape == 0)
                        info[i].shape = ++*n_shapes;
                    info[k].shape = info[i].shape;
                }
            }
        }
    }
}

static void put_path_data(writer *w, const bm_mark *m, bool is_closed) {
    char buf[32];
    int64_t px = 0, py = 0;
    for (size_t r = 0; r < m->n_rings; r++) {
        const size_t a = m->ring_starts[r], b = m->ring_starts[r + 1];
        for (size_t i = a; i < b; i++) {
            const int64_t x = hundredths(m->xy_mm[2 * i]), y = hundredths(m->xy_mm[2 * i + 1]);
            if (i == a) {
                /* absolute move, then relative lines from the rounded points: no drift */
                put(w, r == 0 ? "M" : "M");
                fmt_hundredths(x, buf);
                put(w, buf);
                put(w, " ");
                fmt_hundredths(y, buf);
                put(w, buf);
                if (b > a + 1)
                    put(w, "l");
            } else {
                fmt_hundredths(x - px, buf);
                if (i > a + 1 && buf[0] != '-')
                    put(w, " ");
                put(w, buf);
                fmt_hundredths(y - py, buf);
                if (buf[0] != '-')
                    put(w, " ");
                put(w, buf);
            }
            px = x, py = y;
        }
        if (is_closed)
            put(w, "Z");
    }
}

static void put_defs(writer *w, const char *pre, const bm_scene *scene, const mark_info *info,
                     size_t n_clips, size_t n_patterns, size_t n_shapes) {
    char buf[96];
    if (n_clips + n_patterns + n_shapes == 0)
        return;
    put(w, "<defs>\n");
    size_t next_clip = 1, next_pattern = 1, next_shape = 1;
    for (size_t i = 0; i < bm_scene_n_marks(scene); i++) {
        const bm_mark *m = bm_scene_mark(scene, i);
        if (info[i].clip == next_clip) {
            snprintf(buf, sizeof buf, "<clipPath id=\"%sclip%zu\"><rect", pre, next_clip++);
            put(w, buf);
            put_attr_num(w, "x", m->clip.x_mm);
            put_attr_num(w, "y", m->clip.y_mm);
            put_attr_num(w, "width", m->clip.w_mm);
            put_attr_num(w, "height", m->clip.h_mm);
            put(w, "/></clipPath>\n");
        }
        if (info[i].pattern == next_pattern) {
            /* Anchored on the page like render.c's: dots at multiples of the spacing, lines
             * where x + y (and x - y) is a multiple of it. */
            const double s = m->pattern_spacing_mm, lw = m->pattern_line_mm;
            snprintf(buf, sizeof buf, "<pattern id=\"%spattern%zu\"", pre, next_pattern++);
            put(w, buf);
            put(w, " patternUnits=\"userSpaceOnUse\" x=\"0\" y=\"0\"");
            put_attr_num(w, "width", s);
            put_attr_num(w, "height", s);
            put(w, ">");
            if (m->pattern == BM_PATTERN_DOTS) {
                for (int k = 0; k < 4; k++) {
                    put(w, "<circle");
                    put_attr_num(w, "cx", (k & 1) * s);
                    put_attr_num(w, "cy", (k >> 1) * s);
                    put_attr_num(w, "r", lw);
                    put_paint(w, "fill", m->pattern_rgba);
                    put(w, "/>");
                }
            } else {
                put(w, "<path fill=\"none\"");
                put_paint(w, "stroke", m->pattern_rgba);
                put_attr_num(w, "stroke-width", lw);
                put(w, " stroke-linecap=\"square\" d=\"M");
                /* x + y = 0, s, 2s through the tile, drawn a little past its corners */
                const double e = lw;
                const double seg[][4] = {
                    {-e, e, e, -e},       {-e, s + e, s + e, -e}, {s - e, s + e, s + e, s - e},
                    {-e, -e, e, e},       {-e, -e, s + e, s + e}, {s - e, -e, s + e, e},
                    {-e, s - e, e, s + e}};
                const size_t n_seg = m->pattern == BM_PATTERN_CROSSHATCH ? 7 : 3;
                for (size_t k = 0; k < n_seg; k++) {
                    if (k > 0)
                        put(w, "M");
                    put_num(w, seg[k][0]);
                    put(w, " ");
                    put_num(w, seg[k][1]);
                    put(w, "L");
                    put_num(w, seg[k][2]);
                    put(w, " ");
                    put_num(w, seg[k][3]);
                }
                put(w, "\"/>");
            }
            put(w, "</pattern>\n");
        }
        if (info[i].shape == next_shape) {
            snprintf(buf, sizeof buf, "<path id=\"%sshape%zu\" d=\"", pre, next_shape++);
            put(w, buf);
            put_path_data(w, m, m->kind == BM_MARK_AREA);
            put(w, "\"/>\n");
        }
    }
    put(w, "</defs>\n");
}

/* ---- ids and titles ----------------------------------------------------------------------- */

/* Ids already used, so that a claim drawn in two panels gets "id-2" the second time. */
typedef struct id_set {
    char **ids;
    size_t n, n_alloc;
} id_set;

static uint64_t hash_str(const char *s) {
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* Adds id (copied) if it is not there; false if it was there (or memory ran out: *st). */
static bool id_set_add(id_set *set, const char *id, bm_status *st) {
    if (set->n * 2 >= set->n_alloc) {
        const size_t n_alloc = set->n_alloc ? set->n_alloc * 2 : 64;
        char **ids = calloc(n_alloc, sizeof *ids);
        if (ids == NULL) {
            *st = BM_ERR_NOMEM;
            return false;
        }
        for (size_t k = 0; k < set->n_alloc; k++)
            if (set->ids[k] != NULL) {
                size_t j = hash_str(set->ids[k]) & (n_alloc - 1);
                while (ids[j] != NULL)
                    j = (j + 1) & (n_alloc - 1);
                ids[j] = set->ids[k];
            }
        free(set->ids);
        set->ids = ids;
        set->n_alloc = n_alloc;
    }
    size_t j = hash_str(id) & (set->n_alloc - 1);
    while (set->ids[j] != NULL) {
        if (strcmp(set->ids[j], id) == 0)
            return false;
        j = (j + 1) & (set->n_alloc - 1);
    }
    set->ids[j] = strdup(id);
    if (set->ids[j] == NULL) {
        *st = BM_ERR_NOMEM;
        return false;
    }
    set->n++;
    return true;
}

static void id_set_free(id_set *set) {
    for (size_t k = 0; k < set->n_alloc; k++)
        free(set->ids[k]);
    free(set->ids);
}

/* An XML id from prefix + ref + suffix: letters, digits, '-', '_' and '.' kept (and any
 * non-ASCII byte, which XML allows in names), others become '_'; made unique. */
static void put_id(writer *w, id_set *ids, const char *pre, const char *prefix, const char *ref,
                   const char *suffix) {
    char base[200];
    size_t n = 0;
    const char *parts[4] = {pre, prefix, ref, suffix};
    for (int k = 0; k < 4; k++)
        for (const char *p = parts[k]; *p && n + 1 < sizeof base; p++) {
            const unsigned char c = (unsigned char)*p;
            const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c >= 0x80;
            base[n++] = ok ? (char)c : '_';
        }
    base[n] = '\0';
    if (n == 0 || !((base[0] >= 'a' && base[0] <= 'z') || (base[0] >= 'A' && base[0] <= 'Z') ||
                    base[0] == '_' || (unsigned char)base[0] >= 0x80)) {
        memmove(base + 2, base, n + 1 < sizeof base - 2 ? n + 1 : sizeof base - 2);
        base[0] = 'c', base[1] = '-';
        base[sizeof base - 1] = '\0';
    }
    char id[224];
    snprintf(id, sizeof id, "%s", base);
    for (unsigned k = 2; w->st == BM_OK && !id_set_add(ids, id, &w->st); k++)
        snprintf(id, sizeof id, "%s-%u", base, k);
    put_attr(w, "id", id);
}

/* Claims by id, for their titles. */
typedef struct claim_ref {
    const char *id;
    const bm_claim *claim;
} claim_ref;

static int cmp_claim_ref(const void *a, const void *b) {
    return strcmp(((const claim_ref *)a)->id, ((const claim_ref *)b)->id);
}

static const bm_claim *find_claim(const claim_ref *refs, size_t n, const char *id) {
    const claim_ref key = {id, NULL};
    const claim_ref *hit = n ? bsearch(&key, refs, n, sizeof *refs, cmp_claim_ref) : NULL;
    return hit ? hit->claim : NULL;
}

/* "ISPR: 92 militants killed; Quetta, Mastung, Nushki; claimed 2026-01-31": in lang's words
 * (claim.title*, who.*, punct.comma), or in English without one. */
static void put_claim_title(writer *w, const bm_incidents *inc, const bm_claim *c,
                            const bm_lang *lang) {
    char value[96], who[256], title[1024], name[BM_WORDS_NAME_MAX];
    if (lang != NULL)
        bm_words_value(lang, &c->value, value, sizeof value);
    else
        bm_value_format(&c->value, value, sizeof value);
    if (c->who != BM_PARTY_UNSPECIFIED || c->object == NULL)
        bm_words_who(lang, c->who, who, sizeof who);
    else
        snprintf(who, sizeof who, "%s", c->object);
    const char *what = bm_quantity_name(c->what);
    const char *source = bm_words_name(bm_incidents_source(inc, c->source)->label, name);
    bm_words_fill(lang != NULL ? bm_words_tr(lang, "claim.title")
                               : "{source}: {value} {who} {what}",
                  title, sizeof title, "source", source, "value", value, "who", who, "what",
                  lang != NULL ? bm_words_tr(lang, what) : what, (char *)NULL);
    put_escaped(w, title);
    if (c->n_places > 0) {
        /* the template around the list, which may be longer than any fixed buffer */
        const char *tmpl = lang != NULL ? bm_words_tr(lang, "claim.title_places") : "; {places}";
        const char *comma = lang != NULL ? bm_words_tr(lang, "punct.comma") : ", ";
        const char *at = strstr(tmpl, "{places}");
        put_escaped_n(w, tmpl, at != NULL ? (size_t)(at - tmpl) : strlen(tmpl));
        for (size_t k = 0; at != NULL && k < c->n_places; k++) {
            if (k > 0)
                put_escaped(w, comma);
            put_escaped(w, bm_words_name(c->places[k].name, name));
        }
        if (at != NULL)
            put_escaped(w, at + strlen("{places}"));
    }
    if (c->claimed_on != NULL) {
        bm_words_fill(lang != NULL ? bm_words_tr(lang, "claim.title_claimed") : "; claimed {date}",
                      title, sizeof title, "date", c->claimed_on, (char *)NULL);
        put_escaped(w, title);
    }
}

/* ---- marks -------------------------------------------------------------------------------- */

typedef struct svg_ctx {
    writer w;
    bm_text *text;
    const bm_svg_options *opts;
    const mark_info *info;
    id_set ids;
    claim_ref *claims;
    size_t n_claims;
    bm_text_line *lines;
    size_t n_lines_alloc;
    const char *pre; /* opts->id_prefix, or "" */
} svg_ctx;

static void put_ids_and_title_open(svg_ctx *c, const bm_mark *m) {
    writer *w = &c->w;
    if (m->ref == NULL || m->ref[0] == '\0')
        return;
    if (strcmp(m->role, "claim") == 0) {
        put_id(w, &c->ids, c->pre, "", m->ref, "");
        if (c->opts->is_inline) {
            /* The page shows its own tooltip: the claim is named by aria-label, not by a
             * <title> the browser would show a second time on hover. */
            const bm_claim *cl = find_claim(c->claims, c->n_claims, m->ref);
            put(w, " class=\"claim\" tabindex=\"0\" role=\"button\"");
            put_attr(w, "data-claim", m->ref);
            put(w, " aria-label=\"");
            if (cl != NULL)
                put_claim_title(w, c->opts->incidents, cl, c->opts->lang);
            else
                put_escaped(w, m->ref);
            put(w, "\"");
        }
    } else if (strcmp(m->role, "claim-label") == 0 || strcmp(m->role, "claim-upper") == 0) {
        put_id(w, &c->ids, c->pre, "", m->ref,
               strcmp(m->role, "claim-label") == 0 ? "-label" : "-upper");
    } else if (strcmp(m->role, "place") == 0 || strcmp(m->role, "district") == 0) {
        put_id(w, &c->ids, c->pre, "place-", m->ref, "");
    }
}

/* The <title> child of a claim's circle or a place's dot; true if one was written (the
 * element then needs a closing tag). */
static bool put_title_child(svg_ctx *c, const bm_mark *m) {
    writer *w = &c->w;
    if (m->ref == NULL || m->ref[0] == '\0')
        return false;
    if (strcmp(m->role, "claim") == 0 && !c->opts->is_inline) {
        const bm_claim *cl = find_claim(c->claims, c->n_claims, m->ref);
        put(w, "><title>");
        if (cl != NULL)
            put_claim_title(w, c->opts->incidents, cl, c->opts->lang);
        else
            put_escaped(w, m->ref);
        put(w, "</title>");
        return true;
    }
    if (strcmp(m->role, "place") == 0 || strcmp(m->role, "district") == 0) {
        put(w, "><title>");
        put_escaped(w, m->ref);
        put(w, "</title>");
        return true;
    }
    return false;
}

static void put_stroke(writer *w, const bm_mark *m) {
    if (!has_stroke(m))
        return;
    put_paint(w, "stroke", m->stroke_rgba);
    put_attr_num(w, "stroke-width", m->stroke_mm);
    if (m->dash_mm > 0) {
        /* render.c: dash_mm on, 0.8 of it off */
        put(w, " stroke-dasharray=\"");
        put_num(w, m->dash_mm);
        put(w, " ");
        put_num(w, m->dash_mm * 0.8);
        put(w, "\"");
    }
}

/* The element's geometry, opening tag unfinished: "<circle cx=.. cy=.. r=.." */
static void put_shape_open(svg_ctx *c, const bm_mark *m, size_t shape) {
    writer *w = &c->w;
    char buf[96];
    switch (m->kind) {
    case BM_MARK_AREA:
    case BM_MARK_LINE:
        if (shape != 0) {
            snprintf(buf, sizeof buf, "<use xlink:href=\"#%sshape%zu\"", c->pre, shape);
            put(w, buf);
        } else {
            put(w, "<path d=\"");
            put_path_data(w, m, m->kind == BM_MARK_AREA);
            put(w, "\"");
        }
        break;
    case BM_MARK_CIRCLE:
        put(w, "<circle");
        put_attr_num(w, "cx", m->x_mm);
        put_attr_num(w, "cy", m->y_mm);
        put_attr_num(w, "r", m->r_mm);
        break;
    case BM_MARK_RECT:
    default:
        put(w, "<rect");
        put_attr_num(w, "x", m->x_mm);
        put_attr_num(w, "y", m->y_mm);
        put_attr_num(w, "width", m->w_mm);
        put_attr_num(w, "height", m->h_mm);
        break;
    }
}

static const char *tag_of(const bm_mark *m, size_t shape) {
    switch (m->kind) {
    case BM_MARK_AREA:
    case BM_MARK_LINE:
        return shape != 0 ? "use" : "path";
    case BM_MARK_CIRCLE:
        return "circle";
    default:
        return "rect";
    }
}

static void put_shape_mark(svg_ctx *c, const bm_mark *m, const mark_info *mi) {
    writer *w = &c->w;
    const bool has_fill = is_visible(m->fill_rgba) && m->kind != BM_MARK_LINE;
    if (!has_fill && !has_stroke(m))
        return;
    if (has_fill && mi->pattern != 0) {
        /* render.c: the fill, the pattern over it, then the outline */
        char buf[96];
        put_shape_open(c, m, mi->shape);
        put_paint(w, "fill", m->fill_rgba);
        put(w, "/>\n");
        put_shape_open(c, m, mi->shape);
        snprintf(buf, sizeof buf, " fill=\"url(#%spattern%zu)\"", c->pre, mi->pattern);
        put(w, buf);
    } else {
        put_shape_open(c, m, mi->shape);
        if (has_fill)
            put_paint(w, "fill", m->fill_rgba);
        else
            put(w, " fill=\"none\"");
    }
    put_stroke(w, m);
    put_ids_and_title_open(c, m);
    if (put_title_child(c, m)) {
        put(w, "</");
        put(w, tag_of(m, mi->shape));
        put(w, ">\n");
    } else {
        put(w, "/>\n");
    }
}

static void put_font_family(writer *w, const char *family) {
    /* CSS font-family: each family of the list quoted, with the generic family last */
    put(w, " font-family=\"");
    for (const char *p = family; *p != '\0';) {
        const char *end = strchr(p, ',');
        if (end == NULL)
            end = p + strlen(p);
        char one[128];
        snprintf(one, sizeof one, "%.*s", (int)(end - p), p);
        put(w, "'");
        put_escaped(w, one);
        put(w, "', ");
        p = *end == ',' ? end + 1 : end; /* bm_text_family joins with ", " */
        while (*p == ' ')
            p++;
    }
    put(w, "sans-serif\"");
}

/* A right-to-left line (Urdu) is held to the width Pango gave it: browsers set Nastaliq wider
 * than Pango does (Chromium by about a twentieth), and a line anchored at its right end would
 * run out of its column on the left. */
static void put_rtl_length(writer *w, const bm_text_line *ln) {
    if (!ln->is_rtl || ln->w_mm <= 0)
        return;
    put_attr_num(w, "textLength", ln->w_mm);
    put(w, " lengthAdjust=\"spacingAndGlyphs\"");
}

static void put_text_mark(svg_ctx *c, const bm_mark *m) {
    writer *w = &c->w;
    if (m->text == NULL || m->text[0] == '\0' || !is_visible(m->fill_rgba))
        return;
    size_t n = bm_text_lines(c->text, m->text, &m->spec, c->lines, c->n_lines_alloc);
    if (n > c->n_lines_alloc) {
        if (bm_grow((void **)&c->lines, &c->n_lines_alloc, n, sizeof *c->lines) != BM_OK) {
            w->st = BM_ERR_NOMEM;
            return;
        }
        n = bm_text_lines(c->text, m->text, &m->spec, c->lines, c->n_lines_alloc);
    }
    put(w, "<text");
    put_ids_and_title_open(c, m);
    /* Right-to-left lines (Urdu) are placed by their right end, in their own direction, so the
     * renderer's bidi algorithm orders a mixed label as Pango did. */
    const bool is_rtl = c->lines[0].is_rtl;
    if (n == 1) {
        put_attr_num(w, "x", m->x_mm + c->lines[0].x_mm + (is_rtl ? c->lines[0].w_mm : 0));
        put_attr_num(w, "y", m->y_mm + c->lines[0].baseline_mm);
        put_rtl_length(w, &c->lines[0]);
    }
    if (is_rtl)
        put(w, " direction=\"rtl\""); /* its start is then its right end */
    put(w, " xml:space=\"preserve\"");
    put_font_family(w, bm_text_family(c->text));
    put_attr_num(w, "font-size", m->spec.size_pt * 25.4 / 72);
    if (m->spec.weight == BM_TEXT_BOLD)
        put(w, " font-weight=\"bold\"");
    if (m->spec.is_italic)
        put(w, " font-style=\"italic\"");
    if (m->spec.letter_spacing_pt > 0)
        put_attr_num(w, "letter-spacing", m->spec.letter_spacing_pt * 25.4 / 72);
    put_paint(w, "fill", m->fill_rgba);
    if (is_visible(m->halo_rgba) && m->halo_mm > 0) {
        put_paint(w, "stroke", m->halo_rgba);
        put_attr_num(w, "stroke-width", m->halo_mm);
        put(w, " paint-order=\"stroke\"");
    }
    put(w, ">");
    for (size_t k = 0; k < n; k++) {
        const bm_text_line *ln = &c->lines[k];
        size_t len = ln->len;
        /* a wrapped line keeps the space it broke at; SVG would draw nothing for it anyway */
        while (len > 0 &&
               (m->text[ln->start + len - 1] == ' ' || m->text[ln->start + len - 1] == '\n'))
            len--;
        if (n > 1) {
            put(w, "<tspan");
            put_attr_num(w, "x", m->x_mm + ln->x_mm + (is_rtl ? ln->w_mm : 0));
            put_attr_num(w, "y", m->y_mm + ln->baseline_mm);
            put_rtl_length(w, ln);
            put(w, ">");
        }
        put_escaped_n(w, m->text + ln->start, len);
        if (n > 1)
            put(w, "</tspan>");
    }
    put(w, "</text>\n");
}

static void put_group(svg_ctx *c, const bm_scene *scene, const group *g, unsigned nth) {
    writer *w = &c->w;
    char buf[160];
    if (nth == 1)
        snprintf(buf, sizeof buf,
                 "<g id=\"%s%s\" inkscape:groupmode=\"layer\" inkscape:label=\"%s\">\n", c->pre,
                 g->layer, g->layer);
    else
        snprintf(buf, sizeof buf,
                 "<g id=\"%s%s-%u\" inkscape:groupmode=\"layer\" inkscape:label=\"%s %u\">\n",
                 c->pre, g->layer, nth, g->layer, nth);
    put(w, buf);
    size_t clip = 0;
    for (size_t k = 0; k < g->n; k++) {
        const size_t i = g->marks[k];
        const bm_mark *m = bm_scene_mark(scene, i);
        const mark_info *mi = &c->info[i];
        if (mi->clip != clip) {
            if (clip != 0)
                put(w, "</g>\n");
            if (mi->clip != 0) {
                snprintf(buf, sizeof buf, "<g clip-path=\"url(#%sclip%zu)\">\n", c->pre, mi->clip);
                put(w, buf);
            }
            clip = mi->clip;
        }
        if (m->kind == BM_MARK_TEXT)
            put_text_mark(c, m);
        else
            put_shape_mark(c, m, mi);
    }
    if (clip != 0)
        put(w, "</g>\n");
    put(w, "</g>\n");
}

static bm_status index_claims(svg_ctx *c) {
    const bm_incidents *inc = c->opts->incidents;
    if (inc == NULL)
        return BM_OK;
    size_t n = 0;
    for (size_t i = 0; i < bm_incidents_n_incidents(inc); i++)
        n += bm_incidents_incident(inc, i)->n_claims;
    c->claims = n ? calloc(n, sizeof *c->claims) : NULL;
    if (n && c->claims == NULL)
        return BM_ERR_NOMEM;
    for (size_t i = 0; i < bm_incidents_n_incidents(inc); i++) {
        const bm_incident *in = bm_incidents_incident(inc, i);
        for (size_t k = 0; k < in->n_claims; k++)
            c->claims[c->n_claims++] = (claim_ref){in->claims[k].id, &in->claims[k]};
    }
    qsort(c->claims, c->n_claims, sizeof *c->claims, cmp_claim_ref);
    return BM_OK;
}

bm_status bm_svg_write(const bm_scene *scene, bm_text *text, const bm_svg_options *opts,
                       bm_buf *out, bm_error *err) {
    const size_t n = bm_scene_n_marks(scene);
    svg_ctx c = {{out, BM_OK}, text, opts, NULL, {NULL, 0, 0},
                 NULL,         0,    NULL, 0,    opts->id_prefix != NULL ? opts->id_prefix : ""};
    mark_info *info = calloc(n + 1, sizeof *info);
    group *groups = NULL;
    size_t n_groups = 0, n_clips, n_patterns, n_shapes;
    c.info = info;
    if (info == NULL || index_claims(&c) != BM_OK ||
        bm_grow((void **)&c.lines, &c.n_lines_alloc, 8, sizeof *c.lines) != BM_OK) {
        c.w.st = BM_ERR_NOMEM;
        goto done;
    }
    find_shared(scene, info, &n_clips, &n_patterns, &n_shapes);
    if (make_groups(scene, info, &groups, &n_groups) != BM_OK) {
        c.w.st = BM_ERR_NOMEM;
        goto done;
    }
    writer *w = &c.w;
    const double w_mm = bm_scene_width_mm(scene), h_mm = bm_scene_height_mm(scene);
    if (!opts->is_inline)
        put(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    put(w, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
           "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
           "xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" version=\"1.1\"");
    put(w, " width=\"");
    put_num(w, w_mm);
    put(w, "mm\" height=\"");
    put_num(w, h_mm);
    put(w, "mm\" viewBox=\"0 0 ");
    put_num(w, w_mm);
    put(w, " ");
    put_num(w, h_mm);
    put(w, "\" fill-rule=\"evenodd\" stroke-linecap=\"round\" stroke-linejoin=\"round\"");
    if (opts->is_inline) {
        put(w, " role=\"img\" aria-labelledby=\"");
        put(w, c.pre);
        put(w, "map-title\"");
    }
    put(w, ">\n<title");
    if (opts->is_inline) {
        put(w, " id=\"");
        put(w, c.pre);
        put(w, "map-title\"");
    }
    put(w, ">");
    put_escaped(w, bm_scene_title(scene));
    put(w, "</title>\n<desc>");
    put_escaped(w, bm_scene_description(scene));
    put(w, "</desc>\n");
    put_defs(w, c.pre, scene, info, n_clips, n_patterns, n_shapes);
    for (size_t g = 0; g < n_groups; g++) {
        unsigned nth = 1;
        for (size_t k = 0; k < g; k++)
            nth += strcmp(groups[k].layer, groups[g].layer) == 0;
        put_group(&c, scene, &groups[g], nth);
    }
    put(w, "</svg>\n");
done:
    for (size_t g = 0; g < n_groups; g++)
        free(groups[g].marks);
    free(groups);
    free(info);
    free(c.claims);
    free(c.lines);
    id_set_free(&c.ids);
    if (c.w.st != BM_OK)
        return bm_error_set(err, c.w.st,
                            c.w.st == BM_ERR_NOMEM ? "out of memory" : "the SVG is too large");
    return BM_OK;
}
