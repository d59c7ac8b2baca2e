/* SPDX-License-Identifier: MIT */
/* gazetteer_names.c - the normal forms of place names (normalisation, transliteration skeletons),
 * string distances and the names of the gazetteer's enums. See gazetteer.c for the design. */
#include "gazetteer_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_buf.h"
#include "bm_hash.h"
#include "utf8.h"

/* ---- Normalisation --------------------------------------------------------------------- */

/* ASCII folding of U+00C0..U+017F (Latin-1 Supplement letters and Latin Extended-A). "" drops
 * the character, " " makes it a separator. s-, c- and z-caron fold to sh, ch, zh as in the
 * DIN 31635 / ISO 233 romanisations of Persian and Balochi names (Cagai with c-caron ->
 * chagai, Zob with z-caron -> zhob); other marks are simply dropped (Khuzdar with a-macron ->
 * khuzdar). */
/* clang-format off */
static const char *const latin_fold[0x180 - 0xC0] = {
    /* C0 */  "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    /* D0 */  "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "ss",
    /* E0 */  "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    /* F0 */  "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "y",
    /* 100 */ "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "ch", "ch", "d", "d",
    /* 110 */ "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
    /* 120 */ "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
    /* 130 */ "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
    /* 140 */ "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
    /* 150 */ "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
    /* 160 */ "sh", "sh", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
    /* 170 */ "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "zh", "zh", "s",
};
/* clang-format on */

/* Letters outside that block that occur in romanised place names of the region. */
static const struct {
    uint32_t cp;
    const char *ascii;
} extra_fold[] = {
    {0x01CD, "a"},
    {0x01CE, "a"},
    {0x01CF, "i"},
    {0x01D0, "i"},
    {0x01D1, "o"},
    {0x01D2, "o"},
    {0x01D3, "u"},
    {0x01D4, "u"},
    {0x01E6, "j"},
    {0x01E7, "j"},
    {0x0259, "a"},
    {0x1E0C, "d"},
    {0x1E0D, "d"},
    {0x1E24, "h"},
    {0x1E25, "h"},
    {0x1E2A, "kh"},
    {0x1E2B, "kh"},
    {0x1E32, "k"},
    {0x1E33, "k"},
    {0x1E36, "l"},
    {0x1E37, "l"},
    {0x1E42, "m"},
    {0x1E43, "m"},
    {0x1E44, "n"},
    {0x1E45, "n"},
    {0x1E46, "n"},
    {0x1E47, "n"},
    {0x1E5A, "r"},
    {0x1E5B, "r"},
    {0x1E62, "s"},
    {0x1E63, "s"},
    {0x1E6C, "t"},
    {0x1E6D, "t"},
    {0x1E92, "z"},
    {0x1E93, "z"},
    {0x1E96, "h"},
    {0x1EBC, "e"},
    {0x1EBD, "e"},
    /* Arabic script: the letters that Arabic, Persian and Urdu write differently for one sound
     * fold to one form, so that an Urdu alt_name matches the Arabic or Persian spelling of a
     * report: kaf to keheh, Arabic and final yeh to Farsi yeh, heh goal and teh marbuta to heh,
     * alef with hamza or madda to alef; short vowels, superscript alef and tatweel are dropped. */
    {0x0643, "\xda\xa9"},
    {0x064A, "\xdb\x8c"},
    {0x0649, "\xdb\x8c"},
    {0x06D2, "\xdb\x8c"},
    {0x06C1, "\xd9\x87"},
    {0x0629, "\xd9\x87"},
    {0x06D5, "\xd9\x87"},
    {0x0622, "\xd8\xa7"},
    {0x0623, "\xd8\xa7"},
    {0x0625, "\xd8\xa7"},
    {0x0640, ""},
    {0x0670, ""},
};

/* What a non-ASCII code point becomes: ASCII text, "" (dropped), " " (separator), or NULL to
 * keep its bytes (names in other scripts can still match exactly). */
