/* SPDX-License-Identifier: MIT */
/* test_incidents.c - the incident model and its JSON reader: the examples, and one bad file per
 * defect with the exact message, pointer and line. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "incidents.h"
#include "incidents_load.h"
#include "incidents_readers.h"

#define EXAMPLES BM_SOURCE_DIR "/examples"

static const bm_claim *find_claim(const bm_incidents *inc, const char *id) {
    for (size_t i = 0; i < bm_incidents_n_incidents(inc); i++) {
        const bm_incident *incident = bm_incidents_incident(inc, i);
        for (size_t k = 0; k < incident->n_claims; k++) {
            if (strcmp(incident->claims[k].id, id) == 0)
                return &incident->claims[k];
        }
    }
    return NULL;
}

/* The line of the '{' that opens the object whose "id" member is id: the line before it. */
static int line_of_object_with_id(const char *path, const char *id) {
    char want[128], text[1024];
    snprintf(want, sizeof want, "\"id\": \"%s\"", id);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    int line = 0, found = -1;
    while (fgets(text, sizeof text, f) != NULL) {
        line++;
        if (strstr(text, want) != NULL) {
            found = line - 1;
            break;
        }
    }
    fclose(f);
    return found;
}

static size_t n_claims(const bm_incidents *inc) {
    size_t n = 0;
    for (size_t i = 0; i < bm_incidents_n_incidents(inc); i++)
        n += bm_incidents_incident(inc, i)->n_claims;
    return n;
}

static void herof2_loads_with_every_claim_and_no_problem(void) {
    bm_diags diags = {0};
    bm_error err = {0};
    bm_incidents *inc = bm_incidents_load(EXAMPLES "/herof2.json", &diags, &err);
    REQUIRE(inc != NULL);
    CHECK_INTEQ(diags.n_errors, 0);
    CHECK_INTEQ(diags.n_warnings, 0);
    CHECK_INTEQ(bm_incidents_n_sources(inc), 3);
    CHECK_INTEQ(bm_incidents_n_incidents(inc), 2);
    CHECK_INTEQ(n_claims(inc), 12);
    CHECK_INTEQ(bm_incidents_incident(inc, 0)->n_claims, 11);
    CHECK_INTEQ(bm_incidents_incident(inc, 1)->n_claims, 1);
    CHECK_INTEQ(bm_incidents_n_pins(inc), 0);
    CHECK_STREQ(bm_incidents_path(inc), EXAMPLES "/herof2.json");
    CHECK_STRCONTAINS(bm_incidents_title(inc), "Herof 2.0");
    CHECK(bm_incidents_subtitle(inc) != NULL);
    CHECK_STRCONTAINS(bm_incidents_report(inc), "Asianet Newsable");
    CHECK_INTEQ(bm_incidents_n_notes(inc), 3);
    CHECK_STRCONTAINS(bm_incidents_note(inc, 1), "splits it only when asked");
    bm_incidents_free(inc);
    bm_diags_free(&diags);
}

static void herof2_sources_are_ispr_bla_and_the_provincial_government(void) {
    bm_error err = {0};
    bm_incidents *inc = bm_incidents_load(EXAMPLES "/herof2.json", NULL, &err);
    REQUIRE(inc != NULL);
    CHECK_STREQ(bm_incidents_source(inc, 0)->id, "ispr");
    CHECK_STREQ(bm_incidents_source(inc, 0)->label, "ISPR");
    CHECK_STREQ(bm_incidents_source(inc, 0)->kind, "military");
    CHECK_STRCONTAINS(bm_incidents_source(inc, 0)->note, "Express Tribune");
    CHECK_STREQ(bm_incidents_source(inc, 1)->id, "bla");
    CHECK_STREQ(bm_incidents_source(inc, 1)->kind, "armed_group");
    CHECK_STREQ(bm_incidents_source(inc, 2)->id, "balochistan_govt");
    CHECK_STREQ(bm_incidents_source(inc, 2)->kind, "government");
    CHECK_STRCONTAINS(bm_incidents_source(inc, 2)->name, "Shahid Rind");
    CHECK_STREQ(bm_incidents_source(inc, 1)->pointer, "/sources/1");
    bm_incidents_free(inc);
}

static void herof2_dates_rest_on_the_later_report(void) {
    bm_error err = {0};
    bm_incidents *inc = bm_incidents_load(EXAMPLES "/herof2.json", NULL, &err);
    REQUIRE(inc != NULL);
    const bm_incident *saturday = bm_incidents_incident(inc, 0);
    const bm_incident *friday = bm_incidents_incident(inc, 1);
    CHECK_STREQ(saturday->id, "herof2");
    CHECK_STREQ(saturday->date_start, "2026-01-31");
    CHECK_STREQ(saturday->date_end, "2026-01-31");
    CHECK_STRCONTAINS(saturday->date_note, "2026-02-03");
    CHECK_STREQ(friday->id, "panjgur-harnai");
    CHECK_STREQ(friday->date_start, "2026-01-30");
    CHECK_STRCONTAINS(friday->date_note, "Friday");
    CHECK_STREQ(friday->claims[0].claimed_on, "2026-01-30");
    bm_incidents_free(inc);
}

