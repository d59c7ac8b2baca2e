/* SPDX-License-Identifier: MIT */
/* utf8.h - the one UTF-8 decoder, and the text-position and ASCII-case helpers every reader
 * needs. Plain functions of their arguments: no state, no allocation, safe from any thread. */
#ifndef BM_UTF8_H
#define BM_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bm_error.h"

/* The length (1 to 4) of the well-formed UTF-8 sequence at the start of the n bytes at s, or 0
 * when there is none there: a NUL byte, a stray or missing continuation byte, an overlong form, a
 * surrogate, anything above U+10FFFF, or a sequence cut off by the end of the n bytes. */
size_t bm_utf8_length(const char *s, size_t n);

/* Decodes the sequence at the start of the n bytes at s (n >= 1) into *cp and returns its length.
 * A NUL byte is U+0000 (length 1); anything bm_utf8_length refuses is U+FFFD, length 1. */
size_t bm_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Cuts s (NUL-terminated) before a last sequence that a fixed buffer cut in half, so that what is
 * left is whole characters (Pango refuses anything else). Whole text is left as it is. */
void bm_utf8_trim_partial(char *s);

/* Moves line and column (1-based) past the byte b: '\n' starts a line, and UTF-8 continuation
 * bytes do not start a column, so a caret lines up under multi-byte names. */
void bm_utf8_advance(unsigned char b, int *line, int *column);

/* The line and column (1-based, in characters) of byte offset in text. */
void bm_utf8_locate(const char *text, size_t offset, int *line, int *column);

/* Finds every byte of text that does not start a well-formed sequence (NUL bytes included) and
 * calls report(user, e) for each with a filled bm_error: BM_ERR_SYNTAX, line and column (a
 * character, or one bad byte, is one column), message and hint; e's file is "". Returns how many
 * there were. UTF-16 text (a byte-order mark, or ASCII with every other byte NUL) is one problem,
 * reported at line 1, not one per NUL byte. */
size_t bm_utf8_check(const char *text, size_t len, void (*report)(void *user, const bm_error *e),
                     void *user);

/* Whether a and b are equal but for ASCII case. */
bool bm_ascii_iequal(const char *a, const char *b);

#endif
