/* SPDX-License-Identifier: MIT */
/* test_gazetteer_formats.c - users' gazetteers in other formats (issue 10 item 4): a GeoNames
 * country dump (tests/data/gazetteers/pk-geonames.txt), a GeoJSON of named points (an
 * OpenStreetMap export) and a CSV of named points (an ACLED export's location columns), each with
 * malformed rows refused at file:line; and GeoJSON incidents with a null geometry geocoded by name
 * with their properties' district (item 3), with the map crediting a GeoNames dump. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "gazetteer.h"
#include "geocode.h"
#include "incidents_load.h"

static char dir[256];

static const char *put(const char *name, const char *text) {
    return check_put_file(dir, name, text);
}

static bm_gazetteer *builtin(void) {
    bm_error err = {0};
    return bm_gazetteer_load(BM_SOURCE_DIR "/shapes/gazetteer.tsv", &err);
}

#define FIXTURE BM_TEST_DATA "/gazetteers/pk-geonames.txt"

/* The id a lookup lands on, or the error's message. */
static const char *resolve(const bm_gazetteer *gz, const char *name, bm_error *err) {
    bm_place_match m;
    bm_error_clear(err);
    if (bm_gazetteer_lookup(gz, name, BM_KIND_ANY, &m, err) != BM_OK)
        return err->message;
    return m.place->id;
}

static void geonames_dump_is_read_with_admin_names(void) {
    bm_gazetteer *gz = builtin();
    REQUIRE(gz != NULL);
    const size_t n0 = bm_gazetteer_size(gz);
    bm_error err = {0};
    REQUIRE(bm_gazetteer_add_file(gz, FIXTURE, &err) == BM_OK);
    /* 21 rows: the stream, the historical town and the tehsil named like its seat are left out */
    CHECK_INTEQ(bm_gazetteer_size(gz) - n0, 18);
    const bm_place *turbat = bm_gazetteer_by_id(gz, "geonames:9900008");
    REQUIRE(turbat != NULL);
    CHECK_STREQ(turbat->admin1, "Balochistan");   /* admin1 code 02 */
    CHECK_STREQ(turbat->admin2, "Kech District"); /* named by the ADM2 row 1163052 */
    CHECK_STREQ(turbat->country, "PK");
    CHECK_INTEQ(turbat->kind, BM_KIND_TOWN);
    CHECK_INTEQ(turbat->precision, BM_PREC_POINT);
    CHECK_NEAR(turbat->lat_deg, 26.00122, 1e-9);
    CHECK_STRCONTAINS(turbat->source, "GeoNames geonameid 9900008");
    CHECK_STRCONTAINS(turbat->source, "pk-geonames.txt:");
    const bm_place *kech = bm_gazetteer_by_id(gz, "geonames:1163052");
    REQUIRE(kech != NULL);
    CHECK_INTEQ(kech->kind, BM_KIND_DISTRICT);
    CHECK_INTEQ(kech->precision, BM_PREC_DISTRICT);
    const bm_place *prov = bm_gazetteer_by_id(gz, "geonames:9900001");
    REQUIRE(prov != NULL);
    CHECK_INTEQ(prov->kind, BM_KIND_PROVINCE);
    /* A tehsil (ADM3) is an area's point, never a town's; one named like its seat is left out. */
    const bm_place *kolwa = bm_gazetteer_by_id(gz, "geonames:9900016");
    REQUIRE(kolwa != NULL);
    CHECK_INTEQ(kolwa->kind, BM_KIND_TOWN);
    CHECK_INTEQ(kolwa->precision, BM_PREC_DISTRICT);
    CHECK(bm_gazetteer_by_id(gz, "geonames:9900017") == NULL); /* Turbat Tehsil */
    CHECK(bm_gazetteer_by_id(gz, "geonames:9900020") == NULL); /* a stream */
    CHECK(bm_gazetteer_by_id(gz, "geonames:9900021") == NULL); /* PPLH */
    /* Lookups: alternate names, context, and the same refusals as the built-in places. */
    CHECK_STREQ(resolve(gz, "Turbat", &err), "geonames:9900008");
    CHECK_STREQ(resolve(gz, "Shaal", &err), "geonames:9900009"); /* an alternate name */
    CHECK_STREQ(resolve(gz, "تربت", &err), "geonames:9900008");
    CHECK_STREQ(resolve(gz, "Turbat Tehsil", &err), "geonames:9900008");
    CHECK_STREQ(resolve(gz, "Nasirabad, Kech", &err), "geonames:9900015");
    CHECK_STREQ(resolve(gz, "Gwarkop, Panjgur", &err), "geonames:9900019");
    CHECK_STREQ(resolve(gz, "Gwarkop (Kech)", &err), "geonames:9900018");
    resolve(gz, "Gwarkop", &err);
    CHECK_INTEQ(err.status, BM_ERR_AMBIGUOUS);
    CHECK_STRCONTAINS(err.hint, "geonames:9900018");
    resolve(gz, "Gwarkop, Quetta", &err);
    CHECK_INTEQ(err.status, BM_ERR_NOT_FOUND);
    CHECK_STRCONTAINS(err.message, "outside Quetta");
    resolve(gz, "Kech Kaur", &err);
    CHECK_INTEQ(err.status, BM_ERR_NOT_FOUND);
    /* ACLED's admin columns as context reach the dump's places through the district names. */
    bm_place_match m;
    const bm_place_context ctx = {.district = "Kech", .province = "Balochistan"};
    REQUIRE(bm_gazetteer_lookup_in(gz, "Gwarkop", BM_KIND_ANY, &ctx, &m, &err) == BM_OK);
    CHECK_STREQ(m.place->id, "geonames:9900018");
    /* Loaded twice: every geonameid is taken already, named with the first file's line. */
    bm_error_clear(&err);
    CHECK_INTEQ(bm_gazetteer_add_file(gz, FIXTURE, &err), BM_ERR_INVALID);
    CHECK_STRCONTAINS(err.message, "duplicate id 'geonames:");
    bm_gazetteer_free(gz);
}

