/* SPDX-License-Identifier: MIT */
/* incidents_input.c - text helpers shared by the incident readers (incidents_input.h). */
#include "incidents_input.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_buf.h"

/* cJSON refuses deeper nesting too (CJSON_NESTING_LIMIT); the scanner's recursion stays bounded. */
#define MAX_DEPTH 1000

void bm_input_count(unsigned char b, int *line, int *column) {
    if (b == '\n') {
        (*line)++;
        *column = 1;
    } else if ((b & 0xC0) != 0x80) {
        (*column)++;
    }
}

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
    bm_input_count((unsigned char)c->s[c->i++], &c->line, &c->column);
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

void bm_input_locate(const char *text, size_t offset, int *line, int *column) {
    cursor c = {text, offset, 0, 1, 1};
    while (c.i < offset)
        cursor_next(&c);
    *line = c.line;
    *column = c.column;
}

/* A position that cannot be recorded is left out; the scan goes on and reports it at the end. */
static void record(bm_input_positions *p, const cJSON *node, const cursor *value_at, int key_line,
                   int key_column, bool *is_out_of_memory) {
    if (bm_grow((void **)&p->items, &p->n_alloc, p->n + 1, sizeof *p->items) != BM_OK) {
        *is_out_of_memory = true;
        return;
    }
    p->items[p->n++] = (bm_input_pos){node, value_at->line, value_at->column, key_line, key_column};
}

/* The text has already been accepted by cJSON, so this scanner only needs to stay in step with
 * the tree: members and elements come in the same order in both. */
static void scan_value(bm_input_positions *p, cursor *c, const cJSON *node, int key_line,
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
            scan_value(p, c, child, child_key_line, child_key_column, depth + 1, is_out_of_memory);
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
    const uintptr_t pa = (uintptr_t)((const bm_input_pos *)a)->node;
    const uintptr_t pb = (uintptr_t)((const bm_input_pos *)b)->node;
    return pa < pb ? -1 : pa > pb;
}

/* Records where root and every value below it start in text, which cJSON parsed into root. */
static bm_status scan_positions(bm_input_positions *p, const char *text, size_t len,
                                const cJSON *root) {
    cursor c = {text, len, 0, 1, 1};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        c.i = 3; /* cJSON skips a byte-order mark too */
    bool is_out_of_memory = false;
    scan_value(p, &c, root, 0, 0, 0, &is_out_of_memory);
    if (p->items != NULL)
        qsort(p->items, p->n, sizeof *p->items, compare_positions);
    return is_out_of_memory ? BM_ERR_NOMEM : BM_OK;
}

bm_status bm_input_parse_json(const char *text, size_t len, cJSON **root, const char **stop,
                              bm_input_positions *positions) {
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
    return scan_positions(positions, text, len, *root);
}

const bm_input_pos *bm_input_position_of(const bm_input_positions *p, const cJSON *node) {
    if (node == NULL || p->items == NULL)
        return NULL;
    const bm_input_pos key = {node, 0, 0, 0, 0};
    return bsearch(&key, p->items, p->n, sizeof key, compare_positions);
}

void bm_input_positions_free(bm_input_positions *p) {
    if (p == NULL)
        return;
    free(p->items);
    *p = (bm_input_positions){0};
}

/* ---- bytes and words -------------------------------------------------------------------- */

size_t bm_input_utf8_length(const char *s, size_t n) {
    if (n == 0)
        return 0;
    const unsigned char *u = (const unsigned char *)s;
    const unsigned char b = u[0];
    size_t n_more = 0; /* continuation bytes */
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0x01 && b <= 0x7F) {
        return 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
        n_more = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n_more = 2;
        lo = b == 0xE0 ? 0xA0 : 0x80;
        hi = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n_more = 3;
        lo = b == 0xF0 ? 0x90 : 0x80;
        hi = b == 0xF4 ? 0x8F : 0xBF;
    }
    bool ok = n_more > 0 && n_more < n; /* the continuation bytes are there */
    for (size_t k = 1; ok && k <= n_more; k++)
        ok = u[k] >= (k == 1 ? lo : 0x80) && u[k] <= (k == 1 ? hi : 0xBF);
    return ok ? n_more + 1 : 0;
}

bm_status bm_input_report(bm_diags *diags, bm_error *err, size_t *n_errors, bm_severity severity,
                          const bm_error *e) {
    if (severity == BM_SEV_ERROR) {
        (*n_errors)++;
        if (err != NULL && err->status == BM_OK)
            *err = *e;
    }
    return diags != NULL ? bm_diags_add(diags, severity, e) : BM_OK;
}

