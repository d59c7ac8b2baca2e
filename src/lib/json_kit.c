/* SPDX-License-Identifier: MIT */
/* json_kit.c - JSON reading behind cJSON (json_kit.h).
 *
 * cJSON keeps no positions and says only where it gave up, so two small scanners walk the text:
 * one beside an accepted tree, recording where each value starts; one over refused text, walking
 * the grammar (RFC 8259) to the first byte that cannot continue it and what could have come. */
#include "json_kit.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_buf.h"
#include "bm_hash.h"
#include "bm_limits.h"
#include "utf8.h"

_Static_assert(BM_MAX_NESTING == CJSON_NESTING_LIMIT, "docs/limits.md states cJSON's limit");

/* cJSON refuses deeper nesting too (CJSON_NESTING_LIMIT); the scanners' recursion stays bounded. */
#define MAX_DEPTH 1000

/* ---- positions ------------------------------------------------------------------------- */

/* Advances over one byte, counting lines and characters. */
typedef struct cursor {
    const char *s;
    size_t len, i;
    int line, column;
} cursor;

static void cursor_next(cursor *c) {
    if (c->i >= c->len)
        return;
    bm_utf8_advance((unsigned char)c->s[c->i++], &c->line, &c->column);
}

static void cursor_skip_space(cursor *c) {
    while (c->i < c->len && strchr(" \t\r\n", c->s[c->i]) != NULL)
        cursor_next(c);
}

static void cursor_skip_string(cursor *c) {
    cursor_next(c); /* the opening quote */
    while (c->i < c->len && c->s[c->i] != '"') {
        if (c->s[c->i] == '\\')
            cursor_next(c);
        cursor_next(c);
    }
    cursor_next(c);
}

/* A position that cannot be recorded is left out; the scan goes on and reports it at the end. */
static void record(bm_json_positions *p, const cJSON *node, const cursor *value_at, int key_line,
                   int key_column, bool *is_out_of_memory) {
    if (bm_grow((void **)&p->items, &p->n_alloc, p->n + 1, sizeof *p->items) != BM_OK) {
        *is_out_of_memory = true;
        return;
    }
    p->items[p->n++] = (bm_json_pos){node, value_at->line, value_at->column, key_line, key_column};
}

/* The text has already been accepted by cJSON, so this scanner only needs to stay in step with
 * the tree: members and elements come in the same order in both. */
static void scan_positions_of(bm_json_positions *p, cursor *c, const cJSON *node, int key_line,
                              int key_column, int depth, bool *is_out_of_memory) {
    cursor_skip_space(c);
    record(p, node, c, key_line, key_column, is_out_of_memory);
    if (depth > MAX_DEPTH || c->i >= c->len)
        return;
    if (cJSON_IsObject(node) || cJSON_IsArray(node)) {
        const bool is_object = cJSON_IsObject(node);
        cursor_next(c); /* { or [ */
        for (const cJSON *child = node->child; child != NULL; child = child->next) {
            cursor_skip_space(c);
            int child_key_line = 0, child_key_column = 0;
            if (is_object) {
                child_key_line = c->line;
                child_key_column = c->column;
                cursor_skip_string(c);
                cursor_skip_space(c);
                cursor_next(c); /* : */
            }
            scan_positions_of(p, c, child, child_key_line, child_key_column, depth + 1,
                              is_out_of_memory);
            cursor_skip_space(c);
            if (c->i < c->len && c->s[c->i] == ',')
                cursor_next(c);
        }
        cursor_skip_space(c);
        cursor_next(c); /* } or ] */
    } else if (cJSON_IsString(node)) {
        cursor_skip_string(c);
    } else {
        while (c->i < c->len && strchr(",]} \t\r\n", c->s[c->i]) == NULL)
            cursor_next(c);
    }
}

static int compare_positions(const void *a, const void *b) {
    const uintptr_t pa = (uintptr_t)((const bm_json_pos *)a)->node;
    const uintptr_t pb = (uintptr_t)((const bm_json_pos *)b)->node;
    return pa < pb ? -1 : pa > pb;
}

/* Records where root and every value below it start in text, which cJSON parsed into root. */
static bm_status scan_positions(bm_json_positions *p, const char *text, size_t len,
                                const cJSON *root) {
    cursor c = {text, len, 0, 1, 1};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        c.i = 3; /* cJSON skips a byte-order mark too */
    bool is_out_of_memory = false;
    scan_positions_of(p, &c, root, 0, 0, 0, &is_out_of_memory);
    if (p->items != NULL)
        qsort(p->items, p->n, sizeof *p->items, compare_positions);
    return is_out_of_memory ? BM_ERR_NOMEM : BM_OK;
}

