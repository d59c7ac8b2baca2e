/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "balmap.h"
#include "cli.h"

/* The length of the UTF-8 character at p (n bytes left) that a terminal may be shown: 0 for
 * invalid UTF-8 and for the C1 control characters U+0080-U+009F, which terminals may obey. */
static size_t printable_length(const unsigned char *p, size_t n) {
    const size_t len = p[0] < 0x80                   ? 1
                       : p[0] >= 0xC2 && p[0] < 0xE0 ? 2
                       : p[0] >= 0xE0 && p[0] < 0xF0 ? 3
                       : p[0] >= 0xF0 && p[0] < 0xF5 ? 4
                                                     : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if (len == 2 && p[0] == 0xC2 && p[1] < 0xA0)
        return 0;
    return len;
}

/* How many characters of a long line are shown around the column. */
#define EXCERPT_BEFORE 60
#define EXCERPT_CHARS  160

/* Prints the offending line and a caret under the column (jq, curl): at most EXCERPT_CHARS
 * characters around it ("..." where the line goes on), with control characters and invalid
 * UTF-8 shown as '?' so that a file cannot write to the terminal. Only for an error with a
 * column: a reader that cannot place the problem in a line of that kind of file (not JSON at
 * all, UTF-16) gives none, and no line of the file is shown. */
static void print_source_line(const char *path, int line, int column) {
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return; /* a FIFO read once already would block */
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return;
    bm_buf text = BM_BUF_INIT((size_t)1 << 20);
    int at = 1, ch;
    while (at < line && (ch = getc(f)) != EOF)
        at += ch == '\n';
    while (at == line && (ch = getc(f)) != EOF && ch != '\n') {
        const char c = (char)ch;
        if (bm_buf_append(&text, &c, 1) != BM_OK)
            break; /* a line over 1 MiB: its first MiB */
    }
    fclose(f);
    if (at != line || text.len == 0) { /* past the end, or an empty line: nothing to show */
        bm_buf_free(&text);
        return;
    }
    const unsigned char *p = (const unsigned char *)text.data;
    size_t n = text.len;
    if (n > 0 && p[n - 1] == '\r')
        n--;
    /* Byte offsets of the characters (an invalid byte is one), up to the end of the window. */
    size_t starts[EXCERPT_BEFORE + 1];
    size_t n_chars = 0, i = 0, first = 0;
    for (; i < n && n_chars + 1 < (size_t)column; n_chars++) {
        starts[n_chars % (EXCERPT_BEFORE + 1)] = i;
        const size_t k = printable_length(p + i, n - i);
        i += k > 0 ? k : 1;
    }
    /* A line of up to EXCERPT_CHARS characters is shown whole. */
    size_t n_line = n_chars;
    for (size_t b = i; b < n && n_line <= EXCERPT_CHARS; n_line++) {
        const size_t k = printable_length(p + b, n - b);
        b += k > 0 ? k : 1;
    }
    const bool is_cut = n_line > EXCERPT_CHARS && n_chars > EXCERPT_BEFORE;
    if (is_cut)
        first = starts[(n_chars - EXCERPT_BEFORE) % (EXCERPT_BEFORE + 1)];
    const size_t caret_chars = is_cut ? EXCERPT_BEFORE : n_chars;
    fputs(first > 0 ? "  ..." : "  ", stderr);
    size_t shown = 0;
    for (i = first; i < n && shown < EXCERPT_CHARS; shown++) {
        const size_t k = printable_length(p + i, n - i);
        if (k == 0 || (k == 1 && ((p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7F)))
            fputc('?', stderr);
        else
            fwrite(p + i, 1, k, stderr);
        i += k > 0 ? k : 1;
    }
    fputs(i < n ? "...\n  " : "\n  ", stderr);
    if (first > 0)
        fputs("   ", stderr);
    for (size_t c = 0, b = first; c < caret_chars && b < n; c++) {
        fputc(p[b] == '\t' ? '\t' : ' ', stderr);
        const size_t k = printable_length(p + b, n - b);
        b += k > 0 ? k : 1;
    }
    fputs("^\n", stderr);
    bm_buf_free(&text);
}

static void report(const char *severity, const bm_error *err) {
    fprintf(stderr, "balmap: %s", severity);
    if (err->file[0] != '\0') {
        fprintf(stderr, "%s:", err->file);
        if (err->line > 0) {
            fprintf(stderr, "%d:", err->line);
            if (err->column > 0)
                fprintf(stderr, "%d:", err->column);
        }
        fputc(' ', stderr);
    }
    if (err->pointer[0] != '\0')
        fprintf(stderr, "%s: ", err->pointer);
    fprintf(stderr, "%s\n", err->message[0] ? err->message : bm_status_name(err->status));
    if (err->status == BM_ERR_SYNTAX && err->file[0] != '\0' && err->line > 0 && err->column > 0)
        print_source_line(err->file, err->line, err->column);
    if (err->hint[0] != '\0')
        fprintf(stderr, "  hint: %s\n", err->hint);
}

void bm_report_error(const bm_error *err) {
    report("", err);
}

void bm_report_warning(const bm_error *err) {
    report(err->status == BM_OK ? "note: " : "warning: ", err); /* BM_OK: said, nothing wrong */
}

void bm_report_diags(const bm_diags *d) {
    for (size_t i = 0; i < d->n_items; i++) {
        if (d->items[i].severity == BM_SEV_ERROR)
            bm_report_error(&d->items[i].where);
        else
            bm_report_warning(&d->items[i].where);
    }
    const size_t n_total = d->n_errors + d->n_warnings;
    if (n_total > d->n_items)
        fprintf(stderr, "balmap: %zu more problems not shown\n", n_total - d->n_items);
}

int bm_exit_code(bm_status status) {
    switch (status) {
    case BM_OK:
        return BM_EXIT_OK;
    case BM_ERR_SYNTAX:
    case BM_ERR_INVALID:
    case BM_ERR_NOT_FOUND:
    case BM_ERR_AMBIGUOUS:
        return BM_EXIT_INPUT;
    case BM_ERR_NOMEM:
    case BM_ERR_IO:
    case BM_ERR_DEPENDENCY:
        return BM_EXIT_IO;
    }
    return BM_EXIT_IO;
}

int bm_cli_creation_date(const char *input_path, int64_t *out) {
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch != NULL && epoch[0] != '\0') {
        char *end = NULL;
        errno = 0;
        const long long v = strtoll(epoch, &end, 10);
        if (*end != '\0' || errno != 0 || v < 0 || v > BM_MAX_UNIX_S)
            return -1;
        *out = v;
        return 0;
    }
    struct stat sb;
    if (stat(input_path, &sb) == 0)
        *out = (int64_t)sb.st_mtime;
    return 0;
}

