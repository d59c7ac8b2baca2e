/* SPDX-License-Identifier: MIT */
/* test_robust_inputs.c - inputs of issue 14 that were accepted and lost data silently: repeated
 * GeoJSON properties (the first counted: 5 drawn, 500 dropped), repeated keys in large JSON
 * objects (now found through a hash map, same message), and "revises" going round in a circle or
 * naming its own claim (every claim of the circle vanished from the map). Files are written into
 * a temporary directory. Then place identity: pins and CSV points are matched by their name as
 * written (case and spaces aside) and their kind, never merged through normalisation ("Quetta"
 * and a pinned "Quetta City", "Zhob" and "Zhob Valley", "Killi Ismail" and "Killi Ismail
 * (Kech)" were drawn at one place). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "gazetteer.h"
#include "geocode.h"
#include "incidents.h"
#include "incidents_load.h"

static char dir[256];

static const char *put(const char *name, const char *text) {
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f != NULL) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

/* Loads the file; returns whether it was refused, with the messages joined in *all. */
static bool is_refused(const char *path, char *all, size_t size) {
    bm_diags diags = {0};
    bm_error err = {0};
    bm_incidents *inc = bm_incidents_load(path, &diags, &err);
    size_t n = 0;
    all[0] = '\0';
    for (size_t i = 0; i < diags.n_items && n < size; i++)
        n += (size_t)snprintf(all + n, size - n, "%d: %s | %s\n", diags.items[i].where.line,
                              diags.items[i].where.message, diags.items[i].where.hint);
    const bool refused = inc == NULL || diags.n_errors > 0;
    bm_incidents_free(inc);
    bm_diags_free(&diags);
    unlink(path);
    return refused;
}

static void geojson_repeated_property_is_an_error(void) {
    const char *path = put(
        "dup.geojson", "{\"type\": \"FeatureCollection\", \"features\": [\n"
                       "{\"type\": \"Feature\",\n"
                       " \"geometry\": {\"type\": \"Point\", \"coordinates\": [66.99, 30.18]},\n"
                       " \"properties\": {\"incident\": \"a\", \"date\": \"2026-01-02\",\n"
                       "  \"source\": \"ispr\", \"what\": \"killed\", \"who\": \"militants\",\n"
                       "  \"value\": 5,\n"
                       "  \"value\": 500,\n"
                       "  \"place\": \"Quetta\", \"claimed_on\": \"2026-01-02\"}}]}\n");
    char all[4096];
    CHECK(is_refused(path, all, sizeof all));
    CHECK_STRCONTAINS(all, "7: duplicate key 'value' in properties");
    CHECK_STRCONTAINS(all, "the first is at line 6");
}

/* More than 8 members: the hash-map path gives the same error as the pairwise one. */
static void large_object_repeated_key_is_found(void) {
    const char *path =
        put("dup.json",
            "{\"balmap\": 1, \"title\": \"T\",\n"
            " \"sources\": [{\"id\": \"ispr\", \"label\": \"ISPR\", \"kind\": \"military\"}],\n"
            " \"incidents\": [{\"id\": \"i1\", \"date\": \"2026-01-31\", \"claims\": [\n"
            "  {\"id\": \"c1\", \"source\": \"ispr\", \"what\": \"killed\", \"who\": "
            "\"militants\",\n"
            "   \"value\": 5, \"places\": [\"Quetta\"], \"claimed_on\": \"2026-01-31\",\n"
            "   \"quote\": \"q\", \"note\": \"n\", \"url\": \"https://example.org\",\n"
            "   \"value\": 500}]}]}\n");
    char all[4096];
    CHECK(is_refused(path, all, sizeof all));
    CHECK_STRCONTAINS(all, "7: duplicate key 'value' in claim");
    CHECK_STRCONTAINS(all, "the first is at line 5");
}

static const char revises_head[] =
    "{\"balmap\": 1, \"title\": \"T\",\n"
    " \"sources\": [{\"id\": \"ispr\", \"label\": \"ISPR\", \"kind\": \"military\"}],\n"
    " \"incidents\": [{\"id\": \"i1\", \"date\": \"2026-01-31\", \"claims\": [\n";

