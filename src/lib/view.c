/* SPDX-License-Identifier: MIT */
#include "view.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The projection is computed here rather than by PROJ: balmap draws one projection, Lambert
 * conformal conic on the WGS 84 ellipsoid, and linking libproj cost every process its
 * dependency tree (libcurl, GnuTLS, Kerberos, LDAP, SQLite, libtiff: 36 of the 77 libraries
 * balmap still mapped, 10 MiB and a tenth of a render's wall time), though PROJ's database and
 * network grids were never used. The formulas are Snyder's (Map Projections: A Working Manual,
 * 1987, eq. 15-1 to 15-10, 14-15), evaluated in the order PROJ 9 evaluates them, so the
 * figures are the same doubles: unit.view_proj compares them with PROJ bit for bit over
 * 260,000 points. */

typedef struct lcc {
    double e;      /* eccentricity of the ellipsoid */
    double a;      /* semi-major axis, metres */
    double n, c;   /* cone constant; a * F / a (Snyder's F) */
    double rho0;   /* radius of the origin's parallel, in units of a */
    double lam0;   /* central meridian, radians */
    double x0, y0; /* false easting and northing, metres */
} lcc;

struct bm_view {
    lcc lcc;
    bm_frame frame;
    double mm_per_metre;
    double x0_m, y0_m; /* projected point at the frame's top-left corner */
};

#define PI         3.14159265358979323846
#define DEG_TO_RAD (PI / 180)
#define HALF_PI    (PI / 2)
#define EPS10      1e-10

/* Snyder 14-15: m = cos(phi) / sqrt(1 - e^2 sin^2(phi)). */
static double lcc_m(double sinphi, double cosphi, double es) {
    return cosphi / sqrt(1. - sinphi * sinphi * es);
}

/* Snyder 15-9: t = tan(pi/4 - phi/2) / ((1 - e sin(phi)) / (1 + e sin(phi)))^(e/2), written
 * as exp(e atanh(e sin(phi))) cos(phi) / (1 + sin(phi)), which keeps precision near the poles. */
static double lcc_t(double phi, double sinphi, double e) {
    const double cosphi = cos(phi);
    return exp(e * atanh(e * sinphi)) *
           (sinphi > 0 ? cosphi / (1 + sinphi) : (1 - sinphi) / cosphi);
}

/* Reads "+key=value" from a PROJ string; false when the key is absent. */
static bool proj_param(const char *def, const char *key, char *value, size_t value_size) {
    const size_t k = strlen(key);
    for (const char *p = def; (p = strstr(p, key)) != NULL; p += k) {
        if ((p == def || p[-1] != '+') || p[k] != '=')
            continue;
        const char *v = p + k + 1;
        const size_t n = strcspn(v, " \t");
        snprintf(value, value_size, "%.*s", (int)n, v);
        return true;
    }
    return false;
}

static bool proj_number(const char *def, const char *key, double fallback, double *out) {
    char v[64];
    if (!proj_param(def, key, v, sizeof v)) {
        *out = fallback;
        return true;
    }
    char *end;
    *out = strtod(v, &end);
    return end != v && *end == '\0' && isfinite(*out);
}

/* Every "+key" of def is one this module knows. */
static bool only_known_keys(const char *def) {
    static const char *const known[] = {"proj", "lat_1", "lat_2", "lat_0", "lon_0",  "x_0",
                                        "y_0",  "ellps", "datum", "units", "no_defs"};
    for (const char *p = def; (p = strchr(p, '+')) != NULL;) {
        p++;
        const size_t n = strcspn(p, "= \t");
        bool ok = false;
        for (size_t i = 0; i < sizeof known / sizeof known[0] && !ok; i++)
            ok = strlen(known[i]) == n && strncmp(p, known[i], n) == 0;
        if (!ok)
            return false;
        p += n;
    }
    return true;
}

