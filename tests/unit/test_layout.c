/* SPDX-License-Identifier: MIT */
/* layout: circle sizing, panel frames, the scene store and label placement (carto/labels.h,
 * with a stand-in for Pango that sizes text by its characters). */
#include "carto/labels.h"
#include "check.h"
#include "layout.h"

static void area_is_proportional_to_the_value(void) {
    const double r92 = bm_layout_radius_mm(92, 92, 11, 1.2);
    const double r23 = bm_layout_radius_mm(23, 92, 11, 1.2);
    CHECK_NEAR(r92, 11, 1e-12);
    CHECK_NEAR(r23 * r23 / (r92 * r92), 23.0 / 92.0, 1e-12); /* a quarter the area */
    CHECK_NEAR(r23, 5.5, 1e-12);                             /* half the radius */
}

static void small_values_keep_the_minimum_radius(void) {
    CHECK_NEAR(bm_layout_radius_mm(1, 10000, 11, 1.2), 1.2, 1e-12);
    CHECK_NEAR(bm_layout_radius_mm(0, 92, 11, 1.2), 0, 0);
    CHECK_NEAR(bm_layout_radius_mm(5, 0, 11, 1.2), 0, 0);
}

static void panels_tile_the_map_area_without_overlap(void) {
    bm_style st;
    bm_style_defaults(&st);
    bm_frame area, f[6];
    bm_layout_frame(&st, 270.93, 203.2, &area);
    bm_layout_panel_frames(&st, 270.93, 203.2, 6, 1.0, f);
    for (int i = 0; i < 6; i++) {
        CHECK(f[i].x_mm >= area.x_mm - 1e-9 &&
              f[i].x_mm + f[i].w_mm <= area.x_mm + area.w_mm + 1e-9);
        CHECK(f[i].y_mm >= area.y_mm - 1e-9 &&
              f[i].y_mm + f[i].h_mm <= area.y_mm + area.h_mm + 1e-9);
        CHECK_NEAR(f[i].w_mm, f[0].w_mm, 1e-9); /* one scale: all panels the same size */
        for (int k = 0; k < i; k++)
            CHECK(f[i].x_mm >= f[k].x_mm + f[k].w_mm || f[k].x_mm >= f[i].x_mm + f[i].w_mm ||
                  f[i].y_mm >= f[k].y_mm + f[k].h_mm || f[k].y_mm >= f[i].y_mm + f[i].h_mm);
    }
    bm_frame one;
    bm_layout_panel_frames(&st, 270.93, 203.2, 1, 1.0, &one);
    CHECK_NEAR(one.w_mm, area.w_mm, 0);
    CHECK_NEAR(one.h_mm, area.h_mm, 0);
}

/* ---- scene store ---- */

static void marks_keep_their_index_as_the_scene_grows(void) {
    bm_scene *s = bm_scene_new(200, 100);
    REQUIRE(s != NULL);
    size_t first = 99, last = 0;
    bm_mark m = bm_mark_of(BM_MARK_CIRCLE, "claim", "c1");
    m.r_mm = 3;
    REQUIRE(bm_scene_add(s, &m, &first) == BM_OK);
    CHECK_INTEQ(first, 0);
    char ref[32];
    for (int i = 0; i < 1000; i++) { /* far past any first allocation: the array moves */
        snprintf(ref, sizeof ref, "r%d", i);
        bm_mark o = bm_mark_of(BM_MARK_RECT, "sea", ref);
        REQUIRE(bm_scene_add(s, &o, &last) == BM_OK);
    }
    CHECK_INTEQ(last, 1000);
    bm_scene_mark_at(s, first)->y_mm = 42; /* changed by index after the array moved */
    const bm_mark *got = bm_scene_mark(s, first);
    REQUIRE(got != NULL);
    CHECK_STREQ(got->ref, "c1");
    CHECK_NEAR(got->r_mm, 3, 0);
    CHECK_NEAR(got->y_mm, 42, 0);
    CHECK_STREQ(bm_scene_mark(s, 1000)->ref, "r999");
    bm_scene_truncate(s, 1);
    CHECK_INTEQ(bm_scene_n_marks(s), 1);
    CHECK(bm_scene_mark(s, 1) == NULL);
    bm_scene_free(s);
}

