/* SPDX-License-Identifier: MIT */
/* cmd_geocode.c - `balmap geocode NAME...`: resolves place names against the gazetteer and
 * shows what each one matched, how, and what else it could have meant. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "balmap.h"
#include "cli.h"

static const char usage[] = "usage: balmap geocode [-k KIND] [-g FILE]... [-j] [--data-dir DIR] "
                            "(NAME... | -f FILE)";

/* A names file larger than this is refused (one name a line). */
#define NAMES_MAX_BYTES ((size_t)16 << 20)
#define MAX_GAZETTEERS  64

static void print_help(FILE *out) {
    fprintf(
        out,
        "%s\n\n"
        "Resolves place names against the gazetteer (DIR/shapes/gazetteer.tsv) and prints\n"
        "the place each one matched, how (exact, alias, variant spelling, abbreviation such as\n"
        "\"D.I. Khan\", or fuzzy with a score) and the other candidates. Fuzzy matches\n"
        "are shown here; render refuses them unless told to accept them. 'exists' gives\n"
        "FROM..UNTIL for districts created or abolished on a known date (render warns\n"
        "when an incident falls outside it). When a name also names other places, a\n"
        "'why' line under the table says which were set aside and by what rule (a bare\n"
        "name is the district or seat town of that name, never a village of it).\n\n"
        "options:\n"
        "  -k, --kind KIND       prefer places of this kind: town, district, province,\n"
        "                        country, region or any (default any: towns, with a\n"
        "                        same-named district listed as an alternative)\n"
        "  -g, --gazetteer FILE  add your own places (CSV or TSV with a header: name, lat,\n"
        "                        lon and optionally kind, alt_names, source, id,\n"
        "                        precision, country, admin1, admin2, admin3,\n"
        "                        valid_from, valid_until), a GeoNames country dump\n"
        "                        (PK.txt), a GeoJSON of named points or a CSV of\n"
        "                        location, latitude, longitude (docs/gazetteers.md);\n"
        "                        a table of your own wins over built-in places of the\n"
        "                        same name; may be repeated\n"
        "  -f, --file FILE       read names from FILE, one a line ('#' starts a comment;\n"
        "                        '-' is standard input)\n"
        "  -j, --json            print a JSON array instead of a table\n"
        "      --data-dir DIR    where shapes/ lives (default $BALMAP_DATA_DIR, else the\n"
        "                        installed data; 'balmap --version' says which)\n"
        "  -h, --help            show this help and exit\n\n"
        "exit codes:\n"
        "  0  every name resolved (fuzzy matches included)\n"
        "  1  some name is unknown or ambiguous, or a gazetteer file is invalid\n"
        "  2  usage error\n"
        "  3  a file cannot be read\n",
        usage);
}

typedef struct result {
    const char *query; /* borrowed from argv or the names buffer */
    bm_status status;
    bm_place_match match; /* valid when status == BM_OK */
    bm_error err;
} result;

/* "balmap geocode: <problem>" and the one-line usage on stderr; returns exit code 2. */
#define usage_error(...) bm_usage_error("geocode", usage, __VA_ARGS__)

/* Splits text into names in place: one a line, blank lines and '#' comments skipped. Each name's
 * line and column go to where (one per name, grown with names), for the messages. */
typedef struct name_at {
    int line, column;
} name_at;

static bm_status collect_names(char *text, const char ***names, size_t *n_names, size_t *n_alloc,
                               name_at **where, size_t *n_where_alloc) {
    char *p = text;
    int line_no = 0;
    while (p != NULL && *p != '\0') {
        char *line = p;
        char *const line_start = p;
        line_no++;
        char *nl = strchr(p, '\n');
        if (nl != NULL) {
            *nl = '\0';
            p = nl + 1;
        } else {
            p = NULL;
        }
        char *hash = strchr(line, '#');
        if (hash != NULL)
            *hash = '\0';
        while (*line == ' ' || *line == '\t')
            line++;
        size_t len = strlen(line);
        while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        void *items = *names;
        if (bm_grow(&items, n_alloc, *n_names + 1, sizeof **names) != BM_OK)
            return BM_ERR_NOMEM;
        *names = items;
        items = *where;
        if (bm_grow(&items, n_where_alloc, *n_names + 1, sizeof **where) != BM_OK)
            return BM_ERR_NOMEM;
        *where = items;
        (*where)[*n_names] = (name_at){line_no, (int)(line - line_start) + 1};
        (*names)[(*n_names)++] = line;
    }
    return BM_OK;
}

