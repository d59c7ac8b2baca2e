/* SPDX-License-Identifier: MIT */
/* test_geocode_context.c - issue 10 items 1 and 2: the tehsil (a CSV's admin3) as context, and
 * bare names that several places share (a district and villages, several villages), with the
 * built-in gazetteer, a table in its format and a GeoNames dump written here. The names Dazin,
 * Nasirabad, Turbat, Kolwa, Tump and Dasht are real places of Kech; every coordinate and
 * geonameid marked synthetic below is a test case, not data. */
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
    bm_gazetteer *gz = bm_gazetteer_load(BM_SOURCE_DIR "/shapes/gazetteer.tsv", &err);
    if (gz == NULL)
        fprintf(stderr, "builtin: %s\n", err.message);
    return gz;
}

/* The id a lookup lands on, or the error's message (m gets the match). */
static const char *resolve_in(const bm_gazetteer *gz, const char *name, const bm_place_context *ctx,
                              bm_place_match *m, bm_error *err) {
    bm_error_clear(err);
    if (bm_gazetteer_lookup_in(gz, name, BM_KIND_ANY, ctx, m, err) != BM_OK)
        return err->message;
    return m->place->id;
}

/* A gazetteer in the built-in format where the Kech village Nasirabad has a coordinate (synthetic:
 * the built-in one is known by name only). On main, towns came before districts, so the bare
 * name went to the village. */
static const char builtin_format[] =
    "id\tname\tkind\tlat\tlon\tcountry\tadmin1\tadmin2\tpopulation\talt_names\tprecision\t"
    "valid_from\tvalid_until\tsource\n"
    "dist.PK.nasirabad\tNasirabad\tdistrict\t28.5466\t68.2231\tPK\tBalochistan\tNasirabad\t\t"
    "Nasirabad District\tdistrict\t\t\ttest\n"
    "dist.PK.kech\tKech\tdistrict\t26.0000\t63.0000\tPK\tBalochistan\tKech\t\tKech District\t"
    "district\t\t\ttest\n"
    "dist.PK.kharan\tKharan\tdistrict\t28.5846\t65.4150\tPK\tBalochistan\tKharan\t\t"
    "Kharan District\tdistrict\t\t\ttest\n"
    "gn.PK.02.kharan\tKharan\ttown\t28.5846\t65.4150\tPK\tBalochistan\tKharan District\t\t\t"
    "point\t\t\ttest\n"
    "hand.nasirabad-kech\tNasirabad\ttown\t26.2000\t63.3000\tPK\tBalochistan\tKech District\t\t"
    "\tpoint\t\t\tsynthetic test point\n"
    "hand.gwarkop-a\tGwarkop\ttown\t26.3000\t63.2000\tPK\tBalochistan\tKech District\t\t\t"
    "point\t\t\tsynthetic test point\n"
    "hand.gwarkop-b\tGwarkop\ttown\t26.8000\t64.2000\tPK\tBalochistan\tPanjgur\t\t\tpoint\t\t\t"
    "synthetic test point\n";

static void a_bare_name_is_the_district_not_a_village_of_its_name(void) {
    bm_error err = {0};
    bm_gazetteer *gz = bm_gazetteer_load(put("builtin.tsv", builtin_format), &err);
    REQUIRE(gz != NULL);
    bm_place_match m;
    CHECK_STREQ(resolve_in(gz, "Nasirabad", NULL, &m, &err), "dist.PK.nasirabad");
    CHECK_STRCONTAINS(m.why, "not town hand.nasirabad-kech (Kech District, PK)");
    CHECK_STRCONTAINS(m.why, "a bare name means the unit");
    /* the district's seat, named like it, stays the town; the district is the same place */
    CHECK_STREQ(resolve_in(gz, "Kharan", NULL, &m, &err), "gn.PK.02.kharan");
    CHECK_STREQ(m.why, "");
    /* context picks the village, in both written forms */
    CHECK_STREQ(resolve_in(gz, "Nasirabad (Kech)", NULL, &m, &err), "hand.nasirabad-kech");
    CHECK_STREQ(resolve_in(gz, "Nasirabad, Kech", NULL, &m, &err), "hand.nasirabad-kech");
    const bm_place_context kech = {.district = "Kech"};
    CHECK_STREQ(resolve_in(gz, "Nasirabad", &kech, &m, &err), "hand.nasirabad-kech");
    /* two villages: refused, each with its district and id */
    resolve_in(gz, "Gwarkop", NULL, &m, &err);
    CHECK_INTEQ(err.status, BM_ERR_AMBIGUOUS);
    CHECK_STRCONTAINS(err.message, "hand.gwarkop-a, Kech District");
    CHECK_STRCONTAINS(err.message, "hand.gwarkop-b, Panjgur");
    CHECK_STRCONTAINS(err.hint, "Gwarkop, DISTRICT");
    bm_gazetteer_free(gz);
}