static void herof2_ispr_aggregate_keeps_one_value_over_nine_places(void) {
    bm_error err = {0};
    bm_incidents *inc = bm_incidents_load(EXAMPLES "/herof2.json", NULL, &err);
    REQUIRE(inc != NULL);
    const bm_claim *c = find_claim(inc, "ispr-militants-killed");
    REQUIRE(c != NULL);
    CHECK_STREQ(bm_incidents_source(inc, c->source)->id, "ispr");
    CHECK(c->what == BM_Q_KILLED);
    CHECK(c->who == BM_PARTY_MILITANTS);
    CHECK(c->value.kind == BM_VALUE_EXACT);
    CHECK_INTEQ(c->value.min, 92);
    CHECK_INTEQ(c->value.max, 92);
    CHECK(!c->is_cumulative);
    REQUIRE(c->n_places == 9);
    static const char *const nine[] = {"Quetta",  "Mastung", "Nushki", "Dalbandin", "Kharan",
                                       "Panjgur", "Tump",    "Gwadar", "Pasni"};
    for (size_t i = 0; i < 9; i++) {
        CHECK_STREQ(c->places[i].name, nine[i]);
        CHECK(c->places[i].kind == NULL);
    }
    CHECK_STREQ(c->places[2].pointer, "/incidents/0/claims/0/places/2");
    CHECK_STREQ(c->claimed_on, "2026-01-31");
    CHECK_STREQ(c->reported_by, "The Express Tribune");
    CHECK_STRCONTAINS(c->quote, "including three suicide attackers");
    CHECK_STREQ(c->pointer, "/incidents/0/claims/0");
    CHECK_INTEQ(c->line, line_of_object_with_id(EXAMPLES "/herof2.json", c->id));
    CHECK_INTEQ(c->places[0].line, c->line + 6);

    const bm_claim *sf = find_claim(inc, "ispr-security-killed");
    REQUIRE(sf != NULL);
    CHECK(sf->who == BM_PARTY_SECURITY_FORCES);
    CHECK_INTEQ(sf->value.min, 15);
    CHECK_INTEQ(sf->n_places, 9);
    CHECK_INTEQ(sf->line, line_of_object_with_id(EXAMPLES "/herof2.json", sf->id));
    bm_incidents_free(inc);
}

static void herof2_civilian_claim_names_two_districts(void) {
    bm_error err = {0};
    bm_incidents *inc = bm_incidents_load(EXAMPLES "/herof2.json", NULL, &err);
    REQUIRE(inc != NULL);
    const bm_claim *c = find_claim(inc, "ispr-civilians-killed");
    REQUIRE(c != NULL);
    CHECK(c->who == BM_PARTY_CIVILIANS);
    CHECK_INTEQ(c->value.min, 18);
    REQUIRE(c->n_places == 2);
    CHECK_STREQ(c->places[0].name, "Gwadar");
    CHECK_STREQ(c->places[0].kind, "district");
    CHECK_STREQ(c->places[1].name, "Kharan");
    CHECK_STREQ(c->places[1].kind, "district");
    CHECK_INTEQ(c->line, line_of_object_with_id(EXAMPLES "/herof2.json", c->id));
    bm_incidents_free(inc);
}

static void herof2_two_day_total_is_cumulative_and_friday_is_separate(void) {
    bm_error err = {0};
    bm_incidents *inc = bm_incidents_load(EXAMPLES "/herof2.json", NULL, &err);
    REQUIRE(inc != NULL);
    const bm_claim *total = find_claim(inc, "ispr-militants-two-day-total");
    REQUIRE(total != NULL);
    CHECK(total->is_cumulative);
    CHECK_INTEQ(total->value.min, 133);
    REQUIRE(total->n_places == 1);
    CHECK_STREQ(total->places[0].name, "Balochistan");
    CHECK_STREQ(total->places[0].kind, "province");
    const bm_claim *friday = find_claim(inc, "ispr-friday-militants-killed");
    REQUIRE(friday != NULL);
    CHECK(!friday->is_cumulative);
    CHECK_INTEQ(friday->value.min, 41);
    REQUIRE(friday->n_places == 2);
    CHECK_STREQ(friday->places[0].name, "Panjgur");
    CHECK_STREQ(friday->places[1].name, "Harnai");
    CHECK_STREQ(friday->pointer, "/incidents/1/claims/0");
    /* Exactly one claim in the file is a running total. */
    size_t n_cumulative = 0;
    for (size_t i = 0; i < bm_incidents_n_incidents(inc); i++) {
        const bm_incident *incident = bm_incidents_incident(inc, i);
        for (size_t k = 0; k < incident->n_claims; k++)
            n_cumulative += incident->claims[k].is_cumulative;
    }
    CHECK_INTEQ(n_cumulative, 1);
    bm_incidents_free(inc);
}