static const char *fold_codepoint(uint32_t cp) {
    if (cp >= 0xC0 && cp < 0x180)
        return latin_fold[cp - 0xC0];
    if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x64B && cp <= 0x65F) || cp == 0xFFFD ||
        cp == 0xFEFF)
        return ""; /* combining marks (Latin and Arabic), malformed bytes, byte-order mark */
    if ((cp >= 0x80 && cp <= 0xBF) || (cp >= 0x2B0 && cp <= 0x2FF) ||
        (cp >= 0x2000 && cp <= 0x206F) || cp == 0x3000 || cp == 0x060C || cp == 0x061B ||
        cp == 0x061F || cp == 0x06D4)
        return " "; /* spaces, quotes, apostrophes (U+2019, modifier letters), dashes */
    for (size_t i = 0; i < sizeof extra_fold / sizeof extra_fold[0]; i++) {
        if (extra_fold[i].cp == cp)
            return extra_fold[i].ascii;
    }
    return NULL;
}

typedef struct writer {
    char *out;
    size_t n, size; /* size > 0; out[n] is kept '\0' */
    bool is_space_pending;
} writer;

/* Appends bytes as one unit (never half a UTF-8 sequence), after a pending space. */
static void writer_put(writer *w, const char *bytes, size_t len) {
    if (len == 0)
        return;
    const size_t space = w->is_space_pending && w->n > 0 ? 1 : 0;
    if (w->n + space + len >= w->size)
        return;
    if (space)
        w->out[w->n++] = ' ';
    w->is_space_pending = false;
    memcpy(w->out + w->n, bytes, len);
    w->n += len;
    w->out[w->n] = '\0';
}

/* Lower-cases and folds name into w: separators become single spaces. Text in parentheses is
 * left out when skip_parens ("Lasbela District (HQ Uthal)"). */
static void fold_words(const char *name, bool skip_parens, writer *w) {
    const unsigned char *s = (const unsigned char *)name;
    int depth = 0;
    while (*s != '\0') {
        uint32_t cp;
        const size_t len = bm_utf8_decode((const char *)s, strnlen((const char *)s, 4), &cp);
        const unsigned char *at = s;
        s += len;
        if (cp == '(' || cp == ')') {
            depth += cp == '(' ? 1 : (depth > 0 ? -1 : 0);
            w->is_space_pending = true;
            continue;
        }
        if (skip_parens && depth > 0)
            continue;
        if (cp < 0x80) {
            char c = (char)cp;
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                writer_put(w, &c, 1);
            else
                w->is_space_pending = true;
            continue;
        }
        const char *folded = fold_codepoint(cp);
        if (folded == NULL)
            writer_put(w, (const char *)at, len);
        else if (folded[0] == ' ')
            w->is_space_pending = true;
        else
            writer_put(w, folded, strlen(folded));
    }
}

/* Words that say what kind of place follows or precedes a name, not which place: "Kech
 * District", "District Kech", "Tehsil Tump", "Hub City", "Kohlu area", "Buleda valley". They
 * are removed (never the last word) and, for lookups, hint at the kind the writer meant. */
static const struct {
    const char *word;
    bm_place_kind kind; /* BM_KIND_ANY: no hint */
    bool is_prefix_too;
} affixes[] = {{"district", BM_KIND_DISTRICT, true}, {"tehsil", BM_KIND_TOWN, true},
               {"division", BM_KIND_ANY, true},      {"subdivision", BM_KIND_ANY, true},
               {"city", BM_KIND_TOWN, false},        {"town", BM_KIND_TOWN, false},
               {"village", BM_KIND_TOWN, false},     {"area", BM_KIND_ANY, false},
               {"region", BM_KIND_ANY, false},       {"valley", BM_KIND_ANY, false},
               {"province", BM_KIND_PROVINCE, false}};

/* The area around a town, named after it: "Chaman border", "Gwadar port", "Turbat bazaar",
 * "Hoshab cross", "Mand camp". A query ending in one of these is looked up without it only when
 * it matches nothing as written ("Musa Khel Bazar" is a town's own name). */
static const char *const descriptors[] = {"border", "port",     "bazaar", "bazar",
                                          "cross",  "crossing", "camp"};