static bm_status read_stdin(bm_buf *b) {
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
        if (bm_buf_append(b, chunk, n) != BM_OK)
            return BM_ERR_NOMEM;
    }
    if (ferror(stdin))
        return BM_ERR_IO;
    return bm_buf_append(b, "", 0);
}

/* Columns of the text table. Widths count code points, so names with diacritics align. */
enum {
    C_QUERY,
    C_NAME,
    C_KIND,
    C_LAT,
    C_LON,
    C_PRECISION,
    C_HOW,
    C_ID,
    C_ALTERNATIVES,
    C_VALID,
    N_COLS
};
static const char *const col_titles[N_COLS] = {
    "query", "name", "kind", "lat", "lon", "precision", "how", "id", "alternatives", "exists"};

/* Characters, not bytes: the columns line up under names such as "Dera Murad Jamālī". */
static size_t text_width(const char *s) {
    int line, column;
    bm_utf8_locate(s, strlen(s), &line, &column); /* cells hold no line breaks */
    return (size_t)column - 1;
}

static void format_cells(const result *r, char cells[N_COLS][256]) {
    for (int c = 0; c < N_COLS; c++)
        cells[c][0] = '\0';
    snprintf(cells[C_QUERY], 256, "%s", r->query);
    if (r->status != BM_OK) {
        snprintf(cells[C_NAME], 256, "-");
        snprintf(cells[C_HOW], 256, "%s",
                 r->status == BM_ERR_AMBIGUOUS   ? "ambiguous"
                 : r->status == BM_ERR_NOT_FOUND ? "not found"
                                                 : "error");
        return;
    }
    const bm_place *pl = r->match.place;
    snprintf(cells[C_NAME], 256, "%s", pl->name);
    snprintf(cells[C_KIND], 256, "%s", bm_place_kind_name(pl->kind));
    snprintf(cells[C_LAT], 256, "%.4f", pl->lat_deg);
    snprintf(cells[C_LON], 256, "%.4f", pl->lon_deg);
    snprintf(cells[C_PRECISION], 256, "%s", bm_precision_name(pl->precision));
    if (r->match.how == BM_MATCH_FUZZY)
        snprintf(cells[C_HOW], 256, "fuzzy %.2f", r->match.score);
    else
        snprintf(cells[C_HOW], 256, "%s", bm_match_kind_name(r->match.how));
    snprintf(cells[C_ID], 256, "%s", pl->id);
    size_t k = 0;
    for (size_t i = 0; i < r->match.n_alternatives && k < 256; i++)
        k += (size_t)snprintf(cells[C_ALTERNATIVES] + k, 256 - k, "%s%s", i ? ", " : "",
                              r->match.alternatives[i]->id);
    /* Only units created or abolished on a known date say so ("2026-07-08.." = since then). */
    if (pl->valid_from[0] != '\0' || pl->valid_until[0] != '\0')
        snprintf(cells[C_VALID], 256, "%s..%s", pl->valid_from, pl->valid_until);
}

