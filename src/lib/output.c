/* SPDX-License-Identifier: MIT */
#include "output.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

static void png_to_buf(png_structp png, png_bytep data, png_size_t length) {
    if (bm_buf_append(png_get_io_ptr(png), data, length) != BM_OK)
        png_error(png, "out of memory");
}

static void png_flush_nothing(png_structp png) {
    (void)png;
}

/* libpng rather than cairo_surface_write_to_png: Cairo's fixed zlib level takes about 80 ms
 * for 1600x1200, and it writes neither the resolution (pHYs) nor a title. */
static bm_status encode_png(cairo_surface_t *img, const bm_scene *scene, double dpi, bm_buf *out,
                            bm_error *err) {
    const int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    const int stride = cairo_image_surface_get_stride(img);
    const unsigned char *px = cairo_image_surface_get_data(img);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    unsigned char *row = malloc((size_t)w * 3);
    /* libpng wants writable strings; made before setjmp so the error path can free them. */
    char *title = strdup(bm_scene_title(scene)), *desc = strdup(bm_scene_description(scene));
    if (png == NULL || info == NULL || row == NULL || title == NULL || desc == NULL) {
        png_destroy_write_struct(&png, &info);
        free(row);
        free(title);
        free(desc);
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        free(title);
        free(desc);
        return bm_error_set(err, BM_ERR_NOMEM, "PNG encoding failed");
    }
    png_set_write_fn(png, out, png_to_buf, png_flush_nothing);
    /* Flat map colours compress best unfiltered: level 1 without filters measured 180 ms and
     * 363 KB for the example at 1600x1200, against 260 ms and 418 KB with adaptive filters. */
    png_set_compression_level(png, 1);
    png_set_filter(png, 0, PNG_FILTER_NONE);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    const png_uint_32 ppm = (png_uint_32)(dpi / 0.0254 + 0.5);
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    char key_title[] = "Title", key_desc[] = "Description", key_soft[] = "Software";
    char soft[] = "balmap";
    png_text texts[3];
    memset(texts, 0, sizeof texts);
    texts[0].compression = PNG_ITXT_COMPRESSION_NONE; /* iTXt: UTF-8 */
    texts[0].key = key_title;
    texts[0].text = title;
    texts[1].compression = PNG_ITXT_COMPRESSION_NONE;
    texts[1].key = key_desc;
    texts[1].text = desc;
    texts[2].compression = PNG_TEXT_COMPRESSION_NONE;
    texts[2].key = key_soft;
    texts[2].text = soft;
    png_set_text(png, info, texts, 3);
    png_write_info(png, info);
    free(title);
    free(desc);
    for (int y = 0; y < h; y++) {
        const uint32_t *src = (const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; x++) {
            const uint32_t p = src[x]; /* CAIRO_FORMAT_RGB24: 0x00RRGGBB in native order */
            row[3 * x] = (unsigned char)(p >> 16);
            row[3 * x + 1] = (unsigned char)(p >> 8);
            row[3 * x + 2] = (unsigned char)p;
        }
        png_write_row(png, row);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
    return BM_OK;
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
        surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(w_mm * scale + 0.5),
                                             (int)(h_mm * scale + 0.5));
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
    bm_status st = bm_render_scene(scene, text, cr, err);
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