static void revises_circle_is_an_error(void) {
    char text[2048];
    snprintf(text, sizeof text,
             "%s"
             "  {\"id\": \"c1\", \"source\": \"ispr\", \"what\": \"killed\", \"who\": "
             "\"militants\", \"value\": 5, \"places\": [\"Quetta\"], \"claimed_on\": "
             "\"2026-01-31\", \"revises\": \"c2\"},\n"
             "  {\"id\": \"c2\", \"source\": \"ispr\", \"what\": \"killed\", \"who\": "
             "\"militants\", \"value\": 7, \"places\": [\"Quetta\"], \"claimed_on\": "
             "\"2026-02-01\", \"revises\": \"c1\"}]}]}\n",
             revises_head);
    char all[4096];
    CHECK(is_refused(put("circle.json", text), all, sizeof all));
    CHECK_STRCONTAINS(all, "claims revise each other in a circle: 'c1' -> 'c2' -> 'c1'");
}

static void revising_itself_is_an_error(void) {
    char text[2048];
    snprintf(text, sizeof text,
             "%s"
             "  {\"id\": \"c3\", \"source\": \"ispr\", \"what\": \"killed\", \"who\": "
             "\"civilians\", \"value\": 2, \"places\": [\"Quetta\"], \"claimed_on\": "
             "\"2026-02-01\", \"revises\": \"c3\"}]}]}\n",
             revises_head);
    char all[4096];
    CHECK(is_refused(put("self.json", text), all, sizeof all));
    CHECK_STRCONTAINS(all, "claim 'c3' revises itself");
    /* A plain chain is fine. */
    snprintf(text, sizeof text,
             "%s"
             "  {\"id\": \"c1\", \"source\": \"ispr\", \"what\": \"killed\", \"who\": "
             "\"militants\", \"value\": 5, \"places\": [\"Quetta\"], \"claimed_on\": "
             "\"2026-01-31\"},\n"
             "  {\"id\": \"c2\", \"source\": \"ispr\", \"what\": \"killed\", \"who\": "
             "\"militants\", \"value\": 7, \"places\": [\"Quetta\"], \"claimed_on\": "
             "\"2026-02-01\", \"revises\": \"c1\"}]}]}\n",
             revises_head);
    CHECK(!is_refused(put("chain.json", text), all, sizeof all));
}

/* Geocodes path against the real gazetteer; the located places, or NULL with err set. */
static bm_geocoded *geocode(const char *path, bm_incidents **inc, bm_error *err) {
    static bm_gazetteer *gz;
    if (gz == NULL)
        gz = bm_gazetteer_load(BM_SOURCE_DIR "/shapes/gazetteer.tsv", err);
    if (gz == NULL)
        return NULL;
    bm_diags diags = {0};
    *inc = bm_incidents_load(path, &diags, err);
    bm_diags_free(&diags);
    if (*inc == NULL)
        return NULL;
    bm_geocode_options opt = {0};
    opt.input_path = path;
    opt.measure = BM_Q_KILLED;
    opt.party = -1;
    return bm_geocode(*inc, gz, &opt, err);
}

/* The located place of claim k. */
static const bm_located_place *place_of(const bm_geocoded *g, size_t k) {
    size_t n_claims = 0, n_places = 0;
    const bm_located_claim *cl = bm_geocoded_claims(g, &n_claims);
    const bm_located_place *pl = bm_geocoded_places(g, &n_places);
    return k < n_claims && cl[k].place_index[0] < n_places ? &pl[cl[k].place_index[0]] : NULL;
}

#define CLAIM(id, place, day)                                                                      \
    "  {\"id\": \"" id "\", \"source\": \"ispr\", \"what\": \"killed\", \"who\": "                 \
    "\"militants\", \"value\": 5, \"places\": [" place "], \"claimed_on\": \"2026-01-" day "\"}"

