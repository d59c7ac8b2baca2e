/* SPDX-License-Identifier: MIT */
/* test_gazetteer_files.c - loading users' gazetteer files (issue 14): ids unique within and
 * across files and never a built-in one, NUL bytes, UTF-16 and invalid UTF-8 refused with
 * file:line, and a 100,000-row file loaded (its speed is measured in bench/, not here). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "gazetteer.h"

static char dir[256];

static const char *at(const char *name) {
    static char path[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    return path[k];
}

static const char *put(const char *name, const char *bytes, size_t n) {
    const char *path = at(name);
    FILE *f = fopen(path, "wb");
    if (f != NULL) {
        fwrite(bytes, 1, n, f);
        fclose(f);
    }
    return path;
}

#define PUT(name, literal) put(name, literal, sizeof literal - 1)

static bm_gazetteer *load_small(void) {
    bm_error err = {0};
    return bm_gazetteer_load(BM_TEST_DATA "/places_small.tsv", &err);
}

/* A repeated id is an error naming both lines (defect: the second row silently shadowed the
 * first for pins by id). */
static void duplicate_id_names_both_lines(void) {
    bm_gazetteer *gz = load_small();
    REQUIRE(gz != NULL);
    const size_t n0 = bm_gazetteer_size(gz);
    bm_error err = {0};
    const char *path = PUT("dup.csv", "id,name,lat,lon\n"
                                      "my.a,Alpha,26.1,62.1\n"
                                      "my.b,Beta,26.2,62.2\n"
                                      "my.a,Gamma,26.3,62.3\n");
    CHECK_INTEQ(bm_gazetteer_add_file(gz, path, &err), BM_ERR_INVALID);
    CHECK_INTEQ(err.line, 4);
    CHECK_STRCONTAINS(err.file, "dup.csv");
    CHECK_STRCONTAINS(err.message, "duplicate id 'my.a'");
    CHECK_STRCONTAINS(err.message, "line 2");
    CHECK_INTEQ(bm_gazetteer_size(gz), n0); /* left as it was */
    /* Across two files: the message names the other file. */
    bm_error_clear(&err);
    const char *first = PUT("first.csv", "id,name,lat,lon\nmy.a,Alpha,26.1,62.1\n");
    REQUIRE(bm_gazetteer_add_file(gz, first, &err) == BM_OK);
    const char *second = PUT("second.csv", "id,name,lat,lon\n# a comment\nmy.a,Delta,26.4,62.4\n");
    CHECK_INTEQ(bm_gazetteer_add_file(gz, second, &err), BM_ERR_INVALID);
    CHECK_INTEQ(err.line, 3);
    CHECK_STRCONTAINS(err.file, "second.csv");
    CHECK_STRCONTAINS(err.message, "first.csv:2");
    CHECK_STREQ(bm_gazetteer_by_id(gz, "my.a")->name, "Alpha");
    bm_gazetteer_free(gz);
}

/* A user row may not take a built-in id (defect: a pin by gn.PK.02.quetta landed on the
 * user's row). */
static void builtin_id_is_not_shadowed(void) {
    bm_gazetteer *gz = load_small();
    REQUIRE(gz != NULL);
    bm_error err = {0};
    const char *path =
        PUT("shadow.csv", "name,lat,lon,id\nKech Elsewhere,20.0,60.0,dist.PK.kech\n");
    CHECK_INTEQ(bm_gazetteer_add_file(gz, path, &err), BM_ERR_INVALID);
    CHECK_INTEQ(err.line, 2);
    CHECK_STRCONTAINS(err.message, "built-in");
    CHECK_STRCONTAINS(err.message, "dist.PK.kech");
    CHECK_STREQ(bm_gazetteer_by_id(gz, "dist.PK.kech")->name, "Kech");
    bm_gazetteer_free(gz);
}

/* Rows without an id get distinct ones; an explicit id equal to a made one is a duplicate. */
static void made_ids_are_distinct(void) {
    bm_gazetteer *gz = load_small();
    REQUIRE(gz != NULL);
    bm_error err = {0};
    const char *path = PUT("same.csv", "name,lat,lon\nKilli Same,26.1,62.1\nKilli Same,27.1,63.1\n"
                                       "Killi Same,28.1,64.1\n");
    REQUIRE(bm_gazetteer_add_file(gz, path, &err) == BM_OK);
    CHECK(bm_gazetteer_by_id(gz, "user.killi-same") != NULL);
    CHECK(bm_gazetteer_by_id(gz, "user.killi-same-3") != NULL);
    CHECK(bm_gazetteer_by_id(gz, "user.killi-same-4") != NULL);
    /* The same file again: line numbers repeat, the ids still do not. */
    REQUIRE(bm_gazetteer_add_file(gz, path, &err) == BM_OK);
    CHECK(bm_gazetteer_by_id(gz, "user.killi-same-2") != NULL);
    CHECK(bm_gazetteer_by_id(gz, "user.killi-same-3-2") != NULL);
    CHECK(bm_gazetteer_by_id(gz, "user.killi-same-4-2") != NULL);
    const char *clash = PUT("clash.csv", "name,lat,lon,id\nOther,26.5,62.5,user.killi-same\n");
    CHECK_INTEQ(bm_gazetteer_add_file(gz, clash, &err), BM_ERR_INVALID);
    CHECK_STRCONTAINS(err.message, "same.csv:2");
    bm_gazetteer_free(gz);
}

