/* SPDX-License-Identifier: MIT */
/* incidents_csv.c - reads a CSV in the shape of an ACLED export (docs/input-formats.md).
 *
 * RFC 4180: comma-separated, fields in double quotes may hold commas, line breaks and doubled
 * quotes; records end in CRLF or LF. The header names the columns; columns it does not know are
 * ignored. Each row is one incident with one claim by the source ACLED (a monitoring project: the
 * figure is ACLED's coding of the reports), relayed by the outlets of the `source` column
 * (`reported_by`); the fatalities are killed people of unspecified party (ACLED does not split
 * them), and the row's coordinates pin its location. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "incidents.h"
#include "incidents_readers.h"
#include "incidents_rows.h"
#include "utf8.h"

typedef enum column {
    COL_EVENT_DATE,
    COL_EVENT_TYPE,
    COL_ACTOR1,
    COL_ACTOR2,
    COL_ADMIN1,
    COL_ADMIN2,
    COL_LOCATION,
    COL_LATITUDE,
    COL_LONGITUDE,
    COL_GEO_PRECISION,
    COL_SOURCE,
    COL_NOTES,
    COL_FATALITIES,
    COL_EVENT_ID,
    COL_ADMIN3,
    N_COLUMNS
} column;

static const struct column_rule {
    const char *name;
    bool is_required;
} columns[N_COLUMNS] = {
    [COL_EVENT_DATE] = {"event_date", true}, [COL_EVENT_TYPE] = {"event_type", false},
    [COL_ACTOR1] = {"actor1", false},        [COL_ACTOR2] = {"actor2", false},
    [COL_ADMIN1] = {"admin1", false},        [COL_ADMIN2] = {"admin2", false},
    [COL_LOCATION] = {"location", true},     [COL_LATITUDE] = {"latitude", true},
    [COL_LONGITUDE] = {"longitude", true},   [COL_GEO_PRECISION] = {"geo_precision", true},
    [COL_SOURCE] = {"source", true},         [COL_NOTES] = {"notes", false},
    [COL_FATALITIES] = {"fatalities", true}, [COL_EVENT_ID] = {"event_id_cnty", false},
    [COL_ADMIN3] = {"admin3", false},
};

/* ACLED's geo_precision codes: 1 the town itself, 2 near the town named (or in its district),
 * 3 the province (ACLED codebook, "Geo-precision"). A 2 keeps the town's point and is named
 * "near <town>": a district ring would name a district ("Hoshab district") that may not exist. */
static const char *const precision_kinds[3] = {"town", "town", "province"};

static const char *const notes[] = {
    "Fatalities are each event's as the CSV gives them, all parties together: ACLED does not "
    "split fatalities by party, so every claim is 'killed, unspecified'.",
    "Places are at the file's own coordinates, or at the gazetteer's point of the location named "
    "where a row gives none; geo_precision 1 is drawn as a town, 2 as 'near' the town named, 3 "
    "as a province.",
    "The figures are ACLED's coding of the reports it collects; the outlets named in each row's "
    "'source' column are kept as who reported it.",
};

typedef struct field {
    size_t start, len; /* in the cell buffer */
    int line, column;
} field;

typedef struct csv {
    const char *text;
    size_t len, i;
    int line, column;
    bm_rows *rows;
    bm_buf cells; /* the record's unescaped fields, each followed by a NUL */
    field *fields;
    size_t n_fields, n_alloc_fields;
    bool is_broken; /* a syntax error that makes the rest unreadable */
} csv;

static void advance(csv *c) {
    bm_utf8_advance((unsigned char)c->text[c->i++], &c->line, &c->column);
}

static bool append(csv *c, char ch) {
    if (bm_buf_append(&c->cells, &ch, 1) == BM_OK)
        return true;
    bm_rows_out_of_memory(c->rows);
    c->is_broken = true;
    return false;
}

static bool at_record_end(const csv *c) {
    return c->i >= c->len || c->text[c->i] == '\n' || c->text[c->i] == '\r';
}

