/* SPDX-License-Identifier: MIT */
/* test_output.c - the output transaction (issue 14, safe writes): what a commit replaces, what
 * a failure leaves, streams, symlinks, duplicates and temporary files. No map is rendered: the
 * transaction is fed bytes. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bm_buf.h"
#include "check.h"
#include "output.h"

static char dir[256];

static const char *at(const char *name) {
    static char path[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    return path[k];
}

static void put(const char *name, const char *text) {
    FILE *f = fopen(at(name), "wb");
    REQUIRE(f != NULL);
    fputs(text, f);
    fclose(f);
}

/* The file's text ("" when missing). */
static const char *get(const char *name) {
    static char text[4096];
    text[0] = '\0';
    FILE *f = fopen(at(name), "rb");
    if (f == NULL)
        return "(missing)";
    const size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

static bm_status stage(bm_output_txn *t, const char *path, const char *text, bm_error *err) {
    bm_buf b = BM_BUF_INIT(1 << 20);
    if (bm_buf_appends(&b, text) != BM_OK)
        return BM_ERR_NOMEM;
    const bm_status st = bm_output_txn_stage_take(t, path, &b, err);
    CHECK(b.data == NULL); /* taken */
    return st;
}

/* Names in dir other than the ones a test made: temporary files and backups left behind. */
static int n_strays(void) {
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    int n = 0;
    const struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strstr(e->d_name, ".balmap-") != NULL || strstr(e->d_name, ".tmp") != NULL) {
            fprintf(stderr, "  stray: %s\n", e->d_name);
            n++;
        }
    }
    closedir(d);
    return n;
}

static void commit_replaces_every_file(void) {
    put("a.txt", "old a");
    bm_error err = {0};
    bm_output_txn *t = bm_output_txn_new(NULL, &err);
    REQUIRE(t != NULL);
    REQUIRE(stage(t, at("a.txt"), "new a", &err) == BM_OK);
    REQUIRE(stage(t, at("b.txt"), "new b", &err) == BM_OK);
    CHECK_STREQ(get("a.txt"), "old a"); /* nothing before the commit */
    CHECK_STREQ(get("b.txt"), "(missing)");
    CHECK_INTEQ(n_strays(), 0); /* unnamed temporary files */
    CHECK_INTEQ(bm_output_txn_commit(t, &err), BM_OK);
    bm_output_txn_free(t);
    CHECK_STREQ(get("a.txt"), "new a");
    CHECK_STREQ(get("b.txt"), "new b");
    CHECK_INTEQ(n_strays(), 0);
    unlink(at("a.txt"));
    unlink(at("b.txt"));
}

/* A rename that fails after the first succeeded: the first is put back (defect: the first map
 * was replaced, the README says no output is written on failure). */
static void failing_second_rename_leaves_the_first(void) {
    put("a.txt", "old a");
    bm_error err = {0};
    bm_output_txn *t = bm_output_txn_new(NULL, &err);
    REQUIRE(stage(t, at("a.txt"), "new a", &err) == BM_OK);
    REQUIRE(stage(t, at("b.txt"), "new b", &err) == BM_OK);
    REQUIRE(stage(t, at("c.txt"), "new c", &err) == BM_OK);
    /* b becomes a non-empty directory after staging: renaming a file over it fails. */
    REQUIRE(mkdir(at("b.txt"), 0700) == 0);
    put("b.txt/x", "x");
    CHECK(bm_output_txn_commit(t, &err) != BM_OK);
    CHECK_STRCONTAINS(err.message, "b.txt");
    bm_output_txn_free(t);
    CHECK_STREQ(get("a.txt"), "old a");
    CHECK_STREQ(get("c.txt"), "(missing)");
    CHECK_INTEQ(n_strays(), 0);
    unlink(at("b.txt/x"));
    rmdir(at("b.txt"));
    unlink(at("a.txt"));
}

/* One output that cannot be staged (no such directory): nothing is written. */
static void unwritable_output_changes_nothing(void) {
    put("a.txt", "old a");
    bm_error err = {0};
    bm_output_txn *t = bm_output_txn_new(NULL, &err);
    REQUIRE(stage(t, at("a.txt"), "new a", &err) == BM_OK);
    CHECK(stage(t, at("nodir/scene.txt"), "scene", &err) == BM_ERR_IO);
    CHECK_STRCONTAINS(err.message, "nodir/scene.txt");
    bm_output_txn_free(t); /* not committed */
    CHECK_STREQ(get("a.txt"), "old a");
    CHECK_INTEQ(n_strays(), 0);
    /* And through bm_output_write_bytes, a directory is refused, not replaced. */
    REQUIRE(mkdir(at("d"), 0700) == 0);
    bm_buf b = BM_BUF_INIT(64);
    bm_buf_appends(&b, "x");
    err = (bm_error){0};
    CHECK(bm_output_write_bytes(at("d"), &b, &err) == BM_ERR_IO);
    CHECK_STRCONTAINS(err.message, "directory");
    struct stat sb;
    CHECK(stat(at("d"), &sb) == 0 && S_ISDIR(sb.st_mode));
    bm_buf_free(&b);
    rmdir(at("d"));
    unlink(at("a.txt"));
}

