/* SPDX-License-Identifier: MIT */
/* test_robust_inputs.c - inputs of issue 14 that were accepted and lost data silently: repeated
 * GeoJSON properties (the first counted: 5 drawn, 500 dropped), repeated keys in large JSON
 * objects (now found through a hash map, same message), and "revises" going round in a circle or
 * naming its own claim (every claim of the circle vanished from the map). Files are written into
 * a temporary directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "incidents.h"
#include "incidents_load.h"

static char dir[256];

static const char *put(const char *name, const char *text) {
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f != NULL) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

/* Loads the file; returns whether it was refused, with the messages joined in *all. */
static bool is_refused(const char *path, char *all, size_t size) {
    bm_diags diags = {0};
    bm_error err = {0};
    bm_incidents *inc = bm_incidents_load(path, &diags, &err);
    size_t n = 0;
    all[0] = '\0';
    for (size_t i = 0; i < diags.n_items && n < size; i++)
        n += (size_t)snprintf(all + n, size - n, "%d: %s | %s\n", diags.items[i].where.line,
                              diags.items[i].where.message, diags.items[i].where.hint);
    const bool refused = inc == NULL || diags.n_errors > 0;
    bm_incidents_free(inc);
    bm_diags_free(&diags);
    unlink(path);
    return refused;
}

static void geojson_repeated_property_is_an_error(void) {
    const char *path = put(
        "dup.geojson", "{\"type\": \"FeatureCollection\", \"features\": [\n"
                       "{\"type\": \"Feature\",\n"
                       " \"geometry\": {\"type\": \"Point\", \"coordinates\": [66.99, 30.18]},\n"
                       " \"properties\": {\"incident\": \"a\", \"date\": \"2026-01-02\",\n"
                       "  \"source\": \"ispr\", \"what\": \"killed\", \"who\": \"militants\",\n"
                       "  \"value\": 5,\n"
                       "  \"value\": 500,\n"
                       "  \"place\": \"Quetta\", \"claimed_on\": \"2026-01-02\"}}]}\n");
    char all[4096];
    CHECK(is_refused(path, all, sizeof all));
    CHECK_STRCONTAINS(all, "7: duplicate key 'value' in properties");
    CHECK_STRCONTAINS(all, "the first is at line 6");
}

/* More than 8 members: the hash-map path gives the same error as the pairwise one. */
static void large_object_repeated_key_is_found(void) {
    const char *path =
        put("dup.json",
            "{\"balmap\": 1, \"title\": \"T\",\n"
            " \"sources\": [{\"id\": \"ispr\", \"label\": \"ISPR\", \"kind\": \"military\"}],\n"
            " \"incidents\": [{\"id\": \"i1\", \"date\": \"2026-01-31\", \"claims\": [\n"
            "  {\"id\": \"c1\", \"source\": \"ispr\", \"what\": \"killed\", \"who\": "
            "\"militants\",\n"
            "   \"value\": 5, \"places\": [\"Quetta\"], \"claimed_on\": \"2026-01-31\",\n"
            "   \"quote\": \"q\", \"note\": \"n\", \"url\": \"https://example.org\",\n"
            "   \"value\": 500}]}]}\n");
    char all[4096];
    CHECK(is_refused(path, all, sizeof all));
    CHECK_STRCONTAINS(all, "7: duplicate key 'value' in claim");
    CHECK_STRCONTAINS(all, "the first is at line 5");
}

static const char revises_head[] =
    "{\"balmap\": 1, \"title\": \"T\",\n"
    " \"sources\": [{\"id\": \"ispr\", \"label\": \"ISPR\", \"kind\": \"military\"}],\n"
    " \"incidents\": [{\"id\": \"i1\", \"date\": \"2026-01-31\", \"claims\": [\n";

static void revises_circle_is_an_error(void) {
    char text[2048];
    snprintf(text, sizeof text,
             "%s"
             "  {\"id\": \"c1\", \"source\": \"ispr\", \"what\": \"killed\", \"who\": "
             "\"militants\", \"value\": 5, \"places\": [\"Quetta\"], \"claimed_on\": "
             "\"2026-01-31\", \"revises\": \"c2\"},\n"
             "  {\"id\": \"c2\", \"source\": \"ispr\", \"what\": \"killed\", \"who\": "
             "\"militants\", \"value\": 7, \"places\": [\"Quetta\"], \"claimed_on\": "
             "\"2026-02-01\", \"revises\": \"c1\"}]}]}\n",
             revises_head);
    char all[4096];
    CHECK(is_refused(put("circle.json", text), all, sizeof all));
    CHECK_STRCONTAINS(all, "claims revise each other in a circle: 'c1' -> 'c2' -> 'c1'");
}

static void revising_itself_is_an_error(void) {
    char text[2048];
    snprintf(text, sizeof text,
             "%s"
             "  {\"id\": \"c3\", \"source\": \"ispr\", \"what\": \"killed\", \"who\": "
             "\"civilians\", \"value\": 2, \"places\": [\"Quetta\"], \"claimed_on\": "
             "\"2026-02-01\", \"revises\": \"c3\"}]}]}\n",
             revises_head);
    char all[4096];
    CHECK(is_refused(put("self.json", text), all, sizeof all));
    CHECK_STRCONTAINS(all, "claim 'c3' revises itself");
    /* A plain chain is fine. */
    snprintf(text, sizeof text,
             "%s"
             "  {\"id\": \"c1\", \"source\": \"ispr\", \"what\": \"killed\", \"who\": "
             "\"militants\", \"value\": 5, \"places\": [\"Quetta\"], \"claimed_on\": "
             "\"2026-01-31\"},\n"
             "  {\"id\": \"c2\", \"source\": \"ispr\", \"what\": \"killed\", \"who\": "
             "\"militants\", \"value\": 7, \"places\": [\"Quetta\"], \"claimed_on\": "
             "\"2026-02-01\", \"revises\": \"c1\"}]}]}\n",
             revises_head);
    CHECK(!is_refused(put("chain.json", text), all, sizeof all));
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/bm-test-robust-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return 1;
    RUN(geojson_repeated_property_is_an_error);
    RUN(large_object_repeated_key_is_found);
    RUN(revises_circle_is_an_error);
    RUN(revising_itself_is_an_error);
    rmdir(dir);
    return CHECK_DONE();
}