/* ---- label placement ---- */

/* Text 0.2 mm per character per point wide (longest line), 0.4 mm per point per line tall. */
static void fake_measure(void *user, const char *utf8, const bm_text_spec *spec, double *w_mm,
                         double *h_mm) {
    (void)user;
    size_t longest = 0, run = 0, lines = 1;
    for (const char *p = utf8; *p; p++) {
        if (*p == '\n') {
            lines++;
            run = 0;
        } else if (++run > longest) {
            longest = run;
        }
    }
    *w_mm = (double)longest * spec->size_pt * 0.2;
    *h_mm = (double)lines * spec->size_pt * 0.4;
}

typedef struct bench {
    bm_error err;
    bm_scene *s;
    bm_canvas cv;
    bm_labels lb;
} bench;

static int bench_open(bench *b, bool use_callouts) {
    memset(b, 0, sizeof *b);
    b->s = bm_scene_new(200, 100);
    if (b->s == NULL)
        return -1;
    bm_canvas_init(&b->cv, b->s, fake_measure, NULL, 0xFFFFFFFFu, &b->err);
    bm_labels_init(&b->lb, &b->cv, 0x777777FFu, use_callouts);
    return 0;
}

static void bench_close(bench *b) {
    bm_labels_release(&b->lb);
    bm_canvas_release(&b->cv);
    bm_scene_free(b->s);
}

static bm_box box_of(const bm_mark *m) {
    if (m->kind == BM_MARK_CIRCLE)
        return (bm_box){m->x_mm - m->r_mm, m->y_mm - m->r_mm, m->x_mm + m->r_mm, m->y_mm + m->r_mm};
    return (bm_box){m->x_mm, m->y_mm, m->x_mm + m->w_mm, m->y_mm + m->h_mm};
}

static bool boxes_overlap(const bm_box *a, const bm_box *b) {
    return a->x0 < b->x1 - 1e-9 && b->x0 < a->x1 - 1e-9 && a->y0 < b->y1 - 1e-9 &&
           b->y0 < a->y1 - 1e-9;
}

static size_t count_role(const bm_scene *s, const char *role) {
    size_t n = 0;
    for (size_t i = 0; i < bm_scene_n_marks(s); i++)
        n += strcmp(bm_scene_mark(s, i)->role, role) == 0;
    return n;
}

/* Twelve labels on a grid of dots, each dot kept clear: every label is placed, inside the
 * frame, over no dot and no other label, and the overlap list stays empty. */
static void labels_never_overlap_when_there_is_room(void) {
    bench b;
    REQUIRE(bench_open(&b, true) == 0);
    const bm_box inside = {0, 0, 200, 100};
    const bm_text_spec sp = bm_canvas_spec(8, BM_TEXT_REGULAR, false, 0);
    double xy[12][2];
    for (int i = 0; i < 12; i++) {
        xy[i][0] = 30 + 40 * (i % 4);
        xy[i][1] = 20 + 30 * (i / 4);
        REQUIRE(bm_canvas_keep_clear_circle(&b.cv, xy[i][0], xy[i][1], 1) == BM_OK);
    }
    for (int i = 0; i < 12; i++) {
        char name[32];
        snprintf(name, sizeof name, "Place %d\nsecond line", i);
        REQUIRE(bm_labels_place(&b.lb, &inside, "place-label", name, name, &sp, xy[i][0], xy[i][1],
                                2.0, 0x000000FFu, true) == BM_OK);
    }
    CHECK_INTEQ(count_role(b.s, "place-label"), 12);
    CHECK_INTEQ(b.lb.n_callouts, 0);
    CHECK_INTEQ(b.lb.unplaced.len, 0);
    for (size_t i = 0; i < bm_scene_n_marks(b.s); i++) {
        const bm_mark *m = bm_scene_mark(b.s, i);
        const bm_box bi = box_of(m);
        CHECK(bi.x0 >= inside.x0 && bi.x1 <= inside.x1 && bi.y0 >= inside.y0 && bi.y1 <= inside.y1);
        CHECK(m->halo_mm > 0); /* map labels get a halo */
        for (int k = 0; k < 12; k++) {
            const bm_box dot = {xy[k][0] - 1, xy[k][1] - 1, xy[k][0] + 1, xy[k][1] + 1};
            CHECK(!boxes_overlap(&bi, &dot));
        }
        for (size_t j = 0; j < i; j++) {
            const bm_box bj = box_of(bm_scene_mark(b.s, j));
            CHECK(!boxes_overlap(&bi, &bj));
        }
    }
    /* The preferred spot is to the right of the anchor, gap_mm away. */
    const bm_mark *first = bm_scene_mark(b.s, 0);
    CHECK_NEAR(first->x_mm, xy[0][0] + 2.0, 1e-9);
    bench_close(&b);
}