bm_status bm_json_parse(const char *text, size_t len, cJSON **root, const char **stop,
                        bm_json_positions *positions) {
    *stop = NULL;
    *root = cJSON_ParseWithLengthOpts(text, len, stop, false);
    if (*root == NULL)
        return BM_ERR_SYNTAX;
    /* cJSON stops after the first value; anything but space after it is a mistake. */
    size_t end = *stop != NULL ? (size_t)(*stop - text) : len;
    while (end < len && strchr(" \t\r\n", text[end]) != NULL)
        end++;
    if (end < len) {
        cJSON_Delete(*root);
        *root = NULL;
        *stop = text + end;
        return BM_ERR_SYNTAX;
    }
    return positions != NULL ? scan_positions(positions, text, len, *root) : BM_OK;
}

const bm_json_pos *bm_json_position_of(const bm_json_positions *p, const cJSON *node) {
    if (node == NULL || p->items == NULL)
        return NULL;
    const bm_json_pos key = {node, 0, 0, 0, 0};
    return bsearch(&key, p->items, p->n, sizeof key, compare_positions);
}

void bm_json_positions_free(bm_json_positions *p) {
    if (p == NULL)
        return;
    free(p->items);
    *p = (bm_json_positions){0};
}

/* ---- syntax diagnosis ------------------------------------------------------------------ */

typedef struct scan {
    const char *p, *end;
    const char *expected;     /* set where the scan stops */
    const char *string_start; /* the string being read when the text ran out, or NULL */
} scan;

static bool scan_fail(scan *s, const char *expected) {
    s->expected = expected;
    return false;
}

static void scan_space(scan *s) {
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

static bool is_hex(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static const char any_value[] = "a value: an object, array, string, number, true, false or null";

static bool scan_string(scan *s) {
    if (s->p >= s->end || *s->p != '"')
        return scan_fail(s, "a string in double quotes");
    const char *start = s->p++;
    while (s->p < s->end && *s->p != '"') {
        if ((unsigned char)*s->p < 0x20)
            return scan_fail(s, "'\"' to close the string before the end of the line");
        if (*s->p == '\\') {
            s->p++;
            if (s->p < s->end && *s->p == 'u') {
                for (int i = 0; i < 4; i++)
                    if (++s->p >= s->end || !is_hex(*s->p))
                        return scan_fail(s, "four hex digits after \\u");
            } else if (s->p >= s->end || strchr("\"\\/bfnrt", *s->p) == NULL) {
                return scan_fail(s, "an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX");
            }
        }
        s->p++;
    }
    if (s->p >= s->end) {
        s->string_start = start;
        return scan_fail(s, "'\"' to close the string");
    }
    s->p++;
    return true;
}

static bool scan_digits(scan *s) {
    if (s->p >= s->end || !is_digit(*s->p))
        return scan_fail(s, "a digit");
    while (s->p < s->end && is_digit(*s->p))
        s->p++;
    return true;
}

static bool scan_number(scan *s) {
    if (*s->p == '-')
        s->p++;
    if (s->p < s->end && *s->p == '0')
        s->p++;
    else if (!scan_digits(s))
        return false;
    if (s->p < s->end && *s->p == '.') {
        s->p++;
        if (!scan_digits(s))
            return false;
    }
    if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
        s->p++;
        if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
            s->p++;
        if (!scan_digits(s))
            return false;
    }
    return true;
}

static bool scan_value(scan *s, int depth);

/* An object or an array: open, then items separated by commas, then close. */
static bool scan_container(scan *s, int depth) {
    const bool is_object = *s->p == '{';
    const char close = is_object ? '}' : ']';
    if (depth >= MAX_DEPTH)
        return scan_fail(s, "less deeply nested objects and arrays");
    s->p++;
    scan_space(s);
    if (s->p < s->end && *s->p == close) {
        s->p++;
        return true;
    }
    for (;;) {
        if (is_object) {
            if (s->p >= s->end || *s->p != '"')
                return scan_fail(s, "a key in double quotes");
            if (!scan_string(s))
                return false;
            scan_space(s);
            if (s->p >= s->end || *s->p != ':')
                return scan_fail(s, "':' after the key");
            s->p++;
            scan_space(s);
        }
        if (!scan_value(s, depth + 1))
            return false;
        scan_space(s);
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            scan_space(s);
            continue;
        }
        if (s->p < s->end && *s->p == close) {
            s->p++;
            return true;
        }
        return scan_fail(s, is_object ? "',' or '}'" : "',' or ']'");
    }
}

