/* SPDX-License-Identifier: MIT */
/* _GNU_SOURCE: O_TMPFILE (staged outputs leave nothing behind even after SIGKILL), and
 * the raster's huge pages come from bm_big_alloc (bm_buf.h). */
#define _GNU_SOURCE
#include "output.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "bm_buf.h"
#include "html.h"
#include "render.h"
#include "svg.h"

#define MM_PER_INCH 25.4
#define PT_PER_INCH 72.0

bm_status bm_format_from_path(const char *path, bm_format *out, bm_error *err) {
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot != NULL && (slash == NULL || dot > slash)) {
        if (strcasecmp(dot, ".png") == 0) {
            *out = BM_FORMAT_PNG;
            return BM_OK;
        }
        if (strcasecmp(dot, ".svg") == 0) {
            *out = BM_FORMAT_SVG;
            return BM_OK;
        }
        if (strcasecmp(dot, ".pdf") == 0) {
            *out = BM_FORMAT_PDF;
            return BM_OK;
        }
        if (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0) {
            *out = BM_FORMAT_HTML;
            return BM_OK;
        }
    }
    bm_error_set(err, BM_ERR_INVALID,
                 "unknown output format '%s'; expected one of: png, svg, pdf, html",
                 dot && (slash == NULL || dot > slash) ? dot + 1 : path);
    bm_error_hint(err, "name the output file with a .png, .svg, .pdf or .html extension");
    return err->status;
}

const char *bm_format_name(bm_format f) {
    switch (f) {
    case BM_FORMAT_PNG:
        return "png";
    case BM_FORMAT_SVG:
        return "svg";
    case BM_FORMAT_PDF:
        return "pdf";
    case BM_FORMAT_HTML:
        return "html";
    }
    return "?";
}

/* Cairo compresses every PDF stream (the page's drawing, the font subsets) with
 * deflateInit(stream, Z_DEFAULT_COMPRESSION), level 6, and offers no setting for it: zlib was
 * a third of a PDF map's time. This definition, exported by the program (balmap.exports), is
 * the one Cairo's call reaches, and it takes the default to level 1. Measured on the 33 PDF maps
 * of bench/batch100.sh (bench/README.md): CPU 1.89 -> 1.36 s, files 4.44 -> 5.15 MB (+16%);
 * level 2: 1.44 s, +12%; level 3: 1.51 s, +7.5%. Still deflate: every reader reads it, and
 * the same map gives the same bytes. A caller asking for a level keeps it. balmap compresses
 * nothing else with zlib (its PNG goes through libdeflate). */
#define PDF_DEFLATE_LEVEL 1

int deflateInit_(z_streamp strm, int level, const char *version, int stream_size) {
    return deflateInit2_(strm, level == Z_DEFAULT_COMPRESSION ? PDF_DEFLATE_LEVEL : level,
                         Z_DEFLATED, MAX_WBITS, 8 /* zlib's default memLevel */, Z_DEFAULT_STRATEGY,
                         version, stream_size);
}

/* Cairo's SVG and PDF writers stream into this buffer; PNG pixels go through libpng. */
static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int length) {
    return bm_buf_append(closure, data, length) == BM_OK ? CAIRO_STATUS_SUCCESS
                                                         : CAIRO_STATUS_WRITE_ERROR;
}

/* A PNG chunk: length, type, data, CRC-32 of type and data. */
static bm_status png_chunk(bm_buf *out, const char *type, const void *data, size_t n) {
    if (n > 0x7FFFFFFFu)
        return BM_ERR_NOMEM;
    const unsigned char len[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                                  (unsigned char)(n >> 8), (unsigned char)n};
    uint32_t crc = libdeflate_crc32(0, type, 4);
    crc = libdeflate_crc32(crc, data, n);
    const unsigned char sum[4] = {(unsigned char)(crc >> 24), (unsigned char)(crc >> 16),
                                  (unsigned char)(crc >> 8), (unsigned char)crc};
    bm_status st = bm_buf_append(out, len, 4);
    if (st == BM_OK)
        st = bm_buf_append(out, type, 4);
    if (st == BM_OK && n > 0)
        st = bm_buf_append(out, data, n);
    if (st == BM_OK)
        st = bm_buf_append(out, sum, 4);
    return st;
}

