/* SPDX-License-Identifier: MIT */
#include "shapes.h"

#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_buf.h"

/* Declared in GDAL's C++ header ogrsf_frmts.h, exported with C linkage. */
void RegisterOGRGeoJSON(void);
void RegisterOGRFlatGeobuf(void);

struct bm_shapes {
    bm_arena *arena;
    bm_feature *features;
    size_t n_features, n_alloc;
};

/* Collects GDAL's messages while one of our calls runs (CPLPushErrorHandlerEx). */
typedef struct gdal_sink {
    char message[256];
} gdal_sink;

static void CPL_STDCALL gdal_to_sink(CPLErr cls, CPLErrorNum num, const char *msg) {
    (void)num;
    if (cls < CE_Failure)
        return;
    gdal_sink *sink = CPLGetErrorHandlerUserData();
    if (sink != NULL && sink->message[0] == '\0')
        snprintf(sink->message, sizeof sink->message, "%s", msg);
}

typedef struct ring_acc {
    double *xy;
    size_t n_points, n_xy_alloc;
    size_t *starts;
    size_t n_rings, n_starts_alloc;
    int is_area; /* -1 unknown */
} ring_acc;

static bm_status add_ring(ring_acc *acc, OGRGeometryH ring, OGRCoordinateTransformationH ct) {
    const int n = OGR_G_GetPointCount(ring);
    if (n < 2)
        return BM_OK;
    if (bm_grow((void **)&acc->xy, &acc->n_xy_alloc, 2 * (acc->n_points + (size_t)n),
                sizeof(double)) != BM_OK ||
        bm_grow((void **)&acc->starts, &acc->n_starts_alloc, acc->n_rings + 2, sizeof(size_t)) !=
            BM_OK)
        return BM_ERR_NOMEM;
    double *out = acc->xy + 2 * acc->n_points;
    for (int i = 0; i < n; i++) {
        out[2 * i] = OGR_G_GetX(ring, i);
        out[2 * i + 1] = OGR_G_GetY(ring, i);
    }
    if (ct != NULL) {
        for (int i = 0; i < n; i++) {
            double x = out[2 * i], y = out[2 * i + 1];
            if (!OCTTransform(ct, 1, &x, &y, NULL))
                return BM_ERR_DEPENDENCY;
            out[2 * i] = x;
            out[2 * i + 1] = y;
        }
    }
    acc->starts[acc->n_rings++] = acc->n_points;
    acc->n_points += (size_t)n;
    return BM_OK;
}

static bm_status add_geometry(ring_acc *acc, OGRGeometryH g, OGRCoordinateTransformationH ct) {
    const OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(g));
    switch (type) {
    case wkbPolygon:
        acc->is_area = 1;
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
            const bm_status st = add_ring(acc, OGR_G_GetGeometryRef(g, i), ct);
            if (st != BM_OK)
                return st;
        }
        return BM_OK;
    case wkbLineString:
        if (acc->is_area < 0)
            acc->is_area = 0;
        return add_ring(acc, g, ct);
    case wkbMultiPolygon:
    case wkbMultiLineString:
    case wkbGeometryCollection:
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
            const bm_status st = add_geometry(acc, OGR_G_GetGeometryRef(g, i), ct);
            if (st != BM_OK)
                return st;
        }
        return BM_OK;
    default:
        return BM_OK; /* points and others are not boundaries */
    }
}

