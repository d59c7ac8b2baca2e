/* SPDX-License-Identifier: MIT */
/* gazetteer.c - loading, normalising and indexing place names; exact, variant and fuzzy lookup.
 *
 * Every spelling of a place (its name and each alt_name) is kept in two normal forms: the
 * normalised name (bm_gazetteer_normalise) and a "skeleton" that also irons out transliteration
 * differences (skeletonise). Three sorted arrays index them: by normalised name (exact and alias
 * matches), by skeleton (variant matches) and by (first byte, length) of the skeleton (the fuzzy
 * prefilter). The arrays are rebuilt whole after each load or add_file and never change during
 * lookups, so lookups need no locks and keep their scratch space on the stack. */
#include "gazetteer.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_buf.h"
#include "utf8.h"

/* Normal forms longer than this are cut; the longest name in the gazetteer has 40 bytes. */
#define NORM_MAX 256
/* Fuzzy matching and suggestions look at skeletons up to this length; longer ones only match
 * exactly. Keeps the edit-distance rows on the stack. */
#define FUZZY_MAX_LEN 64
/* Skeletons shorter than this never match fuzzily: one edit in "Hub" or "Tump" makes another
 * real name (Hab, Tamp), so a typo there is not guessable. */
#define FUZZY_MIN_LEN 5
/* Jaro-Winkler floor for an accepted fuzzy match. One
 * substituted letter in a 6-letter name scores at most 0.933 (Hoshab, missing from the
 * gazetteer, against Hushak in Iran), so 0.94 accepts a wrong letter only in names of 7 letters
 * or more (Mastang 0.943) and never near the start; a missing, extra or swapped letter passes
 * from 5 letters up (Turbt 0.967). */
#define FUZZY_MIN_SCORE   0.94
#define SUGGEST_MIN_SCORE 0.70
#define N_SUGGESTIONS     3
/* Candidates considered per lookup (a name shared by more places than this is cut). */
#define MAX_CANDIDATES 32
/* Two same-kind, same-name rows closer than this are one place entered twice (GeoNames has
 * Qasr-e Qand twice, 1.6 km apart), not an ambiguity: the map could not tell them apart. */
#define SAME_PLACE_KM 5.0
/* How many times larger a town must be than a same-named one to be taken without asking. */
#define POPULATION_RATIO 10.0
/* A gazetteer file larger than this is refused (shapes/gazetteer.tsv is about 300 KB). */
#define FILE_MAX_BYTES  ((size_t)64 << 20)
#define EARTH_RADIUS_KM 6371.0

enum { /* match quality, best first */
       Q_EXACT,
       Q_ALT,
       Q_SKELETON,
       Q_ABBREV,
       Q_FUZZY
};

typedef struct spelling {
    const char *text; /* as in the file */
    const char *norm; /* bm_gazetteer_normalise */
    const char *skel; /* skeletonise(norm) */
    uint32_t mask;    /* letters present in skel, for the fuzzy prefilter */
    uint16_t skel_len;
} spelling;

typedef struct place_rec {
    bm_place pub; /* first member: what callers see */
    spelling *spellings;
    size_t n_spellings; /* [0] is the name, the rest alt_names */
    double population;
    uint32_t order;  /* position in load order: the last tie-break */
    int line;        /* in its file */
    uint8_t region;  /* 0 Balochistan, 1 elsewhere in Pakistan, 2 elsewhere */
    uint8_t is_user; /* from bm_gazetteer_add_file */
} place_rec;

typedef struct key_entry {
    const char *key; /* normalised name or skeleton */
    const spelling *sp;
    uint32_t place;
    uint8_t is_alt;
} key_entry;

struct bm_gazetteer {
    bm_arena *arena;
    place_rec **recs;
    size_t n_recs, n_recs_alloc;
    key_entry *names; /* by key = norm */
    size_t n_names;
    key_entry *skels; /* by key = skel */
    key_entry *fuzzy; /* the same entries as skels, by (first byte, length, key) */
    size_t n_skels;
    place_rec **by_id; /* by id; a user's row before a built-in one with the same id */
};

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
    {0x01CD, "a"}, {0x01CE, "a"}, {0x01CF, "i"}, {0x01D0, "i"},  {0x01D1, "o"},  {0x01D2, "o"},
    {0x01D3, "u"}, {0x01D4, "u"}, {0x01E6, "j"}, {0x01E7, "j"},  {0x0259, "a"},  {0x1E0C, "d"},
    {0x1E0D, "d"}, {0x1E24, "h"}, {0x1E25, "h"}, {0x1E2A, "kh"}, {0x1E2B, "kh"}, {0x1E32, "k"},
    {0x1E33, "k"}, {0x1E36, "l"}, {0x1E37, "l"}, {0x1E42, "m"},  {0x1E43, "m"},  {0x1E44, "n"},
    {0x1E45, "n"}, {0x1E46, "n"}, {0x1E47, "n"}, {0x1E5A, "r"},  {0x1E5B, "r"},  {0x1E62, "s"},
    {0x1E63, "s"}, {0x1E6C, "t"}, {0x1E6D, "t"}, {0x1E92, "z"},  {0x1E93, "z"},  {0x1E96, "h"},
    {0x1EBC, "e"}, {0x1EBD, "e"},
};

/* What a non-ASCII code point becomes: ASCII text, "" (dropped), " " (separator), or NULL to
 * keep its bytes (names in other scripts can still match exactly). */
static const char *fold_codepoint(uint32_t cp) {
    if (cp >= 0xC0 && cp < 0x180)
        return latin_fold[cp - 0xC0];
    if ((cp >= 0x300 && cp <= 0x36F) || cp == 0xFFFD || cp == 0xFEFF)
        return ""; /* combining marks, malformed bytes, byte-order mark */
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

static int affix_index(const char *word, size_t len, bool is_prefix) {
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
        int i = affix_index(s, first_len, true);
        if (i >= 0) {
            memmove(s, first_space + 1, n - first_len - 1);
            n -= first_len + 1;
            s[n] = '\0';
        } else {
            size_t last = n;
            while (last > 0 && s[last - 1] != ' ')
                last--;
            i = affix_index(s + last, n - last, false);
            if (i < 0)
                return n;
            n = last - 1;
            s[n] = '\0';
        }
        if (hint != NULL && affixes[i].kind != BM_KIND_ANY)
            *hint = affixes[i].kind;
    }
}

static size_t normalise(const char *name, char *out, size_t out_size, bm_place_kind *hint) {
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
    return normalise(name, out, out_size, NULL);
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
 * is an alt_name), a/e (Mangocher is fuzzy), w/v (Sivi is an alt_name), q/k. */
static size_t skeletonise(const char *norm, char *out, size_t out_size) {
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

static uint32_t letter_mask(const char *s, size_t n) {
    uint32_t mask = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char c = (unsigned char)s[i];
        mask |= (uint32_t)1 << (c >= 'a' && c <= 'z' ? c - 'a' : 26 + c % 6);
    }
    return mask;
}

