/* SPDX-License-Identifier: MIT */
/* shapes: the packed built-in files hold exactly what GDAL reads from the FlatGeobuf beside
 * them; damaged packed files and remote layer sources are refused with the file named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_buf.h"
#include "check.h"
#include "shapes.h"

/* Every feature of a equals b's: names, kinds, rings and every coordinate bit for bit. */
static void same_layer(const bm_shapes *a, const bm_shapes *b) {
    REQUIRE(bm_shapes_n_features(a) == bm_shapes_n_features(b));
    for (size_t i = 0; i < bm_shapes_n_features(a); i++) {
        const bm_feature *fa = bm_shapes_feature(a, i), *fb = bm_shapes_feature(b, i);
        CHECK_STREQ(fa->name, fb->name);
        CHECK(fa->is_area == fb->is_area);
        REQUIRE(fa->n_points == fb->n_points && fa->n_rings == fb->n_rings);
        CHECK(memcmp(fa->lonlat_deg, fb->lonlat_deg, 2 * fa->n_points * sizeof(double)) == 0);
        CHECK(memcmp(fa->ring_starts, fb->ring_starts, (fa->n_rings + 1) * sizeof(size_t)) == 0);
        CHECK(fa->lon_min_deg == fb->lon_min_deg && fa->lat_max_deg == fb->lat_max_deg);
    }
}

static void packed_equals_flatgeobuf(void) {
    const char *names[] = {"countries", "pakistan-provinces"};
    for (size_t k = 0; k < 2; k++) {
        char fgb[512], bms[512];
        snprintf(fgb, sizeof fgb, "%s/shapes/%s.fgb", BM_SOURCE_DIR, names[k]);
        snprintf(bms, sizeof bms, "%s/shapes/%s.bms", BM_SOURCE_DIR, names[k]);
        bm_error err = {0};
        bm_shapes *from_gdal = bm_shapes_load(fgb, "name", &err);
        bm_shapes *packed = bm_shapes_load(bms, "name", &err);
        CHECK_STREQ(err.message, "");
        if (from_gdal != NULL && packed != NULL) {
            same_layer(packed, from_gdal);
            /* and packing again gives the committed bytes (derive.sh was re-run) */
            bm_buf again = BM_BUF_INIT((size_t)64 << 20), committed = BM_BUF_INIT((size_t)64 << 20);
            CHECK(bm_shapes_pack(from_gdal, &again, &err) == BM_OK);
            CHECK(bm_buf_read_file(&committed, bms, (size_t)64 << 20, &err) == BM_OK);
            CHECK(again.len == committed.len && memcmp(again.data, committed.data, again.len) == 0);
            bm_buf_free(&again);
            bm_buf_free(&committed);
        }
        CHECK(packed != NULL &&
              bm_shapes_find(packed, k == 0 ? "Pakistan" : "Balochistan") != NULL);
        bm_shapes_free(from_gdal);
        bm_shapes_free(packed);
    }
}

/* A packed file cut short, or with a count pointing past its end, is refused by name. */
static void damaged_packed_file_is_refused(void) {
    bm_error err = {0};
    bm_buf good = BM_BUF_INIT((size_t)64 << 20);
    REQUIRE(bm_buf_read_file(&good, BM_SOURCE_DIR "/shapes/pakistan-provinces.bms",
                             (size_t)64 << 20, &err) == BM_OK);
    const char *path = "test_shapes-damaged.bms";
    for (int variant = 0; variant < 3; variant++) {
        FILE *f = fopen(path, "wb");
        REQUIRE(f != NULL);
        if (variant == 0) {
            fwrite(good.data, 1, good.len / 2, f); /* truncated */
        } else {
            char *copy = malloc(good.len);
            REQUIRE(copy != NULL);
            memcpy(copy, good.data, good.len);
            if (variant == 1)
                copy[0] = 'X'; /* not a packed file */
            else
                copy[8 * 8 + 3 * 8] ^= 0x40; /* first feature: n_points far too large */
            fwrite(copy, 1, good.len, f);
            free(copy);
        }
        fclose(f);
        bm_error e = {0};
        CHECK(bm_shapes_load(path, "name", &e) == NULL);
        CHECK(e.status == BM_ERR_INVALID);
        CHECK_STRCONTAINS(e.message, path);
        CHECK_STRCONTAINS(e.hint, "derive.sh");
    }
    remove(path);
    bm_buf_free(&good);
}

/* Network sources are refused before GDAL is asked, so nothing is fetched. */
static void remote_layers_are_refused(void) {
    const char *paths[] = {"/vsicurl/http://192.0.2.1/x.geojson", "https://192.0.2.1/x.geojson",
                           "WFS:http://192.0.2.1/wfs", "/vsis3/bucket/x.shp"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        bm_error err = {0};
        CHECK(bm_shapes_load(paths[i], NULL, &err) == NULL);
        CHECK(err.status == BM_ERR_INVALID);
        CHECK_STRCONTAINS(err.message, "network source");
        CHECK_STRCONTAINS(err.hint, "--allow-remote-layers");
    }
    /* a VRT naming a URL, and a VRT naming that VRT */
    FILE *f = fopen("test_shapes-remote.vrt", "w");
    REQUIRE(f != NULL);
    fputs("<OGRVRTDataSource><OGRVRTLayer name=\"x\"><SrcDataSource>"
          "http://192.0.2.1/x.geojson</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>\n",
          f);
    fclose(f);
    f = fopen("test_shapes-outer.vrt", "w");
    REQUIRE(f != NULL);
    fputs("<OGRVRTDataSource><OGRVRTLayer name=\"y\"><SrcDataSource relativeToVRT=\"1\">"
          "test_shapes-remote.vrt</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>\n",
          f);
    fclose(f);
    const char *vrts[] = {"test_shapes-remote.vrt", "test_shapes-outer.vrt"};
    for (size_t i = 0; i < 2; i++) {
        bm_error err = {0};
        CHECK(bm_shapes_load(vrts[i], NULL, &err) == NULL);
        CHECK(err.status == BM_ERR_INVALID);
        CHECK_STRCONTAINS(err.message, vrts[i]);
        CHECK_STRCONTAINS(err.message, "://");
    }
    remove("test_shapes-remote.vrt");
    remove("test_shapes-outer.vrt");
}

int main(void) {
    RUN(packed_equals_flatgeobuf);
    RUN(damaged_packed_file_is_refused);
    RUN(remote_layers_are_refused);
    return CHECK_DONE();
}