/* The real built-in gazetteer: Nasirabad is the district, and geocode says why. */
static void the_builtin_nasirabad_is_the_district_and_says_why(void) {
    bm_gazetteer *gz = builtin();
    REQUIRE(gz != NULL);
    bm_error err = {0};
    bm_place_match m;
    CHECK_STREQ(resolve_in(gz, "Nasirabad", NULL, &m, &err), "dist.PK.nasirabad");
    CHECK_STRCONTAINS(m.why, "hand.nasirabad-kech");
    CHECK_STRCONTAINS(m.why, "gn.PK.05.nasirabad");
    CHECK_STRCONTAINS(m.why, "Balochistan's place before namesakes elsewhere");
    CHECK_STREQ(resolve_in(gz, "Quetta", NULL, &m, &err), "gn.PK.02.quetta");
    CHECK_STREQ(m.why, ""); /* the district of that name is the same place */
    bm_gazetteer_free(gz);
}

/* A GeoNames dump (PK.txt format; geonameids 99100xx, coordinates of the villages, the ADM rows'
 * points and the second Turbat and Kolwa are synthetic). */
static const char dump[] =
    "1163052\tKech District\tKech District\t\t26.0\t63.0\tA\tADM2\tPK\t\t02\t1163052\t\t\t0\t\t0"
    "\tAsia/Karachi\t2024-01-01\n"
    "1167527\tQuetta District\tQuetta District\t\t30.2\t67.0\tA\tADM2\tPK\t\t02\t1167527\t\t\t0"
    "\t\t0\tAsia/Karachi\t2024-01-01\n"
    "6641896\tAwaran District\tAwaran District\t\t26.4\t65.2\tA\tADM2\tPK\t\t02\t6641896\t\t\t0"
    "\t\t0\tAsia/Karachi\t2024-01-01\n"
    "9910001\tTump Tehsil\tTump Tehsil\t\t26.1\t62.4\tA\tADM3\tPK\t\t02\t1163052\t01\t\t0\t\t0"
    "\tAsia/Karachi\t2024-01-01\n"
    "9910002\tDasht Tehsil\tDasht Tehsil\t\t25.6\t62.2\tA\tADM3\tPK\t\t02\t1163052\t02\t\t0\t\t0"
    "\tAsia/Karachi\t2024-01-01\n"
    "9910003\tTurbat\tTurbat\t\t26.00122\t63.04849\tP\tPPLA2\tPK\t\t02\t1163052\t\t\t75694\t\t0"
    "\tAsia/Karachi\t2024-01-01\n"
    "9910004\tTurbat\tTurbat\t\t30.0\t67.2\tP\tPPL\tPK\t\t02\t1167527\t\t\t0\t\t0"
    "\tAsia/Karachi\t2024-01-01\n"
    "9910005\tNasirabad\tNasirabad\t\t26.2\t62.5\tP\tPPL\tPK\t\t02\t1163052\t01\t\t0\t\t0"
    "\tAsia/Karachi\t2024-01-01\n"
    "9910006\tNasirabad\tNasirabad\t\t25.7\t62.3\tP\tPPL\tPK\t\t02\t1163052\t02\t\t0\t\t0"
    "\tAsia/Karachi\t2024-01-01\n"
    "9910007\tKolwa\tKolwa\t\t26.6\t65.5\tP\tPPL\tPK\t\t02\t6641896\t\t\t0\t\t0"
    "\tAsia/Karachi\t2024-01-01\n";