static void print_table(const result *results, size_t n) {
    size_t width[N_COLS];
    char cells[N_COLS][256];
    for (int c = 0; c < N_COLS; c++)
        width[c] = strlen(col_titles[c]);
    for (size_t i = 0; i < n; i++) {
        format_cells(&results[i], cells);
        for (int c = 0; c < N_COLS; c++) {
            const size_t w = text_width(cells[c]);
            if (w > width[c])
                width[c] = w;
        }
    }
    for (size_t i = 0; i <= n; i++) {
        if (i == 0) {
            for (int c = 0; c < N_COLS; c++)
                snprintf(cells[c], 256, "%s", col_titles[c]);
        } else {
            format_cells(&results[i - 1], cells);
        }
        int last = N_COLS - 1;
        while (last > 0 && cells[last][0] == '\0')
            last--;
        for (int c = 0; c <= last; c++) {
            const bool is_number = c == C_LAT || c == C_LON;
            const size_t pad = width[c] - text_width(cells[c]);
            if (is_number)
                printf("%*s", (int)pad, "");
            fputs(cells[c], stdout);
            if (c < last)
                printf("%*s", (int)(is_number ? 2 : pad + 2), "");
        }
        putchar('\n');
    }
    /* Why a name went to one place when it also names others (a district and villages). */
    for (size_t i = 0; i < n; i++) {
        if (results[i].status == BM_OK && results[i].match.why[0] != '\0')
            printf("why '%s': %s\n", results[i].query, results[i].match.why);
    }
}

static cJSON *place_json(const bm_place *pl) {
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return NULL;
    cJSON_AddStringToObject(o, "id", pl->id);
    cJSON_AddStringToObject(o, "name", pl->name);
    cJSON_AddStringToObject(o, "kind", bm_place_kind_name(pl->kind));
    return o;
}

/* `--file`: one line on standard error saying how the names fared, as render would take them. */
static void print_summary(const result *results, size_t n) {
    size_t n_placed = 0, n_fuzzy = 0, n_ambiguous = 0, n_unlocated = 0, n_outside = 0,
           n_unknown = 0;
    for (size_t i = 0; i < n; i++) {
        const result *r = &results[i];
        if (r->status == BM_OK)
            r->match.how == BM_MATCH_FUZZY ? n_fuzzy++ : n_placed++;
        else if (r->status == BM_ERR_AMBIGUOUS)
            n_ambiguous++;
        else if (strstr(r->err.message, "knows by name") != NULL)
            n_unlocated++;
        else if (strstr(r->err.message, "outside") != NULL)
            n_outside++;
        else
            n_unknown++;
    }
    fprintf(stderr,
            "balmap: %zu name%s: %zu placed, %zu only approximately (fuzzy: render refuses them "
            "unless --accept-fuzzy), %zu ambiguous, %zu known by name only, %zu outside the area "
            "said, %zu unknown\n",
            n, n == 1 ? "" : "s", n_placed, n_fuzzy, n_ambiguous, n_unlocated, n_outside,
            n_unknown);
}

