/* SPDX-License-Identifier: MIT */
/* manifest: the batch manifest's shape read with the JSON kit; options handed to the caller,
 * whose refusals are reported at the option's pointer, line and column. */
#include "check.h"
#include "manifest.h"

typedef struct seen {
    size_t n_maps, n_map_calls, n_options, n_elements, n_ends;
    char input[64], output[64], last_key[32];
} seen;

static bool on_start(void *user, size_t n) {
    ((seen *)user)->n_maps = n;
    return true;
}
static bool on_map(void *user, size_t i, const char *input, const char *const *outputs,
                   size_t n_outputs) {
    seen *s = user;
    s->n_map_calls++;
    if (i == 0) {
        snprintf(s->input, sizeof s->input, "%s", input ? input : "(none)");
        snprintf(s->output, sizeof s->output, "%s", n_outputs ? outputs[n_outputs - 1] : "");
    }
    return true;
}
/* "width" must be a number; "layer" takes arrays of strings; other keys are unknown. */
static bm_manifest_verdict on_option(void *user, size_t i, const char *key,
                                     const bm_manifest_value *v, char *msg, size_t msg_size) {
    seen *s = user;
    (void)i;
    s->n_options++;
    s->n_elements += v->is_element;
    snprintf(s->last_key, sizeof s->last_key, "%s", key);
    if (strcmp(key, "width") == 0) {
        if (v->kind == BM_MANIFEST_NUMBER)
            return BM_MANIFEST_OK;
        snprintf(msg, msg_size, "'width' must be a number");
        return BM_MANIFEST_BAD_VALUE;
    }
    if (strcmp(key, "layer") == 0)
        return v->kind == BM_MANIFEST_ARRAY || v->kind == BM_MANIFEST_STRING
                   ? BM_MANIFEST_OK
                   : (snprintf(msg, msg_size, "a layer is a path"), BM_MANIFEST_BAD_VALUE);
    snprintf(msg, msg_size, "unknown key '%s'", key);
    return BM_MANIFEST_BAD_KEY;
}
static bm_manifest_verdict on_end(void *user, size_t i, const char **key, char *msg,
                                  size_t msg_size) {
    seen *s = user;
    s->n_ends++;
    if (i == 1) { /* the options taken together are refused at "size" */
        *key = "size";
        snprintf(msg, msg_size, "give either 'size' or 'width'");
        return BM_MANIFEST_BAD_VALUE;
    }
    return BM_MANIFEST_OK;
}

static bm_status read(const char *text, seen *s, bm_diags *d) {
    const bm_manifest_handlers h = {s, on_start, on_map, on_option, on_end};
    return bm_manifest_read(text, strlen(text), "m.json", &h, d);
}

static void reads_maps_and_hands_options_over(void) {
    seen s = {0};
    bm_diags d = {0};
    CHECK(read("{\"maps\": [{\"input\": \"a.json\", \"outputs\": [\"a.png\", \"a.svg\"],\n"
               "  \"options\": {\"width\": 800, \"layer\": [\"x.shp\", \"y.shp\"]}},\n"
               " {\"input\": \"b.json\", \"outputs\": \"b.pdf\"}]}",
               &s, &d) == BM_OK);
    CHECK(s.n_maps == 2 && s.n_map_calls == 2);
    CHECK_STREQ(s.input, "a.json");
    CHECK_STREQ(s.output, "a.svg");
    CHECK(s.n_options == 4 && s.n_elements == 2); /* width, layer, then its two elements */
    CHECK(s.n_ends == 1);                         /* the second map has no options */
    CHECK(d.n_errors == 0);
    bm_diags_free(&d);
}

static void refusals_name_pointer_line_and_column(void) {
    seen s = {0};
    bm_diags d = {0};
    CHECK(read("{\"maps\": [{\"input\": \"a.json\", \"outputs\": [\"a.jpg\"],\n"
               "  \"options\": {\"widht\": 1, \"width\": \"wide\", \"layer\": [\"x\", 3]}},\n"
               " {\"outputs\": [\"b.png\"], \"options\": {}}, 7]}",
               &s, &d) == BM_ERR_INVALID);
    REQUIRE(d.n_items == 7);
    const bm_error *e = &d.items[0].where; /* the format, from output.c */
    CHECK_STREQ(e->pointer, "/maps/0/outputs/0");
    CHECK(e->line == 1 && e->column == 43);
    e = &d.items[1].where; /* an unknown key: at the object, the line and column of the key */
    CHECK_STREQ(e->pointer, "/maps/0/options");
    CHECK_STREQ(e->message, "unknown key 'widht'");
    CHECK(e->line == 2 && e->column == 15);
    e = &d.items[2].where;
    CHECK_STREQ(e->pointer, "/maps/0/options/width");
    CHECK_STREQ(e->message, "'width' must be a number");
    e = &d.items[3].where; /* an array element */
    CHECK_STREQ(e->pointer, "/maps/0/options/layer/1");
    CHECK(e->line == 2 && e->column == 59);
    e = &d.items[4].where;
    CHECK_STREQ(e->pointer, "/maps/1");
    CHECK_STREQ(e->message, "missing 'input' (the incident file)");
    e = &d.items[5].where; /* the options together, at the key the caller named */
    CHECK_STREQ(e->pointer, "/maps/1/options/size");
    e = &d.items[6].where;
    CHECK_STREQ(e->pointer, "/maps/2");
    CHECK(e->line == 3 && e->column == 41);
    CHECK(s.n_map_calls == 3);
    bm_diags_free(&d);
}

static void syntax_and_shape(void) {
    seen s = {0};
    bm_diags d = {0};
    CHECK(read("{\"maps\": [{\"input\": \"a.json\",}]}", &s, &d) == BM_ERR_SYNTAX);
    REQUIRE(d.n_items == 1);
    CHECK(d.items[0].where.status == BM_ERR_SYNTAX);
    CHECK(d.items[0].where.column == 29); /* the trailing comma */
    CHECK(d.items[0].where.hint[0] != '\0');
    CHECK(s.n_maps == 0);
    bm_diags_free(&d);
    CHECK(read("{\"maps\": [], \"map\": 1}", &s, &d) == BM_ERR_INVALID);
    REQUIRE(d.n_items == 1);
    CHECK_STREQ(d.items[0].where.message, "expected {\"maps\": [...]} with at least one map");
    CHECK(s.n_maps == 0);
    bm_diags_free(&d);
}

int main(void) {
    RUN(reads_maps_and_hands_options_over);
    RUN(refusals_name_pointer_line_and_column);
    RUN(syntax_and_shape);
    return CHECK_DONE();
}
