/* SPDX-License-Identifier: MIT */
/* cmd_validate.c - `balmap validate FILE...`: lists every problem in incident files. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "balmap.h"
#include "cli.h"

static const char usage[] =
    "usage: balmap validate [-q] [--no-geocode] [-g FILE]... [--accept-fuzzy] [--data-dir DIR] "
    "[--input-format json|csv|geojson] FILE...";

#define MAX_GAZETTEERS 8
enum { OPT_NO_GEOCODE = 256, OPT_ACCEPT_FUZZY, OPT_DATA_DIR, OPT_INPUT_FORMAT };

static void print_help(FILE *out) {
    fprintf(out,
            "%s\n\n"
            "Checks incident files (docs/incident-format.md) and lists every problem found:\n"
            "errors with file:line:column and JSON pointer, warnings for unknown keys. Every\n"
            "place a claim names is geocoded as render would: each unknown, fuzzy, ambiguous,\n"
            "known-by-name-only or out-of-context place is listed, so one run shows them all.\n\n"
            "options:\n"
            "  -q, --quiet           print problems only, not the one-line summary per file\n"
            "      --no-geocode      check the file only, not its place names\n"
            "  -g, --gazetteer FILE  add your own places, as render does; may be repeated\n"
            "      --accept-fuzzy    take approximate name matches, as render does with it\n"
            "      --data-dir DIR    where shapes/ lives (default $BALMAP_DATA_DIR, else the\n"
            "                        installed data)\n"
            "      --input-format F  read the files as json, csv or geojson, whatever their\n"
            "                        names; FILE - is standard input (JSON unless given)\n"
            "  -h, --help            show this help and exit\n\n"
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

/* Checks one file; returns its exit code. With a gazetteer, every place is geocoded as render
 * would, each problem listed (bm_geocode's problems). */
static int validate_file(const char *path, const char *format, int is_quiet, const bm_gazetteer *gz,
                         bool accept_fuzzy) {
    bm_diags diags = {0};
    bm_error err = {0};
    bm_incidents *inc;
    if (strcmp(path, "-") == 0) { /* as render - does */
        bm_buf text = BM_BUF_INIT(BM_CLI_MAX_STDIN_BYTES);
        if (bm_cli_read_stdin(&text) != 0) {
            bm_buf_free(&text);
            return BM_EXIT_IO;
        }
        path = "<stdin>";
        inc = bm_incidents_parse_as(bm_buf_str(&text), text.len, path,
                                    format != NULL ? format : "json", &diags, &err);
        bm_buf_free(&text);
    } else {
        inc = bm_incidents_load_as(path, format, &diags, &err);
    }
    int code = BM_EXIT_OK;
    if (inc != NULL && gz != NULL) {
        const bm_geocode_options opt = {
            .input_path = path,
            .measure = BM_Q_KILLED,
            .party = -1,
            .keep_superseded = true,
            .accept_fuzzy = accept_fuzzy,
            .problems = &diags,
        };
        bm_error gerr = {0};
        bm_geocoded *g = bm_geocode(inc, gz, &opt, &gerr);
        if (g == NULL)
            code = bm_exit_code(gerr.status);
        if (g == NULL && diags.n_errors == 0)
            bm_report_error(&gerr); /* out of memory: nothing was listed */
        bm_geocoded_free(g);
    }
    bm_report_diags(&diags);
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
        {"no-geocode", no_argument, NULL, OPT_NO_GEOCODE},
        {"gazetteer", required_argument, NULL, 'g'},
        {"accept-fuzzy", no_argument, NULL, OPT_ACCEPT_FUZZY},
        {"data-dir", required_argument, NULL, OPT_DATA_DIR},
        {"input-format", required_argument, NULL, OPT_INPUT_FORMAT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int is_quiet = 0;
    bool is_geocoding = true, accept_fuzzy = false;
    const char *gazetteers[MAX_GAZETTEERS];
    size_t n_gazetteers = 0;
    const char *data_dir = NULL, *input_format = NULL;
    int opt;
    opterr = 0; /* our own one-line messages */
    optind = 1;
    while ((opt = getopt_long(argc, argv, "qg:h", options, NULL)) != -1) {
        switch (opt) {
        case 'q':
            is_quiet = 1;
            break;
        case OPT_NO_GEOCODE:
            is_geocoding = false;
            break;
        case OPT_ACCEPT_FUZZY:
            accept_fuzzy = true;
            break;
        case 'g':
            if (n_gazetteers == MAX_GAZETTEERS) {
                fprintf(stderr, "balmap: validate: too many --gazetteer files (at most %d)\n",
                        MAX_GAZETTEERS);
                return BM_EXIT_USAGE;
            }
            gazetteers[n_gazetteers++] = optarg;
            break;
        case OPT_DATA_DIR:
            data_dir = optarg;
            break;
        case OPT_INPUT_FORMAT:
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "csv") != 0 &&
                strcmp(optarg, "geojson") != 0) {
                fprintf(stderr,
                        "balmap: validate: unknown input format '%s'; expected json, csv or "
                        "geojson\n%s\n",
                        optarg, usage);
                return BM_EXIT_USAGE;
            }
            input_format = optarg;
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
    bm_gazetteer *gz = NULL;
    if (is_geocoding) {
        bm_error err = {0};
        bm_buf path = BM_BUF_INIT(4096);
        if (bm_buf_printf(&path, "%s/shapes/gazetteer.tsv", bm_cli_data_dir(data_dir)) == BM_OK)
            gz = bm_gazetteer_load(bm_buf_str(&path), &err);
        else
            bm_error_set(&err, BM_ERR_NOMEM, "out of memory");
        bm_buf_free(&path);
        for (size_t i = 0; gz != NULL && i < n_gazetteers; i++) {
            if (bm_gazetteer_add_file(gz, gazetteers[i], &err) != BM_OK) {
                bm_gazetteer_free(gz);
                gz = NULL;
            }
        }
        if (gz == NULL) {
            bm_report_error(&err);
            return err.status == BM_ERR_IO ? BM_EXIT_IO : bm_exit_code(err.status);
        }
    }
    /* The worst outcome wins: an unreadable file (3) over a refused one (1). */
    int code = BM_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        const int file_code = validate_file(argv[i], input_format, is_quiet, gz, accept_fuzzy);
        if (file_code > code)
            code = file_code;
    }
    bm_gazetteer_free(gz);
    return code;
}
