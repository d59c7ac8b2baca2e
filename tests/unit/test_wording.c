/* SPDX-License-Identifier: MIT */
/* carto/wording: what the map says, singular and plural, dates with years, labels of sums. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "carto/wording.h"
#include "check.h"

static bm_lang *en, *ur; /* the installed message files, lang/en.tsv and lang/ur.tsv */

static bm_claim claim_of(bm_quantity what, bm_party who, const char *object, bm_value v) {
    return (bm_claim){.id = "c", .what = what, .who = who, .object = object, .value = v};
}

static void one_is_singular_and_more_are_plural(void) {
    char out[256];
    bm_claim cl = claim_of(BM_Q_KILLED, BM_PARTY_UNSPECIFIED, NULL,
                           (bm_value){BM_VALUE_EXACT, 1, 1, NULL, false});
    bm_words_headline(en, &cl, out, sizeof out);
    CHECK_STREQ(out, "1 person killed");
    cl.value = (bm_value){BM_VALUE_EXACT, 2, 2, NULL, false};
    bm_words_headline(en, &cl, out, sizeof out);
    CHECK_STREQ(out, "2 people killed");
    cl = claim_of(BM_Q_KILLED, BM_PARTY_MILITANTS, NULL,
                  (bm_value){BM_VALUE_EXACT, 1, 1, NULL, false});
    bm_words_headline(en, &cl, out, sizeof out);
    CHECK_STREQ(out, "1 militant killed");
    cl = claim_of(BM_Q_DESTROYED, BM_PARTY_UNSPECIFIED, "vehicles",
                  (bm_value){BM_VALUE_EXACT, 1, 1, NULL, false});
    bm_words_headline(en, &cl, out, sizeof out);
    CHECK_STREQ(out, "1 vehicle destroyed");
    cl.object = "buses";
    bm_words_headline(en, &cl, out, sizeof out);
    CHECK_STREQ(out, "1 bus destroyed");
    cl.object = "security posts";
    cl.value = (bm_value){BM_VALUE_EXACT, 3, 3, NULL, false};
    bm_words_headline(en, &cl, out, sizeof out);
    CHECK_STREQ(out, "3 security posts destroyed");
    /* "at least 1" reads as one too; a range stays plural. */
    cl = claim_of(BM_Q_KILLED, BM_PARTY_CIVILIANS, NULL,
                  (bm_value){BM_VALUE_AT_LEAST, 1, BM_VALUE_UNBOUNDED, NULL, false});
    bm_words_headline(en, &cl, out, sizeof out);
    CHECK_STREQ(out, "at least 1 civilian killed");
    cl.value = (bm_value){BM_VALUE_RANGE, 1, 3, NULL, false};
    bm_words_headline(en, &cl, out, sizeof out);
    CHECK_STREQ(out, "1-3 civilians killed");
}

static void days_carry_the_year_when_asked(void) {
    char out[64];
    bm_words_day(en, "2024-11-09", out, sizeof out);
    CHECK_STREQ(out, "9 Nov");
    bm_words_day_year(en, "2024-11-09", out, sizeof out);
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
    bm_words_claim_label(en, &lc, &src, true, NULL, out, sizeof out);
    CHECK_STREQ(out, "66 people killed\nACLED · 80 events, 2020-2025");
    /* The map's span (the legend's) is not repeated; a narrower or other one is. */
    bm_words_claim_label(en, &lc, &src, true, "2020-2025", out, sizeof out);
    CHECK_STREQ(out, "66 people killed\nACLED · 80 events");
    bm_words_claim_label(en, &lc, &src, true, "2019-2025", out, sizeof out);
    CHECK_STREQ(out, "66 people killed\nACLED · 80 events, 2020-2025");
    CHECK_STREQ(bm_words_source_kind(en, "monitor"), "monitoring project");
}

