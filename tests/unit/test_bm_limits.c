/* SPDX-License-Identifier: MIT */
/* test_bm_limits.c - the documented limits (bm_limits.h, docs/limits.md), each at the limit
 * (accepted) and one past it (refused, with the limit in the message): text fields by kind,
 * places per claim, claims per file, nesting depth; and the text rules: control characters
 * refused with their code point, tabs and line breaks of one-line fields read as spaces, blank
 * text (Unicode's spaces included) refused. Issue 14: a title of 100,000 combining accents took
 * over a minute to lay out, a bell character gave an SVG that XML parsers refuse. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bm_limits.h"
#include "check.h"
#include "incidents.h"
#include "incidents_load.h"

/* n copies of the UTF-8 sequence unit, NUL-terminated; the caller frees it. */
static char *repeat(const char *unit, size_t n) {
    const size_t k = strlen(unit);
    char *s = malloc(n * k + 1);
    if (s == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * k, unit, k);
    s[n * k] = '\0';
    return s;
}

static bool passes(const char *text, bm_field_kind kind, bm_error *e) {
    char *copy = strdup(text);
    *e = (bm_error){0};
    const bool ok = copy != NULL && bm_text_check(copy, kind, "the field", e);
    free(copy);
    return ok;
}

/* Each kind at its limit and one past it, counted in characters: an accent written as its own
 * code point (U+0301) is one, whatever its bytes. */
static void lengths_at_and_past_the_limit(void) {
    const bm_field_kind kinds[] = {BM_FIELD_NAME, BM_FIELD_TITLE, BM_FIELD_PROSE};
    const size_t limits[] = {BM_MAX_NAME_CHARS, BM_MAX_TITLE_CHARS, BM_MAX_PROSE_CHARS};
    for (size_t k = 0; k < 3; k++) {
        CHECK_INTEQ(bm_field_max_chars(kinds[k]), limits[k]);
        for (int unit = 0; unit < 2; unit++) {
            const char *u = unit == 0 ? "a" : "\xCC\x81"; /* 'a', U+0301 */
            /* "x" and then units: not blank, whatever the unit */
            char *at = repeat(u, limits[k]), *past = repeat(u, limits[k] + 1);
            REQUIRE(at != NULL && past != NULL);
            const size_t k_bytes = strlen(u);
            at[0] = past[0] = 'x';
            memmove(at + 1, at + k_bytes, strlen(at + k_bytes) + 1);
            memmove(past + 1, past + k_bytes, strlen(past + k_bytes) + 1);
            bm_error e;
            CHECK(passes(at, kinds[k], &e));
            CHECK(!passes(past, kinds[k], &e));
            char want[96];
            snprintf(want, sizeof want, "is %zu characters long; balmap takes up to %zu",
                     limits[k] + 1, limits[k]);
            CHECK_STRCONTAINS(e.message, want);
            CHECK_INTEQ(e.status, BM_ERR_INVALID);
            CHECK_STRCONTAINS(e.hint, "docs/limits.md");
            free(at);
            free(past);
        }
    }
}

/* Characters XML 1.0 cannot hold, and the C1 controls and DEL, are refused with the code point
 * and where they are; invalid UTF-8 too. */
static void control_characters_refused(void) {
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"a\x07z", "U+0007 (BEL)"},
        {"ab\x01", "U+0001 (SOH)"},
        {"a\x0Bz", "U+000B (VT)"},
        {"a\x1Bz", "U+001B (ESC)"},
        {"a\x7Fz", "U+007F (DEL)"},
        {"a\xC2\x85z", "U+0085"},
        {"a\xEF\xBF\xBFz", "U+FFFF"},
        {"a\xEF\xBF\xBEz", "U+FFFE"},
        {"a\xFFz", "invalid UTF-8 byte 0xFF"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int kind = BM_FIELD_NAME; kind <= BM_FIELD_PROSE; kind++) {
            bm_error e;
            CHECK(!passes(cases[i].text, (bm_field_kind)kind, &e));
            CHECK_STRCONTAINS(e.message, cases[i].want);
            CHECK_STRCONTAINS(e.message, "the field");
        }
    }
    bm_error e;
    CHECK(!passes("ab\x07", BM_FIELD_NAME, &e));
    CHECK_STRCONTAINS(e.message, "at character 3");
    /* right-to-left marks, isolates and joiners are text, not controls */
    CHECK(passes("\xE2\x81\xA8\xDA\xA9\xD9\x88\xD8\xA6\xD9\xB9\xDB\x81\xE2\x81\xA9", BM_FIELD_NAME,
                 &e));
    CHECK(passes("a\xE2\x80\x8D"
                 "b",
                 BM_FIELD_NAME, &e));
}

