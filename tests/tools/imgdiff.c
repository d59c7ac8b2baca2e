/* SPDX-License-Identifier: MIT */
/* imgdiff.c - tolerant PNG comparison for the CLI tests, on Cairo alone (a fresh Debian has no
 * ImageMagick). Two images match when they have the same size and at most a small fraction of
 * their pixels differ by more than a small amount in any channel: antialiasing and glyph
 * rasterising change between Cairo, FreeType and Pango releases, a missing layer does not hide.
 *
 *   imgdiff [options] EXPECTED.png ACTUAL.png
 *   exit 0 the same, 1 different (a diff image is written), 2 usage or I/O error
 *
 * The diff image shows differing pixels in magenta over a faded copy of the expected image
 * (GMT's gmtest does the same). `imgdiff --selftest DIR` checks imgdiff itself. */
#include <cairo.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The one place the tolerances live (style guide section 8); --tolerance and --max-fraction
 * override them. */
#define DEFAULT_TOLERANCE    32    /* per channel, out of 255 */
#define DEFAULT_MAX_FRACTION 0.005 /* of all pixels */

enum { SAME = 0, DIFFERENT = 1, TROUBLE = 2 };

typedef struct options {
    int tolerance;       /* a channel differing by more than this counts the pixel */
    double max_fraction; /* at most this fraction of pixels may count */
    const char *diff_path;
    bool is_quiet;
} options;

typedef struct comparison {
    long n_pixels;
    long n_off;            /* pixels off by more than the tolerance */
    int max_delta;         /* largest channel difference anywhere, 0..255 */
    unsigned char *is_off; /* one flag per pixel, owned */
} comparison;

static const char usage[] =
    "usage: imgdiff [--tolerance N] [--max-fraction F] [--diff PATH] [-q] EXPECTED.png ACTUAL.png\n"
    "       imgdiff --selftest DIR\n";

/* Reads a PNG as premultiplied ARGB32, whatever format it was stored in, so fully transparent
 * pixels compare equal whatever colour they carry. Returns NULL after printing why. */
static cairo_surface_t *load_png(const char *path) {
    cairo_surface_t *png = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(png) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "imgdiff: cannot read '%s': %s\n", path,
                cairo_status_to_string(cairo_surface_status(png)));
        cairo_surface_destroy(png);
        return NULL;
    }
    const int width = cairo_image_surface_get_width(png);
    const int height = cairo_image_surface_get_height(png);
    cairo_surface_t *argb = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    cairo_t *cr = cairo_create(argb);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_set_source_surface(cr, png, 0, 0);
    cairo_paint(cr);
    const cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(png);
    cairo_surface_flush(argb);
    if (status != CAIRO_STATUS_SUCCESS || cairo_surface_status(argb) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "imgdiff: cannot convert '%s': %s\n", path,
                cairo_status_to_string(
                    status != CAIRO_STATUS_SUCCESS ? status : cairo_surface_status(argb)));
        cairo_surface_destroy(argb);
        return NULL;
    }
    return argb;
}

static const uint32_t *row_of(cairo_surface_t *s, int y) {
    const unsigned char *data = cairo_image_surface_get_data(s);
    return (const uint32_t *)(const void *)(data +
                                            (size_t)y * (size_t)cairo_image_surface_get_stride(s));
}

static int channel_delta(uint32_t a, uint32_t b, int shift) {
    const int ca = (int)((a >> shift) & 0xffu);
    const int cb = (int)((b >> shift) & 0xffu);
    return ca > cb ? ca - cb : cb - ca;
}

