/* SPDX-License-Identifier: MIT */
/* gen-docs.c - bm_gen_docs man|bash TEMPLATE OUT VERSION: writes the man page balmap(1) or the
 * bash completion from its template (dist/balmap.1.in, dist/balmap.bash.in), filling in the
 * render options from the one option table (src/cli/options.c), so that neither can miss an
 * option `render --help` shows. Run at build time (CMakeLists.txt, install section); not
 * installed. Placeholders: @VERSION@, and
 *   man:  @RENDER_OPTIONS@ (a .TP paragraph per option), @RENDER_KEYS@ (the manifest keys);
 *   bash: @RENDER_OPTIONS@ (every -X and --name), @RENDER_CASES@ (a case per option's value). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"

/* Extensions tried on `bm_format_from_path`: those it accepts are the output formats. */
static const char *const candidate_formats[] = {"png",  "svg", "pdf", "html", "htm", "jpg",
                                                "jpeg", "tif", "eps", "ps",   "webp"};

/* The output formats balmap writes, "png svg pdf" (sep between). */
static void output_formats(char *out, size_t size, const char *sep) {
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof candidate_formats / sizeof candidate_formats[0]; i++) {
        char path[32];
        bm_format f;
        bm_error err = {0};
        snprintf(path, sizeof path, "map.%s", candidate_formats[i]);
        if (bm_format_from_path(path, &f, &err) != BM_OK)
            continue;
        const int k = snprintf(out + n, size - n, "%s%s", n > 0 ? sep : "", candidate_formats[i]);
        if (k < 0 || (size_t)k >= size - n)
            break;
        n += (size_t)k;
    }
}

/* Text for roff: one line (the table's '\n' starts a continuation line), backslashes escaped,
 * a hyphen that starts a word written as a minus (an option or a range), and no control
 * character at the start of the line. */
static void put_roff_text(FILE *out, const char *text) {
    if (text[0] == '.' || text[0] == '\'')
        fputs("\\&", out);
    char prev = ' ';
    for (const char *p = text; *p != '\0'; p++) {
        const char c = *p == '\n' ? ' ' : *p;
        if (c == '\\')
            fputs("\\e", out);
        else if (c == '-' && (prev == ' ' || prev == '(' || prev == '-' || prev == '/'))
            fputs("\\-", out);
        else
            fputc(c, out);
        prev = c;
    }
}

static void put_words(FILE *out, const bm_cli_option *opt, const char *sep) {
    for (int i = 0; opt->word(i) != NULL; i++)
        fprintf(out, "%s%s", i > 0 ? sep : "", opt->word(i));
}

static bool takes_value(const bm_cli_option *opt) {
    return opt->kind != BM_OPT_FLAG && opt->kind != BM_OPT_HELP;
}

static void put_roff_name(FILE *out, const char *name) {
    for (const char *p = name; *p != '\0'; p++) {
        if (*p == '-')
            fputs("\\-", out);
        else
            fputc(*p, out);
    }
}

static void man_options(FILE *out) {
    for (size_t i = 0; i < bm_cli_n_options; i++) {
        const bm_cli_option *opt = &bm_cli_options[i];
        fputs(".TP\n", out);
        if (opt->short_flag != 0)
            fprintf(out, "\\fB\\-%c\\fR, ", opt->short_flag);
        fputs("\\fB\\-\\-", out);
        put_roff_name(out, opt->name);
        fputs("\\fR", out);
        if (opt->arg != NULL)
            fprintf(out, " \\fI%s\\fR", opt->arg);
        fputc('\n', out);
        /* As in --help: lower-case, since the text may start with a value ("even splits"). */
        put_roff_text(out,
                      opt->kind == BM_OPT_HELP ? "show this command's help and exit" : opt->help);
        fputs(".\n", out);
        if (opt->kind == BM_OPT_WORD) {
            fputs("One of: ", out);
            put_words(out, opt, ", ");
            fputs(".\n", out);
        }
        if (strcmp(opt->name, "output") == 0) {
            char formats[128];
            output_formats(formats, sizeof formats, ", ");
            fprintf(out, "The format follows the extension: %s.\n", formats);
        }
        if (opt->default_doc != NULL) {
            fputs("Default: ", out);
            put_roff_text(out, opt->default_doc);
            fputs(".\n", out);
        }
        if (opt->key != NULL)
            fprintf(out, "In a batch manifest: \\fB%s\\fR.\n", opt->key);
    }
}

static void bash_options(FILE *out) {
    for (size_t i = 0; i < bm_cli_n_options; i++) {
        const bm_cli_option *opt = &bm_cli_options[i];
        if (opt->short_flag != 0)
            fprintf(out, "-%c ", opt->short_flag);
        fprintf(out, "--%s%s", opt->name, i + 1 < bm_cli_n_options ? " " : "");
    }
}

