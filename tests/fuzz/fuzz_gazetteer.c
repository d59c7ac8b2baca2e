/* SPDX-License-Identifier: MIT */
/* fuzz_gazetteer.c - place-name lookups on arbitrary bytes against the real gazetteer. The first
 * byte picks the kind asked for; the rest (up to 300 bytes) is the name. A lookup must either
 * resolve to a place with coordinates or fail with a message. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "gazetteer.h"

static bm_gazetteer *gazetteer(void) {
    static bm_gazetteer *gz; /* loaded once per process: fuzzing only */
    if (gz == NULL) {
        bm_error err = {0};
        gz = bm_gazetteer_load(BM_SOURCE_DIR "/shapes/gazetteer.tsv", &err);
        if (gz == NULL)
            abort();
    }
    return gz;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 301)
        return 0;
    static const bm_place_kind kinds[] = {BM_KIND_ANY, BM_KIND_TOWN, BM_KIND_DISTRICT,
                                          BM_KIND_PROVINCE};
    char name[301];
    memcpy(name, data + 1, size - 1);
    name[size - 1] = '\0';
    bm_place_match m;
    bm_error err = {0};
    const bm_status st = bm_gazetteer_lookup(gazetteer(), name, kinds[data[0] % 4], &m, &err);
    if (st == BM_OK && (m.place == NULL || isnan(m.place->lat_deg)))
        abort(); /* a match that cannot be placed */
    if (st != BM_OK && err.message[0] == '\0')
        abort();
    char norm[64]; /* a small buffer: the normaliser must respect it */
    const size_t n = bm_gazetteer_normalise(name, norm, sizeof norm);
    if (n >= sizeof norm || strlen(norm) != n)
        abort();
    return 0;
}
