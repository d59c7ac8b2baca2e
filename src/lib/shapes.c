/* SPDX-License-Identifier: MIT */
#include "shapes.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bm_buf.h"
#include "shapes_gdal.h"

struct bm_shapes {
    bm_arena *arena;
    bm_feature *features;
    size_t n_features, n_alloc;
    void *map; /* the packed file, mapped read-only (NULL for a layer read by GDAL) */
    size_t map_len;
};

/* ---- packed files (.bms): the built-in boundaries, read without GDAL -------------------------
 *
 * Layout (shapes/README.md), all little-endian, every section 8-byte aligned so that the points
 * are used in place from the mapping:
 *   header   8 x u64: magic "BMSHAPE1", byte-order mark 0x0102030405060708, n_features,
 *            n_points, n_starts, strings_size, file_size, the double 1.5 (IEEE 754 check)
 *   features n_features x 10 u64/f64: name_offset, is_area, first_point, n_points, first_start,
 *            n_rings, lon_min, lat_min, lon_max, lat_max (degrees, as doubles)
 *   points   n_points x 2 f64 (lon, lat): WGS 84 degrees, exactly the doubles GDAL read
 *   starts   n_starts x u64: each feature's n_rings + 1 ring offsets, relative to its points
 *   strings  NUL-terminated feature names (the field "name") */
#define PACK_MAGIC     "BMSHAPE1"
#define PACK_HEADER    8
#define PACK_FEATURE   10
#define PACK_BOM       UINT64_C(0x0102030405060708)
#define PACK_MAX_BYTES ((size_t)256 << 20)

static bool is_packed_path(const char *path) {
    const size_t n = strlen(path);
    return n > 4 && strcmp(path + n - 4, ".bms") == 0;
}

static bm_status packed_invalid(const char *path, const char *why, bm_error *err) {
    bm_error_set(err, BM_ERR_INVALID, "'%s' is not a usable packed shapes file: %s", path, why);
    bm_error_file(err, path);
    bm_error_hint(err, "re-create it with scripts/derive-shapes/derive.sh (or bm_pack_shapes)");
    return err ? err->status : BM_ERR_INVALID;
}