/* NUL, UTF-16 and invalid UTF-8: refused with file, line and column (defects: a NUL silently
 * cut the file there; invalid UTF-8 failed much later, in the PDF, with no file or line). */
static void binary_and_bad_utf8_are_refused(void) {
    bm_gazetteer *gz = load_small();
    REQUIRE(gz != NULL);
    const size_t n0 = bm_gazetteer_size(gz);
    bm_error err = {0};
    const char *nul = PUT("nul.csv", "name,lat,lon\nAlpha,26.1,62.1\nBe\0ta,26.2,62.2\nGamma,26.3,"
                                     "62.3\n");
    CHECK_INTEQ(bm_gazetteer_add_file(gz, nul, &err), BM_ERR_SYNTAX);
    CHECK_INTEQ(err.line, 3);
    CHECK_INTEQ(err.column, 3);
    CHECK_STRCONTAINS(err.message, "NUL byte");
    CHECK_STRCONTAINS(err.file, "nul.csv");
    bm_error_clear(&err);
    const char *bad = PUT("bad.csv", "name,lat,lon\nAlpha,26.1,62.1\nQu\xE9tta,26.2,62.2\n");
    CHECK_INTEQ(bm_gazetteer_add_file(gz, bad, &err), BM_ERR_SYNTAX);
    CHECK_INTEQ(err.line, 3);
    CHECK_INTEQ(err.column, 3);
    CHECK_STRCONTAINS(err.message, "invalid UTF-8");
    bm_error_clear(&err);
    /* An overlong encoding and a surrogate are invalid too. */
    const char *overlong = PUT("overlong.csv", "name,lat,lon\nA\xC0\xAF,26.1,62.1\n");
    CHECK_INTEQ(bm_gazetteer_add_file(gz, overlong, &err), BM_ERR_SYNTAX);
    bm_error_clear(&err);
    const char *surrogate = PUT("surrogate.csv", "name,lat,lon\nA\xED\xA0\x80,26.1,62.1\n");
    CHECK_INTEQ(bm_gazetteer_add_file(gz, surrogate, &err), BM_ERR_SYNTAX);
    bm_error_clear(&err);
    /* UTF-16 (as a spreadsheet may save it): one message, not one per NUL. */
    const char *u16 = PUT("u16.csv", "\xFF\xFEn\0a\0m\0e\0,\0l\0a\0t\0\n\0");
    CHECK_INTEQ(bm_gazetteer_add_file(gz, u16, &err), BM_ERR_SYNTAX);
    CHECK_STRCONTAINS(err.message, "UTF-16");
    bm_error_clear(&err);
    const char *u16_no_bom = PUT("u16b.csv", "n\0a\0m\0e\0,\0l\0a\0t\0\n\0");
    CHECK_INTEQ(bm_gazetteer_add_file(gz, u16_no_bom, &err), BM_ERR_SYNTAX);
    CHECK_STRCONTAINS(err.message, "UTF-16");
    CHECK_INTEQ(bm_gazetteer_size(gz), n0);
    /* Valid UTF-8 (and a BOM) is fine. */
    bm_error_clear(&err);
    const char *good = PUT("good.csv", "\xEF\xBB\xBFname,lat,lon\nKh\xC4\x81r\xC4\x81n Bazar,"
                                       "28.5,65.4\n");
    CHECK_INTEQ(bm_gazetteer_add_file(gz, good, &err), BM_OK);
    CHECK_INTEQ(bm_gazetteer_size(gz), n0 + 1);
    bm_gazetteer_free(gz);
}

/* 100,000 rows, all named alike without ids (the worst case for the old pairwise id check:
 * about 43 s; now linear). Only correctness is checked here. */
static void large_file_loads(void) {
    enum { N = 100000 };
    const char *path = at("large.csv");
    FILE *f = fopen(path, "wb");
    REQUIRE(f != NULL);
    fputs("name,lat,lon\n", f);
    for (int i = 0; i < N; i++)
        fprintf(f, "Killi Same,%.4f,%.4f\n", 25.0 + (i % 500) * 0.01, 62.0 + (i / 500) * 0.01);
    fclose(f);
    bm_gazetteer *gz = load_small();
    REQUIRE(gz != NULL);
    const size_t n0 = bm_gazetteer_size(gz);
    bm_error err = {0};
    CHECK_INTEQ(bm_gazetteer_add_file(gz, path, &err), BM_OK);
    CHECK_INTEQ(bm_gazetteer_size(gz), n0 + N);
    CHECK(bm_gazetteer_by_id(gz, "user.killi-same-100001") != NULL);
    bm_gazetteer_free(gz);
    unlink(path);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/bm-test-gzfiles-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return 1;
    RUN(duplicate_id_names_both_lines);
    RUN(builtin_id_is_not_shadowed);
    RUN(made_ids_are_distinct);
    RUN(binary_and_bad_utf8_are_refused);
    RUN(large_file_loads);
    const char *names[] = {"dup.csv",   "first.csv", "second.csv", "shadow.csv",   "same.csv",
                           "clash.csv", "nul.csv",   "bad.csv",    "overlong.csv", "surrogate.csv",
                           "u16.csv",   "u16b.csv",  "good.csv"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unlink(at(names[i]));
    rmdir(dir);
    return CHECK_DONE();
}
