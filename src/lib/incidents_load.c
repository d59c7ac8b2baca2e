/* SPDX-License-Identifier: MIT */
/* incidents_load.c - an incident file to the model: reads it, sniffs the format, dispatches to
 * its reader (incidents_load.h). */
#include "incidents_load.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "bm_buf.h"
#include "bm_limits.h"
#include "incidents_readers.h"

/* A file is read whole into memory, and the model takes about as much again (a 100,000-row
 * ACLED export of 25 MB makes a model of about 200 MB): BM_MAX_FILE_BYTES, 1 GiB, bounds memory
 * use while taking datasets of millions of events (docs/limits.md). */
#define MAX_FILE_BYTES BM_MAX_FILE_BYTES

typedef enum input_format { FORMAT_JSON, FORMAT_CSV, FORMAT_GEOJSON } input_format;

static bool has_extension(const char *path, const char *ext) {
    const char *dot = strrchr(path, '.');
    if (dot == NULL || strchr(dot, '/') != NULL || strlen(dot) != strlen(ext))
        return false;
    for (size_t i = 0; ext[i] != '\0'; i++) {
        if (tolower((unsigned char)dot[i]) != ext[i])
            return false;
    }
    return true;
}

/* By extension, and for .json by content (incidents_load.h). */
static input_format format_of(const char *path, const char *text) {
    if (has_extension(path, ".csv"))
        return FORMAT_CSV;
    if (has_extension(path, ".geojson"))
        return FORMAT_GEOJSON;
    if (has_extension(path, ".json") && strstr(text, "\"FeatureCollection\"") != NULL &&
        strstr(text, "\"balmap\"") == NULL)
        return FORMAT_GEOJSON;
    return FORMAT_JSON;
}

bm_incidents *bm_incidents_parse_as(const char *text, size_t len, const char *path,
                                    const char *format, bm_diags *diags, bm_error *err) {
    bm_error local = {0};
    bm_error *e = err != NULL ? err : &local;
    input_format f;
    if (format == NULL) {
        f = format_of(path != NULL ? path : "", text);
    } else if (strcmp(format, "json") == 0) {
        f = FORMAT_JSON;
    } else if (strcmp(format, "csv") == 0) {
        f = FORMAT_CSV;
    } else if (strcmp(format, "geojson") == 0) {
        f = FORMAT_GEOJSON;
    } else {
        bm_error_set(e, BM_ERR_INVALID,
                     "unknown input format '%s'; expected one of: json, csv, geojson", format);
        if (diags != NULL && bm_diags_add(diags, BM_SEV_ERROR, e) != BM_OK)
            bm_error_set(e, BM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    switch (f) {
    case FORMAT_CSV:
        return bm_incidents_parse_csv(text, len, path, diags, e);
    case FORMAT_GEOJSON:
        return bm_incidents_parse_geojson(text, len, path, diags, e);
    case FORMAT_JSON:
    default:
        return bm_incidents_parse(text, len, path, diags, e);
    }
}

bm_incidents *bm_incidents_load_as(const char *path, const char *format, bm_diags *diags,
                                   bm_error *err) {
    bm_buf text = BM_BUF_INIT(MAX_FILE_BYTES);
    bm_error local = {0};
    bm_error *e = err != NULL ? err : &local;
    bm_incidents *inc = NULL;
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uintmax_t)st.st_size > MAX_FILE_BYTES) {
        bm_error_set(e, BM_ERR_INVALID,
                     "'%s' is %.2f GiB (%ju bytes); balmap reads incident files of up to 1 GiB "
                     "(%zu bytes)",
                     path, (double)st.st_size / (double)((size_t)1 << 30), (uintmax_t)st.st_size,
                     MAX_FILE_BYTES);
        bm_error_file(e, path);
        bm_error_hint(e, "split the file (one per year or per district, say) and map each part "
                         "(docs/limits.md)");
        if (diags != NULL && bm_diags_add(diags, BM_SEV_ERROR, e) != BM_OK)
            bm_error_set(e, BM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (bm_buf_read_file(&text, path, MAX_FILE_BYTES, e) != BM_OK) {
        if (diags != NULL && bm_diags_add(diags, BM_SEV_ERROR, e) != BM_OK)
            bm_error_set(e, BM_ERR_NOMEM, "out of memory");
    } else {
        inc = bm_incidents_parse_as(bm_buf_str(&text), text.len, path, format, diags, e);
    }
    bm_buf_free(&text);
    return inc;
}

bm_incidents *bm_incidents_load(const char *path, bm_diags *diags, bm_error *err) {
    return bm_incidents_load_as(path, NULL, diags, err);
}
