/* SPDX-License-Identifier: MIT */
/* options.c - the table of `render`'s options and the one place their values are checked
 * (options.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"

#define REQ(f)  offsetof(bm_cli_opts, req.f)
#define OPTS(f) offsetof(bm_cli_opts, f)

/* Words of the WORD options; index = the value stored. */
static const char *measure_word(int i) {
    return i >= 0 && i < BM_N_QUANTITIES ? bm_quantity_name((bm_quantity)i) : NULL;
}
static const char *party_word(int i) {
    return i >= 0 && i < BM_N_PARTIES ? bm_party_name((bm_party)i) : NULL;
}
static const char *facet_word(int i) {
    static const char *const words[] = {"none", "source", "date", "year",
                                        "month"}; /* bm_facet's order */
    return i >= 0 && i < 5 ? words[i] : NULL;
}
static const char *allocate_word(int i) {
    static const char *const words[] = {"none", "even"}; /* allocate_even false, true */
    return i >= 0 && i < 2 ? words[i] : NULL;
}
static const char *group_word(int i) {
    static const char *const words[] = {"none", "place", "district",
                                        "province"}; /* bm_group_mode */
    return i >= 0 && i < 4 ? words[i] : NULL;
}
static void set_group(bm_render_request *r, int i) {
    r->group = i;
}
static int get_group(const bm_render_request *r) {
    return r->group;
}
static void set_measure(bm_render_request *r, int i) {
    r->measure = (bm_quantity)i;
}
static int get_measure(const bm_render_request *r) {
    return (int)r->measure;
}
static void set_party(bm_render_request *r, int i) {
    r->party = i;
}
static int get_party(const bm_render_request *r) {
    return r->party;
}
static void set_facet(bm_render_request *r, int i) {
    r->facet = (bm_facet)i;
}
static int get_facet(const bm_render_request *r) {
    return (int)r->facet;
}
static void set_allocate(bm_render_request *r, int i) {
    r->allocate_even = i != 0;
}
static int get_allocate(const bm_render_request *r) {
    return r->allocate_even ? 1 : 0;
}

static const char *lang_word(int i) {
    static const char *const words[] = {"en", "ur"}; /* bm_lang's order */
    return i >= 0 && i < 2 ? words[i] : NULL;
}
static void set_lang(bm_render_request *r, int i) {
    r->lang = (bm_lang_code)i;
}
static int get_lang(const bm_render_request *r) {
    return (int)r->lang;
}
static const char *labels_word(int i) {
    static const char *const words[] = {"en", "ur", "en+ur"}; /* bm_place_names' order */
    return i >= 0 && i < 3 ? words[i] : NULL;
}
static void set_labels(bm_render_request *r, int i) {
    r->names = (bm_place_names)i;
}
static int get_labels(const bm_render_request *r) {
    return (int)r->names;
}

static const char *input_format_word(int i) {
    static const char *const words[] = {"json", "csv", "geojson"}; /* bm_incidents_load_as's */
    return i >= 0 && i < 3 ? words[i] : NULL;
}
static void set_input_format(bm_render_request *r, int i) {
    r->input_format = input_format_word(i);
}
static int get_input_format(const bm_render_request *r) {
    for (int i = 0; r->input_format != NULL && input_format_word(i) != NULL; i++)
        if (strcmp(input_format_word(i), r->input_format) == 0)
            return i;
    return -1; /* from the file's name */
}

#define WORDS(w) .word = w##_word, .set_word = set_##w, .get_word = get_##w