static bool scan_literal(scan *s, const char *word) {
    const size_t n = strlen(word);
    if ((size_t)(s->end - s->p) < n || strncmp(s->p, word, n) != 0)
        return scan_fail(s, any_value);
    s->p += n;
    return true;
}

static bool scan_value(scan *s, int depth) {
    if (s->p >= s->end)
        return scan_fail(s, any_value);
    switch (*s->p) {
    case '{':
    case '[':
        return scan_container(s, depth);
    case '"':
        return scan_string(s);
    case 't':
        return scan_literal(s, "true");
    case 'f':
        return scan_literal(s, "false");
    case 'n':
        return scan_literal(s, "null");
    default:
        if (*s->p == '-' || is_digit(*s->p))
            return scan_number(s);
        return scan_fail(s, any_value);
    }
}

/* What usually causes `at` where `expected` was wanted. */
static const char *syntax_hint(const char *expected, char at) {
    if (at == '/' || at == '#')
        return "JSON has no comments; put notes in a \"note\" or \"description\" string";
    if (at == '\'')
        return "JSON strings and keys take double quotes";
    if (strstr(expected, "key") != NULL)
        return "keys are written in double quotes: \"name\"";
    if (strstr(expected, "value") != NULL)
        return "strings take double quotes; numbers, true, false and null do not";
    return "names and strings need double quotes; comments are not allowed";
}

void bm_json_syntax_error(const char *text, size_t len, const char *stop, bm_error *e) {
    const char *start = text;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        start += 3;
    scan s = {start, text + len, NULL, NULL};
    scan_space(&s);
    bool is_empty = s.p >= s.end;
    /* Not JSON at all (a file named by mistake, or on purpose: a manifest can name any file):
     * said without quoting the file, at no column, so no line of it is shown. A '//' comment
     * before the object is a JSON file's mistake, diagnosed below. */
    if (!is_empty && *s.p != '{' && *s.p != '[' &&
        !(s.end - s.p >= 2 && s.p[0] == '/' && (s.p[1] == '/' || s.p[1] == '*'))) {
        e->status = BM_ERR_SYNTAX;
        e->line = 1;
        e->column = 0;
        snprintf(e->message, sizeof e->message,
                 "not a JSON file: it does not start with '{' (an object)");
        bm_error_hint(e, "is this the file you meant? balmap reads JSON objects here, {...}; "
                         "JSON has no '#' comments");
        return;
    }
    if (!is_empty && scan_value(&s, 0)) {
        scan_space(&s);
        if (s.p < s.end) {
            scan_fail(&s, "nothing after the end of the value");
        } else { /* the grammar holds (cJSON refused something else): say where cJSON stopped */
            s.p = stop != NULL && stop >= text && stop <= text + len ? stop : text + len;
            s.expected = "valid JSON";
        }
    }
    e->status = BM_ERR_SYNTAX;
    const size_t at = (size_t)(s.p - text);
    const char c = s.p < s.end ? *s.p : '\0';
    const char *prev = s.p;
    while (prev > start && strchr(" \t\r\n", prev[-1]) != NULL)
        prev--;
    if (is_empty) {
        bm_utf8_locate(text, len, &e->line, &e->column);
        snprintf(e->message, sizeof e->message, "invalid JSON: the file is empty; expected %s",
                 any_value);
        bm_error_hint(e, "an empty file is not JSON");
    } else if (s.string_start != NULL) {
        bm_utf8_locate(text, (size_t)(s.string_start - text), &e->line, &e->column);
        snprintf(e->message, sizeof e->message,
                 "invalid JSON: unterminated string; expected a closing '\"'");
        bm_error_hint(e, "the string that starts here is not closed before the end of the file");
    } else if (s.p >= s.end) {
        bm_utf8_locate(text, len, &e->line, &e->column);
        snprintf(e->message, sizeof e->message,
                 "invalid JSON: unexpected end of the file; expected %s", s.expected);
        bm_error_hint(e, "a bracket or a quote is not closed");
    } else if ((c == '}' || c == ']') && prev > start && prev[-1] == ',') {
        bm_utf8_locate(text, (size_t)(prev - 1 - text), &e->line, &e->column);
        snprintf(e->message, sizeof e->message, "invalid JSON: trailing comma before '%c'", c);
        bm_error_hint(e, "remove the comma: JSON does not allow one after the last item");
    } else if (strcmp(s.expected, "nothing after the end of the value") == 0) {
        bm_utf8_locate(text, at, &e->line, &e->column);
        snprintf(e->message, sizeof e->message,
                 "invalid JSON: unexpected '%c' after the end of "
                 "the top-level value",
                 (unsigned char)c >= 0x20 && (unsigned char)c < 0x7F ? c : '?');
        bm_error_hint(e, "a file holds one value; delete what follows it, or move it inside");
    } else if (strstr(s.expected, "','") != NULL && strchr("\"{[-0123456789tfn", c) != NULL) {
        bm_utf8_locate(text, at, &e->line, &e->column);
        snprintf(e->message, sizeof e->message, "invalid JSON: expected %s before '%c'", s.expected,
                 c);
        bm_error_hint(e, "add the missing comma at the end of the previous item");
    } else {
        bm_utf8_locate(text, at, &e->line, &e->column);
        if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7F)
            snprintf(e->message, sizeof e->message, "invalid JSON: unexpected '%c'; expected %s", c,
                     s.expected);
        else
            snprintf(e->message, sizeof e->message,
                     "invalid JSON: unexpected byte 0x%02X; expected %s",
                     (unsigned)(unsigned char)c, s.expected);
        bm_error_hint(e, "%s", syntax_hint(s.expected, c));
    }
}

