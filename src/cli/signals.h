/* SPDX-License-Identifier: MIT */
/* signals.h - no temporary file left behind when balmap is interrupted.
 *
 * The library stages outputs in unnamed files (O_TMPFILE), which vanish with the process
 * whatever kills it. Where a file system cannot make them it falls back to named temporary files
 * and reports each through bm_output_hooks.on_temp; bm_cli_on_temp keeps their names in a
 * fixed table, and the handler installed by bm_cli_signals_install unlinks them on SIGINT,
 * SIGTERM, SIGHUP or SIGQUIT, then dies of the same signal (so the exit status still says so).
 * SIGKILL cannot be caught: only the O_TMPFILE path is safe from it. */
#ifndef BM_CLI_SIGNALS_H
#define BM_CLI_SIGNALS_H

#include <stdbool.h>

#include "balmap.h"

/* Installs the handler (once per process; later calls do nothing). */
void bm_cli_signals_install(void);

/* An on_temp hook: remembers (is_created) or forgets a temporary file's name. Thread-safe and
 * lock-free; a name that does not fit the table (256 at once) is simply not remembered. */
void bm_cli_on_temp(void *user, const char *temp_path, bool is_created);

/* Unlinks every remembered temporary file now (before _exit with threads still running). */
void bm_cli_remove_temps(void);

#endif
