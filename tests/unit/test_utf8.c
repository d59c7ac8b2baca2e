/* SPDX-License-Identifier: MIT */
/* utf8: the one decoder, positions in characters, ASCII case folding; and the one edit
 * distance (bm_error.h), which sits beside it in every "did you mean". */
#include <stdint.h>

#include "bm_error.h"
#include "check.h"
#include "utf8.h"

static void lengths_of_well_formed_and_malformed_sequences(void) {
    CHECK_INTEQ(bm_utf8_length("a", 1), 1);
    CHECK_INTEQ(bm_utf8_length("\xC3\xBC", 2), 2);         /* u-umlaut */
    CHECK_INTEQ(bm_utf8_length("\xE1\xB8\x8D", 3), 3);     /* d with dot below */
    CHECK_INTEQ(bm_utf8_length("\xF0\x9F\x98\x80", 4), 4); /* an emoji */
    CHECK_INTEQ(bm_utf8_length("", 1), 0);                 /* NUL */
    CHECK_INTEQ(bm_utf8_length("\xC3", 1), 0);             /* cut off */
    CHECK_INTEQ(bm_utf8_length("\xC0\xAF", 2), 0);         /* overlong '/' */
    CHECK_INTEQ(bm_utf8_length("\xE0\x80\xAF", 3), 0);     /* overlong, three bytes */
    CHECK_INTEQ(bm_utf8_length("\xED\xA0\x80", 3), 0);     /* a surrogate */
    CHECK_INTEQ(bm_utf8_length("\xF4\x90\x80\x80", 4), 0); /* above U+10FFFF */
    CHECK_INTEQ(bm_utf8_length("\x80", 1), 0);             /* a stray continuation byte */
    CHECK_INTEQ(bm_utf8_length("\xFC", 1), 0);             /* Latin-1 u-umlaut */
}

