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

#include "cli.h"
#include "map.h"
#include "output.h"
#include "signals.h"
#include "stamp.h"

#ifndef BM_VERSION
#define BM_VERSION "0.0.0"
#endif

#define MAX_LIST 64

static const char usage[] = "usage: balmap render FILE -o OUTPUT.png|.svg|.pdf [options]\n";

static void print_help(void) {
    fputs(usage, stdout);
    fputs(
        "\nDraws the claims in an incident file (docs/incident-format.md) on a map of\n"
        "Balochistan: one circle per claim and source, area proportional to the number.\n\n"
        "options:\n"
        "  -o, --output PATH     write the map here; .png, .svg or .pdf (repeatable)\n"
        "  -W, --width PX        page width in pixels at --dpi (default 1600)\n"
        "      --size PAPER      print size instead: A3, A4, A5, letter (landscape; add\n"
        "                        -portrait), or WxHmm such as 240x180mm; pixels follow --dpi\n"
        "  -H, --height PX       page height in pixels at --dpi (default 1200)\n"
        "      --dpi N           pixels per inch of the PNG (10-2400; default 150, less for pages\n"
        "                        under 1600 x 1200 px, which keep the layout of a full one)\n"
        "  -s, --style PATH      style file (default styles/default.json)\n"
        "      --extent E        balochistan (default), pakistan, data, or\n"
        "                        lon_min,lat_min,lon_max,lat_max\n"
        "      --measure WHAT    killed (default), wounded, captured, attacked, destroyed\n"
        "      --party WHO       militants, security_forces, civilians, unspecified\n"
        "                        (default: all, one circle each)\n"
        "      --as-of DATE      show the latest claims made by DATE (YYYY-MM-DD)\n"
        "      --facet BY        small multiples on one scale: source (a panel per source)\n"
        "                        or date (a panel per day claims were made)\n"
        "      --allocate even   split claims over several places evenly among them, as\n"
        "                        ACLED does (remainder to the first); the map says so\n"
        "      --title TEXT      replace the incident file's title\n"
        "      --gazetteer FILE  extra places (CSV/TSV), overriding built-in ones (repeatable)\n"
        "      --layer PATH[:FIELD]  draw another boundary layer GDAL can read (repeatable)\n"
        "      --accept-fuzzy    accept approximate place-name matches\n"
        "      --scene PATH      also write a text dump of every mark (for tests)\n"
        "      --if-changed      skip when every output exists and nothing it is made from\n"
        "                        changed since (recorded in OUTPUT.balmap-stamp)\n"
        "      --data-dir DIR    where shapes/ and styles/ are (default: the source tree,\n"
        "                        or $BALMAP_DATA_DIR)\n"
        "  -q, --quiet           no warnings\n"
        "  -h, --help            this help\n\n"
        "PDF creation dates come from SOURCE_DATE_EPOCH, else the incident file's time, so the\n"
        "same inputs give byte-identical files.\n\n"
        "exit codes: 0 ok, 1 input refused, 2 usage error, 3 I/O or library failure\n",
        stdout);
}

/* "balmap render: <problem>" and the one-line usage on stderr; returns exit code 2. */
#define usage_error(...) bm_usage_error("render", usage, __VA_ARGS__)