/* Compares two ARGB32 surfaces of the same size. Returns false when out of memory. */
static bool compare(cairo_surface_t *expected, cairo_surface_t *actual, int tolerance,
                    comparison *out) {
    const int width = cairo_image_surface_get_width(expected);
    const int height = cairo_image_surface_get_height(expected);
    comparison c = {(long)width * height, 0, 0, NULL};
    c.is_off = calloc((size_t)c.n_pixels + 1, 1);
    if (c.is_off == NULL)
        return false;
    for (int y = 0; y < height; y++) {
        const uint32_t *e = row_of(expected, y);
        const uint32_t *a = row_of(actual, y);
        for (int x = 0; x < width; x++) {
            int delta = 0;
            for (int shift = 0; shift < 32; shift += 8) {
                const int d = channel_delta(e[x], a[x], shift);
                delta = d > delta ? d : delta;
            }
            c.max_delta = delta > c.max_delta ? delta : c.max_delta;
            if (delta > tolerance) {
                c.is_off[(size_t)y * (size_t)width + (size_t)x] = 1;
                c.n_off++;
            }
        }
    }
    *out = c;
    return true;
}

/* Writes the flagged pixels in magenta over the expected image faded towards white. */
static bool write_diff(cairo_surface_t *expected, const comparison *c, const char *path) {
    const int width = cairo_image_surface_get_width(expected);
    const int height = cairo_image_surface_get_height(expected);
    cairo_surface_t *diff = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    cairo_t *cr = cairo_create(diff);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_surface(cr, expected, 0, 0);
    cairo_paint_with_alpha(cr, 0.25);
    cairo_destroy(cr);
    cairo_surface_flush(diff);
    unsigned char *data = cairo_image_surface_get_data(diff);
    if (data != NULL) {
        const size_t stride = (size_t)cairo_image_surface_get_stride(diff);
        for (int y = 0; y < height; y++) {
            uint32_t *row = (uint32_t *)(void *)(data + (size_t)y * stride);
            for (int x = 0; x < width; x++) {
                if (c->is_off[(size_t)y * (size_t)width + (size_t)x])
                    row[x] = 0xffff00ffu; /* opaque magenta */
            }
        }
    }
    cairo_surface_mark_dirty(diff);
    const cairo_status_t status = cairo_surface_write_to_png(diff, path);
    cairo_surface_destroy(diff);
    if (status != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "imgdiff: cannot write '%s': %s\n", path, cairo_status_to_string(status));
        return false;
    }
    return true;
}

/* ACTUAL with ".png" replaced by ".diff.png" (or ".diff.png" appended), in buf. */
static bool default_diff_path(const char *actual, char *buf, size_t size) {
    const size_t n = strlen(actual);
    const size_t stem = n >= 4 && strcmp(actual + n - 4, ".png") == 0 ? n - 4 : n;
    const int written = snprintf(buf, size, "%.*s.diff.png", (int)stem, actual);
    return written > 0 && (size_t)written < size;
}

static bool parse_int(const char *s, int lo, int hi, int *out) {
    char *end = NULL;
    errno = 0;
    const long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

static bool parse_fraction(const char *s, double *out) {
    char *end = NULL;
    errno = 0;
    const double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !(v >= 0 && v <= 1))
        return false;
    *out = v;
    return true;
}

static int compare_files(const char *expected_path, const char *actual_path, const options *o) {
    int result = TROUBLE;
    comparison c = {0, 0, 0, NULL};
    cairo_surface_t *expected = load_png(expected_path);
    cairo_surface_t *actual = expected ? load_png(actual_path) : NULL;
    if (actual == NULL)
        goto done;

    const int ew = cairo_image_surface_get_width(expected);
    const int eh = cairo_image_surface_get_height(expected);
    const int aw = cairo_image_surface_get_width(actual);
    const int ah = cairo_image_surface_get_height(actual);
    if (ew != aw || eh != ah) {
        if (!o->is_quiet)
            printf("imgdiff: different: size %dx%d expected, %dx%d found\n", ew, eh, aw, ah);
        result = DIFFERENT;
        goto done;
    }
    if (!compare(expected, actual, o->tolerance, &c)) {
        fputs("imgdiff: out of memory\n", stderr);
        goto done;
    }
    const double fraction = c.n_pixels > 0 ? (double)c.n_off / (double)c.n_pixels : 0.0;
    const bool is_same = fraction <= o->max_fraction;
    if (!o->is_quiet)
        printf("imgdiff: %s: %ld of %ld pixels (%.2f%%) differ by more than %d/255 "
               "(largest difference %d/255); at most %.2f%% allowed\n",
               is_same ? "same" : "different", c.n_off, c.n_pixels, 100.0 * fraction, o->tolerance,
               c.max_delta, 100.0 * o->max_fraction);
    if (is_same) {
        result = SAME;
        goto done;
    }
    char path[4096];
    const char *diff_path = o->diff_path;
    if (diff_path == NULL) {
        if (!default_diff_path(actual_path, path, sizeof path)) {
            fprintf(stderr, "imgdiff: path too long: '%s'\n", actual_path);
            goto done;
        }
        diff_path = path;
    }
    if (!write_diff(expected, &c, diff_path))
        goto done;
    if (!o->is_quiet)
        printf("imgdiff: wrote diff image '%s' (magenta: differing pixels)\n", diff_path);
    result = DIFFERENT;
done:
    free(c.is_off);
    cairo_surface_destroy(actual);
    cairo_surface_destroy(expected);
    return result;
}