static int popcount32(uint32_t v) {
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
static double jaro_winkler(const char *a, size_t la, const char *b, size_t lb) {
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

static bool precision_parse(const char *name, bm_precision *out) {
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

/* ---- Building the indexes -------------------------------------------------------------- */

static int ascii_casecmp(const char *a, const char *b) {
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb || ca == 0)
            return ca - cb;
    }
}

static uint8_t region_of(const char *country, const char *admin1) {
    if (ascii_casecmp(admin1, "Balochistan") == 0 || ascii_casecmp(admin1, "Baluchistan") == 0)
        return 0;
    return ascii_casecmp(country, "PK") == 0 ? 1 : 2;
}

/* Fills sp from text (already in the arena). Returns false when it normalises to nothing. */
static bool spelling_init(bm_arena *arena, const char *text, spelling *sp, bm_error *err) {
    char norm[NORM_MAX], skel[NORM_MAX];
    const size_t n = normalise(text, norm, sizeof norm, NULL);
    if (n == 0)
        return false;
    const size_t k = skeletonise(norm, skel, sizeof skel);
    sp->text = text;
    sp->norm = bm_arena_strndup(arena, norm, n);
    sp->skel = bm_arena_strndup(arena, skel, k);
    if (sp->norm == NULL || sp->skel == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory while indexing place names");
        return false;
    }
    sp->skel_len = (uint16_t)k;
    sp->mask = letter_mask(skel, k);
    return true;
}

/* Sets the spellings of rec: name, then each '|'-separated alt name (a copy is made). */
static bm_status rec_set_spellings(bm_arena *arena, place_rec *rec, const char *alt_names,
                                   bm_error *err) {
    size_t n_max = 1;
    for (const char *p = alt_names; *p != '\0'; p++)
        n_max += *p == '|';
    n_max += alt_names[0] != '\0';
    rec->spellings = bm_arena_alloc(arena, n_max * sizeof(spelling));
    if (rec->spellings == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
    rec->n_spellings = 0;
    if (spelling_init(arena, rec->pub.name, &rec->spellings[0], err))
        rec->n_spellings = 1;
    const char *p = alt_names;
    while (*p != '\0') {
        const size_t len = strcspn(p, "|");
        if (len > 0) {
            const char *text = bm_arena_strndup(arena, p, len);
            if (text == NULL)
                return bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
            spelling *sp = &rec->spellings[rec->n_spellings];
            if (spelling_init(arena, text, sp, err))
                rec->n_spellings++;
        }
        p += len;
        if (*p == '|')
            p++;
    }
    return err != NULL ? err->status : BM_OK;
}

static int key_cmp(const void *pa, const void *pb) {
    const key_entry *a = pa, *b = pb;
    const int c = strcmp(a->key, b->key);
    if (c != 0)
        return c;
    if (a->place != b->place)
        return a->place < b->place ? -1 : 1;
    return (int)a->is_alt - (int)b->is_alt;
}

static int fuzzy_cmp(const void *pa, const void *pb) {
    const key_entry *a = pa, *b = pb;
    const unsigned char fa = (unsigned char)a->key[0], fb = (unsigned char)b->key[0];
    if (fa != fb)
        return fa < fb ? -1 : 1;
    if (a->sp->skel_len != b->sp->skel_len)
        return a->sp->skel_len < b->sp->skel_len ? -1 : 1;
    return key_cmp(pa, pb);
}

static int by_id_cmp(const void *pa, const void *pb) {
    const place_rec *a = *(place_rec *const *)pa, *b = *(place_rec *const *)pb;
    const int c = strcmp(a->pub.id, b->pub.id);
    if (c != 0)
        return c;
    if (a->is_user != b->is_user)
        return a->is_user ? -1 : 1;
    return a->order > b->order ? -1 : (a->order < b->order); /* later files win */
}

/* Sorts entries and drops repeats of one (key, place), keeping the canonical name. */
static size_t sort_unique(key_entry *e, size_t n) {
    qsort(e, n, sizeof *e, key_cmp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && e[k - 1].place == e[i].place && strcmp(e[k - 1].key, e[i].key) == 0)
            continue;
        e[k++] = e[i];
    }
    return k;
}

/* Rebuilds all indexes from gz->recs; on failure the old ones stay. */
static bm_status build_indexes(bm_gazetteer *gz, bm_error *err) {
    size_t n_keys = 0;
    for (size_t i = 0; i < gz->n_recs; i++)
        n_keys += gz->recs[i]->n_spellings;
    key_entry *names = NULL, *skels = NULL, *fuzzy = NULL;
    place_rec **by_id = NULL;
    const size_t n_alloc = n_keys > 0 ? n_keys : 1;
    names = malloc(n_alloc * sizeof *names);
    skels = malloc(n_alloc * sizeof *skels);
    fuzzy = malloc(n_alloc * sizeof *fuzzy);
    by_id = malloc((gz->n_recs > 0 ? gz->n_recs : 1) * sizeof *by_id);
    if (names == NULL || skels == NULL || fuzzy == NULL || by_id == NULL) {
        free(names);
        free(skels);
        free(fuzzy);
        free(by_id);
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory while indexing places");
    }
    size_t k = 0;
    for (size_t i = 0; i < gz->n_recs; i++) {
        const place_rec *rec = gz->recs[i];
        for (size_t j = 0; j < rec->n_spellings; j++) {
            const spelling *sp = &rec->spellings[j];
            names[k] = (key_entry){sp->norm, sp, (uint32_t)i, (uint8_t)(j > 0)};
            skels[k] = (key_entry){sp->skel, sp, (uint32_t)i, (uint8_t)(j > 0)};
            k++;
        }
        by_id[i] = gz->recs[i];
    }
    free(gz->names);
    free(gz->skels);
    free(gz->fuzzy);
    free(gz->by_id);
    gz->n_names = sort_unique(names, k);
    gz->n_skels = sort_unique(skels, k);
    memcpy(fuzzy, skels, gz->n_skels * sizeof *fuzzy);
    qsort(fuzzy, gz->n_skels, sizeof *fuzzy, fuzzy_cmp);
    qsort(by_id, gz->n_recs, sizeof *by_id, by_id_cmp);
    gz->names = names;
    gz->skels = skels;
    gz->fuzzy = fuzzy;
    gz->by_id = by_id;
    return BM_OK;
}

/* ---- Reading files --------------------------------------------------------------------- */

#define MAX_FIELDS 16

/* Splits one line in place. TSV: fields end at tabs. CSV: RFC 4180 quoting within the line
 * ("a, b" and "" for a quote). Returns the number of fields, or MAX_FIELDS + 1 if there are
 * more, or 0 on an unterminated quote. */
static size_t split_line(char *line, char sep, char **fields) {
    size_t n = 0;
    char *p = line;
    for (;;) {
        if (n == MAX_FIELDS)
            return MAX_FIELDS + 1;
        if (sep == ',' && *p == '"') {
            char *w = p, *r = p + 1;
            fields[n++] = w;
            for (;;) {
                if (*r == '\0')
                    return 0;
                if (*r == '"' && r[1] == '"') {
                    *w++ = '"';
                    r += 2;
                } else if (*r == '"') {
                    r++;
                    break;
                } else {
                    *w++ = *r++;
                }
            }
            while (*r == ' ')
                r++;
            const char end = *r;
            *w = '\0';
            if (end == '\0')
                return n;
            if (end != sep)
                return 0;
            p = r + 1;
            continue;
        }
        fields[n++] = p;
        char *end = strchr(p, sep);
        if (end == NULL)
            return n;
        *end = '\0';
        p = end + 1;
    }
}

/* Trims ASCII spaces at both ends, in place. */
static char *trim(char *s) {
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == ' ')
        s[--n] = '\0';
    return s;
}

