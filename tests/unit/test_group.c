/* SPDX-License-Identifier: MIT */
/* carto/group: honest sums of located claims, one rule per test, and a property test: the
 * groups' values add up to the values of the claims that count in the window. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "carto/group.h"
#include "check.h"
#include "incidents_replaced.h"

#define MAX_CLAIMS    4000
#define MAX_INCIDENTS 2000

/* A claim as a test writes it. */
typedef struct tclaim {
    size_t incident, source;
    bm_quantity what;
    bm_party who;
    const char *object;
    bm_value value;
    size_t place[3];
    size_t n_places; /* 0 means 1 */
    const char *id, *claimed_on, *revises;
} tclaim;

typedef struct tday {
    const char *start, *end;
} tday;

/* A model and its located claims, built from test rows. */
typedef struct world {
    bm_incidents *inc;
    bm_located_claim *lc;
    size_t n;
} world;

static const char *const place_names[] = {"P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7"};
#define N_PLACES 8

static bm_value exact(int64_t n) {
    return (bm_value){BM_VALUE_EXACT, n, n, NULL, false};
}
static bm_value range(int64_t lo, int64_t hi) {
    return (bm_value){BM_VALUE_RANGE, lo, hi, NULL, false};
}
static bm_value at_least(int64_t n) {
    return (bm_value){BM_VALUE_AT_LEAST, n, BM_VALUE_UNBOUNDED, NULL, false};
}
static bm_value vague(const char *word, int64_t n) {
    return (bm_value){BM_VALUE_AT_LEAST, n, BM_VALUE_UNBOUNDED, word, true};
}

static void world_free(world *w) {
    bm_incidents_free(w->inc);
    free(w->lc);
}

/* Incidents in order of `days`; each claim goes to its incident, located claims in incident
 * order (as the geocoder makes them). */
static bool world_make(world *w, const tday *days, size_t n_days, const tclaim *rows,
                       size_t n_rows) {
    bm_arena *a = bm_arena_new();
    if (a == NULL)
        return false;
    bm_source *src = bm_arena_alloc(a, 3 * sizeof *src);
    src[0] = (bm_source){.id = "ispr", .label = "ISPR", .kind = "military"};
    src[1] = (bm_source){.id = "bla", .label = "BLA", .kind = "armed_group"};
    src[2] = (bm_source){.id = "acled", .label = "ACLED", .kind = "other"};
    bm_incident *ev = bm_arena_alloc(a, n_days * sizeof *ev);
    w->lc = calloc(n_rows > 0 ? n_rows : 1, sizeof *w->lc);
    w->n = 0;
    for (size_t d = 0; d < n_days; d++) {
        size_t n_here = 0;
        for (size_t r = 0; r < n_rows; r++)
            n_here += rows[r].incident == d;
        bm_claim *cl = bm_arena_alloc(a, (n_here > 0 ? n_here : 1) * sizeof *cl);
        size_t k = 0;
        for (size_t r = 0; r < n_rows; r++) {
            const tclaim *t = &rows[r];
            if (t->incident != d)
                continue;
            const size_t np = t->n_places > 0 ? t->n_places : 1;
            bm_place_ref *refs = bm_arena_alloc(a, np * sizeof *refs);
            size_t *idx = bm_arena_alloc(a, np * sizeof *idx);
            for (size_t p = 0; p < np; p++) {
                refs[p] = (bm_place_ref){.name = place_names[t->place[p]]};
                idx[p] = t->place[p];
            }
            char *id = bm_arena_alloc(a, 32);
            snprintf(id, 32, "c%zu", r);
            cl[k] = (bm_claim){
                .id = t->id ? t->id : id,
                .source = t->source,
                .what = t->what,
                .who = t->who,
                .object = t->object,
                .value = t->value,
                .places = refs,
                .n_places = np,
                .claimed_on = t->claimed_on ? t->claimed_on : days[d].start,
                .revises = t->revises,
            };
            w->lc[w->n++] = (bm_located_claim){
                .claim = &cl[k], .incident = d, .place_index = idx, .is_drawn = true};
            k++;
        }
        ev[d] = (bm_incident){.id = "e",
                              .date_start = days[d].start,
                              .date_end = days[d].end ? days[d].end : days[d].start,
                              .claims = cl,
                              .n_claims = n_here};
    }
    const bm_incidents_parts parts = {
        .title = "t", .sources = src, .n_sources = 3, .incidents = ev, .n_incidents = n_days};
    w->inc = bm_incidents_new_take(a, NULL, &parts);
    return w->inc != NULL;
}

static bm_groups *group(const world *w, bm_group_mode mode, bm_group_window win) {
    bm_error err = {0};
    const bm_group_input in = {.incidents = w->inc,
                               .claims = w->lc,
                               .n_claims = w->n,
                               .n_places = N_PLACES,
                               .mode = mode,
                               .window = win};
    bm_groups *g = bm_groups_build(&in, &err);
    if (g == NULL)
        fprintf(stderr, "bm_groups_build: %s\n", err.message);
    return g;
}

static const tday three_days[] = {{"2024-01-01", NULL}, {"2024-01-02", NULL}, {"2024-01-03", NULL}};

