/* SPDX-License-Identifier: MIT */
/* test_inputs.c - the CSV (ACLED export) and GeoJSON readers, and loading by extension. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "incidents.h"
#include "incidents_load.h"
#include "incidents_readers.h"

static const char header[] = "event_date,event_type,actor1,actor2,admin1,admin2,location,"
                             "latitude,longitude,geo_precision,source,notes,fatalities\n";

/* Parses header + rows as CSV; the caller frees both. */
static bm_incidents *parse_csv(const char *rows, bm_diags *diags, bm_error *err) {
    char text[4096];
    snprintf(text, sizeof text, "%s%s", header, rows);
    return bm_incidents_parse_csv(text, strlen(text), "t.csv", diags, err);
}

/* True when some diagnostic is at line:column and its message contains part. */
static int has_diag(const bm_diags *d, int line, int column, const char *part) {
    for (size_t i = 0; i < d->n_items; i++) {
        const bm_error *e = &d->items[i].where;
        if (e->line == line && (column == 0 || e->column == column) &&
            strstr(e->message, part) != NULL)
            return 1;
    }
    return 0;
}

static void acled_rows_become_one_incident_and_claim_each(void) {
    bm_error err = {0};
    bm_diags diags = {0};
    bm_incidents *inc = bm_incidents_load(BM_TEST_DATA "/acled-small.csv", &diags, &err);
    REQUIRE(inc != NULL);
    CHECK_INTEQ(diags.n_items, 0);
    CHECK_INTEQ(bm_incidents_n_incidents(inc), 3);
    /* One source, ACLED (a monitoring project), whatever the outlets: they relayed it. */
    CHECK_INTEQ(bm_incidents_n_sources(inc), 1);
    CHECK_STREQ(bm_incidents_source(inc, 0)->label, "ACLED");
    CHECK_STREQ(bm_incidents_source(inc, 0)->kind, "monitor");
    CHECK_STREQ(bm_incidents_incident(inc, 0)->claims[0].reported_by, "Dawn");
    CHECK_STREQ(bm_incidents_incident(inc, 1)->claims[0].reported_by, "The Express Tribune");
    CHECK_STREQ(bm_incidents_title(inc), "acled-small");
    const bm_incident *first = bm_incidents_incident(inc, 0);
    REQUIRE(first->n_claims == 1);
    const bm_claim *c = &first->claims[0];
    CHECK_STREQ(c->id, "PAK1001"); /* event_id_cnty, when the export has it */
    CHECK_STREQ(first->date_start, "2026-01-31");
    CHECK_STREQ(c->claimed_on, "2026-01-31"); /* from "31 January 2026" */
    CHECK(c->what == BM_Q_KILLED);
    CHECK(c->who == BM_PARTY_UNSPECIFIED);
    CHECK(c->value.kind == BM_VALUE_EXACT);
    CHECK_INTEQ(c->value.min, 12);
    REQUIRE(c->n_places == 1);
    CHECK_STREQ(c->places[0].name, "Quetta");
    CHECK_STRCONTAINS(c->quote, "\"heavy\" exchange"); /* RFC 4180 doubled quotes */
    CHECK_STRCONTAINS(c->note, "Battles: Military Forces of Pakistan vs BLA");
    /* Quetta is pinned once although two rows name it; Turbat has geo_precision 2: "near
     * Turbat", at Turbat's point, never "Turbat district". */
    REQUIRE(bm_incidents_n_pins(inc) == 2);
    CHECK_STREQ(bm_incidents_pin(inc, 0)->kind, "town");
    CHECK_NEAR(bm_incidents_pin(inc, 0)->lat_deg, 30.1841, 1e-9);
    CHECK_NEAR(bm_incidents_pin(inc, 0)->lon_deg, 67.0014, 1e-9);
    CHECK_STREQ(bm_incidents_pin(inc, 1)->name, "near Turbat");
    CHECK_STREQ(bm_incidents_pin(inc, 1)->kind, "town");
    CHECK_STREQ(bm_incidents_incident(inc, 1)->claims[0].places[0].name, "near Turbat");
    /* A quoted field may span lines; the next row's line is still right. */
    const bm_claim *third = &bm_incidents_incident(inc, 2)->claims[0];
    CHECK_STREQ(third->quote, "Multi-line\nnote");
    CHECK_INTEQ(third->value.min, 0);
    CHECK_INTEQ(third->line, 4);
    bm_incidents_free(inc);
    bm_diags_free(&diags);
}