/* Two names side by side on one line: the second moves so as not to run into the first
 * ("KalatMangochar"): at least 0.8 mm apart, though a tight spot was free. */
static void neighbouring_labels_keep_apart(void) {
    bench b;
    REQUIRE(bench_open(&b, true) == 0);
    const bm_box inside = {0, 0, 200, 100};
    const bm_text_spec sp = bm_canvas_spec(10, BM_TEXT_REGULAR, false, 0); /* 2 mm a char */
    REQUIRE(bm_labels_place(&b.lb, &inside, "place-label", "Kalat", "Kalat", &sp, 50, 50, 1, 0,
                            true) == BM_OK);
    const bm_box first = box_of(bm_scene_mark(b.s, 0)); /* x 51 to 61 */
    CHECK_NEAR(first.x0, 51, 1e-9);
    /* Right of an anchor at 60.6 the label would touch the first with 0.4 mm between them. */
    REQUIRE(bm_labels_place(&b.lb, &inside, "place-label", "Mangochar", "Mangochar", &sp, 60.6, 50,
                            1, 0, true) == BM_OK);
    /* Set further out (with a leader) rather than tight against the first. */
    CHECK_INTEQ(count_role(b.s, "label-leader"), 1);
    REQUIRE(count_role(b.s, "place-label") == 2);
    const bm_mark *label = bm_scene_mark(b.s, bm_scene_n_marks(b.s) - 1);
    REQUIRE(strcmp(label->role, "place-label") == 0);
    const bm_box second = box_of(label);
    const bool same_row = second.y0 < first.y1 && first.y0 < second.y1;
    CHECK(!boxes_overlap(&first, &second));
    if (same_row)
        CHECK(second.x0 >= first.x1 + 0.8 - 1e-9 || first.x0 >= second.x1 + 0.8 - 1e-9);
    CHECK(!(same_row && fabs(second.x0 - 61.6) < 1e-9)); /* not the touching spot */
    bench_close(&b);
}

/* Labels that find no room become numbers in rings, listed for the legend in order, with
 * their line breaks as commas; the label itself is not drawn. */