/* ---- values ----------------------------------------------------------------------------- */

const cJSON *bm_json_member(const cJSON *obj, const char *key) {
    for (const cJSON *c = obj != NULL ? obj->child : NULL; c != NULL; c = c->next) {
        if (c->string != NULL && strcmp(c->string, key) == 0)
            return c;
    }
    return NULL;
}

const char *bm_json_describe(const cJSON *item, char *out, size_t out_size) {
    if (item == NULL)
        snprintf(out, out_size, "nothing");
    else if (cJSON_IsString(item))
        snprintf(out, out_size, "a string ('%.40s%s')", item->valuestring,
                 strlen(item->valuestring) > 40 ? "..." : "");
    else if (cJSON_IsNumber(item))
        snprintf(out, out_size, "a number (%.15g)", item->valuedouble);
    else if (cJSON_IsBool(item))
        snprintf(out, out_size, "%s", cJSON_IsTrue(item) ? "true" : "false");
    else if (cJSON_IsNull(item))
        snprintf(out, out_size, "null");
    else if (cJSON_IsArray(item))
        snprintf(out, out_size, "an array");
    else if (cJSON_IsObject(item))
        snprintf(out, out_size, "an object");
    else
        snprintf(out, out_size, "an invalid value");
    return out;
}

void bm_json_join(const char *const *words, size_t n, char *out, size_t out_size) {
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && used < out_size; i++) {
        const int w = snprintf(out + used, out_size - used, "%s%s", i ? ", " : "", words[i]);
        if (w < 0)
            return;
        used += (size_t)w;
    }
}

/* ---- the reader ------------------------------------------------------------------------- */

void bm_json_reader_init(bm_json_reader *r, const char *text, size_t len, const char *path,
                         bm_diags *diags, bm_error *err) {
    *r = (bm_json_reader){0};
    r->text = text;
    r->len = len;
    r->path = path != NULL ? path : "";
    r->diags = diags;
    r->err = err;
}

void bm_json_reader_free(bm_json_reader *r) {
    if (r != NULL)
        bm_json_positions_free(&r->positions);
}

void bm_json_report(bm_json_reader *r, bm_severity severity, const bm_error *e) {
    if (severity == BM_SEV_WARNING)
        r->n_warnings++;
    if (bm_report(r->diags, r->err, &r->n_errors, severity, e) != BM_OK)
        r->is_out_of_memory = true;
}

static void report_utf8(void *user, const bm_error *bad) {
    bm_json_reader *r = user;
    bm_error e = *bad;
    bm_error_file(&e, r->path);
    bm_json_report(r, BM_SEV_ERROR, &e);
}

bool bm_json_check_utf8(bm_json_reader *r) {
    return bm_utf8_check(r->text, r->len, report_utf8, r) == 0;
}

