/* SPDX-License-Identifier: MIT */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS and MADV_HUGEPAGE for the raster (png_surface_new) */
#include "output.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

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
static void unmap_pixels(void *data) {
    size_t *block = (size_t *)data - 8; /* the mapping's length is kept 64 bytes before */
    munmap(block, *block);
}

static cairo_surface_t *png_surface_new(int w, int h) {
    const int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, w);
    if (w <= 0 || h <= 0 || stride <= 0)
        return cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h); /* Cairo's error */
    const size_t huge = (size_t)2 << 20;
    const size_t len = ((size_t)stride * (size_t)h + 64 + huge - 1) / huge * huge;
    void *block = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (block == MAP_FAILED)
        return cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
#ifdef MADV_HUGEPAGE
    madvise(block, len, MADV_HUGEPAGE); /* advice only: without it, ordinary pages */
#endif
    *(size_t *)block = len;
    unsigned char *px = (unsigned char *)block + 64;
    cairo_surface_t *s = cairo_image_surface_create_for_data(px, CAIRO_FORMAT_RGB24, w, h, stride);
    static const cairo_user_data_key_t key;
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
        cairo_surface_set_user_data(s, &key, px, unmap_pixels) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        munmap(block, len);
        return cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    }
    return s;
}

/* An image is read at one image pixel per CSS pixel, 96 to the inch: text set smaller than
 * 7 pt there (9.3 px) is refused, with the width that would make it readable. SVG, PDF and
 * the page's SVG scale with the reader's zoom and are not held to it. */
#define MIN_TEXT_PT   7.0
#define CSS_PX_PER_IN 96.0

static bm_status check_png_text(const bm_scene *scene, double dpi, bm_error *err) {
    const bm_mark *smallest = NULL;
    for (size_t i = 0; i < bm_scene_n_marks(scene); i++) {
        const bm_mark *m = bm_scene_mark(scene, i);
        if (m->kind == BM_MARK_TEXT && m->text != NULL && m->text[0] != '\0' &&
            (m->fill_rgba & 0xFF) != 0 &&
            (smallest == NULL || m->spec.size_pt < smallest->spec.size_pt))
            smallest = m;
    }
    if (smallest == NULL)
        return BM_OK;
    const double px = smallest->spec.size_pt / PT_PER_INCH * dpi;
    const double min_px = MIN_TEXT_PT / PT_PER_INCH * CSS_PX_PER_IN;
    if (px >= min_px - 1e-9)
        return BM_OK;
    const double w_px = bm_scene_width_mm(scene) / MM_PER_INCH * dpi;
    const double need_w_px = ceil(w_px * min_px / px);
    bm_error_set(
        err, BM_ERR_INVALID,
        "at %.0f px wide the map's smallest text ('%s', %.1f pt on the %.0f mm page) would "
        "be %.1f px high, under 7 pt (%.1f px) at 96 px per inch",
        w_px, smallest->role, smallest->spec.size_pt, bm_scene_width_mm(scene), px, min_px);
    bm_error_hint(err,
                  "make the PNG at least %.0f px wide (--width, --height), use --size phone for a "
                  "phone-width image, or write SVG or PDF, which scale",
                  need_w_px);
    return err->status;
}

static bm_status render_to_buf(const bm_scene *scene, bm_text *text, bm_format format,
                               const bm_output_options *opts, bm_buf *out, bm_error *err) {
    const double w_mm = bm_scene_width_mm(scene), h_mm = bm_scene_height_mm(scene);
    cairo_surface_t *surface = NULL;
    double scale;
    if (format == BM_FORMAT_PNG && check_png_text(scene, opts->dpi, err) != BM_OK)
        return err->status;
    if (format == BM_FORMAT_SVG) {
        /* balmap's own writer: live text and named layers (Cairo's outlines every glyph) */
        const bm_svg_options svg_opts = {opts->incidents, false};
        return bm_svg_write(scene, text, &svg_opts, out, err);
    }
    if (format == BM_FORMAT_HTML) {
        const bm_html_options html_opts = {opts->incidents, opts->creator};
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

/* Writes data into a new file beside `path` and returns its name in tmp (caller frees). */
static bm_status write_temp(const char *path, const bm_buf *data, char **tmp_out, bm_error *err) {
    const size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    int fd = -1;
    if (tmp == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(tmp, n, "%s.tmp%ld.%d", path, (long)getpid(), attempt);
        /* 0666 so that the umask applies, as for any file the user creates. */
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        bm_error_set(err, BM_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
        bm_error_hint(err, "check that the directory exists and is writable");
        free(tmp);
        return err->status;
    }
    size_t done = 0;
    while (done < data->len) {
        const ssize_t w = write(fd, data->data + done, data->len - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        done += (size_t)w;
    }
    const int saved = errno;
    const bool is_synced = done == data->len && fsync(fd) == 0;
    const int sync_errno = errno;
    const bool is_closed = close(fd) == 0; /* always, so no descriptor leaks */
    if (!is_synced || !is_closed) {
        bm_error_set(err, BM_ERR_IO, "cannot write '%s': %s", path,
                     strerror(done < data->len ? saved
                              : !is_synced     ? sync_errno
                                               : errno));
        bm_error_hint(err, "check the free space on the disk");
        unlink(tmp);
        free(tmp);
        return err->status;
    }
    *tmp_out = tmp;
    return BM_OK;
}

bm_status bm_output_write_all(const bm_scene *scene, bm_text *text, const char *const *paths,
                              size_t n_paths, const bm_output_options *opts, bm_error *err) {
    bm_buf *data = calloc(n_paths + 1, sizeof *data);
    char **tmps = calloc(n_paths + 1, sizeof *tmps);
    bm_status st = BM_OK;
    if (data == NULL || tmps == NULL) {
        st = bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* Everything is rendered and written under temporary names first; only when every file
     * is complete are they renamed, so one failure changes none of the previous maps. */
    for (size_t i = 0; i < n_paths && st == BM_OK; i++) {
        bm_format format;
        data[i] = (bm_buf)BM_BUF_INIT((size_t)1 << 30);
        st = bm_format_from_path(paths[i], &format, err);
        if (st == BM_OK)
            st = render_to_buf(scene, text, format, opts, &data[i], err);
    }
    for (size_t i = 0; i < n_paths && st == BM_OK; i++)
        st = write_temp(paths[i], &data[i], &tmps[i], err);
    for (size_t i = 0; i < n_paths && st == BM_OK; i++) {
        if (rename(tmps[i], paths[i]) != 0)
            st = bm_error_set(err, BM_ERR_IO, "cannot replace '%s': %s", paths[i], strerror(errno));
        else {
            free(tmps[i]);
            tmps[i] = NULL;
        }
    }
done:
    for (size_t i = 0; tmps && i < n_paths; i++) {
        if (tmps[i] != NULL)
            unlink(tmps[i]);
        free(tmps[i]);
    }
    for (size_t i = 0; data && i < n_paths; i++)
        bm_buf_free(&data[i]);
    free(tmps);
    free(data);
    return st;
}

bm_status bm_output_write_bytes(const char *path, const bm_buf *data, bm_error *err) {
    char *tmp = NULL;
    if (write_temp(path, data, &tmp, err) != BM_OK)
        return err->status;
    bm_status st = BM_OK;
    if (rename(tmp, path) != 0) {
        st = bm_error_set(err, BM_ERR_IO, "cannot replace '%s': %s", path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return st;
}
