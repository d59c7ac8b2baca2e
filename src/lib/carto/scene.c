/* SPDX-License-Identifier: MIT */
#include "carto/scene.h"

#include <stdlib.h>
#include <string.h>

struct bm_scene {
    bm_arena *arena;
    bm_mark *marks;
    size_t n_marks, n_alloc;
    double w_mm, h_mm;
    bm_frame frame;
    const char *title, *description;
    double x0_m, y0_m, mm_per_metre; /* the view, for the dump */
};

bm_scene *bm_scene_new(double w_mm, double h_mm) {
    bm_scene *s = calloc(1, sizeof *s);
    if (s == NULL || (s->arena = bm_arena_new()) == NULL) {
        free(s);
        return NULL;
    }
    s->w_mm = w_mm;
    s->h_mm = h_mm;
    return s;
}

bm_arena *bm_scene_arena(bm_scene *s) {
    return s->arena;
}

void bm_scene_set_view(bm_scene *s, const bm_frame *frame, double x0_m, double y0_m,
                       double mm_per_metre) {
    s->frame = *frame;
    s->x0_m = x0_m;
    s->y0_m = y0_m;
    s->mm_per_metre = mm_per_metre;
}

bm_status bm_scene_set_title(bm_scene *s, const char *title) {
    s->title = bm_arena_strdup(s->arena, title);
    return s->title ? BM_OK : BM_ERR_NOMEM;
}

bm_status bm_scene_set_description(bm_scene *s, const char *description) {
    s->description = bm_arena_strdup(s->arena, description);
    return s->description ? BM_OK : BM_ERR_NOMEM;
}

bm_mark bm_mark_of(bm_mark_kind kind, const char *role, const char *ref) {
    bm_mark m;
    memset(&m, 0, sizeof m);
    m.kind = kind;
    m.role = role;
    m.ref = ref ? ref : "";
    return m;
}

bm_status bm_scene_add(bm_scene *s, const bm_mark *m, size_t *index) {
    const char *ref = bm_arena_strdup(s->arena, m->ref ? m->ref : "");
    if (ref == NULL ||
        bm_grow((void **)&s->marks, &s->n_alloc, s->n_marks + 1, sizeof(bm_mark)) != BM_OK)
        return BM_ERR_NOMEM;
    s->marks[s->n_marks] = *m;
    s->marks[s->n_marks].ref = ref;
    if (index != NULL)
        *index = s->n_marks;
    s->n_marks++;
    return BM_OK;
}

bm_mark *bm_scene_mark_at(bm_scene *s, size_t index) {
    return index < s->n_marks ? &s->marks[index] : NULL;
}

void bm_scene_truncate(bm_scene *s, size_t n) {
    if (n < s->n_marks)
        s->n_marks = n;
}

void bm_scene_free(bm_scene *s) {
    if (s == NULL)
        return;
    free(s->marks);
    bm_arena_free(s->arena);
    free(s);
}

double bm_scene_width_mm(const bm_scene *s) {
    return s->w_mm;
}
double bm_scene_height_mm(const bm_scene *s) {
    return s->h_mm;
}
size_t bm_scene_n_marks(const bm_scene *s) {
    return s->n_marks;
}
const bm_mark *bm_scene_mark(const bm_scene *s, size_t i) {
    return i < s->n_marks ? &s->marks[i] : NULL;
}
const char *bm_scene_title(const bm_scene *s) {
    return s->title;
}
const char *bm_scene_description(const bm_scene *s) {
    return s->description ? s->description : "";
}

/* Text in the dump: one line, quotes and backslashes escaped. */
static void dump_text(bm_buf *out, const char *t) {
    bm_buf_append(out, "\"", 1);
    for (; *t; t++) {
        if (*t == '\n')
            bm_buf_appends(out, "\\n");
        else if (*t == '"' || *t == '\\')
            bm_buf_printf(out, "\\%c", *t);
        else
            bm_buf_append(out, t, 1);
    }
    bm_buf_append(out, "\"", 1);
}

bm_status bm_scene_dump(const bm_scene *s, bm_buf *out) {
    static const char *const kinds[] = {"area", "line", "circle", "rect", "text"};
    bm_buf_printf(out, "page %.2f %.2f\n", s->w_mm, s->h_mm);
    bm_buf_printf(out, "frame %.2f %.2f %.2f %.2f\n", s->frame.x_mm, s->frame.y_mm, s->frame.w_mm,
                  s->frame.h_mm);
    /* Enough digits that page positions can be recomputed from cs2cs to 0.01 mm. */
    bm_buf_printf(out, "view x0_m=%.3f y0_m=%.3f mm_per_m=%.9e\n", s->x0_m, s->y0_m,
                  s->mm_per_metre);
    for (size_t i = 0; i < s->n_marks; i++) {
        const bm_mark *m = &s->marks[i];
        bm_buf_printf(out, "%s %s", kinds[m->kind], m->role);
        if (m->ref[0]) {
            bm_buf_appends(out, " ref=");
            dump_text(out, m->ref);
        }
        switch (m->kind) {
        case BM_MARK_AREA:
        case BM_MARK_LINE:
            if (m->n_points == 2)
                bm_buf_printf(out, " from=%.2f,%.2f to=%.2f,%.2f", m->xy_mm[0], m->xy_mm[1],
                              m->xy_mm[2], m->xy_mm[3]);
            else
                bm_buf_printf(out, " rings=%zu points=%zu", m->n_rings, m->n_points);
            break;
        case BM_MARK_CIRCLE:
            bm_buf_printf(out, " x=%.2f y=%.2f r=%.2f", m->x_mm, m->y_mm, m->r_mm);
            if (m->value != 0)
                bm_buf_printf(out, " value=%g", m->value);
            break;
        case BM_MARK_RECT:
            bm_buf_printf(out, " x=%.2f y=%.2f w=%.2f h=%.2f", m->x_mm, m->y_mm, m->w_mm, m->h_mm);
            break;
        case BM_MARK_TEXT:
            bm_buf_printf(out, " x=%.2f y=%.2f w=%.2f h=%.2f size=%.1f ", m->x_mm, m->y_mm, m->w_mm,
                          m->h_mm, m->spec.size_pt);
            dump_text(out, m->text);
            break;
        }
        bm_buf_printf(out, " fill=#%08x stroke=#%08x\n", m->fill_rgba, m->stroke_rgba);
    }
    /* bm_buf refuses an append that would pass its cap: a full buffer means a cut dump. */
    return out->len + 4096 < out->cap ? BM_OK : BM_ERR_NOMEM;
}