/* Reads one record into c->fields; false at the end of the text. */
static bool read_record(csv *c) {
    if (c->i >= c->len || c->is_broken)
        return false;
    bm_buf_reset(&c->cells);
    c->cells.len = 0;
    c->n_fields = 0;
    for (;;) {
        field f = {c->cells.len, 0, c->line, c->column};
        if (c->i < c->len && c->text[c->i] == '"') {
            advance(c);
            for (;;) {
                if (c->i >= c->len) {
                    bm_rows_flag(c->rows, BM_SEV_ERROR, BM_ERR_SYNTAX, f.line, f.column, NULL,
                                 "close the quoted field with '\"'; write a quote inside it as "
                                 "'\"\"'",
                                 "unterminated quoted field; expected a closing '\"'");
                    c->is_broken = true;
                    return false;
                }
                if (c->text[c->i] == '"') {
                    advance(c);
                    if (c->i < c->len && c->text[c->i] == '"') {
                        if (!append(c, '"'))
                            return false;
                        advance(c);
                        continue;
                    }
                    break;
                }
                if (!append(c, c->text[c->i]))
                    return false;
                advance(c);
            }
            if (c->i < c->len && c->text[c->i] != ',' && !at_record_end(c)) {
                bm_rows_flag(c->rows, BM_SEV_ERROR, BM_ERR_SYNTAX, c->line, c->column, NULL,
                             "quote the whole field, and double any quote inside it",
                             "unexpected '%c' after a closing quote; expected ',' or the end of "
                             "the line",
                             c->text[c->i]);
                while (c->i < c->len && c->text[c->i] != ',' && !at_record_end(c))
                    advance(c);
            }
        } else {
            bool has_flagged_quote = false;
            while (c->i < c->len && c->text[c->i] != ',' && !at_record_end(c)) {
                if (c->text[c->i] == '"' && !has_flagged_quote) {
                    bm_rows_flag(c->rows, BM_SEV_ERROR, BM_ERR_SYNTAX, c->line, c->column, NULL,
                                 "quote the whole field, and double the quote: \"say \"\"x\"\"\"",
                                 "'\"' inside an unquoted field");
                    has_flagged_quote = true;
                }
                if (!append(c, c->text[c->i]))
                    return false;
                advance(c);
            }
        }
        f.len = c->cells.len - f.start;
        if (!append(c, '\0'))
            return false;
        if (bm_grow((void **)&c->fields, &c->n_alloc_fields, c->n_fields + 1, sizeof *c->fields) !=
            BM_OK) {
            bm_rows_out_of_memory(c->rows);
            c->is_broken = true;
            return false;
        }
        c->fields[c->n_fields++] = f;
        if (c->i < c->len && c->text[c->i] == ',') {
            advance(c);
            continue;
        }
        if (c->i < c->len && c->text[c->i] == '\r')
            advance(c);
        if (c->i < c->len && c->text[c->i] == '\n')
            advance(c);
        return true;
    }
}

/* The text of field i, trimmed of spaces and tabs (in place: the buffer is the record's). */
static const char *cell(csv *c, size_t i) {
    char *s = c->cells.data + c->fields[i].start;
    size_t n = c->fields[i].len;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static bool is_blank_record(const csv *c) {
    return c->n_fields == 1 && c->fields[0].len == 0;
}

static bool name_equal(const char *a, const char *b) {
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        const int ca = (*a >= 'A' && *a <= 'Z') ? *a - 'A' + 'a' : *a;
        if (ca != *b)
            return false;
    }
    return *a == *b;
}

typedef struct header {
    size_t index[N_COLUMNS]; /* field index of each known column; SIZE_MAX when absent */
    size_t n_fields;
} header;

static bool read_header(csv *c, header *h) {
    for (size_t k = 0; k < N_COLUMNS; k++)
        h->index[k] = SIZE_MAX;
    if (!read_record(c)) {
        if (!c->is_broken)
            bm_rows_flag(c->rows, BM_SEV_ERROR, BM_ERR_SYNTAX, 1, 1, NULL,
                         "the first line names the columns: event_date,location,latitude,...",
                         "empty file; expected a header line");
        return false;
    }
    h->n_fields = c->n_fields;
    for (size_t i = 0; i < c->n_fields; i++) {
        const char *name = cell(c, i);
        for (size_t k = 0; k < N_COLUMNS; k++) {
            if (!name_equal(name, columns[k].name))
                continue;
            if (h->index[k] != SIZE_MAX)
                bm_rows_flag(c->rows, BM_SEV_ERROR, BM_ERR_INVALID, c->fields[i].line,
                             c->fields[i].column, NULL, "keep one of them",
                             "duplicate column '%s' in the header (also column %zu)",
                             columns[k].name, h->index[k] + 1);
            else
                h->index[k] = i;
        }
    }
    bool ok = true;
    for (size_t k = 0; k < N_COLUMNS; k++) {
        if (columns[k].is_required && h->index[k] == SIZE_MAX) {
            bm_rows_flag(c->rows, BM_SEV_ERROR, BM_ERR_INVALID, 1, 0, NULL,
                         "the header needs event_date, location, latitude, longitude, "
                         "geo_precision, source and fatalities (ACLED's names)",
                         "missing column '%s' in the header", columns[k].name);
            ok = false;
        }
    }
    return ok && bm_rows_n_errors(c->rows) == 0;
}

