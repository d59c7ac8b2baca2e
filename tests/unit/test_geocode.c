/* SPDX-License-Identifier: MIT */
/* geocode: a small incident file against the built-in gazetteer: which claims are drawn, the
 * places each once with the sources' spellings, --as-of, --allocate even, refusals. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "geocode.h"
#include "incidents_load.h"

static const char *const file_text =
    "{\"balmap\": 1, \"title\": \"t\", \"report\": \"A report\",\n"
    " \"sources\": [{\"id\": \"a\", \"label\": \"A\", \"kind\": \"military\"},\n"
    "              {\"id\": \"b\", \"label\": \"B\", \"kind\": \"armed_group\"}],\n"
    " \"places\": [{\"name\": \"Camp X\", \"lat\": 29.0, \"lon\": 66.0,\n"
    "              \"source\": \"A hand-drawn sketch (test)\"}],\n"
    " \"incidents\": [{\"id\": \"i1\", \"title\": \"t\", \"date\": \"2026-01-31\", \"claims\": [\n"
    "  {\"id\": \"a1\", \"source\": \"a\", \"what\": \"killed\", \"who\": \"militants\",\n"
    "   \"value\": 10, \"places\": [\"Quetta\", \"Noshki\"], \"claimed_on\": \"2026-01-31\"},\n"
    "  {\"id\": \"a2\", \"source\": \"a\", \"what\": \"killed\", \"who\": \"militants\",\n"
    "   \"value\": 12, \"places\": [\"Quetta\", \"Noshki\"], \"claimed_on\": \"2026-02-02\"},\n"
    "  {\"id\": \"b1\", \"source\": \"b\", \"what\": \"killed\", \"who\": \"security_forces\",\n"
    "   \"value\": 7, \"places\": [\"Camp X\"], \"claimed_on\": \"2026-01-31\"},\n"
    "  {\"id\": \"b2\", \"source\": \"b\", \"what\": \"captured\", \"who\": \"security_forces\",\n"
    "   \"value\": 3, \"places\": [\"Mastung\"], \"claimed_on\": \"2026-01-31\"}]}]}\n";

static char path[64];
static bm_incidents *inc;
static bm_gazetteer *gz;

static bm_geocode_options options(void) {
    bm_geocode_options o = {0};
    o.input_path = path;
    o.measure = BM_Q_KILLED;
    o.party = -1;
    return o;
}

static const bm_located_claim *claim(const bm_geocoded *g, const char *id) {
    size_t n;
    const bm_located_claim *cs = bm_geocoded_claims(g, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(cs[i].claim->id, id) == 0)
            return &cs[i];
    return NULL;
}

static void latest_figures_of_the_measure_are_drawn(void) {
    bm_error err = {0};
    const bm_geocode_options o = options();
    bm_geocoded *g = bm_geocode(inc, gz, &o, &err);
    REQUIRE(g != NULL);
    size_t n_claims, n_places;
    bm_geocoded_claims(g, &n_claims);
    const bm_located_place *pl = bm_geocoded_places(g, &n_places);
    CHECK_INTEQ(n_claims, 4);
    CHECK(!claim(g, "a1")->is_drawn); /* revised by a2 */
    CHECK(claim(g, "a2")->is_drawn);
    CHECK(claim(g, "b1")->is_drawn);
    CHECK(!claim(g, "b2")->is_drawn); /* captured, not killed */
    /* Places of drawn claims only, each once, in the order named; Nushki is a spelling. */
    REQUIRE(n_places == 3);
    CHECK_STREQ(pl[0].name, "Quetta");
    CHECK_STREQ(pl[1].name, "Nushki");
    CHECK_STREQ(pl[1].as_named, "Noshki"); /* the spelling a source used, kept */
    CHECK_STREQ(pl[2].name, "Camp X");
    CHECK_STREQ(pl[2].place_id, "pinned");
    CHECK_INTEQ(claim(g, "a2")->place_index[1], 1);
    CHECK_INTEQ(claim(g, "b1")->place_index[0], 2);
    /* The pin's own source is credited, and the file's report. */
    CHECK_STRCONTAINS(bm_geocoded_attribution(g), "Camp X: A hand-drawn sketch");
    CHECK_STRCONTAINS(bm_geocoded_attribution(g), "Claims: A report");
    CHECK_INTEQ(bm_geocoded_n_later(g), 0);
    bm_geocoded_free(g);
}