/* In --help order. */
const bm_cli_option bm_cli_options[] = {
    {.name = "output",
     .short_flag = 'o',
     .kind = BM_OPT_PATHS,
     .use = BM_USE_RUN,
     .arg = "PATH",
     .help = "write the map here; .png, .svg, .pdf or .html (repeatable);\n"
             "- is standard output, with --format; a missing folder is made;\n"
             ".csv or .json: every mark as data",
     .field = OPTS(outputs)},
    {.name = "format",
     .kind = BM_OPT_TEXT,
     .use = BM_USE_RUN,
     .arg = "F",
     .help = "the format of -o -: png, svg, pdf or html",
     .field = OPTS(format)},
    {.name = "input-format",
     .key = "input_format",
     .kind = BM_OPT_WORD,
     .arg = "F",
     .help = "read the incident file as this, whatever its name; for\n"
             "FILE - (standard input) the default is json",
     .default_doc = "from the file's name",
     WORDS(input_format),
     .sample = "csv"},
    {.name = "width",
     .short_flag = 'W',
     .key = "width",
     .kind = BM_OPT_NUMBER,
     .arg = "PX",
     .help = "page width in pixels at --dpi",
     .default_doc = "1600",
     .lo = 200,
     .hi = 20000,
     .field = REQ(width_px),
     .sample = "1400"},
    {.name = "size",
     .key = "size",
     .kind = BM_OPT_PAPER,
     .arg = "PAPER",
     .help = "print size instead: A3, A4, A5, letter (landscape; add\n"
             "-portrait), WxHmm such as 240x180mm, or phone (a phone-width\n"
             "web image, 1080 px wide); pixels follow --dpi",
     .sample = "A4"},
    {.name = "height",
     .short_flag = 'H',
     .key = "height",
     .kind = BM_OPT_NUMBER,
     .arg = "PX",
     .help = "page height in pixels at --dpi",
     .default_doc = "1200",
     .lo = 150,
     .hi = 20000,
     .field = REQ(height_px),
     .sample = "900"},
    {.name = "dpi",
     .key = "dpi",
     .kind = BM_OPT_NUMBER,
     .arg = "N",
     .help = "pixels per inch of the PNG (10-2400; default 150, less for pages\n"
             "under 1600 x 1200 px, which keep the layout of a full one)",
     .lo = 10,
     .hi = 2400,
     .field = REQ(dpi),
     .sample = "300"},
    {.name = "style",
     .short_flag = 's',
     .key = "style",
     .kind = BM_OPT_PATH,
     .arg = "PATH",
     .help = "style file",
     .default_doc = "styles/default.json",
     .field = REQ(style_path),
     .sample = "styles/dark.json"},
    {.name = "extent",
     .key = "extent",
     .kind = BM_OPT_TEXT,
     .arg = "E",
     .help = "balochistan (default), pakistan, data, or\nlon_min,lat_min,lon_max,lat_max",
     .field = REQ(extent),
     .sample = "pakistan"},
    {.name = "measure",
     .key = "measure",
     .kind = BM_OPT_WORD,
     .arg = "WHAT",
     .help = "what circles are sized by",
     .default_doc = "killed",
     WORDS(measure),
     .sample = "wounded"},
    {.name = "party",
     .key = "party",
     .kind = BM_OPT_WORD,
     .arg = "WHO",
     .help = "whose numbers; without it, one circle per party",
     WORDS(party),
     .sample = "civilians"},
    {.name = "as-of",
     .key = "as_of",
     .kind = BM_OPT_DATE,
     .arg = "DATE",
     .help = "show the latest claims made by DATE (YYYY-MM-DD)",
     .field = REQ(as_of),
     .sample = "2025-01-01"},
    {.name = "from",
     .key = "from",
     .kind = BM_OPT_DATE,
     .arg = "DATE",
     .help = "only incidents whose first day is on or after DATE",
     .field = REQ(from),
     .sample = "2024-01-01"},
    {.name = "to",
     .key = "to",
     .kind = BM_OPT_DATE,
     .arg = "DATE",
     .help = "only incidents whose first day is on or before DATE",
     .field = REQ(to),
     .sample = "2024-12-31"},
    {.name = "group",
     .key = "group",
     .kind = BM_OPT_WORD,
     .arg = "BY",
     .help = "one circle per claim (none), or the sum per source, measure\n"
             "and party at each place, district or province",
     .default_doc = "place above 50 claims",
     WORDS(group),
     .sample = "district"},
    {.name = "scale-max",
     .key = "scale_max",
     .kind = BM_OPT_NUMBER,
     .arg = "N",
     .help = "the value of the largest circle, the same on every map of a\n"
             "series (area stays proportional; larger values draw larger);\n"
             "in a batch manifest \"shared\": the largest of the series",
     .default_doc = "the largest drawn",
     .lo = 1,
     .hi = 1000000,
     .field = REQ(scale_max),
     .sample = "100"},
    {.name = "facet",
     .key = "facet",
     .kind = BM_OPT_WORD,
     .arg = "BY",
     .help = "small multiples on one scale: source (a panel per source),\n"
             "date (per day claims were made), or year or month (per\n"
             "calendar year or month of the incidents; at most 12 panels)",
     .default_doc = "none",
     WORDS(facet),
     .sample = "source"},
    {.name = "allocate",
     .key = "allocate",
     .kind = BM_OPT_WORD,
     .arg = "HOW",
     .help = "even splits claims over several places evenly among them,\n"
             "as ACLED does (remainder to the first); the map says so",
     .default_doc = "none",
     WORDS(allocate),
     .sample = "even"},
    {.name = "lang",
     .key = "lang",
     .kind = BM_OPT_WORD,
     .arg = "L",
     .help = "the language of the map's own words (legend, notes, dates):\n"
             "en or ur (Urdu; names stay as the data gives them)",
     .default_doc = "en",
     WORDS(lang),
     .sample = "ur"},
    {.name = "labels",
     .key = "labels",
     .kind = BM_OPT_WORD,
     .arg = "L",
     .help = "place names: en, ur (the gazetteer's cited Urdu names, English\n"
             "where none is cited; the notes say how many) or en+ur (both)",
     .default_doc = "en",
     WORDS(labels),
     .sample = "ur"},
    {.name = "title",
     .key = "title",
     .kind = BM_OPT_TEXT,
     .arg = "TEXT",
     .help = "replace the incident file's title",
     .field = REQ(title),
     .sample = "Another title"},
    {.name = "gazetteer",
     .short_flag = 'g', /* as validate and geocode have it */
     .key = "gazetteer",
     .kind = BM_OPT_PATHS,
     .arg = "FILE",
     .help = "extra places (CSV/TSV, GeoNames dump, GeoJSON points), overriding built-in ones "
             "(repeatable)",
     .field = OPTS(gazetteers),
     .sample = "tests/data/user-places-valid.csv"},
    {.name = "layer",
     .key = "layer",
     .kind = BM_OPT_PATHS,
     .arg = "PATH[:FIELD]",
     .help = "draw another boundary layer GDAL can read (repeatable)",
     .field = OPTS(layers),
     .sample = "tests/data/layer-utm42n/provinces.shp:prov_name"},
    {.name = "allow-remote-layers",
     .kind = BM_OPT_FLAG,
     .use = BM_USE_RUN,
     .help = "let GDAL fetch layers over the network (URLs, /vsicurl/,\n"
             "a .vrt naming either); refused otherwise. Command line only",
     .field = REQ(allow_remote_layers)},
    {.name = "accept-fuzzy",
     .key = "accept_fuzzy",
     .kind = BM_OPT_FLAG,
     .help = "accept approximate place-name matches",
     .field = REQ(accept_fuzzy),
     .sample = "true"},
    {.name = "scene",
     .kind = BM_OPT_PATH,
     .use = BM_USE_RUN,
     .arg = "PATH",
     .help = "also write a text dump of every mark (for tests)",
     .field = REQ(scene_path)},
    {.name = "if-changed",
     .kind = BM_OPT_FLAG,
     .use = BM_USE_RUN,
     .help = "skip when every output exists and nothing it is made from\n"
             "changed since (recorded in OUTPUT.balmap-stamp)",
     .field = OPTS(is_if_changed)},
    {.name = "data-dir",
     .kind = BM_OPT_PATH,
     .use = BM_USE_RUN,
     .arg = "DIR",
     .help = "where shapes/ and styles/ are (default: $BALMAP_DATA_DIR,\n"
             "else the installed data; 'balmap --version' says which)",
     .field = OPTS(data_dir)},
    {.name = "quiet",
     .short_flag = 'q',
     .kind = BM_OPT_FLAG,
     .use = BM_USE_RUN,
     .help = "no warnings",
     .field = OPTS(is_quiet)},
    {.name = "help",
     .short_flag = 'h',
     .kind = BM_OPT_HELP,
     .use = BM_USE_RUN,
     .help = "this help"},
};
const size_t bm_cli_n_options = sizeof bm_cli_options / sizeof bm_cli_options[0];
_Static_assert(sizeof bm_cli_options / sizeof bm_cli_options[0] <= BM_CLI_MAX_OPTIONS,
               "raise BM_CLI_MAX_OPTIONS");