static void put_be32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* A text chunk: tEXt (Latin-1 keyword and text) or iTXt (UTF-8, uncompressed, no language). */
static bm_status png_text(bm_buf *out, const char *key, const char *text, bool is_utf8) {
    bm_buf c = BM_BUF_INIT((size_t)1 << 30);
    bm_status st = bm_buf_append(&c, key, strlen(key) + 1);
    if (st == BM_OK && is_utf8)
        st = bm_buf_append(&c, "\0\0\0\0", 4); /* not compressed, method 0, "" lang, "" key */
    if (st == BM_OK)
        st = bm_buf_append(&c, text, strlen(text));
    if (st == BM_OK)
        st = png_chunk(out, is_utf8 ? "iTXt" : "tEXt", c.data, c.len);
    bm_buf_free(&c);
    return st;
}

/* The PNG is written here rather than by libpng or cairo_surface_write_to_png: the pixels are
 * packed in place into PNG rows (filter None: flat map colours compress best unfiltered) and
 * compressed as one buffer by libdeflate at level 3, which measured 14 ms and 352 KB for the
 * seed map against 18 ms and 379 KB for libpng with zlib level 1 (bench/README.md has the
 * table: zlib levels and filters, libdeflate levels, libspng; a palette is not possible, the
 * map has 8,748 colours). Packing in place needs no second 5.8 MB image. The surface's pixels
 * are consumed. Chunks as libpng wrote them: IHDR, pHYs, iTXt Title and Description, tEXt
 * Software, one IDAT, IEND. */
static bm_status encode_png(cairo_surface_t *img, const bm_scene *scene, double dpi, bm_buf *out,
                            bm_error *err) {
    cairo_surface_flush(img);
    const int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    const size_t stride = (size_t)cairo_image_surface_get_stride(img);
    unsigned char *px = cairo_image_surface_get_data(img);
    const size_t row = 3 * (size_t)w + 1, n_raw = row * (size_t)h;
    /* Row y moves to y * row <= y * stride, and pixel x of it to 3x + 1 <= 4x + 4, so every
     * pixel is read before anything is written over it. CAIRO_FORMAT_RGB24: 0x00RRGGBB. */
    for (int y = 0; y < h; y++) {
        const unsigned char *src = px + (size_t)y * stride;
        unsigned char *dst = px + (size_t)y * row;
        for (int x = 0; x < w; x++) {
            uint32_t p;
            memcpy(&p, src + 4 * (size_t)x, 4);
            if (x == 0)
                dst[0] = 0; /* filter None */
            dst[1 + 3 * x] = (unsigned char)(p >> 16);
            dst[2 + 3 * x] = (unsigned char)(p >> 8);
            dst[3 + 3 * x] = (unsigned char)p;
        }
    }
    cairo_surface_mark_dirty(img);
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(3);
    const size_t bound = c ? libdeflate_zlib_compress_bound(c, n_raw) : 0;
    unsigned char *z = c ? malloc(bound) : NULL;
    const size_t nz = z ? libdeflate_zlib_compress(c, px, n_raw, z, bound) : 0;
    libdeflate_free_compressor(c);
    if (nz == 0) {
        free(z);
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory encoding the PNG");
    }
    unsigned char ihdr[13] = {0, 0, 0, 0, 0, 0, 0, 0, 8, 2 /* RGB */, 0, 0, 0};
    put_be32(ihdr, (uint32_t)w);
    put_be32(ihdr + 4, (uint32_t)h);
    unsigned char phys[9] = {0, 0, 0, 0, 0, 0, 0, 0, 1 /* per metre */};
    const uint32_t ppm = (uint32_t)(dpi / 0.0254 + 0.5);
    put_be32(phys, ppm);
    put_be32(phys + 4, ppm);
    bm_status st = bm_buf_append(out, "\x89PNG\r\n\x1a\n", 8);
    if (st == BM_OK)
        st = png_chunk(out, "IHDR", ihdr, sizeof ihdr);
    if (st == BM_OK)
        st = png_chunk(out, "pHYs", phys, sizeof phys);
    if (st == BM_OK)
        st = png_text(out, "Title", bm_scene_title(scene), true);
    if (st == BM_OK)
        st = png_text(out, "Description", bm_scene_description(scene), true);
    if (st == BM_OK)
        st = png_text(out, "Software", "balmap", false);
    if (st == BM_OK)
        st = png_chunk(out, "IDAT", z, nz);
    if (st == BM_OK)
        st = png_chunk(out, "IEND", "", 0);
    free(z);
    if (st != BM_OK)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory encoding the PNG");
    return BM_OK;
}

/* The raster the map is drawn on, in memory given huge pages where the kernel lends them
 * (madvise mode): the 7.7 MB of a 1600 x 1200 page then take 4 page faults instead of 1,875,
 * which were a sixth of a render's time on this virtual machine. Freed with the surface. */