static void csv_extra_columns_any_order_and_crlf_are_accepted(void) {
    const char text[] = "\xEF\xBB\xBF"
                        "fatalities,iso,source,location,latitude,longitude,geo_precision,"
                        "event_date,timestamp\r\n"
                        "4,586,Dawn,Gwadar,25.12,62.32,1,2026-02-01,1738368000\r\n";
    bm_error err = {0};
    bm_incidents *inc = bm_incidents_parse_csv(text, strlen(text), "x.csv", NULL, &err);
    REQUIRE(inc != NULL);
    const bm_claim *c = &bm_incidents_incident(inc, 0)->claims[0];
    CHECK_INTEQ(c->value.min, 4);
    CHECK_STREQ(c->places[0].name, "Gwadar");
    CHECK_STREQ(c->places[0].kind, "town");
    CHECK(c->quote == NULL);
    bm_incidents_free(inc);
}

static void csv_every_defect_is_listed_with_line_and_column(void) {
    bm_error err = {0};
    bm_diags diags = {0};
    bm_incidents *inc = bm_incidents_load(BM_TEST_DATA "/bad/csv-defects.csv", &diags, &err);
    CHECK(inc == NULL);
    CHECK(err.status == BM_ERR_INVALID);
    CHECK_INTEQ(err.line, 2); /* the first error wins */
    CHECK_INTEQ(diags.n_errors, 14);
    CHECK(has_diag(&diags, 2, 1, "column 'event_date': invalid date '31 Febuary 2026'"));
    CHECK(has_diag(&diags, 3, 1, "day 30 is not in month 02 of 2026"));
    CHECK(has_diag(&diags, 4, 43, "column 'location': empty place name"));
    CHECK(has_diag(&diags, 5, 50, "column 'latitude': 95 is out of range"));
    CHECK(has_diag(&diags, 6, 56, "column 'longitude': expected a number of degrees"));
    CHECK(has_diag(&diags, 7, 62, "column 'geo_precision': unknown precision '4'"));
    CHECK(has_diag(&diags, 8, 64, "column 'source': empty source"));
    CHECK(has_diag(&diags, 9, 70, "column 'fatalities': negative count -3"));
    CHECK(has_diag(&diags, 10, 70, "fractional count 2.5"));
    CHECK(has_diag(&diags, 11, 70, "count 5000000 is absurd"));
    CHECK(has_diag(&diags, 12, 70, "found 'dozens'"));
    CHECK(has_diag(&diags, 13, 70, "empty; expected a whole number"));
    CHECK(has_diag(&diags, 15, 73, "'\"' inside an unquoted field"));
    CHECK(has_diag(&diags, 16, 44, "place 'Quetta' is at lat 29.8"));
    bm_diags_free(&diags);
}

static void csv_missing_column_is_named(void) {
    const char text[] = "event_date,location,latitude,longitude,source,fatalities\n"
                        "2026-01-31,Quetta,30.18,67.00,Dawn,1\n";
    bm_error err = {0};
    bm_diags diags = {0};
    CHECK(bm_incidents_parse_csv(text, strlen(text), "m.csv", &diags, &err) == NULL);
    CHECK_INTEQ(diags.n_errors, 1);
    CHECK_STREQ(err.message, "missing column 'geo_precision' in the header");
    CHECK_INTEQ(err.line, 1);
    bm_diags_free(&diags);
}