/* Tab, line feed and carriage return: a space in a one-line field, kept in prose. */
static void line_spaces_normalised(void) {
    char name[] = "Kech\tdistrict\r\nx", title[] = "Two\nlines", prose[] = "a\tb\r\nc";
    bm_error e = {0};
    CHECK(bm_text_check(name, BM_FIELD_NAME, "n", &e));
    CHECK_STREQ(name, "Kech district x");
    CHECK(bm_text_check(title, BM_FIELD_TITLE, "t", &e));
    CHECK_STREQ(title, "Two lines");
    CHECK(bm_text_check(prose, BM_FIELD_PROSE, "p", &e));
    CHECK_STREQ(prose, "a\tb\r\nc");
}

/* Nothing but white space, Unicode's too, is blank. */
static void blank_refused(void) {
    static const char *const blanks[] = {
        " ",
        "   ",
        "\t\n",
        "\xC2\xA0",
        "\xE3\x80\x80 ",
        "\xE2\x80\x8B",
        "\xEF\xBB\xBF",
        "\xE2\x80\xAF\xE2\x80\x83",
    };
    for (size_t i = 0; i < sizeof blanks / sizeof blanks[0]; i++) {
        bm_error e;
        CHECK(!passes(blanks[i], BM_FIELD_TITLE, &e));
        CHECK_STRCONTAINS(e.message, "is blank");
        CHECK_STRCONTAINS(e.hint, "--title");
    }
    bm_error e;
    CHECK(passes(" a ", BM_FIELD_TITLE, &e));
}

/* Parts of n_incidents incidents sharing one array of claims_each claims: a million claims
 * without a million structs. */
static size_t check_parts(size_t n_incidents, size_t claims_each, size_t n_places, bm_diags *d) {
    bm_place_ref *refs = calloc(n_places + 1, sizeof *refs);
    bm_claim *claims = calloc(claims_each, sizeof *claims);
    bm_incident *incs = calloc(n_incidents, sizeof *incs);
    size_t n_errors = 0;
    if (refs == NULL || claims == NULL || incs == NULL)
        goto done;
    for (size_t i = 0; i < n_places; i++)
        refs[i] = (bm_place_ref){.name = "Quetta", .pointer = "/p", .line = 3};
    for (size_t i = 0; i < claims_each; i++)
        claims[i] = (bm_claim){.id = "c", .pointer = "/incidents/0/claims/0", .line = 2};
    claims[0].places = refs;
    claims[0].n_places = n_places;
    for (size_t i = 0; i < n_incidents; i++)
        incs[i] = (bm_incident){.id = "i", .claims = claims, .n_claims = claims_each};
    bm_incidents_parts parts = {.title = "T", .incidents = incs, .n_incidents = n_incidents};
    bm_error err = {0};
    CHECK(bm_incidents_parts_check(&parts, "f.json", true, d, &err, &n_errors) == BM_OK);
done:
    free(refs);
    free(claims);
    free(incs);
    return n_errors;
}

static void claims_and_places_at_and_past_the_limit(void) {
    bm_diags d = {0};
    CHECK_INTEQ(check_parts(1000, BM_MAX_CLAIMS / 1000, 1, &d), 0);
    CHECK_INTEQ(check_parts(1, 1, BM_MAX_PLACES_PER_CLAIM, &d), 0);
    bm_diags_free(&d);
    CHECK_INTEQ(check_parts(1001, BM_MAX_CLAIMS / 1000, 1, &d), 1);
    REQUIRE(d.n_items == 1);
    CHECK_STRCONTAINS(d.items[0].where.message, "more than 1000000 claims in the file");
    CHECK_STREQ(d.items[0].where.file, "f.json");
    CHECK_STREQ(d.items[0].where.pointer, "/incidents/0/claims/0");
    CHECK_INTEQ(d.items[0].where.line, 2);
    bm_diags_free(&d);
    CHECK_INTEQ(check_parts(1, 1, BM_MAX_PLACES_PER_CLAIM + 1, &d), 1);
    REQUIRE(d.n_items == 1);
    CHECK_STRCONTAINS(d.items[0].where.message, "names 10001 places; balmap takes up to 10000");
    CHECK_STREQ(d.items[0].where.pointer, "/incidents/0/claims/0/places");
    bm_diags_free(&d);
}

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

