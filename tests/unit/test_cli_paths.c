/* SPDX-License-Identifier: MIT */
/* test_cli_paths.c - where balmap looks for its data and modules (src/cli/paths.c): the option,
 * then $BALMAP_DATA_DIR, then beside the program, then the build's default. The installed case
 * itself (a tree under a prefix, moved) is cli.install's. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "cli.h"

static void test_beside_program(void) {
    char dir[4096] = "";
    /* This program is in build/<preset>/tests/: "." holds it, canonically named. */
    CHECK(bm_cli_beside_program(".", "test_cli_paths", dir, sizeof dir));
    CHECK(dir[0] == '/');
    const char *last = strrchr(dir, '/');
    CHECK_STREQ(last, "/tests");
    /* ".." is written out: the build directory, without "/tests/..". */
    char up[4096] = "";
    CHECK(bm_cli_beside_program("..", "tests/test_cli_paths", up, sizeof up));
    CHECK(strstr(up, "..") == NULL);
    CHECK(strncmp(dir, up, strlen(up)) == 0 && strcmp(dir + strlen(up), "/tests") == 0);
    /* Nothing there, or not the file that shows it is ours: not found, out untouched. */
    char none[64] = "untouched";
    CHECK(!bm_cli_beside_program("../share/balmap-nowhere", ".", none, sizeof none));
    CHECK(!bm_cli_beside_program(".", "shapes/gazetteer.tsv", none, sizeof none));
    CHECK_STREQ(none, "untouched");
    /* Too long for out: not found rather than cut. */
    char tiny[4] = "";
    CHECK(!bm_cli_beside_program(".", "test_cli_paths", tiny, sizeof tiny));
}

static void test_data_dir_order(void) {
    const char *how = NULL;
    unsetenv("BALMAP_DATA_DIR");
    /* Built, not installed: nothing at ../share/balmap from tests/, so the source tree. */
    CHECK_STREQ(bm_cli_data_dir_how(NULL, &how), BM_SOURCE_DIR);
    CHECK_STREQ(how, "the build's default: the source tree");
    CHECK_STREQ(bm_cli_data_dir(""), BM_SOURCE_DIR); /* an empty option is no option */
    CHECK(setenv("BALMAP_DATA_DIR", "/from/env", 1) == 0);
    CHECK_STREQ(bm_cli_data_dir_how(NULL, &how), "/from/env");
    CHECK_STREQ(how, "from $BALMAP_DATA_DIR");
    CHECK_STREQ(bm_cli_data_dir_how("/from/option", &how), "/from/option");
    CHECK_STREQ(how, "from --data-dir");
    CHECK(setenv("BALMAP_DATA_DIR", "", 1) == 0); /* empty: unset */
    CHECK_STREQ(bm_cli_data_dir(NULL), BM_SOURCE_DIR);
    unsetenv("BALMAP_DATA_DIR");
}

static void test_module_dir(void) {
    /* Not installed: where the build puts modules, an existing directory. */
    const char *dir = bm_cli_module_dir();
    struct stat st;
    REQUIRE(dir != NULL);
    CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
    CHECK_STREQ(bm_cli_module_dir(), dir);
}

int main(void) {
    RUN(test_beside_program);
    RUN(test_data_dir_order);
    RUN(test_module_dir);
    return CHECK_DONE();
}