/* An error at byte offset at of r's text. */
static void BM_PRINTF(4, 5)
    text_error(bm_json_reader *r, size_t at, const char *hint, const char *fmt, ...) {
    bm_error e = {0};
    e.status = BM_ERR_SYNTAX;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.message, sizeof e.message, fmt, ap);
    va_end(ap);
    bm_error_file(&e, r->path);
    bm_utf8_locate(r->text, at, &e.line, &e.column);
    if (hint != NULL)
        bm_error_hint(&e, "%s", hint);
    bm_json_report(r, BM_SEV_ERROR, &e);
}

static unsigned hex4(const char *p) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        const char c = p[i];
        v = v * 16 + (unsigned)(c >= '0' && c <= '9'   ? c - '0'
                                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                       : 0);
    }
    return v;
}

static bool is_hex4(const char *p, size_t left) {
    if (left < 4)
        return false;
    for (int i = 0; i < 4; i++) {
        if (strchr("0123456789abcdefABCDEF", p[i]) == NULL || p[i] == '\0')
            return false;
    }
    return true;
}

/* What cJSON would take silently or refuse with a message about the wrong thing, found in one
 * pass over the text: "\u0000" (cJSON ends the string there: the rest of it would be lost), a
 * lone surrogate half ("unexpected '\\'"), and nesting deeper than cJSON's 1,000 levels
 * ("unexpected '['"). Returns whether the text may be parsed (nesting refuses it). */
static bool check_text(bm_json_reader *r) {
    const char *t = r->text;
    const size_t n = r->len;
    size_t depth = 0;
    bool is_in_string = false;
    for (size_t i = 0; i < n; i++) {
        const char c = t[i];
        if (!is_in_string) {
            if (c == '"') {
                is_in_string = true;
            } else if (c == '[' || c == '{') {
                if (++depth > CJSON_NESTING_LIMIT) {
                    text_error(r, i, "flatten the data: an incident file needs 6 levels, GeoJSON 5",
                               "nesting deeper than %d levels of arrays and objects",
                               CJSON_NESTING_LIMIT);
                    return false;
                }
            } else if ((c == ']' || c == '}') && depth > 0) {
                depth--;
            }
            continue;
        }
        if (c == '"') {
            is_in_string = false;
        } else if (c == '\\' && i + 1 < n) {
            i++;
            if (t[i] != 'u' || !is_hex4(t + i + 1, n - i - 1))
                continue;
            const unsigned v = hex4(t + i + 1);
            if (v == 0) {
                text_error(r, i - 1, "remove it; a text field cannot hold a NUL character",
                           "\"\\u0000\" (a NUL character) in a string: the text would end there");
            } else if (v >= 0xD800 && v <= 0xDBFF) {
                const bool has_low = i + 10 < n && t[i + 5] == '\\' && t[i + 6] == 'u' &&
                                     is_hex4(t + i + 7, n - i - 7) && hex4(t + i + 7) >= 0xDC00 &&
                                     hex4(t + i + 7) <= 0xDFFF;
                if (!has_low)
                    text_error(r, i - 1,
                               "a \\uD800-\\uDBFF escape must be followed by a \\uDC00-\\uDFFF "
                               "one (a UTF-16 pair); or write the character itself in UTF-8",
                               "lone surrogate \"\\u%04X\" in a string: half of a character", v);
                else
                    i += 6;
            } else if (v >= 0xDC00 && v <= 0xDFFF) {
                text_error(r, i - 1,
                           "a \\uDC00-\\uDFFF escape must follow a \\uD800-\\uDBFF one; or write "
                           "the character itself in UTF-8",
                           "lone surrogate \"\\u%04X\" in a string: half of a character", v);
            }
            i += 4;
        }
    }
    return true;
}

cJSON *bm_json_reader_parse(bm_json_reader *r) {
    cJSON *root = NULL;
    const char *stop = NULL;
    const size_t n_errors_before = r->n_errors;
    if (!check_text(r))
        return NULL;
    if (r->n_errors > n_errors_before) /* cJSON would refuse a lone surrogate less clearly */
        return NULL;
    const bm_status parsed = bm_json_parse(r->text, r->len, &root, &stop, &r->positions);
    if (parsed == BM_ERR_SYNTAX) {
        bm_error e = {0};
        bm_error_file(&e, r->path);
        bm_json_syntax_error(r->text, r->len, stop, &e);
        bm_json_report(r, BM_SEV_ERROR, &e);
        return NULL;
    }
    if (parsed == BM_ERR_NOMEM)
        r->is_out_of_memory = true;
    return root;
}