static bm_status print_json(const result *results, size_t n) {
    cJSON *root = cJSON_CreateArray();
    bm_status st = root != NULL ? BM_OK : BM_ERR_NOMEM;
    for (size_t i = 0; st == BM_OK && i < n; i++) {
        const result *r = &results[i];
        cJSON *o = cJSON_CreateObject();
        if (o == NULL || !cJSON_AddItemToArray(root, o)) {
            cJSON_Delete(o);
            st = BM_ERR_NOMEM;
            break;
        }
        cJSON_AddStringToObject(o, "query", r->query);
        if (r->status != BM_OK) {
            cJSON_AddStringToObject(o, "status",
                                    r->status == BM_ERR_AMBIGUOUS   ? "ambiguous"
                                    : r->status == BM_ERR_NOT_FOUND ? "not_found"
                                                                    : "error");
            cJSON_AddStringToObject(o, "error", r->err.message);
            if (r->err.hint[0] != '\0')
                cJSON_AddStringToObject(o, "hint", r->err.hint);
            continue;
        }
        const bm_place *pl = r->match.place;
        cJSON_AddStringToObject(o, "status", "ok");
        cJSON_AddStringToObject(o, "id", pl->id);
        cJSON_AddStringToObject(o, "name", pl->name);
        cJSON_AddStringToObject(o, "kind", bm_place_kind_name(pl->kind));
        cJSON_AddNumberToObject(o, "lat", pl->lat_deg);
        cJSON_AddNumberToObject(o, "lon", pl->lon_deg);
        cJSON_AddStringToObject(o, "precision", bm_precision_name(pl->precision));
        cJSON_AddStringToObject(o, "how", bm_match_kind_name(r->match.how));
        cJSON_AddNumberToObject(o, "score", r->match.score);
        cJSON_AddStringToObject(o, "matched", r->match.matched);
        cJSON_AddStringToObject(o, "admin1", pl->admin1);
        cJSON_AddStringToObject(o, "admin2", pl->admin2);
        cJSON_AddStringToObject(o, "country", pl->country);
        cJSON_AddStringToObject(o, "source", pl->source);
        if (pl->valid_from[0] != '\0')
            cJSON_AddStringToObject(o, "valid_from", pl->valid_from);
        else
            cJSON_AddNullToObject(o, "valid_from");
        if (pl->valid_until[0] != '\0')
            cJSON_AddStringToObject(o, "valid_until", pl->valid_until);
        else
            cJSON_AddNullToObject(o, "valid_until");
        if (r->match.why[0] != '\0')
            cJSON_AddStringToObject(o, "why", r->match.why);
        cJSON *alts = cJSON_AddArrayToObject(o, "alternatives");
        for (size_t k = 0; alts != NULL && k < r->match.n_alternatives; k++) {
            cJSON *a = place_json(r->match.alternatives[k]);
            if (a == NULL || !cJSON_AddItemToArray(alts, a)) {
                cJSON_Delete(a);
                st = BM_ERR_NOMEM;
            }
        }
    }
    char *text = st == BM_OK ? cJSON_Print(root) : NULL;
    if (text != NULL) {
        puts(text);
        cJSON_free(text);
    } else {
        st = BM_ERR_NOMEM;
    }
    cJSON_Delete(root);
    return st;
}

