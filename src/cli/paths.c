/* SPDX-License-Identifier: MIT */
/* paths.c - where balmap finds its data (shapes/, styles/) and its private modules: the
 * options and environment first, then beside the installed program, then where the build left
 * them (cli.h). */
#define _XOPEN_SOURCE 700 /* realpath (XSI), beside the build's _POSIX_C_SOURCE */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* Set by CMakeLists.txt: the source tree, and the build directory (where modules are built). */
#ifndef BM_DEFAULT_DATA_DIR
#define BM_DEFAULT_DATA_DIR "."
#endif
#ifndef BM_BUILD_MODULE_DIR
#define BM_BUILD_MODULE_DIR "."
#endif
/* From the installed program's directory to its data and its modules; CMakeLists.txt's install
 * section sets them from GNUInstallDirs (BINDIR to DATADIR/balmap and to LIBDIR/balmap). */
#ifndef BM_REL_DATA_DIR
#define BM_REL_DATA_DIR "../share/balmap"
#endif
#ifndef BM_REL_MODULE_DIR
#define BM_REL_MODULE_DIR "../lib/balmap"
#endif
/* A file every data directory holds: an installed tree without it is not used. */
#define DATA_PROBE "shapes/gazetteer.tsv"

bool bm_cli_beside_program(const char *rel, const char *probe, char *out, size_t out_size) {
    char exe[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return false;
    *slash = '\0';
    char dir[PATH_MAX], probe_path[PATH_MAX];
    int k = snprintf(dir, sizeof dir, "%s/%s", exe, rel);
    if (k < 0 || (size_t)k >= sizeof dir)
        return false;
    k = snprintf(probe_path, sizeof probe_path, "%s/%s", dir, probe);
    if (k < 0 || (size_t)k >= sizeof probe_path || access(probe_path, R_OK) != 0)
        return false;
    char *canonical = realpath(dir, NULL); /* "/opt/bm/share/balmap", not ".../bin/../share" */
    if (canonical == NULL)
        return false;
    const bool fits = strlen(canonical) < out_size;
    if (fits)
        memcpy(out, canonical, strlen(canonical) + 1);
    free(canonical);
    return fits;
}

/* The installed data directory, looked up once (the commands ask before starting threads). */
static const char *installed_data_dir(void) {
    static char dir[PATH_MAX];
    static int state; /* 0: not looked up, 1: found, -1: not found */
    if (state == 0)
        state = bm_cli_beside_program(BM_REL_DATA_DIR, DATA_PROBE, dir, sizeof dir) ? 1 : -1;
    return state == 1 ? dir : NULL;
}

const char *bm_cli_data_dir_how(const char *from_option, const char **how) {
    const char *unused = NULL;
    if (how == NULL)
        how = &unused;
    if (from_option != NULL && from_option[0] != '\0') {
        *how = "from --data-dir";
        return from_option;
    }
    const char *env = getenv("BALMAP_DATA_DIR");
    if (env != NULL && env[0] != '\0') {
        *how = "from $BALMAP_DATA_DIR";
        return env;
    }
    const char *installed = installed_data_dir();
    if (installed != NULL) {
        *how = "installed, found from the program's location";
        return installed;
    }
    *how = "the build's default: the source tree";
    return BM_DEFAULT_DATA_DIR;
}

const char *bm_cli_data_dir(const char *from_option) {
    return bm_cli_data_dir_how(from_option, NULL);
}

const char *bm_cli_module_dir(void) {
    static char dir[PATH_MAX];
    static int state;
    if (state == 0)
        state = bm_cli_beside_program(BM_REL_MODULE_DIR, ".", dir, sizeof dir) ? 1 : -1;
    return state == 1 ? dir : BM_BUILD_MODULE_DIR;
}

int bm_cli_read_stdin(bm_buf *b) {
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        if (bm_buf_append(b, chunk, n) != BM_OK) {
            fprintf(stderr, "balmap: standard input is larger than 1 GiB, the limit of incident "
                            "files\n  hint: split the file (one per year or per district, say) "
                            "and map each part\n");
            return -1;
        }
    if (ferror(stdin)) {
        fprintf(stderr, "balmap: cannot read standard input: %s\n", strerror(errno));
        return -1;
    }
    if (bm_buf_append(b, "", 0) != BM_OK) /* an empty input is still a string */
        return -1;
    return 0;
}