void bm_cli_opts_init(bm_cli_opts *o) {
    memset(o, 0, sizeof *o);
    bm_render_request_init(&o->req);
}

const bm_cli_option *bm_cli_option_by_key(const char *key) {
    for (size_t i = 0; i < bm_cli_n_options; i++) {
        if (bm_cli_options[i].key != NULL && strcmp(bm_cli_options[i].key, key) == 0)
            return &bm_cli_options[i];
    }
    return NULL;
}

const bm_cli_option *bm_cli_option_by_name(const char *name) {
    for (size_t i = 0; i < bm_cli_n_options; i++) {
        if (strcmp(bm_cli_options[i].name, name) == 0)
            return &bm_cli_options[i];
    }
    return NULL;
}

void bm_cli_list_keys(char *out, size_t out_size) {
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < bm_cli_n_options && n < out_size; i++) {
        if (bm_cli_options[i].key == NULL)
            continue;
        const int k =
            snprintf(out + n, out_size - n, "%s%s", n > 0 ? ", " : "", bm_cli_options[i].key);
        n += k > 0 ? (size_t)k : 0;
    }
}

/* The words of a WORD option as "a, b, c". */
static void list_words(const bm_cli_option *opt, char *out, size_t out_size) {
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; opt->word(i) != NULL && n < out_size; i++) {
        const int k = snprintf(out + n, out_size - n, "%s%s", i > 0 ? ", " : "", opt->word(i));
        n += k > 0 ? (size_t)k : 0;
    }
}

