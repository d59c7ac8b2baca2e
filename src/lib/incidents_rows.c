/* SPDX-License-Identifier: MIT */
/* incidents_rows.c - flat records (CSV rows, GeoJSON features) into the incident model. */
#include "incidents_rows.h"
#include "bm_hash.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_hash.h"
#include "utf8.h"

typedef struct row_incident {
    bm_incident inc; /* claims is filled in at the end */
    bm_claim *claims;
    size_t n_claims, n_alloc_claims;
} row_incident;

struct bm_rows {
    const char *path;
    bm_diags *diags;
    bm_error *err;
    bm_arena *arena;
    bool is_out_of_memory;
    size_t n_errors;
    bm_source *sources;
    size_t n_sources, n_alloc_sources;
    bm_place_pin *pins;
    size_t n_pins, n_alloc_pins;
    bm_strmap *pins_by_name; /* ASCII-lowercased name -> pin: 100,000 rows stay linear */
    row_incident *incidents;
    size_t n_incidents, n_alloc_incidents;
};

bm_rows *bm_rows_new(const char *path, bm_diags *diags, bm_error *err) {
    bm_rows *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->arena = bm_arena_new();
    r->path = bm_arena_strdup(r->arena, path != NULL ? path : "");
    if (r->arena == NULL || r->path == NULL) {
        bm_rows_free(r);
        return NULL;
    }
    r->diags = diags;
    r->err = err;
    return r;
}

void bm_rows_free(bm_rows *r) {
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n_incidents; i++)
        free(r->incidents[i].claims);
    free(r->incidents);
    free(r->pins);
    bm_strmap_free(r->pins_by_name);
    free(r->sources);
    bm_arena_free(r->arena);
    free(r);
}

bm_arena *bm_rows_arena(bm_rows *r) {
    return r->arena;
}

const char *bm_rows_strdup(bm_rows *r, const char *s) {
    if (s == NULL)
        return NULL;
    const char *copy = bm_arena_strdup(r->arena, s);
    if (copy == NULL)
        r->is_out_of_memory = true;
    return copy;
}

void bm_rows_count_errors(bm_rows *r, size_t n) {
    r->n_errors += n;
}

void bm_rows_out_of_memory(bm_rows *r) {
    r->is_out_of_memory = true;
}

size_t bm_rows_n_errors(const bm_rows *r) {
    return r->n_errors;
}

void bm_rows_flag(bm_rows *r, bm_severity severity, bm_status status, int line, int column,
                  const char *pointer, const char *hint, const char *fmt, ...) {
    bm_error e = {0};
    e.status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.message, sizeof e.message, fmt, ap);
    va_end(ap);
    bm_error_file(&e, r->path);
    bm_error_pointer(&e, pointer);
    e.line = line;
    e.column = column;
    if (hint != NULL && hint[0] != '\0')
        bm_error_hint(&e, "%s", hint);
    if (bm_report(r->diags, r->err, &r->n_errors, severity, &e) != BM_OK)
        r->is_out_of_memory = true;
}

static void report_utf8(void *user, const bm_error *bad) {
    bm_rows_flag(user, BM_SEV_ERROR, bad->status, bad->line, bad->column, NULL, bad->hint, "%s",
                 bad->message);
}

void bm_rows_check_utf8(bm_rows *r, const char *text, size_t len) {
    bm_utf8_check(text, len, report_utf8, r);
}

bool bm_rows_source(bm_rows *r, const char *id, const char *label, const char *kind, int line,
                    size_t *index) {
    for (size_t i = 0; i < r->n_sources; i++) {
        if (strcmp(r->sources[i].id, id) == 0) {
            *index = i;
            return true;
        }
    }
    if (bm_grow((void **)&r->sources, &r->n_alloc_sources, r->n_sources + 1, sizeof *r->sources) !=
        BM_OK) {
        r->is_out_of_memory = true;
        return false;
    }
    bm_source s = {0};
    s.id = id;
    s.label = label != NULL ? label : id;
    s.kind = kind != NULL ? kind : "other";
    s.pointer = "";
    s.line = line;
    r->sources[r->n_sources] = s;
    *index = r->n_sources++;
    return true;
}