static int selftest(const char *dir);

static int run(int argc, char **argv) {
    static const struct option long_options[] = {
        {"tolerance", required_argument, NULL, 't'},
        {"max-fraction", required_argument, NULL, 'f'},
        {"diff", required_argument, NULL, 'd'},
        {"quiet", no_argument, NULL, 'q'},
        {"selftest", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    options o = {DEFAULT_TOLERANCE, DEFAULT_MAX_FRACTION, NULL, false};
    const char *selftest_dir = NULL;
    optind = 0; /* glibc: start afresh, run() is called again by the self-test */
    opterr = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "t:f:d:qh", long_options, NULL)) != -1) {
        switch (ch) {
        case 't':
            if (!parse_int(optarg, 0, 255, &o.tolerance)) {
                fprintf(stderr, "imgdiff: invalid tolerance '%s'; expected 0 to 255\n%s", optarg,
                        usage);
                return TROUBLE;
            }
            break;
        case 'f':
            if (!parse_fraction(optarg, &o.max_fraction)) {
                fprintf(stderr, "imgdiff: invalid fraction '%s'; expected 0 to 1\n%s", optarg,
                        usage);
                return TROUBLE;
            }
            break;
        case 'd':
            o.diff_path = optarg;
            break;
        case 'q':
            o.is_quiet = true;
            break;
        case 'S':
            selftest_dir = optarg;
            break;
        case 'h':
            printf("%s\nexit 0 same, 1 different, 2 usage or I/O error. Defaults: tolerance %d/255 "
                   "per channel, at most %.2f%% of pixels beyond it.\n",
                   usage, DEFAULT_TOLERANCE, 100.0 * DEFAULT_MAX_FRACTION);
            return SAME;
        default:
            fputs(usage, stderr);
            return TROUBLE;
        }
    }
    if (selftest_dir != NULL && optind == argc)
        return selftest(selftest_dir);
    if (selftest_dir != NULL || argc - optind != 2) {
        fputs(usage, stderr);
        return TROUBLE;
    }
    return compare_files(argv[optind], argv[optind + 1], &o);
}

/* --- self-test: draws images with known differences and checks every verdict --- */

enum { ST_WIDTH = 200, ST_HEIGHT = 100 }; /* 20000 pixels: 0.5% is 100 */

