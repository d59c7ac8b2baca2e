/* SPDX-License-Identifier: MIT */
/* incidents_geojson.c - reads a GeoJSON FeatureCollection of points (docs/input-formats.md).
 *
 * Each Point feature is one claim: its properties say who claims what, its geometry pins the
 * place it names; a feature whose geometry is null is placed by its name, as the gazetteer finds
 * it within the district, province or country its properties give. Features that share an
 * "incident" property are claims about one incident. cJSON keeps no positions, so, as for
 * incidents_json.c, the JSON kit (json_kit.c) records where each value starts; messages carry line,
 * column and a JSON pointer. */
#include <cjson/cJSON.h>

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dates.h"
#include "incidents.h"
#include "incidents_readers.h"
#include "incidents_rows.h"
#include "incidents_value.h"
#include "json_kit.h"

typedef struct reader {
    bm_rows *rows;
    bm_json_reader j;  /* the text, its positions; problems found by the JSON kit */
    char pointer[256]; /* the JSON pointer of the feature being read */
    /* Property names balmap does not read, each warned about once (at its first feature). */
    const char *unknown[32];
    size_t n_unknown;
} reader;

static const char *const known_properties[] = {
    "source",     "source_label", "source_kind", "what",       "who",     "value",  "place",
    "place_kind", "incident",     "date",        "claimed_on", "id",      "quote",  "note",
    "url",        "reported_by",  "district",    "province",   "country", "admin1", "admin2"};
#define N_KNOWN_PROPERTIES (sizeof known_properties / sizeof known_properties[0])

/* ---- problems ---------------------------------------------------------------------------- */

/* Errors so far, whether flagged through the rows or the JSON kit. */
static size_t n_errors(const reader *r) {
    return bm_rows_n_errors(r->rows) + r->j.n_errors;
}

/* An error at node, with the pointer r->pointer + suffix ("" for the feature itself). */
static void BM_PRINTF(5, 6) fail_at(reader *r, const cJSON *node, const char *suffix,
                                    const char *hint, const char *fmt, ...) {
    char message[512], pointer[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    snprintf(pointer, sizeof pointer, "%s%s", r->pointer, suffix);
    const bm_json_pos *p = bm_json_position_of(&r->j.positions, node);
    bm_rows_flag(r->rows, BM_SEV_ERROR, BM_ERR_INVALID, p ? p->line : 0, p ? p->column : 0, pointer,
                 hint, "%s", message);
}

/* Other tools export many properties of their own (fid, OBJECTID, ...), so an unknown one is
 * a warning, once per name for the whole file, not an error per feature; one within a typo of a
 * known name gets a "did you mean" ("vaule"). */
static void warn_unknown_properties(reader *r, const cJSON *props) {
    for (const cJSON *c = props->child; c != NULL; c = c->next) {
        bool is_known = false;
        for (size_t i = 0; i < N_KNOWN_PROPERTIES && !is_known; i++)
            is_known = strcmp(c->string, known_properties[i]) == 0;
        for (size_t i = 0; i < r->n_unknown && !is_known; i++)
            is_known = strcmp(c->string, r->unknown[i]) == 0;
        if (is_known)
            continue;
        const char *name = bm_rows_strdup(r->rows, c->string);
        if (name != NULL && r->n_unknown < sizeof r->unknown / sizeof r->unknown[0])
            r->unknown[r->n_unknown++] = name;
        const char *guess = bm_closest(c->string, known_properties, N_KNOWN_PROPERTIES);
        char pointer[320], hint[128];
        snprintf(pointer, sizeof pointer, "%s/properties/%s", r->pointer, c->string);
        if (guess != NULL)
            snprintf(hint, sizeof hint, "did you mean '%s'?", guess);
        else
            snprintf(hint, sizeof hint, "docs/input-formats.md lists the properties balmap reads");
        const bm_json_pos *p = bm_json_position_of(&r->j.positions, c);
        bm_rows_flag(r->rows, BM_SEV_WARNING, BM_ERR_INVALID, p ? p->line : 0, p ? p->column : 0,
                     pointer, hint, "unknown property '%.64s' (ignored in every feature)",
                     c->string);
    }
}

/* A string property copied into the arena; NULL when absent (an error if required), blank or
 * not a string (errors). */
static const char *read_string(reader *r, const cJSON *props, const char *key, bool is_required) {
    const cJSON *item = bm_json_member(props, key);
    char suffix[64], got[96];
    snprintf(suffix, sizeof suffix, "/properties/%s", key);
    if (item == NULL || cJSON_IsNull(item)) {
        if (is_required)
            fail_at(r, props, "/properties", NULL, "missing property '%s'", key);
        return NULL;
    }
    if (!cJSON_IsString(item)) {
        fail_at(r, item, suffix, NULL, "expected a string for '%s', found %s", key,
                bm_json_describe(item, got, sizeof got));
        return NULL;
    }
    if (item->valuestring[strspn(item->valuestring, " \t\r\n")] == '\0') {
        fail_at(r, item, suffix, NULL, "empty '%s'", key);
        return NULL;
    }
    return bm_rows_strdup(r->rows, item->valuestring);
}

/* A string property that must be one of names; its index, or -1. */
static int read_enum(reader *r, const cJSON *props, const char *key, bool is_required,
                     const char *const *names, size_t n, const char *list) {
    const char *word = read_string(r, props, key, is_required);
    if (word == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(word, names[i]) == 0)
            return (int)i;
    }
    char suffix[64];
    snprintf(suffix, sizeof suffix, "/properties/%s", key);
    fail_at(r, bm_json_member(props, key), suffix, NULL,
            "unknown '%s' value '%s'; expected one of: %s", key, word, list);
    return -1;
}