static void herof2_bla_claims_keep_its_spellings_and_wording(void) {
    bm_error err = {0};
    bm_incidents *inc = bm_incidents_load(EXAMPLES "/herof2.json", NULL, &err);
    REQUIRE(inc != NULL);
    const bm_claim *attacked = find_claim(inc, "bla-locations-attacked");
    REQUIRE(attacked != NULL);
    CHECK(attacked->what == BM_Q_ATTACKED);
    CHECK_STREQ(attacked->object, "locations");
    CHECK_INTEQ(attacked->value.min, 48);
    CHECK_STRCONTAINS(attacked->quote, "14 cities");
    REQUIRE(attacked->n_places == 16);
    CHECK_STREQ(attacked->places[1].name, "Noshki");
    CHECK_STREQ(attacked->places[13].name, "Lasbela");
    CHECK_STREQ(attacked->places[13].kind, "district");
    CHECK_STREQ(attacked->places[14].name, "Kech");
    CHECK_STREQ(attacked->places[14].kind, "district");
    CHECK_STREQ(attacked->places[15].name, "Awaran");
    CHECK(attacked->places[15].kind == NULL);

    const bm_claim *killed = find_claim(inc, "bla-security-killed");
    REQUIRE(killed != NULL);
    CHECK(killed->who == BM_PARTY_SECURITY_FORCES);
    CHECK_INTEQ(killed->value.min, 84);
    CHECK(killed->reported_by == NULL);

    const bm_claim *wounded = find_claim(inc, "bla-wounded");
    REQUIRE(wounded != NULL);
    CHECK(wounded->what == BM_Q_WOUNDED);
    CHECK(wounded->value.kind == BM_VALUE_AT_LEAST);
    CHECK(wounded->value.is_vague_word);
    CHECK_INTEQ(wounded->value.min, 12);
    CHECK(wounded->value.max == BM_VALUE_UNBOUNDED);
    CHECK_STREQ(wounded->value.text, "dozens");
    char said[64];
    bm_value_format(&wounded->value, said, sizeof said);
    CHECK_STREQ(said, "dozens (at least 12)");

    const bm_claim *captured = find_claim(inc, "bla-captured");
    REQUIRE(captured != NULL);
    CHECK(captured->what == BM_Q_CAPTURED);
    CHECK_INTEQ(captured->value.min, 18);

    const bm_claim *properties = find_claim(inc, "bla-properties-destroyed");
    REQUIRE(properties != NULL);
    CHECK(properties->what == BM_Q_DESTROYED);
    CHECK_STREQ(properties->object, "government properties");
    CHECK(properties->value.kind == BM_VALUE_AT_LEAST);
    CHECK(!properties->value.is_vague_word);
    CHECK_INTEQ(properties->value.min, 31);
    CHECK_STREQ(properties->value.text, "more than 30");
    bm_value_format(&properties->value, said, sizeof said);
    CHECK_STREQ(said, "more than 30");

    const bm_claim *vehicles = find_claim(inc, "bla-vehicles-destroyed");
    REQUIRE(vehicles != NULL);
    CHECK_STREQ(vehicles->object, "vehicles");
    CHECK_INTEQ(vehicles->value.min, 24);
    CHECK_STREQ(vehicles->value.text, "more than 23");
    CHECK_INTEQ(vehicles->line, line_of_object_with_id(EXAMPLES "/herof2.json", vehicles->id));
    bm_incidents_free(inc);
}

static void herof2_government_statement_has_no_figure(void) {
    bm_error err = {0};
    bm_incidents *inc = bm_incidents_load(EXAMPLES "/herof2.json", NULL, &err);
    REQUIRE(inc != NULL);
    const bm_claim *c = find_claim(inc, "govt-attacks-foiled");
    REQUIRE(c != NULL);
    CHECK_STREQ(bm_incidents_source(inc, c->source)->id, "balochistan_govt");
    CHECK(c->value.kind == BM_VALUE_NONE);
    CHECK_STRCONTAINS(c->quote, "a few locations");
    char said[64];
    bm_value_format(&c->value, said, sizeof said);
    CHECK_STREQ(said, "no figure");
    bm_incidents_free(inc);
}

static void timeline_loads_and_links_revisions(void) {
    bm_diags diags = {0};
    bm_error err = {0};
    bm_incidents *inc = bm_incidents_load(EXAMPLES "/herof2-timeline.json", &diags, &err);
    if (inc == NULL)
        fprintf(stderr, "  %s:%d: %s: %s\n", err.file, err.line, err.pointer, err.message);
    REQUIRE(inc != NULL);
    CHECK_INTEQ(diags.n_errors, 0);
    CHECK_INTEQ(diags.n_warnings, 0);
    /* The BLA's count of security personnel killed, as it rose. */
    static const char *const series[] = {"bla-killed-1", "bla-killed-2", "bla-killed-3",
                                         "bla-killed-4", "bla-killed-5"};
    static const int64_t figures[] = {84, 150, 200, 310, 362};
    const char *previous_on = "";
    for (size_t i = 0; i < 5; i++) {
        const bm_claim *c = find_claim(inc, series[i]);
        REQUIRE(c != NULL);
        CHECK_INTEQ(c->value.min, figures[i]);
        CHECK(c->url != NULL);
        CHECK(strcmp(c->claimed_on, previous_on) >= 0);
        previous_on = c->claimed_on;
        if (i > 0)
            CHECK_STREQ(c->revises, series[i - 1]);
    }
    static const char *const state[] = {"state-militants-1", "state-militants-2",
                                        "state-militants-3", "state-militants-4",
                                        "state-militants-5"};
    static const int64_t state_figures[] = {92, 133, 145, 197, 216};
    for (size_t i = 0; i < 5; i++) {
        const bm_claim *c = find_claim(inc, state[i]);
        REQUIRE(c != NULL);
        CHECK_INTEQ(c->value.min, state_figures[i]);
        CHECK(c->who == BM_PARTY_MILITANTS);
    }
    static const char *const sf[] = {"state-security-1", "state-security-2", "state-security-3",
                                     "state-security-4"};
    static const int64_t sf_figures[] = {10, 15, 17, 22};
    for (size_t i = 0; i < 4; i++) {
        const bm_claim *c = find_claim(inc, sf[i]);
        REQUIRE(c != NULL);
        CHECK_INTEQ(c->value.min, sf_figures[i]);
        CHECK(c->who == BM_PARTY_SECURITY_FORCES);
    }
    static const char *const civ[] = {"state-civilians-1", "state-civilians-2",
                                      "state-civilians-3"};
    static const int64_t civ_figures[] = {11, 18, 36};
    for (size_t i = 0; i < 3; i++) {
        const bm_claim *c = find_claim(inc, civ[i]);
        REQUIRE(c != NULL);
        CHECK_INTEQ(c->value.min, civ_figures[i]);
        CHECK(c->who == BM_PARTY_CIVILIANS);
    }
    bm_incidents_free(inc);
    bm_diags_free(&diags);
}

