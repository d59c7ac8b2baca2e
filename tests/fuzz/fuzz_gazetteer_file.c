/* SPDX-License-Identifier: MIT */
/* fuzz_gazetteer_file.c - a user's gazetteer file (bm_gazetteer_add_file) of arbitrary bytes,
 * added to the small test gazetteer. The first byte picks the extension (.csv, .tsv, none), the
 * rest is the file. A refusal must name the file and say why and leave the gazetteer as it was;
 * an accepted file must give every row an id of its own that finds it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "gazetteer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 1 << 16)
        return 0;
    static const char *const ext[] = {".csv", ".tsv", ".txt"};
    char path[64];
    snprintf(path, sizeof path, "/tmp/bm-fuzz-gz-%ld%s", (long)getpid(), ext[data[0] % 3]);
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        abort();
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    bm_error err = {0};
    bm_gazetteer *gz = bm_gazetteer_load(BM_SOURCE_DIR "/tests/data/places_small.tsv", &err);
    if (gz == NULL)
        abort();
    const size_t n0 = bm_gazetteer_size(gz);
    const bm_status st = bm_gazetteer_add_file(gz, path, &err);
    if (st != BM_OK && (err.message[0] == '\0' || strstr(err.file, "bm-fuzz-gz-") == NULL ||
                        bm_gazetteer_size(gz) != n0))
        abort();
    for (size_t i = n0; st == BM_OK && i < bm_gazetteer_size(gz); i++) {
        const bm_place *p = bm_gazetteer_at(gz, i);
        if (bm_gazetteer_by_id(gz, p->id) != p)
            abort(); /* an id shared with another place */
    }
    bm_gazetteer_free(gz);
    unlink(path);
    return 0;
}
