/* SPDX-License-Identifier: MIT */
/* geocode: a small incident file against the built-in gazetteer: which claims are drawn, the
 * places each once with the sources' spellings, --as-of, --allocate even, refusals. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "geocode.h"

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
    bm_incidents_free(inc);
    bm_gazetteer_free(gz);
    return CHECK_DONE();
}