/* The structural rules in C: every example loads with no error and no warning. */
static void every_example_is_valid(void) {
    DIR *dir = opendir(EXAMPLES);
    REQUIRE(dir != NULL);
    int n_checked = 0;
    const struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        const size_t n = strlen(entry->d_name);
        /* batch.json is a manifest of maps (docs/batch.md), not an incident file. */
        if (n < 6 || strcmp(entry->d_name + n - 5, ".json") != 0 ||
            strcmp(entry->d_name, "batch.json") == 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", EXAMPLES, entry->d_name);
        bm_diags diags = {0};
        bm_error err = {0};
        bm_incidents *inc = bm_incidents_load(path, &diags, &err);
        if (inc == NULL || diags.n_items > 0)
            fprintf(stderr, "  %s: %s\n", path, diags.n_items ? diags.items[0].where.message : "");
        CHECK(inc != NULL);
        CHECK_INTEQ(diags.n_errors + diags.n_warnings, 0);
        bm_incidents_free(inc);
        bm_diags_free(&diags);
        n_checked++;
    }
    closedir(dir);
    CHECK(n_checked >= 2);
}

typedef struct bad_case {
    const char *file;
    bm_severity severity;
    bm_status status;
    const char *message; /* a substring of the message */
    const char *pointer; /* exact */
    int line, column;    /* exact; column 0 = not checked */
    const char *hint;    /* a substring of the hint, or NULL */
} bad_case;