/* Lambert conformal conic, two standard parallels, WGS 84, metres; false for anything else. */
static bool lcc_init(lcc *L, const char *def) {
    char v[64];
    double lat1, lat2, lat0, lon0;
    if (!only_known_keys(def) || !proj_param(def, "proj", v, sizeof v) || strcmp(v, "lcc") != 0 ||
        (proj_param(def, "ellps", v, sizeof v) && strcmp(v, "WGS84") != 0) ||
        (proj_param(def, "datum", v, sizeof v) && strcmp(v, "WGS84") != 0) ||
        (proj_param(def, "units", v, sizeof v) && strcmp(v, "m") != 0) ||
        !proj_param(def, "lat_1", v, sizeof v) || !proj_number(def, "lat_1", 0, &lat1) ||
        !proj_number(def, "lat_2", lat1, &lat2) || !proj_number(def, "lat_0", lat1, &lat0) ||
        !proj_number(def, "lon_0", 0, &lon0) || !proj_number(def, "x_0", 0, &L->x0) ||
        !proj_number(def, "y_0", 0, &L->y0))
        return false;
    const double phi1 = lat1 * DEG_TO_RAD, phi2 = lat2 * DEG_TO_RAD, phi0 = lat0 * DEG_TO_RAD;
    if (!(fabs(phi1) < HALF_PI - EPS10 && fabs(phi2) < HALF_PI - EPS10 && fabs(phi0) <= HALF_PI &&
          fabs(phi1 + phi2) >= EPS10 && fabs(lat1) > EPS10))
        return false;
    const double f = 1 / 298.257223563; /* WGS 84 */
    const double es = 2 * f - f * f;
    L->a = 6378137.0;
    L->e = sqrt(es);
    L->lam0 = lon0 * DEG_TO_RAD;
    double sinphi = sin(phi1);
    const double m1 = lcc_m(sinphi, cos(phi1), es), t1 = lcc_t(phi1, sinphi, L->e);
    L->n = sinphi; /* tangent cone (Snyder 15-8 with phi1 = phi2) */
    if (fabs(phi1 - phi2) >= EPS10) {
        sinphi = sin(phi2);
        L->n = log(m1 / lcc_m(sinphi, cos(phi2), es)); /* Snyder 15-8 */
        L->n /= log(t1 / lcc_t(phi2, sinphi, L->e));
    }
    if (!(L->n > 0 || L->n < 0) || !isfinite(L->n))
        return false;
    L->c = L->rho0 = m1 * pow(t1, -L->n) / L->n; /* Snyder 15-10 */
    L->rho0 *= fabs(fabs(phi0) - HALF_PI) < EPS10 ? 0. : pow(lcc_t(phi0, sin(phi0), L->e), L->n);
    return true;
}

/* Snyder 15-1 to 15-3. HUGE_VAL for a point the projection cannot show (a pole on the wrong
 * side, a latitude beyond 90 degrees). */
static void lcc_forward(const lcc *L, double lon_deg, double lat_deg, double *x, double *y) {
    const double phi = lat_deg * DEG_TO_RAD;
    double lam = lon_deg * DEG_TO_RAD - L->lam0;
    if (!(fabs(phi) <= HALF_PI + 1e-12) || !isfinite(lam)) {
        *x = *y = HUGE_VAL;
        return;
    }
    if (fabs(lam) >= PI + 1e-12) /* to -pi..pi */
        lam = lam - 2 * PI * floor((lam + PI) / (2 * PI));
    double rho;
    if (fabs(fabs(phi) - HALF_PI) < EPS10) {
        if (phi * L->n <= 0) {
            *x = *y = HUGE_VAL;
            return;
        }
        rho = 0;
    } else {
        rho = L->c * pow(lcc_t(phi, sin(phi), L->e), L->n);
    }
    lam *= L->n;
    *x = L->a * (rho * sin(lam)) + L->x0;
    *y = L->a * (L->rho0 - rho * cos(lam)) + L->y0;
}

bool bm_extent_why_invalid(const bm_extent *e, char *why, size_t why_size) {
    const double v[4] = {e->lon_min_deg, e->lat_min_deg, e->lon_max_deg, e->lat_max_deg};
    static const char *const names[4] = {"lon_min", "lat_min", "lon_max", "lat_max"};
    for (int k = 0; k < 4; k++) {
        const double limit = k % 2 == 0 ? 180 : BM_EXTENT_MAX_LAT;
        if (!(fabs(v[k]) <= limit)) {
            snprintf(why, why_size, "%s %g is out of range: %s from %g to %g%s", names[k], v[k],
                     k % 2 == 0 ? "longitudes run" : "maps reach latitudes", -limit, limit,
                     k % 2 == 0 ? "" : " (the projection cannot draw the poles)");
            return true;
        }
    }
    if (v[0] == v[2] || v[1] == v[3]) {
        snprintf(why, why_size, "empty: %s",
                 v[0] == v[2] ? "lon_min equals lon_max, no width"
                              : "lat_min equals lat_max, no height");
        return true;
    }
    if (v[1] > v[3]) {
        snprintf(why, why_size, "inverted: lat_min %g is north of lat_max %g (swap them)", v[1],
                 v[3]);
        return true;
    }
    if (v[0] > v[2] && v[0] - v[2] > 180) {
        snprintf(why, why_size,
                 "it crosses the 180th meridian (lon_min %g is east of lon_max %g): a map "
                 "cannot span it",
                 v[0], v[2]);
        return true;
    }
    if (v[0] > v[2]) {
        snprintf(why, why_size, "inverted: lon_min %g is east of lon_max %g (swap them)", v[0],
                 v[2]);
        return true;
    }
    return false;
}