static void exact_plus_exact_is_exact(void) {
    const tclaim rows[] = {
        {.incident = 0, .value = exact(3), .place = {1}},
        {.incident = 1, .value = exact(4), .place = {1}},
    };
    world w;
    REQUIRE(world_make(&w, three_days, 3, rows, 2));
    bm_groups *g = group(&w, BM_GROUP_BY_PLACE, (bm_group_window){0});
    REQUIRE(g != NULL);
    REQUIRE(bm_groups_n(g) == 1);
    const bm_group *gr = bm_groups_get(g, 0);
    CHECK(gr->value.kind == BM_VALUE_EXACT);
    CHECK_INTEQ(gr->value.min, 7);
    CHECK_INTEQ(gr->value.max, 7);
    CHECK_INTEQ(gr->n_claims, 2);
    CHECK_INTEQ(gr->n_incidents, 2);
    CHECK_INTEQ(gr->place, 1);
    CHECK_INTEQ(gr->n_places, 1);
    CHECK_INTEQ(gr->places[0], 1);
    CHECK_STREQ(gr->first_day, "2024-01-01");
    CHECK_STREQ(gr->last_day, "2024-01-02");
    bm_groups_free(g);
    world_free(&w);
}

static void ranges_add_minima_and_maxima(void) {
    const tclaim rows[] = {
        {.incident = 0, .value = range(10, 20), .place = {2}},
        {.incident = 1, .value = exact(5), .place = {2}},
        {.incident = 2, .value = range(1, 3), .place = {2}},
    };
    world w;
    REQUIRE(world_make(&w, three_days, 3, rows, 3));
    bm_groups *g = group(&w, BM_GROUP_BY_PLACE, (bm_group_window){0});
    REQUIRE(g != NULL && bm_groups_n(g) == 1);
    const bm_group *gr = bm_groups_get(g, 0);
    CHECK(gr->value.kind == BM_VALUE_RANGE);
    CHECK_INTEQ(gr->value.min, 16);
    CHECK_INTEQ(gr->value.max, 28);
    bm_groups_free(g);
    world_free(&w);
}

static void at_least_and_vague_words_add_lower_bounds_and_stay_at_least(void) {
    const tclaim rows[] = {
        {.incident = 0, .value = at_least(31), .place = {0}},
        {.incident = 1, .value = exact(5), .place = {0}},
        {.incident = 0, .value = vague("dozens", 12), .place = {3}},
        {.incident = 1, .value = range(1, 3), .place = {3}},
    };
    world w;
    REQUIRE(world_make(&w, three_days, 3, rows, 4));
    bm_groups *g = group(&w, BM_GROUP_BY_PLACE, (bm_group_window){0});
    REQUIRE(g != NULL && bm_groups_n(g) == 2);
    const bm_group *a = bm_groups_get(g, 0), *b = bm_groups_get(g, 1);
    CHECK(a->value.kind == BM_VALUE_AT_LEAST);
    CHECK_INTEQ(a->value.min, 36);
    CHECK(a->value.max == BM_VALUE_UNBOUNDED);
    CHECK(!a->has_vague_word);
    CHECK(b->value.kind == BM_VALUE_AT_LEAST);
    CHECK_INTEQ(b->value.min, 13);
    CHECK(b->value.max == BM_VALUE_UNBOUNDED);
    CHECK(b->has_vague_word);
    CHECK(b->value.text == NULL); /* "dozens" is one claim's word, not the sum's */
    bm_groups_free(g);
    world_free(&w);
}

static void a_single_claim_keeps_its_wording(void) {
    const tclaim rows[] = {{.incident = 0, .value = vague("dozens", 12), .place = {3}}};
    world w;
    REQUIRE(world_make(&w, three_days, 3, rows, 1));
    bm_groups *g = group(&w, BM_GROUP_BY_PLACE, (bm_group_window){0});
    REQUIRE(g != NULL && bm_groups_n(g) == 1);
    CHECK_STREQ(bm_groups_get(g, 0)->value.text, "dozens");
    CHECK(bm_groups_get(g, 0)->value.is_vague_word);
    bm_groups_free(g);
    world_free(&w);
}

static void two_sources_measures_parties_or_objects_are_never_added(void) {
    const tclaim rows[] = {
        {.incident = 0, .source = 0, .value = exact(3), .place = {1}},
        {.incident = 0, .source = 1, .value = exact(40), .place = {1}},
        {.incident = 1, .source = 0, .who = BM_PARTY_CIVILIANS, .value = exact(2), .place = {1}},
        {.incident = 1, .source = 0, .what = BM_Q_WOUNDED, .value = exact(9), .place = {1}},
        {.incident = 1,
         .source = 0,
         .what = BM_Q_DESTROYED,
         .who = BM_PARTY_UNSPECIFIED,
         .object = "vehicles",
         .value = exact(2),
         .place = {1}},
        {.incident = 2,
         .source = 0,
         .what = BM_Q_DESTROYED,
         .who = BM_PARTY_UNSPECIFIED,
         .object = "towers",
         .value = exact(1),
         .place = {1}},
        {.incident = 2, .source = 1, .value = exact(10), .place = {1}},
    };
    world w;
    REQUIRE(world_make(&w, three_days, 3, rows, 7));
    bm_groups *g = group(&w, BM_GROUP_BY_PLACE, (bm_group_window){0});
    REQUIRE(g != NULL);
    CHECK_INTEQ(bm_groups_n(g), 6);
    /* Only the BLA's two figures of militants killed at P1 share a group. */
    const size_t bla = bm_groups_of_claim(g, 1, NULL);
    CHECK_INTEQ(bm_groups_of_claim(g, 6, NULL), bla);
    CHECK_INTEQ(bm_groups_get(g, bla)->value.min, 50);
    CHECK_INTEQ(bm_groups_get(g, bla)->source, 1);
    CHECK(bm_groups_of_claim(g, 0, NULL) != bla);
    CHECK(bm_groups_of_claim(g, 4, NULL) != bm_groups_of_claim(g, 5, NULL));
    bm_groups_free(g);
    world_free(&w);
}

