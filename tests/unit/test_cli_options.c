/* SPDX-License-Identifier: MIT */
/* test_cli_options.c - the option table of `render` and batch manifests (src/cli/options.h) and
 * the --if-changed stamp it feeds (src/cli/stamp.h): every option that changes the picture
 * changes the stamp, so an option added to the table and left out of the stamp fails here. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "options.h"
#include "stamp.h"

/* The options that are not part of the picture, and why: a new one must be added here on
 * purpose, or else it is a picture option and must change the stamp. */
static const char *const run_options[] = {
    "output",     /* where the map goes; the stamp is written beside each output */
    "format",     /* the format of -o - (standard output), which --if-changed refuses */
    "scene",      /* a text dump for tests; bm_stamp_is_current checks that it exists */
    "if-changed", /* asks for the stamp */
    "data-dir",   /* where shapes/ and styles/ are: their files are hashed by content */
    "quiet",      /* messages only */
    /* lets GDAL fetch a remote layer; what it fetched is not in the stamp either way */
    "allow-remote-layers",
    "help",
};

static bool is_run_option(const char *name) {
    for (size_t i = 0; i < sizeof run_options / sizeof run_options[0]; i++) {
        if (strcmp(run_options[i], name) == 0)
            return true;
    }
    return false;
}

/* A request as `render data.json -o map.png` makes it, then opt = text if opt is given. */
static bool stamp_with(const bm_cli_option *opt, const char *text, uint64_t *out) {
    bm_cli_opts o;
    bm_cli_opts_init(&o);
    char msg[700] = "", path[4096];
    bool ok = bm_cli_option_set(&o, bm_cli_option_by_name("output"), "--output", "map.png", msg,
                                sizeof msg);
    if (opt != NULL) {
        /* Sample files are relative to the source tree. */
        const bool is_file = opt->kind == BM_OPT_PATH || opt->kind == BM_OPT_PATHS;
        snprintf(path, sizeof path, "%s%s%s", is_file ? BM_SOURCE_DIR : "", is_file ? "/" : "",
                 text);
        ok = ok && bm_cli_option_set(&o, opt, opt->name, path, msg, sizeof msg);
    }
    ok = ok && bm_cli_opts_finish(&o, false, msg, sizeof msg);
    if (!ok) {
        fprintf(stderr, "  --%s %s: %s\n", opt != NULL ? opt->name : "", text, msg);
        return false;
    }
    o.req.input_path = BM_SOURCE_DIR "/examples/herof2.json";
    o.req.data_dir = BM_SOURCE_DIR;
    o.req.creator = "balmap test";
    char why[700] = "";
    if (!bm_stamp_compute(&o.req, "0.0.0", out, why, sizeof why)) {
        fprintf(stderr, "  stamp: %s\n", why);
        return false;
    }
    return true;
}

static void test_every_picture_option_changes_the_stamp(void) {
    uint64_t base = 0, again = 1;
    REQUIRE(stamp_with(NULL, NULL, &base));
    REQUIRE(stamp_with(NULL, NULL, &again));
    CHECK(base == again);
    size_t n_picture = 0;
    for (size_t i = 0; i < bm_cli_n_options; i++) {
        const bm_cli_option *opt = &bm_cli_options[i];
        if (opt->use == BM_USE_RUN) {
            if (!is_run_option(opt->name))
                CHECK_FAIL_("--%s is marked BM_USE_RUN (left out of the stamp) but not named in "
                            "run_options[] with a reason",
                            opt->name);
            continue;
        }
        n_picture++;
        if (opt->sample == NULL) {
            CHECK_FAIL_("--%s changes the picture but has no .sample value to test", opt->name);
            continue;
        }
        uint64_t h = base;
        if (!stamp_with(opt, opt->sample, &h))
            CHECK_FAIL_("--%s %s: not accepted", opt->name, opt->sample);
        else if (h == base)
            CHECK_FAIL_("--%s %s: the --if-changed stamp did not change; hash it in stamp.c",
                        opt->name, opt->sample);
    }
    CHECK(n_picture >= 14);
}

/* The bug of issue 11: --facet and --allocate were left out of the stamp. */
static void test_facet_and_allocate_are_stamped(void) {
    uint64_t base = 0, facet = 0, date = 0, allocate = 0;
    REQUIRE(stamp_with(NULL, NULL, &base));
    REQUIRE(stamp_with(bm_cli_option_by_key("facet"), "source", &facet));
    REQUIRE(stamp_with(bm_cli_option_by_key("facet"), "date", &date));
    REQUIRE(stamp_with(bm_cli_option_by_key("allocate"), "even", &allocate));
    CHECK(facet != base);
    CHECK(date != base && date != facet);
    CHECK(allocate != base);
}