/* ---- features --------------------------------------------------------------------------- */

/* The point of a Point geometry, checked. */
static bool read_point(reader *r, const cJSON *feature, double *lat, double *lon) {
    const cJSON *geometry = bm_json_member(feature, "geometry");
    const cJSON *type = bm_json_member(geometry, "type");
    const cJSON *coords = bm_json_member(geometry, "coordinates");
    char got[96];
    if (!cJSON_IsObject(geometry) || !cJSON_IsString(type) ||
        strcmp(type->valuestring, "Point") != 0) {
        fail_at(r, geometry != NULL ? geometry : feature, "/geometry",
                "give each feature a point: {\"type\": \"Point\", \"coordinates\": [lon, "
                "lat]}, or \"geometry\": null to have its 'place' found by name",
                "expected a Point geometry, found %s",
                cJSON_IsString(type) ? type->valuestring
                                     : bm_json_describe(geometry, got, sizeof got));
        return false;
    }
    if (!cJSON_IsArray(coords) || cJSON_GetArraySize(coords) < 2 ||
        !cJSON_IsNumber(coords->child) || !cJSON_IsNumber(coords->child->next)) {
        fail_at(r, coords != NULL ? coords : geometry, "/geometry/coordinates", NULL,
                "expected [longitude, latitude] numbers, found %s",
                bm_json_describe(coords, got, sizeof got));
        return false;
    }
    const double x = coords->child->valuedouble, y = coords->child->next->valuedouble;
    bool ok = true;
    if (!(fabs(x) <= 180)) {
        fail_at(r, coords->child, "/geometry/coordinates/0",
                "GeoJSON puts longitude first: Quetta is [67.00, 30.18]",
                "longitude %.15g is out of range; expected -180 to 180", x);
        ok = false;
    }
    if (!(fabs(y) <= 90)) {
        fail_at(r, coords->child->next, "/geometry/coordinates/1",
                "GeoJSON puts longitude first: Quetta is [67.00, 30.18]",
                "latitude %.15g is out of range; expected -90 to 90", y);
        ok = false;
    }
    *lon = x;
    *lat = y;
    return ok;
}