static void with_a_dump_a_bare_name_never_picks_a_village(void) {
    bm_gazetteer *gz = builtin();
    REQUIRE(gz != NULL);
    bm_error err = {0};
    REQUIRE(bm_gazetteer_add_file(gz, put("PK.txt", dump), &err) == BM_OK);
    bm_place_match m;
    /* the dump's two Kech villages do not take the district's name from it */
    CHECK_STREQ(resolve_in(gz, "Nasirabad", NULL, &m, &err), "dist.PK.nasirabad");
    CHECK_STRCONTAINS(m.why, "geonames:9910005");
    CHECK_STRCONTAINS(m.why, "geonames:9910006");
    /* the seat (PPLA2), not the village of Quetta district */
    CHECK_STREQ(resolve_in(gz, "Turbat", NULL, &m, &err), "geonames:9910003");
    CHECK_STRCONTAINS(m.why, "not town geonames:9910004 (Quetta District, PK)");
    /* a dump village and the built-in village elsewhere: neither is chosen by the name alone */
    resolve_in(gz, "Kolwa", NULL, &m, &err);
    CHECK_INTEQ(err.status, BM_ERR_AMBIGUOUS);
    CHECK_STRCONTAINS(err.message, "hand.kolwa, Kech District");
    CHECK_STRCONTAINS(err.message, "geonames:9910007, Awaran District");
    CHECK_STREQ(resolve_in(gz, "Kolwa, Kech", NULL, &m, &err), "hand.kolwa");
    CHECK_STREQ(resolve_in(gz, "Kolwa (Awaran)", NULL, &m, &err), "geonames:9910007");
    /* the two Kech villages: the district is not enough, the tehsil is */
    resolve_in(gz, "Nasirabad, Kech", NULL, &m, &err);
    CHECK_INTEQ(err.status, BM_ERR_AMBIGUOUS);
    const bm_place_context tump = {.district = "Kech", .tehsil = "Tump"};
    CHECK_STREQ(resolve_in(gz, "Nasirabad", &tump, &m, &err), "geonames:9910005");
    CHECK_STREQ(m.place->admin3, "Tump Tehsil"); /* named by the dump's ADM3 row */
    const bm_place_context dasht = {.district = "Kech", .tehsil = "Dasht Tehsil"};
    CHECK_STREQ(resolve_in(gz, "Nasirabad", &dasht, &m, &err), "geonames:9910006");
    bm_gazetteer_free(gz);
}

/* A table of the user's own with an admin3 column (synthetic rows but the first, ACLED's Dazin
 * point as quoted in the seed's places-in-report.tsv). */
static const char own_table[] = "name,lat,lon,admin1,admin2,admin3,source\n"
                                "Dazin,26.1062,62.3384,Balochistan,Kech,Tump,ACLED point (seed)\n"
                                "Dazin,25.9000,62.6000,Balochistan,Kech,Dasht,synthetic\n"
                                "Balor,26.5000,63.0000,Balochistan,Kech,,synthetic\n"
                                "Balor,26.7000,63.5000,Balochistan,Kech,Buleda,synthetic\n";

