/* SPDX-License-Identifier: MIT */
/* bm_limits.c - one text field against the limits (bm_limits.h). */
#include "bm_limits.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"

size_t bm_field_max_chars(bm_field_kind kind) {
    switch (kind) {
    case BM_FIELD_NAME:
        return BM_MAX_NAME_CHARS;
    case BM_FIELD_TITLE:
        return BM_MAX_TITLE_CHARS;
    case BM_FIELD_PROSE:
    default:
        return BM_MAX_PROSE_CHARS;
    }
}

/* Tab, line feed, carriage return: allowed by XML, read as a space in one-line fields. */
static bool is_line_space(uint32_t cp) {
    return cp == '\t' || cp == '\n' || cp == '\r';
}

/* What can be neither drawn nor written in SVG: C0 controls (but the three above), DEL, C1
 * controls, and the two noncharacters XML 1.0 forbids. */
static bool is_forbidden(uint32_t cp) {
    return (cp < 0x20 && !is_line_space(cp)) || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE ||
           cp == 0xFFFF;
}

/* Unicode's White_Space, and the invisible characters that show nothing either. */
static bool is_blank(uint32_t cp) {
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           cp == 0x180E || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

static const char *control_name(uint32_t cp) {
    static const char *const c0[32] = {
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS",  "TAB", "LF",
        "VT",  "FF",  "CR",  "SO",  "SI",  "DLE", "DC1", "DC2", "DC3", "DC4", "NAK",
        "SYN", "ETB", "CAN", "EM",  "SUB", "ESC", "FS",  "GS",  "RS",  "US",
    };
    if (cp < 32)
        return c0[cp];
    if (cp == 0x7F)
        return "DEL";
    if (cp <= 0x9F)
        return "a C1 control character";
    return "a noncharacter";
}

bool bm_text_check(char *text, bm_field_kind kind, const char *what, bm_error *e) {
    const size_t max = bm_field_max_chars(kind);
    const size_t len = strlen(text);
    size_t n_chars = 0, i = 0;
    bool is_all_blank = true, has_line_space = false;
    while (i < len) {
        uint32_t cp;
        const size_t n = bm_utf8_decode(text + i, len - i, &cp);
        n_chars++;
        if (bm_utf8_length(text + i, len - i) == 0) {
            bm_error_set(e, BM_ERR_INVALID,
                         "invalid UTF-8 byte 0x%02X in %s, at character %zu; expected UTF-8 text",
                         (unsigned)(unsigned char)text[i], what, n_chars);
            bm_error_hint(e, "write it in UTF-8 (this byte looks like Latin-1 or Windows-1252)");
            return false;
        }
        if (is_forbidden(cp)) {
            bm_error_set(e, BM_ERR_INVALID,
                         "control character U+%04X (%s) in %s, at character %zu; expected "
                         "printable text",
                         (unsigned)cp, control_name(cp), what, n_chars);
            bm_error_hint(e, "remove it: control characters can be neither drawn nor written "
                             "in SVG (it often comes from a copy and paste, or a spreadsheet)");
            return false;
        }
        has_line_space = has_line_space || is_line_space(cp);
        is_all_blank = is_all_blank && is_blank(cp);
        i += n;
    }
    if (kind != BM_FIELD_PROSE && has_line_space) { /* a space each; one for a CR LF */
        size_t out = 0;
        for (i = 0; i < len; i++) {
            if (text[i] == '\r' && text[i + 1] == '\n')
                continue;
            text[out++] = is_line_space((unsigned char)text[i]) ? ' ' : text[i];
        }
        text[out] = '\0';
    }
    if (n_chars > max) {
        bm_error_set(e, BM_ERR_INVALID, "%s is %zu characters long; balmap takes up to %zu", what,
                     n_chars, max);
        bm_error_hint(e, "%s (docs/limits.md lists every limit)",
                      kind == BM_FIELD_PROSE   ? "shorten it, and link the full text with 'url'"
                      : kind == BM_FIELD_TITLE ? "shorten it; a subtitle or a note can say more"
                                               : "shorten it; say more in 'note'");
        return false;
    }
    if (is_all_blank) {
        bm_error_set(e, BM_ERR_INVALID, "%s is blank; expected visible text", what);
        bm_error_hint(e, "%s",
                      kind == BM_FIELD_TITLE
                          ? "write a title (for --title: leave it out to keep the file's own)"
                          : "write the text, or leave the field out where it is optional");
        return false;
    }
    return true;
}