int cmd_geocode(int argc, char **argv) {
    enum { OPT_DATA_DIR = 256 };
    static const struct option options[] = {
        {"kind", required_argument, NULL, 'k'},
        {"gazetteer", required_argument, NULL, 'g'},
        {"file", required_argument, NULL, 'f'},
        {"json", no_argument, NULL, 'j'},
        {"data-dir", required_argument, NULL, OPT_DATA_DIR},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bm_place_kind want = BM_KIND_ANY;
    const char *gazetteers[MAX_GAZETTEERS];
    size_t n_gazetteers = 0;
    const char *names_file = NULL, *data_dir = NULL;
    bool is_json = false;
    int opt;
    opterr = 0; /* our own one-line messages */
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":k:g:f:jh", options, NULL)) != -1) {
        switch (opt) {
        case 'k':
            if (!bm_place_kind_parse(optarg, &want))
                return usage_error("unknown kind '%s'; expected one of: town, district, "
                                   "province, country, region, any",
                                   optarg);
            break;
        case 'g':
            if (n_gazetteers == MAX_GAZETTEERS)
                return usage_error("too many --gazetteer files (at most %d)", MAX_GAZETTEERS);
            gazetteers[n_gazetteers++] = optarg;
            break;
        case 'f':
            if (names_file != NULL)
                return usage_error("--file given twice (last: '%s')", optarg);
            names_file = optarg;
            break;
        case 'j':
            is_json = true;
            break;
        case OPT_DATA_DIR:
            if (optarg[0] == '\0')
                return usage_error("--data-dir needs a directory");
            data_dir = optarg;
            break;
        case 'h':
            print_help(stdout);
            return BM_EXIT_OK;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            if (optopt != 0)
                return usage_error("unknown option '-%c'", optopt);
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc && names_file == NULL)
        return usage_error("no place name given");

    int code = BM_EXIT_OK;
    bm_error err = {0};
    bm_gazetteer *gz = NULL;
    bm_buf names_text = BM_BUF_INIT(NAMES_MAX_BYTES);
    const char **names = NULL;
    size_t n_names = 0, n_names_alloc = 0, n_argv_names = 0;
    name_at *where = NULL; /* of the names from --file, after the n_argv_names of argv */
    size_t n_where_alloc = 0;
    result *results = NULL;

    bm_buf path = BM_BUF_INIT(4096);
    if (bm_buf_printf(&path, "%s/shapes/gazetteer.tsv", bm_cli_data_dir(data_dir)) != BM_OK) {
        bm_error_set(&err, BM_ERR_NOMEM, "data directory path too long");
        goto fail;
    }
    gz = bm_gazetteer_load(bm_buf_str(&path), &err);
    if (gz == NULL)
        goto fail;
    for (size_t i = 0; i < n_gazetteers; i++) {
        if (bm_gazetteer_add_file(gz, gazetteers[i], &err) != BM_OK)
            goto fail;
    }

    for (int i = optind; i < argc; i++) {
        void *items = names;
        if (bm_grow(&items, &n_names_alloc, n_names + 1, sizeof *names) != BM_OK) {
            bm_error_set(&err, BM_ERR_NOMEM, "out of memory");
            goto fail;
        }
        names = items;
        names[n_names++] = argv[i];
    }
    if (names_file != NULL) {
        const bm_status st = strcmp(names_file, "-") == 0
                                 ? read_stdin(&names_text)
                                 : bm_buf_read_file(&names_text, names_file, NAMES_MAX_BYTES, &err);
        if (st != BM_OK) {
            bm_error_set(&err, st, "cannot read names from standard input");
            goto fail;
        }
        /* A NUL byte would end the text there, dropping every name after it in silence. */
        const char *nul = memchr(names_text.data, '\0', names_text.len);
        if (nul != NULL) {
            bm_error_set(&err, BM_ERR_SYNTAX,
                         "NUL byte in the list of names; expected UTF-8 text, one name a line");
            bm_error_file(&err, strcmp(names_file, "-") == 0 ? "<stdin>" : names_file);
            bm_utf8_locate(names_text.data, (size_t)(nul - names_text.data), &err.line,
                           &err.column);
            bm_error_hint(&err, "is this a text file? save it as UTF-8 (UTF-16 has NUL bytes)");
            goto fail;
        }
        n_argv_names = n_names;
        /* where[] is indexed from 0 for every name: the argv ones get no place */
        void *items = NULL;
        if (n_names > 0 && bm_grow(&items, &n_where_alloc, n_names, sizeof *where) != BM_OK) {
            bm_error_set(&err, BM_ERR_NOMEM, "out of memory");
            goto fail;
        }
        where = items;
        for (size_t i = 0; i < n_names; i++)
            where[i] = (name_at){0, 0};
        if (collect_names(names_text.data, &names, &n_names, &n_names_alloc, &where,
                          &n_where_alloc) != BM_OK) {
            bm_error_set(&err, BM_ERR_NOMEM, "out of memory");
            goto fail;
        }
    }

    results = calloc(n_names > 0 ? n_names : 1, sizeof *results);
    if (results == NULL) {
        bm_error_set(&err, BM_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < n_names; i++) {
        result *r = &results[i];
        r->query = names[i];
        r->status = bm_gazetteer_lookup(gz, names[i], want, &r->match, &r->err);
        if (r->status != BM_OK && names_file != NULL && i >= n_argv_names) {
            /* names.txt:LINE:COLUMN, so a long list's problems can be found */
            bm_error_file(&r->err, strcmp(names_file, "-") == 0 ? "<stdin>" : names_file);
            r->err.line = where[i].line;
            r->err.column = where[i].column;
        }
        if (r->status != BM_OK) {
            bm_report_error(&r->err);
            if (bm_exit_code(r->status) > code)
                code = bm_exit_code(r->status);
        }
    }
    if (is_json) {
        if (print_json(results, n_names) != BM_OK) {
            bm_error_set(&err, BM_ERR_NOMEM, "out of memory while printing JSON");
            goto fail;
        }
    } else {
        print_table(results, n_names);
    }
    if (names_file != NULL)
        print_summary(results, n_names);
    goto done;

fail:
    bm_report_error(&err);
    code = bm_exit_code(err.status);
done:
    free(results);
    free(names);
    free(where);
    bm_buf_free(&names_text);
    bm_buf_free(&path);
    bm_gazetteer_free(gz);
    return code;
}
