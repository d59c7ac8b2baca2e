/* SPDX-License-Identifier: MIT */
/* json_kit: the one JSON syntax diagnosis, positions, and the typed getters whose errors carry
 * line, column and JSON pointer. */
#include "check.h"
#include "json_kit.h"

/* The diagnosis of text, which cJSON refuses. */
static bm_error diagnose(const char *text) {
    bm_error e = {0};
    cJSON *root = NULL;
    const char *stop = NULL;
    CHECK(bm_json_parse(text, strlen(text), &root, &stop, NULL) == BM_ERR_SYNTAX);
    CHECK(root == NULL);
    bm_json_syntax_error(text, strlen(text), stop, &e);
    CHECK(e.status == BM_ERR_SYNTAX);
    return e;
}

static void syntax_errors_say_where_and_what_was_expected(void) {
    bm_error e = diagnose("{\"a\": [1, 2,]}");
    CHECK_STREQ(e.message, "invalid JSON: trailing comma before ']'");
    CHECK_INTEQ(e.column, 12); /* at the comma */
    CHECK_STRCONTAINS(e.hint, "remove the comma");

    e = diagnose("{\"a\": 1\n \"b\": 2}");
    CHECK_STREQ(e.message, "invalid JSON: expected ',' or '}' before '\"'");
    CHECK_INTEQ(e.line, 2);
    CHECK_INTEQ(e.column, 2);
    CHECK_STRCONTAINS(e.hint, "missing comma");

    e = diagnose("{\"a\": \"open");
    CHECK_STRCONTAINS(e.message, "unterminated string");
    CHECK_INTEQ(e.column, 7); /* where the string starts */

    e = diagnose("{\"a\": [1, 2\n");
    CHECK_STREQ(e.message, "invalid JSON: unexpected end of the file; expected ',' or ']'");
    CHECK_INTEQ(e.line, 2);

    e = diagnose("{// note\n}");
    CHECK_STREQ(e.message, "invalid JSON: unexpected '/'; expected a key in double quotes");
    CHECK_STRCONTAINS(e.hint, "no comments");

    e = diagnose("{'a': 1}");
    CHECK_STRCONTAINS(e.hint, "double quotes");

    e = diagnose("{} x");
    CHECK_STRCONTAINS(e.message, "unexpected 'x' after the end of the top-level value");
    CHECK_INTEQ(e.column, 4);

    e = diagnose("  \n ");
    CHECK_STRCONTAINS(e.message, "the file is empty");

    e = diagnose("{\"t\": \"\xC3\xBC\" x}"); /* columns count characters */
    CHECK_INTEQ(e.column, 11);
}

static const char doc[] = "{\n"
                          "  \"name\": \"Quetta\",\n"
                          "  \"width\": 250.5,\n"
                          "  \"dpi\": 150,\n"
                          "  \"flag\": \"yes\",\n"
                          "  \"widht\": 3,\n"
                          "  \"list\": [1, {\"a/b\": true}],\n"
                          "  \"kind\": \"twon\",\n"
                          "  \"blank\": \" \"\n"
                          "}";