size_t bm_json_pointer_add(char *pointer, size_t len, size_t size, const char *key) {
    size_t n = len;
    const size_t cap = size - 1;
    if (n < cap)
        pointer[n++] = '/';
    for (const char *k = key; *k != '\0' && n + 2 <= cap; k++) {
        if (*k == '~' || *k == '/') {
            pointer[n++] = '~';
            pointer[n++] = *k == '~' ? '0' : '1';
        } else {
            pointer[n++] = *k;
        }
    }
    pointer[n] = '\0';
    return n;
}

size_t bm_json_push_key(bm_json_reader *r, const char *key) {
    const size_t saved = r->pointer_len;
    r->pointer_len = bm_json_pointer_add(r->pointer, r->pointer_len, sizeof r->pointer, key);
    return saved;
}

size_t bm_json_push_index(bm_json_reader *r, size_t i) {
    char digits[32];
    snprintf(digits, sizeof digits, "%zu", i);
    return bm_json_push_key(r, digits);
}

void bm_json_pop(bm_json_reader *r, size_t saved) {
    r->pointer_len = saved;
    r->pointer[saved] = '\0';
}

int bm_json_line_of(const bm_json_reader *r, const cJSON *node) {
    const bm_json_pos *p = bm_json_position_of(&r->positions, node);
    return p != NULL ? p->line : 0;
}

void bm_json_vflag(bm_json_reader *r, bm_severity severity, const cJSON *at, bool at_key,
                   const char *hint, const char *fmt, va_list ap) {
    bm_error e = {0};
    e.status = BM_ERR_INVALID;
    vsnprintf(e.message, sizeof e.message, fmt, ap);
    bm_error_file(&e, r->path);
    bm_error_pointer(&e, r->pointer);
    const bm_json_pos *p = bm_json_position_of(&r->positions, at);
    if (p != NULL) {
        e.line = at_key && p->key_line > 0 ? p->key_line : p->line;
        e.column = at_key && p->key_line > 0 ? p->key_column : p->column;
    }
    if (hint != NULL && hint[0] != '\0')
        bm_error_hint(&e, "%s", hint);
    bm_json_report(r, severity, &e);
}

void bm_json_flag(bm_json_reader *r, bm_severity severity, const cJSON *at, bool at_key,
                  const char *hint, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    bm_json_vflag(r, severity, at, at_key, hint, fmt, ap);
    va_end(ap);
}

void bm_json_error_in(bm_json_reader *r, const cJSON *obj, const char *key, const char *hint,
                      const char *fmt, ...) {
    const size_t saved = bm_json_push_key(r, key);
    va_list ap;
    va_start(ap, fmt);
    bm_json_vflag(r, BM_SEV_ERROR, bm_json_member(obj, key), false, hint, fmt, ap);
    va_end(ap);
    bm_json_pop(r, saved);
}

void bm_json_missing(bm_json_reader *r, const cJSON *obj, const char *key, const char *what,
                     const char *hint) {
    bm_json_flag(r, BM_SEV_ERROR, obj, false, hint, "missing required key '%s' in %s", key, what);
}

/* Which member comes first under each name, for objects too large to compare pairwise (a file
 * with 200,000 keys in one object took over a minute): member i's name was first used by
 * member first[i]. NULL when the object is small (then pairwise is faster) or memory ran out. */
typedef struct member_index {
    const cJSON **nodes;
    size_t *first;
} member_index;

#define PAIRWISE_MAX 8

static void member_index_build(const cJSON *obj, member_index *mi, bool *is_out_of_memory) {
    mi->nodes = NULL;
    mi->first = NULL;
    size_t n = 0;
    for (const cJSON *c = obj->child; c != NULL; c = c->next)
        n++;
    if (n <= PAIRWISE_MAX)
        return;
    bm_strmap *map = bm_strmap_new();
    mi->nodes = malloc(n * sizeof *mi->nodes);
    mi->first = malloc(n * sizeof *mi->first);
    bool ok = map != NULL && mi->nodes != NULL && mi->first != NULL;
    size_t i = 0;
    for (const cJSON *c = obj->child; ok && c != NULL; c = c->next, i++) {
        bool is_new;
        mi->nodes[i] = c;
        ok = bm_strmap_add(map, c->string, i, &is_new, &mi->first[i]) == BM_OK;
    }
    bm_strmap_free(map);
    if (!ok) {
        free(mi->nodes);
        free(mi->first);
        mi->nodes = NULL;
        mi->first = NULL;
        *is_out_of_memory = true;
    }
}

