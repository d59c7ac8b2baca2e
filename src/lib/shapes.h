/* SPDX-License-Identifier: MIT */
/* shapes.h - boundary layers read with GDAL/OGR (GeoJSON, shapefile, GeoPackage, ...).
 *
 * A bm_shapes is one vector layer, its geometries flattened into rings of lon/lat degrees
 * (WGS84, x = lon, y = lat), reprojected when the layer has another CRS. Read-only after
 * loading. All pointers returned are borrowed and valid until bm_shapes_free. This is the only
 * module that calls GDAL; its errors come back as bm_error (BM_ERR_IO, BM_ERR_DEPENDENCY). */
#ifndef BM_SHAPES_H
#define BM_SHAPES_H

#include <stdbool.h>
#include <stddef.h>

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

/* Registers every GDAL vector driver. bm_shapes_load registers drivers lazily, which is fine in
 * one thread; a program that loads layers from several threads calls this first, once. */
void bm_shapes_register_all(void);

/* Opens the first layer of a vector file. name_field is the attribute that names features
 * (NULL: "name" if present). Fails with the path and GDAL's reason. */
bm_shapes *bm_shapes_load(const char *path, const char *name_field, bm_error *err);
void bm_shapes_free(bm_shapes *s); /* NULL is a no-op */

size_t bm_shapes_n_features(const bm_shapes *s);
const bm_feature *bm_shapes_feature(const bm_shapes *s, size_t i);
/* The first feature whose name equals `name` (case-sensitive), or NULL. */
const bm_feature *bm_shapes_find(const bm_shapes *s, const char *name);
/* Even-odd point-in-polygon over all rings of an area feature. */
bool bm_feature_contains(const bm_feature *f, double lon_deg, double lat_deg);

#endif
