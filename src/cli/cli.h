/* SPDX-License-Identifier: MIT */
/* cli.h - what the subcommands share: their entry points, exit codes and error printing. */
#ifndef BM_CLI_H
#define BM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "balmap.h"

/* Exit codes, listed in `balmap --help`. 124-127 and 137 are left to shells and timeout. */
enum {
    BM_EXIT_OK = 0,
    BM_EXIT_INPUT = 1, /* input refused: bad data, unknown place, invalid style */
    BM_EXIT_USAGE = 2, /* bad command line */
    BM_EXIT_IO = 3     /* I/O or dependency failure: unreadable, unwritable, library failure */
};

int cmd_render(int argc, char **argv);
int cmd_geocode(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_batch(int argc, char **argv);

/* Prints "balmap: file:line:col: /pointer: message" and "  hint: ..." to stderr; for syntax
 * errors with a line, also that line of the file with a caret under the column. */
void bm_report_error(const bm_error *err);
/* The same for a warning ("balmap: warning: ..."). */
void bm_report_warning(const bm_error *err);
/* Prints every diagnostic (errors and warnings) in order, then a count line if any were cut. */
void bm_report_diags(const bm_diags *d);
/* Prints "balmap COMMAND: <message>" and the command's one-line usage to stderr, as every
 * usage error does; returns BM_EXIT_USAGE. */
int bm_usage_error(const char *command, const char *usage, const char *fmt, ...) BM_PRINTF(3, 4);
/* The exit code for a failure status. */
int bm_exit_code(bm_status status);
/* Paths (paths.c). The directory holding shapes/ and styles/: --data-dir, else
 * $BALMAP_DATA_DIR, else the installed data found from the program's own location
 * (/proc/self/exe, then ../share/balmap: GNUInstallDirs' DATADIR/balmap from BINDIR), else the
 * build-time default (the source tree). The first call must come before any thread starts. */
const char *bm_cli_data_dir(const char *from_option);
/* The limit of an incident file read from standard input (docs/input-formats.md): it bounds
 * what a stray pipe can make us hold. */
#define BM_CLI_MAX_STDIN_BYTES ((size_t)1 << 30)
/* Reads all of standard input into b (made with BM_BUF_INIT(BM_CLI_MAX_STDIN_BYTES)),
 * NUL-terminated; prints the problem and returns -1 on failure, else 0. For `render -` and
 * `validate -`. */
int bm_cli_read_stdin(bm_buf *b);
/* The same, and in *how (if not NULL) which of those it is, for `balmap --version`. */
const char *bm_cli_data_dir_how(const char *from_option, const char **how);
/* The directory of balmap's private modules (dlopen): LIBDIR/balmap found from the program's
 * location when installed, else the build directory. Same threading rule. */
const char *bm_cli_module_dir(void);
/* Whether the directory rel (relative to the running program's directory) holds the file probe;
 * if so writes its canonical path to out. */
bool bm_cli_beside_program(const char *rel, const char *probe, char *out, size_t out_size);

/* The last second of year 9999: PDF dates have four-digit years. */
#define BM_MAX_UNIX_S 253402300799LL
/* The PDF creation date for a map of input_path, so that the same inputs give the same bytes:
 * SOURCE_DATE_EPOCH (reproducible-builds.org) if set, else the input's modification time.
 * Returns -1 when SOURCE_DATE_EPOCH is not a whole number from 0 to BM_MAX_UNIX_S. */
int bm_cli_creation_date(const char *input_path, int64_t *out);

/* A print size: "A3", "A4", "A5", "letter" (landscape; "-portrait" turns it) or "WxHmm" with
 * sides of BM_PAPER_MIN_MM to BM_PAPER_MAX_MM. Returns -2 for a WxHmm with a side outside that
 * range, -1 for anything else. */
#define BM_PAPER_MIN_MM 50
#define BM_PAPER_MAX_MM 2000
int bm_cli_parse_paper(const char *name, double *w_mm, double *h_mm);
/* The page in pixels for a print size: at *dpi, or at 150 dpi (then set in *dpi) when it is
 * not given (<= 0). */
void bm_cli_paper_pixels(double w_mm, double h_mm, double *dpi, double *w_px, double *h_px);
#define BM_PAPER_SIZES                                                                             \
    "one of: A3, A4, A5, letter, or WxHmm such as 240x180mm (landscape; add -portrait to a "       \
    "name), or phone"
/* --size phone: as wide as a phone shows a web page (390 CSS px, 103 mm), long enough for the
 * legend under the map; 1080 px wide unless --dpi says otherwise. */
#define BM_PHONE_W_MM 103.0
#define BM_PHONE_H_MM 330.0

#endif