/* A date property as YYYY-MM-DD (or "31 January 2026"), normalised, in the arena. */
static const char *read_date(reader *r, const cJSON *props, const char *key, bool is_required) {
    const char *text = read_string(r, props, key, is_required);
    if (text == NULL)
        return NULL;
    char iso[11], why[160], suffix[64];
    if (!bm_date_parse_day(text, iso, why, sizeof why)) {
        snprintf(suffix, sizeof suffix, "/properties/%s", key);
        fail_at(r, bm_json_member(props, key), suffix, "write dates as 2026-01-31",
                "invalid date '%s' in '%s': %s", text, key, why);
        return NULL;
    }
    return bm_rows_strdup(r->rows, iso);
}

static void read_feature(reader *r, const cJSON *feature, size_t index) {
    snprintf(r->pointer, sizeof r->pointer, "/features/%zu", index);
    const size_t n_errors_before = n_errors(r);
    const bm_json_pos *at = bm_json_position_of(&r->j.positions, feature);
    const int line = at != NULL ? at->line : 0, column = at != NULL ? at->column : 0;
    const cJSON *type = bm_json_member(feature, "type");
    if (!cJSON_IsObject(feature) || !cJSON_IsString(type) ||
        strcmp(type->valuestring, "Feature") != 0) {
        fail_at(r, feature, "", NULL, "expected a Feature object");
        return;
    }
    const cJSON *props = bm_json_member(feature, "properties");
    if (!cJSON_IsObject(props)) {
        char got[96];
        fail_at(r, props != NULL ? props : feature, "/properties",
                "see docs/input-formats.md for the properties balmap reads",
                "expected an object for 'properties', found %s",
                bm_json_describe(props, got, sizeof got));
        return;
    }
    warn_unknown_properties(r, props);
    /* A repeated property would count once (cJSON keeps both, readers take the first): "value"
     * 5 and "value" 500 drew 5. An error, as in the JSON format. */
    r->j.pointer_len = (size_t)snprintf(r->j.pointer, sizeof r->j.pointer, "%s", r->pointer);
    bm_json_check_duplicates(&r->j, feature, "a feature");
    r->j.pointer_len =
        (size_t)snprintf(r->j.pointer, sizeof r->j.pointer, "%s/properties", r->pointer);
    bm_json_check_duplicates(&r->j, props, "properties");
    /* A null geometry: the place is found by its name, with the district, province and
     * country the properties give as context (as a CSV row without coordinates). */
    double lat = 0, lon = 0;
    const bool is_unlocated = cJSON_IsNull(bm_json_member(feature, "geometry"));
    const bool has_point = is_unlocated || read_point(r, feature, &lat, &lon);
    const char *place = read_string(r, props, "place", true);
    const char *district = read_string(r, props, "district", false);
    if (district == NULL)
        district = read_string(r, props, "admin2", false);
    const char *province = read_string(r, props, "province", false);
    if (province == NULL)
        province = read_string(r, props, "admin1", false);
    const char *country = read_string(r, props, "country", false);
    const char *const *place_kinds = bm_place_kind_names();
    const char *const *source_kinds = bm_source_kind_names();
    const int place_kind = read_enum(r, props, "place_kind", false, place_kinds, BM_N_PLACE_KINDS,
                                     bm_place_kind_list());
    const char *source = read_string(r, props, "source", true);
    const char *label = read_string(r, props, "source_label", false);
    const int source_kind = read_enum(r, props, "source_kind", false, source_kinds,
                                      BM_N_SOURCE_KINDS, bm_source_kind_list());
    const int what =
        read_enum(r, props, "what", true, bm_quantity_names(), BM_N_QUANTITIES, bm_quantity_list());
    const int who =
        read_enum(r, props, "who", true, bm_party_names(), BM_N_PARTIES, bm_party_list());
    bm_value value;
    r->j.pointer_len =
        (size_t)snprintf(r->j.pointer, sizeof r->j.pointer, "%s/properties", r->pointer);
    bm_value_read(&r->j, bm_rows_arena(r->rows), props, &value);
    const char *claimed_on = read_date(r, props, "claimed_on", true);
    const char *date = read_date(r, props, "date", false);
    const char *incident_id = read_string(r, props, "incident", false);
    const char *claim_id = read_string(r, props, "id", false);
    bm_claim cl = {0};
    cl.quote = read_string(r, props, "quote", false);
    cl.note = read_string(r, props, "note", false);
    cl.url = read_string(r, props, "url", false);
    cl.reported_by = read_string(r, props, "reported_by", false);
    if (!has_point || n_errors(r) != n_errors_before)
        return;

    char generated[48];
    if (incident_id == NULL) {
        snprintf(generated, sizeof generated, "feature-%zu", index);
        incident_id = bm_rows_strdup(r->rows, generated);
    }
    if (claim_id == NULL) {
        snprintf(generated, sizeof generated, "feature-%zu", index);
        claim_id = bm_rows_strdup(r->rows, generated);
    }
    const char *pointer = bm_rows_strdup(r->rows, r->pointer);
    bm_place_ref *ref = bm_arena_alloc(bm_rows_arena(r->rows), sizeof *ref);
    if (incident_id == NULL || claim_id == NULL || pointer == NULL || ref == NULL) {
        bm_rows_out_of_memory(r->rows);
        return;
    }
    const char *kind = place_kind >= 0 ? place_kinds[place_kind] : NULL;
    *ref = (bm_place_ref){place, kind, pointer, line, district, province, country, 0, NULL, false};
    size_t src = 0, incident = 0;
    if ((!is_unlocated && !bm_rows_pin(r->rows, place, kind, lat, lon, "the GeoJSON geometry",
                                       pointer, line, column)) ||
        !bm_rows_source(r->rows, source, label, source_kind >= 0 ? source_kinds[source_kind] : NULL,
                        line, &src) ||
        !bm_rows_incident(r->rows, incident_id, NULL, date != NULL ? date : claimed_on, false,
                          pointer, line, column, &incident))
        return;
    cl.id = claim_id;
    cl.source = src;
    cl.what = (bm_quantity)what;
    cl.who = (bm_party)who;
    cl.value = value;
    cl.places = ref;
    cl.n_places = 1;
    cl.claimed_on = claimed_on;
    cl.pointer = pointer;
    cl.line = line;
    bm_rows_claim(r->rows, incident, &cl);
}