static void free_pixels(void *data) {
    bm_big_free(data);
}

static cairo_surface_t *png_surface_new(int w, int h) {
    const int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, w);
    if (w <= 0 || h <= 0 || stride <= 0)
        return cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h); /* Cairo's error */
    unsigned char *px = bm_big_alloc((size_t)stride * (size_t)h);
    if (px == NULL)
        return cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_surface_t *s = cairo_image_surface_create_for_data(px, CAIRO_FORMAT_RGB24, w, h, stride);
    static const cairo_user_data_key_t key;
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
        cairo_surface_set_user_data(s, &key, px, free_pixels) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        bm_big_free(px);
        return cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    }
    return s;
}

/* Text is never under 7 pt as the output is read. An image is read at one image pixel per CSS
 * pixel, 96 to the inch (7 pt is 9.3 px), and so is an SVG or PDF of a page sized in pixels,
 * which goes to a screen the same way: smaller text is refused, naming the text, its size and
 * the width that would do. An SVG or PDF of a print size (--size) is read at that size: map.c
 * lays it out with no text under 7 pt there (output.h). The web page scales with the reader's
 * zoom and is not held to it. */
#define CSS_PX_PER_IN 96.0

const bm_mark *bm_output_smallest_text(const bm_scene *scene) {
    const bm_mark *smallest = NULL;
    for (size_t i = 0; i < bm_scene_n_marks(scene); i++) {
        const bm_mark *m = bm_scene_mark(scene, i);
        if (m->kind == BM_MARK_TEXT && m->text != NULL && m->text[0] != '\0' &&
            (m->fill_rgba & 0xFF) != 0 &&
            (smallest == NULL || m->spec.size_pt < smallest->spec.size_pt))
            smallest = m;
    }
    return smallest;
}

static bm_status check_text(const bm_scene *scene, bm_format format, const bm_output_options *opts,
                            bm_error *err) {
    if (format != BM_FORMAT_PNG &&
        ((format != BM_FORMAT_SVG && format != BM_FORMAT_PDF) || opts->is_print_size))
        return BM_OK;
    const bm_mark *smallest = bm_output_smallest_text(scene);
    if (smallest == NULL)
        return BM_OK;
    const double w_mm = bm_scene_width_mm(scene);
    const double px = smallest->spec.size_pt / PT_PER_INCH * opts->dpi;
    const double min_px = BM_OUTPUT_MIN_TEXT_PT / PT_PER_INCH * CSS_PX_PER_IN;
    if (px >= min_px - 1e-9)
        return BM_OK;
    const double w_px = w_mm / MM_PER_INCH * opts->dpi;
    const double need_w_px = ceil(w_px * min_px / px);
    bm_error_set(
        err, BM_ERR_INVALID,
        "at %.0f px wide the map's smallest text ('%s', %.1f pt on the %.0f mm page) would "
        "be %.1f px high, under 7 pt (%.1f px) at 96 px per inch",
        w_px, smallest->role, smallest->spec.size_pt, w_mm, px, min_px);
    if (format == BM_FORMAT_PNG)
        bm_error_hint(err,
                      "make the PNG at least %.0f px wide (--width, --height), or use --size "
                      "phone for a phone-width image",
                      need_w_px);
    else
        bm_error_hint(err,
                      "%s of a page sized in pixels is read at that size: make it at least "
                      "%.0f px wide (--width, --height), or give a print size (--size)",
                      format == BM_FORMAT_SVG ? "an SVG" : "a PDF", need_w_px);
    return err->status;
}