/* Each malformed row is refused with its file and line; the gazetteer is left as it was. */
static void geonames_malformed_rows_name_the_line(void) {
    bm_gazetteer *gz = builtin();
    REQUIRE(gz != NULL);
    const size_t n0 = bm_gazetteer_size(gz);
    static const char good[] =
        "1\tAlpha\tAlpha\t\t26.1\t63.1\tP\tPPL\tPK\t\t02\t\t\t\t0\t\t0\tAsia/"
        "Karachi\t2024-01-01\n";
    static const struct {
        const char *second_row, *message;
    } cases[] = {
        {"2\tBeta\tBeta\t\t26.2\t63.2\tP\tPPL\tPK\t\t02\n", "expected the 19 tab-separated"},
        {"x2\tBeta\tBeta\t\t26.2\t63.2\tP\tPPL\tPK\t\t02\t\t\t\t0\t\t0\tAsia/Karachi\t2024-01-01\n",
         "numeric geonameid"},
        {"2\tBeta\tBeta\t\t26,2\t63.2\tP\tPPL\tPK\t\t02\t\t\t\t0\t\t0\tAsia/Karachi\t2024-01-01\n",
         "decimal degrees"},
        {"2\tBeta\tBeta\t\t96.2\t63.2\tP\tPPL\tPK\t\t02\t\t\t\t0\t\t0\tAsia/Karachi\t2024-01-01\n",
         "out of range"},
        {"2\tBeta\tBeta\t\t26.2\t63.2\tP\tPPL\tPK\t\t02\t\t\t\tmany\t\t0\tAsia/Karachi\t2024-01-"
         "01\n",
         "population"},
        {"2\t\tBeta\t\t26.2\t63.2\tP\tPPL\tPK\t\t02\t\t\t\t0\t\t0\tAsia/Karachi\t2024-01-01\n",
         "empty name"},
        {"1\tBeta\tBeta\t\t26.2\t63.2\tP\tPPL\tPK\t\t02\t\t\t\t0\t\t0\tAsia/Karachi\t2024-01-01\n",
         "duplicate id 'geonames:1': line 1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, "%s%s", good, cases[i].second_row);
        bm_error err = {0};
        CHECK(bm_gazetteer_add_file(gz, put("bad.txt", text), &err) != BM_OK);
        CHECK_STRCONTAINS(err.message, cases[i].message);
        CHECK_STRCONTAINS(err.file, "bad.txt");
        CHECK_INTEQ(err.line, 2);
        CHECK_INTEQ(bm_gazetteer_size(gz), n0);
    }
    /* An explicit format: "geonames:" reads a file whose first row would not be recognised. */
    bm_error err = {0};
    char spec[600];
    snprintf(spec, sizeof spec, "geonames:%s", put("header.txt", "name\tlat\tlon\n"));
    CHECK_INTEQ(bm_gazetteer_add_file(gz, spec, &err), BM_ERR_SYNTAX);
    CHECK_STRCONTAINS(err.message, "19 tab-separated");
    CHECK_STRCONTAINS(err.file, "header.txt");
    CHECK_INTEQ(err.line, 1);
    bm_gazetteer_free(gz);
}

/* An OpenStreetMap export from overpass turbo, with a nameless point and English/Urdu names. */
static const char osm_export[] =
    "{\"type\": \"FeatureCollection\", \"features\": [\n"
    "{\"type\": \"Feature\", \"id\": \"node/101\",\n"
    " \"properties\": {\"@id\": \"node/101\", \"name\": \"Kallag\", \"name:ur\": \"کلگ\",\n"
    "   \"place\": \"village\", \"is_in:district\": \"Panjgur\", \"is_in:province\": "
    "\"Balochistan\"},\n"
    " \"geometry\": {\"type\": \"Point\", \"coordinates\": [64.20, 26.90]}},\n"
    "{\"type\": \"Feature\", \"properties\": {\"place\": \"hamlet\"},\n"
    " \"geometry\": {\"type\": \"Point\", \"coordinates\": [64.3, 26.8]}},\n"
    "{\"type\": \"Feature\", \"id\": \"node/102\",\n"
    " \"properties\": {\"name\": \"Zorabad\", \"name:en\": \"Zor Abad\", \"alt_name\": "
    "\"Zurabad;Zoorabad\",\n"
    "   \"place\": \"hamlet\", \"addr:district\": \"Kech\"},\n"
    " \"geometry\": {\"type\": \"Point\", \"coordinates\": [63.10, 26.05]}}\n"
    "]}\n";

static void geojson_named_points_are_read(void) {
    bm_gazetteer *gz = builtin();
    REQUIRE(gz != NULL);
    const size_t n0 = bm_gazetteer_size(gz);
    bm_error err = {0};
    REQUIRE(bm_gazetteer_add_file(gz, put("places.geojson", osm_export), &err) == BM_OK);
    CHECK_INTEQ(bm_gazetteer_size(gz) - n0, 2); /* the nameless point is left out */
    const bm_place *k = bm_gazetteer_by_id(gz, "osm:node/101");
    REQUIRE(k != NULL);
    CHECK_STREQ(k->name, "Kallag");
    CHECK_STREQ(k->admin2, "Panjgur");
    CHECK_STREQ(k->admin1, "Balochistan");
    CHECK_NEAR(k->lon_deg, 64.20, 1e-9);
    CHECK_STRCONTAINS(k->source, "OpenStreetMap contributors");
    CHECK_STREQ(resolve(gz, "کلگ", &err), "osm:node/101");
    CHECK_STREQ(resolve(gz, "Kallag, Panjgur", &err), "osm:node/101");
    const bm_place *z = bm_gazetteer_by_id(gz, "osm:node/102");
    REQUIRE(z != NULL);
    CHECK_STREQ(z->name, "Zor Abad"); /* name:en first */
    CHECK_STREQ(resolve(gz, "Zoorabad", &err), "osm:node/102");
    CHECK_STREQ(resolve(gz, "Zorabad, Kech", &err), "osm:node/102");
    resolve(gz, "Zorabad, Panjgur", &err);
    CHECK_INTEQ(err.status, BM_ERR_NOT_FOUND);
    bm_gazetteer_free(gz);
}

static void geojson_named_points_defects_name_the_line(void) {
    bm_gazetteer *gz = builtin();
    REQUIRE(gz != NULL);
    const size_t n0 = bm_gazetteer_size(gz);
    bm_error err = {0};
    /* a named polygon: refused, not dropped */
    const char *poly =
        put("poly.geojson", "{\"type\": \"FeatureCollection\", \"features\": [\n"
                            "{\"type\": \"Feature\", \"properties\": {\"name\": \"A\"},\n"
                            " \"geometry\": {\"type\": \"Point\", \"coordinates\": [63, 26]}},\n"
                            "{\"type\": \"Feature\", \"properties\": {\"name\": \"Kolwa\"},\n"
                            " \"geometry\": {\"type\": \"Polygon\", \"coordinates\": []}}]}\n");
    CHECK_INTEQ(bm_gazetteer_add_file(gz, poly, &err), BM_ERR_INVALID);
    CHECK_INTEQ(err.line, 4);
    CHECK_STREQ(err.pointer, "/features/1");
    CHECK_STRCONTAINS(err.message, "'Kolwa' has no Point geometry");
    CHECK_STRCONTAINS(err.hint, "out center");
    /* the same OpenStreetMap id twice */
    bm_error_clear(&err);
    const char *dup = put("dup.geojson", "{\"type\": \"FeatureCollection\", \"features\": [\n"
                                         "{\"type\": \"Feature\", \"id\": \"node/7\",\n"
                                         " \"properties\": {\"name\": \"A\"},\n"
                                         " \"geometry\": {\"type\": \"Point\", \"coordinates\": "
                                         "[63, 26]}},\n"
                                         "{\"type\": \"Feature\", \"id\": \"node/7\",\n"
                                         " \"properties\": {\"name\": \"B\"},\n"
                                         " \"geometry\": {\"type\": \"Point\", \"coordinates\": "
                                         "[63, 27]}}]}\n");
    CHECK_INTEQ(bm_gazetteer_add_file(gz, dup, &err), BM_ERR_INVALID);
    CHECK_STRCONTAINS(err.message, "duplicate id 'osm:node/7': line 2");
    CHECK_INTEQ(err.line, 5);
    /* latitude out of range, and a syntax error */
    bm_error_clear(&err);
    const char *far =
        put("far.geojson", "{\"type\": \"FeatureCollection\", \"features\": [\n"
                           "{\"type\": \"Feature\", \"properties\": {\"name\": \"A\"},\n"
                           " \"geometry\": {\"type\": \"Point\", \"coordinates\": [26, 95]}}]}\n");
    CHECK_INTEQ(bm_gazetteer_add_file(gz, far, &err), BM_ERR_INVALID);
    CHECK_INTEQ(err.line, 3);
    CHECK_STRCONTAINS(err.message, "out of range");
    bm_error_clear(&err);
    const char *broken =
        put("broken.json", "{\"type\": \"FeatureCollection\",\n \"features\": [,]}");
    CHECK_INTEQ(bm_gazetteer_add_file(gz, broken, &err), BM_ERR_SYNTAX);
    CHECK_INTEQ(err.line, 2);
    CHECK_STRCONTAINS(err.file, "broken.json");
    CHECK_INTEQ(bm_gazetteer_size(gz), n0);
    bm_gazetteer_free(gz);
}

/* An ACLED export's columns: location, latitude, longitude, admin1, admin2, geo_precision. */
static const char acled_head[] = "event_id_cnty,event_date,admin1,admin2,location,latitude,"
                                 "longitude,geo_precision,source,fatalities\n";

static void csv_named_points_collapse_repeats(void) {
    bm_gazetteer *gz = builtin();
    REQUIRE(gz != NULL);
    const size_t n0 = bm_gazetteer_size(gz);
    char text[2048];
    snprintf(text, sizeof text,
             "%sPAK1,2024-01-02,Balochistan,Kech,Gorgop,26.1000,62.9000,1,Dawn,1\n"
             "PAK2,2024-02-02,Balochistan,Kech,Gorgop,26.1000,62.9000,1,Dawn,2\n"
             "PAK3,2024-02-03,Balochistan,Awaran,Gorgop,26.5000,65.1000,1,Dawn,0\n"
             "PAK4,2024-02-04,Balochistan,Kech,Teertaj,,,1,Dawn,0\n"
             "PAK5,2024-02-05,Balochistan,Kech,Malant,26.3000,63.5000,3,Dawn,0\n",
             acled_head);
    bm_error err = {0};
    REQUIRE(bm_gazetteer_add_file(gz, put("acled.csv", text), &err) == BM_OK);
    /* Gorgop in Kech (twice, one point) and in Awaran; Teertaj has no point; Malant's is ACLED's
     * stand-in for the province (precision 3) */
    CHECK_INTEQ(bm_gazetteer_size(gz) - n0, 2);
    CHECK_STREQ(resolve(gz, "Gorgop, Kech", &err), "user.gorgop");
    resolve(gz, "Gorgop", &err);
    CHECK_INTEQ(err.status, BM_ERR_AMBIGUOUS);
    const bm_place *g = bm_gazetteer_by_id(gz, "user.gorgop");
    REQUIRE(g != NULL);
    CHECK_STRCONTAINS(g->source, "ACLED");
    resolve(gz, "Malant", &err);
    CHECK_INTEQ(err.status, BM_ERR_NOT_FOUND);
    bm_gazetteer_free(gz);
}

static void csv_named_points_defects_name_the_lines(void) {
    bm_gazetteer *gz = builtin();
    REQUIRE(gz != NULL);
    const size_t n0 = bm_gazetteer_size(gz);
    char text[2048];
    snprintf(text, sizeof text,
             "%sPAK1,2024-01-02,Balochistan,Kech,Gorgop,26.1000,62.9000,1,Dawn,1\n"
             "PAK2,2024-01-03,Balochistan,Kech,Hirok,26.2,63.2,1,Dawn,1\n"
             "PAK3,2024-02-02,Balochistan,Kech,Gorgop,26.1500,62.9000,1,Dawn,2\n",
             acled_head);
    bm_error err = {0};
    CHECK_INTEQ(bm_gazetteer_add_file(gz, put("two.csv", text), &err), BM_ERR_INVALID);
    CHECK_INTEQ(err.line, 4);
    CHECK_STRCONTAINS(err.message, "'Gorgop' in Kech has two points");
    CHECK_STRCONTAINS(err.message, "line 2");
    CHECK_STRCONTAINS(err.file, "two.csv");
    bm_error_clear(&err);
    snprintf(text, sizeof text, "%sPAK1,2024-01-02,Balochistan,Kech,Gorgop,26.1000,x,1,Dawn,1\n",
             acled_head);
    CHECK_INTEQ(bm_gazetteer_add_file(gz, put("x.csv", text), &err), BM_ERR_INVALID);
    CHECK_INTEQ(err.line, 2);
    CHECK_STRCONTAINS(err.message, "longitude");
    bm_error_clear(&err);
    snprintf(text, sizeof text, "%sPAK1,2024-01-02,Balochistan,Kech,Gorgop,26.1000\n", acled_head);
    CHECK_INTEQ(bm_gazetteer_add_file(gz, put("short.csv", text), &err), BM_ERR_SYNTAX);
    CHECK_INTEQ(err.line, 2);
    /* "csv:" reads a file of another extension as CSV (here the location columns only) */
    bm_error_clear(&err);
    char spec[600];
    snprintf(spec, sizeof spec, "csv:%s",
             put("points.txt", "location,latitude,longitude,admin2\nHirok,26.2,63.2,Kech\n"));
    CHECK_INTEQ(bm_gazetteer_add_file(gz, spec, &err), BM_OK);
    CHECK_INTEQ(bm_gazetteer_size(gz) - n0, 1);
    CHECK_STREQ(resolve(gz, "Hirok (Kech)", &err), "user.hirok");
    bm_gazetteer_free(gz);
}

/* GeoJSON incidents with a null geometry are geocoded by name with their district (item 3), and
 * the map credits a GeoNames dump that placed one. */
static void geojson_null_geometry_is_found_by_name(void) {
    bm_gazetteer *gz = builtin();
    REQUIRE(gz != NULL);
    bm_error err = {0};
    REQUIRE(bm_gazetteer_add_file(gz, FIXTURE, &err) == BM_OK);
    static const char features[] =
        "{\"type\": \"FeatureCollection\", \"features\": [\n"
        "{\"type\": \"Feature\", \"geometry\": null, \"properties\": {\"source\": \"a\",\n"
        "  \"what\": \"killed\", \"who\": \"civilians\", \"value\": 2, \"place\": \"Gwarkop\",\n"
        "  \"district\": \"Panjgur\", \"claimed_on\": \"2026-01-31\"}},\n"
        "{\"type\": \"Feature\", \"geometry\": null, \"properties\": {\"source\": \"a\",\n"
        "  \"what\": \"killed\", \"who\": \"civilians\", \"value\": 1, \"place\": \"Kolwa\",\n"
        "  \"admin2\": \"Kech\", \"admin1\": \"Balochistan\", \"claimed_on\": \"2026-01-31\"}}\n"
        "]}\n";
    const char *path = put("null.geojson", features);
    bm_incidents *inc = bm_incidents_load(path, NULL, &err);
    REQUIRE(inc != NULL);
    bm_geocode_options o = {0};
    o.input_path = path;
    o.measure = BM_Q_KILLED;
    o.party = -1;
    bm_geocoded *g = bm_geocode(inc, gz, &o, &err);
    REQUIRE(g != NULL);
    size_t n = 0;
    const bm_located_place *pl = bm_geocoded_places(g, &n);
    REQUIRE(n == 2);
    CHECK_STREQ(pl[0].place_id, "geonames:9900019"); /* Panjgur's, not Kech's */
    CHECK_STREQ(pl[1].place_id, "geonames:9900016");
    CHECK_INTEQ(pl[1].precision, BM_PREC_DISTRICT);
    CHECK_STRCONTAINS(bm_geocoded_attribution(g), "GeoNames country dump (CC BY 4.0)");
    bm_geocoded_free(g);
    bm_incidents_free(inc);
    /* Without a district it is ambiguous; in the wrong district it is refused; both at the
     * feature's line and pointer. */
    static const char wrong[] =
        "{\"type\": \"FeatureCollection\", \"features\": [\n"
        "{\"type\": \"Feature\", \"geometry\": null, \"properties\": {\"source\": \"a\",\n"
        "  \"what\": \"killed\", \"who\": \"civilians\", \"value\": 2, \"place\": \"Gwarkop\",\n"
        "  \"claimed_on\": \"2026-01-31\"}},\n"
        "{\"type\": \"Feature\", \"geometry\": null, \"properties\": {\"source\": \"a\",\n"
        "  \"what\": \"killed\", \"who\": \"civilians\", \"value\": 1, \"place\": \"Gwarkop\",\n"
        "  \"district\": \"Quetta\", \"claimed_on\": \"2026-01-31\"}}\n"
        "]}\n";
    path = put("wrong.geojson", wrong);
    bm_error_clear(&err);
    inc = bm_incidents_load(path, NULL, &err);
    REQUIRE(inc != NULL);
    bm_diags problems = {0};
    o.input_path = path;
    o.problems = &problems;
    CHECK(bm_geocode(inc, gz, &o, &err) == NULL);
    REQUIRE(problems.n_items == 2);
    const bm_error *d0 = &problems.items[0].where;
    const bm_error *d1 = &problems.items[1].where;
    CHECK_INTEQ(d0->status, BM_ERR_AMBIGUOUS);
    CHECK_STREQ(d0->pointer, "/features/0");
    CHECK_INTEQ(d0->line, 2);
    CHECK_STRCONTAINS(d1->message, "outside Quetta");
    CHECK_STREQ(d1->pointer, "/features/1");
    bm_diags_free(&problems);
    bm_incidents_free(inc);
    bm_gazetteer_free(gz);
}

/* A UTF-8 byte-order mark, as Windows tools write one, may start a file of every format (named
 * by its extension, by its content or by a "FORMAT:" prefix); lines are counted as without it.
 * A UTF-16 mark stays refused, with its message. */
#define BOM "\xEF\xBB\xBF"
#define GN_ROW(id, name)                                                                           \
    id "\t" name "\t" name                                                                         \
       "\t\t27.5\t64.5\tP\tPPL\tPK\t\t02\t\t\t\t0\t\t1\tAsia/Karachi\t2024-01-01\n"
#define OSM_POINT(id, name)                                                                        \
    "{\"type\": \"Feature\", \"id\": \"node/" id "\", \"properties\": {\"name\": \"" name "\"},\n" \
    " \"geometry\": {\"type\": \"Point\", \"coordinates\": [64.5, 27.5]}}"
#define OSM_FILE(id, name)                                                                         \
    "{\"type\": \"FeatureCollection\", \"features\": [\n" OSM_POINT(id, name) "]}\n"

static void a_utf8_bom_is_read_in_every_format(void) {
    bm_gazetteer *gz = builtin();
    REQUIRE(gz != NULL);
    const size_t n0 = bm_gazetteer_size(gz);
    static const struct {
        const char *prefix, *file, *text, *id;
    } cases[] = {
        {"", "bom-table.csv", BOM "name,lat,lon,id\nBomabad,27.5,64.5,my.bom1\n", "my.bom1"},
        {"", "bom-table.tsv", BOM "name\tlat\tlon\tid\nBomabad\t27.5\t64.5\tmy.bom2\n", "my.bom2"},
        {"", "bom-quoted.csv",
         BOM "\"name\",\"lat\",\"lon\",\"id\"\n\"Bomabad\",27.5,64.5,my.bom3\n", "my.bom3"},
        {"", "bom-dump.txt", BOM GN_ROW("9990001", "Bomabad"), "geonames:9990001"},
        {"geonames:", "bom-dump.dat", BOM GN_ROW("9990002", "Bomabad"), "geonames:9990002"},
        {"", "bom-osm.geojson", BOM OSM_FILE("9990003", "Bomabad"), "osm:node/9990003"},
        {"", "bom-osm.txt", BOM "\n" OSM_FILE("9990004", "Bomabad"), "osm:node/9990004"},
        {"geojson:", "bom-osm.dat", BOM OSM_FILE("9990005", "Bomabad"), "osm:node/9990005"},
        {"", "bom-points.csv", BOM "\"location\",\"latitude\",\"longitude\"\nBomabad,27.5,64.5\n",
         "user.bomabad"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char spec[600];
        snprintf(spec, sizeof spec, "%s%s", cases[i].prefix, put(cases[i].file, cases[i].text));
        bm_error err = {0};
        CHECK_INTEQ(bm_gazetteer_add_file(gz, spec, &err), BM_OK);
        if (err.status != BM_OK)
            fprintf(stderr, "  %s: %s\n", cases[i].file, err.message);
        const bm_place *p = bm_gazetteer_by_id(gz, cases[i].id);
        CHECK(p != NULL);
        if (p != NULL) {
            CHECK_STREQ(p->name, "Bomabad"); /* not "\uFEFFBomabad" */
            CHECK_NEAR(p->lat_deg, 27.5, 1e-9);
        }
    }
    CHECK_INTEQ(bm_gazetteer_size(gz) - n0, sizeof cases / sizeof cases[0]);
    /* after the mark, lines count as they would without it */
    bm_error err = {0};
    const char *dump = put("bom-bad.txt", BOM GN_ROW("9990010", "Bomabad") GN_ROW("9990011", ""));
    CHECK_INTEQ(bm_gazetteer_add_file(gz, dump, &err), BM_ERR_INVALID);
    CHECK_INTEQ(err.line, 2);
    CHECK_STRCONTAINS(err.message, "empty name");
    bm_error_clear(&err);
    const char *osm =
        put("bom-bad.geojson",
            BOM "{\"type\": \"FeatureCollection\", \"features\": [\n" OSM_POINT(
                "9990012", "Bomabad") ",\n{\"type\": \"Feature\", \"properties\": "
                                      "{\"name\": \"Kolwa\"}, \"geometry\": null}]}\n");
    CHECK_INTEQ(bm_gazetteer_add_file(gz, osm, &err), BM_ERR_INVALID);
    CHECK_INTEQ(err.line, 4);
    CHECK_STREQ(err.pointer, "/features/1");
    /* UTF-16, either byte order, with its mark: refused as UTF-16, whatever the format */
    static const struct {
        const char *file;
        const char bytes[24];
        size_t n;
    } utf16[] = {
        {"u16le.geojson", "\xFF\xFE{\0\"\0t\0y\0p\0e\0\"\0:\0", 18},
        {"u16be.geojson", "\xFE\xFF\0{\0\"\0t\0y\0p\0e\0\"\0:", 18},
        {"u16le.txt",
         "\xFF\xFE"
         "1\0"
         "2\0\t\0B\0",
         10},
        {"u16le.csv", "\xFF\xFEn\0a\0m\0e\0,\0", 12},
    };
    for (size_t i = 0; i < sizeof utf16 / sizeof utf16[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, utf16[i].file);
        FILE *f = fopen(path, "wb");
        REQUIRE(f != NULL);
        fwrite(utf16[i].bytes, 1, utf16[i].n, f);
        fclose(f);
        bm_error_clear(&err);
        CHECK_INTEQ(bm_gazetteer_add_file(gz, path, &err), BM_ERR_SYNTAX);
        CHECK_STRCONTAINS(err.message, "the file is UTF-16 text; expected UTF-8");
        CHECK_INTEQ(err.line, 1);
        unlink(path);
    }
    CHECK_INTEQ(bm_gazetteer_size(gz) - n0, sizeof cases / sizeof cases[0]);
    bm_gazetteer_free(gz);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/bm-gzfmt-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return 1;
    RUN(geonames_dump_is_read_with_admin_names);
    RUN(geonames_malformed_rows_name_the_line);
    RUN(geojson_named_points_are_read);
    RUN(geojson_named_points_defects_name_the_line);
    RUN(csv_named_points_collapse_repeats);
    RUN(csv_named_points_defects_name_the_lines);
    RUN(geojson_null_geometry_is_found_by_name);
    RUN(a_utf8_bom_is_read_in_every_format);
    static const char *const names[] = {
        "bad.txt",       "header.txt",     "places.geojson", "poly.geojson",  "dup.geojson",
        "far.geojson",   "broken.json",    "acled.csv",      "two.csv",       "x.csv",
        "short.csv",     "points.txt",     "null.geojson",   "wrong.geojson", "bom-table.csv",
        "bom-table.tsv", "bom-quoted.csv", "bom-dump.txt",   "bom-dump.dat",  "bom-osm.geojson",
        "bom-osm.txt",   "bom-osm.dat",    "bom-points.csv", "bom-bad.txt",   "bom-bad.geojson"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    return CHECK_DONE();
}