/* Flags a problem in one field, naming its column. */
#define FIELD_ERROR(c, i, k, hint, fmt, ...)                                                       \
    bm_rows_flag((c)->rows, BM_SEV_ERROR, BM_ERR_INVALID, (c)->fields[i].line,                     \
                 (c)->fields[i].column, NULL, (hint), "column '%s': " fmt, columns[k].name,        \
                 __VA_ARGS__)

static bool read_degrees(csv *c, const header *h, column k, double limit, double *out) {
    const size_t i = h->index[k];
    const char *s = cell(c, i);
    char *end = NULL;
    errno = 0;
    const double v = strtod(s, &end);
    if (s[0] == '\0' || end == s || *end != '\0' || errno == ERANGE || !isfinite(v)) {
        FIELD_ERROR(c, i, k, NULL, "expected a number of degrees, found '%.40s'", s);
        return false;
    }
    if (!(fabs(v) <= limit)) {
        FIELD_ERROR(c, i, k, "latitude comes first: Quetta is latitude 30.18, longitude 67.00",
                    "%.15g is out of range; expected -%g to %g", v, limit, limit);
        return false;
    }
    *out = v;
    return true;
}

static bool read_fatalities(csv *c, const header *h, int64_t *out) {
    const size_t i = h->index[COL_FATALITIES];
    const char *s = cell(c, i);
    if (s[0] == '\0') {
        FIELD_ERROR(c, i, COL_FATALITIES, "ACLED writes 0 when no one was reported killed", "%s",
                    "empty; expected a whole number >= 0");
        return false;
    }
    char *end = NULL;
    const double v = strtod(s, &end);
    if (end == s || *end != '\0') {
        FIELD_ERROR(c, i, COL_FATALITIES, "write the number of people killed, e.g. 3",
                    "expected a whole number >= 0, found '%.40s'", s);
        return false;
    }
    char why[160], hint[160];
    if (!bm_count_check(v, why, sizeof why, hint, sizeof hint)) {
        FIELD_ERROR(c, i, COL_FATALITIES, hint, "%s", why);
        return false;
    }
    *out = (int64_t)v;
    return true;
}

/* "Battles: Military Forces of Pakistan vs BLA; Kech, Balochistan" from the optional columns. */
static const char *describe_event(csv *c, const header *h) {
    const char *part[5] = {NULL};
    const column which[5] = {COL_EVENT_TYPE, COL_ACTOR1, COL_ACTOR2, COL_ADMIN2, COL_ADMIN1};
    for (size_t k = 0; k < 5; k++) {
        if (h->index[which[k]] != SIZE_MAX && cell(c, h->index[which[k]])[0] != '\0')
            part[k] = cell(c, h->index[which[k]]);
    }
    bm_buf b = BM_BUF_INIT(4096);
    if (part[0] != NULL)
        bm_buf_appends(&b, part[0]);
    if (part[1] != NULL)
        bm_buf_printf(&b, "%s%s", b.len ? ": " : "", part[1]);
    if (part[2] != NULL)
        bm_buf_printf(&b, "%s%s", part[1] != NULL ? " vs " : b.len ? ": " : "", part[2]);
    if (part[3] != NULL || part[4] != NULL)
        bm_buf_printf(&b, "%s%s%s%s", b.len ? "; " : "", part[3] ? part[3] : "",
                      part[3] && part[4] ? ", " : "", part[4] ? part[4] : "");
    const char *out = b.len > 0 ? bm_rows_strdup(c->rows, bm_buf_str(&b)) : NULL;
    bm_buf_free(&b);
    return out;
}

/* n_errors_before: the count before the record was read, so a row with a syntax error is
 * checked but not kept. */