/* Cuts a trailing descriptor word off a normalised name of two or more words; its new length,
 * or 0 when there is none. */
size_t bm_gz_strip_descriptor(char *norm) {
    char *last = strrchr(norm, ' ');
    if (last == NULL)
        return 0;
    for (size_t i = 0; i < sizeof descriptors / sizeof descriptors[0]; i++) {
        if (strcmp(last + 1, descriptors[i]) == 0) {
            *last = '\0';
            return (size_t)(last - norm);
        }
    }
    return 0;
}

int bm_gz_affix_index(const char *word, size_t len, bool is_prefix) {
    for (size_t i = 0; i < sizeof affixes / sizeof affixes[0]; i++) {
        if (is_prefix && !affixes[i].is_prefix_too)
            continue;
        if (strlen(affixes[i].word) == len && memcmp(affixes[i].word, word, len) == 0)
            return (int)i;
    }
    return -1;
}

/* Removes affix words from s (single-spaced, length n) while more than one word is left. */
static size_t strip_affixes(char *s, size_t n, bm_place_kind *hint) {
    for (;;) {
        const char *first_space = memchr(s, ' ', n);
        if (first_space == NULL)
            return n;
        const size_t first_len = (size_t)(first_space - s);
        int i = bm_gz_affix_index(s, first_len, true);
        if (i >= 0) {
            memmove(s, first_space + 1, n - first_len - 1);
            n -= first_len + 1;
            s[n] = '\0';
        } else {
            size_t last = n;
            while (last > 0 && s[last - 1] != ' ')
                last--;
            i = bm_gz_affix_index(s + last, n - last, false);
            if (i < 0)
                return n;
            n = last - 1;
            s[n] = '\0';
        }
        if (hint != NULL && affixes[i].kind != BM_KIND_ANY)
            *hint = affixes[i].kind;
    }
}

size_t bm_gz_normalise(const char *name, char *out, size_t out_size, bm_place_kind *hint) {
    if (out_size == 0)
        return 0;
    out[0] = '\0';
    writer w = {out, 0, out_size, false};
    fold_words(name, true, &w);
    if (w.n == 0) {
        w.is_space_pending = false;
        fold_words(name, false, &w);
    }
    return strip_affixes(out, w.n, hint);
}

size_t bm_gazetteer_normalise(const char *name, char *out, size_t out_size) {
    return bm_gz_normalise(name, out, out_size, NULL);
}

/* ---- Skeleton: transliteration variants ------------------------------------------------- */

