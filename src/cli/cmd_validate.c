/* SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "cli.h"

int cmd_validate(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fputs("balmap: 'validate' is not built yet\n", stderr);
    return BM_EXIT_USAGE;
}