/* The messages of loading text from a file of that name, joined; whether it was refused. */
static bool load(const char *name, const char *text, char *all, size_t size) {
    const char *path = put(name, text);
    bm_diags diags = {0};
    bm_error err = {0};
    bm_incidents *inc = bm_incidents_load(path, &diags, &err);
    size_t n = 0;
    all[0] = '\0';
    for (size_t i = 0; i < diags.n_items && n < size; i++)
        n += (size_t)snprintf(all + n, size - n, "%d %s: %s | %s\n", diags.items[i].where.line,
                              diags.items[i].where.pointer, diags.items[i].where.message,
                              diags.items[i].where.hint);
    const bool refused = inc == NULL;
    bm_incidents_free(inc);
    bm_diags_free(&diags);
    unlink(path);
    return refused;
}

#define JSON_HEAD                                                                                  \
    "{\"balmap\": 1, \"title\": \"T\",\n"                                                          \
    " \"sources\": [{\"id\": \"ispr\", \"label\": \"ISPR\", \"kind\": \"military\"}],\n"           \
    " \"incidents\": [{\"id\": \"i1\", \"date\": \"2026-01-20\", \"claims\": [\n"                  \
    "  {\"source\": \"ispr\", \"what\": \"killed\", \"who\": \"militants\", \"value\": 5,\n"       \
    "   \"claimed_on\": \"2026-01-21\", "
#define JSON_TAIL "}]}]}\n"

/* Control characters reach the readers' checks from every format, with where they are. */
static void control_characters_in_every_format(void) {
    char all[4096];
    CHECK(load("c.json", JSON_HEAD "\"places\": [\"Quetta\"], \"quote\": \"a\\u0007b\"" JSON_TAIL,
               all, sizeof all));
    CHECK_STRCONTAINS(all, "4 /incidents/0/claims/0/quote: control character U+0007 (BEL) in "
                           "the claim's quote");
    CHECK(load("c2.json", JSON_HEAD "\"places\": [\"Quet\\u001bta\"]" JSON_TAIL, all, sizeof all));
    CHECK_STRCONTAINS(all, "/incidents/0/claims/0/places/0: control character U+001B (ESC) in a "
                           "place name");
    CHECK(load("c.csv",
               "event_date,location,latitude,longitude,geo_precision,source,fatalities\n"
               "2026-01-02,Quetta,30.18,67.0,1,Dawn,1\n"
               "2026-01-03,Mas\x01tung,29.8,66.84,1,Dawn,1\n",
               all, sizeof all));
    CHECK_STRCONTAINS(all, "3 : control character U+0001 (SOH) in a place name");
    CHECK(load("c.geojson",
               "{\"type\": \"FeatureCollection\", \"features\": [\n"
               "{\"type\": \"Feature\",\n"
               " \"geometry\": {\"type\": \"Point\", \"coordinates\": [66.99, 30.18]},\n"
               " \"properties\": {\"source\": \"ispr\", \"what\": \"killed\",\n"
               "  \"who\": \"militants\", \"value\": 5, \"place\": \"Quetta\",\n"
               "  \"claimed_on\": \"2026-01-02\", \"reported_by\": \"Da\\u007fwn\"}}]}\n",
               all, sizeof all));
    CHECK_STRCONTAINS(all, "2 /features/0: control character U+007F (DEL) in the claim's "
                           "reported_by");
    /* a tab in a place name is a space: the place is found */
    CHECK(!load("t.json", JSON_HEAD "\"places\": [\"Quetta\\t\"]" JSON_TAIL, all, sizeof all));
}