static void a_revised_figure_is_never_counted_with_the_one_it_replaces(void) {
    /* The BLA's count rose 84 -> 150 -> 200 (explicit revises, and an implicit later-day
     * figure for the same incident); the ISPR's figure elsewhere is untouched. */
    const tday days[] = {{"2024-01-01", NULL}, {"2024-01-05", NULL}};
    const tclaim rows[] = {
        {.incident = 0,
         .source = 1,
         .value = exact(84),
         .place = {4},
         .id = "b1",
         .claimed_on = "2024-01-01"},
        {.incident = 0,
         .source = 1,
         .value = exact(150),
         .place = {4},
         .id = "b2",
         .claimed_on = "2024-01-02"}, /* implicit: same incident, later day */
        {.incident = 0,
         .source = 1,
         .value = exact(200),
         .place = {4},
         .id = "b3",
         .claimed_on = "2024-01-04",
         .revises = "b2"},
        {.incident = 1, .source = 1, .value = exact(7), .place = {4}},
        {.incident = 1,
         .source = 0,
         .value = exact(5),
         .place = {5},
         .id = "i1",
         .claimed_on = "2024-01-05"},
        {.incident = 1,
         .source = 0,
         .value = exact(6),
         .place = {5},
         .id = "i2",
         .claimed_on = "2024-01-09",
         .revises = "i1"},
    };
    world w;
    REQUIRE(world_make(&w, days, 2, rows, 6));
    bm_groups *g = group(&w, BM_GROUP_BY_PLACE, (bm_group_window){0});
    REQUIRE(g != NULL && bm_groups_n(g) == 2);
    bm_group_skip why;
    CHECK(bm_groups_of_claim(g, 0, &why) == BM_GROUP_NONE && why == BM_GROUP_SKIP_REPLACED);
    CHECK(bm_groups_of_claim(g, 1, &why) == BM_GROUP_NONE && why == BM_GROUP_SKIP_REPLACED);
    CHECK(bm_groups_of_claim(g, 4, &why) == BM_GROUP_NONE && why == BM_GROUP_SKIP_REPLACED);
    CHECK_INTEQ(bm_groups_get(g, 0)->value.min, 207); /* 200 + the other incident's 7 */
    CHECK_INTEQ(bm_groups_get(g, 0)->n_claims, 2);
    CHECK_INTEQ(bm_groups_get(g, 1)->value.min, 6);
    bm_groups_free(g);
    /* As of 2024-01-03 neither the 200 nor the 7 (claimed 2024-01-05) was made: the 150 alone. */
    g = group(&w, BM_GROUP_BY_PLACE, (bm_group_window){.as_of = "2024-01-03"});
    REQUIRE(g != NULL);
    CHECK(bm_groups_of_claim(g, 2, &why) == BM_GROUP_NONE && why == BM_GROUP_SKIP_LATER);
    CHECK(bm_groups_of_claim(g, 1, NULL) != BM_GROUP_NONE);
    CHECK(bm_groups_of_claim(g, 0, NULL) == BM_GROUP_NONE);
    CHECK_INTEQ(bm_groups_get(g, bm_groups_of_claim(g, 1, NULL))->value.min, 150);
    bm_groups_free(g);
    world_free(&w);
}

static void a_claim_naming_several_places_stays_one_aggregate(void) {
    const tclaim rows[] = {
        {.incident = 0, .value = exact(92), .place = {0, 1, 2}, .n_places = 3},
        {.incident = 1, .value = exact(4), .place = {0}},
        {.incident = 2, .value = exact(3), .place = {0}},
    };
    world w;
    REQUIRE(world_make(&w, three_days, 3, rows, 3));
    bm_groups *g = group(&w, BM_GROUP_BY_PLACE, (bm_group_window){0});
    REQUIRE(g != NULL && bm_groups_n(g) == 2);
    const bm_group *agg = bm_groups_get(g, 0);
    CHECK(agg->is_aggregate);
    CHECK_INTEQ(agg->n_places, 3);
    CHECK_INTEQ(agg->places[2], 2);
    CHECK_INTEQ(agg->value.min, 92);
    CHECK(agg->place == BM_GROUP_NONE);
    CHECK_INTEQ(bm_groups_get(g, 1)->value.min, 7);
    bm_groups_free(g);
    world_free(&w);
}