static void csv_syntax_errors_are_refused(void) {
    bm_error err = {0};
    bm_diags diags = {0};
    CHECK(parse_csv("2026-01-31,,,,,,Quetta,30.18,67.0,1,Dawn,\"never closed,1\n", &diags, &err) ==
          NULL);
    CHECK(err.status == BM_ERR_SYNTAX);
    CHECK_STRCONTAINS(err.message, "unterminated quoted field");
    CHECK_INTEQ(err.line, 2);
    CHECK_INTEQ(err.column, 42);
    bm_diags_free(&diags);

    bm_error e2 = {0};
    CHECK(parse_csv("2026-01-31,,,,,,Quetta,30.18,67.0,1,Dawn,\"a\"b,1\n", NULL, &e2) == NULL);
    CHECK_STRCONTAINS(e2.message, "unexpected 'b' after a closing quote");

    bm_error e3 = {0};
    CHECK(parse_csv("2026-01-31,,,,,,Quetta\xE9,30.18,67.0,1,Dawn,,1\n", NULL, &e3) == NULL);
    CHECK_STRCONTAINS(e3.message, "invalid UTF-8 byte 0xE9");
    CHECK_INTEQ(e3.line, 2);

    bm_error e4 = {0};
    CHECK(parse_csv("", NULL, &e4) == NULL);
    CHECK_STRCONTAINS(e4.message, "no records");

    bm_error e5 = {0};
    CHECK(bm_incidents_parse_csv("", 0, "e.csv", NULL, &e5) == NULL);
    CHECK_STRCONTAINS(e5.message, "expected a header line");
}

static void geojson_features_become_claims_with_pins(void) {
    bm_error err = {0};
    bm_diags diags = {0};
    bm_incidents *inc = bm_incidents_load(BM_TEST_DATA "/claims-small.geojson", &diags, &err);
    REQUIRE(inc != NULL);
    REQUIRE(diags.n_items == 1); /* the second feature's "extra" is ignored, with a warning */
    CHECK_STREQ(diags.items[0].where.message,
                "unknown property 'extra' (ignored in every feature)");
    CHECK_STREQ(bm_incidents_title(inc), "Claims about the attacks of 31 January 2026");
    CHECK_INTEQ(bm_incidents_n_incidents(inc), 2); /* "herof2" and the third feature's own */
    CHECK_INTEQ(bm_incidents_n_sources(inc), 2);
    CHECK_STREQ(bm_incidents_source(inc, 0)->label, "ISPR");
    CHECK_STREQ(bm_incidents_source(inc, 0)->kind, "military");
    const bm_incident *herof2 = bm_incidents_incident(inc, 0);
    CHECK_STREQ(herof2->id, "herof2");
    REQUIRE(herof2->n_claims == 2);
    CHECK(herof2->claims[0].who == BM_PARTY_MILITANTS);
    CHECK_INTEQ(herof2->claims[0].value.min, 92);
    CHECK_STRCONTAINS(herof2->claims[0].quote, "three suicide attackers");
    const bm_value *more = &herof2->claims[1].value;
    CHECK(more->kind == BM_VALUE_AT_LEAST);
    CHECK_INTEQ(more->min, 81); /* more than 80 */
    CHECK_STREQ(more->text, "more than 80");
    CHECK_STREQ(herof2->claims[1].claimed_on, "2026-02-01");
    const bm_incident *other = bm_incidents_incident(inc, 1);
    CHECK_STREQ(other->id, "feature-2");
    CHECK_STREQ(other->date_start, "2026-01-31"); /* claimed_on, "31 January 2026" */
    CHECK(other->claims[0].value.kind == BM_VALUE_RANGE);
    CHECK_STREQ(bm_incidents_source(inc, other->claims[0].source)->id, "ispr");
    REQUIRE(bm_incidents_n_pins(inc) == 2);
    CHECK_NEAR(bm_incidents_pin(inc, 0)->lat_deg, 30.1841, 1e-9);
    CHECK_NEAR(bm_incidents_pin(inc, 0)->lon_deg, 67.0014, 1e-9);
    CHECK_STREQ(bm_incidents_pin(inc, 1)->kind, "district");
    bm_incidents_free(inc);
    bm_diags_free(&diags);
}

static void geojson_every_defect_is_listed_with_its_pointer(void) {
    bm_error err = {0};
    bm_diags diags = {0};
    CHECK(bm_incidents_load(BM_TEST_DATA "/bad/geojson-defects.geojson", &diags, &err) == NULL);
    CHECK_INTEQ(diags.n_errors, 12);
    CHECK_STREQ(err.pointer, "/features/0/geometry/coordinates/1");
    CHECK_INTEQ(err.line, 4);
    CHECK(has_diag(&diags, 6, 0, "expected a Point geometry, found LineString"));
    CHECK(has_diag(&diags, 9, 0, "unknown 'what' value 'killd'"));
    CHECK(has_diag(&diags, 9, 0, "negative count -3"));
    CHECK(has_diag(&diags, 9, 0, "empty 'place'"));
    CHECK(has_diag(&diags, 9, 0, "month 13 is not 01-12"));
    CHECK(has_diag(&diags, 11, 0, "fractional count 2.5"));
    CHECK(has_diag(&diags, 13, 0, "count 5000000 is absurd"));
    CHECK(has_diag(&diags, 13, 0, "missing property 'claimed_on'"));
    CHECK(has_diag(&diags, 15, 0, "unknown vague word 'scores'"));
    CHECK(has_diag(&diags, 17, 0, "found a string ('12')"));
    CHECK(has_diag(&diags, 18, 0, "expected an object for 'properties', found null"));
    bm_diags_free(&diags);
}