static void the_tehsil_narrows_and_refuses_only_a_known_other_tehsil(void) {
    bm_gazetteer *gz = builtin();
    REQUIRE(gz != NULL);
    bm_error err = {0};
    REQUIRE(bm_gazetteer_add_file(gz, put("own.csv", own_table), &err) == BM_OK);
    bm_place_match m;
    const bm_place_context kech = {.district = "Kech"};
    resolve_in(gz, "Dazin", &kech, &m, &err);
    CHECK_INTEQ(err.status, BM_ERR_AMBIGUOUS);
    const bm_place_context tump = {.district = "Kech", .tehsil = "Tump Tehsil"};
    resolve_in(gz, "Dazin", &tump, &m, &err);
    CHECK_NEAR(m.place->lat_deg, 26.1062, 1e-9);
    CHECK_STREQ(m.place->admin3, "Tump");
    /* every candidate known to be in another tehsil: refused naming both */
    const bm_place_context buleda = {.district = "Kech", .tehsil = "Buleda"};
    resolve_in(gz, "Dazin", &buleda, &m, &err);
    CHECK_INTEQ(err.status, BM_ERR_NOT_FOUND);
    CHECK_STRCONTAINS(err.message, "outside Buleda tehsil");
    CHECK_STRCONTAINS(err.message, "in Tump tehsil");
    /* one known elsewhere, one unknown: the unknown one (no refusal made from nothing) */
    resolve_in(gz, "Balor", &tump, &m, &err);
    CHECK_NEAR(m.place->lat_deg, 26.5, 1e-9);
    /* one known inside, one unknown: the one inside */
    resolve_in(gz, "Balor", &buleda, &m, &err);
    CHECK_NEAR(m.place->lat_deg, 26.7, 1e-9);
    /* no candidate's tehsil known: the tehsil changes nothing */
    const bm_place_context kolwa = {.district = "Kech", .tehsil = "Kolwa"};
    CHECK_STREQ(resolve_in(gz, "Hirok", &kolwa, &m, &err), "hand.hirok");
    CHECK_STREQ(resolve_in(gz, "Tump", &kolwa, &m, &err), "hand.tump");
    bm_gazetteer_free(gz);
}

static bm_incidents *load_text(const char *text, const char *name) {
    bm_error err = {0};
    bm_incidents *in = bm_incidents_load(put(name, text), NULL, &err);
    if (in == NULL)
        fprintf(stderr, "load: %s:%d: %s\n", err.file, err.line, err.message);
    return in;
}

/* An ACLED-style row's admin3 is read as the tehsil (on main it was ignored: ambiguous). */
static void a_csv_rows_admin3_is_its_tehsil(void) {
    bm_gazetteer *gz = builtin();
    REQUIRE(gz != NULL);
    bm_error err = {0};
    REQUIRE(bm_gazetteer_add_file(gz, put("own.csv", own_table), &err) == BM_OK);
    static const char head[] = "event_date,admin1,admin2,admin3,location,latitude,longitude,"
                               "geo_precision,source,fatalities\n";
    char text[1024];
    snprintf(text, sizeof text, "%s2024-04-25,Balochistan,Kech,Tump,Dazin,,,1,ACLED,1\n", head);
    bm_incidents *in = load_text(text, "tump.csv");
    REQUIRE(in != NULL);
    bm_geocode_options o = {0};
    o.input_path = "tump.csv";
    o.measure = BM_Q_KILLED;
    o.party = -1;
    bm_geocoded *g = bm_geocode(in, gz, &o, &err);
    if (g == NULL)
        fprintf(stderr, "%s\n", err.message);
    REQUIRE(g != NULL);
    size_t n;
    const bm_located_place *ps = bm_geocoded_places(g, &n);
    CHECK_INTEQ(n, 1);
    CHECK_NEAR(ps[0].lat_deg, 26.1062, 1e-9);
    bm_geocoded_free(g);
    bm_incidents_free(in);
    snprintf(text, sizeof text, "%s2024-04-25,Balochistan,Kech,Buleda,Dazin,,,1,ACLED,1\n", head);
    in = load_text(text, "buleda.csv");
    REQUIRE(in != NULL);
    bm_error_clear(&err);
    CHECK(bm_geocode(in, gz, &o, &err) == NULL);
    CHECK_STRCONTAINS(err.message, "outside Buleda tehsil");
    CHECK_INTEQ(err.line, 2);
    bm_incidents_free(in);
    bm_gazetteer_free(gz);
}

/* A geo_precision 2 row without coordinates (audit: "unknown place 'near Panjgur'" for every
 * such row): the town is looked up and the place drawn is "near Panjgur" at its point, a place
 * of its own beside Panjgur itself (a 1 row of the same town), never summed with it. */