static void shares_of_an_evenly_split_claim_join_their_places(void) {
    const tclaim rows[] = {
        {.incident = 0, .value = exact(9), .place = {0, 1}, .n_places = 2, .id = "agg"},
        {.incident = 1, .value = exact(4), .place = {0}},
    };
    world w;
    REQUIRE(world_make(&w, three_days, 3, rows, 2));
    /* What map.c's allocate_even makes: the whole claim not drawn, and two shares. */
    bm_located_claim lc[4];
    bm_claim share[2];
    const size_t idx[2] = {0, 1};
    lc[0] = w.lc[0];
    lc[0].is_drawn = false;
    for (int k = 0; k < 2; k++) {
        share[k] = *w.lc[0].claim;
        share[k].n_places = 1;
        share[k].places = &w.lc[0].claim->places[k];
        share[k].value = exact(k == 0 ? 5 : 4);
        lc[1 + k] = w.lc[0];
        lc[1 + k].claim = &share[k];
        lc[1 + k].place_index = &idx[k];
        lc[1 + k].split_of = w.lc[0].claim;
    }
    lc[3] = w.lc[1];
    bm_error err = {0};
    const bm_group_input in = {.incidents = w.inc,
                               .claims = lc,
                               .n_claims = 4,
                               .n_places = N_PLACES,
                               .mode = BM_GROUP_BY_PLACE};
    bm_groups *g = bm_groups_build(&in, &err);
    REQUIRE(g != NULL && bm_groups_n(g) == 2);
    CHECK_INTEQ(bm_groups_get(g, 0)->value.min, 9); /* P0: share 5 + 4 */
    CHECK_INTEQ(bm_groups_get(g, 0)->n_claims, 2);
    CHECK_INTEQ(bm_groups_get(g, 0)->n_incidents, 2);
    CHECK_INTEQ(bm_groups_get(g, 1)->value.min, 4); /* P1: share 4 */
    CHECK_INTEQ(bm_groups_n_claims(g), 3);
    bm_groups_free(g);
    world_free(&w);
}

static void the_window_selects_incidents_by_their_first_day_inclusive(void) {
    const tday days[] = {{"2023-12-31", "2024-01-01"},
                         {"2024-01-01", NULL},
                         {"2024-01-31", NULL},
                         {"2024-02-01", NULL}};
    const tclaim rows[] = {
        {.incident = 0, .value = exact(1), .place = {1}},
        {.incident = 1, .value = exact(2), .place = {1}},
        {.incident = 2, .value = exact(4), .place = {1}},
        {.incident = 3, .value = exact(8), .place = {1}},
    };
    world w;
    REQUIRE(world_make(&w, days, 4, rows, 4));
    bm_groups *g =
        group(&w, BM_GROUP_BY_PLACE, (bm_group_window){.from = "2024-01-01", .to = "2024-01-31"});
    REQUIRE(g != NULL && bm_groups_n(g) == 1);
    CHECK_INTEQ(bm_groups_get(g, 0)->value.min, 6);
    bm_group_skip why;
    CHECK(bm_groups_of_claim(g, 0, &why) == BM_GROUP_NONE && why == BM_GROUP_SKIP_WINDOW);
    CHECK(bm_groups_of_claim(g, 3, &why) == BM_GROUP_NONE && why == BM_GROUP_SKIP_WINDOW);
    CHECK_STREQ(bm_groups_first_day(g), "2024-01-01");
    CHECK_STREQ(bm_groups_last_day(g), "2024-01-31");
    bm_groups_free(g);
    world_free(&w);
}

static void district_groups_where_known_and_never_guesses(void) {
    /* P0 and P1 lie in district P5; P5 is a district itself; P2's district is unknown. */
    const size_t district_of[N_PLACES] = {
        5, 5, BM_GROUP_NONE, BM_GROUP_NONE, BM_GROUP_NONE, 5, BM_GROUP_NONE, BM_GROUP_NONE};
    const tclaim rows[] = {
        {.incident = 0, .value = exact(1), .place = {0}},
        {.incident = 1, .value = exact(2), .place = {1}},
        {.incident = 2, .value = exact(4), .place = {5}},
        {.incident = 2, .value = exact(8), .place = {2}},
    };
    world w;
    REQUIRE(world_make(&w, three_days, 3, rows, 4));
    bm_error err = {0};
    bm_group_input in = {.incidents = w.inc,
                         .claims = w.lc,
                         .n_claims = w.n,
                         .n_places = N_PLACES,
                         .district_of = district_of,
                         .mode = BM_GROUP_BY_DISTRICT};
    bm_groups *g = bm_groups_build(&in, &err);
    REQUIRE(g != NULL && bm_groups_n(g) == 2);
    CHECK_INTEQ(bm_groups_get(g, 0)->place, 5);
    CHECK_INTEQ(bm_groups_get(g, 0)->value.min, 7);
    CHECK_INTEQ(bm_groups_get(g, 1)->place, 2);
    CHECK_INTEQ(bm_groups_n_unknown_area(g), 1);
    bm_groups_free(g);
    /* Province mode with no province table: every place on its own. */
    in.mode = BM_GROUP_BY_PROVINCE;
    g = bm_groups_build(&in, &err);
    REQUIRE(g != NULL);
    CHECK_INTEQ(bm_groups_n(g), 4);
    CHECK_INTEQ(bm_groups_n_unknown_area(g), 4);
    bm_groups_free(g);
    world_free(&w);
}

static void group_none_keeps_one_group_per_claim(void) {
    const tclaim rows[] = {
        {.incident = 0, .value = exact(3), .place = {1}},
        {.incident = 1, .value = exact(4), .place = {1}},
    };
    world w;
    REQUIRE(world_make(&w, three_days, 3, rows, 2));
    bm_groups *g = group(&w, BM_GROUP_BY_NONE, (bm_group_window){0});
    REQUIRE(g != NULL);
    CHECK_INTEQ(bm_groups_n(g), 2);
    CHECK_INTEQ(bm_groups_get(g, 1)->value.min, 4);
    bm_groups_free(g);
    world_free(&w);
}