static bm_status keep_feature(bm_shapes *s, const char *name, ring_acc *acc) {
    if (acc->n_rings == 0)
        return BM_OK;
    if (bm_grow((void **)&s->features, &s->n_alloc, s->n_features + 1, sizeof(bm_feature)) != BM_OK)
        return BM_ERR_NOMEM;
    bm_feature *f = &s->features[s->n_features];
    memset(f, 0, sizeof *f);
    double *xy = bm_arena_alloc(s->arena, 2 * acc->n_points * sizeof(double));
    size_t *starts = bm_arena_alloc(s->arena, (acc->n_rings + 1) * sizeof(size_t));
    f->name = bm_arena_strdup(s->arena, name ? name : "");
    if (xy == NULL || starts == NULL || f->name == NULL)
        return BM_ERR_NOMEM;
    memcpy(xy, acc->xy, 2 * acc->n_points * sizeof(double));
    memcpy(starts, acc->starts, acc->n_rings * sizeof(size_t));
    starts[acc->n_rings] = acc->n_points;
    f->is_area = acc->is_area == 1;
    f->lonlat_deg = xy;
    f->n_points = acc->n_points;
    f->ring_starts = starts;
    f->n_rings = acc->n_rings;
    f->lon_min_deg = f->lat_min_deg = HUGE_VAL;
    f->lon_max_deg = f->lat_max_deg = -HUGE_VAL;
    for (size_t i = 0; i < acc->n_points; i++) {
        f->lon_min_deg = fmin(f->lon_min_deg, xy[2 * i]);
        f->lon_max_deg = fmax(f->lon_max_deg, xy[2 * i]);
        f->lat_min_deg = fmin(f->lat_min_deg, xy[2 * i + 1]);
        f->lat_max_deg = fmax(f->lat_max_deg, xy[2 * i + 1]);
    }
    s->n_features++;
    return BM_OK;
}

bm_shapes *bm_shapes_load(const char *path, const char *name_field, bm_error *err) {
    gdal_sink sink = {{0}};
    bm_shapes *s = calloc(1, sizeof *s);
    GDALDatasetH ds = NULL;
    OGRSpatialReferenceH wgs84 = NULL;
    OGRCoordinateTransformationH ct = NULL;
    ring_acc acc = {0};
    if (s == NULL || (s->arena = bm_arena_new()) == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        goto fail;
    }
    CPLPushErrorHandlerEx(gdal_to_sink, &sink);
    /* The built-in layers are GeoJSON: registering that one driver instead of GDAL's 200-odd
     * saves start-up time; any other file gets them all, so a user layer can be any format. */
    const char *ext = strrchr(path, '.');
    if (ext != NULL && strcmp(ext, ".fgb") == 0) {
        if (GDALGetDriverByName("FlatGeobuf") == NULL)
            RegisterOGRFlatGeobuf();
    } else if (ext != NULL && (strcmp(ext, ".geojson") == 0 || strcmp(ext, ".json") == 0)) {
        if (GDALGetDriverByName("GeoJSON") == NULL)
            RegisterOGRGeoJSON();
    } else {
        GDALAllRegister();
    }
    ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (ds == NULL) {
        bm_error_set(err, BM_ERR_IO, "cannot open boundary layer '%s': %s", path,
                     sink.message[0] ? sink.message : "not a vector file GDAL can read");
        bm_error_file(err, path);
        bm_error_hint(err,
                      "give a shapefile, GeoPackage or GeoJSON file; 'ogrinfo %s' shows "
                      "what GDAL sees",
                      path);
        goto fail_popped;
    }
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    if (layer == NULL) {
        bm_error_set(err, BM_ERR_INVALID, "'%s' has no vector layer", path);
        bm_error_file(err, path);
        goto fail_popped;
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    const int name_index = OGR_FD_GetFieldIndex(defn, name_field ? name_field : "name");
    if (name_field != NULL && name_index < 0) {
        bm_error_set(err, BM_ERR_INVALID, "'%s' has no field '%s'", path, name_field);
        bm_error_file(err, path);
        bm_error_hint(err, "'ogrinfo -so %s' lists the fields", path);
        goto fail_popped;
    }
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
    /* GeoJSON is WGS84 lon/lat by definition; asking PROJ whether two CRSs are the same opens
     * proj.db, which costs more than reading the file. */
    const char *authority = srs ? OSRGetAuthorityName(srs, NULL) : NULL;
    const char *code = srs ? OSRGetAuthorityCode(srs, NULL) : NULL;
    const bool is_wgs84 = authority != NULL && code != NULL &&
                          ((strcmp(authority, "EPSG") == 0 && strcmp(code, "4326") == 0) ||
                           (strcmp(authority, "OGC") == 0 && strcmp(code, "CRS84") == 0));
    if (srs != NULL && !is_wgs84) {
        wgs84 = OSRNewSpatialReference(NULL);
        OSRSetWellKnownGeogCS(wgs84, "WGS84");
        OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);
        if (!OSRIsSame(srs, wgs84)) {
            OGRSpatialReferenceH src = OSRClone(srs);
            OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
            ct = OCTNewCoordinateTransformation(src, wgs84);
            OSRDestroySpatialReference(src);
            if (ct == NULL) {
                bm_error_set(err, BM_ERR_DEPENDENCY, "cannot transform '%s' to WGS84: %s", path,
                             sink.message);
                bm_error_file(err, path);
                goto fail_popped;
            }
        }
    }
    OGR_L_ResetReading(layer);
    OGRFeatureH feat;
    while ((feat = OGR_L_GetNextFeature(layer)) != NULL) {
        OGRGeometryH g = OGR_F_GetGeometryRef(feat);
        acc.n_points = acc.n_rings = 0;
        acc.is_area = -1;
        bm_status st = BM_OK;
        if (g != NULL)
            st = add_geometry(&acc, g, ct);
        if (st == BM_OK)
            st = keep_feature(s, name_index >= 0 ? OGR_F_GetFieldAsString(feat, name_index) : "",
                              &acc);
        OGR_F_Destroy(feat);
        if (st != BM_OK) {
            bm_error_set(err, st, "cannot read the geometries of '%s': %s", path,
                         st == BM_ERR_NOMEM ? "out of memory" : "coordinate transformation failed");
            bm_error_file(err, path);
            goto fail_popped;
        }
    }
    if (sink.message[0] != '\0') {
        bm_error_set(err, BM_ERR_INVALID, "'%s' is damaged: %s", path, sink.message);
        bm_error_file(err, path);
        goto fail_popped;
    }
    if (s->n_features == 0) {
        bm_error_set(err, BM_ERR_INVALID, "'%s' holds no polygons or lines", path);
        bm_error_file(err, path);
        goto fail_popped;
    }
    CPLPopErrorHandler();
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    OSRDestroySpatialReference(wgs84);
    GDALClose(ds);
    free(acc.xy);
    free(acc.starts);
    return s;
fail_popped:
    CPLPopErrorHandler();
fail:
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (wgs84)
        OSRDestroySpatialReference(wgs84);
    if (ds)
        GDALClose(ds);
    free(acc.xy);
    free(acc.starts);
    bm_shapes_free(s);
    return NULL;
}

