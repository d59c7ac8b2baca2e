/* SPDX-License-Identifier: MIT */
/* cmd_validate.c - `balmap validate FILE...`: lists every problem in incident files. */
#include <getopt.h>
#include <stdio.h>

#include "balmap.h"
#include "cli.h"

static const char usage[] = "usage: balmap validate [-q] FILE...";

static void print_help(FILE *out) {
    fprintf(out,
            "%s\n\n"
            "Checks incident files (docs/incident-format.md) and lists every problem found:\n"
            "errors with file:line:column and JSON pointer, warnings for unknown keys.\n\n"
            "options:\n"
            "  -q, --quiet  print problems only, not the one-line summary per file\n"
            "  -h, --help   show this help and exit\n\n"
            "exit codes:\n"
            "  0  every file is valid (warnings allowed)\n"
            "  1  some file has errors\n"
            "  2  usage error\n"
            "  3  some file cannot be read\n",
            usage);
}

static size_t count_claims(const bm_incidents *inc) {
    size_t n = 0;
    for (size_t i = 0; i < bm_incidents_n_incidents(inc); i++)
        n += bm_incidents_incident(inc, i)->n_claims;
    return n;
}

/* Checks one file; returns its exit code. */
static int validate_file(const char *path, int is_quiet) {
    bm_diags diags = {0};
    bm_error err = {0};
    bm_incidents *inc = bm_incidents_load(path, &diags, &err);
    bm_report_diags(&diags);
    int code = BM_EXIT_OK;
    if (inc == NULL)
        code = err.status == BM_ERR_IO ? BM_EXIT_IO : bm_exit_code(err.status);
    if (!is_quiet && err.status != BM_ERR_IO) {
        const size_t n_claims = inc != NULL ? count_claims(inc) : 0;
        if (inc != NULL)
            printf("%s: %zu claim%s from %zu source%s in %zu incident%s; ", path, n_claims,
                   n_claims == 1 ? "" : "s", bm_incidents_n_sources(inc),
                   bm_incidents_n_sources(inc) == 1 ? "" : "s", bm_incidents_n_incidents(inc),
                   bm_incidents_n_incidents(inc) == 1 ? "" : "s");
        else
            printf("%s: refused; ", path);
        printf("%zu error%s, %zu warning%s\n", diags.n_errors, diags.n_errors == 1 ? "" : "s",
               diags.n_warnings, diags.n_warnings == 1 ? "" : "s");
    }
    bm_incidents_free(inc);
    bm_diags_free(&diags);
    return code;
}

int cmd_validate(int argc, char **argv) {
    static const struct option options[] = {
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int is_quiet = 0;
    int opt;
    opterr = 0; /* our own one-line messages */
    optind = 1;
    while ((opt = getopt_long(argc, argv, "+qh", options, NULL)) != -1) {
        switch (opt) {
        case 'q':
            is_quiet = 1;
            break;
        case 'h':
            print_help(stdout);
            return BM_EXIT_OK;
        default:
            if (optopt != 0)
                fprintf(stderr, "balmap: validate: unknown option '-%c'\n", optopt);
            else
                fprintf(stderr, "balmap: validate: unknown option '%s'\n", argv[optind - 1]);
            fprintf(stderr, "%s\n", usage);
            return BM_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "balmap: validate: no file given\n%s\n", usage);
        return BM_EXIT_USAGE;
    }
    /* The worst outcome wins: an unreadable file (3) over a refused one (1). */
    int code = BM_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        const int file_code = validate_file(argv[i], is_quiet);
        if (file_code > code)
            code = file_code;
    }
    return code;
}