static void claims_not_drawn_are_not_grouped(void) {
    const tclaim rows[] = {
        {.incident = 0, .value = exact(3), .place = {1}},
        {.incident = 1, .value = {BM_VALUE_NONE, 0, 0, NULL, false}, .place = {1}},
    };
    world w;
    REQUIRE(world_make(&w, three_days, 3, rows, 2));
    w.lc[0].is_drawn = false;
    bm_groups *g = group(&w, BM_GROUP_BY_PLACE, (bm_group_window){0});
    REQUIRE(g != NULL);
    CHECK_INTEQ(bm_groups_n(g), 0);
    CHECK(bm_groups_first_day(g) == NULL);
    bm_group_skip why;
    CHECK(bm_groups_of_claim(g, 1, &why) == BM_GROUP_NONE && why == BM_GROUP_SKIP_NOT_DRAWN);
    bm_groups_free(g);
    world_free(&w);
}

static void a_place_index_out_of_range_is_refused(void) {
    const tclaim rows[] = {{.incident = 0, .value = exact(3), .place = {7}}};
    world w;
    REQUIRE(world_make(&w, three_days, 3, rows, 1));
    bm_error err = {0};
    const bm_group_input in = {.incidents = w.inc,
                               .claims = w.lc,
                               .n_claims = 1,
                               .n_places = 4,
                               .mode = BM_GROUP_BY_PLACE};
    CHECK(bm_groups_build(&in, &err) == NULL);
    CHECK(err.status == BM_ERR_INVALID);
    world_free(&w);
}

static void mode_names_round_trip(void) {
    bm_group_mode m;
    CHECK(bm_group_mode_parse("district", &m) && m == BM_GROUP_BY_DISTRICT);
    CHECK_STREQ(bm_group_mode_name(BM_GROUP_BY_PLACE), "place");
    CHECK(!bm_group_mode_parse("town", &m));
}

static bm_located_place test_places[N_PLACES];

static void make_places(void) {
    for (size_t p = 0; p < N_PLACES; p++)
        test_places[p] = (bm_located_place){.name = place_names[p],
                                            .lat_deg = 25.0 + (double)p,
                                            .lon_deg = 65.0,
                                            .precision = p == 5 ? BM_PREC_DISTRICT : BM_PREC_POINT,
                                            .area_word = p == 5 ? "district" : NULL};
}

static void groups_become_claims_for_the_layout(void) {
    const tday days[] = {{"2023-12-31", NULL}, {"2024-01-01", NULL}, {"2024-01-02", NULL}};
    const tclaim rows[] = {
        {.incident = 0, .value = exact(50), .place = {1}}, /* outside the window */
        {.incident = 1, .value = exact(3), .place = {1}},  /* P1: 3 + 4 */
        {.incident = 2, .value = at_least(4), .place = {1}},
        {.incident = 2, .source = 1, .value = exact(9), .place = {2}}, /* alone */
        {.incident = 2, .value = exact(1), .place = {3}},              /* not drawn */
    };
    world w;
    REQUIRE(world_make(&w, days, 3, rows, 5));
    w.lc[4].is_drawn = false;
    make_places();
    bm_error err = {0};
    const bm_group_input in = {.incidents = w.inc,
                               .claims = w.lc,
                               .n_claims = w.n,
                               .n_places = N_PLACES,
                               .mode = BM_GROUP_BY_PLACE,
                               .window = {.from = "2024-01-01"}};
    bm_groups *g = bm_groups_build(&in, &err);
    REQUIRE(g != NULL);
    bm_arena *a = bm_arena_new();
    bm_located_claim *out = NULL;
    size_t n = 0;
    const bm_group **of = NULL;
    REQUIRE(bm_groups_to_claims(g, &in, test_places, a, &out, &n, &of, &err) == BM_OK);
    REQUIRE(n == 3);
    CHECK_STREQ(out[0].claim->id, "ispr/killed/militants@P1");
    CHECK(out[0].claim->value.kind == BM_VALUE_AT_LEAST);
    CHECK_INTEQ(out[0].claim->value.min, 7);
    CHECK(out[0].claim->claimed_on == NULL); /* a sum has no one day */
    CHECK_INTEQ(out[0].place_index[0], 1);
    CHECK_STREQ(out[0].claim->places[0].name, "P1");
    CHECK_INTEQ(of[0]->n_claims, 2);
    CHECK(out[1].claim == w.lc[3].claim); /* a group of one is its claim, unchanged */
    CHECK(out[2].claim == w.lc[4].claim && !out[2].is_drawn && of[2] == NULL);

    bm_buf csv = BM_BUF_INIT(1 << 20);
    const bool labelled[2] = {true, false};
    REQUIRE(bm_groups_write_csv(g, &in, test_places, labelled, &csv) == BM_OK);
    CHECK_STREQ(bm_buf_str(&csv),
                "source,measure,party,object,place,kind,lat,lon,value,min,max,bound,claims,"
                "incidents,first_day,last_day,from,to,as_of,labelled\n"
                "ispr,killed,militants,,P1,town,26.00000,65.00000,at least 7,7,,at_least,2,2,"
                "2024-01-01,2024-01-02,2024-01-01,,,yes\n"
                "bla,killed,militants,,P2,town,27.00000,65.00000,9,9,9,exact,1,1,2024-01-02,"
                "2024-01-02,2024-01-01,,,no\n");
    bm_buf_reset(&csv);
    REQUIRE(bm_groups_write_json(g, &in, test_places, NULL, &csv) == BM_OK);
    CHECK_STRCONTAINS(
        bm_buf_str(&csv),
        "[\n {\"source\": \"ispr\", \"measure\": \"killed\", \"party\": \"militants\", "
        "\"object\": null, \"places\": [\"P1\"], \"kind\": \"town\", \"lat\": 26.00000, "
        "\"lon\": 65.00000, \"value\": \"at least 7\", \"min\": 7, \"max\": null, "
        "\"bound\": \"at_least\", \"claims\": 2, \"incidents\": 2, \"first_day\": "
        "\"2024-01-01\", \"last_day\": \"2024-01-02\", \"from\": \"2024-01-01\", \"to\": "
        "null, \"as_of\": null, \"labelled\": null},\n {\"source\": \"bla\"");
    bm_buf_reset(&csv);
    REQUIRE(bm_groups_describe(g, &in, &csv) == BM_OK);
    /* Incidents 1 and 2 (the BLA's claim is about incident 2 too): two events, two places. */
    CHECK_STREQ(bm_buf_str(&csv),
                "2 events at 2 places, 2024; each circle is the sum at one place.");
    bm_buf_free(&csv);
    bm_arena_free(a);
    bm_groups_free(g);
    world_free(&w);
}