static bm_status load_packed(bm_shapes *s, const char *path, const char *name_field,
                             bm_error *err) {
    if (name_field != NULL && strcmp(name_field, "name") != 0) {
        bm_error_set(err, BM_ERR_INVALID,
                     "'%s' is a packed shapes file, which keeps only the "
                     "field 'name', not '%s'",
                     path, name_field);
        bm_error_file(err, path);
        bm_error_hint(err, "give the .fgb or .geojson file beside it to use another field");
        return err ? err->status : BM_ERR_INVALID;
    }
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        bm_error_set(err, BM_ERR_IO, "cannot open boundary layer '%s': %s", path, strerror(errno));
        bm_error_file(err, path);
        bm_error_hint(err, "check --data-dir (or BALMAP_DATA_DIR): it must hold shapes/");
        if (fd >= 0)
            close(fd);
        return err ? err->status : BM_ERR_IO;
    }
    if (st.st_size < (off_t)(PACK_HEADER * 8) || (uint64_t)st.st_size > PACK_MAX_BYTES) {
        close(fd);
        return packed_invalid(path, "wrong size", err);
    }
    s->map_len = (size_t)st.st_size;
    s->map = mmap(NULL, s->map_len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (s->map == MAP_FAILED) {
        s->map = NULL;
        bm_error_set(err, BM_ERR_IO, "cannot map '%s': %s", path, strerror(errno));
        bm_error_file(err, path);
        return err ? err->status : BM_ERR_IO;
    }
    const unsigned char *base = s->map;
    uint64_t h[PACK_HEADER];
    memcpy(h, base, sizeof h);
    double one_and_half;
    memcpy(&one_and_half, &h[7], sizeof one_and_half);
    if (memcmp(base, PACK_MAGIC, 8) != 0)
        return packed_invalid(path, "no BMSHAPE1 signature", err);
    if (h[1] != PACK_BOM || one_and_half != 1.5)
        return packed_invalid(path, "written on a machine of another byte order", err);
    const uint64_t n_feat = h[2], n_pts = h[3], n_starts = h[4], n_str = h[5];
    /* Each count is bounded by the file size before any product is formed. */
    const uint64_t len = s->map_len;
    if (h[6] != len || n_feat > len / (PACK_FEATURE * 8) || n_pts > len / 16 ||
        n_starts > len / 8 || n_str > len)
        return packed_invalid(path, "truncated or damaged (sizes do not add up)", err);
    const uint64_t off_feat = PACK_HEADER * 8, off_pts = off_feat + n_feat * PACK_FEATURE * 8,
                   off_starts = off_pts + n_pts * 16, off_str = off_starts + n_starts * 8;
    if (off_str + n_str != len || (n_str > 0 && base[len - 1] != '\0'))
        return packed_invalid(path, "truncated or damaged (sizes do not add up)", err);
    const double *points = (const double *)(const void *)(base + off_pts);
    const char *strings = (const char *)base + off_str;
    s->features = calloc(n_feat ? n_feat : 1, sizeof *s->features);
    if (s->features == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
    for (uint64_t i = 0; i < n_feat; i++) {
        uint64_t r[PACK_FEATURE];
        memcpy(r, base + off_feat + i * PACK_FEATURE * 8, sizeof r);
        const uint64_t name = r[0], first = r[2], np = r[3], first_start = r[4], nr = r[5];
        if (name >= n_str || first > n_pts || np > n_pts - first || nr == 0 ||
            first_start > n_starts || nr >= n_starts - first_start)
            return packed_invalid(path, "a feature points outside the file", err);
        size_t *starts = bm_arena_alloc(s->arena, (size_t)(nr + 1) * sizeof *starts);
        if (starts == NULL)
            return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        uint64_t prev = 0;
        for (uint64_t k = 0; k <= nr; k++) {
            uint64_t v;
            memcpy(&v, base + off_starts + (first_start + k) * 8, sizeof v);
            if (v < prev || v > np || (k == 0 && v != 0) || (k == nr && v != np))
                return packed_invalid(path, "a ring points outside its feature", err);
            starts[k] = (size_t)v;
            prev = v;
        }
        bm_feature *f = &s->features[i];
        f->name = strings + name;
        f->is_area = r[1] != 0;
        f->lonlat_deg = points + 2 * first;
        f->n_points = (size_t)np;
        f->ring_starts = starts;
        f->n_rings = (size_t)nr;
        memcpy(&f->lon_min_deg, &r[6], sizeof(double));
        memcpy(&f->lat_min_deg, &r[7], sizeof(double));
        memcpy(&f->lon_max_deg, &r[8], sizeof(double));
        memcpy(&f->lat_max_deg, &r[9], sizeof(double));
    }
    s->n_features = (size_t)n_feat;
    if (s->n_features == 0) {
        bm_error_set(err, BM_ERR_INVALID, "'%s' holds no polygons or lines", path);
        bm_error_file(err, path);
        return err ? err->status : BM_ERR_INVALID;
    }
    return BM_OK;
}

static bm_status put_u64(bm_buf *out, uint64_t v) {
    return bm_buf_append(out, &v, sizeof v);
}

static bm_status put_f64(bm_buf *out, double v) {
    return bm_buf_append(out, &v, sizeof v);
}

bm_status bm_shapes_pack(const bm_shapes *s, bm_buf *out, bm_error *err) {
    uint64_t n_pts = 0, n_starts = 0, n_str = 0;
    for (size_t i = 0; i < s->n_features; i++) {
        n_pts += s->features[i].n_points;
        n_starts += s->features[i].n_rings + 1;
        n_str += strlen(s->features[i].name) + 1;
    }
    const uint64_t pad = (8 - n_str % 8) % 8; /* NULs, so the file ends on a NUL */
    n_str += pad;
    const uint64_t len =
        PACK_HEADER * 8 + s->n_features * PACK_FEATURE * 8 + n_pts * 16 + n_starts * 8 + n_str;
    bm_status st = bm_buf_append(out, PACK_MAGIC, 8);
    const uint64_t header[] = {PACK_BOM, s->n_features, n_pts, n_starts, n_str, len};
    for (size_t k = 0; k < sizeof header / sizeof header[0] && st == BM_OK; k++)
        st = put_u64(out, header[k]);
    if (st == BM_OK)
        st = put_f64(out, 1.5);
    uint64_t name = 0, first = 0, first_start = 0;
    for (size_t i = 0; i < s->n_features && st == BM_OK; i++) {
        const bm_feature *f = &s->features[i];
        const uint64_t r[] = {name, f->is_area, first, f->n_points, first_start, f->n_rings};
        for (size_t k = 0; k < 6 && st == BM_OK; k++)
            st = put_u64(out, r[k]);
        const double box[] = {f->lon_min_deg, f->lat_min_deg, f->lon_max_deg, f->lat_max_deg};
        for (size_t k = 0; k < 4 && st == BM_OK; k++)
            st = put_f64(out, box[k]);
        name += strlen(f->name) + 1;
        first += f->n_points;
        first_start += f->n_rings + 1;
    }
    for (size_t i = 0; i < s->n_features && st == BM_OK; i++)
        st = bm_buf_append(out, s->features[i].lonlat_deg,
                           2 * s->features[i].n_points * sizeof(double));
    for (size_t i = 0; i < s->n_features && st == BM_OK; i++)
        for (size_t k = 0; k <= s->features[i].n_rings && st == BM_OK; k++)
            st = put_u64(out, s->features[i].ring_starts[k]);
    for (size_t i = 0; i < s->n_features && st == BM_OK; i++)
        st = bm_buf_append(out, s->features[i].name, strlen(s->features[i].name) + 1);
    for (uint64_t k = 0; k < pad && st == BM_OK; k++)
        st = bm_buf_append(out, "", 1);
    if (st != BM_OK)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
    return BM_OK;
}

/* ---- layers GDAL reads, through libbalmap_gdal.so ------------------------------------------ */

/* GDAL's network file systems and connection strings: a layer path naming one would make GDAL
 * send requests (issue 14), so it is refused unless the user allows remote layers. */
static const char *remote_marker(const char *text) {
    static const char *const markers[] = {
        "://",       "/vsicurl",   "/vsis3",         "/vsigs", "/vsiaz", "/vsiadls", "/vsioss",
        "/vsiswift", "/vsihdfs",   "/vsiwebhdfs",    "PG:",    "MySQL:", "WFS:",     "OAPIF:",
        "MongoDB:",  "CouchDB:",   "ElasticSearch:", "ODBC:",  "MSSQL:", "OCI:",     "GFT:",
        "Carto:",    "AmigoCloud:"};
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
        if (strstr(text, markers[i]) != NULL)
            return markers[i];
    return NULL;
}

static bm_status refuse_remote(const char *path, const char *what, const char *marker,
                               bm_error *err) {
    bm_error_set(err, BM_ERR_INVALID,
                 "refusing boundary layer '%s': %s a network source ('%s'), and balmap reads "
                 "only local files unless told otherwise",
                 path, what, marker);
    bm_error_file(err, path);
    bm_error_hint(err, "download the data and give the local file, or pass "
                       "--allow-remote-layers to let GDAL fetch it");
    return err ? err->status : BM_ERR_INVALID;
}

#define VRT_MAX_BYTES (4u << 20)
#define VRT_MAX_DEPTH 8

/* An OGR VRT (an XML file naming other data sources) may name a URL or another VRT that does:
 * its text is searched, and each local .vrt it names in turn. */
static bm_status check_vrt(const char *path, const char *layer_path, int depth, bm_error *err) {
    bm_buf text = BM_BUF_INIT(VRT_MAX_BYTES);
    bm_error read_err = {0};
    if (bm_buf_read_file(&text, path, VRT_MAX_BYTES, &read_err) != BM_OK) {
        bm_buf_free(&text);
        return BM_OK; /* GDAL reports what is wrong with it */
    }
    bm_status st = BM_OK;
    const char *marker = remote_marker(bm_buf_str(&text));
    if (marker != NULL) {
        char what[600];
        snprintf(what, sizeof what, depth == 0 ? "the VRT names" : "the VRT '%s' it names names",
                 path);
        st = refuse_remote(layer_path, what, marker, err);
    }
    /* <SrcDataSource relativeToVRT="1">other.vrt</SrcDataSource> */
    for (const char *p = bm_buf_str(&text); st == BM_OK && (p = strstr(p, "<SrcDataSource"));) {
        const char *gt = strchr(p, '>'), *end = gt ? strstr(gt, "</SrcDataSource>") : NULL;
        if (end == NULL)
            break;
        const bool is_relative =
            strstr(p, "relativeToVRT=\"1\"") != NULL && strstr(p, "relativeToVRT=\"1\"") < gt;
        const size_t n = (size_t)(end - gt - 1);
        char src[PATH_MAX];
        const char *slash = strrchr(path, '/');
        const int dir_len = is_relative && slash ? (int)(slash - path + 1) : 0;
        if (n > 4 && n + (size_t)dir_len < sizeof src && strncmp(end - 4, ".vrt", 4) == 0) {
            snprintf(src, sizeof src, "%.*s%.*s", dir_len, path, (int)n, gt + 1);
            if (depth >= VRT_MAX_DEPTH) {
                bm_error_set(err, BM_ERR_INVALID, "'%s': VRT files nest deeper than %d", layer_path,
                             VRT_MAX_DEPTH);
                bm_error_file(err, layer_path);
                st = err ? err->status : BM_ERR_INVALID;
            } else {
                st = check_vrt(src, layer_path, depth + 1, err);
            }
        }
        p = end;
    }
    bm_buf_free(&text);
    return st;
}

/* Layer paths are local files (or a directory of them, as GDAL reads shapefile folders). */
static bm_status check_local(const char *path, bm_error *err) {
    const char *marker = remote_marker(path);
    if (marker != NULL)
        return refuse_remote(path, "it names", marker, err);
    if (strncmp(path, "/vsi", 4) == 0) {
        bm_error_set(err, BM_ERR_INVALID,
                     "refusing boundary layer '%s': GDAL's virtual file systems are not "
                     "local files",
                     path);
        bm_error_file(err, path);
        bm_error_hint(err, "unpack the file and give its path, or pass --allow-remote-layers");
        return err ? err->status : BM_ERR_INVALID;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        bm_error_set(err, BM_ERR_IO, "cannot open boundary layer '%s': %s", path, strerror(errno));
        bm_error_file(err, path);
        bm_error_hint(err, "give a shapefile, GeoPackage or GeoJSON file that exists");
        return err ? err->status : BM_ERR_IO;
    }
    if (S_ISREG(st.st_mode)) {
        char head[32] = {0};
        FILE *f = fopen(path, "rb");
        if (f != NULL) {
            size_t n = fread(head, 1, sizeof head - 1, f);
            head[n] = '\0';
            fclose(f);
        }
        const char *ext = strrchr(path, '.');
        if ((ext != NULL && strcmp(ext, ".vrt") == 0) || strstr(head, "<OGRVRTDataSource"))
            return check_vrt(path, path, 0, err);
    } else if (!S_ISDIR(st.st_mode)) {
        bm_error_set(err, BM_ERR_INVALID, "boundary layer '%s' is not a regular file", path);
        bm_error_file(err, path);
        return err ? err->status : BM_ERR_INVALID;
    }
    return BM_OK;
}

/* Where libbalmap_gdal.so is looked for: beside the program (the build directory, or an
 * installed bin/), in ../lib/balmap/ from it, where the build put it, then the loader's path. */
static void *open_gdal_module(bm_error *err) {
    char exe[PATH_MAX];
    char candidate[PATH_MAX + 64];
    const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    void *h = NULL;
    const int flags = RTLD_LAZY | RTLD_LOCAL | RTLD_NODELETE; /* GDAL is never unloaded */
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash != NULL) {
            *slash = '\0';
            snprintf(candidate, sizeof candidate, "%s/%s", exe, BM_GDAL_MODULE_NAME);
            h = dlopen(candidate, flags);
            if (h == NULL) {
                snprintf(candidate, sizeof candidate, "%s/../lib/balmap/%s", exe,
                         BM_GDAL_MODULE_NAME);
                h = dlopen(candidate, flags);
            }
        }
    }