static void crowded_labels_fall_back_to_numbers(void) {
    bench b;
    REQUIRE(bench_open(&b, true) == 0);
    /* A frame only a little larger than the numbers: no room for a label anywhere. */
    const bm_box inside = {0, 0, 12, 12};
    const bm_text_spec sp = bm_canvas_spec(8, BM_TEXT_BOLD, false, 0);
    REQUIRE(bm_labels_place(&b.lb, &inside, "claim-label", "c1", "92 militants killed\nISPR", &sp,
                            6, 6, 1, 0xFF0000FFu, true) == BM_OK);
    REQUIRE(bm_labels_place(&b.lb, &inside, "claim-label", "c2", "40 killed\nBLA", &sp, 6, 6, 1,
                            0x0000FFFFu, true) == BM_OK);
    CHECK_INTEQ(count_role(b.s, "claim-label"), 0);
    CHECK_INTEQ(b.lb.n_callouts, 2);
    CHECK_STREQ(bm_buf_str(&b.lb.callouts), "1: 92 militants killed, ISPR\n2: 40 killed, BLA");
    CHECK_INTEQ(count_role(b.s, "callout"), 2);
    CHECK_INTEQ(count_role(b.s, "callout-ring"), 2);
    const bm_mark *number = NULL;
    for (size_t i = 0; i < bm_scene_n_marks(b.s); i++)
        if (strcmp(bm_scene_mark(b.s, i)->role, "callout") == 0 && number == NULL)
            number = bm_scene_mark(b.s, i);
    REQUIRE(number != NULL);
    CHECK_STREQ(number->text, "1");
    CHECK_STREQ(number->ref, "c1");
    CHECK(number->fill_rgba == 0xFF0000FFu); /* in the claim's colour */
    bench_close(&b);
}

/* Without callouts a label with no room goes beside its anchor all the same, inside the frame,
 * and is named for the warning; a label that need not be placed is left out. */
static void without_room_labels_are_placed_and_named(void) {
    bench b;
    REQUIRE(bench_open(&b, false) == 0);
    const bm_box inside = {0, 0, 30, 30};
    REQUIRE(bm_canvas_keep_clear(&b.cv, 0, 0, 30, 30) == BM_OK); /* all covered */
    const bm_text_spec sp = bm_canvas_spec(8, BM_TEXT_REGULAR, false, 0);
    REQUIRE(bm_labels_place(&b.lb, &inside, "place-label", "Gwadar", "Gwadar", &sp, 28, 10, 1.2, 0,
                            false) == BM_OK);
    CHECK_INTEQ(bm_scene_n_marks(b.s), 0);
    REQUIRE(bm_labels_place(&b.lb, &inside, "place-label", "Turbat", "Turbat\nKech", &sp, 28, 10,
                            1.2, 0, true) == BM_OK);
    REQUIRE(bm_scene_n_marks(b.s) == 1);
    const bm_box got = box_of(bm_scene_mark(b.s, 0));
    CHECK(got.x1 <= 30 + 1e-9 && got.x0 >= 0); /* left of the anchor at the frame's edge */
    CHECK_NEAR(got.x1, 28 - 1.2, 1e-9);
    CHECK_STREQ(bm_buf_str(&b.lb.unplaced), "'Turbat, Kech'");
    CHECK_INTEQ(b.lb.n_callouts, 0);
    bench_close(&b);
}

/* Further from the anchor than the first ring, a label gets a leader line back to it. */
static void labels_set_further_out_get_a_leader(void) {
    bench b;
    REQUIRE(bench_open(&b, true) == 0);
    const bm_box inside = {0, 0, 200, 100};
    /* Everything within 5 mm of the anchor is covered. */
    REQUIRE(bm_canvas_keep_clear_circle(&b.cv, 100, 50, 5) == BM_OK);
    const bm_text_spec sp = bm_canvas_spec(8, BM_TEXT_REGULAR, false, 0);
    REQUIRE(bm_labels_place(&b.lb, &inside, "place-label", "Quetta", "Quetta", &sp, 100, 50, 1, 0,
                            true) == BM_OK);
    CHECK_INTEQ(count_role(b.s, "label-leader"), 1);
    CHECK_INTEQ(count_role(b.s, "place-label"), 1);
    const bm_mark *leader = bm_scene_mark(b.s, 0);
    REQUIRE(leader->kind == BM_MARK_LINE && leader->n_points == 2);
    CHECK_NEAR(leader->xy_mm[0], 100, 0);
    CHECK_NEAR(leader->xy_mm[1], 50, 0);
    CHECK(leader->stroke_rgba == 0x777777FFu);
    bench_close(&b);
}

/* ---- print pages: a text floor, measured header and footer, the legend under the map ---- */