/* Every key the code asks for is in en.tsv (a missing one would print as its key). */
static void english_has_every_key(void) {
    static const char *const keys[] = {"lang.direction",
                                       "number.digits",
                                       "number.group",
                                       "punct.comma",
                                       "party.militants.one",
                                       "party.militants.other",
                                       "party.security_forces.one",
                                       "party.security_forces.other",
                                       "party.civilians.one",
                                       "party.civilians.other",
                                       "party.unspecified.one",
                                       "party.unspecified.other",
                                       "targets.one",
                                       "targets.other",
                                       "killed",
                                       "wounded",
                                       "captured",
                                       "attacked",
                                       "destroyed",
                                       "headline",
                                       "statement_without_figures",
                                       "value.none",
                                       "value.range",
                                       "value.at_least",
                                       "value.more_than",
                                       "value.vague",
                                       "kind.military",
                                       "kind.armed_group",
                                       "kind.government",
                                       "kind.media",
                                       "kind.monitor",
                                       "kind.other",
                                       "date.day",
                                       "date.day_year",
                                       "month.01",
                                       "month.12",
                                       "places.one",
                                       "places.other",
                                       "events.one",
                                       "events.other",
                                       "area.district",
                                       "area.division",
                                       "area.province",
                                       "place.area",
                                       "place.whole_area",
                                       "place.both",
                                       "names.fallback.one",
                                       "names.fallback.other",
                                       "legend.claimed",
                                       "legend.claimed_party",
                                       "note.circle",
                                       "note.circle_even",
                                       "key.leader",
                                       "key.leader_even",
                                       "key.upper",
                                       "key.place",
                                       "key.district",
                                       "as_of",
                                       "as_of.later.one",
                                       "as_of.later.other",
                                       BM_WORDS_CHANGES_HEADING,
                                       BM_WORDS_ALSO_HEADING,
                                       BM_WORDS_CALLOUTS_HEADING,
                                       "also.line",
                                       "also.running",
                                       "also.when",
                                       "also.split",
                                       "note.vague",
                                       BM_WORDS_DESCRIPTION,
                                       "lang.code",
                                       "html.every_claim",
                                       "html.caption.one",
                                       "html.caption.other",
                                       "html.how_to",
                                       "html.legend",
                                       "html.sizes",
                                       "html.notes",
                                       "html.head.source",
                                       "html.head.figure",
                                       "html.head.measure",
                                       "html.head.who",
                                       "html.head.places",
                                       "html.head.claimed_on",
                                       "html.head.relayed_by",
                                       "html.head.quote",
                                       "html.head.link",
                                       "html.head.on_map",
                                       "html.no_figure",
                                       "html.the_source",
                                       "html.drawn",
                                       "html.not_drawn"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (bm_words_tr(en, keys[i]) == keys[i])
            CHECK_FAIL_("en.tsv has no '%s'", keys[i]);
    CHECK_STREQ(bm_words_tr(en, BM_WORDS_ALSO_HEADING), "Also claimed, not sized on the map");
}

/* A key Urdu's file leaves out comes from English, and is listed. */
static void urdu_falls_back_to_english_and_lists_what_is_missing(void) {
    bm_buf missing = BM_BUF_INIT(1 << 16);
    const size_t n = bm_lang_missing(ur, &missing);
    printf("keys lang/ur.tsv leaves to English (%zu):\n%s", n, bm_buf_str(&missing));
    CHECK_INTEQ(n, 1);
    CHECK_STREQ(bm_buf_str(&missing), "kind.monitor\n");
    CHECK_STREQ(bm_words_source_kind(ur, "monitor"), "monitoring project");
    CHECK_STREQ(bm_words_source_kind(ur, "military"), "فوج");
    CHECK_INTEQ(bm_lang_missing(en, NULL), 0);
    bm_buf_free(&missing);
}

static void numbers_have_digit_groups(void) {
    char out[64];
    bm_words_number(en, 1705, out, sizeof out);
    CHECK_STREQ(out, "1,705");
    bm_words_number(en, 999, out, sizeof out);
    CHECK_STREQ(out, "999");
    bm_words_number(en, 1234567, out, sizeof out);
    CHECK_STREQ(out, "1,234,567");
    bm_words_number(ur, 1705, out, sizeof out); /* Western digits (ur.tsv says why) */
    CHECK_STREQ(out, "1,705");
    const bm_value range = {BM_VALUE_RANGE, 1200, 1500, NULL, false};
    bm_words_value(en, &range, out, sizeof out);
    CHECK_STREQ(out, "1,200-1,500");
    /* A file asking for Eastern Arabic-Indic digits gets them, in numbers and dates. */
    char dir[] = "/tmp/bm-wording-XXXXXX";
    REQUIRE(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/en.tsv", dir);
    FILE *f = fopen(path, "w");
    REQUIRE(f != NULL);
    fputs("# digits\nnumber.digits\tarabext\nnumber.group\t,\ndate.day\t{day} {month}\n"
          "month.01\tJan\n",
          f);
    fclose(f);
    bm_error err = {0};
    bm_lang *arabext = bm_lang_load(dir, "en", &err);
    REQUIRE(arabext != NULL);
    bm_words_number(arabext, 1705, out, sizeof out);
    CHECK_STREQ(out, "۱,۷۰۵");
    bm_words_day(arabext, "2026-01-31", out, sizeof out);
    CHECK_STREQ(out, "۳۱ Jan");
    bm_lang_free(arabext);
    remove(path);
    rmdir(dir);
}

static void urdu_words_and_values(void) {
    char out[256];
    bm_claim cl = claim_of(BM_Q_KILLED, BM_PARTY_CIVILIANS, NULL,
                           (bm_value){BM_VALUE_AT_LEAST, 31, BM_VALUE_UNBOUNDED, NULL, false});
    bm_words_headline(ur, &cl, out, sizeof out);
    CHECK_STREQ(out, "کم از کم 31 شہری ہلاک");
    cl.value = (bm_value){BM_VALUE_AT_LEAST, 12, BM_VALUE_UNBOUNDED, "dozens", true};
    bm_words_headline(ur, &cl, out, sizeof out);
    CHECK_STREQ(out, "درجنوں (کم از کم 12) شہری ہلاک");
    bm_words_headline(en, &cl, out, sizeof out);
    CHECK_STREQ(out, "dozens (at least 12) civilians killed");
    cl.value = (bm_value){BM_VALUE_AT_LEAST, 31, BM_VALUE_UNBOUNDED, "more than 30", false};
    bm_words_headline(ur, &cl, out, sizeof out);
    CHECK_STREQ(out, "30 سے زیادہ شہری ہلاک");
    /* The source's own wording stays as written. */
    cl.value = (bm_value){BM_VALUE_AT_LEAST, 31, BM_VALUE_UNBOUNDED, "over thirty", false};
    bm_words_headline(ur, &cl, out, sizeof out);
    CHECK_STREQ(out, "over thirty شہری ہلاک");
    bm_words_day_year(ur, "2026-01-31", out, sizeof out);
    CHECK_STREQ(out, "31 جنوری 2026");
    bm_words_as_of(en, "2026-02-01", 2, out, sizeof out);
    CHECK_STREQ(out, "As of 1 Feb 2026: each source's latest figure by then. 2 later claims are "
                     "not shown.");
    bm_words_as_of(en, "2026-02-01", 1, out, sizeof out);
    CHECK_STRCONTAINS(out, "1 later claim is not shown.");
}

static void urdu_place_names_are_picked_and_labelled(void) {
    /* Quetta's alt_names: Urdu, Pashto, Hazaragi/Balochi (shapes/alt-names.tsv). */
    const char *quetta[] = {"Quetta", "Shaal", "کوټه", "کویته", "کوئٹہ"};
    CHECK_STREQ(bm_words_pick_urdu(quetta, 5), "کوئٹہ");
    const char *harnai[] = {"Harnai", "هرنای", "ہرنائی"};
    CHECK_STREQ(bm_words_pick_urdu(harnai, 3), "ہرنائی");
    const char *kech[] = {"Kech", "کیچ"};
    CHECK_STREQ(bm_words_pick_urdu(kech, 2), "کیچ");
    const char *pashto_only[] = {"Quetta", "کوټه"};
    CHECK(bm_words_pick_urdu(pashto_only, 2) == NULL);
    const char *latin[] = {"Turbat"};
    CHECK(bm_words_pick_urdu(latin, 1) == NULL);

    const bm_located_place town = {.name = "Quetta", .as_named = "", .precision = BM_PREC_POINT};
    const bm_located_place district = {
        .name = "Kech", .as_named = "", .precision = BM_PREC_DISTRICT, .area_word = "district"};
    char out[512];
    bm_words_place_label(ur, &town, BM_NAMES_EN, "کوئٹہ", out, sizeof out);
    CHECK_STREQ(out, "Quetta");
    bm_words_place_label(ur, &town, BM_NAMES_UR, "کوئٹہ", out, sizeof out);
    CHECK_STREQ(out, "\u2068کوئٹہ\u2069");
    bm_words_place_label(ur, &town, BM_NAMES_UR, NULL, out, sizeof out); /* none cited */
    CHECK_STREQ(out, "Quetta");
    bm_words_place_label(ur, &district, BM_NAMES_EN_UR, "کیچ", out, sizeof out);
    CHECK_STREQ(out, "Kech district \u2068ضلع کیچ\u2069");
    bm_words_place_label(en, &district, BM_NAMES_EN, NULL, out, sizeof out);
    CHECK_STREQ(out, "Kech district");
}

/* A broken message file is refused at its line. */
static void bad_files_are_refused_with_their_line(void) {
    char dir[] = "/tmp/bm-wording-XXXXXX";
    REQUIRE(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/en.tsv", dir);
    static const char *const bodies[] = {"# ok\nkilled\tkilled\nwounded wounded\n",
                                         "killed\tkilled\nkilled\tslain\n", "killed\tkil\\led\n",
                                         "killed\tki\xffled\n"};
    static const int lines[] = {3, 0, 1, 1};
    for (size_t i = 0; i < 4; i++) {
        FILE *f = fopen(path, "w");
        REQUIRE(f != NULL);
        fputs(bodies[i], f);
        fclose(f);
        bm_error err = {0};
        bm_lang *lang = bm_lang_load(dir, "en", &err);
        CHECK(lang == NULL);
        CHECK(err.status != BM_OK);
        CHECK_STREQ(err.file, path);
        CHECK_INTEQ(err.line, lines[i]);
        bm_lang_free(lang);
    }
    remove(path);
    bm_error err = {0};
    CHECK(bm_lang_load(dir, "en", &err) == NULL);
    CHECK_INTEQ(err.status, BM_ERR_IO);
    CHECK_STRCONTAINS(err.message, "en.tsv");
    rmdir(dir);
}

int main(void) {
    bm_error err = {0};
    en = bm_lang_load(BM_SOURCE_DIR "/lang", "en", &err);
    ur = bm_lang_load(BM_SOURCE_DIR "/lang", "ur", &err);
    if (en == NULL || ur == NULL) {
        fprintf(stderr, "cannot load lang/: %s (line %d)\n", err.message, err.line);
        return 1;
    }
    RUN(english_has_every_key);
    RUN(urdu_falls_back_to_english_and_lists_what_is_missing);
    RUN(numbers_have_digit_groups);
    RUN(urdu_words_and_values);
    RUN(urdu_place_names_are_picked_and_labelled);
    RUN(bad_files_are_refused_with_their_line);
    RUN(one_is_singular_and_more_are_plural);
    RUN(days_carry_the_year_when_asked);
    RUN(a_sum_says_how_many_events_and_when);
    bm_lang_free(en);
    bm_lang_free(ur);
    return CHECK_DONE();
}