/* strtod with the end pointer checked: the whole field must be one finite number. */
static bool parse_number(const char *s, double *out) {
    if (!((*s >= '0' && *s <= '9') || *s == '-' || *s == '+' || *s == '.'))
        return false;
    char *end = NULL;
    const double v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(v))
        return false;
    *out = v;
    return true;
}

typedef struct line_reader {
    char *p; /* next line */
    int line;
} line_reader;

/* The next line (CR stripped, NUL-terminated in place), or NULL at the end. */
static char *next_line(line_reader *r) {
    if (r->p == NULL || *r->p == '\0')
        return NULL;
    char *line = r->p;
    char *nl = strchr(line, '\n');
    if (nl != NULL) {
        *nl = '\0';
        r->p = nl + 1;
    } else {
        r->p = NULL;
    }
    const size_t n = strlen(line);
    if (n > 0 && line[n - 1] == '\r')
        line[n - 1] = '\0';
    r->line++;
    if (r->line == 1 && (unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB &&
        (unsigned char)line[2] == 0xBF)
        line += 3;
    return line;
}

static bm_status located(bm_error *err, const char *path, int line, bm_status status) {
    bm_error_file(err, path);
    if (err != NULL && err->line == 0)
        err->line = line;
    return status;
}

static bm_status check_coords(double lat_deg, double lon_deg, const char *path, int line,
                              bm_error *err) {
    if (lat_deg < -90 || lat_deg > 90 || lon_deg < -180 || lon_deg > 180) {
        bm_error_set(err, BM_ERR_INVALID,
                     "coordinates %.4f, %.4f out of range; expected lat -90..90, lon -180..180",
                     lat_deg, lon_deg);
        bm_error_hint(err, "columns are lat then lon, in decimal degrees");
        return located(err, path, line, BM_ERR_INVALID);
    }
    return BM_OK;
}

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" with a plausible month and day, or "" (open-ended). */
static bool is_partial_date(const char *s) {
    static const char shape[] = "dddd-dd-dd";
    const size_t n = strlen(s);
    if (n != 0 && n != 4 && n != 7 && n != 10)
        return false;
    for (size_t i = 0; i < n; i++)
        if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != '-')
            return false;
    const int month = n >= 7 ? (s[5] - '0') * 10 + (s[6] - '0') : 1;
    const int day = n == 10 ? (s[8] - '0') * 10 + (s[9] - '0') : 1;
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* Reads valid_from and valid_until; they must be dates and in order. */
static bm_status set_validity(bm_gazetteer *gz, bm_place *pl, const char *from, const char *until,
                              const char *path, int line, bm_error *err) {
    const char *bad = !is_partial_date(from) ? from : !is_partial_date(until) ? until : NULL;
    if (bad != NULL) {
        bm_error_set(err, BM_ERR_INVALID,
                     "expected a date (YYYY, YYYY-MM or YYYY-MM-DD) or nothing for %s, got '%s'",
                     bad == from ? "valid_from" : "valid_until", bad);
        return located(err, path, line, BM_ERR_INVALID);
    }
    if (from[0] != '\0' && until[0] != '\0' && strcmp(from, until) > 0) {
        bm_error_set(err, BM_ERR_INVALID, "valid_from %s is after valid_until %s", from, until);
        return located(err, path, line, BM_ERR_INVALID);
    }
    pl->valid_from = bm_arena_strdup(gz->arena, from);
    pl->valid_until = bm_arena_strdup(gz->arena, until);
    if (pl->valid_from == NULL || pl->valid_until == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
    return BM_OK;
}

int bm_place_date_check(const bm_place *p, const char *iso_date) {
    if (p == NULL || iso_date == NULL || strlen(iso_date) < 10)
        return 0;
    const char *from = p->valid_from != NULL ? p->valid_from : "";
    const char *until = p->valid_until != NULL ? p->valid_until : "";
    /* Compare only as many characters as the bound has: a month bound covers the month. */
    if (from[0] != '\0' && strncmp(iso_date, from, strlen(from)) < 0)
        return -1;
    if (until[0] != '\0' && strncmp(iso_date, until, strlen(until)) > 0)
        return 1;
    return 0;
}

static bm_status add_rec(bm_gazetteer *gz, place_rec *rec, bm_error *err) {
    void *items = gz->recs;
    if (bm_grow(&items, &gz->n_recs_alloc, gz->n_recs + 1, sizeof *gz->recs) != BM_OK)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
    gz->recs = items;
    rec->order = (uint32_t)gz->n_recs;
    gz->recs[gz->n_recs++] = rec;
    return BM_OK;
}

static const char *const tsv_columns[] = {
    "id",     "name",       "kind",      "lat",       "lon",        "country",     "admin1",
    "admin2", "population", "alt_names", "precision", "valid_from", "valid_until", "source"};
#define N_TSV_COLUMNS (sizeof tsv_columns / sizeof tsv_columns[0])

static bm_status parse_builtin(bm_gazetteer *gz, char *text, const char *path, bm_error *err) {
    line_reader r = {text, 0};
    char *line = next_line(&r);
    char *fields[MAX_FIELDS];
    size_t n = line != NULL ? split_line(line, '\t', fields) : 0;
    bool is_header_ok = n == N_TSV_COLUMNS;
    for (size_t i = 0; is_header_ok && i < N_TSV_COLUMNS; i++)
        is_header_ok = strcmp(trim(fields[i]), tsv_columns[i]) == 0;
    if (!is_header_ok) {
        bm_error_set(err, BM_ERR_SYNTAX,
                     "expected the header line 'id, name, kind, lat, lon, country, admin1, "
                     "admin2, population, alt_names, precision, valid_from, valid_until, "
                     "source' (tab-separated)");
        return located(err, path, 1, BM_ERR_SYNTAX);
    }
    while ((line = next_line(&r)) != NULL) {
        if (line[0] == '\0' || line[0] == '#')
            continue;
        n = split_line(line, '\t', fields);
        if (n != N_TSV_COLUMNS) {
            bm_error_set(err, BM_ERR_SYNTAX, "expected %zu tab-separated columns, found %s%zu",
                         N_TSV_COLUMNS, n > MAX_FIELDS ? "more than " : "",
                         n > MAX_FIELDS ? (size_t)MAX_FIELDS : n);
            return located(err, path, r.line, BM_ERR_SYNTAX);
        }
        place_rec *rec = bm_arena_alloc(gz->arena, sizeof *rec);
        if (rec == NULL)
            return bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
        bm_place *pl = &rec->pub;
        const char *id = trim(fields[0]), *name = trim(fields[1]), *kind = trim(fields[2]);
        if (id[0] == '\0' || name[0] == '\0') {
            bm_error_set(err, BM_ERR_INVALID, "empty %s", id[0] == '\0' ? "id" : "name");
            return located(err, path, r.line, BM_ERR_INVALID);
        }
        if (!bm_place_kind_parse(kind, &pl->kind) || pl->kind == BM_KIND_ANY) {
            bm_error_set(err, BM_ERR_INVALID,
                         "unknown kind '%s'; expected one of: town, district, province, "
                         "country, region",
                         kind);
            return located(err, path, r.line, BM_ERR_INVALID);
        }
        const bool is_unlocated = trim(fields[3])[0] == '\0' && trim(fields[4])[0] == '\0';
        if (is_unlocated) /* known by name only: lookups say so and ask for a pin */
            pl->lat_deg = pl->lon_deg = NAN;
        for (int c = 3; c <= 4 && !is_unlocated; c++) {
            const char *v = trim(fields[c]);
            if (!parse_number(v, c == 3 ? &pl->lat_deg : &pl->lon_deg)) {
                bm_error_set(err, BM_ERR_INVALID, "expected a number for %s, got '%s'",
                             tsv_columns[c], v);
                return located(err, path, r.line, BM_ERR_INVALID);
            }
        }
        if (!is_unlocated && check_coords(pl->lat_deg, pl->lon_deg, path, r.line, err) != BM_OK)
            return err->status;
        const char *pop = trim(fields[8]);
        if (pop[0] != '\0' && (!parse_number(pop, &rec->population) || rec->population < 0)) {
            bm_error_set(err, BM_ERR_INVALID, "expected a population >= 0 or nothing, got '%s'",
                         pop);
            return located(err, path, r.line, BM_ERR_INVALID);
        }
        const char *precision = trim(fields[10]);
        if (!precision_parse(precision, &pl->precision)) {
            bm_error_set(err, BM_ERR_INVALID,
                         "unknown precision '%s'; expected one of: point, district, province, "
                         "country",
                         precision);
            return located(err, path, r.line, BM_ERR_INVALID);
        }
        pl->id = bm_arena_strdup(gz->arena, id);
        pl->name = bm_arena_strdup(gz->arena, name);
        pl->country = bm_arena_strdup(gz->arena, trim(fields[5]));
        pl->admin1 = bm_arena_strdup(gz->arena, trim(fields[6]));
        pl->admin2 = bm_arena_strdup(gz->arena, trim(fields[7]));
        pl->source = bm_arena_strdup(gz->arena, trim(fields[13]));
        if (set_validity(gz, pl, trim(fields[11]), trim(fields[12]), path, r.line, err) != BM_OK)
            return err->status;
        if (pl->id == NULL || pl->name == NULL || pl->country == NULL || pl->admin1 == NULL ||
            pl->admin2 == NULL || pl->source == NULL)
            return bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
        rec->region = region_of(pl->country, pl->admin1);
        if (rec_set_spellings(gz->arena, rec, trim(fields[9]), err) != BM_OK)
            return err->status;
        if (rec->n_spellings == 0) {
            bm_error_set(err, BM_ERR_INVALID, "name '%s' has no letters or digits", name);
            return located(err, path, r.line, BM_ERR_INVALID);
        }
        rec->line = r.line;
        if (add_rec(gz, rec, err) != BM_OK)
            return err->status;
    }
    return BM_OK;
}

bm_gazetteer *bm_gazetteer_load(const char *path, bm_error *err) {
    bm_buf text = BM_BUF_INIT(FILE_MAX_BYTES);
    bm_gazetteer *gz = calloc(1, sizeof *gz);
    if (gz == NULL || (gz->arena = bm_arena_new()) == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory while loading '%s'", path);
        goto fail;
    }
    if (bm_buf_read_file(&text, path, FILE_MAX_BYTES, err) != BM_OK)
        goto fail;
    if (parse_builtin(gz, text.data, path, err) != BM_OK)
        goto fail;
    if (build_indexes(gz, err) != BM_OK)
        goto fail;
    for (size_t i = 1; i < gz->n_recs; i++) {
        if (strcmp(gz->by_id[i - 1]->pub.id, gz->by_id[i]->pub.id) == 0) {
            const place_rec *a = gz->by_id[i - 1], *b = gz->by_id[i];
            bm_error_set(err, BM_ERR_INVALID, "duplicate id '%s' (first on line %d)", a->pub.id,
                         a->line < b->line ? a->line : b->line);
            located(err, path, a->line < b->line ? b->line : a->line, BM_ERR_INVALID);
            goto fail;
        }
    }
    bm_buf_free(&text);
    return gz;
fail:
    bm_buf_free(&text);
    bm_gazetteer_free(gz);
    return NULL;
}

void bm_gazetteer_free(bm_gazetteer *gz) {
    if (gz == NULL)
        return;
    bm_arena_free(gz->arena);
    free(gz->recs);
    free(gz->names);
    free(gz->skels);
    free(gz->fuzzy);
    free(gz->by_id);
    free(gz);
}

size_t bm_gazetteer_size(const bm_gazetteer *gz) {
    return gz->n_recs;
}

const bm_place *bm_gazetteer_at(const bm_gazetteer *gz, size_t i) {
    return i < gz->n_recs ? &gz->recs[i]->pub : NULL;
}

/* ---- User files ------------------------------------------------------------------------ */

enum {
    U_NAME,
    U_LAT,
    U_LON,
    U_KIND,
    U_ALT,
    U_SOURCE,
    U_ID,
    U_PRECISION,
    U_COUNTRY,
    U_ADMIN1,
    U_ADMIN2,
    U_VALID_FROM,
    U_VALID_UNTIL,
    N_USER_COLUMNS
};
static const char *const user_columns[N_USER_COLUMNS] = {
    "name",      "lat",     "lon",    "kind",   "alt_names",  "source",     "id",
    "precision", "country", "admin1", "admin2", "valid_from", "valid_until"};

static bool has_suffix(const char *s, const char *suffix) {
    const size_t n = strlen(s), k = strlen(suffix);
    return n >= k && ascii_casecmp(s + n - k, suffix) == 0;
}

static const bm_precision precision_of_kind[] = {BM_PREC_POINT, BM_PREC_DISTRICT, BM_PREC_PROVINCE,
                                                 BM_PREC_COUNTRY, BM_PREC_PROVINCE};

/* A stable id for a user row without one: "user." and the normalised name with dashes. */
static const char *user_id(bm_arena *arena, const char *norm, int line, bool with_line) {
    char id[NORM_MAX + 32];
    size_t n = (size_t)snprintf(id, sizeof id, "user.");
    for (const char *p = norm; *p != '\0' && n + 1 < sizeof id - 16; p++)
        id[n++] = *p == ' ' ? '-' : *p;
    id[n] = '\0';
    if (with_line)
        snprintf(id + n, sizeof id - n, "-%d", line);
    return bm_arena_strdup(arena, id);
}

static bm_status parse_user_row(bm_gazetteer *gz, char **fields, const int *column_of,
                                const char *path, int line, bm_error *err) {
    place_rec *rec = bm_arena_alloc(gz->arena, sizeof *rec);
    if (rec == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
    bm_place *pl = &rec->pub;
    const char *value[N_USER_COLUMNS];
    for (int c = 0; c < N_USER_COLUMNS; c++)
        value[c] = column_of[c] >= 0 ? trim(fields[column_of[c]]) : "";
    if (value[U_NAME][0] == '\0') {
        bm_error_set(err, BM_ERR_INVALID, "empty name");
        return located(err, path, line, BM_ERR_INVALID);
    }
    for (int c = U_LAT; c <= U_LON; c++) {
        double *to = c == U_LAT ? &pl->lat_deg : &pl->lon_deg;
        if (!parse_number(value[c], to)) {
            bm_error_set(err, BM_ERR_INVALID, "expected a number for %s, got '%s'", user_columns[c],
                         value[c]);
            bm_error_hint(err, "write decimal degrees with a '.', e.g. 26.0012");
            return located(err, path, line, BM_ERR_INVALID);
        }
    }
    if (check_coords(pl->lat_deg, pl->lon_deg, path, line, err) != BM_OK)
        return err->status;
    pl->kind = BM_KIND_TOWN;
    if (value[U_KIND][0] != '\0' &&
        (!bm_place_kind_parse(value[U_KIND], &pl->kind) || pl->kind == BM_KIND_ANY)) {
        bm_error_set(err, BM_ERR_INVALID,
                     "unknown kind '%s'; expected one of: town, district, province, country, "
                     "region",
                     value[U_KIND]);
        return located(err, path, line, BM_ERR_INVALID);
    }
    pl->precision = precision_of_kind[pl->kind];
    if (value[U_PRECISION][0] != '\0' && !precision_parse(value[U_PRECISION], &pl->precision)) {
        bm_error_set(err, BM_ERR_INVALID,
                     "unknown precision '%s'; expected one of: point, district, province, "
                     "country",
                     value[U_PRECISION]);
        return located(err, path, line, BM_ERR_INVALID);
    }
    pl->name = bm_arena_strdup(gz->arena, value[U_NAME]);
    pl->country = bm_arena_strdup(gz->arena, value[U_COUNTRY]);
    pl->admin1 = bm_arena_strdup(gz->arena, value[U_ADMIN1]);
    pl->admin2 = bm_arena_strdup(gz->arena, value[U_ADMIN2]);
    if (value[U_SOURCE][0] != '\0') {
        pl->source = bm_arena_strdup(gz->arena, value[U_SOURCE]);
    } else {
        char where[600];
        snprintf(where, sizeof where, "%s:%d", path, line);
        pl->source = bm_arena_strdup(gz->arena, where);
    }
    if (pl->name == NULL || pl->country == NULL || pl->admin1 == NULL || pl->admin2 == NULL ||
        pl->source == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
    if (set_validity(gz, pl, value[U_VALID_FROM], value[U_VALID_UNTIL], path, line, err) != BM_OK)
        return err->status;
    rec->region = region_of(pl->country, pl->admin1);
    rec->is_user = 1;
    rec->line = line;
    if (rec_set_spellings(gz->arena, rec, value[U_ALT], err) != BM_OK)
        return err->status;
    if (rec->n_spellings == 0) {
        bm_error_set(err, BM_ERR_INVALID, "name '%s' has no letters or digits", pl->name);
        return located(err, path, line, BM_ERR_INVALID);
    }
    if (value[U_ID][0] != '\0') {
        pl->id = bm_arena_strdup(gz->arena, value[U_ID]);
    } else {
        pl->id = user_id(gz->arena, rec->spellings[0].norm, line, false);
        for (size_t i = 0; pl->id != NULL && i < gz->n_recs; i++) {
            if (gz->recs[i]->is_user && strcmp(gz->recs[i]->pub.id, pl->id) == 0) {
                pl->id = user_id(gz->arena, rec->spellings[0].norm, line, true);
                break;
            }
        }
    }
    if (pl->id == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
    return add_rec(gz, rec, err);
}

bm_status bm_gazetteer_add_file(bm_gazetteer *gz, const char *path, bm_error *err) {
    bm_buf text = BM_BUF_INIT(FILE_MAX_BYTES);
    const size_t n_before = gz->n_recs;
    if (bm_buf_read_file(&text, path, FILE_MAX_BYTES, err) != BM_OK)
        goto fail;
    line_reader r = {text.data, 0};
    char *header = next_line(&r);
    char sep = '\t';
    if (has_suffix(path, ".csv"))
        sep = ',';
    else if (!has_suffix(path, ".tsv"))
        sep = header != NULL && strchr(header, '\t') != NULL ? '\t' : ',';
    char *fields[MAX_FIELDS];
    const size_t n_header = header != NULL ? split_line(header, sep, fields) : 0;
    int column_of[N_USER_COLUMNS];
    for (int c = 0; c < N_USER_COLUMNS; c++)
        column_of[c] = -1;
    if (n_header == 0 || n_header > MAX_FIELDS) {
        bm_error_set(err, BM_ERR_SYNTAX, "expected a header line naming the columns");
        bm_error_hint(err, "start with: name%clat%clon (then any of kind, alt_names, source, id)",
                      sep, sep);
        located(err, path, 1, BM_ERR_SYNTAX);
        goto fail;
    }
    for (size_t i = 0; i < n_header; i++) {
        const char *col = trim(fields[i]);
        int found = -1;
        for (int c = 0; c < N_USER_COLUMNS; c++) {
            if (ascii_casecmp(col, user_columns[c]) == 0)
                found = c;
        }
        if (found < 0 || column_of[found] >= 0) {
            bm_error_set(
                err, BM_ERR_SYNTAX,
                found < 0
                    ? "unknown column '%s'; expected: name, lat, lon, kind, "
                      "alt_names, source, id, precision, country, admin1, admin2, valid_from, "
                      "valid_until"
                    : "column '%s' appears twice",
                col);
            located(err, path, 1, BM_ERR_SYNTAX);
            goto fail;
        }
        column_of[found] = (int)i;
    }
    for (int c = U_NAME; c <= U_LON; c++) {
        if (column_of[c] < 0) {
            bm_error_set(err, BM_ERR_SYNTAX, "missing column '%s'; name, lat and lon are required",
                         user_columns[c]);
            located(err, path, 1, BM_ERR_SYNTAX);
            goto fail;
        }
    }
    char *line;
    while ((line = next_line(&r)) != NULL) {
        if (trim(line)[0] == '\0' || line[0] == '#')
            continue;
        const size_t n = split_line(line, sep, fields);
        if (n != n_header) {
            if (n == 0)
                bm_error_set(err, BM_ERR_SYNTAX, "unterminated quoted field");
            else
                bm_error_set(err, BM_ERR_SYNTAX,
                             "expected %zu columns as in the header, found %s%zu", n_header,
                             n > MAX_FIELDS ? "more than " : "",
                             n > MAX_FIELDS ? (size_t)MAX_FIELDS : n);
            located(err, path, r.line, BM_ERR_SYNTAX);
            goto fail;
        }
        if (parse_user_row(gz, fields, column_of, path, r.line, err) != BM_OK)
            goto fail;
    }
    if (build_indexes(gz, err) != BM_OK)
        goto fail;
    bm_buf_free(&text);
    return BM_OK;
fail:
    gz->n_recs = n_before; /* rows already read stay in the arena until bm_gazetteer_free */
    bm_buf_free(&text);
    return err != NULL && err->status != BM_OK ? err->status : BM_ERR_INVALID;
}

/* ---- Lookup ---------------------------------------------------------------------------- */

const bm_place *bm_gazetteer_by_id(const bm_gazetteer *gz, const char *id) {
    size_t lo = 0, hi = gz->n_recs;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (strcmp(gz->by_id[mid]->pub.id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < gz->n_recs && strcmp(gz->by_id[lo]->pub.id, id) == 0 ? &gz->by_id[lo]->pub : NULL;
}

typedef struct cand {
    uint32_t place;
    int quality;
    double score;
    const char *matched;
} cand;

typedef struct cand_set {
    cand items[MAX_CANDIDATES];
    size_t n;
} cand_set;

static void cand_add(cand_set *cs, uint32_t place, int quality, double score, const char *matched) {
    for (size_t i = 0; i < cs->n; i++) {
        cand *c = &cs->items[i];
        if (c->place != place)
            continue;
        if (quality < c->quality || (quality == c->quality && score > c->score))
            *c = (cand){place, quality, score, matched};
        return;
    }
    if (cs->n < MAX_CANDIDATES)
        cs->items[cs->n++] = (cand){place, quality, score, matched};
}

/* First index in e[0..n) whose key is not less than key. */
static size_t lower_bound(const key_entry *e, size_t n, const char *key) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (strcmp(e[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int kind_rank(bm_place_kind k) {
    return (int)k; /* town, district, province, country, region */
}

/* Compares how well two candidates answer the query; 0 means a tie that only data order
 * would break. Order: the wanted kind (when one is given); match quality; fuzzy score; the
 * user's own places; then, for BM_KIND_ANY, Balochistan before the rest of Pakistan before
 * elsewhere and towns before districts, and for a given kind the other way round; then a town
 * at least POPULATION_RATIO times the population of its namesake. Region comes
 * first for BM_KIND_ANY because "Nasirabad" in a report on Balochistan is the district there,
 * not the town of that name in Sindh. */
static int rank_cmp(const bm_gazetteer *gz, bm_place_kind want, const cand *a, const cand *b) {
    const place_rec *ra = gz->recs[a->place], *rb = gz->recs[b->place];
    if (want != BM_KIND_ANY) {
        const int ma = ra->pub.kind != want, mb = rb->pub.kind != want;
        if (ma != mb)
            return ma - mb;
    }
    if (a->quality != b->quality)
        return a->quality - b->quality;
    if (a->quality == Q_FUZZY && fabs(a->score - b->score) > 1e-9)
        return a->score > b->score ? -1 : 1;
    if (ra->is_user != rb->is_user)
        return ra->is_user ? -1 : 1;
    const int ka = kind_rank(ra->pub.kind), kb = kind_rank(rb->pub.kind);
    const int ga = ra->region, gb = rb->region;
    if (want == BM_KIND_ANY && ga != gb)
        return ga - gb;
    if (ka != kb)
        return ka - kb;
    if (ga != gb)
        return ga - gb;
    /* A namesake ten times smaller is not a serious rival ("Hub" the city, not a hamlet); closer
     * sizes stay a tie, which lookups refuse as ambiguous. Unknown populations never decide. */
    if (ra->population > 0 && rb->population > 0) {
        if (ra->population >= POPULATION_RATIO * rb->population)
            return -1;
        if (rb->population >= POPULATION_RATIO * ra->population)
            return 1;
    }
    return 0;
}

static int full_cmp(const bm_gazetteer *gz, bm_place_kind want, const cand *a, const cand *b) {
    const int c = rank_cmp(gz, want, a, b);
    if (c != 0)
        return c;
    const place_rec *ra = gz->recs[a->place], *rb = gz->recs[b->place];
    if (ra->population != rb->population)
        return ra->population > rb->population ? -1 : 1;
    return ra->order < rb->order ? -1 : (ra->order > rb->order);
}

static void cand_sort(const bm_gazetteer *gz, bm_place_kind want, cand_set *cs) {
    for (size_t i = 1; i < cs->n; i++) {
        const cand c = cs->items[i];
        size_t j = i;
        while (j > 0 && full_cmp(gz, want, &c, &cs->items[j - 1]) < 0) {
            cs->items[j] = cs->items[j - 1];
            j--;
        }
        cs->items[j] = c;
    }
}

static double distance_km(const bm_place *a, const bm_place *b) {
    const double rad = 3.14159265358979323846 / 180.0;
    const double dlat = (b->lat_deg - a->lat_deg) * rad, dlon = (b->lon_deg - a->lon_deg) * rad;
    const double h = sin(dlat / 2) * sin(dlat / 2) +
                     cos(a->lat_deg * rad) * cos(b->lat_deg * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * EARTH_RADIUS_KM * asin(sqrt(h < 1 ? h : 1));
}

static void find_fuzzy(const bm_gazetteer *gz, const char *skel, size_t len, cand_set *cs) {
    if (len < FUZZY_MIN_LEN || len > FUZZY_MAX_LEN)
        return;
    /* One edit up to 8 letters, two beyond: "Mastang" for Mastung, "Dera Murad Jamli". */
    const int cap = len <= 8 ? 1 : 2;
    const uint32_t mask = letter_mask(skel, len);
    const unsigned char first = (unsigned char)skel[0];
    const size_t min_len = len - (size_t)cap;
    /* Typos rarely hit the first letter, and q/k, g/k or j/z there are different names. */
    size_t lo = 0, hi = gz->n_skels;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        const key_entry *e = &gz->fuzzy[mid];
        const unsigned char f = (unsigned char)e->key[0];
        if (f < first || (f == first && e->sp->skel_len < min_len))
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < gz->n_skels; i++) {
        const key_entry *e = &gz->fuzzy[i];
        const size_t klen = e->sp->skel_len;
        if ((unsigned char)e->key[0] != first || klen > len + (size_t)cap)
            break;
        if (klen > FUZZY_MAX_LEN || popcount32(e->sp->mask ^ mask) > 2 * cap)
            continue;
        if (bm_edit_distance_within(skel, len, e->key, klen, cap) > cap)
            continue;
        const double score = jaro_winkler(skel, len, e->key, klen);
        if (score >= FUZZY_MIN_SCORE)
            cand_add(cs, e->place, Q_FUZZY, score, e->sp->text);
    }
}

/* ---- Abbreviations -------------------------------------------------------------------- */

/* Pakistani press shortens the leading words of long names to initials: "D.I. Khan" or
 * "DI Khan" (Dera Ismail Khan), "D.G. Khan", "D.M. Jamali" (Dera Murad Jamali), "R.Y. Khan",
 * "T.T. Singh". A query is read as initials only when it says so in its spelling: letters
 * each followed by a dot, or a word of 2-3 capitals before another word. */
#define ABBREV_MAX_WORDS 8

typedef struct abbrev_query {
    char words[ABBREV_MAX_WORDS][NORM_MAX]; /* an initial is a one-letter word */
    bool is_initial[ABBREV_MAX_WORDS];
    size_t n;
} abbrev_query;

static bool abbrev_push(abbrev_query *q, const char *word, size_t len, bool is_initial) {
    if (q->n == ABBREV_MAX_WORDS || len == 0 || len >= NORM_MAX)
        return false;
    memcpy(q->words[q->n], word, len);
    q->words[q->n][len] = '\0';
    q->is_initial[q->n++] = is_initial;
    return true;
}

static bool is_ascii_letter(char c) {
    return (c | 32) >= 'a' && (c | 32) <= 'z';
}

/* Splits a raw query into initials and normalised words; false unless it has two or more
 * initials and a word. */
static bool parse_abbreviation(const char *name, abbrev_query *q) {
    q->n = 0;
    size_t n_initials = 0, n_words = 0;
    const char *p = name;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const size_t len = strcspn(p, " \t,");
        if (len == 0)
            break;
        /* "D.I.", "D.I" or "D.I.Khan": one letter and a dot, repeated, maybe then a word. */
        size_t n_dotted = 0;
        while (n_dotted + 1 < len && is_ascii_letter(p[n_dotted]) && p[n_dotted + 1] == '.' &&
               (n_dotted + 2 >= len || p[n_dotted + 2] != '.'))
            n_dotted += 2;
        if (n_dotted + 1 == len && is_ascii_letter(p[n_dotted]) && n_dotted > 0)
            n_dotted = len; /* "D.I" */
        bool capitals = len >= 2 && len <= 3 && p[len] != '\0';
        for (size_t i = 0; capitals && i < len; i++)
            capitals = p[i] >= 'A' && p[i] <= 'Z';
        const size_t n_initial_chars = capitals ? len : n_dotted;
        for (size_t i = 0; i < n_initial_chars; i += capitals ? 1 : 2) {
            const char c = (char)(p[i] | 32); /* an ASCII letter, checked above */
            if (!abbrev_push(q, &c, 1, true))
                return false;
            n_initials++;
        }
        if (n_initial_chars < len) {
            const char *rest = p + n_initial_chars;
            const size_t rest_len = len - n_initial_chars;
            char raw[NORM_MAX], norm[NORM_MAX];
            if (rest_len >= sizeof raw)
                return false;
            memcpy(raw, rest, rest_len);
            raw[rest_len] = '\0';
            const size_t n = normalise(raw, norm, sizeof norm, NULL);
            for (const char *w = norm; w < norm + n;) {
                const size_t wl = strcspn(w, " ");
                if (!abbrev_push(q, w, wl, false))
                    return false;
                n_words++;
                w += wl + (w[wl] == ' ');
            }
        }
        p += len;
    }
    /* "D.I. Khan District": the kind word is not part of the name. */
    if (q->n > 1 && !q->is_initial[q->n - 1] &&
        affix_index(q->words[q->n - 1], strlen(q->words[q->n - 1]), false) >= 0) {
        q->n--;
        n_words--;
    }
    /* One initial ("D. Khan") says too little: Darya Khan? Dera Ghazi Khan? */
    return n_initials >= 2 && n_words > 0;
}

/* Does a normalised spelling read as the query: same number of words, each initial the first
 * letter of its word, each whole word equal or a transliteration variant of it? */
static bool abbrev_matches(const abbrev_query *q, const char *norm) {
    const char *w = norm;
    for (size_t i = 0; i < q->n; i++) {
        if (*w == '\0')
            return false;
        const size_t wl = strcspn(w, " ");
        if (q->is_initial[i]) {
            if (w[0] != q->words[i][0] || wl < 2)
                return false;
        } else if (strlen(q->words[i]) != wl || memcmp(q->words[i], w, wl) != 0) {
            char a[NORM_MAX], b[NORM_MAX], word[NORM_MAX];
            memcpy(word, w, wl);
            word[wl] = '\0';
            skeletonise(word, a, sizeof a);
            skeletonise(q->words[i], b, sizeof b);
            if (strcmp(a, b) != 0)
                return false;
        }
        w += wl + (w[wl] == ' ');
    }
    return *w == '\0';
}

/* A linear scan, but only for queries written with initials (a few in a thousand names). */
static void find_abbreviated(const bm_gazetteer *gz, const char *name, cand_set *cs) {
    abbrev_query q;
    if (!parse_abbreviation(name, &q))
        return;
    for (size_t r = 0; r < gz->n_recs; r++) {
        const place_rec *rec = gz->recs[r];
        for (size_t s = 0; s < rec->n_spellings; s++) {
            if (abbrev_matches(&q, rec->spellings[s].norm)) {
                cand_add(cs, (uint32_t)r, Q_ABBREV, 1.0, rec->spellings[s].text);
                break;
            }
        }
    }
}

typedef struct suggestion {
    const char *name;
    int distance;
    double score;
} suggestion;

static bool suggestion_better(const suggestion *a, const suggestion *b) {
    return a->distance < b->distance || (a->distance == b->distance && a->score > b->score);
}

/* Names of the closest places for a "did you mean" hint, best first, distinct names: fewest
 * edits, then Jaro-Winkler. Looser than fuzzy matching (any first letter, up to half the
 * letters wrong): it only suggests. */
static size_t suggest(const bm_gazetteer *gz, const char *skel, size_t len,
                      const char *names[N_SUGGESTIONS]) {
    suggestion best[N_SUGGESTIONS];
    size_t n = 0;
    if (len == 0 || len > FUZZY_MAX_LEN)
        return 0;
    int cap = len / 2 > 2 ? (int)(len / 2) : 2;
    const uint32_t mask = letter_mask(skel, len);
    for (size_t i = 0; i < gz->n_skels; i++) {
        const key_entry *e = &gz->skels[i];
        const size_t klen = e->sp->skel_len;
        if (klen > FUZZY_MAX_LEN || klen + (size_t)cap < len || klen > len + (size_t)cap ||
            popcount32(e->sp->mask ^ mask) > 2 * cap)
            continue;
        /* Once the list is full, only as few edits as its worst entry can get in. */
        if (n == N_SUGGESTIONS && best[n - 1].distance < cap)
            cap = best[n - 1].distance;
        const int d = bm_edit_distance_within(skel, len, e->key, klen, cap);
        if (d > cap)
            continue;
        const suggestion c = {gz->recs[e->place]->pub.name, d,
                              jaro_winkler(skel, len, e->key, klen)};
        size_t at = n;
        for (size_t j = 0; j < n; j++) {
            if (strcmp(best[j].name, c.name) == 0) {
                at = j;
                break;
            }
        }
        if (at < n) { /* the same name again: keep the better, then restore the order */
            if (!suggestion_better(&c, &best[at]))
                continue;
            best[at] = c;
        } else if (n < N_SUGGESTIONS) {
            best[n++] = c;
            at = n - 1;
        } else if (suggestion_better(&c, &best[n - 1])) {
            best[n - 1] = c;
            at = n - 1;
        } else {
            continue;
        }
        while (at > 0 && suggestion_better(&best[at], &best[at - 1])) {
            const suggestion t = best[at];
            best[at] = best[at - 1];
            best[at - 1] = t;
            at--;
        }
    }
    for (size_t j = 0; j < n; j++)
        names[j] = best[j].name;
    return n;
}

static void describe_place(const bm_place *pl, char *out, size_t size) {
    const char *where = pl->admin2[0] != '\0' ? pl->admin2 : pl->admin1;
    if (where[0] != '\0' && strcmp(where, pl->name) != 0)
        snprintf(out, size, "'%s' (%s %s, %s, %s)", pl->name, bm_place_kind_name(pl->kind), pl->id,
                 where, pl->country);
    else
        snprintf(out, size, "'%s' (%s %s, %s)", pl->name, bm_place_kind_name(pl->kind), pl->id,
                 pl->country);
}

bm_status bm_gazetteer_lookup(const bm_gazetteer *gz, const char *name, bm_place_kind want,
                              bm_place_match *out, bm_error *err) {
    if (name == NULL)
        return bm_error_set(err, BM_ERR_INVALID, "no place name given");
    char norm[NORM_MAX], skel[NORM_MAX];
    bm_place_kind hint = BM_KIND_ANY;
    const size_t n_norm = normalise(name, norm, sizeof norm, &hint);
    if (n_norm == 0) {
        bm_error_set(err, BM_ERR_NOT_FOUND, "place name '%s' has no letters or digits", name);
        return BM_ERR_NOT_FOUND;
    }
    if (want == BM_KIND_ANY)
        want = hint; /* "Kharan District" means the district */
    const size_t n_skel = skeletonise(norm, skel, sizeof skel);

    cand_set cs;
    cs.n = 0;
    for (size_t i = lower_bound(gz->names, gz->n_names, norm);
         i < gz->n_names && strcmp(gz->names[i].key, norm) == 0; i++) {
        const key_entry *e = &gz->names[i];
        cand_add(&cs, e->place, e->is_alt ? Q_ALT : Q_EXACT, 1.0, e->sp->text);
    }
    for (size_t i = lower_bound(gz->skels, gz->n_skels, skel);
         i < gz->n_skels && strcmp(gz->skels[i].key, skel) == 0; i++)
        cand_add(&cs, gz->skels[i].place, Q_SKELETON, 1.0, gz->skels[i].sp->text);
    if (cs.n == 0)
        find_abbreviated(gz, name, &cs);
    if (cs.n == 0)
        find_fuzzy(gz, skel, n_skel, &cs);

    if (cs.n == 0) {
        const char *names[N_SUGGESTIONS];
        const size_t n = suggest(gz, skel, n_skel, names);
        bm_error_set(err, BM_ERR_NOT_FOUND, "unknown place '%s'", name);
        if (n == 0) {
            bm_error_hint(err, "add it to a gazetteer file of your own (name, lat, lon) or give "
                               "its coordinates");
        } else {
            char list[200];
            size_t k = 0;
            for (size_t i = 0; i < n && k < sizeof list; i++)
                k += (size_t)snprintf(list + k, sizeof list - k, "%s'%s'", i ? ", " : "", names[i]);
            bm_error_hint(err, "did you mean %s?", list);
        }
        return BM_ERR_NOT_FOUND;
    }

    cand_sort(gz, want, &cs);
    const bm_place *top = &gz->recs[cs.items[0].place]->pub;
    size_t n_tied = 0;
    char ids[200];
    size_t k_ids = (size_t)snprintf(ids, sizeof ids, "'%s'", top->id);
    char second[200] = "";
    for (size_t i = 1; i < cs.n; i++) {
        const bm_place *other = &gz->recs[cs.items[i].place]->pub;
        if (rank_cmp(gz, want, &cs.items[0], &cs.items[i]) != 0 ||
            distance_km(top, other) <= SAME_PLACE_KM)
            continue;
        if (n_tied++ == 0)
            describe_place(other, second, sizeof second);
        if (k_ids < sizeof ids)
            k_ids += (size_t)snprintf(ids + k_ids, sizeof ids - k_ids, " or '%s'", other->id);
    }
    if (n_tied > 0) {
        char first[200];
        describe_place(top, first, sizeof first);
        bm_error_set(err, BM_ERR_AMBIGUOUS, "ambiguous place '%s': %zu %ss match equally: %s, %s%s",
                     name, n_tied + 1, bm_place_kind_name(top->kind), first, second,
                     n_tied > 1 ? ", ..." : "");
        bm_error_hint(
            err, "pin one by gazetteer id in the incident file (%s) or give its coordinates", ids);
        return BM_ERR_AMBIGUOUS;
    }

    if (isnan(top->lat_deg)) {
        char what[200];
        describe_place(top, what, sizeof what);
        bm_error_set(err, BM_ERR_NOT_FOUND,
                     "place '%s' is %s, which the gazetteer knows by name but has no coordinate "
                     "for",
                     name, what);
        bm_error_hint(err,
                      "pin it in the incident file's \"places\" with lat and lon (and a source), "
                      "or add it with --gazetteer FILE");
        return BM_ERR_NOT_FOUND;
    }

    bm_place_match m;
    memset(&m, 0, sizeof m);
    m.place = top;
    m.matched = cs.items[0].matched;
    switch (cs.items[0].quality) {
    case Q_EXACT:
        m.how = BM_MATCH_EXACT;
        break;
    case Q_ALT:
        m.how = BM_MATCH_ALIAS;
        break;
    case Q_SKELETON:
        m.how = BM_MATCH_VARIANT;
        break;
    case Q_ABBREV:
        m.how = BM_MATCH_ABBREVIATION;
        break;
    default:
        m.how = BM_MATCH_FUZZY;
        break;
    }
    m.score = cs.items[0].score;
    for (size_t i = 1; i < cs.n && m.n_alternatives < BM_MAX_ALTERNATIVES; i++)
        m.alternatives[m.n_alternatives++] = &gz->recs[cs.items[i].place]->pub;
    *out = m;
    return BM_OK;
}
