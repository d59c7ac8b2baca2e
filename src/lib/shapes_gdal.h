/* SPDX-License-Identifier: MIT */
/* shapes_gdal.h - the interface between shapes.c and libbalmap_gdal.so, the module that reads
 * vector layers with GDAL/OGR (src/gdal/balmap_gdal.c).
 *
 * Why a module: libgdal and its dependency tree (poppler, HDF5, netCDF, ... about 110 shared
 * libraries) cost 38 MiB and half of a render's wall time to map and relocate at every start,
 * yet only `--layer` needs them: the built-in boundaries are read from packed files with mmap
 * (shapes/README.md). shapes.c opens the module with dlopen the first time a map asks for a
 * layer GDAL must read, so a plain render never maps libgdal.
 *
 * Plain C types only: the module does not link libbalmap. It calls `sink->feature` once per
 * feature with rings of WGS84 lon/lat degrees, and on failure fills `outcome` (a bm_status and
 * a message and hint) and returns the status. Bump BM_GDAL_ABI when anything here changes. */
#ifndef BM_SHAPES_GDAL_H
#define BM_SHAPES_GDAL_H

#include <stddef.h>

#define BM_GDAL_ABI         1
#define BM_GDAL_MODULE_NAME "libbalmap_gdal.so"
#define BM_GDAL_READ_SYMBOL "bm_gdal_read_v1"
#define BM_GDAL_ABI_SYMBOL  "bm_gdal_abi"

typedef struct bm_gdal_sink {
    void *user;
    /* One feature; ring_starts has n_rings + 1 entries (last == n_points). Returns 0, or
     * non-zero when out of memory (the read then stops with BM_ERR_NOMEM). */
    int (*feature)(void *user, const char *name, int is_area, const double *lonlat, size_t n_points,
                   const size_t *ring_starts, size_t n_rings);
} bm_gdal_sink;

typedef struct bm_gdal_outcome {
    int status; /* a bm_status */
    char message[512];
    char hint[256];
} bm_gdal_outcome;

/* Reads the first layer of `path` (a local file; the caller has refused remote sources).
 * name_field NULL: "name" if present. allow_remote non-zero lets GDAL's network file systems
 * work (the user asked for it); otherwise they are switched off for this thread's call. */
typedef int (*bm_gdal_read_fn)(const char *path, const char *name_field, int allow_remote,
                               const bm_gdal_sink *sink, bm_gdal_outcome *outcome);
typedef int (*bm_gdal_abi_fn)(void);

#endif