/* The first member of obj named like c (member i), or NULL when c is the first. */
static const cJSON *earlier_same_name(const cJSON *obj, const cJSON *c, size_t i,
                                      const member_index *mi) {
    if (mi->first != NULL)
        return mi->first[i] != i ? mi->nodes[mi->first[i]] : NULL;
    for (const cJSON *e = obj->child; e != c; e = e->next) {
        if (strcmp(e->string, c->string) == 0)
            return e;
    }
    return NULL;
}

static void flag_duplicate(bm_json_reader *r, const cJSON *c, const cJSON *first,
                           const char *what) {
    char hint[160];
    snprintf(hint, sizeof hint,
             "the first is at line %d; keep one of them (JSON readers differ on which counts)",
             bm_json_line_of(r, first));
    bm_json_flag(r, BM_SEV_ERROR, c, true, hint, "duplicate key '%s' in %s", c->string, what);
}

void bm_json_check_duplicates(bm_json_reader *r, const cJSON *obj, const char *what) {
    member_index mi;
    member_index_build(obj, &mi, &r->is_out_of_memory);
    size_t i = 0;
    for (const cJSON *c = obj->child; c != NULL; c = c->next, i++) {
        const cJSON *first = earlier_same_name(obj, c, i, &mi);
        if (first == NULL)
            continue;
        const size_t saved = bm_json_push_key(r, c->string);
        flag_duplicate(r, c, first, what);
        bm_json_pop(r, saved);
    }
    free(mi.nodes);
    free(mi.first);
}

void bm_json_check_members(bm_json_reader *r, const cJSON *obj, const bm_json_rules *rules) {
    member_index mi;
    member_index_build(obj, &mi, &r->is_out_of_memory);
    size_t index = 0;
    for (const cJSON *c = obj->child; c != NULL; c = c->next, index++) {
        const size_t saved = bm_json_push_key(r, c->string);
        bool is_known = false;
        for (size_t i = 0; i < rules->n_keys && !is_known; i++)
            is_known = strcmp(c->string, rules->keys[i]) == 0;
        if (!is_known) {
            char valid[512], hint[256];
            bm_json_join(rules->keys, rules->n_keys, valid, sizeof valid);
            const char *guess = bm_closest(c->string, rules->keys, rules->n_keys);
            if (guess != NULL)
                snprintf(hint, sizeof hint, "did you mean '%s'?", guess);
            else
                snprintf(hint, sizeof hint, "%s",
                         rules->unknown_hint != NULL ? rules->unknown_hint : "remove it");
            bm_json_flag(r, rules->unknown, c, true, hint,
                         "unknown key '%s' in %s%s; expected one of: %s", c->string, rules->what,
                         rules->unknown == BM_SEV_WARNING ? " (ignored)" : "", valid);
        }
        const cJSON *first = earlier_same_name(obj, c, index, &mi);
        if (first != NULL)
            flag_duplicate(r, c, first, rules->what);
        bm_json_pop(r, saved);
    }
    free(mi.nodes);
    free(mi.first);
}

bool bm_json_expect_object(bm_json_reader *r, const cJSON *item, const char *what,
                           const bm_json_rules *rules) {
    if (cJSON_IsObject(item)) {
        if (rules != NULL)
            bm_json_check_members(r, item, rules);
        return true;
    }
    char got[96];
    bm_json_flag(r, BM_SEV_ERROR, item, false, NULL, "expected an object for %s, found %s", what,
                 bm_json_describe(item, got, sizeof got));
    return false;
}

/* The member key of obj, or NULL after reporting that it is missing (when required). */
static const cJSON *member_or_missing(bm_json_reader *r, const cJSON *obj, const char *key,
                                      const char *what, bool is_required) {
    const cJSON *item = bm_json_member(obj, key);
    if (item == NULL && is_required)
        bm_json_missing(r, obj, key, what, NULL);
    return item;
}