bool bm_rows_pin(bm_rows *r, const char *name, const char *kind, double lat_deg, double lon_deg,
                 const char *coords_source, const char *pointer, int line, int column) {
    char *key = bm_arena_strdup(r->arena, name);
    if (key == NULL || (r->pins_by_name == NULL && (r->pins_by_name = bm_strmap_new()) == NULL)) {
        r->is_out_of_memory = true;
        return false;
    }
    for (char *k = key; *k != '\0'; k++)
        *k = (char)(*k >= 'A' && *k <= 'Z' ? *k - 'A' + 'a' : *k);
    bool is_new;
    size_t first;
    if (bm_strmap_add(r->pins_by_name, key, r->n_pins, &is_new, &first) != BM_OK) {
        r->is_out_of_memory = true;
        return false;
    }
    if (!is_new) {
        const bm_place_pin *p = &r->pins[first];
        if (fabs(p->lat_deg - lat_deg) <= 1e-4 && fabs(p->lon_deg - lon_deg) <= 1e-4)
            return true;
        char hint[160];
        snprintf(hint, sizeof hint,
                 "the first is at line %d; give each point its own name, e.g. '%.60s (district)'",
                 p->line, name);
        bm_rows_flag(r, BM_SEV_ERROR, BM_ERR_INVALID, line, column, pointer, hint,
                     "place '%s' is at lat %.6g, lon %.6g here but at lat %.6g, lon %.6g before",
                     name, lat_deg, lon_deg, p->lat_deg, p->lon_deg);
        return false;
    }
    if (bm_grow((void **)&r->pins, &r->n_alloc_pins, r->n_pins + 1, sizeof *r->pins) != BM_OK) {
        r->is_out_of_memory = true;
        return false;
    }
    bm_place_pin pin = {0};
    pin.name = name;
    pin.kind = kind;
    pin.has_coords = true;
    pin.lat_deg = lat_deg;
    pin.lon_deg = lon_deg;
    pin.source = coords_source;
    pin.pointer = pointer != NULL ? pointer : "";
    pin.line = line;
    r->pins[r->n_pins++] = pin;
    return true;
}

bool bm_rows_incident(bm_rows *r, const char *id, const char *title, const char *date,
                      bool is_new_id, const char *pointer, int line, int column, size_t *index) {
    /* Features of one incident usually come together: look at the latest first. */
    for (size_t k = 0; !is_new_id && k < r->n_incidents; k++) {
        const size_t i = r->n_incidents - 1 - k;
        const bm_incident *in = &r->incidents[i].inc;
        if (strcmp(in->id, id) != 0)
            continue;
        if (date != NULL && in->date_start != NULL && strcmp(in->date_start, date) != 0) {
            char hint[96];
            snprintf(hint, sizeof hint, "the first record of incident '%.40s' is at line %d", id,
                     in->line);
            bm_rows_flag(r, BM_SEV_ERROR, BM_ERR_INVALID, line, column, pointer, hint,
                         "incident '%s' is dated %s here but %s before", id, date, in->date_start);
            return false;
        }
        if (in->title == NULL)
            r->incidents[i].inc.title = title;
        *index = i;
        return true;
    }
    if (bm_grow((void **)&r->incidents, &r->n_alloc_incidents, r->n_incidents + 1,
                sizeof *r->incidents) != BM_OK) {
        r->is_out_of_memory = true;
        return false;
    }
    row_incident ri = {0};
    ri.inc.id = id;
    ri.inc.title = title;
    ri.inc.date_start = date;
    ri.inc.date_end = date;
    ri.inc.pointer = pointer != NULL ? pointer : "";
    ri.inc.line = line;
    r->incidents[r->n_incidents] = ri;
    *index = r->n_incidents++;
    return true;
}

