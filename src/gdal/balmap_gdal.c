/* SPDX-License-Identifier: MIT */
/* balmap_gdal.c - libbalmap_gdal.so: the one place that calls GDAL/OGR. shapes.c opens it with
 * dlopen only when a map names a layer GDAL must read (--layer), so a render from the built-in
 * shapes never maps libgdal and its ~110 dependencies (src/lib/shapes_gdal.h says why). */
#include <cpl_conv.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bm_error.h" /* the bm_status values only: the module does not link libbalmap */
#include "shapes_gdal.h"

#define EXPORT __attribute__((visibility("default")))

EXPORT int bm_gdal_abi(void);
EXPORT int bm_gdal_read_v1(const char *path, const char *name_field, int allow_remote,
                           const bm_gdal_sink *sink, bm_gdal_outcome *outcome);

int bm_gdal_abi(void) {
    return BM_GDAL_ABI;
}

/* GDAL registers drivers check-then-register, which is not safe from two threads at once
 * (batch -j 2): every driver is registered once, under pthread_once. The only mutable global
 * of the module, and GDAL's own state is global anyway. */
static pthread_once_t registered = PTHREAD_ONCE_INIT;

static void register_drivers(void) {
    GDALAllRegister();
}

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

static int fail(bm_gdal_outcome *o, int status, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(bm_gdal_outcome *o, int status, const char *hint, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->message, sizeof o->message, fmt, ap);
    va_end(ap);
    snprintf(o->hint, sizeof o->hint, "%s", hint ? hint : "");
    o->status = status;
    return status;
}

typedef struct ring_acc {
    double *xy;
    size_t n_points, n_xy_alloc;
    size_t *starts;
    size_t n_rings, n_starts_alloc;
    int is_area; /* -1 unknown */
} ring_acc;

static int grow(void **items, size_t *n_alloc, size_t n_needed, size_t elem_size) {
    if (n_needed <= *n_alloc)
        return 0;
    size_t n = *n_alloc ? *n_alloc : 64;
    while (n < n_needed)
        n *= 2;
    void *p = realloc(*items, n * elem_size);
    if (p == NULL)
        return -1;
    *items = p;
    *n_alloc = n;
    return 0;
}

static int add_ring(ring_acc *acc, OGRGeometryH ring) {
    const int n = OGR_G_GetPointCount(ring);
    if (n < 2)
        return 0;
    if (grow((void **)&acc->xy, &acc->n_xy_alloc, 2 * (acc->n_points + (size_t)n),
             sizeof(double)) != 0 ||
        grow((void **)&acc->starts, &acc->n_starts_alloc, acc->n_rings + 2, sizeof(size_t)) != 0)
        return -1;
    double *out = acc->xy + 2 * acc->n_points;
    for (int i = 0; i < n; i++) {
        out[2 * i] = OGR_G_GetX(ring, i);
        out[2 * i + 1] = OGR_G_GetY(ring, i);
    }
    acc->starts[acc->n_rings++] = acc->n_points;
    acc->n_points += (size_t)n;
    return 0;
}

static int add_geometry(ring_acc *acc, OGRGeometryH g) {
    const OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(g));
    switch (type) {
    case wkbPolygon:
        acc->is_area = 1;
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
            if (add_ring(acc, OGR_G_GetGeometryRef(g, i)) != 0)
                return -1;
        return 0;
    case wkbLineString:
        if (acc->is_area < 0)
            acc->is_area = 0;
        return add_ring(acc, g);
    case wkbMultiPolygon:
    case wkbMultiLineString:
    case wkbGeometryCollection:
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
            if (add_geometry(acc, OGR_G_GetGeometryRef(g, i)) != 0)
                return -1;
        return 0;
    default:
        return 0; /* points and others are not boundaries */
    }
}

/* Whether a sibling file with extension ext (".prj") exists beside path. */
static int has_sibling(const char *path, const char *ext, char *out, size_t out_size) {
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    const size_t stem =
        dot != NULL && (slash == NULL || dot > slash) ? (size_t)(dot - path) : strlen(path);
    snprintf(out, out_size, "%.*s%s", (int)stem, path, ext);
    struct stat st;
    return stat(out, &st) == 0;
}

/* Why a layer has no coordinate system, naming the file GDAL would have read it from. */
static int fail_no_crs(bm_gdal_outcome *o, const char *path) {
    char prj[1024];
    const char *ext = strrchr(path, '.');
    const int is_shp = ext != NULL && (strcmp(ext, ".shp") == 0 || strcmp(ext, ".SHP") == 0);
    const char *hint = "give the layer its coordinate system (for example "
                       "'ogr2ogr -a_srs EPSG:32642 fixed.shp layer.shp'), or reproject it to "
                       "WGS 84 longitude/latitude ('ogr2ogr -t_srs EPSG:4326 ...')";
    if (is_shp && has_sibling(path, ".prj", prj, sizeof prj))
        return fail(o, BM_ERR_INVALID, hint,
                    "'%s' has no usable coordinate system: GDAL could not read '%s', and the "
                    "coordinates are not longitude/latitude degrees",
                    path, prj);
    if (is_shp)
        return fail(o, BM_ERR_INVALID, hint,
                    "'%s' has no coordinate system: '%s' is missing, and the coordinates are "
                    "not longitude/latitude degrees",
                    path, prj);
    return fail(o, BM_ERR_INVALID, hint,
                "'%s' has no coordinate system, and its coordinates are not "
                "longitude/latitude degrees",
                path);
}