static void read_row(csv *c, const header *h, int line, size_t n_errors_before) {
    if (c->n_fields != h->n_fields) {
        bm_rows_flag(c->rows, BM_SEV_ERROR, BM_ERR_SYNTAX, line, 1, NULL,
                     "a comma inside a value needs the value in double quotes",
                     "row has %zu field%s; the header has %zu", c->n_fields,
                     c->n_fields == 1 ? "" : "s", h->n_fields);
        return;
    }
    char date[11] = "";
    {
        const size_t i = h->index[COL_EVENT_DATE];
        const char *s = cell(c, i);
        char why[160];
        if (!bm_date_parse_day(s, date, why, sizeof why))
            FIELD_ERROR(c, i, COL_EVENT_DATE, "write dates as 2026-01-31 or 31 January 2026",
                        "invalid date '%.40s': %s", s, why);
    }
    const size_t loc_i = h->index[COL_LOCATION];
    const char *location = cell(c, loc_i);
    if (location[0] == '\0')
        FIELD_ERROR(c, loc_i, COL_LOCATION, "write the place name as the source spelled it", "%s",
                    "empty place name; expected a name such as 'Quetta'");
    double lat = 0, lon = 0;
    /* Both empty: the place is found from its name, with admin1/admin2 as context (the rows of
     * an ACLED-style file without coordinates). Otherwise both are read, so a row with two bad
     * coordinates gets both errors. */
    const bool is_unlocated =
        cell(c, h->index[COL_LATITUDE])[0] == '\0' && cell(c, h->index[COL_LONGITUDE])[0] == '\0';
    const bool has_lat = is_unlocated || read_degrees(c, h, COL_LATITUDE, 90, &lat);
    const bool has_lon = is_unlocated || read_degrees(c, h, COL_LONGITUDE, 180, &lon);
    const bool has_coords = !is_unlocated && has_lat && has_lon;
    const char *kind = NULL;
    {
        const size_t i = h->index[COL_GEO_PRECISION];
        const char *s = cell(c, i);
        if (s[0] >= '1' && s[0] <= '3' && s[1] == '\0')
            kind = precision_kinds[s[0] - '1'];
        else
            FIELD_ERROR(c, i, COL_GEO_PRECISION, NULL,
                        "unknown precision '%.20s'; expected 1 (town), 2 (district) or 3 "
                        "(province)",
                        s);
    }
    const size_t src_i = h->index[COL_SOURCE];
    const char *source = cell(c, src_i);
    if (source[0] == '\0')
        FIELD_ERROR(c, src_i, COL_SOURCE, "name who reported the event, e.g. 'Dawn'", "%s",
                    "empty source; expected a name");
    int64_t killed = 0;
    read_fatalities(c, h, &killed);
    if (bm_rows_n_errors(c->rows) != n_errors_before)
        return;

    bm_rows *rows = c->rows;
    char id[32];
    snprintf(id, sizeof id, "line-%d", line);
    const char *incident_id = bm_rows_strdup(rows, id);
    const char *claim_id = incident_id;
    if (h->index[COL_EVENT_ID] != SIZE_MAX && cell(c, h->index[COL_EVENT_ID])[0] != '\0')
        claim_id = bm_rows_strdup(rows, cell(c, h->index[COL_EVENT_ID]));
    const char *iso_date = bm_rows_strdup(rows, date);
    /* geo_precision 2: near the town, so a place of its own beside the town itself. */
    char near[512];
    snprintf(near, sizeof near, "near %s", location);
    const bool is_near = cell(c, h->index[COL_GEO_PRECISION])[0] == '2';
    /* geo_precision 3: only the province is known, and the row's point is ACLED's stand-in for
     * it (a capital or a centre), so the place is the province the row names (admin1), drawn
     * as a province: a town's name there would say "Saranan (whole province)". */
    const bool is_province = cell(c, h->index[COL_GEO_PRECISION])[0] == '3';
    const char *province = h->index[COL_ADMIN1] != SIZE_MAX ? cell(c, h->index[COL_ADMIN1]) : "";
    if (is_province && province[0] == '\0') {
        bm_rows_flag(c->rows, BM_SEV_ERROR, BM_ERR_INVALID, line, c->fields[loc_i].column, "",
                     "give the province in an 'admin1' column (ACLED exports have it)",
                     "geo_precision 3 means only the province is known, and this row names no "
                     "province (admin1)");
        return;
    }
    /* Without coordinates, a 2 is geocoded from the town's name and drawn "near" it. */
    const char *place = bm_rows_strdup(rows, is_province             ? province
                                             : is_near && has_coords ? near
                                                                     : location);
    const char *source_copy = bm_rows_strdup(rows, source);
    const char *quote = NULL;
    if (h->index[COL_NOTES] != SIZE_MAX && cell(c, h->index[COL_NOTES])[0] != '\0')
        quote = bm_rows_strdup(rows, cell(c, h->index[COL_NOTES]));
    const char *note = describe_event(c, h);
    bm_place_ref *ref = bm_arena_alloc(bm_rows_arena(rows), sizeof *ref);
    if (incident_id == NULL || claim_id == NULL || iso_date == NULL || place == NULL ||
        source_copy == NULL || ref == NULL) {
        bm_rows_out_of_memory(rows);
        return;
    }
    const char *admin2 = h->index[COL_ADMIN2] != SIZE_MAX ? cell(c, h->index[COL_ADMIN2]) : "";
    const char *admin1 = h->index[COL_ADMIN1] != SIZE_MAX ? cell(c, h->index[COL_ADMIN1]) : "";
    /* admin3 is the tehsil: context as admin2 is (gazetteer.h, bm_place_context.tehsil) */
    const char *admin3 = h->index[COL_ADMIN3] != SIZE_MAX ? cell(c, h->index[COL_ADMIN3]) : "";
    *ref = (bm_place_ref){place,
                          kind,
                          "",
                          line,
                          admin2[0] != '\0' && !is_province ? bm_rows_strdup(rows, admin2) : NULL,
                          admin1[0] != '\0' && !is_province ? bm_rows_strdup(rows, admin1) : NULL,
                          NULL,
                          c->fields[loc_i].column,
                          admin3[0] != '\0' && !is_province ? bm_rows_strdup(rows, admin3) : NULL,
                          is_near && !has_coords};
    size_t src = 0, incident = 0;
    if (has_coords && !is_province &&
        !bm_rows_pin(rows, place, kind, lat, lon, "the CSV's latitude/longitude", "", line,
                     c->fields[loc_i].column))
        return;
    if (!bm_rows_source(rows, "ACLED", "ACLED", "monitor", line, &src) ||
        !bm_rows_incident(rows, incident_id, note, iso_date, true, "", line, 1, &incident))
        return;
    bm_claim cl = {0};
    cl.id = claim_id;
    cl.source = src;
    cl.what = BM_Q_KILLED;
    cl.who = BM_PARTY_UNSPECIFIED;
    cl.value = (bm_value){BM_VALUE_EXACT, killed, killed, NULL, false};
    cl.places = ref;
    cl.n_places = 1;
    cl.claimed_on = iso_date;
    cl.reported_by = source_copy;
    cl.quote = quote;
    cl.note = note;
    cl.pointer = "";
    cl.line = line;
    bm_rows_claim(rows, incident, &cl);
}