static bm_status render_to_buf(const bm_scene *scene, bm_text *text, bm_format format,
                               const bm_output_options *opts, bm_buf *out, bm_error *err) {
    const double w_mm = bm_scene_width_mm(scene), h_mm = bm_scene_height_mm(scene);
    cairo_surface_t *surface = NULL;
    double scale;
    if (check_text(scene, format, opts, err) != BM_OK)
        return err->status;
    if (format == BM_FORMAT_SVG) {
        /* balmap's own writer: live text and named layers (Cairo's outlines every glyph) */
        const bm_svg_options svg_opts = {opts->incidents, false, opts->lang, NULL};
        return bm_svg_write(scene, text, &svg_opts, out, err);
    }
    if (format == BM_FORMAT_HTML) {
        const bm_html_options html_opts = {opts->incidents, opts->creator, opts->lang,
                                           opts->narrow};
        return bm_html_write(scene, text, &html_opts, out, err);
    }
    switch (format) {
    case BM_FORMAT_PNG:
        scale = opts->dpi / MM_PER_INCH;
        surface = png_surface_new((int)(w_mm * scale + 0.5), (int)(h_mm * scale + 0.5));
        break;
    case BM_FORMAT_PDF:
    default:
        scale = PT_PER_INCH / MM_PER_INCH;
        surface = cairo_pdf_surface_create_for_stream(to_buf, out, w_mm * scale, h_mm * scale);
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, bm_scene_title(scene));
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT,
                                       bm_scene_description(scene));
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
                                       opts->creator ? opts->creator : "balmap");
        {
            /* Without a date Cairo writes the current time, and the file would change on every
             * run: "none" (-1) becomes the Unix epoch. */
            char date[32] = "1970-01-01T00:00:00Z";
            const time_t t = (time_t)(opts->created_unix_s > 0 ? opts->created_unix_s : 0);
            struct tm tm;
            if (gmtime_r(&t, &tm) != NULL)
                strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, date);
        }
        break;
    }
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        bm_error_set(err, BM_ERR_DEPENDENCY, "cannot create the %s surface: %s",
                     bm_format_name(format), cairo_status_to_string(cairo_surface_status(surface)));
        cairo_surface_destroy(surface);
        return err->status;
    }
    cairo_t *cr = cairo_create(surface);
    cairo_scale(cr, scale, scale);
    bm_status st = bm_render_scene_cached(scene, text, cr, opts->basemap_cache, err);
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    if (st == BM_OK && format == BM_FORMAT_PNG)
        st = encode_png(surface, scene, opts->dpi, out, err);
    /* SVG and PDF are written when the surface is finished; errors show up only then. */
    cairo_surface_finish(surface);
    if (st == BM_OK && cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS)
        st = bm_error_set(err, BM_ERR_DEPENDENCY, "writing %s failed: %s", bm_format_name(format),
                          cairo_status_to_string(cairo_surface_status(surface)));
    cairo_surface_destroy(surface);
    return st;
}

bm_status bm_output_render(const bm_scene *scene, bm_text *text, bm_format format,
                           const bm_output_options *opts, bm_buf *out, bm_error *err) {
    return render_to_buf(scene, text, format, opts, out, err);
}

/* ---- Transactions (output.h) ----------------------------------------------------------- */

#define MAX_SYMLINKS 40
#define TEMP_TAG     ".balmap-tmp."
#define BACKUP_TAG   ".balmap-old."

typedef enum target_kind {
    T_FILE,  /* a regular file (or none yet): temporary file, then rename */
    T_FD,    /* "-", /dev/stdout, /dev/fd/N: written to that descriptor */
    T_STREAM /* an existing character device or FIFO: opened and written */
} target_kind;

typedef struct staged {
    char *path;   /* as given, for messages */
    char *target; /* T_FILE, T_STREAM: the path after symlinks */
    char *id;     /* bm_output_identity, for duplicates */
    target_kind kind;
    int fd;       /* T_FD: the descriptor; T_FILE: the O_TMPFILE descriptor or -1 */
    char *temp;   /* T_FILE: the named temporary file, once there is one */
    char *backup; /* T_FILE: a hard link to the previous target during the commit */
    bm_buf data;  /* the bytes (kept for streams and for naming an O_TMPFILE the slow way) */
    bool had_old, is_renamed;
} staged;

struct bm_output_txn {
    bm_output_hooks hooks;
    staged *items;
    size_t n_items, n_alloc;
    bool is_done;
};

static char *str_printf(const char *fmt, ...) BM_PRINTF(1, 2);
static char *str_printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    const int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s != NULL) {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return s;
}

/* The descriptor a path names as a stream ("-", /dev/stdout, /dev/stderr, /dev/fd/N,
 * /proc/self/fd/N), or -1. */
static int stream_fd(const char *path) {
    if (strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0)
        return STDOUT_FILENO;
    if (strcmp(path, "/dev/stderr") == 0)
        return STDERR_FILENO;
    const char *num = NULL;
    if (strncmp(path, "/dev/fd/", 8) == 0)
        num = path + 8;
    else if (strncmp(path, "/proc/self/fd/", 14) == 0)
        num = path + 14;
    if (num == NULL || *num < '0' || *num > '9')
        return -1;
    char *end;
    const long fd = strtol(num, &end, 10);
    return *end == '\0' && fd >= 0 && fd < 1 << 20 ? (int)fd : -1;
}