/* A deterministic generator (LCG), so a failure can be replayed. */
static uint64_t rng_state;
static uint32_t rnd(uint32_t n) {
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)((rng_state >> 33) % n);
}

static char day_text[MAX_INCIDENTS][11];
static char claim_day_text[MAX_CLAIMS][11];
static char revises_text[MAX_CLAIMS][16];
static char id_text[MAX_CLAIMS][16];

static tday rnd_days[MAX_INCIDENTS];
static tclaim rnd_rows[MAX_CLAIMS];

/* A random model: up to 500 incidents over 2020-2025 and 1,000 claims by three sources, with
 * later figures for the same incident and explicit revisions. */
static bool random_world(world *w, uint64_t seed) {
    tday *days = rnd_days;
    tclaim *rows = rnd_rows;
    rng_state = seed;
    const size_t n_days = 1 + rnd(MAX_INCIDENTS / 4), n_rows = 1 + rnd(MAX_CLAIMS / 4);
    for (size_t d = 0; d < n_days; d++) {
        snprintf(day_text[d], sizeof day_text[d], "20%02u-%02u-%02u", 20 + rnd(6), 1 + rnd(12),
                 1 + rnd(28));
        days[d] = (tday){day_text[d], NULL};
    }
    for (size_t r = 0; r < n_rows; r++) {
        tclaim *t = &rows[r];
        const size_t d = rnd((uint32_t)n_days);
        *t = (tclaim){.incident = d, .source = rnd(3), .who = (bm_party)rnd(2)};
        const uint32_t k = rnd(10);
        t->value = k < 5   ? exact(rnd(30))
                   : k < 7 ? range(rnd(10), 10 + rnd(10))
                   : k < 9 ? at_least(rnd(50))
                           : vague("several", 3);
        t->n_places = rnd(8) == 0 ? 2 : 1;
        t->place[0] = rnd(N_PLACES);
        t->place[1] = (t->place[0] + 1) % N_PLACES;
        snprintf(id_text[r], sizeof id_text[r], "r%zu", r);
        t->id = id_text[r];
        /* Some later figures for the same incident, some explicit revisions. */
        snprintf(claim_day_text[r], sizeof claim_day_text[r], "%.8s%02u", days[d].start,
                 1 + rnd(28));
        t->claimed_on = claim_day_text[r];
        if (r > 0 && rnd(10) == 0) {
            snprintf(revises_text[r], sizeof revises_text[r], "r%u", rnd((uint32_t)r));
            t->revises = revises_text[r];
        }
    }
    return world_make(w, days, n_days, rows, n_rows);
}

/* Sum over groups == sum over the claims that count, the reference computed the slow way
 * (every pair, bm_claim_replaces), for random files, windows and modes. */