int bm_gdal_read_v1(const char *path, const char *name_field, int allow_remote,
                    const bm_gdal_sink *sink, bm_gdal_outcome *outcome) {
    memset(outcome, 0, sizeof *outcome);
    pthread_once(&registered, register_drivers);
    /* Nothing fetched unless the user asked (issue 14): /vsicurl/ only reads files of this
     * extension, which nothing has; and no directory listing on open (also faster). Thread-
     * local, so one map of a batch allowing remote layers does not open the others. */
    CPLSetThreadLocalConfigOption("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR");
    CPLSetThreadLocalConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS",
                                  allow_remote ? NULL : ".balmap-no-network");
    CPLSetThreadLocalConfigOption("GDAL_HTTP_MAX_RETRY", allow_remote ? NULL : "0");

    gdal_sink msgs = {{0}};
    GDALDatasetH ds = NULL;
    OGRSpatialReferenceH wgs84 = NULL;
    OGRCoordinateTransformationH ct = NULL;
    ring_acc acc = {0};
    int st = 0;
    CPLPushErrorHandlerEx(gdal_to_sink, &msgs);
    ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (ds == NULL) {
        char hint[300];
        snprintf(hint, sizeof hint,
                 "give a shapefile, GeoPackage or GeoJSON file; 'ogrinfo %.200s' shows what "
                 "GDAL sees",
                 path);
        st = fail(outcome, BM_ERR_IO, hint, "cannot open boundary layer '%s': %s", path,
                  msgs.message[0] ? msgs.message : "not a vector file GDAL can read");
        goto done;
    }
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    if (layer == NULL) {
        st = fail(outcome, BM_ERR_INVALID, NULL, "'%s' has no vector layer", path);
        goto done;
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    const int name_index = OGR_FD_GetFieldIndex(defn, name_field ? name_field : "name");
    if (name_field != NULL && name_index < 0) {
        char hint[300];
        snprintf(hint, sizeof hint, "'ogrinfo -so %.200s' lists the fields", path);
        st = fail(outcome, BM_ERR_INVALID, hint, "'%s' has no field '%s'", path, name_field);
        goto done;
    }
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
    /* Asking PROJ whether two CRSs are the same opens proj.db: skip it for plain WGS 84. */
    const char *authority = srs ? OSRGetAuthorityName(srs, NULL) : NULL;
    const char *code = srs ? OSRGetAuthorityCode(srs, NULL) : NULL;
    const int is_wgs84 = authority != NULL && code != NULL &&
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
                st = fail(outcome, BM_ERR_DEPENDENCY,
                          "reproject the layer to WGS 84 ('ogr2ogr -t_srs EPSG:4326 ...')",
                          "cannot transform '%s' to WGS 84: %s", path,
                          msgs.message[0] ? msgs.message : "PROJ knows no such transformation");
                goto done;
            }
        }
    }
    OGR_L_ResetReading(layer);
    OGRFeatureH feat;
    while (st == 0 && (feat = OGR_L_GetNextFeature(layer)) != NULL) {
        OGRGeometryH g = OGR_F_GetGeometryRef(feat);
        acc.n_points = acc.n_rings = 0;
        acc.is_area = -1;
        if (g != NULL && add_geometry(&acc, g) != 0)
            st = fail(outcome, BM_ERR_NOMEM, NULL, "out of memory reading '%s'", path);
        for (size_t i = 0; st == 0 && i < acc.n_points; i++) {
            double *p = acc.xy + 2 * i;
            if (ct != NULL && !OCTTransform(ct, 1, &p[0], &p[1], NULL))
                st = fail(outcome, BM_ERR_INVALID,
                          "check the layer's coordinate system (its .prj for a shapefile)",
                          "'%s': the point (%g, %g) of feature %lld cannot be transformed to "
                          "WGS 84",
                          path, p[0], p[1], (long long)OGR_F_GetFID(feat));
            else if (ct == NULL && srs == NULL && !(fabs(p[0]) <= 180 && fabs(p[1]) <= 90))
                st = fail_no_crs(outcome, path);
        }
        if (st == 0 && acc.n_rings > 0) {
            acc.starts[acc.n_rings] = acc.n_points;
            const char *name = name_index >= 0 ? OGR_F_GetFieldAsString(feat, name_index) : "";
            if (sink->feature(sink->user, name, acc.is_area == 1, acc.xy, acc.n_points, acc.starts,
                              acc.n_rings) != 0)
                st = fail(outcome, BM_ERR_NOMEM, NULL, "out of memory reading '%s'", path);
        }
        OGR_F_Destroy(feat);
    }
    if (st == 0 && msgs.message[0] != '\0')
        st = fail(outcome, BM_ERR_INVALID, NULL, "'%s' is damaged: %s", path, msgs.message);
done:
    CPLPopErrorHandler();
    CPLSetThreadLocalConfigOption("GDAL_DISABLE_READDIR_ON_OPEN", NULL);
    CPLSetThreadLocalConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", NULL);
    CPLSetThreadLocalConfigOption("GDAL_HTTP_MAX_RETRY", NULL);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (wgs84)
        OSRDestroySpatialReference(wgs84);
    if (ds)
        GDALClose(ds);
    free(acc.xy);
    free(acc.starts);
    return st;
}