#ifdef BM_GDAL_MODULE_BUILT
    if (h == NULL)
        h = dlopen(BM_GDAL_MODULE_BUILT, flags);
#endif
    if (h == NULL)
        h = dlopen(BM_GDAL_MODULE_NAME, flags);
    if (h == NULL) {
        const char *why = dlerror();
        bm_error_set(err, BM_ERR_DEPENDENCY,
                     "reading this layer needs GDAL, through %s, which could not be loaded: %s",
                     BM_GDAL_MODULE_NAME, why ? why : "not found");
        bm_error_hint(err,
                      "install %s beside the balmap program (the build puts it there), "
                      "and GDAL (Debian: libgdal32)",
                      BM_GDAL_MODULE_NAME);
        return NULL;
    }
    bm_gdal_abi_fn abi;
    *(void **)&abi = dlsym(h, BM_GDAL_ABI_SYMBOL);
    if (abi == NULL || abi() != BM_GDAL_ABI) {
        dlclose(h);
        bm_error_set(err, BM_ERR_DEPENDENCY, "%s is from another version of balmap",
                     BM_GDAL_MODULE_NAME);
        bm_error_hint(err, "install the %s built with this balmap", BM_GDAL_MODULE_NAME);
        return NULL;
    }
    return h;
}

static bm_status keep_feature(bm_shapes *s, const char *name, bool is_area, const double *xy,
                              size_t n_points, const size_t *ring_starts, size_t n_rings) {
    if (bm_grow((void **)&s->features, &s->n_alloc, s->n_features + 1, sizeof(bm_feature)) != BM_OK)
        return BM_ERR_NOMEM;
    bm_feature *f = &s->features[s->n_features];
    memset(f, 0, sizeof *f);
    double *copy = bm_arena_alloc(s->arena, 2 * n_points * sizeof(double));
    size_t *starts = bm_arena_alloc(s->arena, (n_rings + 1) * sizeof(size_t));
    f->name = bm_arena_strdup(s->arena, name ? name : "");
    if (copy == NULL || starts == NULL || f->name == NULL)
        return BM_ERR_NOMEM;
    memcpy(copy, xy, 2 * n_points * sizeof(double));
    memcpy(starts, ring_starts, (n_rings + 1) * sizeof(size_t));
    f->is_area = is_area;
    f->lonlat_deg = copy;
    f->n_points = n_points;
    f->ring_starts = starts;
    f->n_rings = n_rings;
    f->lon_min_deg = f->lat_min_deg = HUGE_VAL;
    f->lon_max_deg = f->lat_max_deg = -HUGE_VAL;
    for (size_t i = 0; i < n_points; i++) {
        f->lon_min_deg = fmin(f->lon_min_deg, copy[2 * i]);
        f->lon_max_deg = fmax(f->lon_max_deg, copy[2 * i]);
        f->lat_min_deg = fmin(f->lat_min_deg, copy[2 * i + 1]);
        f->lat_max_deg = fmax(f->lat_max_deg, copy[2 * i + 1]);
    }
    s->n_features++;
    return BM_OK;
}