bool bm_input_digits(const char **s, int min_n, int max_n, long *out) {
    long v = 0;
    int n = 0;
    while (n < max_n && (*s)[n] >= '0' && (*s)[n] <= '9') {
        v = v * 10 + ((*s)[n] - '0');
        n++;
    }
    if (n < min_n)
        return false;
    *s += n;
    *out = v;
    return true;
}

static bool is_leap(long y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

static int days_in_month(long y, long m) {
    return m == 2 && is_leap(y) ? 29 : month_days[m - 1];
}

bool bm_input_check_date(long y, long m, long d, char *why, size_t why_size) {
    if (m < 1 || m > 12) {
        snprintf(why, why_size, "month %ld is not 01-12", m);
        return false;
    }
    if (d < 1 || d > days_in_month(y, m)) {
        snprintf(why, why_size, "day %ld is not in month %02ld of %04ld, which has %d days", d, m,
                 y, days_in_month(y, m));
        return false;
    }
    return true;
}

bool bm_input_iequal(const char *a, const char *b) {
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        const int ca = (*a >= 'A' && *a <= 'Z') ? *a - 'A' + 'a' : *a;
        const int cb = (*b >= 'A' && *b <= 'Z') ? *b - 'A' + 'a' : *b;
        if (ca != cb)
            return false;
    }
    return *a == *b;
}

/* ---- cJSON values ----------------------------------------------------------------------- */

const cJSON *bm_input_member(const cJSON *obj, const char *key) {
    for (const cJSON *c = obj != NULL ? obj->child : NULL; c != NULL; c = c->next) {
        if (c->string != NULL && strcmp(c->string, key) == 0)
            return c;
    }
    return NULL;
}

const char *bm_input_describe(const cJSON *item, char *out, size_t out_size) {
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

void bm_input_syntax_error(const char *text, size_t len, const char *stop, bm_error *e) {
    size_t offset = stop != NULL && stop >= text ? (size_t)(stop - text) : 0;
    if (offset > len)
        offset = len;
    e->status = BM_ERR_SYNTAX;
    size_t prev = offset;
    while (prev > 0 && strchr(" \t\r\n", text[prev - 1]) != NULL)
        prev--;
    const char before = prev > 0 ? text[prev - 1] : '\0';
    const char at = offset < len ? text[offset] : '\0';
    const bool ends_value = before == '"' || before == '}' || before == ']' ||
                            (before >= '0' && before <= '9') || before == 'e' || before == 'l';
    /* Where strings and brackets stand at the end of the text. */
    bool is_in_string = false;
    size_t depth = 0, string_start = 0;
    for (size_t i = 0; i < len; i++) {
        const char ch = text[i];
        if (is_in_string) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                is_in_string = false;
        } else if (ch == '"') {
            is_in_string = true;
            string_start = i;
        } else if (ch == '{' || ch == '[') {
            depth++;
        } else if ((ch == '}' || ch == ']') && depth > 0) {
            depth--;
        }
    }
    /* cJSON stops on the last byte when it runs off the end. */
    const bool is_at_end = offset + 1 >= len;
    if (is_at_end && is_in_string) {
        bm_input_locate(text, string_start, &e->line, &e->column);
        snprintf(e->message, sizeof e->message,
                 "invalid JSON: unterminated string; expected a closing '\"'");
        bm_error_hint(e, "the string that starts here is not closed before the end of the file");
    } else if (is_at_end && depth > 0) {
        bm_input_locate(text, len, &e->line, &e->column);
        snprintf(e->message, sizeof e->message,
                 "invalid JSON: unexpected end of the file; expected more values or a closing "
                 "'}' or ']'");
        bm_error_hint(e, "a bracket or a quote is not closed");
    } else if ((at == '}' || at == ']') && before == ',') {
        bm_input_locate(text, prev - 1, &e->line, &e->column);
        snprintf(e->message, sizeof e->message, "invalid JSON: trailing comma before '%c'", at);
        bm_error_hint(e, "remove the comma: JSON does not allow one after the last item");
    } else if (ends_value && strchr("\"{[-0123456789tfn", at) != NULL) {
        bm_input_locate(text, offset, &e->line, &e->column);
        snprintf(e->message, sizeof e->message,
                 "invalid JSON: expected ',' or a closing bracket before '%c'", at);
        bm_error_hint(e, "add the missing comma at the end of the previous item");
    } else {
        bm_input_locate(text, offset, &e->line, &e->column);
        if (at >= 0x20 && at < 0x7F)
            snprintf(e->message, sizeof e->message, "invalid JSON: unexpected '%c'", at);
        else
            snprintf(e->message, sizeof e->message, "invalid JSON: unexpected byte 0x%02X",
                     (unsigned)(unsigned char)at);
        bm_error_hint(e, "names and strings need double quotes; comments are not allowed");
    }
}