/* "expected <wanted> for 'key', found ..." at item, with the pointer to it. */
static void wrong_type(bm_json_reader *r, const cJSON *item, const char *key, const char *wanted) {
    char got[96];
    const size_t saved = bm_json_push_key(r, key);
    bm_json_flag(r, BM_SEV_ERROR, item, false, NULL, "expected %s for '%s', found %s", wanted, key,
                 bm_json_describe(item, got, sizeof got));
    bm_json_pop(r, saved);
}

const char *bm_json_get_string(bm_json_reader *r, const cJSON *obj, const char *key,
                               const char *what, bool is_required) {
    const cJSON *item = member_or_missing(r, obj, key, what, is_required);
    if (item == NULL)
        return NULL;
    if (!cJSON_IsString(item)) {
        wrong_type(r, item, key, "a string");
        return NULL;
    }
    if (item->valuestring[strspn(item->valuestring, " \t\r\n")] == '\0') {
        bm_json_error_in(r, obj, key, NULL, "empty '%s' in %s", key, what);
        return NULL;
    }
    return item->valuestring;
}

const char *bm_json_as_string(bm_json_reader *r, const cJSON *item, const char *what) {
    if (cJSON_IsString(item) && item->valuestring[strspn(item->valuestring, " \t\r\n")] != '\0')
        return item->valuestring;
    char got[96];
    bm_json_flag(r, BM_SEV_ERROR, item, false, NULL, "expected %s as a non-empty string, found %s",
                 what, bm_json_describe(item, got, sizeof got));
    return NULL;
}

const cJSON *bm_json_get_array(bm_json_reader *r, const cJSON *obj, const char *key,
                               const char *what, bool is_required) {
    const cJSON *item = member_or_missing(r, obj, key, what, is_required);
    if (item == NULL)
        return NULL;
    if (!cJSON_IsArray(item)) {
        wrong_type(r, item, key, "an array");
        return NULL;
    }
    return item;
}

const cJSON *bm_json_get_object(bm_json_reader *r, const cJSON *obj, const char *key) {
    const cJSON *item = bm_json_member(obj, key);
    if (item == NULL)
        return NULL;
    if (!cJSON_IsObject(item)) {
        wrong_type(r, item, key, "an object");
        return NULL;
    }
    return item;
}

bool bm_json_get_bool(bm_json_reader *r, const cJSON *obj, const char *key, bool *out) {
    const cJSON *item = bm_json_member(obj, key);
    if (item == NULL)
        return false;
    if (!cJSON_IsBool(item)) {
        wrong_type(r, item, key, "true or false");
        return false;
    }
    *out = cJSON_IsTrue(item);
    return true;
}

bool bm_json_get_number(bm_json_reader *r, const cJSON *obj, const char *key, double min,
                        double max, double *out) {
    const cJSON *item = bm_json_member(obj, key);
    if (item == NULL)
        return false;
    if (!cJSON_IsNumber(item) || !(item->valuedouble >= min && item->valuedouble <= max)) {
        char wanted[96];
        snprintf(wanted, sizeof wanted, "a number from %g to %g", min, max);
        wrong_type(r, item, key, wanted);
        return false;
    }
    *out = item->valuedouble;
    return true;
}

bool bm_json_get_int(bm_json_reader *r, const cJSON *obj, const char *key, long min, long max,
                     long *out) {
    const cJSON *item = bm_json_member(obj, key);
    if (item == NULL)
        return false;
    const double v = cJSON_IsNumber(item) ? item->valuedouble : NAN;
    if (!(v >= (double)min && v <= (double)max && v == floor(v))) {
        char wanted[96];
        snprintf(wanted, sizeof wanted, "a whole number from %ld to %ld", min, max);
        wrong_type(r, item, key, wanted);
        return false;
    }
    *out = (long)v;
    return true;
}

bool bm_json_get_enum(bm_json_reader *r, const cJSON *obj, const char *key, const char *what,
                      const char *const *names, size_t n, bool is_required, size_t *out) {
    const char *word = bm_json_get_string(r, obj, key, what, is_required);
    if (word == NULL)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(word, names[i]) == 0) {
            *out = i;
            return true;
        }
    }
    const char *guess = bm_closest(word, names, n);
    char hint[96], list[256];
    if (guess != NULL)
        snprintf(hint, sizeof hint, "did you mean '%s'?", guess);
    bm_json_join(names, n, list, sizeof list);
    bm_json_error_in(r, obj, key, guess != NULL ? hint : NULL,
                     "unknown '%s' value '%s'; expected one of: %s", key, word, list);
    return false;
}