int bm_usage_error(const char *command, const char *usage, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "balmap %s: ", command);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    const size_t n = strlen(usage);
    fprintf(stderr, "\n%s%s", usage, n > 0 && usage[n - 1] == '\n' ? "" : "\n");
    return BM_EXIT_USAGE;
}

/* Paper sizes, landscape (maps here are wider than tall): ISO 216 and US letter, in mm. */
int bm_cli_parse_paper(const char *name, double *w_mm, double *h_mm) {
    static const struct {
        const char *name;
        double long_mm, short_mm;
    } papers[] = {{"A3", 420, 297}, {"A4", 297, 210}, {"A5", 210, 148}, {"letter", 279.4, 215.9}};
    for (size_t i = 0; i < sizeof papers / sizeof papers[0]; i++) {
        const size_t n = strlen(papers[i].name);
        if (strncasecmp(name, papers[i].name, n) != 0)
            continue;
        if (name[n] == '\0' || strcasecmp(name + n, "-landscape") == 0) {
            *w_mm = papers[i].long_mm;
            *h_mm = papers[i].short_mm;
            return 0;
        }
        if (strcasecmp(name + n, "-portrait") == 0) {
            *w_mm = papers[i].short_mm;
            *h_mm = papers[i].long_mm;
            return 0;
        }
    }
    if (strcasecmp(name, "phone") == 0) { /* a phone-width web image (docs/web.md) */
        *w_mm = BM_PHONE_W_MM;
        *h_mm = BM_PHONE_H_MM;
        return 0;
    }
    double w, h;
    char unit[8] = "", extra;
    if (sscanf(name, "%lfx%lf%7[a-z]%c", &w, &h, unit, &extra) != 3 || strcmp(unit, "mm") != 0)
        return -1;
    if (!(w >= BM_PAPER_MIN_MM && w <= BM_PAPER_MAX_MM && h >= BM_PAPER_MIN_MM &&
          h <= BM_PAPER_MAX_MM))
        return -2;
    *w_mm = w;
    *h_mm = h;
    return 0;
}

void bm_cli_paper_pixels(double w_mm, double h_mm, double *dpi, double *w_px, double *h_px) {
    if (*dpi <= 0) /* the phone page is drawn 1080 px wide (266 dpi), others at 150 dpi */
        *dpi = w_mm == BM_PHONE_W_MM && h_mm == BM_PHONE_H_MM ? 1080 / (BM_PHONE_W_MM / 25.4) : 150;
    *w_px = w_mm / 25.4 * *dpi;
    *h_px = h_mm / 25.4 * *dpi;
}