static void test_table_is_consistent(void) {
    for (size_t i = 0; i < bm_cli_n_options; i++) {
        const bm_cli_option *a = &bm_cli_options[i];
        CHECK(a->name != NULL && a->help != NULL);
        CHECK(a->kind != BM_OPT_WORD || (a->word != NULL && a->set_word && a->get_word));
        CHECK(a->key == NULL || bm_cli_option_by_key(a->key) == a);
        CHECK(a->use == BM_USE_PICTURE || a->key == NULL); /* a manifest sets picture options */
        for (size_t j = 0; j < i; j++) {
            const bm_cli_option *b = &bm_cli_options[j];
            if (strcmp(a->name, b->name) == 0 || (a->short_flag && a->short_flag == b->short_flag))
                CHECK_FAIL_("--%s and --%s clash", a->name, b->name);
        }
    }
    struct option longs[BM_CLI_MAX_OPTIONS + 1];
    char shorts[3 * BM_CLI_MAX_OPTIONS + 2];
    bm_cli_getopt_tables(longs, shorts);
    CHECK_STREQ(shorts, ":o:W:H:s:g:qh");
    CHECK_STREQ(longs[bm_cli_n_options - 1].name, "help");
    CHECK(longs[bm_cli_n_options].name == NULL);
    for (size_t i = 0; i < bm_cli_n_options; i++)
        CHECK(bm_cli_option_by_code(longs[i].val) == &bm_cli_options[i]);
}

/* One check for the command line and the manifest: the messages name the option as each
 * writes it. */
static void test_values_are_checked_once(void) {
    bm_cli_opts o;
    bm_cli_opts_init(&o);
    char msg[700] = "";
    const bm_cli_option *width = bm_cli_option_by_key("width");
    CHECK(!bm_cli_option_set(&o, width, "--width", "100", msg, sizeof msg));
    CHECK_STREQ(msg, "--width must be a number from 200 to 20000, got '100'");
    CHECK(!bm_cli_option_set(&o, width, "'width'", "1e9", msg, sizeof msg));
    CHECK_STRCONTAINS(msg, "'width' must be a number from 200 to 20000");
    CHECK(!bm_cli_option_set(&o, bm_cli_option_by_key("party"), "--party", "rebels", msg,
                             sizeof msg));
    CHECK_STREQ(msg, "unknown party 'rebels'; expected one of: militants, security_forces, "
                     "civilians, unspecified");
    CHECK(!bm_cli_option_set(&o, bm_cli_option_by_key("as_of"), "'as_of'", "2026-02-30", msg,
                             sizeof msg));
    CHECK_STREQ(msg, "'as_of' must be a calendar date as YYYY-MM-DD, got '2026-02-30'");
    CHECK(!bm_cli_option_set(&o, bm_cli_option_by_key("accept_fuzzy"), "'accept_fuzzy'", "yes", msg,
                             sizeof msg));
    CHECK(bm_cli_option_set(&o, bm_cli_option_by_key("facet"), "--facet", "date", msg, sizeof msg));
    CHECK_INTEQ(o.req.facet, BM_FACET_DATE);
    CHECK(bm_cli_option_set(&o, bm_cli_option_by_key("allocate"), "--allocate", "even", msg,
                            sizeof msg));
    CHECK(o.req.allocate_even);
    CHECK(bm_cli_option_set(&o, width, "--width", "900", msg, sizeof msg));
    CHECK(bm_cli_option_set(&o, bm_cli_option_by_key("size"), "--size", "A4", msg, sizeof msg));
    CHECK(!bm_cli_opts_finish(&o, false, msg, sizeof msg));
    CHECK_STREQ(msg, "give either --size or --width/--height, not both");

    bm_cli_opts_init(&o);
    CHECK(bm_cli_option_set(&o, bm_cli_option_by_key("size"), "'size'", "A4", msg, sizeof msg));
    CHECK(bm_cli_opts_finish(&o, true, msg, sizeof msg));
    CHECK_NEAR(o.req.width_px, 297 / 25.4 * 150, 1e-9);
    CHECK_NEAR(o.req.height_px, 210 / 25.4 * 150, 1e-9);
    for (int i = 0; i < BM_CLI_MAX_LIST; i++)
        CHECK(bm_cli_option_set(&o, bm_cli_option_by_key("layer"), "'layer'", "a.shp", msg,
                                sizeof msg));
    CHECK(
        !bm_cli_option_set(&o, bm_cli_option_by_key("layer"), "'layer'", "a.shp", msg, sizeof msg));
    CHECK_STREQ(msg, "too many values of 'layer' (at most 64)");
}

/* The README's table of render options names every option of the table. */
static void test_readme_lists_every_option(void) {
    FILE *f = fopen(BM_SOURCE_DIR "/README.md", "rb");
    REQUIRE(f != NULL);
    static char text[1 << 17];
    const size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    for (size_t i = 0; i < bm_cli_n_options; i++) {
        char want[64];
        snprintf(want, sizeof want, "| `--%s", bm_cli_options[i].name);
        const bool has_row = strstr(text, want) != NULL;
        snprintf(want, sizeof want, ", `--%s", bm_cli_options[i].name);
        if (!has_row && strstr(text, want) == NULL)
            CHECK_FAIL_("README.md's table of render options lacks --%s", bm_cli_options[i].name);
    }
}

int main(void) {
    RUN(test_every_picture_option_changes_the_stamp);
    RUN(test_facet_and_allocate_are_stamped);
    RUN(test_table_is_consistent);
    RUN(test_values_are_checked_once);
    RUN(test_readme_lists_every_option);
    return CHECK_DONE();
}