static int parse_double(const char *text, double lo, double hi, double *out) {
    char *end = NULL;
    errno = 0;
    const double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno != 0 || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

static void on_warning(void *user, const bm_error *w) {
    const int *is_quiet = user;
    if (!*is_quiet)
        bm_report_warning(w);
}

int cmd_render(int argc, char **argv) {
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'}, {"width", required_argument, NULL, 'W'},
        {"size", required_argument, NULL, 'z'},   {"height", required_argument, NULL, 'H'},
        {"dpi", required_argument, NULL, 'd'},    {"style", required_argument, NULL, 's'},
        {"extent", required_argument, NULL, 'e'}, {"measure", required_argument, NULL, 'm'},
        {"party", required_argument, NULL, 'p'},  {"as-of", required_argument, NULL, 'a'},
        {"title", required_argument, NULL, 't'},  {"gazetteer", required_argument, NULL, 'g'},
        {"layer", required_argument, NULL, 'l'},  {"accept-fuzzy", no_argument, NULL, 'f'},
        {"facet", required_argument, NULL, 'F'},  {"allocate", required_argument, NULL, 'A'},
        {"scene", required_argument, NULL, 'S'},  {"data-dir", required_argument, NULL, 'D'},
        {"if-changed", no_argument, NULL, 'c'},   {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    bm_render_request req;
    bm_render_request_init(&req);
    const char *outputs[MAX_LIST], *gazetteers[MAX_LIST], *layers[MAX_LIST];
    size_t n_outputs = 0, n_gazetteers = 0, n_layers = 0;
    bool has_pixels = false; /* --width or --height given */
    const char *data_dir = NULL;
    double paper_w_mm = 0, paper_h_mm = 0;
    int is_quiet = 0;
    bool is_if_changed = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:W:H:s:qh", options, NULL)) != -1) {
        switch (c) {
        case 'o': {
            bm_format format;
            bm_error ferr = {0};
            if (n_outputs == MAX_LIST)
                return usage_error("too many outputs (at most %s)", "64");
            if (bm_format_from_path(optarg, &format, &ferr) != BM_OK)
                return usage_error("%s", ferr.message);
            outputs[n_outputs++] = optarg;
            break;
        }
        case 'z':
            if (bm_cli_parse_paper(optarg, &paper_w_mm, &paper_h_mm) != 0)
                return usage_error("unknown size '%s'; expected %s", optarg, BM_PAPER_SIZES);
            break;
        case 'W':
            has_pixels = true;
            if (parse_double(optarg, 200, 20000, &req.width_px) != 0)
                return usage_error("--width must be a number of pixels from 200 to 20000, got '%s'",
                                   optarg);
            break;
        case 'H':
            has_pixels = true;
            if (parse_double(optarg, 150, 20000, &req.height_px) != 0)
                return usage_error(
                    "--height must be a number of pixels from 150 to 20000, got '%s'", optarg);
            break;
        case 'd':
            if (parse_double(optarg, 10, 2400, &req.dpi) != 0)
                return usage_error("--dpi must be a number from 10 to 2400, got '%s'", optarg);
            break;
        case 's':
            req.style_path = optarg;
            break;
        case 'e':
            req.extent = optarg;
            break;
        case 'm':
            if (!bm_quantity_parse(optarg, &req.measure))
                return usage_error("unknown measure '%s'; expected one of: killed, wounded, "
                                   "captured, attacked, destroyed",
                                   optarg);
            break;
        case 'p': {
            bm_party p;
            if (!bm_party_parse(optarg, &p))
                return usage_error("unknown party '%s'; expected one of: militants, "
                                   "security_forces, civilians, unspecified",
                                   optarg);
            req.party = (int)p;
            break;
        }
        case 'a': {
            if (!bm_cli_is_calendar_date(optarg))
                return usage_error("--as-of must be a calendar date as YYYY-MM-DD, got '%s'",
                                   optarg);
            req.as_of = optarg;
            break;
        }
        case 't':
            req.title = optarg;
            break;
        case 'g':
            if (n_gazetteers == MAX_LIST)
                return usage_error("too many gazetteers (at most %s)", "64");
            gazetteers[n_gazetteers++] = optarg;
            break;
        case 'l':
            if (n_layers == MAX_LIST)
                return usage_error("too many layers (at most %s)", "64");
            layers[n_layers++] = optarg;
            break;
        case 'f':
            req.accept_fuzzy = true;
            break;
        case 'A':
            if (strcmp(optarg, "even") == 0)
                req.allocate_even = true;
            else if (strcmp(optarg, "none") == 0)
                req.allocate_even = false;
            else
                return usage_error("unknown allocation '%s'; expected one of: even, none", optarg);
            break;
        case 'F':
            if (strcmp(optarg, "source") == 0)
                req.facet = BM_FACET_SOURCE;
            else if (strcmp(optarg, "date") == 0)
                req.facet = BM_FACET_DATE;
            else if (strcmp(optarg, "none") == 0)
                req.facet = BM_FACET_NONE;
            else
                return usage_error("unknown facet '%s'; expected one of: source, date, none",
                                   optarg);
            break;
        case 'S':
            req.scene_path = optarg;
            break;
        case 'D':
            data_dir = optarg;
            break;
        case 'c':
            is_if_changed = true;
            break;
        case 'q':
            is_quiet = 1;
            break;
        case 'h':
            print_help();
            return BM_EXIT_OK;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (paper_w_mm > 0 && has_pixels)
        return usage_error("give either --size or --width/--height, not both");
    if (paper_w_mm > 0) /* a print size fixes the page in mm; pixels follow from --dpi */
        bm_cli_paper_pixels(paper_w_mm, paper_h_mm, &req.dpi, &req.width_px, &req.height_px);
    if (optind >= argc)
        return usage_error("missing the incident file");
    if (optind + 1 < argc)
        return usage_error("one incident file at a time; got also '%s'", argv[optind + 1]);
    if (n_outputs == 0 && req.scene_path == NULL)
        return usage_error("no output given; add -o map.png (or .svg, .pdf)");
    req.input_path = argv[optind];
    req.outputs = outputs;
    req.n_outputs = n_outputs;
    req.gazetteer_files = gazetteers;
    req.n_gazetteer_files = n_gazetteers;
    req.layers = layers;
    req.n_layers = n_layers;
    req.data_dir = bm_cli_data_dir(data_dir);
    req.creator = "balmap " BM_VERSION;
    req.warn = on_warning;
    req.warn_user = &is_quiet;
    /* Reproducible PDFs: SOURCE_DATE_EPOCH (reproducible-builds.org), else the input's mtime. */
    if (bm_cli_creation_date(req.input_path, &req.created_unix_s) != 0)
        return usage_error("SOURCE_DATE_EPOCH must be whole seconds from 0 to %lld, got '%s'",
                           (long long)BM_MAX_UNIX_S, getenv("SOURCE_DATE_EPOCH"));
    uint64_t stamp = 0;
    char why[700];
    const bool has_stamp =
        is_if_changed && bm_stamp_compute(&req, BM_VERSION, &stamp, why, sizeof why);
    if (has_stamp && bm_stamp_is_current(&req, stamp)) {
        if (!is_quiet) {
            fputs("balmap: skipped, inputs unchanged since the last render:", stderr);
            for (size_t i = 0; i < n_outputs; i++)
                fprintf(stderr, " %s", outputs[i]);
            fputc('\n', stderr);
        }
        return BM_EXIT_OK;
    }
    bm_diags diags = {0};
    req.diags = &diags;
    /* Named temporary files (where O_TMPFILE is missing) are removed if we are interrupted. */
    static const bm_output_hooks hooks = {bm_cli_on_temp, NULL, NULL, false};
    req.output_hooks = &hooks;
    bm_cli_signals_install();
    bm_error err = {0};
    const bm_status st = bm_render(&req, &err);
    if (st == BM_OK && has_stamp && !bm_stamp_write(&req, stamp, why, sizeof why) && !is_quiet)
        fprintf(stderr, "balmap: warning: %s; the next --if-changed run renders again\n", why);
    else if (st == BM_OK && !has_stamp)
        bm_stamp_remove(&req);
    if (diags.n_items > 0 && (!is_quiet || diags.n_errors > 0))
        bm_report_diags(&diags);
    if (st != BM_OK && diags.n_errors == 0)
        bm_report_error(&err);
    bm_diags_free(&diags);
    return bm_exit_code(st);
}