static void decodes_code_points_and_replaces_bad_bytes(void) {
    uint32_t cp = 0;
    CHECK_INTEQ(bm_utf8_decode("\xC4\x81", 2, &cp), 2);
    CHECK_INTEQ(cp, 0x0101); /* a with macron, as in Kandahār */
    CHECK_INTEQ(bm_utf8_decode("\xE1\xB8\x8D", 3, &cp), 3);
    CHECK_INTEQ(cp, 0x1E0D);
    CHECK_INTEQ(bm_utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
    CHECK_INTEQ(cp, 0x1F600);
    CHECK_INTEQ(bm_utf8_decode("Q", 1, &cp), 1);
    CHECK_INTEQ(cp, 'Q');
    CHECK_INTEQ(bm_utf8_decode("\0", 1, &cp), 1);
    CHECK_INTEQ(cp, 0);
    CHECK_INTEQ(bm_utf8_decode("\xFCx", 2, &cp), 1); /* one bad byte, then go on */
    CHECK_INTEQ(cp, 0xFFFD);
    CHECK_INTEQ(bm_utf8_decode("\xE1\xB8", 2, &cp), 1); /* cut off by n */
    CHECK_INTEQ(cp, 0xFFFD);
}

static void columns_count_characters_not_bytes(void) {
    const char text[] = "ab\n\xC3\xBC"
                        "c\xE1\xB8\x8Dx";
    int line = 0, column = 0;
    bm_utf8_locate(text, 0, &line, &column);
    CHECK_INTEQ(line, 1);
    CHECK_INTEQ(column, 1);
    bm_utf8_locate(text, 3, &line, &column); /* just after the newline */
    CHECK_INTEQ(line, 2);
    CHECK_INTEQ(column, 1);
    bm_utf8_locate(text, strlen(text) - 1, &line, &column); /* the 'x' */
    CHECK_INTEQ(line, 2);
    CHECK_INTEQ(column, 4);
}

static void collect(void *user, const bm_error *e) {
    bm_diags *d = user;
    CHECK(bm_diags_add(d, BM_SEV_ERROR, e) == BM_OK);
}

static void check_reports_each_bad_byte_with_its_place(void) {
    const char text[] = "ok \xC3\xBC\n\x80x\xE9\0z";
    bm_diags d = {0};
    CHECK_INTEQ(bm_utf8_check(text, sizeof text - 1, collect, &d), 3);
    REQUIRE(d.n_items == 3);
    CHECK_INTEQ(d.items[0].where.line, 2); /* the stray continuation byte */
    CHECK_INTEQ(d.items[0].where.column, 1);
    CHECK_STREQ(d.items[0].where.message, "invalid UTF-8 byte 0x80; expected UTF-8 text");
    CHECK_INTEQ(d.items[1].where.column, 3); /* a bad byte is one column */
    CHECK_STRCONTAINS(d.items[1].where.hint, "Latin-1");
    CHECK_STREQ(d.items[2].where.message, "NUL byte in the file; expected UTF-8 text");
    CHECK_INTEQ(d.items[2].where.column, 4);
    CHECK(d.items[2].where.status == BM_ERR_SYNTAX);
    bm_diags_free(&d);
    CHECK_INTEQ(bm_utf8_check("Kandah\xC4\x81r", 9, collect, &d), 0);
}

static void trims_a_character_cut_in_half(void) {
    char a[] = "Kandah\xC4";
    bm_utf8_trim_partial(a);
    CHECK_STREQ(a, "Kandah");
    char b[] = "d\xE1\xB8";
    bm_utf8_trim_partial(b);
    CHECK_STREQ(b, "d");
    char c[] = "Kandah\xC4\x81";
    bm_utf8_trim_partial(c);
    CHECK_STREQ(c, "Kandah\xC4\x81"); /* whole: kept */
    char d[] = "ok";
    bm_utf8_trim_partial(d);
    CHECK_STREQ(d, "ok");
    char e[] = "";
    bm_utf8_trim_partial(e);
    CHECK_STREQ(e, "");
}

static void ascii_case_only(void) {
    CHECK(bm_ascii_iequal("Dozens", "dozens"));
    CHECK(bm_ascii_iequal("", ""));
    CHECK(!bm_ascii_iequal("dozen", "dozens"));
    CHECK(!bm_ascii_iequal("\xC3\x9C", "\xC3\xBC")); /* no Unicode folding */
}

static void one_edit_distance_with_a_cap(void) {
    CHECK_INTEQ(bm_edit_distance("value", "value"), 0);
    CHECK_INTEQ(bm_edit_distance("vlaue", "value"), 1); /* a swap is one edit */
    CHECK_INTEQ(bm_edit_distance("kild", "killed"), 2);
    CHECK_INTEQ(bm_edit_distance("", "abc"), 3);
    CHECK(bm_edit_distance("a", "0123456789012345678901234567890123456789012345678") == SIZE_MAX);
    CHECK_INTEQ(bm_edit_distance_within("Mastang", 7, "Mastung", 7, 1), 1);
    CHECK_INTEQ(bm_edit_distance_within("Quetta", 6, "Gwadar", 6, 2), 3); /* cap + 1 */
    CHECK_INTEQ(bm_edit_distance_within("abcdef", 6, "badcfe", 6, 3), 3);
    const char *const keys[] = {"value", "claimed_on", "places"};
    CHECK_STREQ(bm_closest("vaule", keys, 3), "value");
    CHECK_STREQ(bm_closest("claimed", keys, 3), NULL); /* three edits is more than a third */
    CHECK_STREQ(bm_closest("claimedon", keys, 3), "claimed_on");
}

int main(void) {
    RUN(lengths_of_well_formed_and_malformed_sequences);
    RUN(decodes_code_points_and_replaces_bad_bytes);
    RUN(columns_count_characters_not_bytes);
    RUN(check_reports_each_bad_byte_with_its_place);
    RUN(trims_a_character_cut_in_half);
    RUN(ascii_case_only);
    RUN(one_edit_distance_with_a_cap);
    return CHECK_DONE();
}