/* One case of _balmap_render_value per option that takes a value. */
static void bash_cases(FILE *out) {
    for (size_t i = 0; i < bm_cli_n_options; i++) {
        const bm_cli_option *opt = &bm_cli_options[i];
        if (!takes_value(opt))
            continue;
        fputs("    ", out);
        if (opt->short_flag != 0)
            fprintf(out, "-%c | ", opt->short_flag);
        fprintf(out, "--%s) ", opt->name);
        switch (opt->kind) {
        case BM_OPT_WORD:
            fputs("_balmap_words \"", out);
            put_words(out, opt, " ");
            fputs("\" \"$cur\" ;;\n", out);
            break;
        case BM_OPT_PAPER:
            fputs("_balmap_words \"A3 A4 A5 letter A3-portrait A4-portrait A5-portrait "
                  "letter-portrait phone\" \"$cur\" ;;\n",
                  out);
            break;
        case BM_OPT_PATH:
        case BM_OPT_PATHS:
            if (strcmp(opt->name, "output") == 0) {
                char formats[128];
                output_formats(formats, sizeof formats, " ");
                fprintf(out, "_balmap_files \"$cur\" %s ;;\n", formats);
            } else if (strcmp(opt->name, "data-dir") == 0) {
                fputs("COMPREPLY=($(compgen -d -- \"$cur\")) ;;\n", out);
            } else if (strcmp(opt->name, "style") == 0) {
                fputs("_balmap_files \"$cur\" json ;;\n", out);
            } else if (strcmp(opt->name, "gazetteer") == 0) {
                /* the tables, a GeoNames dump (PK.txt) and named points (docs/gazetteers.md) */
                fputs("_balmap_files \"$cur\" csv tsv txt geojson json ;;\n", out);
            } else {
                fputs("_balmap_files \"$cur\" ;;\n", out);
            }
            break;
        case BM_OPT_TEXT:
            if (strcmp(opt->name, "format") == 0) {
                /* the format of -o -: its four names (options.c), not -o's extensions (htm) */
                fputs("_balmap_words \"png svg pdf html\" \"$cur\" ;;\n", out);
            } else {
                fputs(";;\n", out);
            }
            break;
        default: /* a number, a date or text: nothing to offer */
            fputs(";;\n", out);
            break;
        }
    }
}

static void manifest_keys(FILE *out) {
    char keys[1024];
    bm_cli_list_keys(keys, sizeof keys);
    put_roff_text(out, keys);
}

int main(int argc, char **argv) {
    if (argc != 5 || (strcmp(argv[1], "man") != 0 && strcmp(argv[1], "bash") != 0)) {
        fputs("usage: bm_gen_docs man|bash TEMPLATE OUT VERSION\n", stderr);
        return 2;
    }
    const bool is_man = strcmp(argv[1], "man") == 0;
    FILE *in = fopen(argv[2], "r");
    if (in == NULL) {
        perror(argv[2]);
        return 1;
    }
    FILE *out = fopen(argv[3], "w");
    if (out == NULL) {
        perror(argv[3]);
        fclose(in);
        return 1;
    }
    char line[1024];
    int c;
    size_t n = 0;
    bool ok = true;
    /* Copies the template line by line, replacing each placeholder where it stands. */
    while (ok && (c = fgetc(in)) != EOF) {
        if (n + 1 < sizeof line)
            line[n++] = (char)c;
        else
            ok = false;
        if (c != '\n')
            continue;
        line[n] = '\0';
        n = 0;
        for (const char *p = line; *p != '\0';) {
            const char *at = strchr(p, '@');
            const char *end = at ? strchr(at + 1, '@') : NULL;
            if (at == NULL || end == NULL) {
                fputs(p, out);
                break;
            }
            fwrite(p, 1, (size_t)(at - p), out);
            const size_t len = (size_t)(end - at + 1);
            if (len == 9 && strncmp(at, "@VERSION@", len) == 0) {
                fputs(argv[4], out);
            } else if (len == 16 && strncmp(at, "@RENDER_OPTIONS@", len) == 0) {
                if (is_man)
                    man_options(out);
                else
                    bash_options(out);
                if (is_man && end[1] == '\n')
                    end++; /* the paragraphs end with their own newline */
            } else if (is_man && len == 13 && strncmp(at, "@RENDER_KEYS@", len) == 0) {
                manifest_keys(out);
            } else if (!is_man && len == 14 && strncmp(at, "@RENDER_CASES@", len) == 0) {
                bash_cases(out);
                if (end[1] == '\n')
                    end++;
            } else {
                fwrite(at, 1, len - 1, out); /* not a placeholder: "@" and what follows */
                p = end;
                continue;
            }
            p = end + 1;
        }
    }
    if (n > 0 || !ok) {
        fprintf(stderr, "%s: %s\n", argv[2],
                ok ? "the last line has no newline" : "a line is too long");
        ok = false;
    }
    fclose(in);
    if (fclose(out) != 0 || !ok) {
        remove(argv[3]);
        return 1;
    }
    return 0;
}