static cairo_surface_t *draw_base(int width, int height) {
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    cairo_t *cr = cairo_create(s);
    cairo_pattern_t *sky = cairo_pattern_create_linear(0, 0, width, height);
    cairo_pattern_add_color_stop_rgb(sky, 0, 0.90, 0.93, 0.80);
    cairo_pattern_add_color_stop_rgb(sky, 1, 0.60, 0.75, 0.90);
    cairo_set_source(cr, sky);
    cairo_paint(cr);
    cairo_pattern_destroy(sky);
    cairo_set_source_rgba(cr, 0.8, 0.1, 0.1, 0.7);
    cairo_arc(cr, width * 0.3, height * 0.5, height * 0.3, 0, 6.283185307179586);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.3);
    cairo_set_line_width(cr, 3);
    cairo_move_to(cr, width * 0.55, height * 0.8);
    cairo_line_to(cr, width * 0.9, height * 0.2);
    cairo_stroke(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

/* Sets n pixels, spread over the image, to base +- delta in the red channel. */
static void nudge_pixels(cairo_surface_t *s, int n, int delta) {
    unsigned char *data = cairo_image_surface_get_data(s);
    const int width = cairo_image_surface_get_width(s);
    const size_t stride = (size_t)cairo_image_surface_get_stride(s);
    for (int i = 0; i < n; i++) {
        const int p = (int)(((long)i * 7919) % ((long)width * ST_HEIGHT));
        uint32_t *px = (uint32_t *)(void *)(data + (size_t)(p / width) * stride) + p % width;
        /* Opaque, so premultiplication cannot absorb the change. */
        const uint32_t red = (*px >> 16) & 0xffu;
        const uint32_t moved = red >= 128 ? red - (uint32_t)delta : red + (uint32_t)delta;
        *px = 0xff000000u | (moved << 16) | (*px & 0x0000ffffu);
    }
    cairo_surface_mark_dirty(s);
}

static bool save(cairo_surface_t *s, const char *dir, const char *name, char *path, size_t size) {
    const int n = snprintf(path, size, "%s/%s", dir, name);
    const bool ok = n > 0 && (size_t)n < size && cairo_surface_write_to_png(s, path) == 0;
    if (!ok)
        fprintf(stderr, "imgdiff selftest: cannot write '%s'\n", path);
    return ok;
}

typedef struct selftest_state {
    int n_failed;
} selftest_state;

static void expect(selftest_state *st, int got, int want, const char *what) {
    if (got != want) {
        fprintf(stderr, "imgdiff selftest: FAIL: %s: exit %d, expected %d\n", what, got, want);
        st->n_failed++;
    } else {
        printf("imgdiff selftest: ok: %s\n", what);
    }
}

/* Runs imgdiff in-process with up to four arguments (NULL ends the list early). */
static int run_args(const char *a1, const char *a2, const char *a3, const char *a4) {
    const char *args[] = {"imgdiff", a1, a2, a3, a4};
    char storage[5][4096];
    char *argv[6] = {NULL};
    int argc = 0;
    while (argc < 5 && args[argc] != NULL) {
        snprintf(storage[argc], sizeof storage[argc], "%s", args[argc]);
        argv[argc] = storage[argc];
        argc++;
    }
    fflush(stdout);
    return run(argc, argv);
}

static int selftest(const char *dir) {
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "imgdiff selftest: cannot create '%s': %s\n", dir, strerror(errno));
        return TROUBLE;
    }
    char base[4096], copy[4096], within[4096], at_limit[4096], over_limit[4096], block[4096],
        small[4096], missing[4096], diff[4096];
    selftest_state st = {0};
    bool ok = true;
    cairo_surface_t *s = draw_base(ST_WIDTH, ST_HEIGHT);
    ok = ok && save(s, dir, "base.png", base, sizeof base);
    cairo_surface_destroy(s);

    s = draw_base(ST_WIDTH, ST_HEIGHT);
    ok = ok && save(s, dir, "copy.png", copy, sizeof copy);
    cairo_surface_destroy(s);

    /* Every 3rd pixel off by exactly the tolerance: not "more than", so the same. */
    s = draw_base(ST_WIDTH, ST_HEIGHT);
    nudge_pixels(s, ST_WIDTH * ST_HEIGHT / 3, DEFAULT_TOLERANCE);
    ok = ok && save(s, dir, "within-tolerance.png", within, sizeof within);
    cairo_surface_destroy(s);

    /* Exactly 0.5% of pixels far off: still the same ("at most"). */
    s = draw_base(ST_WIDTH, ST_HEIGHT);
    nudge_pixels(s, 100, 120);
    ok = ok && save(s, dir, "at-limit.png", at_limit, sizeof at_limit);
    cairo_surface_destroy(s);

    /* One pixel more: different. */
    s = draw_base(ST_WIDTH, ST_HEIGHT);
    nudge_pixels(s, 101, 120);
    ok = ok && save(s, dir, "over-limit.png", over_limit, sizeof over_limit);
    cairo_surface_destroy(s);

    /* A 20x20 green block (2%), like a marker drawn in the wrong place. */
    s = draw_base(ST_WIDTH, ST_HEIGHT);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0, 0.5, 0);
    cairo_rectangle(cr, 150, 10, 20, 20);
    cairo_fill(cr);
    cairo_destroy(cr);
    ok = ok && save(s, dir, "block.png", block, sizeof block);
    cairo_surface_destroy(s);

    s = draw_base(ST_WIDTH / 2, ST_HEIGHT);
    ok = ok && save(s, dir, "small.png", small, sizeof small);
    cairo_surface_destroy(s);

    const int nm = snprintf(missing, sizeof missing, "%s/no-such-file.png", dir);
    const int nd = snprintf(diff, sizeof diff, "%s/block.diff.png", dir);
    if (!ok || nm < 0 || (size_t)nm >= sizeof missing || nd < 0 || (size_t)nd >= sizeof diff)
        return TROUBLE;
    remove(diff);

    expect(&st, run_args(base, copy, NULL, NULL), SAME, "identical images are the same");
    expect(&st, run_args(base, within, NULL, NULL), SAME,
           "a third of the pixels off by exactly the tolerance is the same");
    expect(&st, run_args(base, at_limit, NULL, NULL), SAME, "0.5% of pixels far off is the same");
    expect(&st, run_args(base, over_limit, NULL, NULL), DIFFERENT,
           "one pixel beyond 0.5% is different");
    expect(&st, run_args("--tolerance", "31", base, within), DIFFERENT,
           "--tolerance lowers the per-channel limit");
    expect(&st, run_args("--max-fraction", "0.01", base, over_limit), SAME,
           "--max-fraction raises the pixel limit");
    expect(&st, run_args(base, block, NULL, NULL), DIFFERENT, "a 2% block is different");
    expect(&st, run_args(base, small, NULL, NULL), DIFFERENT, "another size is different");
    expect(&st, run_args(base, missing, NULL, NULL), TROUBLE, "a missing file is an I/O error");
    expect(&st, run_args(base, NULL, NULL, NULL), TROUBLE, "one file is a usage error");
    expect(&st, run_args("--tolerance", "256", base, copy), TROUBLE,
           "a tolerance above 255 is a usage error");
    expect(&st, run_args("--max-fraction", "x", base, copy), TROUBLE,
           "a non-numeric fraction is a usage error");

    /* The diff image of the block case: magenta inside the block, faded elsewhere. */
    cairo_surface_t *d = load_png(diff);
    if (d == NULL) {
        fprintf(stderr, "imgdiff selftest: FAIL: no diff image '%s'\n", diff);
        st.n_failed++;
    } else {
        const uint32_t inside = row_of(d, 20)[160];
        const uint32_t outside = row_of(d, 90)[5];
        if (inside != 0xffff00ffu || outside == 0xffff00ffu ||
            channel_delta(outside, 0xffffffffu, 16) > 64) {
            fprintf(stderr, "imgdiff selftest: FAIL: diff image pixels %08x inside, %08x outside\n",
                    inside, outside);
            st.n_failed++;
        } else {
            printf("imgdiff selftest: ok: the diff image marks the block in magenta\n");
        }
        cairo_surface_destroy(d);
    }
    printf("imgdiff selftest: %d failed\n", st.n_failed);
    return st.n_failed ? DIFFERENT : SAME;
}

int main(int argc, char **argv) {
    const int status = run(argc, argv);
    cairo_debug_reset_static_data(); /* so LeakSanitizer sees only real leaks */
    return status;
}
