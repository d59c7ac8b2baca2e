/* SPDX-License-Identifier: MIT */
/* cmd_render.c - `balmap render`: options into a bm_render_request, one call, report. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "balmap.h"
#include "cli.h"
#include "options.h"
#include "signals.h"
#include "stamp.h"

#ifndef BM_VERSION
#define BM_VERSION "0.0.0"
#endif

static const char usage[] =
    "usage: balmap render FILE|- -o OUTPUT.png|.svg|.pdf|.html|- [options]\n";

static void print_help(void) {
    fputs(usage, stdout);
    fputs("\nDraws the claims in an incident file (docs/incident-format.md) on a map of\n"
          "Balochistan: one circle per claim and source, area proportional to the number.\n\n"
          "options:\n",
          stdout);
    bm_cli_print_options(stdout);
    fputs("\nFILE - reads the incident file from standard input (json unless --input-format).\n"
          "-o - writes the map to standard output, only once everything has succeeded; a\n"
          "file named like '-.png' is written -o ./-.png.\n",
          stdout);
    fputs("\nPDF creation dates come from SOURCE_DATE_EPOCH, else the incident file's time, so "
          "the\nsame inputs give byte-identical files.\n\n"
          "exit codes: 0 ok, 1 input refused, 2 usage error, 3 I/O or library failure\n",
          stdout);
}

/* "balmap render: <problem>" and the one-line usage on stderr; returns exit code 2. */
#define usage_error(...) bm_usage_error("render", usage, __VA_ARGS__)

/* Makes the folders an output goes into, as `mkdir -p` would (batch makes its own). Prints
 * the problem and returns false when one cannot be made. */
/* The folders render made, to take away again if no map is written (a failed render leaves
 * nothing behind, not even empty folders). */
#define MAX_MADE_DIRS 64
typedef struct made_dirs {
    char *paths[MAX_MADE_DIRS];
    size_t n;
} made_dirs;

static bool make_parent_dirs(const char *output, made_dirs *made) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s", output) >= (int)sizeof path)
        return true; /* too long to be made here; writing it will say so */
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        struct stat sb;
        if (stat(path, &sb) != 0) {
            if (mkdir(path, 0777) != 0 && errno != EEXIST) {
                fprintf(stderr, "balmap: cannot make the folder '%s' for '%s': %s\n", path, output,
                        strerror(errno));
                return false;
            }
            if (made->n < MAX_MADE_DIRS && (made->paths[made->n] = strdup(path)) != NULL)
                made->n++;
        }
        *p = '/';
    }
    return true;
}

/* Removes the folders made (deepest first) when is_failed, which rmdir does only while they are
 * empty; frees the list either way. */
static void unmake_dirs(made_dirs *made, bool is_failed) {
    while (made->n > 0) {
        char *p = made->paths[--made->n];
        if (is_failed)
            rmdir(p);
        free(p);
    }
}

static void on_warning(void *user, const bm_error *w) {
    const int *is_quiet = user;
    if (!*is_quiet)
        bm_report_warning(w);
}