/* The file's base name without its extension, as the map's title. */
static const char *title_from_path(bm_rows *rows, const char *path) {
    const char *base = strrchr(path, '/');
    base = base != NULL ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    const size_t n = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);
    const char *t = bm_arena_strndup(bm_rows_arena(rows), base, n);
    if (t == NULL)
        bm_rows_out_of_memory(rows);
    return t;
}

bm_incidents *bm_incidents_parse_csv(const char *text, size_t len, const char *path,
                                     bm_diags *diags, bm_error *err) {
    bm_rows *rows = bm_rows_new(path, diags, err);
    if (rows == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    bm_incidents *inc = NULL;
    csv c = {0};
    c.text = text;
    c.len = len;
    c.line = 1;
    c.column = 1;
    c.rows = rows;
    c.cells = (bm_buf)BM_BUF_INIT(len + 16);
    /* A byte-order mark, as spreadsheets write, is not part of the first field: skipped before
     * reading, so that a quoted first name ("\xEF\xBB\xBF\"event_date\",...") is read as quoted. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        c.i = 3;
    bm_rows_check_utf8(rows, text, len);
    if (bm_rows_n_errors(rows) == 0) {
        header h;
        if (read_header(&c, &h)) {
            int line = c.line;
            size_t n_errors = bm_rows_n_errors(rows);
            while (read_record(&c)) {
                if (!is_blank_record(&c))
                    read_row(&c, &h, line, n_errors);
                line = c.line;
                n_errors = bm_rows_n_errors(rows);
            }
        }
    }
    inc = bm_rows_finish(rows, title_from_path(rows, path != NULL ? path : "events.csv"),
                         "Fatalities as reported per event; not split by party", notes,
                         sizeof notes / sizeof notes[0]);
    bm_buf_free(&c.cells);
    free(c.fields);
    bm_rows_free(rows);
    return inc;
}