static int sink_feature(void *user, const char *name, int is_area, const double *lonlat,
                        size_t n_points, const size_t *ring_starts, size_t n_rings) {
    return keep_feature(user, name, is_area != 0, lonlat, n_points, ring_starts, n_rings) != BM_OK;
}

static bm_status load_with_gdal(bm_shapes *s, const char *path, const char *name_field,
                                unsigned flags, bm_error *err) {
    const bool allow_remote = (flags & BM_SHAPES_ALLOW_REMOTE) != 0;
    if (!allow_remote && check_local(path, err) != BM_OK)
        return err ? err->status : BM_ERR_INVALID;
    void *h = open_gdal_module(err);
    if (h == NULL)
        return err ? err->status : BM_ERR_DEPENDENCY;
    bm_gdal_read_fn read_fn;
    *(void **)&read_fn = dlsym(h, BM_GDAL_READ_SYMBOL);
    bm_gdal_outcome outcome = {0};
    const bm_gdal_sink sink = {s, sink_feature};
    int st = read_fn == NULL ? BM_ERR_DEPENDENCY
                             : read_fn(path, name_field, allow_remote, &sink, &outcome);
    dlclose(h);
    if (read_fn == NULL)
        snprintf(outcome.message, sizeof outcome.message, "%s lacks %s", BM_GDAL_MODULE_NAME,
                 BM_GDAL_READ_SYMBOL);
    if (st == BM_OK && s->n_features == 0) {
        st = BM_ERR_INVALID;
        snprintf(outcome.message, sizeof outcome.message, "'%s' holds no polygons or lines", path);
    }
    if (st != BM_OK) {
        bm_error_set(err, (bm_status)st, "%s", outcome.message);
        bm_error_file(err, path);
        if (outcome.hint[0] != '\0')
            bm_error_hint(err, "%s", outcome.hint);
        return err ? err->status : (bm_status)st;
    }
    return BM_OK;
}

bm_shapes *bm_shapes_load_ex(const char *path, const char *name_field, unsigned flags,
                             bm_error *err) {
    bm_shapes *s = calloc(1, sizeof *s);
    if (s == NULL || (s->arena = bm_arena_new()) == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        bm_shapes_free(s);
        return NULL;
    }
    const bm_status st = is_packed_path(path) ? load_packed(s, path, name_field, err)
                                              : load_with_gdal(s, path, name_field, flags, err);
    if (st != BM_OK) {
        bm_shapes_free(s);
        return NULL;
    }
    return s;
}

bm_shapes *bm_shapes_load(const char *path, const char *name_field, bm_error *err) {
    return bm_shapes_load_ex(path, name_field, 0, err);
}

void bm_shapes_register_all(void) {
    /* Nothing to do: libbalmap_gdal.so registers GDAL's drivers once, under pthread_once. */
}

void bm_shapes_free(bm_shapes *s) {
    if (s == NULL)
        return;
    if (s->map != NULL)
        munmap(s->map, s->map_len);
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