static void sums_of_groups_equal_sums_of_claims_in_the_window(void) {
    static const size_t district_of[N_PLACES] = {4, 4, 4, 5, 4, 5, BM_GROUP_NONE, 6};
    for (uint64_t seed = 1; seed <= 40; seed++) {
        world w;
        REQUIRE(random_world(&w, seed));
        const bm_group_window win = {
            .from = rnd(2) ? "2022-01-01" : NULL,
            .to = rnd(2) ? "2024-06-30" : NULL,
            .as_of = rnd(3) == 0 ? "2023-12-31" : NULL,
        };
        for (int mode = BM_GROUP_BY_NONE; mode <= BM_GROUP_BY_DISTRICT; mode++) {
            bm_error err = {0};
            const bm_group_input in = {.incidents = w.inc,
                                       .claims = w.lc,
                                       .n_claims = w.n,
                                       .n_places = N_PLACES,
                                       .district_of = district_of,
                                       .mode = (bm_group_mode)mode,
                                       .window = win};
            bm_groups *g = bm_groups_build(&in, &err);
            REQUIRE(g != NULL);
            /* The reference. */
            int64_t want_min = 0, want_max = 0;
            size_t want_n = 0;
            bool want_unbounded = false;
            for (size_t i = 0; i < w.n; i++) {
                const bm_claim *cl = w.lc[i].claim;
                const char *day = bm_incidents_incident(w.inc, w.lc[i].incident)->date_start;
                const bool in_window = (!win.from || strcmp(day, win.from) >= 0) &&
                                       (!win.to || strcmp(day, win.to) <= 0);
                const bool is_made = !win.as_of || strcmp(cl->claimed_on, win.as_of) <= 0;
                if (!in_window || !is_made)
                    continue;
                bool is_replaced = false;
                for (size_t j = 0; j < w.n && !is_replaced; j++) {
                    const bm_claim *o = w.lc[j].claim;
                    const char *oday = bm_incidents_incident(w.inc, w.lc[j].incident)->date_start;
                    if ((win.from && strcmp(oday, win.from) < 0) ||
                        (win.to && strcmp(oday, win.to) > 0) ||
                        (win.as_of && strcmp(o->claimed_on, win.as_of) > 0))
                        continue;
                    is_replaced = bm_claim_replaces(o, cl, w.lc[j].incident == w.lc[i].incident);
                }
                if (is_replaced)
                    continue;
                want_n++;
                want_min += cl->value.min;
                if (cl->value.max == BM_VALUE_UNBOUNDED)
                    want_unbounded = true;
                else
                    want_max += cl->value.max;
            }
            int64_t got_min = 0, got_max = 0;
            size_t got_n = 0;
            bool got_unbounded = false;
            for (size_t k = 0; k < bm_groups_n(g); k++) {
                const bm_group *gr = bm_groups_get(g, k);
                got_min += gr->value.min;
                got_n += gr->n_claims;
                if (gr->value.max == BM_VALUE_UNBOUNDED)
                    got_unbounded = true;
                else
                    got_max += gr->value.max;
                CHECK((gr->value.kind == BM_VALUE_AT_LEAST) ==
                      (gr->value.max == BM_VALUE_UNBOUNDED));
                CHECK(gr->n_incidents >= 1 && gr->n_incidents <= gr->n_claims);
            }
            CHECK_INTEQ(got_n, want_n);
            CHECK_INTEQ(bm_groups_n_claims(g), want_n);
            CHECK_INTEQ(got_min, want_min);
            CHECK(got_unbounded == want_unbounded);
            /* Bounded maxima: the unbounded groups' bounded parts are not tracked, so compare
             * only when nothing is unbounded. */
            if (!want_unbounded)
                CHECK_INTEQ(got_max, want_max);
            if (mode == BM_GROUP_BY_NONE)
                CHECK_INTEQ(bm_groups_n(g), want_n);
            bm_groups_free(g);
        }
        world_free(&w);
    }
}

/* bm_incidents_find_replaced gives, in linear time, what bm_claim_replaces of every pair does. */
static void replaced_figures_match_every_pair_compared(void) {
    size_t n_replaced = 0;
    for (uint64_t seed = 100; seed < 130; seed++) {
        world w;
        REQUIRE(random_world(&w, seed));
        const char *as_of = seed % 3 == 0 ? "2023-06-30" : NULL;
        const size_t n = bm_incidents_n_claims_total(w.inc);
        CHECK_INTEQ(n, w.n);
        bool *got = calloc(n + 1, sizeof *got);
        bm_error err = {0};
        REQUIRE(bm_incidents_find_replaced(w.inc, as_of, got, &err) == BM_OK);
        size_t at = 0;
        for (size_t i = 0; i < bm_incidents_n_incidents(w.inc); i++) {
            const bm_incident *ev = bm_incidents_incident(w.inc, i);
            for (size_t k = 0; k < ev->n_claims; k++, at++) {
                bool want = false;
                for (size_t j = 0; j < bm_incidents_n_incidents(w.inc) && !want; j++) {
                    const bm_incident *oe = bm_incidents_incident(w.inc, j);
                    for (size_t m = 0; m < oe->n_claims && !want; m++)
                        want = (!as_of || strncmp(oe->claims[m].claimed_on, as_of, 10) <= 0) &&
                               bm_claim_replaces(&oe->claims[m], &ev->claims[k], i == j);
                }
                CHECK(got[at] == want);
                n_replaced += want;
            }
        }
        free(got);
        world_free(&w);
    }
    CHECK(n_replaced > 100); /* the generator does make revisions */
}

static void periods_sum_each_year_apart(void) {
    const tday days[] = {{"2023-05-01", NULL}, {"2023-11-30", NULL}, {"2024-01-02", NULL}};
    const tclaim rows[] = {
        {.incident = 0, .value = exact(1), .place = {1}},
        {.incident = 1, .value = exact(2), .place = {1}},
        {.incident = 2, .value = exact(4), .place = {1}},
        {.incident = 2, .value = exact(0), .place = {2}},
    };
    world w;
    REQUIRE(world_make(&w, days, 3, rows, 4));
    bm_error err = {0};
    const bm_group_input in = {.incidents = w.inc,
                               .claims = w.lc,
                               .n_claims = w.n,
                               .n_places = N_PLACES,
                               .mode = BM_GROUP_BY_PLACE,
                               .period_chars = 4};
    bm_groups *g = bm_groups_build(&in, &err);
    REQUIRE(g != NULL && bm_groups_n(g) == 3);
    CHECK_INTEQ(bm_groups_get(g, 0)->value.min, 3); /* 2023 */
    CHECK(strncmp(bm_groups_get(g, 0)->period, "2023", 4) == 0);
    CHECK_INTEQ(bm_groups_get(g, 1)->value.min, 4); /* 2024 */
    CHECK(strncmp(bm_groups_get(g, 1)->period, "2024", 4) == 0);
    /* For the layout: one claim per period, ids apart; the sum of 0 has no circle. */
    make_places();
    bm_arena *a = bm_arena_new();
    bm_located_claim *out = NULL;
    size_t n = 0;
    REQUIRE(bm_groups_to_claims(g, &in, test_places, a, &out, &n, NULL, &err) == BM_OK);
    REQUIRE(n == 2);
    CHECK(strstr(out[0].claim->id, "#2023") != NULL);
    CHECK_INTEQ(out[1].claim->value.min, 4); /* a single claim stays itself */
    bm_buf text = BM_BUF_INIT(4096);
    CHECK(bm_groups_describe(g, &in, &text) == BM_OK);
    CHECK(strstr(bm_buf_str(&text), "no circle where the sum is 0 (1 sum)") != NULL);
    bm_buf_free(&text);
    bm_arena_free(a);
    bm_groups_free(g);
    world_free(&w);
}