bm_view *bm_view_new(const char *proj_def, const bm_extent *extent, const bm_frame *frame,
                     bm_error *err) {
    bm_view *v = calloc(1, sizeof *v);
    if (v == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    char why[256];
    if (!(extent->lon_min_deg < extent->lon_max_deg && extent->lat_min_deg < extent->lat_max_deg &&
          extent->lat_min_deg >= -90 && extent->lat_max_deg <= 90)) {
        if (!bm_extent_why_invalid(extent, why, sizeof why))
            snprintf(why, sizeof why, "it reaches a pole");
        bm_error_set(err, BM_ERR_INVALID, "cannot draw the extent %g,%g,%g,%g: %s",
                     extent->lon_min_deg, extent->lat_min_deg, extent->lon_max_deg,
                     extent->lat_max_deg, why);
        bm_error_hint(err, "give the extent as lon_min,lat_min,lon_max,lat_max in degrees, west "
                           "before east and south before north");
        goto fail;
    }
    if (!lcc_init(&v->lcc, proj_def)) {
        bm_error_set(err, BM_ERR_INVALID,
                     "cannot use the projection '%s': balmap draws Lambert conformal conic on "
                     "WGS 84 in metres, with two standard parallels",
                     proj_def);
        bm_error_hint(err, "give a PROJ string such as '%s'", BM_VIEW_DEFAULT_PROJ);
        goto fail;
    }
    /* The projected bounding box of the extent: its edges are curves, so sample them. */
    double x_min = HUGE_VAL, y_min = HUGE_VAL, x_max = -HUGE_VAL, y_max = -HUGE_VAL;
    const int n_steps = 32;
    for (int i = 0; i <= n_steps; i++) {
        const double t = (double)i / n_steps;
        const double lons[4] = {
            extent->lon_min_deg + t * (extent->lon_max_deg - extent->lon_min_deg),
            extent->lon_min_deg + t * (extent->lon_max_deg - extent->lon_min_deg),
            extent->lon_min_deg, extent->lon_max_deg};
        const double lats[4] = {
            extent->lat_min_deg, extent->lat_max_deg,
            extent->lat_min_deg + t * (extent->lat_max_deg - extent->lat_min_deg),
            extent->lat_min_deg + t * (extent->lat_max_deg - extent->lat_min_deg)};
        for (int k = 0; k < 4; k++) {
            double x, y;
            if (bm_view_to_metres(v, lons[k], lats[k], &x, &y) != BM_OK) {
                bm_error_set(err, BM_ERR_INVALID, "cannot project %g,%g with '%s'", lons[k],
                             lats[k], proj_def);
                goto fail;
            }
            x_min = fmin(x_min, x);
            x_max = fmax(x_max, x);
            y_min = fmin(y_min, y);
            y_max = fmax(y_max, y);
        }
    }
    v->frame = *frame;
    const double sx = frame->w_mm / (x_max - x_min), sy = frame->h_mm / (y_max - y_min);
    v->mm_per_metre = fmin(sx, sy);
    /* Centre the extent in the frame. */
    const double cx = (x_min + x_max) / 2, cy = (y_min + y_max) / 2;
    v->x0_m = cx - frame->w_mm / 2 / v->mm_per_metre;
    v->y0_m = cy + frame->h_mm / 2 / v->mm_per_metre;
    return v;
fail:
    bm_view_free(v);
    return NULL;
}

void bm_view_free(bm_view *v) {
    free(v);
}

bm_status bm_view_to_metres(const bm_view *v, double lon_deg, double lat_deg, double *x_m,
                            double *y_m) {
    double x, y;
    lcc_forward(&v->lcc, lon_deg, lat_deg, &x, &y);
    if (!isfinite(x) || !isfinite(y))
        return BM_ERR_INVALID;
    *x_m = x;
    *y_m = y;
    return BM_OK;
}

bm_status bm_view_to_page(const bm_view *v, double lon_deg, double lat_deg, double *x_mm,
                          double *y_mm) {
    double x, y;
    if (bm_view_to_metres(v, lon_deg, lat_deg, &x, &y) != BM_OK)
        return BM_ERR_INVALID;
    *x_mm = v->frame.x_mm + (x - v->x0_m) * v->mm_per_metre;
    *y_mm = v->frame.y_mm + (v->y0_m - y) * v->mm_per_metre;
    return BM_OK;
}

bm_status bm_view_to_page_array(const bm_view *v, double *xy, size_t n_points, bm_error *err) {
    if (n_points == 0)
        return BM_OK;
    for (size_t i = 0; i < n_points; i++) {
        double x, y;
        lcc_forward(&v->lcc, xy[2 * i], xy[2 * i + 1], &x, &y);
        if (!isfinite(x) || !isfinite(y))
            return bm_error_set(err, BM_ERR_INVALID, "a boundary point cannot be projected");
        xy[2 * i] = v->frame.x_mm + (x - v->x0_m) * v->mm_per_metre;
        xy[2 * i + 1] = v->frame.y_mm + (v->y0_m - y) * v->mm_per_metre;
    }
    return BM_OK;
}

double bm_view_mm_per_metre(const bm_view *v) {
    return v->mm_per_metre;
}

const bm_frame *bm_view_frame(const bm_view *v) {
    return &v->frame;
}

void bm_view_origin_m(const bm_view *v, double *x0_m, double *y0_m) {
    *x0_m = v->x0_m;
    *y0_m = v->y0_m;
}
