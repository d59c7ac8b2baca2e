/* SPDX-License-Identifier: MIT */
/* pack.c - bm_pack_shapes IN OUT.bms: writes the packed form (shapes/README.md) of the first
 * layer of IN, a vector file GDAL reads (through libbalmap_gdal.so). derive.sh runs it on
 * shapes/countries.fgb and shapes/pakistan-provinces.fgb; balmap then reads the built-in
 * boundaries with mmap and never loads GDAL for them. The output is the same bytes for the same
 * input (no dates, no paths), and is written to a temporary file renamed into place. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_buf.h"
#include "shapes.h"

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: bm_pack_shapes IN.fgb OUT.bms\n");
        return 2;
    }
    bm_error err = {0};
    bm_shapes *s = bm_shapes_load(argv[1], "name", &err);
    bm_buf out = BM_BUF_INIT((size_t)256 << 20);
    if (s == NULL || bm_shapes_pack(s, &out, &err) != BM_OK) {
        fprintf(stderr, "bm_pack_shapes: %s\n", err.message);
        bm_shapes_free(s);
        bm_buf_free(&out);
        return 1;
    }
    const size_t n = strlen(argv[2]) + 8;
    char *tmp = malloc(n);
    int rc = tmp == NULL;
    if (!rc) {
        snprintf(tmp, n, "%s.tmp", argv[2]);
        FILE *f = fopen(tmp, "wb");
        rc = f == NULL || fwrite(out.data, 1, out.len, f) != out.len;
        if (f != NULL && fclose(f) != 0)
            rc = 1;
        if (!rc && rename(tmp, argv[2]) != 0)
            rc = 1;
        if (rc) {
            perror(argv[2]);
            remove(tmp);
        }
    }
    if (!rc)
        printf("bm_pack_shapes: %s: %zu features, %zu bytes\n", argv[2], bm_shapes_n_features(s),
               out.len);
    free(tmp);
    bm_shapes_free(s);
    bm_buf_free(&out);
    return rc;
}