bool bm_rows_claim(bm_rows *r, size_t incident, const bm_claim *c) {
    row_incident *ri = &r->incidents[incident];
    /* Most incidents have one claim (every ACLED row): room for one first, not bm_grow's eight,
     * which took 22% of the time and most of the memory of a 100,000-row file. */
    if (ri->n_alloc_claims == 0 && (ri->claims = malloc(sizeof *ri->claims)) != NULL)
        ri->n_alloc_claims = 1;
    if (bm_grow((void **)&ri->claims, &ri->n_alloc_claims, ri->n_claims + 1, sizeof *ri->claims) !=
        BM_OK) {
        r->is_out_of_memory = true;
        return false;
    }
    ri->claims[ri->n_claims++] = *c;
    return true;
}

/* ---- the model -------------------------------------------------------------------------- */

bm_incidents *bm_rows_finish(bm_rows *r, const char *title, const char *subtitle,
                             const char *const *notes, size_t n_notes) {
    bm_incidents *inc = NULL;
    if (r->n_errors == 0 && r->n_incidents == 0)
        bm_rows_flag(r, BM_SEV_ERROR, BM_ERR_INVALID, 0, 0, NULL, NULL,
                     "no records; expected at least one event");
    if (r->n_errors > 0 || r->is_out_of_memory)
        goto done;
    bm_incidents_parts parts = {0};
    parts.title = title;
    parts.subtitle = subtitle;
    parts.notes = notes;
    parts.n_notes = n_notes;
    bm_source *sources = bm_arena_alloc(r->arena, (r->n_sources + 1) * sizeof *sources);
    bm_place_pin *pins = bm_arena_alloc(r->arena, (r->n_pins + 1) * sizeof *pins);
    bm_incident *incidents = bm_arena_alloc(r->arena, (r->n_incidents + 1) * sizeof *incidents);
    if (sources == NULL || pins == NULL || incidents == NULL) {
        r->is_out_of_memory = true;
        goto done;
    }
    if (r->n_sources > 0)
        memcpy(sources, r->sources, r->n_sources * sizeof *sources);
    if (r->n_pins > 0)
        memcpy(pins, r->pins, r->n_pins * sizeof *pins);
    for (size_t i = 0; i < r->n_incidents; i++) {
        const row_incident *ri = &r->incidents[i];
        bm_claim *claims = bm_arena_alloc(r->arena, (ri->n_claims + 1) * sizeof *claims);
        if (claims == NULL) {
            r->is_out_of_memory = true;
            goto done;
        }
        if (ri->n_claims > 0)
            memcpy(claims, ri->claims, ri->n_claims * sizeof *claims);
        incidents[i] = ri->inc;
        incidents[i].claims = claims;
        incidents[i].n_claims = ri->n_claims;
    }
    parts.sources = sources;
    parts.n_sources = r->n_sources;
    parts.pins = pins;
    parts.n_pins = r->n_pins;
    parts.incidents = incidents;
    parts.n_incidents = r->n_incidents;
    /* the title, subtitle and notes given are one-line text without tabs or line breaks, or in
     * the arena: the check may write spaces over those */
    if (bm_incidents_parts_check(&parts, r->path, false, r->diags, r->err, &r->n_errors) != BM_OK)
        r->is_out_of_memory = true;
    if (r->n_errors > 0 || r->is_out_of_memory)
        goto done;
    inc = bm_incidents_new_take(r->arena, r->path, &parts);
    r->arena = NULL; /* taken, even on failure */
    if (inc == NULL)
        r->is_out_of_memory = true;
done:
    if (r->is_out_of_memory)
        bm_error_set(r->err, BM_ERR_NOMEM, "out of memory while reading '%s'",
                     r->arena != NULL ? r->path : "the file");
    return inc;
}