/* A property balmap does not read is one warning for the file, with a guess when it is a typo. */
static void geojson_unknown_properties_are_warned_about_once(void) {
    const char text[] =
        "{\"type\": \"FeatureCollection\", \"features\": [\n"
        "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [67, 30]},\n"
        " \"properties\": {\"source\": \"s\", \"what\": \"killed\", \"who\": \"civilians\",\n"
        "  \"value\": 1, \"vaule\": 2, \"OBJECTID\": 7, \"place\": \"P\", \"claimed_on\": "
        "\"2026-01-31\"}},\n"
        "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [67, 30]},\n"
        " \"properties\": {\"source\": \"s\", \"what\": \"killed\", \"who\": \"civilians\",\n"
        "  \"value\": 3, \"OBJECTID\": 8, \"place\": \"P\", \"claimed_on\": \"2026-01-31\"}}]}\n";
    bm_error err = {0};
    bm_diags diags = {0};
    bm_incidents *inc = bm_incidents_parse_geojson(text, strlen(text), "u.geojson", &diags, &err);
    REQUIRE(inc != NULL);
    CHECK_INTEQ(diags.n_errors, 0);
    REQUIRE(diags.n_warnings == 2); /* OBJECTID in both features: once */
    CHECK_STREQ(diags.items[0].where.message,
                "unknown property 'vaule' (ignored in every feature)");
    CHECK_STREQ(diags.items[0].where.hint, "did you mean 'value'?");
    CHECK_STREQ(diags.items[0].where.pointer, "/features/0/properties/vaule");
    CHECK_INTEQ(diags.items[0].where.line, 4);
    CHECK_STREQ(diags.items[1].where.message,
                "unknown property 'OBJECTID' (ignored in every feature)");
    CHECK_STRCONTAINS(diags.items[1].where.hint, "docs/input-formats.md");
    CHECK_INTEQ(bm_incidents_incident(inc, 0)->claims[0].value.min, 1); /* 'vaule' not read */
    bm_incidents_free(inc);
    bm_diags_free(&diags);
}

static void geojson_incident_with_two_dates_is_refused(void) {
    const char text[] =
        "{\"type\": \"FeatureCollection\", \"features\": [\n"
        "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [67, 30]},\n"
        " \"properties\": {\"incident\": \"a\", \"date\": \"2026-01-31\", \"source\": \"s\",\n"
        "  \"what\": \"killed\", \"who\": \"civilians\", \"value\": 1, \"place\": \"P\",\n"
        "  \"claimed_on\": \"2026-01-31\"}},\n"
        "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [67, 30]},\n"
        " \"properties\": {\"incident\": \"a\", \"date\": \"2026-02-01\", \"source\": \"s\",\n"
        "  \"what\": \"killed\", \"who\": \"civilians\", \"value\": 1, \"place\": \"P\",\n"
        "  \"claimed_on\": \"2026-02-01\"}}]}\n";
    bm_error err = {0};
    CHECK(bm_incidents_parse_geojson(text, strlen(text), "d.geojson", NULL, &err) == NULL);
    CHECK_STREQ(err.message, "incident 'a' is dated 2026-02-01 here but 2026-01-31 before");
    CHECK_INTEQ(err.line, 6);
    CHECK_STREQ(err.pointer, "/features/1");
}

