/* SPDX-License-Identifier: MIT */
/* options.h - every option of `render`, once: the table that `render`'s command line, a batch
 * manifest entry (docs/batch.md), `render --help` and the --if-changed stamp (stamp.h) all read.
 *
 * Adding an option is one row in bm_cli_options[] (options.c) plus its use in the library: the
 * row gives its long and short flag, manifest key, kind of value, range or words, help text and
 * where the value goes. A value is checked in one place (bm_cli_option_set), whether it came from
 * the command line or a manifest. Every option that changes the picture is hashed into the stamp
 * (tests/unit/test_cli_options.c fails for one that is not).
 *
 * A bm_cli_opts is plain data owned by the caller; the strings it holds are borrowed (argv, or a
 * batch's arena) and must outlive it. */
#ifndef BM_CLI_OPTIONS_H
#define BM_CLI_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "balmap.h"

#define BM_CLI_MAX_LIST    64 /* outputs, gazetteers and layers per map */
#define BM_CLI_MAX_OPTIONS 64 /* rows in bm_cli_options (checked when it compiles) */

typedef enum bm_opt_kind {
    BM_OPT_FLAG,   /* no value on the command line; true or false in a manifest */
    BM_OPT_NUMBER, /* a number from lo to hi */
    BM_OPT_WORD,   /* one of the words word(0), word(1), ...: stored as its index */
    BM_OPT_TEXT,   /* any non-empty text */
    BM_OPT_DATE,   /* a calendar date, YYYY-MM-DD */
    BM_OPT_PAPER,  /* a print size (bm_cli_parse_paper): sets the page in pixels */
    BM_OPT_PATH,   /* a file; relative to the manifest's directory in a manifest */
    BM_OPT_PATHS,  /* a file, repeatable; a string or an array of strings in a manifest */
    BM_OPT_HELP    /* --help: handled by the command */
} bm_opt_kind;

/* What an option is for: a picture option changes the map and so is part of the stamp. */
typedef enum bm_opt_use {
    BM_USE_PICTURE, /* hashed into the --if-changed stamp */
    BM_USE_RUN      /* where output goes or how the run behaves: not part of the picture */
} bm_opt_use;

/* What `render` collects: the request and what is not part of it. */
typedef struct bm_cli_list {
    const char *items[BM_CLI_MAX_LIST];
    size_t n;
} bm_cli_list;

typedef struct bm_cli_opts {
    bm_render_request req;
    bm_cli_list outputs, gazetteers, layers;
    double paper_w_mm, paper_h_mm; /* --size; 0: not given */
    bool has_pixels;               /* --width or --height given */
    bool is_if_changed, is_quiet;
    const char *data_dir; /* --data-dir; NULL: the default */
    const char *format;   /* --format, of -o -; NULL: not given */
    bool has_stdout;      /* -o - given (with --format): req.piped_format is set */
} bm_cli_opts;

typedef struct bm_cli_option {
    const char *name; /* --name */
    int short_flag;   /* -X; 0: none (getopt then gets an internal code) */
    const char *key;  /* the key in a manifest entry's "options"; NULL: command line only */
    bm_opt_kind kind;
    bm_opt_use use;
    const char *arg;            /* the value's name in --help ("PX") */
    const char *help;           /* --help text; each '\n' starts an indented line */
    const char *default_doc;    /* the default, for --help; NULL: none shown */
    double lo, hi;              /* BM_OPT_NUMBER: the range */
    const char *(*word)(int i); /* BM_OPT_WORD: the i-th word, NULL past the last */
    size_t field;               /* where the value goes: an offset in bm_cli_opts */
    /* BM_OPT_WORD: stores and reads the word's index (fields of different enum types). */
    void (*set_word)(bm_render_request *req, int i);
    int (*get_word)(const bm_render_request *req);
    const char *sample; /* a valid value that differs from the default (the stamp test) */
} bm_cli_option;

extern const bm_cli_option bm_cli_options[];
extern const size_t bm_cli_n_options;

/* The defaults: bm_render_request_init's, nothing collected. */
void bm_cli_opts_init(bm_cli_opts *o);

/* The option a manifest names by key ("as_of"); NULL if none (or command line only). */
const bm_cli_option *bm_cli_option_by_key(const char *key);
/* The option --name ("as-of"); NULL if none. */
const bm_cli_option *bm_cli_option_by_name(const char *name);

/* Checks text as a value of opt and stores it in o. For BM_OPT_FLAG, text is "true" or "false"
 * (the command line passes "true"). For a path in a manifest the caller resolves it first. On a
 * bad value returns false with the problem in msg, worded after `who` ("--width" or "'width'"). */
bool bm_cli_option_set(bm_cli_opts *o, const bm_cli_option *opt, const char *who, const char *text,
                       char *msg, size_t msg_size);

/* After every option: the checks between options (--size with --width) and the lists linked into
 * o->req. Returns false with the problem in msg; `size`, `width` and `height` name the options as
 * the caller's users write them. */
bool bm_cli_opts_finish(bm_cli_opts *o, bool is_manifest, char *msg, size_t msg_size);

/* getopt_long's tables from bm_cli_options: longs holds BM_CLI_MAX_OPTIONS + 1 entries, shorts
 * 3 * BM_CLI_MAX_OPTIONS + 2 bytes. Options without a short flag get codes from 256 on. */
void bm_cli_getopt_tables(struct option *longs, char *shorts);
/* The option getopt_long returned code for; NULL if none. */
const bm_cli_option *bm_cli_option_by_code(int code);

/* The manifest keys, "width, height, ..." in table order. */
void bm_cli_list_keys(char *out, size_t out_size);

/* The options part of `render --help`, one option per entry in table order. */
void bm_cli_print_options(FILE *out);

#endif
