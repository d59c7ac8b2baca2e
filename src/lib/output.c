/* SPDX-License-Identifier: MIT */
/* O_TMPFILE (Linux): staged outputs that leave nothing behind even after SIGKILL. */
#define _GNU_SOURCE
#include "output.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bm_buf.h"
#include "render.h"

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
    }
    bm_error_set(err, BM_ERR_INVALID, "unknown output format '%s'; expected one of: png, svg, pdf",
                 dot && (slash == NULL || dot > slash) ? dot + 1 : path);
    bm_error_hint(err, "name the output file with a .png, .svg or .pdf extension");
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

/* Cairo numbers SVG surfaces ("surface469") with a process-wide counter, so the second map a
 * process draws would differ from the first; renumber them in order of appearance. */
static bm_status renumber_svg_surfaces(bm_buf *svg) {
    bm_buf out = BM_BUF_INIT(svg->cap);
    unsigned long *seen = NULL;
    size_t n_seen = 0, n_alloc = 0;
    bm_status st = BM_OK;
    const char *p = bm_buf_str(svg), *end = p + svg->len;
    while (p < end && st == BM_OK) {
        const char *hit = strstr(p, "surface");
        if (hit == NULL || hit >= end) {
            st = bm_buf_append(&out, p, (size_t)(end - p));
            break;
        }
        st = bm_buf_append(&out, p, (size_t)(hit - p + 7));
        p = hit + 7;
        if (*p < '0' || *p > '9')
            continue;
        char *after;
        const unsigned long id = strtoul(p, &after, 10);
        size_t k = 0;
        while (k < n_seen && seen[k] != id)
            k++;
        if (k == n_seen) {
            st = bm_grow((void **)&seen, &n_alloc, n_seen + 1, sizeof *seen);
            if (st != BM_OK)
                break;
            seen[n_seen++] = id;
        }
        if (st == BM_OK)
            st = bm_buf_printf(&out, "%zu", k + 1);
        p = after;
    }
    free(seen);
    if (st == BM_OK) {
        bm_buf_free(svg);
        *svg = out;
    } else {
        bm_buf_free(&out);
    }
    return st;
}

/* The SVG gets a <title> and <desc> right after its root element (Cairo writes neither). */
static bm_status add_svg_metadata(const bm_buf *svg, const bm_scene *scene, bm_buf *out) {
    const char *root = strstr(bm_buf_str(svg), "<svg");
    const char *end = root ? strchr(root, '>') : NULL;
    if (end == NULL)
        return bm_buf_append(out, svg->data, svg->len);
    bm_status st = bm_buf_append(out, svg->data, (size_t)(end + 1 - svg->data));
    const char *parts[2] = {bm_scene_title(scene), bm_scene_description(scene)};
    const char *tags[2] = {"title", "desc"};
    for (int k = 0; k < 2 && st == BM_OK; k++) {
        st = bm_buf_printf(out, "\n<%s>", tags[k]);
        for (const char *p = parts[k]; *p && st == BM_OK; p++) {
            if (*p == '<')
                st = bm_buf_appends(out, "&lt;");
            else if (*p == '>')
                st = bm_buf_appends(out, "&gt;");
            else if (*p == '&')
                st = bm_buf_appends(out, "&amp;");
            else
                st = bm_buf_append(out, p, 1);
        }
        if (st == BM_OK)
            st = bm_buf_printf(out, "</%s>", tags[k]);
    }
    if (st == BM_OK)
        st = bm_buf_append(out, end + 1, svg->len - (size_t)(end + 1 - svg->data));
    return st;
}

static bm_status render_to_buf(const bm_scene *scene, bm_text *text, bm_format format,
                               const bm_output_options *opts, bm_buf *out, bm_error *err) {
    const double w_mm = bm_scene_width_mm(scene), h_mm = bm_scene_height_mm(scene);
    cairo_surface_t *surface = NULL;
    double scale;
    bm_buf raw = BM_BUF_INIT((size_t)1 << 30);
    switch (format) {
    case BM_FORMAT_PNG:
        scale = opts->dpi / MM_PER_INCH;
        surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(w_mm * scale + 0.5),
                                             (int)(h_mm * scale + 0.5));
        break;
    case BM_FORMAT_SVG:
        scale = PT_PER_INCH / MM_PER_INCH;
        surface = cairo_svg_surface_create_for_stream(to_buf, &raw, w_mm * scale, h_mm * scale);
        cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_1);
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
        bm_buf_free(&raw);
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
    if (st == BM_OK && format == BM_FORMAT_SVG)
        st = renumber_svg_surfaces(&raw);
    if (st == BM_OK && format == BM_FORMAT_SVG)
        st = add_svg_metadata(&raw, scene, out);
    bm_buf_free(&raw);
    return st;
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