/* A symlink stays a symlink; its target is replaced (defect: the link became a file). */
static void symlink_is_followed(void) {
    put("real.txt", "old");
    REQUIRE(symlink("real.txt", at("link.txt")) == 0);
    REQUIRE(symlink("link.txt", at("link2.txt")) == 0);
    bm_buf b = BM_BUF_INIT(64);
    bm_buf_appends(&b, "new");
    bm_error err = {0};
    CHECK_INTEQ(bm_output_write_bytes(at("link2.txt"), &b, &err), BM_OK);
    struct stat sb;
    CHECK(lstat(at("link.txt"), &sb) == 0 && S_ISLNK(sb.st_mode));
    CHECK(lstat(at("link2.txt"), &sb) == 0 && S_ISLNK(sb.st_mode));
    CHECK_STREQ(get("real.txt"), "new");
    /* A dangling link creates its target. */
    REQUIRE(symlink("made.txt", at("dangling.txt")) == 0);
    CHECK_INTEQ(bm_output_write_bytes(at("dangling.txt"), &b, &err), BM_OK);
    CHECK_STREQ(get("made.txt"), "new");
    CHECK(lstat(at("dangling.txt"), &sb) == 0 && S_ISLNK(sb.st_mode));
    /* A loop is an error, not a hang. */
    REQUIRE(symlink("loop2", at("loop1")) == 0);
    REQUIRE(symlink("loop1", at("loop2")) == 0);
    CHECK(bm_output_write_bytes(at("loop1"), &b, &err) == BM_ERR_IO);
    CHECK_STRCONTAINS(err.message, "symlinks");
    bm_buf_free(&b);
    CHECK_INTEQ(n_strays(), 0);
    const char *names[] = {"real.txt",     "link.txt", "link2.txt", "made.txt",
                           "dangling.txt", "loop1",    "loop2"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unlink(at(names[i]));
}

/* A FIFO (like /dev/null, a device) is written as a stream and stays a FIFO (defect: it was
 * replaced by a regular file; as root `--scene /dev/null` replaced the system's). */
static void fifo_is_a_stream(void) {
    REQUIRE(mkfifo(at("fifo"), 0600) == 0);
    REQUIRE(symlink("fifo", at("fifo-link")) == 0);
    /* Our own reading end, so the writer's open does not wait. */
    const int rd = open(at("fifo"), O_RDWR | O_NONBLOCK);
    REQUIRE(rd >= 0);
    bm_error err = {0};
    bm_output_txn *t = bm_output_txn_new(NULL, &err);
    REQUIRE(stage(t, at("fifo-link"), "scene dump\n", &err) == BM_OK);
    REQUIRE(stage(t, at("map.txt"), "map", &err) == BM_OK);
    CHECK_INTEQ(bm_output_txn_commit(t, &err), BM_OK);
    bm_output_txn_free(t);
    char got[64] = "";
    const ssize_t n = read(rd, got, sizeof got - 1);
    CHECK_INTEQ(n, 11);
    CHECK_STREQ(got, "scene dump\n");
    close(rd);
    struct stat sb;
    CHECK(lstat(at("fifo"), &sb) == 0 && S_ISFIFO(sb.st_mode));
    CHECK(lstat(at("fifo-link"), &sb) == 0 && S_ISLNK(sb.st_mode));
    CHECK_STREQ(get("map.txt"), "map");
    unlink(at("fifo"));
    unlink(at("fifo-link"));
    unlink(at("map.txt"));
}

/* /dev/fd/N names a descriptor, written as it is (defect: /dev/stdout was "Permission
 * denied": a temporary file in /dev). */
static void dev_fd_is_the_descriptor(void) {
    put("out.txt", "");
    const int fd = open(at("out.txt"), O_WRONLY | O_APPEND);
    REQUIRE(fd >= 0);
    char path[64];
    snprintf(path, sizeof path, "/dev/fd/%d", fd);
    bm_buf b = BM_BUF_INIT(64);
    bm_buf_appends(&b, "via fd");
    bm_error err = {0};
    CHECK_INTEQ(bm_output_write_bytes(path, &b, &err), BM_OK);
    close(fd);
    CHECK_STREQ(get("out.txt"), "via fd");
    bm_buf_free(&b);
    bm_buf id = BM_BUF_INIT(4096);
    CHECK_INTEQ(bm_output_identity("-", &id, &err), BM_OK);
    CHECK_STREQ(bm_buf_str(&id), "fd:1");
    CHECK_INTEQ(bm_output_identity("/dev/stdout", &id, &err), BM_OK);
    CHECK_STREQ(bm_buf_str(&id), "fd:1");
    bm_buf_free(&id);
    unlink(at("out.txt"));
}

/* One file named twice in one render is refused: "./", "..", a symlink (defect in batch:
 * out/./x.png was not out/x.png). */
static void same_file_twice_is_refused(void) {
    REQUIRE(mkdir(at("sub"), 0700) == 0);
    REQUIRE(symlink("sub", at("alias")) == 0);
    bm_buf a = BM_BUF_INIT(4096), b = BM_BUF_INIT(4096);
    bm_error err = {0};
    CHECK_INTEQ(bm_output_identity(at("sub/x.png"), &a, &err), BM_OK);
    CHECK_INTEQ(bm_output_identity(at("sub/./x.png"), &b, &err), BM_OK);
    CHECK_STREQ(bm_buf_str(&a), bm_buf_str(&b));
    CHECK_INTEQ(bm_output_identity(at("alias/x.png"), &b, &err), BM_OK);
    CHECK_STREQ(bm_buf_str(&a), bm_buf_str(&b));
    CHECK_INTEQ(bm_output_identity(at("sub/new/../x.png"), &b, &err), BM_OK);
    CHECK_STREQ(bm_buf_str(&a), bm_buf_str(&b));
    CHECK_INTEQ(bm_output_identity(at("sub/y.png"), &b, &err), BM_OK);
    CHECK(strcmp(bm_buf_str(&a), bm_buf_str(&b)) != 0);
    CHECK(bm_buf_str(&a)[0] == '/');
    bm_output_txn *t = bm_output_txn_new(NULL, &err);
    REQUIRE(stage(t, at("sub/x.png"), "1", &err) == BM_OK);
    CHECK(stage(t, at("alias/./x.png"), "2", &err) == BM_ERR_INVALID);
    CHECK_STRCONTAINS(err.message, "same file");
    bm_output_txn_free(t);
    CHECK_STREQ(get("sub/x.png"), "(missing)");
    bm_buf_free(&a);
    bm_buf_free(&b);
    unlink(at("alias"));
    rmdir(at("sub"));
}

typedef struct temp_log {
    int n_created, n_gone;
    char last[512];
} temp_log;

static void log_temp(void *user, const char *path, bool is_created) {
    temp_log *l = user;
    if (is_created)
        l->n_created++;
    else
        l->n_gone++;
    snprintf(l->last, sizeof l->last, "%s", path);
}

static bool stop_now(void *user) {
    return *(bool *)user;
}

/* Without O_TMPFILE: named temporary files, each reported created and gone (so the CLI's signal
 * handler can remove them), none left after a commit or a discarded transaction. */
static void named_temps_are_reported(void) {
    temp_log log = {0};
    bm_output_hooks hooks = {log_temp, NULL, &log, true};
    bm_error err = {0};
    bm_output_txn *t = bm_output_txn_new(&hooks, &err);
    REQUIRE(stage(t, at("n1.txt"), "one", &err) == BM_OK);
    CHECK_INTEQ(log.n_created, 1);
    CHECK_STRCONTAINS(log.last, "n1.txt.balmap-tmp.");
    CHECK(access(log.last, F_OK) == 0);
    bm_output_txn_free(t); /* discarded */
    CHECK_INTEQ(log.n_gone, 1);
    CHECK_INTEQ(n_strays(), 0);
    CHECK_STREQ(get("n1.txt"), "(missing)");
    t = bm_output_txn_new(&hooks, &err);
    REQUIRE(stage(t, at("n1.txt"), "one", &err) == BM_OK);
    CHECK_INTEQ(bm_output_txn_commit(t, &err), BM_OK);
    bm_output_txn_free(t);
    CHECK_INTEQ(log.n_created, 2);
    CHECK_INTEQ(log.n_gone, 2);
    CHECK_STREQ(get("n1.txt"), "one");
    CHECK_INTEQ(n_strays(), 0);
    unlink(at("n1.txt"));
}

/* should_stop (batch --timeout) refuses the commit: nothing is written. */
static void stop_hook_refuses_the_commit(void) {
    bool is_late = true;
    bm_output_hooks hooks = {NULL, stop_now, &is_late, false};
    bm_error err = {0};
    bm_output_txn *t = bm_output_txn_new(&hooks, &err);
    REQUIRE(stage(t, at("late.txt"), "late", &err) == BM_OK);
    CHECK(bm_output_txn_commit(t, &err) != BM_OK);
    CHECK_STRCONTAINS(err.message, "stopped");
    bm_output_txn_free(t);
    CHECK_STREQ(get("late.txt"), "(missing)");
    CHECK_INTEQ(n_strays(), 0);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/bm-test-output-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return 1;
    RUN(commit_replaces_every_file);
    RUN(failing_second_rename_leaves_the_first);
    RUN(unwritable_output_changes_nothing);
    RUN(symlink_is_followed);
    RUN(fifo_is_a_stream);
    RUN(dev_fd_is_the_descriptor);
    RUN(same_file_twice_is_refused);
    RUN(named_temps_are_reported);
    RUN(stop_hook_refuses_the_commit);
    rmdir(dir);
    return CHECK_DONE();
}
