/* SPDX-License-Identifier: MIT */
/* check.h - the unit-test harness: CHECK keeps going, REQUIRE ends the current test.
 * A failing check prints file:line, the expression, and got/want. RUN(test) runs one test
 * function; CHECK_DONE() prints "N passed, N failed" and returns the exit code. */
#ifndef BM_CHECK_H
#define BM_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_n_passed, check_n_failed, check_test_failed;

#define CHECK_FAIL_(fmt, ...)                                                                      \
    do {                                                                                           \
        fprintf(stderr, "%s:%d: " fmt "\n", __FILE__, __LINE__, __VA_ARGS__);                      \
        check_test_failed = 1;                                                                     \
    } while (0)

#define CHECK(expr)                                                                                \
    do {                                                                                           \
        if (!(expr))                                                                               \
            CHECK_FAIL_("check failed: %s", #expr);                                                \
    } while (0)

#define REQUIRE(expr)                                                                              \
    do {                                                                                           \
        if (!(expr)) {                                                                             \
            CHECK_FAIL_("required: %s", #expr);                                                    \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_STREQ(got, want)                                                                     \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        if (g_ == NULL || w_ == NULL ? g_ != w_ : strcmp(g_, w_) != 0)                             \
            CHECK_FAIL_("%s: got '%s', want '%s'", #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");  \
    } while (0)

#define CHECK_STRCONTAINS(got, part)                                                               \
    do {                                                                                           \
        const char *g_ = (got), *p_ = (part);                                                      \
        if (g_ == NULL || strstr(g_, p_) == NULL)                                                  \
            CHECK_FAIL_("%s: got '%s', want it to contain '%s'", #got, g_ ? g_ : "(null)", p_);    \
    } while (0)

#define CHECK_INTEQ(got, want)                                                                     \
    do {                                                                                           \
        const long long g_ = (long long)(got), w_ = (long long)(want);                             \
        if (g_ != w_)                                                                              \
            CHECK_FAIL_("%s: got %lld, want %lld", #got, g_, w_);                                  \
    } while (0)

#define CHECK_NEAR(got, want, tol)                                                                 \
    do {                                                                                           \
        const double g_ = (got), w_ = (want), t_ = (tol);                                          \
        if (!(fabs(g_ - w_) <= t_))                                                                \
            CHECK_FAIL_("%s: got %.9g, want %.9g +/- %g", #got, g_, w_, t_);                       \
    } while (0)

#define RUN(test)                                                                                  \
    do {                                                                                           \
        check_test_failed = 0;                                                                     \
        test();                                                                                    \
        if (check_test_failed) {                                                                   \
            check_n_failed++;                                                                      \
            fprintf(stderr, "FAIL %s\n", #test);                                                   \
        } else {                                                                                   \
            check_n_passed++;                                                                      \
        }                                                                                          \
    } while (0)

/* Writes text to dir/name and returns the path, for tests that read files (a gazetteer, an
 * incident file). The last four paths stay valid; an unwritable file is left for the reader to
 * report. */
static inline const char *check_put_file(const char *dir, const char *name, const char *text) {
    static char path[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    FILE *f = fopen(path[k], "wb");
    if (f != NULL) {
        fputs(text, f);
        fclose(f);
    }
    return path[k];
}

#define CHECK_DONE()                                                                               \
    (printf("%d passed, %d failed\n", check_n_passed, check_n_failed), check_n_failed ? 1 : 0)

#endif