static bool add_to_list(bm_cli_list *list, const char *text) {
    if (list->n == BM_CLI_MAX_LIST)
        return false;
    list->items[list->n++] = text;
    return true;
}

bool bm_cli_option_set(bm_cli_opts *o, const bm_cli_option *opt, const char *who, const char *text,
                       char *msg, size_t msg_size) {
    char *at = (char *)o + opt->field;
    switch (opt->kind) {
    case BM_OPT_FLAG:
        if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0) {
            snprintf(msg, msg_size, "%s must be true or false", who);
            return false;
        }
        *(bool *)(void *)at = strcmp(text, "true") == 0;
        return true;
    case BM_OPT_NUMBER: {
        char *end = NULL;
        errno = 0;
        const double v = strtod(text, &end);
        if (end == text || *end != '\0' || errno != 0 || !(v >= opt->lo && v <= opt->hi)) {
            snprintf(msg, msg_size, "%s must be a number from %g to %g, got '%s'", who, opt->lo,
                     opt->hi, text);
            return false;
        }
        *(double *)(void *)at = v;
        if (opt->field == REQ(width_px) || opt->field == REQ(height_px))
            o->has_pixels = true;
        return true;
    }
    case BM_OPT_WORD:
        for (int i = 0; opt->word(i) != NULL; i++) {
            if (strcmp(opt->word(i), text) == 0) {
                opt->set_word(&o->req, i);
                return true;
            }
        }
        char words[256];
        list_words(opt, words, sizeof words);
        snprintf(msg, msg_size, "unknown %s '%s'; expected one of: %s", opt->name, text, words);
        return false;
    case BM_OPT_DATE:
        if (!bm_date_is_iso(text)) { /* then compared as strings */
            snprintf(msg, msg_size, "%s must be a calendar date as YYYY-MM-DD, got '%s'", who,
                     text);
            return false;
        }
        *(const char **)(void *)at = text;
        return true;
    case BM_OPT_PAPER:
        switch (bm_cli_parse_paper(text, &o->paper_w_mm, &o->paper_h_mm)) {
        case 0:
            return true;
        case -2:
            snprintf(msg, msg_size,
                     "size '%s' is out of range: each side of WxHmm must be from %d to %d mm "
                     "(%d mm is about %.0f inches)",
                     text, BM_PAPER_MIN_MM, BM_PAPER_MAX_MM, BM_PAPER_MAX_MM,
                     BM_PAPER_MAX_MM / 25.4);
            return false;
        default:
            snprintf(msg, msg_size, "unknown size '%s'; expected %s", text, BM_PAPER_SIZES);
            return false;
        }
    case BM_OPT_TEXT:
    case BM_OPT_PATH:
        if (text[0] == '\0') {
            snprintf(msg, msg_size, "%s must not be empty", who);
            return false;
        }
        *(const char **)(void *)at = text;
        return true;
    case BM_OPT_PATHS:
        if (text[0] == '\0') {
            snprintf(msg, msg_size, "%s must not be empty", who);
            return false;
        }
        if (!add_to_list((bm_cli_list *)(void *)at, text)) {
            snprintf(msg, msg_size, "too many values of %s (at most %d)", who, BM_CLI_MAX_LIST);
            return false;
        }
        if (opt->field == OPTS(outputs) && text[0] == '-' && text[1] != '\0') {
            /* "-.png" is far more likely a try at standard output than a file name */
            o->outputs.n--;
            const char *dot = strchr(text, '.');
            snprintf(msg, msg_size,
                     "'%s' is not standard output; write -o - --format %s for that, or -o ./%s "
                     "for a file of that name",
                     text, dot != NULL ? dot + 1 : "png", text);
            return false;
        }
        if (opt->field == OPTS(outputs) && strcmp(text, "-") != 0) {
            bm_format format;
            bm_error ferr = {0};
            if (!bm_output_is_marks_path(text) &&
                bm_format_from_path(text, &format, &ferr) != BM_OK) {
                o->outputs.n--;
                snprintf(msg, msg_size, "%s", ferr.message);
                return false;
            }
        }
        return true;
    case BM_OPT_HELP:
        break;
    }
    snprintf(msg, msg_size, "%s takes no value", who);
    return false;
}