static const bad_case bad_cases[] = {
    {"negative.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "negative count -5; expected a whole number >= 0", "/incidents/0/claims/0/value", 18, 20,
     NULL},
    {"fractional.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "fractional count 2.5; expected a whole number", "/incidents/0/claims/0/value", 18, 20,
     "never rounded"},
    {"absurd.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "count 5000000000 is absurd; expected at most 1000000", "/incidents/0/claims/0/value", 18, 20,
     NULL},
    {"nan-string.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "expected a whole number >= 0, found a string ('NaN')", "/incidents/0/claims/0/value", 18, 20,
     "NaN"},
    {"quoted-number.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "expected a whole number >= 0, found a string ('92')", "/incidents/0/claims/0/value", 18, 20,
     "without quotes"},
    {"duplicate-id.json", BM_SEV_ERROR, BM_ERR_INVALID, "duplicate claim id 'c1'",
     "/incidents/0/claims/1/id", 23, 17, "line 13"},
    {"duplicate-source-id.json", BM_SEV_ERROR, BM_ERR_INVALID, "duplicate source id 'ispr'",
     "/sources/1/id", 6, 12, "line 5"},
    {"duplicate-key.json", BM_SEV_ERROR, BM_ERR_INVALID, "duplicate key 'value' in claim",
     "/incidents/0/claims/0/value", 19, 11, "line 18"},
    {"unknown-source.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "unknown source 'ipsr'; expected one of: ispr, bla", "/incidents/0/claims/0/source", 15, 21,
     "did you mean 'ispr'?"},
    {"unknown-what.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "unknown 'what' value 'kiled'; expected one of: killed, wounded, captured, attacked, "
     "destroyed",
     "/incidents/0/claims/0/what", 16, 19, "did you mean 'killed'?"},
    {"unknown-who.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "unknown 'who' value 'rebels'; expected one of: militants, security_forces, civilians, "
     "unspecified",
     "/incidents/0/claims/0/who", 17, 18, NULL},
    {"unknown-place-kind.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "unknown place kind 'city'; expected one of: town, district, province",
     "/incidents/0/claims/0/places/0/kind", 19, 49, NULL},
    {"unknown-source-kind.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "unknown source kind 'army'; expected one of: military, armed_group, government, media, "
     "other",
     "/sources/0/kind", 5, 45, NULL},
    {"empty-places.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "empty 'places' in claim; expected at least one place", "/incidents/0/claims/0/places", 19, 21,
     NULL},
    {"missing-places.json", BM_SEV_ERROR, BM_ERR_INVALID, "missing required key 'places' in claim",
     "/incidents/0/claims/0", 13, 9, "Balochistan"},
    {"empty-place-name.json", BM_SEV_ERROR, BM_ERR_INVALID, "empty place name",
     "/incidents/0/claims/0/places/1", 19, 32, NULL},
    {"invalid-date.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "invalid date '2026-02-30' in 'claimed_on': day 30 is not in month 02 of 2026, which has 28 "
     "days",
     "/incidents/0/claims/0/claimed_on", 20, 25, NULL},
    {"malformed-date.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "invalid date '31/01/2026' in 'claimed_on': expected YYYY-MM-DD",
     "/incidents/0/claims/0/claimed_on", 20, 25, NULL},
    {"missing-claimed-on.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "missing required key 'claimed_on' in claim", "/incidents/0/claims/0", 13, 9, NULL},
    {"reversed-range.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "reversed range in 'value': 'min' 20 is greater than 'max' 10", "/incidents/0/claims/0/value",
     18, 20, "swap"},
    {"reversed-date-range.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "reversed date range: 'start' 2026-02-06 is after 'end' 2026-01-31", "/incidents/0/date", 11,
     15, NULL},
    {"mixed-value-forms.json", BM_SEV_ERROR, BM_ERR_INVALID, "'value' mixes forms",
     "/incidents/0/claims/0/value", 18, 20, NULL},
    {"unknown-vague-word.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "unknown vague word 'scores' in 'value'; expected one of: several, many, dozens, hundreds",
     "/incidents/0/claims/0/value/text", 18, 29, NULL},
    {"invalid-utf8.json", BM_SEV_ERROR, BM_ERR_SYNTAX,
     "invalid UTF-8 byte 0xFC; expected UTF-8 text", "", 19, 37, "UTF-8"},
    {"syntax-missing-comma.json", BM_SEV_ERROR, BM_ERR_SYNTAX,
     "invalid JSON: expected ',' or '}' before '\"'", "", 19, 11, "missing comma"},
    {"syntax-trailing-comma.json", BM_SEV_ERROR, BM_ERR_SYNTAX,
     "invalid JSON: trailing comma before ']'", "", 19, 41, "remove the comma"},
    {"wrong-version.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "unsupported format version in 'balmap'; expected 1, found a number (2)", "/balmap", 2, 13,
     NULL},
    {"missing-version.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "missing required key 'balmap' in the file", "", 1, 1, "\"balmap\": 1"},
    {"not-an-object.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "expected an object at the top of the file, found an array", "", 1, 1, NULL},
    {"pin-out-of-range.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "'lat' 300 is out of range; expected -90 to 90", "/places/0/lat", 9, 31, NULL},
    {"pin-without-source.json", BM_SEV_ERROR, BM_ERR_INVALID,
     "missing required key 'source' in place pin", "/places/0", 9, 5, NULL},
    {"unknown-revises.json", BM_SEV_ERROR, BM_ERR_INVALID, "'revises' names unknown claim 'c2'",
     "/incidents/0/claims/0/revises", 13, 0, "did you mean 'c1'?"},
    {"unknown-key.json", BM_SEV_WARNING, BM_ERR_INVALID,
     "unknown key 'vlaue' in claim (ignored); expected one of: id, source, what, who, object, "
     "value,",
     "/incidents/0/claims/0/vlaue", 18, 11, "did you mean 'value'?"},
};

static void each_bad_file_gives_one_exact_problem(void) {
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *want = &bad_cases[i];
        char path[1024];
        snprintf(path, sizeof path, "%s/bad/%s", BM_TEST_DATA, want->file);
        bm_diags diags = {0};
        bm_error err = {0};
        bm_incidents *inc = bm_incidents_load(path, &diags, &err);
        const bool is_error = want->severity == BM_SEV_ERROR;
        if (diags.n_items != 1)
            fprintf(stderr, "  in %s:\n", want->file);
        CHECK_INTEQ(diags.n_items, 1);
        CHECK_INTEQ(diags.n_errors, is_error ? 1 : 0);
        CHECK_INTEQ(diags.n_warnings, is_error ? 0 : 1);
        CHECK(is_error ? inc == NULL : inc != NULL);
        CHECK(is_error ? err.status == want->status : err.status == BM_OK);
        if (diags.n_items >= 1) {
            const bm_error *got = &diags.items[0].where;
            CHECK(diags.items[0].severity == want->severity);
            CHECK_STRCONTAINS(got->message, want->message);
            CHECK_STREQ(got->pointer, want->pointer);
            CHECK_STREQ(got->file, path);
            CHECK_INTEQ(got->line, want->line);
            if (want->column != 0)
                CHECK_INTEQ(got->column, want->column);
            if (want->hint != NULL)
                CHECK_STRCONTAINS(got->hint, want->hint);
            if (is_error)
                CHECK_STREQ(err.message, got->message);
        }
        if (check_test_failed)
            fprintf(stderr, "  (case %s)\n", want->file);
        bm_incidents_free(inc);
        bm_diags_free(&diags);
    }
}

/* A one-claim file around the given claim members (after "source": "s"). */
static bm_incidents *parse_claim(const char *members, bm_diags *diags, bm_error *err) {
    char text[4096];
    snprintf(text, sizeof text,
             "{\"balmap\": 1, \"title\": \"t\",\n"
             " \"sources\": [{\"id\": \"s\", \"label\": \"S\", \"kind\": \"media\"}],\n"
             " \"incidents\": [{\"id\": \"i\", \"date\": \"2026-01-31\", \"claims\": [\n"
             "  {\"source\": \"s\", \"what\": \"killed\", \"who\": \"civilians\", "
             "\"claimed_on\": \"2026-01-31\", %s}]}]}\n",
             members);
    return bm_incidents_parse(text, strlen(text), "inline.json", diags, err);
}

static void value_forms_give_documented_bounds(void) {
    static const struct {
        const char *value;
        bm_value_kind kind;
        int64_t min, max;
        const char *said;
    } cases[] = {
        {"\"value\": 0", BM_VALUE_EXACT, 0, 0, "0"},
        {"\"value\": {\"min\": 10, \"max\": 20}", BM_VALUE_RANGE, 10, 20, "10-20"},
        {"\"value\": {\"min\": 7, \"max\": 7}", BM_VALUE_EXACT, 7, 7, "7"},
        {"\"value\": {\"at_least\": 31}", BM_VALUE_AT_LEAST, 31, BM_VALUE_UNBOUNDED, "at least 31"},
        {"\"value\": {\"more_than\": 0}", BM_VALUE_AT_LEAST, 1, BM_VALUE_UNBOUNDED, "more than 0"},
        {"\"value\": {\"text\": \"several\"}", BM_VALUE_AT_LEAST, 3, BM_VALUE_UNBOUNDED,
         "several (at least 3)"},
        {"\"value\": {\"text\": \"Many\"}", BM_VALUE_AT_LEAST, 10, BM_VALUE_UNBOUNDED,
         "Many (at least 10)"},
        {"\"value\": {\"text\": \"hundreds\"}", BM_VALUE_AT_LEAST, 100, BM_VALUE_UNBOUNDED,
         "hundreds (at least 100)"},
        {"\"value\": 1000000", BM_VALUE_EXACT, 1000000, 1000000, "1000000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char members[512];
        snprintf(members, sizeof members, "%s, \"places\": [\"Quetta\"]", cases[i].value);
        bm_diags diags = {0};
        bm_error err = {0};
        bm_incidents *inc = parse_claim(members, &diags, &err);
        if (inc == NULL)
            fprintf(stderr, "  %s: %s\n", cases[i].value, err.message);
        REQUIRE(inc != NULL);
        const bm_value *v = &bm_incidents_incident(inc, 0)->claims[0].value;
        CHECK(v->kind == cases[i].kind);
        CHECK_INTEQ(v->min, cases[i].min);
        CHECK(v->max == cases[i].max);
        char said[64];
        bm_value_format(v, said, sizeof said);
        CHECK_STREQ(said, cases[i].said);
        bm_incidents_free(inc);
        bm_diags_free(&diags);
    }
}

static void claim_without_figure_may_omit_places_but_a_figure_may_not(void) {
    bm_diags diags = {0};
    bm_error err = {0};
    bm_incidents *inc = parse_claim("\"value\": null", &diags, &err);
    REQUIRE(inc != NULL);
    const bm_claim *c = &bm_incidents_incident(inc, 0)->claims[0];
    CHECK(c->value.kind == BM_VALUE_NONE);
    CHECK_INTEQ(c->n_places, 0);
    CHECK_STREQ(c->id, "i/0");
    CHECK_INTEQ(c->line, 4);
    bm_incidents_free(inc);
    bm_diags_free(&diags);

    bm_error err2 = {0};
    CHECK(parse_claim("\"value\": 3", NULL, &err2) == NULL);
    CHECK_STRCONTAINS(err2.message, "missing required key 'places' in claim");
}

static void date_times_with_offsets_are_accepted_and_checked(void) {
    bm_error err = {0};
    const char *good = "{\"balmap\": 1, \"title\": \"t\", \"sources\": [{\"id\": \"s\", "
                       "\"label\": \"S\", \"kind\": \"other\"}], \"incidents\": [{\"id\": \"i\", "
                       "\"date\": {\"start\": \"2026-01-31T05:00+05:00\", \"end\": "
                       "\"2026-02-06T16:00:00Z\"}, \"claims\": [{\"source\": \"s\", \"what\": "
                       "\"attacked\", \"who\": \"unspecified\", \"claimed_on\": "
                       "\"2024-02-29T23:59:59-01:30\"}]}]}";
    bm_incidents *inc = bm_incidents_parse(good, strlen(good), NULL, NULL, &err);
    if (inc == NULL)
        fprintf(stderr, "  %s\n", err.message);
    REQUIRE(inc != NULL);
    CHECK_STREQ(bm_incidents_incident(inc, 0)->date_start, "2026-01-31T05:00+05:00");
    CHECK_STREQ(bm_incidents_incident(inc, 0)->date_end, "2026-02-06T16:00:00Z");
    CHECK_STREQ(bm_incidents_path(inc), "");
    bm_incidents_free(inc);

    static const char *const bad[] = {"2025-02-29",         "2026-13-01",       "2026-01-31T24:00",
                                      "2026-01-31T05:00+5", "2026-01-31 05:00", "2026-1-31"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char members[256];
        snprintf(members, sizeof members, "\"value\": null, \"note\": \"x\"");
        char text[1024];
        snprintf(text, sizeof text,
                 "{\"balmap\": 1, \"title\": \"t\", \"sources\": [{\"id\": \"s\", \"label\": "
                 "\"S\", \"kind\": \"other\"}], \"incidents\": [{\"id\": \"i\", \"date\": "
                 "\"%s\", \"claims\": [{\"source\": \"s\", \"what\": \"killed\", \"who\": "
                 "\"civilians\", \"claimed_on\": \"2026-01-31\", %s}]}]}",
                 bad[i], members);
        bm_error e = {0};
        CHECK(bm_incidents_parse(text, strlen(text), NULL, NULL, &e) == NULL);
        CHECK_STRCONTAINS(e.message, "invalid date");
        CHECK_STREQ(e.pointer, "/incidents/0/date");
    }
}

static void pins_take_coordinates_with_a_source_or_a_gazetteer_id(void) {
    const char *text =
        "{\"balmap\": 1, \"title\": \"t\",\n"
        " \"sources\": [{\"id\": \"s\", \"label\": \"S\", \"kind\": \"other\"}],\n"
        " \"places\": [\n"
        "  {\"name\": \"Tump\", \"kind\": \"town\", \"lat\": 26.099, \"lon\": 62.364,\n"
        "   \"source\": \"ACLED gazetteer point\"},\n"
        "  {\"name\": \"Kech\", \"kind\": \"district\", \"gazetteer_id\": \"PK.02.kech\"}\n"
        " ],\n"
        " \"incidents\": [{\"id\": \"i\", \"date\": \"2026-01-31\", \"claims\": [{\"source\": "
        "\"s\", \"what\": \"killed\", \"who\": \"civilians\", \"claimed_on\": \"2026-01-31\"}]}]}";
    bm_error err = {0};
    bm_incidents *inc = bm_incidents_parse(text, strlen(text), "pins.json", NULL, &err);
    if (inc == NULL)
        fprintf(stderr, "  %s\n", err.message);
    REQUIRE(inc != NULL);
    REQUIRE(bm_incidents_n_pins(inc) == 2);
    const bm_place_pin *tump = bm_incidents_pin(inc, 0);
    CHECK_STREQ(tump->name, "Tump");
    CHECK(tump->has_coords);
    CHECK_NEAR(tump->lat_deg, 26.099, 1e-9);
    CHECK_NEAR(tump->lon_deg, 62.364, 1e-9);
    CHECK_STREQ(tump->source, "ACLED gazetteer point");
    CHECK_INTEQ(tump->line, 4);
    const bm_place_pin *kech = bm_incidents_pin(inc, 1);
    CHECK(!kech->has_coords);
    CHECK_STREQ(kech->gazetteer_id, "PK.02.kech");
    CHECK_STREQ(kech->kind, "district");
    CHECK_STREQ(kech->pointer, "/places/1");
    bm_incidents_free(inc);
}

static void pointers_escape_tilde_and_slash(void) {
    const char *text = "{\"balmap\": 1, \"title\": \"t\", \"a/b~c\": 1, \"sources\": [{\"id\": "
                       "\"s\", \"label\": \"S\", \"kind\": \"other\"}], \"incidents\": [{\"id\": "
                       "\"i\", \"date\": \"2026-01-31\", \"claims\": [{\"source\": \"s\", "
                       "\"what\": \"killed\", \"who\": \"civilians\", \"claimed_on\": "
                       "\"2026-01-31\"}]}]}";
    bm_diags diags = {0};
    bm_error err = {0};
    bm_incidents *inc = bm_incidents_parse(text, strlen(text), NULL, &diags, &err);
    CHECK(inc != NULL);
    REQUIRE(diags.n_items == 1);
    CHECK_STREQ(diags.items[0].where.pointer, "/a~1b~0c");
    CHECK_INTEQ(diags.items[0].where.column, 29);
    bm_incidents_free(inc);
    bm_diags_free(&diags);
}

static void every_problem_is_counted_past_the_cap(void) {
    char text[16384];
    size_t n = (size_t)snprintf(text, sizeof text, "{\"balmap\": 1");
    for (int i = 0; i < 150; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, ", \"extra%d\": 0", i);
    snprintf(text + n, sizeof text - n, "}");
    bm_diags diags = {0};
    bm_error err = {0};
    CHECK(bm_incidents_parse(text, strlen(text), NULL, &diags, &err) == NULL);
    CHECK_INTEQ(diags.n_items, BM_DIAGS_MAX);
    CHECK_INTEQ(diags.n_warnings, 150);
    CHECK_INTEQ(diags.n_errors, 3); /* title, sources, incidents */
    bm_diags_free(&diags);
}

/* Found by tests/fuzz: an incident without "id" followed by another crashed the duplicate-id
 * check (strcmp on NULL). Each missing id is one error, and reading goes on. */
static void objects_without_an_id_are_errors_not_crashes(void) {
    const char text[] =
        "{\"balmap\": 1, \"title\": \"t\",\n"
        " \"sources\": [{\"label\": \"A\", \"kind\": \"military\"},\n"
        "             {\"id\": \"a\", \"label\": \"A\", \"kind\": \"military\"}],\n"
        " \"incidents\": [\n"
        "  {\"date\": \"2026-01-31\", \"claims\": [{\"source\": \"a\", \"what\": \"killed\",\n"
        "   \"who\": \"militants\", \"value\": 1, \"places\": [\"Quetta\"], \"claimed_on\": "
        "\"2026-01-31\"}]},\n"
        "  {\"id\": \"x\", \"date\": \"2026-01-31\", \"claims\": [{\"id\": \"c\", \"source\": "
        "\"a\",\n"
        "   \"what\": \"killed\", \"who\": \"militants\", \"value\": 1, \"places\": [\"Quetta\"],\n"
        "   \"claimed_on\": \"2026-01-31\"}]}]}\n";
    bm_error err = {0};
    bm_diags diags = {0};
    CHECK(bm_incidents_parse(text, strlen(text), "noid.json", &diags, &err) == NULL);
    CHECK_INTEQ(diags.n_errors, 2);
    CHECK_STREQ(err.pointer, "/sources/0");
    CHECK_STRCONTAINS(err.message, "missing required key 'id' in source");
    REQUIRE(diags.n_items == 2);
    CHECK_STREQ(diags.items[1].where.pointer, "/incidents/0");
    CHECK_STRCONTAINS(diags.items[1].where.message, "missing required key 'id' in incident");
    bm_diags_free(&diags);
}

static void syntax_error_at_end_of_file_and_trailing_garbage(void) {
    bm_error err = {0};
    const char *open = "{\n  \"balmap\": 1,\n  \"title\": \"t";
    CHECK(bm_incidents_parse(open, strlen(open), NULL, NULL, &err) == NULL);
    CHECK(err.status == BM_ERR_SYNTAX);
    CHECK_STRCONTAINS(err.message, "unterminated string");
    CHECK_INTEQ(err.line, 3);
    CHECK_INTEQ(err.column, 12);

    bm_error err1 = {0};
    const char *cut = "{\n  \"balmap\": 1,\n  \"sources\": [\n";
    CHECK(bm_incidents_parse(cut, strlen(cut), NULL, NULL, &err1) == NULL);
    CHECK_STRCONTAINS(err1.message, "unexpected end of the file");
    CHECK_INTEQ(err1.line, 4);

    bm_error err2 = {0};
    const char *two = "{\"balmap\": 1}\n{}";
    CHECK(bm_incidents_parse(two, strlen(two), NULL, NULL, &err2) == NULL);
    CHECK(err2.status == BM_ERR_SYNTAX);
    CHECK_INTEQ(err2.line, 2);
    CHECK_INTEQ(err2.column, 1);

    /* a column counts characters, not bytes: the caret sits under the right letter */
    bm_error err3 = {0};
    const char *utf8 = "{\"title\": \"Tump \xc3\xbc\" x}";
    CHECK(bm_incidents_parse(utf8, strlen(utf8), NULL, NULL, &err3) == NULL);
    CHECK_INTEQ(err3.column, 20);
    CHECK_STRCONTAINS(err3.message, "unexpected 'x'");
}

static void missing_file_is_an_io_error(void) {
    bm_diags diags = {0};
    bm_error err = {0};
    CHECK(bm_incidents_load(BM_TEST_DATA "/no-such-file.json", &diags, &err) == NULL);
    CHECK(err.status == BM_ERR_IO);
    CHECK_INTEQ(diags.n_errors, 1);
    bm_incidents_free(NULL);
    bm_diags_free(&diags);
}

static void names_round_trip_and_vague_words_match_their_list(void) {
    for (int q = 0; q < BM_N_QUANTITIES; q++) {
        bm_quantity back;
        CHECK(bm_quantity_parse(bm_quantity_name((bm_quantity)q), &back));
        CHECK_INTEQ(back, q);
    }
    for (int p = 0; p < BM_N_PARTIES; p++) {
        bm_party back;
        CHECK(bm_party_parse(bm_party_name((bm_party)p), &back));
        CHECK_INTEQ(back, p);
    }
    bm_quantity q;
    CHECK(!bm_quantity_parse("Killed", &q));
    char words[128];
    snprintf(words, sizeof words, "%s", bm_vague_words());
    int n_words = 0;
    for (char *w = words; w != NULL && *w != '\0'; n_words++) {
        char *comma = strchr(w, ',');
        if (comma != NULL)
            *comma = '\0';
        int64_t lower = 0;
        CHECK(bm_vague_word_lower_bound(w, &lower));
        CHECK(lower > 0);
        w = comma != NULL ? comma + 2 : NULL;
    }
    CHECK_INTEQ(n_words, 4);
    int64_t lower = 0;
    CHECK(bm_vague_word_lower_bound("dozens", &lower));
    CHECK_INTEQ(lower, 12);
    CHECK(!bm_vague_word_lower_bound("a few", &lower));
    CHECK(!bm_vague_word_lower_bound("scores", &lower));
}

int main(void) {
    RUN(herof2_loads_with_every_claim_and_no_problem);
    RUN(herof2_sources_are_ispr_bla_and_the_provincial_government);
    RUN(herof2_dates_rest_on_the_later_report);
    RUN(herof2_ispr_aggregate_keeps_one_value_over_nine_places);
    RUN(herof2_civilian_claim_names_two_districts);
    RUN(herof2_two_day_total_is_cumulative_and_friday_is_separate);
    RUN(herof2_bla_claims_keep_its_spellings_and_wording);
    RUN(herof2_government_statement_has_no_figure);
    RUN(timeline_loads_and_links_revisions);
    RUN(every_example_is_valid);
    RUN(each_bad_file_gives_one_exact_problem);
    RUN(value_forms_give_documented_bounds);
    RUN(claim_without_figure_may_omit_places_but_a_figure_may_not);
    RUN(date_times_with_offsets_are_accepted_and_checked);
    RUN(pins_take_coordinates_with_a_source_or_a_gazetteer_id);
    RUN(pointers_escape_tilde_and_slash);
    RUN(every_problem_is_counted_past_the_cap);
    RUN(objects_without_an_id_are_errors_not_crashes);
    RUN(syntax_error_at_end_of_file_and_trailing_garbage);
    RUN(missing_file_is_an_io_error);
    RUN(names_round_trip_and_vague_words_match_their_list);
    return CHECK_DONE();
}