static void similar_pins_stay_apart(void) {
    const char *path = put(
        "pins.json",
        "{\"balmap\": 1, \"title\": \"T\",\n"
        " \"sources\": [{\"id\": \"ispr\", \"label\": \"ISPR\", \"kind\": \"military\"}],\n"
        " \"places\": [\n"
        "  {\"name\": \"Quetta City\", \"lat\": 30.20, \"lon\": 67.01, \"source\": \"s\"},\n"
        "  {\"name\": \"Zhob Valley\", \"lat\": 31.00, \"lon\": 69.00, \"source\": \"s\"},\n"
        "  {\"name\": \"Killi Ismail\", \"lat\": 26.00, \"lon\": 63.00, \"source\": \"s\"},\n"
        "  {\"name\": \"Killi Ismail (Kech)\", \"lat\": 26.50, \"lon\": 63.50, \"source\": "
        "\"s\"}],\n"
        " \"incidents\": [{\"id\": \"i1\", \"date\": \"2026-01-20\", \"claims\": [\n" CLAIM(
            "c1", "\"Quetta\"",
            "21") ",\n" CLAIM("c2", "\"Quetta City\"",
                              "21") ",\n" CLAIM("c3", "\"Zhob\"",
                                                "21") ",\n" CLAIM("c4", "\"killi  ismail\"",
                                                                  "21") ",\n" CLAIM("c5",
                                                                                    "\"Killi "
                                                                                    "Ismail "
                                                                                    "(Kech)\"",
                                                                                    "21") "]}]}\n");
    bm_incidents *inc = NULL;
    bm_error err = {0};
    bm_geocoded *g = geocode(path, &inc, &err);
    REQUIRE(g != NULL);
    CHECK_STREQ(place_of(g, 0)->place_id, "gn.PK.02.quetta"); /* not the Quetta City pin */
    CHECK_STREQ(place_of(g, 1)->place_id, "pinned");
    CHECK_NEAR(place_of(g, 1)->lat_deg, 30.20, 1e-9);
    CHECK(strcmp(place_of(g, 2)->place_id, "pinned") != 0); /* Zhob, not Zhob Valley */
    CHECK_NEAR(place_of(g, 3)->lat_deg, 26.00, 1e-9);       /* case and spaces aside */
    CHECK_NEAR(place_of(g, 4)->lat_deg, 26.50, 1e-9);       /* (Kech) is its own point */
    bm_geocoded_free(g);
    bm_incidents_free(inc);
    unlink(path);
}

/* One name pinned as a town and as a district: a claim with a kind takes its pin, one without
 * is an error naming both lines (before: the first pin took both). */
static void same_name_two_kinds(void) {
    const char *head =
        "{\"balmap\": 1, \"title\": \"T\",\n"
        " \"sources\": [{\"id\": \"ispr\", \"label\": \"ISPR\", \"kind\": \"military\"}],\n"
        " \"places\": [\n"
        "  {\"name\": \"Dasht\", \"kind\": \"town\", \"lat\": 25.9, \"lon\": 62.5, \"source\": "
        "\"s\"},\n"
        "  {\"name\": \"Dasht\", \"kind\": \"district\", \"lat\": 26.3, \"lon\": 62.9, "
        "\"source\": \"s\"}],\n"
        " \"incidents\": [{\"id\": \"i1\", \"date\": \"2026-01-20\", \"claims\": [\n";
    char text[4096];
    snprintf(text, sizeof text,
             "%s" CLAIM("c1", "{\"name\": \"Dasht\", \"kind\": \"district\"}", "21") "]}]}\n",
             head);
    bm_incidents *inc = NULL;
    bm_error err = {0};
    bm_geocoded *g = geocode(put("kinds.json", text), &inc, &err);
    REQUIRE(g != NULL);
    CHECK_NEAR(place_of(g, 0)->lat_deg, 26.3, 1e-9);
    bm_geocoded_free(g);
    bm_incidents_free(inc);
    snprintf(text, sizeof text, "%s" CLAIM("c1", "\"Dasht\"", "21") "]}]}\n", head);
    err = (bm_error){0};
    g = geocode(put("kinds.json", text), &inc, &err);
    CHECK(g == NULL);
    CHECK_STRCONTAINS(err.message, "pinned twice, as town (line 4) and as district (line 5)");
    bm_incidents_free(inc);
}

/* CSV points: a row's location is its own pin; "Killi Ismail" and "Killi Ismail (Kech)" at
 * different coordinates are two places (the docs' advice; before, they came out as one). */
static void csv_points_stay_apart(void) {
    const char *path = put(
        "points.csv",
        "event_id_cnty,event_date,event_type,actor1,actor2,admin1,admin2,location,latitude,"
        "longitude,geo_precision,source,notes,fatalities,iso\n"
        "P1,2026-01-31,Battles,A,B,Balochistan,Kech,Killi Ismail,26.0000,63.0000,1,Dawn,,1,586\n"
        "P2,2026-01-31,Battles,A,B,Balochistan,Kech,Killi Ismail (Kech),26.5000,63.5000,1,Dawn,"
        ",2,586\n"
        "P3,2026-01-31,Battles,A,B,Balochistan,Quetta,Quetta,30.1841,67.0014,1,Dawn,,3,586\n"
        "P4,2026-01-31,Battles,A,B,Balochistan,Quetta,Quetta City,30.2500,67.0500,1,Dawn,,4,586\n");
    bm_incidents *inc = NULL;
    bm_error err = {0};
    bm_geocoded *g = geocode(path, &inc, &err);
    REQUIRE(g != NULL);
    size_t n_places = 0;
    bm_geocoded_places(g, &n_places);
    CHECK_INTEQ(n_places, 4);
    bm_geocoded_free(g);
    bm_incidents_free(inc);
    unlink(path);
}

