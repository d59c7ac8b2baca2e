/* SPDX-License-Identifier: MIT */
/* carto/wording: what the map says, singular and plural, dates with years, labels of sums. */
#include "carto/wording.h"
#include "check.h"

static bm_claim claim_of(bm_quantity what, bm_party who, const char *object, bm_value v) {
    return (bm_claim){.id = "c", .what = what, .who = who, .object = object, .value = v};
}

static void one_is_singular_and_more_are_plural(void) {
    char out[256];
    bm_claim cl = claim_of(BM_Q_KILLED, BM_PARTY_UNSPECIFIED, NULL,
                           (bm_value){BM_VALUE_EXACT, 1, 1, NULL, false});
    bm_words_headline(BM_LANG_EN, &cl, out, sizeof out);
    CHECK_STREQ(out, "1 person killed");
    cl.value = (bm_value){BM_VALUE_EXACT, 2, 2, NULL, false};
    bm_words_headline(BM_LANG_EN, &cl, out, sizeof out);
    CHECK_STREQ(out, "2 people killed");
    cl = claim_of(BM_Q_KILLED, BM_PARTY_MILITANTS, NULL,
                  (bm_value){BM_VALUE_EXACT, 1, 1, NULL, false});
    bm_words_headline(BM_LANG_EN, &cl, out, sizeof out);
    CHECK_STREQ(out, "1 militant killed");
    cl = claim_of(BM_Q_DESTROYED, BM_PARTY_UNSPECIFIED, "vehicles",
                  (bm_value){BM_VALUE_EXACT, 1, 1, NULL, false});
    bm_words_headline(BM_LANG_EN, &cl, out, sizeof out);
    CHECK_STREQ(out, "1 vehicle destroyed");
    cl.object = "buses";
    bm_words_headline(BM_LANG_EN, &cl, out, sizeof out);
    CHECK_STREQ(out, "1 bus destroyed");
    cl.object = "security posts";
    cl.value = (bm_value){BM_VALUE_EXACT, 3, 3, NULL, false};
    bm_words_headline(BM_LANG_EN, &cl, out, sizeof out);
    CHECK_STREQ(out, "3 security posts destroyed");
    /* "at least 1" reads as one too; a range stays plural. */
    cl = claim_of(BM_Q_KILLED, BM_PARTY_CIVILIANS, NULL,
                  (bm_value){BM_VALUE_AT_LEAST, 1, BM_VALUE_UNBOUNDED, NULL, false});
    bm_words_headline(BM_LANG_EN, &cl, out, sizeof out);
    CHECK_STREQ(out, "at least 1 civilian killed");
    cl.value = (bm_value){BM_VALUE_RANGE, 1, 3, NULL, false};
    bm_words_headline(BM_LANG_EN, &cl, out, sizeof out);
    CHECK_STREQ(out, "1-3 civilians killed");
}

static void days_carry_the_year_when_asked(void) {
    char out[64];
    bm_words_day(BM_LANG_EN, "2024-11-09", out, sizeof out);
    CHECK_STREQ(out, "9 Nov");
    bm_words_day_year(BM_LANG_EN, "2024-11-09", out, sizeof out);
    CHECK_STREQ(out, "9 Nov 2024");
}

static void a_sum_says_how_many_events_and_when(void) {
    const bm_claim cl = claim_of(BM_Q_KILLED, BM_PARTY_UNSPECIFIED, NULL,
                                 (bm_value){BM_VALUE_EXACT, 66, 66, NULL, false});
    const bm_place_ref ref = {.name = "Quetta"};
    bm_claim c = cl;
    c.places = &ref;
    c.n_places = 1;
    const size_t idx = 0;
    const bm_located_claim lc = {.claim = &c,
                                 .place_index = &idx,
                                 .is_drawn = true,
                                 .n_events = 80,
                                 .first_day = "2020-01-03",
                                 .last_day = "2025-12-30"};
    const bm_source src = {.id = "ACLED", .label = "ACLED", .kind = "monitor"};
    char out[256];
    bm_words_claim_label(BM_LANG_EN, &lc, &src, true, out, sizeof out);
    CHECK_STREQ(out, "66 people killed\nACLED · 80 events, 2020-2025");
    CHECK_STREQ(bm_words_source_kind(BM_LANG_EN, "monitor"), "monitoring project");
}

int main(void) {
    RUN(one_is_singular_and_more_are_plural);
    RUN(days_carry_the_year_when_asked);
    RUN(a_sum_says_how_many_events_and_when);
    return CHECK_DONE();
}