static bool is_vowel(char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* The second normal form, for VARIANT matches. Each rule is a difference seen in English-language
 * press spellings of the same place, where Urdu script writes one thing:
 *  - o -> u (so oo -> u): short and long u are romanised o, u or oo (Noshki/Nushki,
 *    Panjgoor/Panjgur, Khozdar/Khuzdar, Osta Mohammad/Usta Muhammad, Torbat/Turbat).
 *  - e -> i (so ee -> i): zer and ye romanised e, i or ee (Naseerabad/Nasirabad,
 *    Peshin/Pishin, Sherani/Shirani).
 *  - word-final y -> i: Mashkay/Mashkai, Loralay/Loralai.
 *  - h after a vowel and not before one is dropped: the weak he in "Dehra", "Chah Bahar",
 *    "Abdullah", "Allah Yar" is written or not (Dehra/Dera Bugti, Chahbahar/Chabahar,
 *    Abdulla/Abdullah, Allahyar/Allah Yar). kh, gh, sh, ch, zh, dh, th keep their h.
 *  - Qila, Qilla, Killa, Kila, Qilah as a word -> qila: "fort" in Qila Abdullah / Killa
 *    Abdullah / Kila Saifullah. Not a general q -> k: Qalat (Zabul) and Kalat are different
 *    towns.
 *  - spaces dropped: Las Bela/Lasbela, Musa Khel/Musakhel, Nok Kundi/Nokkundi.
 *  - doubled letters collapsed (after the rules above): Jaffarabad/Jafarabad, Sibbi/Sibi,
 *    Dukki/Duki, Kacchi/Kachhi keeps its h (c-c-h -> ch-h).
 * Not rules, because they join different places: kh/k (Kharan, Karan), gh/g (Ghazni; Chaghi
 * is an alt_name), q/k. One vowel for another (a/e/i/u: Kelat, Punjgur, Mangocher) and w/v
 * (Jivani) are the looser last resort of bm_gz_loosen, never a skeleton rule. */
size_t bm_gz_skeletonise(const char *norm, char *out, size_t out_size) {
    char mapped[NORM_MAX];
    size_t m = 0;
    const char *p = norm;
    while (*p != '\0' && m + 1 < sizeof mapped) {
        const size_t len = strcspn(p, " ");
        char word[NORM_MAX];
        size_t wl = 0;
        for (size_t i = 0; i < len && wl + 1 < sizeof word; i++) {
            char c = p[i];
            if (c == 'o')
                c = 'u';
            else if (c == 'e')
                c = 'i';
            else if (c == 'y' && i + 1 == len && len > 1)
                c = 'i';
            word[wl++] = c;
        }
        word[wl] = '\0';
        if (strcmp(word, "qila") == 0 || strcmp(word, "qilla") == 0 || strcmp(word, "qilah") == 0 ||
            strcmp(word, "killa") == 0 || strcmp(word, "kila") == 0 ||
            strcmp(word, "killah") == 0 || strcmp(word, "qillah") == 0 ||
            strcmp(word, "kilah") == 0) {
            memcpy(word, "qila", 5);
            wl = 4;
        }
        if (m > 0 && m + 1 < sizeof mapped)
            mapped[m++] = ' ';
        for (size_t i = 0; i < wl && m + 1 < sizeof mapped; i++)
            mapped[m++] = word[i];
        p += len;
        while (*p == ' ')
            p++;
    }
    mapped[m] = '\0';

    if (out_size == 0)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < m && n + 1 < out_size; i++) {
        const char c = mapped[i];
        if (c == ' ')
            continue;
        if (c == 'h' && i > 0 && is_vowel(mapped[i - 1])) {
            size_t j = i + 1;
            while (j < m && mapped[j] == ' ')
                j++;
            if (j == m || !is_vowel(mapped[j]))
                continue;
        }
        if (n > 0 && out[n - 1] == c)
            continue;
        out[n++] = c;
    }
    out[n] = '\0';
    return n;
}

uint32_t bm_gz_letter_mask(const char *s, size_t n) {
    uint32_t mask = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char c = (unsigned char)s[i];
        mask |= (uint32_t)1 << (c >= 'a' && c <= 'z' ? c - 'a' : 26 + c % 6);
    }
    return mask;
}

/* The third form, for the vowel-alternation rule: on a skeleton, w -> v and every vowel -> a,
 * doubled letters collapsed. Press spellings differ from the gazetteer's in one vowel (Punjgur /
 * Panjgur, Kelat / Kalat) or in w/v (Jivani / Jiwani). The rule is tried only when no name,
 * alt_name, skeleton or abbreviation matches, only when the skeletons differ in at most one vowel
 * (bm_gz_one_vowel_apart), and it never chooses between two different names: "Sangun" could be
 * Sangan (Sibi) or Sangin (Helmand), and is refused. */
size_t bm_gz_loosen(const char *skel, char *out, size_t out_size) {
    size_t n = 0;
    for (const char *p = skel; *p != '\0' && n + 1 < out_size; p++) {
        char c = *p == 'w' ? 'v' : *p;
        if (is_vowel(c))
            c = 'a';
        if (n > 0 && out[n - 1] == c)
            continue;
        out[n++] = c;
    }
    if (out_size > 0)
        out[n] = '\0';
    return n;
}

/* Whether two skeletons are the same up to w/v and one vowel for another at no more than one
 * place, keeping the first letter ("Ispikan" and "Aspikan" are not one name). */