/* Text fields of the JSON format at and past their limits, with the pointer. */
static void json_fields_at_and_past_the_limit(void) {
    char all[4096];
    char *text = malloc(BM_MAX_PROSE_CHARS + 4096);
    char *name = repeat("b", BM_MAX_NAME_CHARS + 1), *quote = repeat("q", BM_MAX_PROSE_CHARS + 1);
    char *title = repeat("t", BM_MAX_TITLE_CHARS + 1);
    REQUIRE(text != NULL && name != NULL && quote != NULL && title != NULL);
    for (int past = 0; past < 2; past++) {
        const size_t cut = past ? 0 : 1;
        snprintf(text, BM_MAX_PROSE_CHARS + 4096,
                 JSON_HEAD
                 "\"places\": [\"Quetta\"], \"quote\": \"%s\", \"object\": \"%s\"" JSON_TAIL,
                 quote + cut, name + cut);
        CHECK(load("q.json", text, all, sizeof all) == (past == 1));
        if (past) {
            CHECK_STRCONTAINS(all, "/incidents/0/claims/0/quote: the claim's quote is 10001 "
                                   "characters long; balmap takes up to 10000");
            CHECK_STRCONTAINS(all, "/incidents/0/claims/0/object: the claim's object is 201 "
                                   "characters long; balmap takes up to 200");
        }
        snprintf(text, BM_MAX_PROSE_CHARS + 4096,
                 "{\"balmap\": 1, \"title\": \"%s\",\n"
                 " \"sources\": [{\"id\": \"ispr\", \"label\": \"%s\", \"kind\": \"military\"}],\n"
                 " \"incidents\": [{\"id\": \"i1\", \"date\": \"2026-01-20\", \"claims\": [\n"
                 "  {\"source\": \"ispr\", \"what\": \"killed\", \"who\": \"militants\", "
                 "\"value\": 5,\n"
                 "   \"claimed_on\": \"2026-01-21\", \"places\": [\"Quetta\"]}]}]}\n",
                 title + cut, name + cut);
        CHECK(load("t.json", text, all, sizeof all) == (past == 1));
        if (past) {
            CHECK_STRCONTAINS(all, "/title: the title is 501 characters long");
            CHECK_STRCONTAINS(all, "2 /sources/0/label: the source's label is 201 characters");
        }
    }
    free(text);
    free(name);
    free(quote);
    free(title);
}

/* 1,000 levels of JSON are read (and refused for what they hold); 1,001 for their depth. */
static void nesting_at_and_past_the_limit(void) {
    char all[4096];
    char *deep = malloc(2 * BM_MAX_NESTING + 8);
    REQUIRE(deep != NULL);
    for (int past = 0; past < 2; past++) {
        const size_t n = BM_MAX_NESTING + (size_t)past;
        memset(deep, '[', n);
        memset(deep + n, ']', n);
        deep[2 * n] = '\0';
        CHECK(load("deep.json", deep, all, sizeof all));
        if (past)
            CHECK_STRCONTAINS(all, "nesting deeper than 1000 levels");
        else
            CHECK(strstr(all, "nesting") == NULL);
    }
    free(deep);
}

/* A CSV written by a spreadsheet: a byte-order mark, then a quoted header (refused before). */
static void csv_bom_and_quoted_header(void) {
    char all[4096];
    CHECK(!load("bom.csv",
                "\xEF\xBB\xBF\"event_date\",\"location\",\"latitude\",\"longitude\","
                "\"geo_precision\",\"source\",\"fatalities\"\r\n"
                "\"2026-01-02\",\"Quetta\",\"30.18\",\"67.0\",\"1\",\"Dawn\",\"1\"\r\n",
                all, sizeof all));
    CHECK_STREQ(all, "");
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/bm-test-limits-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return 1;
    RUN(lengths_at_and_past_the_limit);
    RUN(control_characters_refused);
    RUN(line_spaces_normalised);
    RUN(blank_refused);
    RUN(claims_and_places_at_and_past_the_limit);
    RUN(control_characters_in_every_format);
    RUN(json_fields_at_and_past_the_limit);
    RUN(nesting_at_and_past_the_limit);
    RUN(csv_bom_and_quoted_header);
    rmdir(dir);
    return CHECK_DONE();
}