static void getters_report_with_pointer_line_and_column(void) {
    bm_diags diags = {0};
    bm_error err = {0};
    bm_json_reader r;
    bm_json_reader_init(&r, doc, strlen(doc), "d.json", &diags, &err);
    cJSON *root = bm_json_reader_parse(&r);
    REQUIRE(root != NULL);

    CHECK_STREQ(bm_json_get_string(&r, root, "name", "the file", true), "Quetta");
    CHECK_INTEQ(r.n_errors, 0);
    CHECK(bm_json_get_string(&r, root, "missing", "the file", false) == NULL);
    CHECK_INTEQ(r.n_errors, 0); /* absent and optional: no problem */

    double w = 0;
    CHECK(bm_json_get_number(&r, root, "width", 0, 1000, &w));
    CHECK_NEAR(w, 250.5, 0);
    long dpi = 0, width = 0;
    CHECK(bm_json_get_int(&r, root, "dpi", 72, 1200, &dpi));
    CHECK_INTEQ(dpi, 150);
    CHECK(!bm_json_get_int(&r, root, "width", 1, 10000, &width)); /* not whole */
    CHECK_INTEQ(r.n_errors, 1);
    CHECK_STREQ(err.message, "expected a whole number from 1 to 10000 for 'width', found a "
                             "number (250.5)");
    CHECK_STREQ(err.pointer, "/width");
    CHECK_STREQ(err.file, "d.json");
    CHECK_INTEQ(err.line, 3);
    CHECK_INTEQ(err.column, 12);

    bool flag = false;
    CHECK(!bm_json_get_bool(&r, root, "flag", &flag));
    CHECK_STREQ(diags.items[1].where.message,
                "expected true or false for 'flag', found a string ('yes')");

    CHECK(bm_json_get_string(&r, root, "blank", "the file", true) == NULL);
    CHECK_STREQ(diags.items[2].where.message, "empty 'blank' in the file");

    static const char *const kinds[] = {"town", "district", "province"};
    size_t kind = 9;
    CHECK(!bm_json_get_enum(&r, root, "kind", "the file", kinds, 3, true, &kind));
    CHECK_INTEQ(kind, 9);
    CHECK_STREQ(diags.items[3].where.message,
                "unknown 'kind' value 'twon'; expected one of: town, district, province");
    CHECK_STREQ(diags.items[3].where.hint, "did you mean 'town'?");
    CHECK_STREQ(diags.items[3].where.pointer, "/kind");

    const cJSON *list = bm_json_get_array(&r, root, "list", "the file", true);
    REQUIRE(list != NULL);
    const size_t saved = bm_json_push_key(&r, "list");
    const size_t saved_item = bm_json_push_index(&r, 1);
    CHECK_STREQ(r.pointer, "/list/1");
    CHECK(bm_json_as_string(&r, list->child->next, "a path") == NULL);
    CHECK_STREQ(diags.items[4].where.message, "expected a path as a non-empty string, found an "
                                              "object");
    CHECK_INTEQ(diags.items[4].where.column, 15); /* the object, after "[1, " */
    bool ab = false;
    CHECK(bm_json_get_bool(&r, list->child->next, "a/b", &ab));
    CHECK(ab);
    CHECK(!bm_json_get_number(&r, list->child->next, "a/b", 0, 1, &(double){0}));
    CHECK_STREQ(diags.items[5].where.pointer, "/list/1/a~1b"); /* RFC 6901 escape */
    CHECK_STREQ(diags.items[5].where.message,
                "expected a number from 0 to 1 for 'a/b', found true");
    CHECK_INTEQ(diags.items[5].where.line, 7);
    bm_json_pop(&r, saved_item);
    bm_json_pop(&r, saved);
    CHECK_STREQ(r.pointer, "");
    CHECK(bm_json_get_array(&r, root, "name", "the file", true) == NULL);
    CHECK(bm_json_get_object(&r, root, "list") == NULL);
    CHECK_INTEQ(r.n_errors, 8);
    CHECK_STREQ(err.pointer, "/width"); /* err keeps the first */

    cJSON_Delete(root);
    bm_json_reader_free(&r);
    bm_diags_free(&diags);
}

static void unknown_and_duplicate_keys(void) {
    const char text[] = "{\"name\": 1, \"widht\": 2,\n \"name\": 3, \"zzz\": 4}";
    bm_diags diags = {0};
    bm_json_reader r;
    bm_json_reader_init(&r, text, strlen(text), NULL, &diags, NULL);
    cJSON *root = bm_json_reader_parse(&r);
    REQUIRE(root != NULL);
    static const char *const keys[] = {"name", "width"};
    const bm_json_rules warn = {"a job", keys, 2, BM_SEV_WARNING, "see docs/batch.md"};
    bm_json_check_members(&r, root, &warn);
    REQUIRE(diags.n_items == 3);
    CHECK(diags.items[0].severity == BM_SEV_WARNING);
    CHECK_STREQ(diags.items[0].where.message,
                "unknown key 'widht' in a job (ignored); expected one of: name, width");
    CHECK_STREQ(diags.items[0].where.hint, "did you mean 'width'?");
    CHECK_INTEQ(diags.items[0].where.column, 13); /* at the key, not its value */
    CHECK(diags.items[1].severity == BM_SEV_ERROR);
    CHECK_STREQ(diags.items[1].where.message, "duplicate key 'name' in a job");
    CHECK_STRCONTAINS(diags.items[1].where.hint, "line 1");
    CHECK_INTEQ(diags.items[1].where.line, 2);
    CHECK_STREQ(diags.items[2].where.hint, "see docs/batch.md");
    CHECK_INTEQ(r.n_warnings, 2);
    CHECK_INTEQ(r.n_errors, 1);

    const bm_json_rules strict = {"a job", keys, 2, BM_SEV_ERROR, NULL};
    bm_json_check_members(&r, root, &strict);
    CHECK_STREQ(diags.items[3].where.message,
                "unknown key 'widht' in a job; expected one of: name, width");
    cJSON_Delete(root);
    bm_json_reader_free(&r);
    bm_diags_free(&diags);
}

static void utf8_is_checked_before_parsing(void) {
    const char text[] = "{\"a\":\n \"\xFC\"}";
    bm_error err = {0};
    bm_json_reader r;
    bm_json_reader_init(&r, text, strlen(text), "l.json", NULL, &err);
    CHECK(!bm_json_check_utf8(&r));
    CHECK_STREQ(err.message, "invalid UTF-8 byte 0xFC; expected UTF-8 text");
    CHECK_INTEQ(err.line, 2);
    CHECK_INTEQ(err.column, 3);
    bm_json_reader_free(&r);
}

int main(void) {
    RUN(syntax_errors_say_where_and_what_was_expected);
    RUN(getters_report_with_pointer_line_and_column);
    RUN(unknown_and_duplicate_keys);
    RUN(utf8_is_checked_before_parsing);
    return CHECK_DONE();
}