static void as_of_leaves_out_later_claims_and_counts_them(void) {
    bm_error err = {0};
    bm_geocode_options o = options();
    o.as_of = "2026-01-31";
    bm_geocoded *g = bm_geocode(inc, gz, &o, &err);
    REQUIRE(g != NULL);
    CHECK_INTEQ(bm_geocoded_n_later(g), 1);
    CHECK(claim(g, "a2") == NULL);
    REQUIRE(claim(g, "a1") != NULL);
    CHECK(claim(g, "a1")->is_drawn); /* the latest figure by then */
    bm_geocoded_free(g);
}

static void allocate_even_splits_drawn_claims_into_shares(void) {
    bm_error err = {0};
    bm_geocode_options o = options();
    o.allocate_even = true;
    bm_geocoded *g = bm_geocode(inc, gz, &o, &err);
    REQUIRE(g != NULL);
    const bm_located_claim *s1 = claim(g, "a2#1"), *s2 = claim(g, "a2#2"), *whole = claim(g, "a2");
    REQUIRE(s1 != NULL && s2 != NULL && whole != NULL);
    CHECK_INTEQ(s1->claim->value.min + s2->claim->value.min, 12); /* never more, never less */
    CHECK(s1->is_drawn && s2->is_drawn && !whole->is_drawn);
    CHECK(s1->split_of == whole->claim);
    bm_geocoded_free(g);
}

static void an_unknown_place_is_refused_with_its_pointer(void) {
    char bad[64];
    snprintf(bad, sizeof bad, "%s", "/tmp/bm_geocode_bad_XXXXXX");
    const int fd = mkstemp(bad);
    REQUIRE(fd >= 0);
    FILE *f = fdopen(fd, "w");
    REQUIRE(f != NULL);
    fputs("{\"balmap\": 1, \"title\": \"t\", \"sources\": [{\"id\": \"a\", \"label\": \"A\", "
          "\"kind\": \"media\"}],\n"
          " \"incidents\": [{\"id\": \"i\", \"title\": \"t\", \"date\": \"2026-01-31\",\n"
          "  \"claims\": [{\"id\": \"c\", \"source\": \"a\", \"what\": \"killed\",\n"
          "   \"who\": \"militants\", \"value\": 1, \"places\": [\"Xyzzyville\"],\n"
          "   \"claimed_on\": \"2026-01-31\"}]}]}\n",
          f);
    fclose(f);
    bm_error err = {0};
    bm_incidents *bad_inc = bm_incidents_load(bad, NULL, &err);
    remove(bad);
    REQUIRE(bad_inc != NULL);
    bm_geocode_options o = options();
    o.input_path = bad;
    CHECK(bm_geocode(bad_inc, gz, &o, &err) == NULL);
    CHECK(err.status != BM_OK);
    CHECK_STRCONTAINS(err.pointer, "/places/0");
    CHECK_STREQ(err.file, bad);
    bm_incidents_free(bad_inc);
}

static int n_warnings;
static char last_warning[512];

static void count_warning(void *user, const bm_error *w) {
    (void)user;
    n_warnings++;
    snprintf(last_warning, sizeof last_warning, "%s", w->message);
}