/* A canvas with min_pt set measures and sets smaller text at min_pt, larger text as asked. */
static void text_under_the_floor_is_set_at_the_floor(void) {
    bench b;
    REQUIRE(bench_open(&b, false) == 0);
    b.cv.min_pt = 7;
    const bm_text_spec small = bm_canvas_spec(5.5, BM_TEXT_REGULAR, false, 0);
    const bm_text_spec large = bm_canvas_spec(9, BM_TEXT_BOLD, false, 0);
    double w5, h5, w7, h7;
    bm_canvas_measure(&b.cv, "Quetta", &small, &w5, &h5);
    const bm_text_spec seven = bm_canvas_spec(7, BM_TEXT_REGULAR, false, 0);
    bm_canvas_measure(&b.cv, "Quetta", &seven, &w7, &h7);
    CHECK_NEAR(w5, w7, 0);
    CHECK_NEAR(h5, h7, 0);
    double h;
    REQUIRE(bm_canvas_text(&b.cv, "note", "", "Quetta", &small, 10, 10, 0x000000FFu, false, &h) ==
            BM_OK);
    REQUIRE(bm_canvas_text(&b.cv, "title", "", "Quetta", &large, 10, 30, 0x000000FFu, false,
                           NULL) == BM_OK);
    CHECK_NEAR(bm_scene_mark(b.s, 0)->spec.size_pt, 7, 0);
    CHECK_NEAR(h, h7, 0);
    CHECK_NEAR(bm_scene_mark(b.s, 1)->spec.size_pt, 9, 0);
    b.cv.min_pt = 0; /* a screen map: as asked */
    REQUIRE(bm_canvas_text(&b.cv, "note", "", "Quetta", &small, 10, 50, 0x000000FFu, false, NULL) ==
            BM_OK);
    CHECK_NEAR(bm_scene_mark(b.s, 2)->spec.size_pt, 5.5, 0);
    bench_close(&b);
}

/* The measured header and footer replace the lines reserved for them; is_legend_under puts
 * the legend under the map on a landscape page, which keeps its one-line title room. */
static void a_print_page_frames_the_map_as_measured(void) {
    bm_style st;
    bm_style_defaults(&st);
    bm_frame side, measured, under;
    bm_layout_frame(&st, 297, 210, &side);
    CHECK(!bm_layout_is_narrow(&st, 297, 210));
    st.header_h_mm = 20;
    st.attribution_h_mm = 12;
    bm_layout_frame(&st, 297, 210, &measured);
    CHECK_NEAR(measured.y_mm, 20, 1e-9);
    CHECK_NEAR(measured.y_mm + measured.h_mm, 210 - st.margin_mm - 1.5 - 12, 1e-9);
    CHECK_NEAR(measured.w_mm, side.w_mm, 0);
    st.header_h_mm = st.attribution_h_mm = 0;
    st.is_legend_under = true;
    CHECK(bm_layout_is_narrow(&st, 297, 210));
    bm_layout_frame(&st, 297, 210, &under);
    CHECK_NEAR(under.y_mm, side.y_mm, 1e-9);           /* the header as on a landscape page */
    CHECK_NEAR(under.w_mm, 297 - 2 * st.margin_mm, 0); /* the page's width, no side legend */
    CHECK(under.h_mm < side.h_mm);                     /* room left under it for the legend */
}

int main(void) {
    RUN(area_is_proportional_to_the_value);
    RUN(small_values_keep_the_minimum_radius);
    RUN(panels_tile_the_map_area_without_overlap);
    RUN(marks_keep_their_index_as_the_scene_grows);
    RUN(labels_never_overlap_when_there_is_room);
    RUN(neighbouring_labels_keep_apart);
    RUN(crowded_labels_fall_back_to_numbers);
    RUN(without_room_labels_are_placed_and_named);
    RUN(labels_set_further_out_get_a_leader);
    RUN(text_under_the_floor_is_set_at_the_floor);
    RUN(a_print_page_frames_the_map_as_measured);
    return CHECK_DONE();
}