bool bm_cli_opts_finish(bm_cli_opts *o, bool is_manifest, char *msg, size_t msg_size) {
    if (o->paper_w_mm > 0 && o->has_pixels) {
        snprintf(msg, msg_size, "%s",
                 is_manifest ? "give either 'size' or 'width' and 'height', not both"
                             : "give either --size or --width/--height, not both");
        return false;
    }
    size_t n_stdout = 0;
    for (size_t i = 0; i < o->outputs.n; i++)
        n_stdout += strcmp(o->outputs.items[i], "-") == 0;
    if (n_stdout > 0 && is_manifest) {
        snprintf(msg, msg_size,
                 "a manifest's outputs are files; '-' (standard output) is for "
                 "`balmap render`");
        return false;
    }
    if (n_stdout > 1) {
        snprintf(msg, msg_size, "-o - (standard output) can be given only once");
        return false;
    }
    if (n_stdout == 1 && o->format == NULL) {
        snprintf(msg, msg_size, "-o - (standard output) needs --format png, svg, pdf or html");
        return false;
    }
    if (n_stdout == 0 && o->format != NULL) {
        snprintf(msg, msg_size,
                 "--format is for -o - (standard output); a file's format comes from its "
                 "extension");
        return false;
    }
    if (o->format != NULL) {
        static const char *const names[] = {"png", "svg", "pdf", "html"};
        static const bm_format formats[] = {BM_FORMAT_PNG, BM_FORMAT_SVG, BM_FORMAT_PDF,
                                            BM_FORMAT_HTML};
        size_t k = 0;
        while (k < 4 && strcmp(o->format, names[k]) != 0)
            k++;
        if (k == 4) {
            snprintf(msg, msg_size, "unknown format '%s'; expected one of: png, svg, pdf, html",
                     o->format);
            return false;
        }
        o->req.piped_format = formats[k];
        o->has_stdout = true;
    }
    if (o->paper_w_mm > 0) { /* a print size fixes the page in mm; pixels follow from dpi */
        bm_cli_paper_pixels(o->paper_w_mm, o->paper_h_mm, &o->req.dpi, &o->req.width_px,
                            &o->req.height_px);
        o->req.is_print_size = true;
        /* paper, not the phone's screen: no text under 7 pt on it (map.h) */
        if (!(o->paper_w_mm == BM_PHONE_W_MM && o->paper_h_mm == BM_PHONE_H_MM))
            o->req.min_text_pt = BM_OUTPUT_MIN_TEXT_PT;
    }
    o->req.outputs = o->outputs.items;
    o->req.n_outputs = o->outputs.n;
    o->req.gazetteer_files = o->gazetteers.items;
    o->req.n_gazetteer_files = o->gazetteers.n;
    o->req.layers = o->layers.items;
    o->req.n_layers = o->layers.n;
    return true;
}