/* "\u0000" cut a string silently (cJSON ends it there); a lone surrogate was "unexpected '\\'";
 * 1,001 levels of nesting were "unexpected '['". Each is now named at its line and column. */
static void escapes_and_nesting_are_named(void) {
    char all[4096], text[2048];
    snprintf(text, sizeof text, "%s" CLAIM("c1", "\"Quetta\"", "21") "]}]}\n",
             "{\"balmap\": 1, \"title\": \"T\\u0000 and what follows\",\n"
             " \"sources\": [{\"id\": \"ispr\", \"label\": \"ISPR\", \"kind\": \"military\"}],\n"
             " \"incidents\": [{\"id\": \"i1\", \"date\": \"2026-01-20\", \"claims\": [\n");
    CHECK(is_refused(put("nul.json", text), all, sizeof all));
    CHECK_STRCONTAINS(all, "1: \"\\u0000\" (a NUL character) in a string");
    CHECK(is_refused(put("surrogate.json", "{\"balmap\": 1, \"title\": \"T\\ud800x\"}"), all,
                     sizeof all));
    CHECK_STRCONTAINS(all, "lone surrogate \"\\uD800\"");
    /* A pair is a character; an escaped backslash before u0000 is text. */
    CHECK(is_refused(put("pair.json", "{\"balmap\": 1, \"title\": \"\\ud83d\\ude00 \\\\u0000\"}"),
                     all, sizeof all));
    CHECK(strstr(all, "surrogate") == NULL && strstr(all, "NUL") == NULL);
    char *deep = malloc(2100);
    REQUIRE(deep != NULL);
    memset(deep, '[', 1001);
    memset(deep + 1001, ']', 1001);
    deep[2002] = '\0';
    CHECK(is_refused(put("deep.json", deep), all, sizeof all));
    CHECK_STRCONTAINS(all, "nesting deeper than 1000 levels");
    free(deep);
}

/* A claim naming 10,000 places, two of them over and over: one warning per repeated place
 * (before: one per pair of repeats, 2,494,900 problems for 10,000). */
static void repeated_places_warned_once(void) {
    enum { N = 10000 };
    const char *path = put("many.json", "");
    FILE *f = fopen(path, "wb");
    REQUIRE(f != NULL);
    fputs("{\"balmap\": 1, \"title\": \"T\",\n"
          " \"sources\": [{\"id\": \"ispr\", \"label\": \"ISPR\", \"kind\": \"military\"}],\n"
          " \"incidents\": [{\"id\": \"i1\", \"date\": \"2026-01-20\", \"claims\": [\n"
          "  {\"id\": \"c1\", \"source\": \"ispr\", \"what\": \"killed\", \"who\": "
          "\"militants\", \"value\": 5, \"claimed_on\": \"2026-01-21\", \"places\": [",
          f);
    for (int i = 0; i < N; i++)
        fprintf(f, "%s\"%s\"", i ? ", " : "", i % 2 ? "Mastung" : "Quetta");
    fputs("]}]}]}\n", f);
    fclose(f);
    bm_diags diags = {0};
    bm_error err = {0};
    bm_incidents *inc = bm_incidents_load(path, &diags, &err);
    CHECK(inc != NULL);
    CHECK_INTEQ(diags.n_errors, 0);
    CHECK_INTEQ(diags.n_warnings, 2);
    if (diags.n_items > 0)
        CHECK_STRCONTAINS(diags.items[0].where.message,
                          "place 'Quetta' is listed more than once in this claim");
    bm_incidents_free(inc);
    bm_diags_free(&diags);
    unlink(path);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/bm-test-robust-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return 1;
    RUN(geojson_repeated_property_is_an_error);
    RUN(large_object_repeated_key_is_found);
    RUN(revises_circle_is_an_error);
    RUN(revising_itself_is_an_error);
    RUN(similar_pins_stay_apart);
    RUN(same_name_two_kinds);
    RUN(csv_points_stay_apart);
    RUN(escapes_and_nesting_are_named);
    RUN(repeated_places_warned_once);
    rmdir(dir);
    return CHECK_DONE();
}
