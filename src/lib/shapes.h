/* SPDX-License-Identifier: MIT */
/* shapes.h - boundary layers: the built-in ones from packed files (.bms, mapped with mmap),
 * any other through GDAL/OGR (GeoJSON, shapefile, GeoPackage, ...).
 *
 * A bm_shapes is one vector layer, its geometries flattened into rings of lon/lat degrees
 * (WGS84, x = lon, y = lat), reprojected when the layer has another CRS. Read-only after
 * loading. All pointers returned are borrowed and valid until bm_shapes_free. GDAL is reached
 * only through libbalmap_gdal.so, opened with dlopen when a layer needs it (shapes_gdal.h says
 * why); errors come back as bm_error (BM_ERR_IO, BM_ERR_INVALID, BM_ERR_DEPENDENCY). */
#ifndef BM_SHAPES_H
#define BM_SHAPES_H

#include <stdbool.h>
#include <stddef.h>

#include "bm_buf.h"
#include "bm_error.h"

typedef struct bm_feature {
    const char *name;         /* value of the name field, "" if none */
    bool is_area;             /* polygons (filled) rather than lines */
    const double *lonlat_deg; /* n_points pairs (lon, lat) */
    size_t n_points;
    const size_t *ring_starts; /* n_rings + 1 offsets into the pairs; last == n_points */
    size_t n_rings;
    double lon_min_deg, lat_min_deg, lon_max_deg, lat_max_deg;
} bm_feature;

typedef struct bm_shapes bm_shapes; /* opaque */

/* Kept for callers written before the module: GDAL's drivers are now registered once, thread
 * safely, by libbalmap_gdal.so itself. Does nothing. */
void bm_shapes_register_all(void);

/* Let GDAL read network sources (URLs, /vsicurl/, remote sources in a .vrt): the user asked. */
#define BM_SHAPES_ALLOW_REMOTE 1u

/* Opens a packed file (path ending in .bms, see shapes/README.md) or the first layer of a
 * vector file GDAL reads. name_field is the attribute that names features (NULL: "name" if
 * present; a packed file has only "name"). Unless flags has BM_SHAPES_ALLOW_REMOTE, a path
 * that is not a local file, or a .vrt naming a network source, is refused (BM_ERR_INVALID)
 * before GDAL is loaded. Fails with the path and the reason. */
bm_shapes *bm_shapes_load_ex(const char *path, const char *name_field, unsigned flags,
                             bm_error *err);
/* bm_shapes_load_ex with no flags. */
bm_shapes *bm_shapes_load(const char *path, const char *name_field, bm_error *err);
/* Appends the packed form of s to out (what bm_pack_shapes writes; byte-identical for the same
 * layer). BM_ERR_NOMEM when out's cap or memory runs out. */
bm_status bm_shapes_pack(const bm_shapes *s, bm_buf *out, bm_error *err);
void bm_shapes_free(bm_shapes *s); /* NULL is a no-op */

size_t bm_shapes_n_features(const bm_shapes *s);
const bm_feature *bm_shapes_feature(const bm_shapes *s, size_t i);
/* The first feature whose name equals `name` (case-sensitive), or NULL. */
const bm_feature *bm_shapes_find(const bm_shapes *s, const char *name);
/* Even-odd point-in-polygon over all rings of an area feature. */
bool bm_feature_contains(const bm_feature *f, double lon_deg, double lat_deg);

#endif