int cmd_render(int argc, char **argv) {
    struct option longs[BM_CLI_MAX_OPTIONS + 1];
    char shorts[3 * BM_CLI_MAX_OPTIONS + 2];
    bm_cli_getopt_tables(longs, shorts);
    bm_cli_opts o;
    bm_cli_opts_init(&o);
    bm_render_request *req = &o.req;
    char msg[700];
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        if (c == ':')
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        const bm_cli_option *opt = bm_cli_option_by_code(c);
        if (opt == NULL)
            return usage_error("unknown option '%s'", argv[optind - 1]);
        if (opt->kind == BM_OPT_HELP) {
            print_help();
            return BM_EXIT_OK;
        }
        char who[64];
        snprintf(who, sizeof who, "--%s", opt->name);
        if (!bm_cli_option_set(&o, opt, who, optarg != NULL ? optarg : "true", msg, sizeof msg))
            return usage_error("%s", msg);
    }
    if (!bm_cli_opts_finish(&o, false, msg, sizeof msg))
        return usage_error("%s", msg);
    if (optind >= argc)
        return usage_error("missing the incident file");
    if (optind + 1 < argc)
        return usage_error("one incident file at a time; got also '%s'", argv[optind + 1]);
    if (req->n_outputs == 0 && req->scene_path == NULL)
        return usage_error("no output given; add -o map.png (or .svg, .pdf, .html)");
    const bool is_stdin = strcmp(argv[optind], "-") == 0;
    if (o.is_if_changed && (is_stdin || o.has_stdout))
        return usage_error("--if-changed needs files: it cannot tell whether standard input "
                           "changed or skip writing standard output");
    int is_quiet = o.is_quiet ? 1 : 0;
    req->input_path = is_stdin ? "<stdin>" : argv[optind];
    req->data_dir = bm_cli_data_dir(o.data_dir);
    req->creator = "balmap " BM_VERSION;
    req->warn = on_warning;
    req->warn_user = &is_quiet;
    /* Reproducible PDFs: SOURCE_DATE_EPOCH (reproducible-builds.org), else the input's mtime. */
    if (bm_cli_creation_date(req->input_path, &req->created_unix_s) != 0)
        return usage_error("SOURCE_DATE_EPOCH must be whole seconds from 0 to %lld, got '%s'",
                           (long long)BM_MAX_UNIX_S, getenv("SOURCE_DATE_EPOCH"));
    uint64_t stamp = 0;
    char why[700];
    const bool has_stamp =
        o.is_if_changed && bm_stamp_compute(req, BM_VERSION, &stamp, why, sizeof why);
    if (has_stamp && bm_stamp_is_current(req, stamp)) {
        if (!is_quiet) {
            fputs("balmap: skipped, inputs unchanged since the last render:", stderr);
            for (size_t i = 0; i < req->n_outputs; i++)
                fprintf(stderr, " %s", req->outputs[i]);
            fputc('\n', stderr);
        }
        return BM_EXIT_OK;
    }
    made_dirs made = {0};
    for (size_t i = 0; i < req->n_outputs; i++)
        if (strcmp(req->outputs[i], "-") != 0 && !make_parent_dirs(req->outputs[i], &made)) {
            unmake_dirs(&made, true);
            return BM_EXIT_IO;
        }
    bm_buf input = BM_BUF_INIT(BM_CLI_MAX_STDIN_BYTES), piped = BM_BUF_INIT((size_t)1 << 30);
    if (is_stdin) {
        if (bm_cli_read_stdin(&input) != 0) {
            bm_buf_free(&input);
            unmake_dirs(&made, true);
            return BM_EXIT_IO;
        }
        req->input_text = bm_buf_str(&input);
        req->input_len = input.len;
    }
    req->piped = o.has_stdout ? &piped : NULL;
    bm_diags diags = {0};
    req->diags = &diags;
    /* Named temporary files (where O_TMPFILE is missing) are removed if we are interrupted. */
    static const bm_output_hooks hooks = {bm_cli_on_temp, NULL, NULL, false};
    req->output_hooks = &hooks;
    bm_cli_signals_install();
    bm_error err = {0};
    const bm_status st = bm_render(req, &err);
    unmake_dirs(&made, st != BM_OK);
    /* The stamp must describe the inputs the map was made from (as batch does): hashed again
     * after the render, a change while it ran leaves no stamp, so the next run renders again,
     * instead of the old stamp beside a map of the new inputs. */
    uint64_t after = 0;
    const bool has_changed =
        st == BM_OK && has_stamp &&
        (!bm_stamp_compute(req, BM_VERSION, &after, why, sizeof why) || after != stamp);
    if (st == BM_OK && (!has_stamp || has_changed))
        bm_stamp_remove(req);
    if (has_changed && !is_quiet)
        fprintf(stderr, "balmap: warning: the inputs changed while the map was rendered; no "
                        "stamp written, the next --if-changed run renders again\n");
    else if (st == BM_OK && has_stamp && !bm_stamp_write(req, stamp, why, sizeof why) && !is_quiet)
        fprintf(stderr, "balmap: warning: %s; the next --if-changed run renders again\n", why);
    if (diags.n_items > 0 && (!is_quiet || diags.n_errors > 0))
        bm_report_diags(&diags);
    if (st != BM_OK && diags.n_errors == 0)
        bm_report_error(&err);
    else if (st != BM_OK && diags.n_errors > 1) /* all listed above; then how many */
        fprintf(stderr, "balmap: %s: %zu error%s listed above; no map written\n", req->input_path,
                diags.n_errors, diags.n_errors == 1 ? "" : "s");
    bm_diags_free(&diags);
    bm_buf_free(&input);
    int rc = bm_exit_code(st);
    /* Standard output only now that every file has been written. */
    if (st == BM_OK && o.has_stdout &&
        (fwrite(piped.data, 1, piped.len, stdout) != piped.len || fflush(stdout) != 0)) {
        fprintf(stderr, "balmap: cannot write the map to standard output: %s\n", strerror(errno));
        rc = BM_EXIT_IO;
    }
    bm_buf_free(&piped);
    return rc;
}
