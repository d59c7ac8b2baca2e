/* SPDX-License-Identifier: MIT */
/* stamp.c - what a map is made from, hashed, and kept beside each output (stamp.h). */
#include "stamp.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"

#define STAMP_SUFFIX ".balmap-stamp"
#define FNV_OFFSET   UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME    UINT64_C(0x100000001b3)

/* FNV-1a, 64 bits (Fowler, Noll, Vo): not cryptographic, which a change check does not need;
 * hashing the ~450 KB of shapes takes about a millisecond. */
static uint64_t fnv1a(uint64_t h, const void *bytes, size_t n) {
    const unsigned char *p = bytes;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    return h;
}

/* A string with its terminating NUL, so "ab","c" and "a","bc" hash differently. */
static uint64_t hash_str(uint64_t h, const char *s) {
    return fnv1a(h, s != NULL ? s : "(none)", strlen(s != NULL ? s : "(none)") + 1);
}

/* The role of a file, then its bytes and length. */
static bool hash_file(uint64_t *h, const char *role, const char *path, char *why, size_t why_size) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(why, why_size, "cannot read '%s': %s", path, strerror(errno));
        return false;
    }
    uint64_t v = hash_str(*h, role);
    unsigned char chunk[65536];
    uint64_t n_total = 0;
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        v = fnv1a(v, chunk, n);
        n_total += n;
    }
    const bool ok = !ferror(f);
    fclose(f);
    if (!ok) {
        snprintf(why, why_size, "cannot read '%s'", path);
        return false;
    }
    *h = fnv1a(v, &n_total, sizeof n_total);
    return true;
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every *.fgb and *.bms (packed, what render reads) file in dir, in name order (readdir's order is
 * the file system's). */
static bool hash_fgb_files(uint64_t *h, const char *dir, char *why, size_t why_size) {
    DIR *d = opendir(dir);
    if (d == NULL) {
        snprintf(why, why_size, "cannot list '%s': %s", dir, strerror(errno));
        return false;
    }
    char **names = NULL;
    size_t n_names = 0, n_alloc = 0;
    bool ok = true;
    const struct dirent *e;
    while (ok && (e = readdir(d)) != NULL) {
        const size_t n = strlen(e->d_name);
        if (n < 5 ||
            (strcmp(e->d_name + n - 4, ".fgb") != 0 && strcmp(e->d_name + n - 4, ".bms") != 0))
            continue;
        char *copy = malloc(n + 1);
        if (copy == NULL ||
            bm_grow((void **)&names, &n_alloc, n_names + 1, sizeof *names) != BM_OK) {
            free(copy);
            snprintf(why, why_size, "out of memory");
            ok = false;
            break;
        }
        memcpy(copy, e->d_name, n + 1);
        names[n_names++] = copy;
    }
    closedir(d);
    if (n_names > 0)
        qsort(names, n_names, sizeof *names, compare_names);
    bm_buf path = BM_BUF_INIT(8192);
    for (size_t i = 0; ok && i < n_names; i++) {
        bm_buf_reset(&path);
        ok = bm_buf_printf(&path, "%s/%s", dir, names[i]) == BM_OK &&
             hash_file(h, names[i], bm_buf_str(&path), why, why_size);
    }
    bm_buf_free(&path);
    for (size_t i = 0; i < n_names; i++)
        free(names[i]);
    free(names);
    return ok;
}

/* A layer "path[:field]" (split as map.c does): the file, and for a shapefile the files beside
 * it that hold its attributes, index and projection. */
static bool hash_layer(uint64_t *h, const char *spec, char *why, size_t why_size) {
    bm_buf path = BM_BUF_INIT(8192);
    bool ok = bm_buf_appends(&path, spec) == BM_OK;
    char *colon = ok ? strrchr(path.data, ':') : NULL;
    if (colon != NULL && strchr(colon, '/') == NULL) {
        *colon = '\0';
        *h = hash_str(*h, colon + 1);
        path.len = (size_t)(colon - path.data);
    }
    ok = ok && hash_file(h, "layer", path.data, why, why_size);
    const char *dot = ok ? strrchr(path.data, '.') : NULL;
    if (dot != NULL && (strcmp(dot, ".shp") == 0 || strcmp(dot, ".SHP") == 0)) {
        static const char *const sidecars[] = {".dbf", ".shx", ".prj", ".cpg"};
        const size_t stem = (size_t)(dot - path.data);
        for (size_t i = 0; ok && i < sizeof sidecars / sizeof sidecars[0]; i++) {
            path.len = stem;
            path.data[stem] = '\0';
            if (bm_buf_appends(&path, sidecars[i]) != BM_OK) {
                ok = false;
                break;
            }
            if (access(path.data, F_OK) == 0)
                ok = hash_file(h, sidecars[i], path.data, why, why_size);
        }
    }
    bm_buf_free(&path);
    return ok;
}

/* One option's value in the request, as the table describes it (options.h). */
static bool hash_option(uint64_t *h, const bm_cli_option *opt, const bm_render_request *req,
                        const char *dir, bm_buf *b, char *why, size_t why_size) {
    /* Fields are offsets in a bm_cli_opts, whose first member is the request. */
    _Static_assert(offsetof(bm_cli_opts, req) == 0, "the request is a bm_cli_opts' start");
    const bool is_in_request = opt->field < sizeof(bm_render_request);
    const void *at = (const char *)req + (is_in_request ? opt->field : 0);
    bm_buf_reset(b);
    if (!is_in_request && opt->kind != BM_OPT_WORD && opt->kind != BM_OPT_PAPER &&
        opt->kind != BM_OPT_PATHS)
        return true; /* not in the request: nothing to hash, and the stamp test fails */
    switch (opt->kind) {
    case BM_OPT_FLAG:
        bm_buf_printf(b, "%s=%d", opt->name, *(const bool *)at ? 1 : 0);
        break;
    case BM_OPT_NUMBER:
        bm_buf_printf(b, "%s=%.17g", opt->name, *(const double *)at);
        break;
    case BM_OPT_WORD: {
        const int i = opt->get_word(req);
        const char *w = opt->word(i);
        bm_buf_printf(b, "%s=%s(%d)", opt->name, w != NULL ? w : "", i);
        break;
    }
    case BM_OPT_TEXT:
    case BM_OPT_DATE: {
        const char *s = *(const char *const *)at;
        if (s != NULL)
            bm_buf_printf(b, "%s=%s", opt->name, s);
        else
            bm_buf_printf(b, "%s(none)", opt->name);
        break;
    }
    case BM_OPT_PAPER: /* sets width, height and dpi, which are hashed */
        return true;
    case BM_OPT_PATH: {
        /* The file's bytes; without one, the default file under the data dir. */
        const char *path = *(const char *const *)at;
        if (path != NULL)
            return hash_file(h, opt->name, path, why, why_size);
        if (opt->default_doc == NULL)
            return true;
        return bm_buf_printf(b, "%s/%s", dir, opt->default_doc) == BM_OK &&
               hash_file(h, opt->name, bm_buf_str(b), why, why_size);
    }
    case BM_OPT_PATHS: {
        const bool is_layer = opt->field == offsetof(bm_cli_opts, layers);
        const char *const *items = is_layer ? req->layers : req->gazetteer_files;
        const size_t n = is_layer ? req->n_layers : req->n_gazetteer_files;
        if (opt->field != offsetof(bm_cli_opts, layers) &&
            opt->field != offsetof(bm_cli_opts, gazetteers))
            break; /* unknown list: the stamp test fails */
        bool ok = true;
        *h = hash_str(*h, opt->name);
        for (size_t i = 0; ok && i < n; i++)
            ok = is_layer ? hash_layer(h, items[i], why, why_size)
                          : hash_file(h, opt->name, items[i], why, why_size);
        return ok;
    }
    case BM_OPT_HELP:
        return true;
    }
    *h = hash_str(*h, bm_buf_str(b));
    return true;
}

bool bm_stamp_compute(const bm_render_request *req, const char *version, uint64_t *out, char *why,
                      size_t why_size) {
    const char *dir = req->data_dir != NULL ? req->data_dir : ".";
    bm_buf b = BM_BUF_INIT(1 << 16);
    /* What is not an option: the version, the PDF creator and creation date. */
    bool has_pdf = false;
    for (size_t i = 0; i < req->n_outputs; i++) {
        bm_format f;
        has_pdf = has_pdf ||
                  (bm_format_from_path(req->outputs[i], &f, NULL) == BM_OK && f == BM_FORMAT_PDF);
    }
    bm_buf_printf(&b, "balmap %s|creator=%s|created=%" PRId64, version,
                  req->creator ? req->creator : "",
                  /* Only a PDF records its creation date. */
                  has_pdf ? req->created_unix_s : (int64_t)-1);
    uint64_t h = hash_str(FNV_OFFSET, bm_buf_str(&b));
    bool ok = hash_file(&h, "input", req->input_path, why, why_size);
    /* Every option that changes the picture, in table order. */
    for (size_t i = 0; ok && i < bm_cli_n_options; i++) {
        if (bm_cli_options[i].use == BM_USE_PICTURE)
            ok = hash_option(&h, &bm_cli_options[i], req, dir, &b, why, why_size);
    }
    bm_buf_reset(&b);
    ok = ok && bm_buf_printf(&b, "%s/shapes", dir) == BM_OK &&
         hash_fgb_files(&h, bm_buf_str(&b), why, why_size);
    bm_buf_reset(&b);
    ok = ok && bm_buf_printf(&b, "%s/shapes/gazetteer.tsv", dir) == BM_OK &&
         hash_file(&h, "gazetteer", bm_buf_str(&b), why, why_size);
    /* The map's words: English, which every language falls back to, and the map's language
     * (Urdu's too when place labels are Urdu). */
    const bool has_ur = req->lang == BM_LANG_UR || req->names != BM_NAMES_EN;
    for (int k = 0; ok && k < (has_ur ? 2 : 1); k++) {
        bm_buf_reset(&b);
        ok = bm_buf_printf(&b, "%s/lang/%s.tsv", dir, k == 0 ? "en" : "ur") == BM_OK &&
             hash_file(&h, "message file", bm_buf_str(&b), why, why_size);
    }
    bm_buf_free(&b);
    if (ok)
        *out = h;
    return ok;
}

static bool stamp_path(const char *output, bm_buf *out) {
    bm_buf_reset(out);
    return bm_buf_printf(out, "%s%s", output, STAMP_SUFFIX) == BM_OK;
}

bool bm_stamp_is_current(const bm_render_request *req, uint64_t hash) {
    if (req->n_outputs == 0)
        return false;
    if (req->scene_path != NULL && access(req->scene_path, F_OK) != 0)
        return false;
    char want[64];
    snprintf(want, sizeof want, "balmap-stamp 1 %016" PRIx64 "\n", hash);
    bm_buf path = BM_BUF_INIT(8192);
    bool is_current = true;
    for (size_t i = 0; is_current && i < req->n_outputs; i++) {
        struct stat sb;
        char got[64] = "";
        is_current = stat(req->outputs[i], &sb) == 0 && S_ISREG(sb.st_mode) &&
                     stamp_path(req->outputs[i], &path);
        FILE *f = is_current ? fopen(bm_buf_str(&path), "rb") : NULL;
        if (f != NULL) {
            const size_t n = fread(got, 1, sizeof got - 1, f);
            got[n] = '\0';
            fclose(f);
        }
        is_current = is_current && f != NULL && strcmp(got, want) == 0;
    }
    bm_buf_free(&path);
    return is_current;
}

/* Writes text to path through a temporary file beside it and a rename, so a reader never sees
 * a half-written stamp. Mode 0666 lets the umask decide, as output.c does for maps. */
static bool write_atomically(const char *path, const char *text, char *why, size_t why_size) {
    bm_buf tmp = BM_BUF_INIT(8192);
    int fd = -1;
    for (unsigned attempt = 0; fd < 0 && attempt < 100; attempt++) {
        bm_buf_reset(&tmp);
        if (bm_buf_printf(&tmp, "%s.%ld-%u.tmp", path, (long)getpid(), attempt) != BM_OK)
            break;
        fd = open(bm_buf_str(&tmp), O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        snprintf(why, why_size, "cannot create a temporary file beside '%s': %s", path,
                 strerror(errno));
        bm_buf_free(&tmp);
        return false;
    }
    const size_t n = strlen(text);
    bool ok = write(fd, text, n) == (ssize_t)n && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    ok = ok && rename(bm_buf_str(&tmp), path) == 0;
    if (!ok) {
        snprintf(why, why_size, "cannot write '%s': %s", path, strerror(errno));
        unlink(bm_buf_str(&tmp));
    }
    bm_buf_free(&tmp);
    return ok;
}

bool bm_stamp_write(const bm_render_request *req, uint64_t hash, char *why, size_t why_size) {
    char text[64];
    snprintf(text, sizeof text, "balmap-stamp 1 %016" PRIx64 "\n", hash);
    bm_buf path = BM_BUF_INIT(8192);
    bool ok = true;
    for (size_t i = 0; ok && i < req->n_outputs; i++)
        ok = stamp_path(req->outputs[i], &path) &&
             write_atomically(bm_buf_str(&path), text, why, why_size);
    bm_buf_free(&path);
    return ok;
}

void bm_stamp_remove(const bm_render_request *req) {
    bm_buf path = BM_BUF_INIT(8192);
    for (size_t i = 0; i < req->n_outputs; i++) {
        if (stamp_path(req->outputs[i], &path))
            unlink(bm_buf_str(&path));
    }
    bm_buf_free(&path);
}