static void areas_come_from_the_gazetteer_or_the_stated_district(void) {
    bm_error err = {0};
    bm_gazetteer *gz = bm_gazetteer_load(BM_SOURCE_DIR "/shapes/gazetteer.tsv", &err);
    REQUIRE(gz != NULL);
    const bm_place *turbat = bm_gazetteer_by_id(gz, "gn.PK.02.turbat");
    const bm_place *chowki = bm_gazetteer_by_id(gz, "gn.PK.02.chowki-jamali");
    REQUIRE(turbat != NULL && chowki != NULL);
    /* 0 Turbat (row: Kech District), 1 a pinned point said to be in Gwadar, 2 a pinned point
     * said to be in two districts, 3 Chowki Jamali (row without admin2), 4 the district Kech
     * itself, named by a claim. */
    bm_located_place pl[5] = {
        {.name = "Turbat", .precision = BM_PREC_POINT, .place_id = turbat->id},
        {.name = "near Pasni", .precision = BM_PREC_POINT, .place_id = "pinned"},
        {.name = "Somewhere", .precision = BM_PREC_POINT, .place_id = "pinned"},
        {.name = "Chowki Jamali", .precision = BM_PREC_POINT, .place_id = chowki->id},
        {.name = "Kech", .precision = BM_PREC_DISTRICT, .place_id = "dist.PK.kech"},
    };
    bm_place_ref refs[6] = {
        {.name = "Turbat"},
        {.name = "near Pasni", .district = "Gwadar", .province = "Balochistan"},
        {.name = "near Pasni", .district = "Gwadar District"},
        {.name = "Somewhere", .district = "Gwadar"},
        {.name = "Somewhere", .district = "Kech"},
        {.name = "Chowki Jamali"},
    };
    const size_t idx[6] = {0, 1, 1, 2, 2, 3};
    bm_claim cl[6];
    bm_located_claim lc[6];
    for (size_t i = 0; i < 6; i++) {
        cl[i] = (bm_claim){.id = "c", .value = exact(1), .places = &refs[i], .n_places = 1};
        lc[i] = (bm_located_claim){.claim = &cl[i], .place_index = &idx[i], .is_drawn = true};
    }
    bm_arena *a = bm_arena_new();
    const bm_located_place *places = pl;
    size_t n = 5;
    const size_t *d_of = NULL, *p_of = NULL;
    REQUIRE(bm_groups_find_areas(gz, lc, 6, a, &places, &n, &d_of, &p_of, &err) == BM_OK);
    /* Kech was located already; Gwadar and Balochistan are appended. */
    REQUIRE(n == 7);
    CHECK_INTEQ(d_of[0], 4);
    CHECK_STREQ(places[d_of[1]].name, "Gwadar");
    CHECK(places[d_of[1]].precision == BM_PREC_DISTRICT);
    CHECK_STREQ(places[d_of[1]].area_word, "district");
    CHECK(d_of[2] == BM_GROUP_NONE); /* two districts stated: not guessed */
    CHECK(d_of[3] == BM_GROUP_NONE); /* no admin2 on its row, none stated */
    CHECK_INTEQ(d_of[4], 4);
    CHECK_STREQ(places[p_of[0]].name, "Balochistan");
    CHECK_INTEQ(p_of[0], p_of[3]);
    CHECK(p_of[2] == BM_GROUP_NONE);
    bm_arena_free(a);
    bm_gazetteer_free(gz);
}

int main(void) {
    RUN(exact_plus_exact_is_exact);
    RUN(ranges_add_minima_and_maxima);
    RUN(at_least_and_vague_words_add_lower_bounds_and_stay_at_least);
    RUN(a_single_claim_keeps_its_wording);
    RUN(two_sources_measures_parties_or_objects_are_never_added);
    RUN(a_revised_figure_is_never_counted_with_the_one_it_replaces);
    RUN(a_claim_naming_several_places_stays_one_aggregate);
    RUN(shares_of_an_evenly_split_claim_join_their_places);
    RUN(the_window_selects_incidents_by_their_first_day_inclusive);
    RUN(district_groups_where_known_and_never_guesses);
    RUN(group_none_keeps_one_group_per_claim);
    RUN(claims_not_drawn_are_not_grouped);
    RUN(a_place_index_out_of_range_is_refused);
    RUN(mode_names_round_trip);
    RUN(groups_become_claims_for_the_layout);
    RUN(sums_of_groups_equal_sums_of_claims_in_the_window);
    RUN(replaced_figures_match_every_pair_compared);
    RUN(periods_sum_each_year_apart);
    RUN(areas_come_from_the_gazetteer_or_the_stated_district);
    return CHECK_DONE();
}