static int option_code(size_t i) {
    return bm_cli_options[i].short_flag != 0 ? bm_cli_options[i].short_flag : 256 + (int)i;
}

void bm_cli_getopt_tables(struct option *longs, char *shorts) {
    size_t n = 0;
    shorts[n++] = ':'; /* a missing value returns ':' */
    for (size_t i = 0; i < bm_cli_n_options; i++) {
        const bm_cli_option *opt = &bm_cli_options[i];
        const bool has_arg = opt->kind != BM_OPT_FLAG && opt->kind != BM_OPT_HELP;
        longs[i] = (struct option){opt->name, has_arg ? required_argument : no_argument, NULL,
                                   option_code(i)};
        if (opt->short_flag != 0) {
            shorts[n++] = (char)opt->short_flag;
            if (has_arg)
                shorts[n++] = ':';
        }
    }
    longs[bm_cli_n_options] = (struct option){NULL, 0, NULL, 0};
    shorts[n] = '\0';
}

const bm_cli_option *bm_cli_option_by_code(int code) {
    for (size_t i = 0; i < bm_cli_n_options; i++) {
        if (option_code(i) == code)
            return &bm_cli_options[i];
    }
    return NULL;
}

void bm_cli_print_options(FILE *out) {
    for (size_t i = 0; i < bm_cli_n_options; i++) {
        const bm_cli_option *opt = &bm_cli_options[i];
        char head[64];
        int n = snprintf(head, sizeof head, "  %c%c%c --%s%s%s", opt->short_flag ? '-' : ' ',
                         opt->short_flag ? opt->short_flag : ' ', opt->short_flag ? ',' : ' ',
                         opt->name, opt->arg ? " " : "", opt->arg ? opt->arg : "");
        fputs(head, out);
        /* The text from column 24, continuation lines indented as far. */
        fprintf(out, "%*s", n < 22 ? 24 - n : 2, "");
        for (const char *p = opt->help; *p != '\0'; p++) {
            fputc(*p, out);
            if (*p == '\n')
                fprintf(out, "%24s", "");
        }
        if (opt->kind == BM_OPT_WORD) {
            char words[256];
            list_words(opt, words, sizeof words);
            fprintf(out, "\n%24sone of: %s", "", words);
        }
        if (opt->default_doc != NULL)
            fprintf(out, " (default: %s)", opt->default_doc);
        fputc('\n', out);
    }
}
