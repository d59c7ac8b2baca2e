/* SPDX-License-Identifier: MIT */
/* utf8.c - UTF-8 decoding and text positions (utf8.h). */
#include "utf8.h"

#include <stdio.h>
#include <string.h>

size_t bm_utf8_length(const char *s, size_t n) {
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

size_t bm_utf8_decode(const char *s, size_t n, uint32_t *cp) {
    const unsigned char *u = (const unsigned char *)s;
    if (n > 0 && u[0] == 0) {
        *cp = 0;
        return 1;
    }
    const size_t len = bm_utf8_length(s, n);
    if (len == 0) {
        *cp = 0xFFFD;
        return 1;
    }
    static const unsigned char lead_mask[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    uint32_t v = u[0] & lead_mask[len];
    for (size_t i = 1; i < len; i++)
        v = (v << 6) | (u[i] & 0x3F);
    *cp = v;
    return len;
}

void bm_utf8_trim_partial(char *s) {
    const size_t n = strlen(s);
    size_t start = n, k = 0;
    while (start > 0 && k < 4 && ((unsigned char)s[start - 1] & 0xC0) == 0x80) {
        start--; /* continuation bytes at the end */
        k++;
    }
    if (start == 0)
        return;
    start--; /* the byte that should lead them */
    if ((unsigned char)s[start] >= 0xC0 && bm_utf8_length(s + start, n - start) == 0)
        s[start] = '\0';
}

void bm_utf8_advance(unsigned char b, int *line, int *column) {
    if (b == '\n') {
        (*line)++;
        *column = 1;
    } else if ((b & 0xC0) != 0x80) {
        (*column)++;
    }
}

void bm_utf8_locate(const char *text, size_t offset, int *line, int *column) {
    *line = 1;
    *column = 1;
    for (size_t i = 0; i < offset; i++)
        bm_utf8_advance((unsigned char)text[i], line, column);
}

size_t bm_utf8_check(const char *text, size_t len, void (*report)(void *user, const bm_error *e),
                     void *user) {
    const unsigned char *p = (const unsigned char *)text;
    const bool is_utf16 =
        (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) ||
        (len >= 4 && ((p[0] != 0 && p[1] == 0 && p[2] != 0 && p[3] == 0) ||
                      (p[0] == 0 && p[1] != 0 && p[2] == 0 && p[3] != 0)));
    if (is_utf16) {
        bm_error e = {0};
        e.status = BM_ERR_SYNTAX;
        e.line = 1;
        snprintf(e.message, sizeof e.message, "the file is UTF-16 text; expected UTF-8");
        bm_error_hint(&e, "save it as UTF-8 (in an editor's Save As, encoding UTF-8; from a "
                          "spreadsheet, CSV UTF-8), or convert it: iconv -f UTF-16 -t UTF-8");
        report(user, &e);
        return 1;
    }
    int line = 1, column = 1;
    size_t i = 0, n_bad = 0;
    while (i < len) {
        const size_t n = bm_utf8_length(text + i, len - i);
        const unsigned char b = (unsigned char)text[i];
        if (n == 0) {
            bm_error e = {0};
            e.status = BM_ERR_SYNTAX;
            e.line = line;
            e.column = column;
            if (b == 0) {
                snprintf(e.message, sizeof e.message, "NUL byte in the file; expected UTF-8 text");
                bm_error_hint(&e, "is this a text file? save it as UTF-8 (UTF-16 has NUL bytes)");
            } else {
                snprintf(e.message, sizeof e.message,
                         "invalid UTF-8 byte 0x%02X; expected UTF-8 text", (unsigned)b);
                bm_error_hint(&e, "save the file as UTF-8 (this byte looks like Latin-1 or "
                                  "Windows-1252 text)");
            }
            report(user, &e);
            n_bad++;
        }
        if (b == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
        i += n > 0 ? n : 1;
    }
    return n_bad;
}

bool bm_ascii_iequal(const char *a, const char *b) {
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        const int ca = (*a >= 'A' && *a <= 'Z') ? *a - 'A' + 'a' : *a;
        const int cb = (*b >= 'A' && *b <= 'Z') ? *b - 'A' + 'a' : *b;
        if (ca != cb)
            return false;
    }
    return *a == *b;
}
