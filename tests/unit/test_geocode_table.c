/* SPDX-License-Identifier: MIT */
/* test_geocode_table.c - runs tests/data/geocode-queries.tsv against shapes/gazetteer.tsv,
 * prints the accuracy and every wrong row; fails if any row is wrong. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "gazetteer.h"

#define MAX_LINE 1024

/* Splits line at tabs into at most n fields; returns how many there were. */
static size_t split_tabs(char *line, char **fields, size_t n) {
    size_t k = 0;
    char *p = line;
    while (k < n) {
        fields[k++] = p;
        char *tab = strchr(p, '\t');
        if (tab == NULL)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return k;
}

static void every_query_resolves_as_the_table_says(void) {
    bm_error err = {0};
    bm_gazetteer *gz = bm_gazetteer_load(BM_SOURCE_DIR "/shapes/gazetteer.tsv", &err);
    if (gz == NULL)
        fprintf(stderr, "%s:%d: %s\n", err.file, err.line, err.message);
    REQUIRE(gz != NULL);
    FILE *f = fopen(BM_TEST_DATA "/geocode-queries.tsv", "r");
    REQUIRE(f != NULL);
    char line[MAX_LINE];
    int line_no = 0, n_rows = 0, n_right = 0, n_silent_wrong = 0, n_placed = 0, n_placed_right = 0;
    bool is_header_seen = false;
    while (fgets(line, sizeof line, f) != NULL) {
        line_no++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (!is_header_seen) {
            is_header_seen = true;
            CHECK(strncmp(line, "query\tkind\texpect\thow", 21) == 0);
            continue;
        }
        char *fields[6];
        const size_t n = split_tabs(line, fields, 6);
        CHECK(n == 5 || n == 6);
        if (n < 4)
            continue;
        /* Optional sixth column: the context, "district=Kech;province=Balochistan;home=PK". */
        bm_place_context ctx = {0};
        char context[256] = "";
        if (n == 6) {
            snprintf(context, sizeof context, "%s", fields[5]);
            for (char *kv = context; *kv != '\0';) {
                const size_t len = strcspn(kv, ";");
                char *next = kv[len] == ';' ? kv + len + 1 : kv + len;
                kv[len] = '\0';
                char *eq = strchr(kv, '=');
                CHECK(eq != NULL);
                if (eq != NULL) {
                    *eq = '\0';
                    if (strcmp(kv, "district") == 0)
                        ctx.district = eq + 1;
                    else if (strcmp(kv, "province") == 0)
                        ctx.province = eq + 1;
                    else if (strcmp(kv, "country") == 0)
                        ctx.country = eq + 1;
                    else if (strcmp(kv, "home") == 0)
                        ctx.home_country = eq + 1;
                    else
                        CHECK(!"unknown context key");
                }
                kv = next;
            }
        }
        const char *query = fields[0], *expect = fields[2], *how = fields[3];
        bm_place_kind want;
        CHECK(bm_place_kind_parse(fields[1], &want));
        n_rows++;
        bm_error e = {0};
        bm_place_match m;
        const bm_status st = bm_gazetteer_lookup_in(gz, query, want, &ctx, &m, &e);
        bool is_right;
        char got[1400];
        /* Known by name only: refused with "knows by name but has no coordinate". */
        const bool is_unlocated =
            st == BM_ERR_NOT_FOUND && strstr(e.message, "knows by name") != NULL;
        const bool is_outside = st == BM_ERR_NOT_FOUND && strstr(e.message, "outside") != NULL;
        if (strcmp(expect, "NOTFOUND") == 0)
            is_right = st == BM_ERR_NOT_FOUND && !is_unlocated && !is_outside;
        else if (strcmp(expect, "UNLOCATED") == 0)
            is_right = is_unlocated;
        else if (strcmp(expect, "OUTSIDE") == 0) /* outside the stated context or the home */
            is_right = is_outside;
        else if (strcmp(expect, "AMBIGUOUS") == 0)
            is_right = st == BM_ERR_AMBIGUOUS;
        else
            is_right = st == BM_OK && strcmp(m.place->id, expect) == 0 &&
                       (strcmp(how, "-") == 0 || strcmp(how, bm_match_kind_name(m.how)) == 0);
        if (st == BM_OK)
            snprintf(got, sizeof got, "%s %s %.3f", m.place->id, bm_match_kind_name(m.how),
                     m.score);
        else
            snprintf(got, sizeof got, "%s: %s (%s)", bm_status_name(st), e.message, e.hint);
        /* What a user would get: a place (the right one or not), or a refusal. A refusal where
         * a place was expected is honest; a place where another or none was expected is silent. */
        const bool is_place_expected =
            strcmp(expect, "NOTFOUND") != 0 && strcmp(expect, "AMBIGUOUS") != 0 &&
            strcmp(expect, "UNLOCATED") != 0 && strcmp(expect, "OUTSIDE") != 0;
        if (st == BM_OK && m.how != BM_MATCH_FUZZY &&
            (!is_place_expected || strcmp(m.place->id, expect) != 0))
            n_silent_wrong++;
        n_placed += is_place_expected;
        n_placed_right += is_place_expected && st == BM_OK && strcmp(m.place->id, expect) == 0;
        if (is_right) {
            n_right++;
        } else {
            fprintf(stderr, "geocode-queries.tsv:%d: '%s' (%s): want %s %s, got %s\n", line_no,
                    query, fields[1], expect, how, got);
            check_test_failed = 1;
        }
    }
    fclose(f);
    printf("geocode table: %d of %d queries right (%.1f%%); %d of the %d that name a place the "
           "gazetteer can place resolve to it; %d resolve silently (not fuzzy) to a place the "
           "table does not expect\n",
           n_right, n_rows, n_rows > 0 ? 100.0 * n_right / n_rows : 0.0, n_placed_right, n_placed,
           n_silent_wrong);
    CHECK(n_rows >= 500);
    CHECK_INTEQ(n_silent_wrong, 0);
    bm_gazetteer_free(gz);
}

int main(void) {
    RUN(every_query_resolves_as_the_table_says);
    return CHECK_DONE();
}