static void geojson_syntax_and_shape_errors_are_refused(void) {
    const char broken[] = "{\"type\": \"FeatureCollection\",\n \"features\": [}\n";
    bm_error err = {0};
    CHECK(bm_incidents_parse_geojson(broken, strlen(broken), "b.geojson", NULL, &err) == NULL);
    CHECK(err.status == BM_ERR_SYNTAX);
    CHECK_INTEQ(err.line, 2);
    /* The same diagnosis as the JSON format's (bm_json_syntax_error). */
    const char comma[] = "{\"type\": \"FeatureCollection\",\n \"features\": [{},]}\n";
    bm_error e1 = {0};
    CHECK(bm_incidents_parse_geojson(comma, strlen(comma), "c.geojson", NULL, &e1) == NULL);
    CHECK_STREQ(e1.message, "invalid JSON: trailing comma before ']'");
    CHECK_STRCONTAINS(e1.hint, "remove the comma");
    CHECK_INTEQ(e1.line, 2);
    CHECK_INTEQ(e1.column, 17);
    const char not_fc[] = "{\"type\": \"Feature\"}";
    bm_error e2 = {0};
    CHECK(bm_incidents_parse_geojson(not_fc, strlen(not_fc), "f.geojson", NULL, &e2) == NULL);
    CHECK_STRCONTAINS(e2.message, "expected a GeoJSON FeatureCollection");
    const char empty[] = "{\"type\": \"FeatureCollection\", \"features\": []}";
    bm_error e3 = {0};
    CHECK(bm_incidents_parse_geojson(empty, strlen(empty), "e.geojson", NULL, &e3) == NULL);
    CHECK_STRCONTAINS(e3.message, "no records");
}

static void load_picks_the_reader_by_extension(void) {
    bm_error err = {0};
    /* A .json file with a "balmap" key is the JSON format... */
    bm_incidents *inc = bm_incidents_load(BM_SOURCE_DIR "/examples/herof2.json", NULL, &err);
    REQUIRE(inc != NULL);
    CHECK_INTEQ(bm_incidents_n_sources(inc), 3);
    bm_incidents_free(inc);
    /* ...and a CSV given as .json is read as JSON and refused, not guessed at. */
    bm_error e2 = {0};
    CHECK(bm_incidents_parse(header, strlen(header), "x.json", NULL, &e2) == NULL);
    CHECK(e2.status == BM_ERR_SYNTAX);
}

/* geo_precision 3: only the province is known; the place is the province in admin1, drawn as a
 * province and not pinned at ACLED's stand-in point (a town's name there would read as
 * "Saranan (whole province)"); a row with no admin1 is refused. */
static void csv_precision_3_is_the_province_named(void) {
    bm_diags diags = {0};
    bm_error err = {0};
    bm_incidents *inc = parse_csv("9 March 2024,Battles,A,,Balochistan,Chagai,Saranan,29.3,"
                                  "64.9,3,Dawn,,4\n",
                                  &diags, &err);
    CHECK(inc != NULL);
    if (inc != NULL) {
        const bm_place_ref *ref = &bm_incidents_incident(inc, 0)->claims[0].places[0];
        CHECK_STREQ(ref->name, "Balochistan");
        CHECK_STREQ(ref->kind, "province");
        CHECK(bm_incidents_n_pins(inc) == 0);
    }
    bm_incidents_free(inc);
    bm_diags_free(&diags);
    bm_diags d2 = {0};
    bm_error e2 = {0};
    bm_incidents *bad =
        parse_csv("9 March 2024,Battles,A,,,Chagai,Saranan,29.3,64.9,3,Dawn,,4\n", &d2, &e2);
    CHECK(bad == NULL);
    CHECK(has_diag(&d2, 2, 0, "names no province (admin1)"));
    bm_incidents_free(bad);
    bm_diags_free(&d2);
}

int main(void) {
    RUN(acled_rows_become_one_incident_and_claim_each);
    RUN(csv_extra_columns_any_order_and_crlf_are_accepted);
    RUN(csv_precision_3_is_the_province_named);
    RUN(csv_every_defect_is_listed_with_line_and_column);
    RUN(csv_missing_column_is_named);
    RUN(csv_syntax_errors_are_refused);
    RUN(geojson_features_become_claims_with_pins);
    RUN(geojson_every_defect_is_listed_with_its_pointer);
    RUN(geojson_unknown_properties_are_warned_about_once);
    RUN(geojson_incident_with_two_dates_is_refused);
    RUN(geojson_syntax_and_shape_errors_are_refused);
    RUN(load_picks_the_reader_by_extension);
    return CHECK_DONE();
}