/* The directory part of path ("." when none); caller frees. */
static char *dir_of(const char *path) {
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* Follows symlinks from path. Sets *kind and, for T_FD, *fd; *target (caller frees) is the
 * final path; *st_out its lstat when it exists (*exists). */
static bm_status follow(const char *path, target_kind *kind, int *fd, char **target, bool *exists,
                        struct stat *st_out, bm_error *err) {
    char *cur = strdup(path);
    if (cur == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
    for (int hop = 0; hop <= MAX_SYMLINKS; hop++) {
        const int sfd = stream_fd(cur);
        if (sfd >= 0) {
            *kind = T_FD;
            *fd = sfd;
            *target = cur;
            *exists = true;
            return BM_OK;
        }
        struct stat sb;
        if (lstat(cur, &sb) != 0) {
            if (errno != ENOENT) {
                bm_error_set(err, BM_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
                free(cur);
                return err->status;
            }
            *kind = T_FILE;
            *target = cur;
            *exists = false;
            return BM_OK;
        }
        if (!S_ISLNK(sb.st_mode)) {
            if (S_ISREG(sb.st_mode) || S_ISCHR(sb.st_mode) || S_ISFIFO(sb.st_mode)) {
                *kind = S_ISREG(sb.st_mode) ? T_FILE : T_STREAM;
                *target = cur;
                *exists = true;
                *st_out = sb;
                return BM_OK;
            }
            bm_error_set(err, BM_ERR_IO, "cannot write '%s': it is %s", path,
                         S_ISDIR(sb.st_mode) ? "a directory" : "not a regular file");
            bm_error_hint(err, "name a file to write (an existing one is replaced whole)");
            free(cur);
            return err->status;
        }
        char link[4096];
        const ssize_t n = readlink(cur, link, sizeof link - 1);
        if (n < 0) {
            bm_error_set(err, BM_ERR_IO, "cannot read the symlink '%s': %s", cur, strerror(errno));
            free(cur);
            return err->status;
        }
        link[n] = '\0';
        char *next;
        if (link[0] == '/') {
            next = strdup(link);
        } else {
            char *dir = dir_of(cur);
            next = dir ? str_printf("%s/%s", dir, link) : NULL;
            free(dir);
        }
        free(cur);
        if (next == NULL)
            return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        cur = next;
    }
    free(cur);
    bm_error_set(err, BM_ERR_IO, "cannot write '%s': more than %d symlinks", path, MAX_SYMLINKS);
    return err->status;
}

/* Appends path with "." and ".." resolved lexically to out (which holds an absolute prefix). */
static bm_status append_lexical(bm_buf *out, const char *rest) {
    bm_status st = BM_OK;
    const char *p = rest;
    while (*p != '\0' && st == BM_OK) {
        const size_t len = strcspn(p, "/");
        if (len == 0 || (len == 1 && p[0] == '.')) {
            /* nothing */
        } else if (len == 2 && p[0] == '.' && p[1] == '.') {
            char *slash = strrchr(out->data, '/');
            if (slash != NULL && slash != out->data) {
                *slash = '\0';
                out->len = (size_t)(slash - out->data);
            } else if (slash != NULL) {
                out->data[1] = '\0';
                out->len = 1;
            }
        } else {
            if (out->len == 0 || out->data[out->len - 1] != '/')
                st = bm_buf_appends(out, "/");
            if (st == BM_OK)
                st = bm_buf_append(out, p, len);
        }
        p += len;
        if (*p == '/')
            p++;
    }
    return st;
}

/* The absolute, symlink-free spelling of a file that may not exist yet: realpath of the
 * longest existing directory prefix, then the rest lexically. */
static bm_status canonical(const char *target, bm_buf *out, bm_error *err) {
    char *dir = dir_of(target);
    if (dir == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
    const char *base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
    size_t keep = strlen(dir);
    char *real = NULL;
    /* Walk up until a directory resolves; the part that does not exist is taken as written. */
    for (;;) {
        const char saved = dir[keep];
        dir[keep] = '\0';
        real = realpath(keep > 0 ? dir : ".", NULL);
        dir[keep] = saved;
        if (real != NULL || keep == 0)
            break;
        while (keep > 0 && dir[keep - 1] != '/')
            keep--;
        while (keep > 1 && dir[keep - 1] == '/')
            keep--;
        if (keep == 1 && dir[0] == '/')
            continue;
    }
    bm_buf_reset(out);
    bm_status st = real != NULL ? bm_buf_appends(out, real) : BM_ERR_IO;
    if (st == BM_OK && dir[keep] != '\0')
        st = append_lexical(out, dir + keep);
    if (st == BM_OK)
        st = append_lexical(out, base);
    free(real);
    free(dir);
    if (st != BM_OK)
        return bm_error_set(err, st == BM_ERR_NOMEM ? BM_ERR_NOMEM : BM_ERR_IO,
                            "cannot resolve the directory of '%s': %s", target, strerror(errno));
    return BM_OK;
}

bm_status bm_output_identity(const char *path, bm_buf *out, bm_error *err) {
    target_kind kind;
    int fd = -1;
    char *target = NULL;
    bool exists = false;
    struct stat sb;
    if (follow(path, &kind, &fd, &target, &exists, &sb, err) != BM_OK) {
        /* A directory or socket is refused when written; as an identity it is its path. */
        if (err->status == BM_ERR_NOMEM)
            return err->status;
        *err = (bm_error){0};
        return canonical(path, out, err);
    }
    bm_status st;
    if (kind == T_FD) {
        bm_buf_reset(out);
        st = bm_buf_printf(out, "fd:%d", fd);
        if (st != BM_OK)
            bm_error_set(err, st, "out of memory");
    } else {
        st = canonical(target, out, err);
    }
    free(target);
    return st;
}

bm_output_txn *bm_output_txn_new(const bm_output_hooks *hooks, bm_error *err) {
    bm_output_txn *t = calloc(1, sizeof *t);
    if (t == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (hooks != NULL)
        t->hooks = *hooks;
    return t;
}

static void temp_gone(bm_output_txn *t, staged *s) {
    if (s->temp == NULL)
        return;
    unlink(s->temp);
    if (t->hooks.on_temp != NULL)
        t->hooks.on_temp(t->hooks.user, s->temp, false);
    free(s->temp);
    s->temp = NULL;
}

void bm_output_txn_free(bm_output_txn *t) {
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->n_items; i++) {
        staged *s = &t->items[i];
        temp_gone(t, s);
        if (s->kind == T_FILE && s->fd >= 0)
            close(s->fd);
        if (s->backup != NULL)
            unlink(s->backup);
        free(s->backup);
        free(s->path);
        free(s->target);
        free(s->id);
        bm_buf_free(&s->data);
    }
    free(t->items);
    free(t);
}

static bool write_fully(int fd, const char *data, size_t len) {
    size_t done = 0;
    while (done < len) {
        const ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        done += (size_t)w;
    }
    return true;
}

/* Creates a named temporary file beside s->target with s->data in it (s->temp). */
static bm_status write_named_temp(bm_output_txn *t, staged *s, bm_error *err) {
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        free(s->temp);
        s->temp = str_printf("%s" TEMP_TAG "%ld.%d", s->target, (long)getpid(), attempt);
        if (s->temp == NULL)
            return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        /* 0666 so that the umask applies, as for any file the user creates. */
        fd = open(s->temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        const int e = errno;
        free(s->temp);
        s->temp = NULL;
        bm_error_set(err, BM_ERR_IO, "cannot write '%s': %s", s->path, strerror(e));
        bm_error_hint(err, "check that the directory exists and is writable");
        return err->status;
    }
    if (t->hooks.on_temp != NULL)
        t->hooks.on_temp(t->hooks.user, s->temp, true);
    const bool is_written = write_fully(fd, s->data.data, s->data.len);
    const int write_errno = errno;
    const bool is_synced = is_written && fsync(fd) == 0;
    const int sync_errno = errno;
    const bool is_closed = close(fd) == 0;
    if (!is_written || !is_synced || !is_closed) {
        bm_error_set(err, BM_ERR_IO, "cannot write '%s': %s", s->path,
                     strerror(!is_written  ? write_errno
                              : !is_synced ? sync_errno
                                           : errno));
        bm_error_hint(err, "check the free space on the disk");
        temp_gone(t, s);
        return err->status;
    }
    return BM_OK;
}

/* An unnamed file in the target's directory (O_TMPFILE), written and synced; s->fd. Returns
 * false, quietly, when the file system cannot make one. */
static bool write_unnamed_temp(staged *s, bm_error *err) {
#ifdef O_TMPFILE
    char *dir = dir_of(s->target);
    if (dir == NULL)
        return false;
    const int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    free(dir);
    if (fd < 0)
        return false;
    if (!write_fully(fd, s->data.data, s->data.len) || fsync(fd) != 0) {
        bm_error_set(err, BM_ERR_IO, "cannot write '%s': %s", s->path, strerror(errno));
        bm_error_hint(err, "check the free space on the disk");
        close(fd);
        return false;
    }
    s->fd = fd;
    return true;
#else
    (void)s;
    (void)err;
    return false;
#endif
}

bm_status bm_output_txn_stage_take(bm_output_txn *t, const char *path, bm_buf *data,
                                   bm_error *err) {
    staged s = {0};
    s.fd = -1;
    s.data = *data;
    *data = (bm_buf)BM_BUF_INIT(data->cap);
    bm_status st = BM_OK;
    bool exists = false;
    struct stat sb;
    bm_buf id = BM_BUF_INIT(1 << 16);
    if (t->is_done) {
        st = bm_error_set(err, BM_ERR_INVALID, "the outputs were already written");
        goto fail;
    }
    s.path = strdup(path);
    if (s.path == NULL) {
        st = bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        goto fail;
    }
    st = follow(path, &s.kind, &s.fd, &s.target, &exists, &sb, err);
    if (st == BM_OK)
        st = bm_output_identity(path, &id, err);
    if (st != BM_OK)
        goto fail;
    s.id = strdup(bm_buf_str(&id));
    if (s.id == NULL) {
        st = bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < t->n_items; i++) {
        if (strcmp(t->items[i].id, s.id) == 0 && strcmp(s.id, "fd:1") != 0 &&
            strcmp(s.id, "fd:2") != 0) {
            st = bm_error_set(err, BM_ERR_INVALID, "'%s' and '%s' are the same file",
                              t->items[i].path, path);
            bm_error_hint(err, "give each output its own file");
            goto fail;
        }
    }
    if (s.kind == T_FILE) {
        s.had_old = exists;
        if (t->hooks.use_named_temps || !write_unnamed_temp(&s, err)) {
            if (err != NULL && err->status != BM_OK) {
                st = err->status;
                goto fail;
            }
            st = write_named_temp(t, &s, err);
            if (st != BM_OK)
                goto fail;
        }
    }
    st = bm_grow((void **)&t->items, &t->n_alloc, t->n_items + 1, sizeof *t->items);
    if (st != BM_OK) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        goto fail;
    }
    t->items[t->n_items++] = s;
    bm_buf_free(&id);
    return BM_OK;
fail:
    temp_gone(t, &s);
    if (s.kind == T_FILE && s.fd >= 0)
        close(s.fd);
    free(s.path);
    free(s.target);
    free(s.id);
    bm_buf_free(&s.data);
    bm_buf_free(&id);
    return st;
}

bm_status bm_output_txn_stage_maps(bm_output_txn *t, const bm_scene *scene, bm_text *text,
                                   const char *const *paths, size_t n_paths,
                                   const bm_output_options *opts, bm_error *err) {
    bm_status st = BM_OK;
    for (size_t i = 0; i < n_paths && st == BM_OK; i++) {
        bm_format format;
        bm_buf data = BM_BUF_INIT((size_t)1 << 30);
        st = bm_format_from_path(paths[i], &format, err);
        if (st == BM_OK)
            st = render_to_buf(scene, text, format, opts, &data, err);
        if (st == BM_OK)
            st = bm_output_txn_stage_take(t, paths[i], &data, err);
        bm_buf_free(&data);
    }
    return st;
}

/* Gives an O_TMPFILE its name beside the target (s->temp). */
static bm_status name_temp(bm_output_txn *t, staged *s, bm_error *err) {
    if (s->fd < 0)
        return BM_OK;
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", s->fd);
    for (int attempt = 0; attempt < 100; attempt++) {
        char *name = str_printf("%s" TEMP_TAG "%ld.%d", s->target, (long)getpid(), attempt);
        if (name == NULL)
            return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0) {
            s->temp = name;
            if (t->hooks.on_temp != NULL)
                t->hooks.on_temp(t->hooks.user, s->temp, true);
            close(s->fd);
            s->fd = -1;
            return BM_OK;
        }
        free(name);
        if (errno != EEXIST)
            break;
    }
    /* No /proc: write the bytes again under a name. */
    close(s->fd);
    s->fd = -1;
    return write_named_temp(t, s, err);
}

/* Undoes the renames done so far: the previous file back, or the new one removed. */
static void roll_back(bm_output_txn *t) {
    for (size_t i = 0; i < t->n_items; i++) {
        staged *s = &t->items[i];
        if (!s->is_renamed)
            continue;
        if (s->backup != NULL) {
            if (rename(s->backup, s->target) == 0) {
                free(s->backup);
                s->backup = NULL;
            }
        } else if (!s->had_old) {
            unlink(s->target);
        }
        s->is_renamed = false;
    }
}

static void sync_dir_of(const char *target) {
    char *dir = dir_of(target);
    const int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

static bm_status commit_files(bm_output_txn *t, bm_error *err) {
    bm_status st = BM_OK;
    for (size_t i = 0; i < t->n_items && st == BM_OK; i++) {
        if (t->items[i].kind == T_FILE)
            st = name_temp(t, &t->items[i], err);
    }
    /* A hard link keeps each previous file, so that a later failure can put it back. */
    for (size_t i = 0; i < t->n_items && st == BM_OK; i++) {
        staged *s = &t->items[i];
        if (s->kind != T_FILE || !s->had_old)
            continue;
        for (int attempt = 0; attempt < 100 && s->backup == NULL; attempt++) {
            char *name = str_printf("%s" BACKUP_TAG "%ld.%d", s->target, (long)getpid(), attempt);
            if (name == NULL)
                return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
            if (link(s->target, name) == 0) {
                s->backup = name;
                break;
            }
            free(name);
            if (errno != EEXIST)
                break; /* no hard links here: this one cannot be undone */
        }
    }
    /* Files that cannot be undone go last, so a failure before them changes nothing. */
    for (int pass = 0; pass < 2 && st == BM_OK; pass++) {
        for (size_t i = 0; i < t->n_items && st == BM_OK; i++) {
            staged *s = &t->items[i];
            if (s->kind != T_FILE || (pass == 0) != (s->backup != NULL || !s->had_old))
                continue;
            if (rename(s->temp, s->target) != 0) {
                st = bm_error_set(err, BM_ERR_IO, "cannot replace '%s': %s", s->path,
                                  strerror(errno));
                break;
            }
            s->is_renamed = true;
            if (t->hooks.on_temp != NULL)
                t->hooks.on_temp(t->hooks.user, s->temp, false);
            free(s->temp);
            s->temp = NULL;
        }
    }
    if (st != BM_OK) {
        roll_back(t);
        return st;
    }
    for (size_t i = 0; i < t->n_items; i++) {
        staged *s = &t->items[i];
        if (s->backup != NULL)
            unlink(s->backup);
        free(s->backup);
        s->backup = NULL;
        if (s->kind == T_FILE)
            sync_dir_of(s->target);
    }
    return BM_OK;
}

bm_status bm_output_txn_commit(bm_output_txn *t, bm_error *err) {
    if (t->is_done)
        return bm_error_set(err, BM_ERR_INVALID, "the outputs were already written");
    t->is_done = true;
    if (t->hooks.should_stop != NULL && t->hooks.should_stop(t->hooks.user))
        return bm_error_set(err, BM_ERR_INVALID, "stopped before writing any output");
    /* Streams first: they cannot be undone, and a FIFO may wait for its reader (with signals
     * still open to the user). A stream that fails leaves every file untouched. */
    for (size_t i = 0; i < t->n_items; i++) {
        staged *s = &t->items[i];
        if (s->kind == T_FILE)
            continue;
        int fd = s->fd;
        if (s->kind == T_STREAM)
            fd = open(s->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        const bool ok = fd >= 0 && write_fully(fd, s->data.data, s->data.len);
        const int e = errno;
        if (s->kind == T_STREAM && fd >= 0)
            close(fd);
        if (!ok) {
            bm_error_set(err, BM_ERR_IO, "cannot write '%s': %s", s->path, strerror(e));
            return err->status;
        }
    }
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    const bm_status st = commit_files(t, err);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return st;
}

bm_status bm_output_write_all(const bm_scene *scene, bm_text *text, const char *const *paths,
                              size_t n_paths, const bm_output_options *opts, bm_error *err) {
    bm_output_txn *t = bm_output_txn_new(NULL, err);
    if (t == NULL)
        return err->status;
    bm_status st = bm_output_txn_stage_maps(t, scene, text, paths, n_paths, opts, err);
    if (st == BM_OK)
        st = bm_output_txn_commit(t, err);
    bm_output_txn_free(t);
    return st;
}

bm_status bm_output_write_bytes(const char *path, const bm_buf *data, bm_error *err) {
    bm_output_txn *t = bm_output_txn_new(NULL, err);
    if (t == NULL)
        return err->status;
    bm_buf copy = BM_BUF_INIT(data->cap);
    bm_status st = bm_buf_append(&copy, data->data, data->len);
    if (st != BM_OK)
        bm_error_set(err, st, "out of memory");
    if (st == BM_OK)
        st = bm_output_txn_stage_take(t, path, &copy, err);
    if (st == BM_OK)
        st = bm_output_txn_commit(t, err);
    bm_buf_free(&copy);
    bm_output_txn_free(t);
    return st;
}

bool bm_output_is_marks_path(const char *path) {
    const size_t n = strlen(path);
    return (n >= 4 && strcmp(path + n - 4, ".csv") == 0) ||
           (n >= 5 && strcmp(path + n - 5, ".json") == 0);
}
