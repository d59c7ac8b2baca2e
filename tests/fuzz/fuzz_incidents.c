/* SPDX-License-Identifier: MIT */
/* fuzz_incidents.c - the three incident readers (JSON, ACLED CSV, GeoJSON) on arbitrary bytes.
 * The first byte picks the reader; the rest is the file. The readers get a NUL-terminated copy,
 * as bm_incidents_load gives them. Any crash, sanitizer report or leak is a bug; a NULL result
 * must come with an error message. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "incidents.h"
#include "incidents_load.h"
#include "incidents_readers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    const unsigned reader = data[0] % 3;
    char *text = malloc(size);
    if (text == NULL)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    bm_diags diags = {0};
    bm_error err = {0};
    bm_incidents *inc =
        reader == 0   ? bm_incidents_parse(text, size - 1, "fuzz.json", &diags, &err)
        : reader == 1 ? bm_incidents_parse_csv(text, size - 1, "fuzz.csv", &diags, &err)
                      : bm_incidents_parse_geojson(text, size - 1, "fuzz.geojson", &diags, &err);
    if (inc == NULL && err.message[0] == '\0')
        abort(); /* refused without saying why */
    bm_incidents_free(inc);
    bm_diags_free(&diags);
    free(text);
    return 0;
}