/* One claim of `value` killed over Quetta and Noshki, in a file of its own. */
static bm_incidents *load_one_claim(int value, char *tmp, size_t tmp_size) {
    snprintf(tmp, tmp_size, "%s", "/tmp/bm_geocode_one_XXXXXX");
    const int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f == NULL)
        return NULL;
    fprintf(f,
            "{\"balmap\": 1, \"title\": \"t\", \"sources\": [{\"id\": \"a\", \"label\": \"A\", "
            "\"kind\": \"media\"}], \"incidents\": [{\"id\": \"i\", \"title\": \"t\", \"date\": "
            "\"2026-01-31\", \"claims\": [{\"id\": \"c\", \"source\": \"a\", \"what\": "
            "\"killed\", \"who\": \"militants\", \"value\": %d, \"places\": [\"Quetta\", "
            "\"Noshki\"], \"claimed_on\": \"2026-01-31\"}]}]}\n",
            value);
    fclose(f);
    bm_error err = {0};
    bm_incidents *one = bm_incidents_load(tmp, NULL, &err);
    remove(tmp);
    return one;
}

/* 1 over 2 places would give a share of 0: the claim stays whole, drawn, and the user is told. */
static void a_claim_too_small_to_split_stays_whole(void) {
    char tmp[64];
    bm_incidents *one = load_one_claim(1, tmp, sizeof tmp);
    REQUIRE(one != NULL);
    bm_error err = {0};
    bm_geocode_options o = options();
    o.input_path = tmp;
    o.allocate_even = true;
    o.warn = count_warning;
    n_warnings = 0;
    bm_geocoded *g = bm_geocode(one, gz, &o, &err);
    REQUIRE(g != NULL);
    size_t n;
    const bm_located_claim *cs = bm_geocoded_claims(g, &n);
    REQUIRE(n == 1);
    CHECK(cs[0].is_drawn);
    CHECK(cs[0].split_of == NULL);
    CHECK_INTEQ(cs[0].claim->n_places, 2);
    CHECK_INTEQ(n_warnings, 1);
    CHECK_STRCONTAINS(last_warning, "is not split");
    bm_geocoded_free(g);
    bm_incidents_free(one);
}

/* 5 over 2 places: 3 and 2, the remainder to the first place named. */
static void shares_give_the_remainder_to_the_first_places(void) {
    char tmp[64];
    bm_incidents *one = load_one_claim(5, tmp, sizeof tmp);
    REQUIRE(one != NULL);
    bm_error err = {0};
    bm_geocode_options o = options();
    o.input_path = tmp;
    o.allocate_even = true;
    bm_geocoded *g = bm_geocode(one, gz, &o, &err);
    REQUIRE(g != NULL);
    REQUIRE(claim(g, "c#1") != NULL && claim(g, "c#2") != NULL);
    CHECK_INTEQ(claim(g, "c#1")->claim->value.min, 3);
    CHECK_INTEQ(claim(g, "c#2")->claim->value.min, 2);
    CHECK_INTEQ(claim(g, "c#1")->place_index[0], 0); /* Quetta */
    CHECK_INTEQ(claim(g, "c#2")->place_index[0], 1); /* Nushki */
    bm_geocoded_free(g);
    bm_incidents_free(one);
}

int main(void) {
    snprintf(path, sizeof path, "%s", "/tmp/bm_geocode_XXXXXX");
    const int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f == NULL)
        return 1;
    fputs(file_text, f);
    fclose(f);
    bm_error err = {0};
    inc = bm_incidents_load(path, NULL, &err);
    remove(path);
    gz = bm_gazetteer_load(BM_SOURCE_DIR "/shapes/gazetteer.tsv", &err);
    if (inc == NULL || gz == NULL) {
        fprintf(stderr, "setup: %s\n", err.message);
        return 1;
    }
    RUN(latest_figures_of_the_measure_are_drawn);
    RUN(as_of_leaves_out_later_claims_and_counts_them);
    RUN(allocate_even_splits_drawn_claims_into_shares);
    RUN(an_unknown_place_is_refused_with_its_pointer);
    RUN(a_claim_too_small_to_split_stays_whole);
    RUN(shares_give_the_remainder_to_the_first_places);
    bm_incidents_free(inc);
    bm_gazetteer_free(gz);
    return CHECK_DONE();
}