static const char *read_title(reader *r, const cJSON *root) {
    const cJSON *t = bm_json_member(root, "name");
    if (cJSON_IsString(t) && t->valuestring[0] != '\0')
        return bm_rows_strdup(r->rows, t->valuestring);
    return NULL;
}

bm_incidents *bm_incidents_parse_geojson(const char *text, size_t len, const char *path,
                                         bm_diags *diags, bm_error *err) {
    reader r = {0};
    bm_json_reader_init(&r.j, text, len, path, diags, err);
    r.rows = bm_rows_new(path, diags, err);
    if (r.rows == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    cJSON *root = NULL;
    const char *title = NULL;
    bm_rows_check_utf8(r.rows, text, len);
    if (bm_rows_n_errors(r.rows) > 0)
        goto done;
    root = bm_json_reader_parse(&r.j);
    if (root == NULL)
        goto done;
    const cJSON *type = bm_json_member(root, "type");
    const cJSON *features = bm_json_member(root, "features");
    if (!cJSON_IsObject(root) || !cJSON_IsString(type) ||
        strcmp(type->valuestring, "FeatureCollection") != 0 || !cJSON_IsArray(features)) {
        fail_at(&r, root, "", "the file is {\"type\": \"FeatureCollection\", \"features\": [...]}",
                "expected a GeoJSON FeatureCollection with a 'features' array");
        goto done;
    }
    title = read_title(&r, root);
    size_t i = 0;
    for (const cJSON *f = features->child; f != NULL; f = f->next, i++)
        read_feature(&r, f, i);
done:
    bm_rows_count_errors(r.rows, r.j.n_errors);
    if (r.j.is_out_of_memory)
        bm_rows_out_of_memory(r.rows);
    bm_incidents *inc = bm_rows_finish(r.rows, title, NULL, NULL, 0);
    cJSON_Delete(root);
    bm_json_reader_free(&r.j);
    bm_rows_free(r.rows);
    return inc;
}