void bm_shapes_register_all(void) {
    GDALAllRegister();
}

void bm_shapes_free(bm_shapes *s) {
    if (s == NULL)
        return;
    free(s->features);
    bm_arena_free(s->arena);
    free(s);
}

size_t bm_shapes_n_features(const bm_shapes *s) {
    return s->n_features;
}

const bm_feature *bm_shapes_feature(const bm_shapes *s, size_t i) {
    return i < s->n_features ? &s->features[i] : NULL;
}

const bm_feature *bm_shapes_find(const bm_shapes *s, const char *name) {
    for (size_t i = 0; i < s->n_features; i++)
        if (strcmp(s->features[i].name, name) == 0)
            return &s->features[i];
    return NULL;
}

bool bm_feature_contains(const bm_feature *f, double lon_deg, double lat_deg) {
    if (!f->is_area || lon_deg < f->lon_min_deg || lon_deg > f->lon_max_deg ||
        lat_deg < f->lat_min_deg || lat_deg > f->lat_max_deg)
        return false;
    bool inside = false;
    for (size_t r = 0; r < f->n_rings; r++) {
        const size_t a = f->ring_starts[r], b = f->ring_starts[r + 1];
        for (size_t i = a, j = b - 1; i < b; j = i++) {
            const double xi = f->lonlat_deg[2 * i], yi = f->lonlat_deg[2 * i + 1];
            const double xj = f->lonlat_deg[2 * j], yj = f->lonlat_deg[2 * j + 1];
            if ((yi > lat_deg) != (yj > lat_deg) &&
                lon_deg < (xj - xi) * (lat_deg - yi) / (yj - yi) + xi)
                inside = !inside;
        }
    }
    return inside;
}