static void a_csv_precision_2_row_without_coordinates_is_near_its_town(void) {
    bm_gazetteer *gz = builtin();
    REQUIRE(gz != NULL);
    static const char text[] =
        "event_date,admin1,admin2,location,latitude,longitude,geo_precision,source,fatalities\n"
        "2024-03-05,Balochistan,Panjgur,Panjgur,,,2,Dawn,5\n"
        "2024-03-06,Balochistan,Panjgur,Panjgur,,,1,Dawn,2\n"
        "2024-03-07,Balochistan,Panjgur,Panjgur,,,2,Dawn,1\n";
    bm_incidents *in = load_text(text, "near.csv");
    REQUIRE(in != NULL);
    bm_geocode_options o = {0};
    o.input_path = "near.csv";
    o.measure = BM_Q_KILLED;
    o.party = -1;
    bm_error err = {0};
    bm_geocoded *g = bm_geocode(in, gz, &o, &err);
    if (g == NULL)
        fprintf(stderr, "%s\n", err.message);
    REQUIRE(g != NULL);
    size_t n;
    const bm_located_place *ps = bm_geocoded_places(g, &n);
    CHECK_INTEQ(n, 2);
    CHECK_STREQ(ps[0].name, "near Panjgur");
    CHECK_STREQ(ps[0].as_named, "");
    CHECK_STREQ(ps[1].name, "Panjgur");
    CHECK_NEAR(ps[0].lat_deg, ps[1].lat_deg, 1e-12);
    CHECK_NEAR(ps[0].lon_deg, ps[1].lon_deg, 1e-12);
    CHECK_STREQ(ps[0].place_id, ps[1].place_id);
    bm_geocoded_free(g);
    bm_incidents_free(in);
    bm_gazetteer_free(gz);
}

/* A user's dump row with a point but no district, beside a built-in row known by name only and
 * stated to be in the district asked: not taken as the same place, but named with its id (the
 * audit's hint asked for --gazetteer FILE of a user who had given it). Synthetic point. */
static void a_name_only_place_names_a_namesake_with_a_point(void) {
    bm_gazetteer *gz = builtin();
    REQUIRE(gz != NULL);
    bm_error err = {0};
    REQUIRE(bm_gazetteer_add_file(
                gz,
                put("PK.txt", "9910099\tMuslim Bagh\tMuslim Bagh\tMuslimbagh\t30.8\t68.3\tP\tPPLA3"
                              "\tPK\t\t02\t\t\t\t20000\t\t1600\tAsia/Karachi\t2020-01-01\n"),
                &err) == BM_OK);
    const bm_place_context ctx = {.district = "Qila Saifullah", .home_country = "PK"};
    bm_place_match m;
    resolve_in(gz, "Muslimbagh", &ctx, &m, &err);
    CHECK_INTEQ(err.status, BM_ERR_NOT_FOUND);
    CHECK_STRCONTAINS(err.message, "knows by name but has no coordinate");
    CHECK_STRCONTAINS(err.hint, "geonames:9910099");
    CHECK_STRCONTAINS(err.hint, "not known to be the same place");
    bm_gazetteer_free(gz);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/bm_geoctx_XXXXXX");
    if (mkdtemp(dir) == NULL)
        return 1;
    RUN(a_bare_name_is_the_district_not_a_village_of_its_name);
    RUN(the_builtin_nasirabad_is_the_district_and_says_why);
    RUN(with_a_dump_a_bare_name_never_picks_a_village);
    RUN(the_tehsil_narrows_and_refuses_only_a_known_other_tehsil);
    RUN(a_csv_rows_admin3_is_its_tehsil);
    RUN(a_csv_precision_2_row_without_coordinates_is_near_its_town);
    RUN(a_name_only_place_names_a_namesake_with_a_point);
    static const char *const names[] = {"builtin.tsv", "PK.txt",     "own.csv",
                                        "tump.csv",    "buleda.csv", "near.csv"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        remove(p);
    }
    rmdir(dir);
    return CHECK_DONE();
}