bool bm_gz_one_vowel_apart(const char *a, const char *b) {
    const size_t n = strlen(a);
    if (n != strlen(b) || n == 0 || a[0] != b[0])
        return false;
    int n_vowels_changed = 0;
    for (size_t i = 0; i < n; i++) {
        const char x = a[i] == 'w' ? 'v' : a[i], y = b[i] == 'w' ? 'v' : b[i];
        if (x == y)
            continue;
        if (!is_vowel(x) || !is_vowel(y) || ++n_vowels_changed > 1)
            return false;
    }
    return true;
}

int bm_gz_popcount32(uint32_t v) {
    int n = 0;
    while (v != 0) {
        v &= v - 1;
        n++;
    }
    return n;
}

/* ---- String distances ------------------------------------------------------------------ */

/* Edit distances are bm_edit_distance_within (bm_error.h; FUZZY_MAX_LEN is its BM_EDIT_MAX_LEN).
 * Jaro-Winkler similarity (prefix scale 0.1, prefix up to 4). Lengths <= FUZZY_MAX_LEN. */
double bm_gz_jaro_winkler(const char *a, size_t la, const char *b, size_t lb) {
    if (la == 0 || lb == 0)
        return la == lb ? 1.0 : 0.0;
    bool a_hit[FUZZY_MAX_LEN] = {false}, b_hit[FUZZY_MAX_LEN] = {false};
    const size_t longer = la > lb ? la : lb;
    const size_t window = longer / 2 > 0 ? longer / 2 - 1 : 0;
    size_t n_match = 0;
    for (size_t i = 0; i < la; i++) {
        const size_t lo = i > window ? i - window : 0;
        const size_t hi = i + window + 1 < lb ? i + window + 1 : lb;
        for (size_t j = lo; j < hi; j++) {
            if (!b_hit[j] && a[i] == b[j]) {
                a_hit[i] = b_hit[j] = true;
                n_match++;
                break;
            }
        }
    }
    if (n_match == 0)
        return 0.0;
    size_t n_half_transposed = 0;
    for (size_t i = 0, j = 0; i < la; i++) {
        if (!a_hit[i])
            continue;
        while (!b_hit[j])
            j++;
        if (a[i] != b[j])
            n_half_transposed++;
        j++;
    }
    const double m = (double)n_match;
    const double jaro =
        (m / (double)la + m / (double)lb + (m - (double)n_half_transposed / 2.0) / m) / 3.0;
    size_t prefix = 0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
        prefix++;
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

/* ---- Names of enums -------------------------------------------------------------------- */

static const char *const kind_names[] = {"town",    "district", "province",
                                         "country", "region",   "any"};
static const char *const precision_names[] = {"point", "district", "province", "country"};
static const char *const match_names[] = {"exact",  "variant",      "fuzzy",
                                          "pinned", "abbreviation", "alias"};

const char *bm_place_kind_name(bm_place_kind k) {
    return (unsigned)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "?";
}

bool bm_place_kind_parse(const char *name, bm_place_kind *out) {
    for (size_t i = 0; name != NULL && i < sizeof kind_names / sizeof kind_names[0]; i++) {
        if (strcmp(name, kind_names[i]) == 0) {
            *out = (bm_place_kind)i;
            return true;
        }
    }
    return false;
}

const char *bm_precision_name(bm_precision p) {
    return (unsigned)p < sizeof precision_names / sizeof precision_names[0] ? precision_names[p]
                                                                            : "?";
}

bool bm_gz_precision_parse(const char *name, bm_precision *out) {
    for (size_t i = 0; i < sizeof precision_names / sizeof precision_names[0]; i++) {
        if (strcmp(name, precision_names[i]) == 0) {
            *out = (bm_precision)i;
            return true;
        }
    }
    return false;
}

const char *bm_match_kind_name(bm_match_kind m) {
    return (unsigned)m < sizeof match_names / sizeof match_names[0] ? match_names[m] : "?";
}

size_t bm_gazetteer_spellings(const bm_gazetteer *gz, const bm_place *p, const char **out,
                              size_t max) {
    (void)gz; /* p is the first member of one of its records */
    const place_rec *rec = (const place_rec *)(const void *)p;
    size_t n = 0;
    for (; n < rec->n_spellings && n < max; n++)
        out[n] = rec->spellings[n].text;
    return n;
}
