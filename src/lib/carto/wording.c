/* SPDX-License-Identifier: MIT */
#include "carto/wording.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "utf8.h"

bool bm_words_has_rtl(const char *utf8) {
    for (const unsigned char *p = (const unsigned char *)utf8; p != NULL && *p != '\0'; p++) {
        uint32_t cp;
        if (p[0] >= 0xD6 && p[0] <= 0xDF && (p[1] & 0xC0) == 0x80)
            return true; /* U+0590..U+07FF: Hebrew, Arabic, Syriac, Thaana, N'Ko */
        if (p[0] == 0xE0 && (p[1] == 0xA0 || p[1] == 0xA1 || p[1] == 0xA2 || p[1] == 0xA3))
            return true; /* U+0800..U+08FF: Samaritan, Mandaic, Arabic Extended-A */
        if (p[0] == 0xEF && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
            cp = (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
            cp |= 0xF000;
            if ((cp >= 0xFB1D && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFE))
                return true; /* Hebrew and Arabic presentation forms */
        }
    }
    return false;
}

const char *bm_words_name(const char *name, char buf[BM_WORDS_NAME_MAX]) {
    if (name == NULL || !bm_words_has_rtl(name))
        return name;
    snprintf(buf, BM_WORDS_NAME_MAX, "\u2068%s\u2069", name);
    return buf;
}

/* ---- message files ---- */

typedef struct message {
    const char *key, *text;
} message;

typedef struct table {
    message *items; /* sorted by key */
    size_t n;
} table;

struct bm_lang {
    bm_arena *arena;
    table en, own; /* own: the language's file; empty for English */
    bool is_rtl, is_en;
    const char *digits; /* "0".."9" as lang writes them: ten UTF-8 strings joined by NUL */
    size_t digit_len;   /* bytes of one digit */
};

static int message_cmp(const void *a, const void *b) {
    return strcmp(((const message *)a)->key, ((const message *)b)->key);
}

static const char *table_get(const table *t, const char *key) {
    const message probe = {key, NULL};
    const message *m =
        t->n > 0 ? bsearch(&probe, t->items, t->n, sizeof *t->items, message_cmp) : NULL;
    return m != NULL ? m->text : NULL;
}

/* Undoes the escapes \n, \t and \\ in place; false for another backslash. */
static bool unescape(char *s) {
    char *w = s;
    for (const char *r = s; *r != '\0'; r++) {
        if (*r != '\\') {
            *w++ = *r;
            continue;
        }
        r++;
        if (*r == 'n')
            *w++ = '\n';
        else if (*r == 't')
            *w++ = '\t';
        else if (*r == '\\')
            *w++ = '\\';
        else
            return false;
    }
    *w = '\0';
    return true;
}

static void on_bad_utf8(void *user, const bm_error *e) {
    bm_error *err = user;
    if (err->status == BM_OK)
        *err = *e;
}

/* Reads one message file into t: "key<TAB>text" lines, blank lines and '#' comments. */
static bm_status table_load(bm_arena *arena, const char *path, table *t, bm_error *err) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        bm_error_set(err, BM_ERR_IO, "cannot read the message file '%s': %s", path,
                     strerror(errno));
        bm_error_hint(err, "the data directory (--data-dir) must hold lang/en.tsv and the "
                           "file of each --lang; reinstall balmap or point --data-dir at it");
        return err->status;
    }
    bm_buf text = BM_BUF_INIT((size_t)1 << 24);
    char chunk[8192];
    size_t n;
    bm_status st = BM_OK;
    while (st == BM_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        st = bm_buf_append(&text, chunk, n);
    const bool is_bad = ferror(f) != 0;
    fclose(f);
    if (st == BM_OK)
        st = bm_buf_append(&text, "", 0);
    if (st != BM_OK || is_bad) {
        bm_buf_free(&text);
        bm_error_set(err, is_bad ? BM_ERR_IO : BM_ERR_NOMEM, "cannot read '%s'", path);
        return err->status;
    }
    bm_error bad = {0};
    if (bm_utf8_check(bm_buf_str(&text), text.len, on_bad_utf8, &bad) > 0) {
        bm_buf_free(&text);
        *err = bad;
        bm_error_file(err, path);
        return err->status;
    }
    size_t n_lines = 1;
    for (size_t i = 0; i < text.len; i++)
        n_lines += text.data[i] == '\n';
    t->items = bm_arena_alloc(arena, n_lines * sizeof *t->items);
    char *all = bm_arena_strdup(arena, bm_buf_str(&text));
    bm_buf_free(&text);
    if (t->items == NULL || all == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
    t->n = 0;
    int line = 0;
    for (char *p = all, *next; p != NULL; p = next) {
        line++;
        next = strchr(p, '\n');
        if (next != NULL)
            *next++ = '\0';
        const size_t len = strlen(p);
        if (len > 0 && p[len - 1] == '\r')
            p[len - 1] = '\0';
        if (p[0] == '\0' || p[0] == '#')
            continue;
        char *tab = strchr(p, '\t');
        const char *problem = tab == NULL          ? "no tab between the key and its text"
                              : tab == p           ? "an empty key"
                              : !unescape(tab + 1) ? "an unknown escape (\\n, \\t, \\\\ only)"
                                                   : NULL;
        if (problem == NULL) {
            *tab = '\0';
            t->items[t->n++] = (message){p, tab + 1};
            continue;
        }
        bm_error_set(err, BM_ERR_SYNTAX, "%s", problem);
        bm_error_file(err, path);
        err->line = line;
        bm_error_hint(err, "write each message as KEY, a tab, then its text (lang/README.md)");
        return err->status;
    }
    qsort(t->items, t->n, sizeof *t->items, message_cmp);
    for (size_t i = 1; i < t->n; i++)
        if (strcmp(t->items[i - 1].key, t->items[i].key) == 0) {
            bm_error_set(err, BM_ERR_INVALID, "the key '%s' is given twice", t->items[i].key);
            bm_error_file(err, path);
            bm_error_hint(err, "keep one line per key");
            return err->status;
        }
    return BM_OK;
}

const char *bm_lang_code_name(bm_lang_code code) {
    return code == BM_LANG_UR ? "ur" : "en";
}

const char *bm_words_tr(const bm_lang *lang, const char *key) {
    if (lang == NULL || key == NULL)
        return key;
    const char *t = table_get(&lang->own, key);
    if (t == NULL)
        t = table_get(&lang->en, key);
    return t != NULL ? t : key;
}

bm_lang *bm_lang_load(const char *dir, const char *code, bm_error *err) {
    bm_lang *lang = calloc(1, sizeof *lang);
    if (lang == NULL || (lang->arena = bm_arena_new()) == NULL) {
        free(lang);
        bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/en.tsv", dir);
    lang->is_en = strcmp(code, "en") == 0;
    bm_status st = table_load(lang->arena, path, &lang->en, err);
    if (st == BM_OK && !lang->is_en) {
        snprintf(path, sizeof path, "%s/%s.tsv", dir, code);
        st = table_load(lang->arena, path, &lang->own, err);
    }
    if (st != BM_OK) {
        bm_lang_free(lang);
        return NULL;
    }
    lang->is_rtl = strcmp(bm_words_tr(lang, "lang.direction"), "rtl") == 0;
    /* The digits: Western (latn, CLDR's name) or Eastern Arabic-Indic as Urdu writes them
     * (arabext, U+06F0..U+06F9). */
    if (strcmp(bm_words_tr(lang, "number.digits"), "arabext") == 0) {
        lang->digits = "\xDB\xB0\0\xDB\xB1\0\xDB\xB2\0\xDB\xB3\0\xDB\xB4\0"
                       "\xDB\xB5\0\xDB\xB6\0\xDB\xB7\0\xDB\xB8\0\xDB\xB9";
        lang->digit_len = 2;
    } else {
        lang->digits = "0\0"
                       "1\0"
                       "2\0"
                       "3\0"
                       "4\0"
                       "5\0"
                       "6\0"
                       "7\0"
                       "8\0"
                       "9";
        lang->digit_len = 1;
    }
    return lang;
}

void bm_lang_free(bm_lang *lang) {
    if (lang == NULL)
        return;
    bm_arena_free(lang->arena);
    free(lang);
}

size_t bm_lang_missing(const bm_lang *lang, bm_buf *out) {
    size_t n = 0;
    if (lang == NULL || lang->is_en)
        return 0;
    for (size_t i = 0; i < lang->en.n; i++) {
        if (table_get(&lang->own, lang->en.items[i].key) != NULL)
            continue;
        n++;
        if (out != NULL)
            bm_buf_printf(out, "%s\n", lang->en.items[i].key);
    }
    return n;
}

bool bm_lang_is_rtl(const bm_lang *lang) {
    return lang != NULL && lang->is_rtl;
}

const char *bm_words_plural(const bm_lang *lang, const char *key, int64_t n) {
    char k[128];
    snprintf(k, sizeof k, "%s.%s", key, n == 1 ? "one" : "other");
    const char *t = bm_words_tr(lang, k);
    return t == k ? key : t; /* never the stack buffer */
}

void bm_words_fill(const char *tmpl, char *out, size_t out_size, ...) {
    if (out_size == 0)
        return;
    size_t k = 0;
    for (const char *p = tmpl; *p != '\0' && k + 1 < out_size;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        const char *value = NULL;
        if (close != NULL) {
            va_list ap;
            va_start(ap, out_size);
            for (const char *name; (name = va_arg(ap, const char *)) != NULL;) {
                const char *v = va_arg(ap, const char *);
                if (strlen(name) == (size_t)(close - p - 1) &&
                    strncmp(name, p + 1, close - p - 1) == 0) {
                    value = v != NULL ? v : "";
                    break;
                }
            }
            va_end(ap);
        }
        if (value == NULL) {
            out[k++] = *p++;
            continue;
        }
        for (; *value != '\0' && k + 1 < out_size; value++)
            out[k++] = *value;
        p = close + 1;
    }
    out[k] = '\0';
    bm_utf8_trim_partial(out);
}

/* The ASCII digits of s in lang's digits. */
static void put_digits(const bm_lang *lang, const char *s, char *out, size_t out_size) {
    size_t k = 0;
    for (; *s != '\0'; s++) {
        const bool is_digit = *s >= '0' && *s <= '9' && lang != NULL;
        const char *d = is_digit ? lang->digits + (size_t)(*s - '0') * (lang->digit_len + 1) : s;
        const size_t len = is_digit ? lang->digit_len : 1;
        if (k + len + 1 > out_size)
            break;
        memcpy(out + k, d, len);
        k += len;
    }
    if (out_size > 0)
        out[k] = '\0';
}

void bm_words_number(const bm_lang *lang, int64_t n, char *out, size_t out_size) {
    char digits[32], grouped[64];
    const int len = snprintf(digits, sizeof digits, "%" PRId64, n);
    const char *sep = bm_words_tr(lang, "number.group");
    if (lang == NULL || strcmp(sep, "number.group") == 0)
        sep = "";
    size_t k = 0;
    const int first = digits[0] == '-' ? 1 : 0;
    for (int i = 0; i < len && k + strlen(sep) + 2 < sizeof grouped; i++) {
        if (i > first && (len - i) % 3 == 0)
            for (const char *c = sep; *c != '\0'; c++)
                grouped[k++] = *c;
        grouped[k++] = digits[i];
    }
    grouped[k] = '\0';
    put_digits(lang, grouped, out, out_size);
}

void bm_words_value(const bm_lang *lang, const bm_value *v, char *out, size_t out_size) {
    char a[64], b[64];
    switch (v->kind) {
    case BM_VALUE_NONE:
        snprintf(out, out_size, "%s", v->text != NULL ? v->text : bm_words_tr(lang, "value.none"));
        return;
    case BM_VALUE_EXACT:
        bm_words_number(lang, v->min, out, out_size);
        return;
    case BM_VALUE_RANGE:
        bm_words_number(lang, v->min, a, sizeof a);
        bm_words_number(lang, v->max, b, sizeof b);
        bm_words_fill(bm_words_tr(lang, "value.range"), out, out_size, "min", a, "max", b,
                      (char *)NULL);
        return;
    case BM_VALUE_AT_LEAST:
        bm_words_number(lang, v->min, a, sizeof a);
        if (v->is_vague_word) {
            /* The source's word in lang ("dozens" -> "درجنوں"); as written when lang has none. */
            char key[64], lower[48];
            size_t k = 0;
            for (const char *c = v->text; *c != '\0' && k + 1 < sizeof lower; c++)
                lower[k++] = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
            lower[k] = '\0';
            snprintf(key, sizeof key, "vague.%s", lower);
            const char *word = bm_words_tr(lang, key);
            if (word == key || strcmp(word, lower) == 0)
                word = v->text;
            bm_words_fill(bm_words_tr(lang, "value.vague"), out, out_size, "word", word, "n", a,
                          (char *)NULL);
            return;
        }
        /* "more than 30" as the reader words {"more_than": 30}; other wording is the
         * source's own and stays as written. */
        snprintf(b, sizeof b, "more than %" PRId64, v->min - 1);
        if (v->text != NULL && strcmp(v->text, b) == 0) {
            bm_words_number(lang, v->min - 1, a, sizeof a);
            bm_words_fill(bm_words_tr(lang, "value.more_than"), out, out_size, "n", a,
                          (char *)NULL);
        } else if (v->text != NULL) {
            snprintf(out, out_size, "%s", v->text);
        } else {
            bm_words_fill(bm_words_tr(lang, "value.at_least"), out, out_size, "n", a, (char *)NULL);
        }
        return;
    }
    snprintf(out, out_size, "?");
}

/* ---- the map's sentences ---- */

/* A name in a sentence of lang: in a right-to-left language every name is isolated (English
 * ones too); in English only those with right-to-left letters. */
static const char *name_in(const bm_lang *lang, const char *name, char buf[BM_WORDS_NAME_MAX]) {
    if (bm_lang_is_rtl(lang) && name != NULL) {
        snprintf(buf, BM_WORDS_NAME_MAX, "\u2068%s\u2069", name);
        return buf;
    }
    return bm_words_name(name, buf);
}

/* A line of a right-to-left language that begins with an (isolated) English name is still
 * right to left: Pango takes a paragraph's direction from its first strong letter, so a
 * RIGHT-TO-LEFT MARK comes first. */
static const char *line_start(const bm_lang *lang) {
    return bm_lang_is_rtl(lang) ? "\u200f" : "";
}

static const char *party_key(bm_party p) {
    switch (p) {
    case BM_PARTY_MILITANTS:
        return "party.militants";
    case BM_PARTY_SECURITY_FORCES:
        return "party.security_forces";
    case BM_PARTY_CIVILIANS:
        return "party.civilians";
    case BM_PARTY_UNSPECIFIED:
        return "party.unspecified";
    }
    return "party.unspecified";
}

const char *bm_words_party(const bm_lang *lang, bm_party p) {
    return bm_words_plural(lang, party_key(p), 2);
}

void bm_words_who(const bm_lang *lang, bm_party p, char *out, size_t out_size) {
    char key[64];
    snprintf(key, sizeof key, "who.%s", bm_party_name(p));
    const char *t = bm_words_tr(lang, key);
    if (t != key) {
        snprintf(out, out_size, "%s", t);
        return;
    }
    /* without a message file: the party's name, "security forces" */
    snprintf(out, out_size, "%s", bm_party_name(p));
    for (char *c = out; *c != '\0'; c++)
        if (*c == '_')
            *c = ' ';
}

const char *bm_words_source_kind(const bm_lang *lang, const char *kind) {
    if (kind == NULL)
        return "";
    const char *const *names = bm_source_kind_names();
    for (size_t k = 0; k < BM_N_SOURCE_KINDS; k++)
        if (strcmp(kind, names[k]) == 0) {
            char key[64];
            snprintf(key, sizeof key, "kind.%s", kind);
            const char *t = bm_words_tr(lang, key);
            return t == key ? kind : t;
        }
    return kind;
}

/* The singular of an object word as files write it ("vehicles" -> "vehicle", "buses" -> "bus",
 * "casualties" -> "casualty"); a word not ending in s is kept. */
static void singular(const char *word, char *out, size_t out_size) {
    size_t n = strlen(word);
    const bool ends_es =
        n > 3 &&
        (strcmp(word + n - 3, "ses") == 0 || strcmp(word + n - 3, "xes") == 0 ||
         (n > 4 && (strcmp(word + n - 4, "ches") == 0 || strcmp(word + n - 4, "shes") == 0)));
    if (n > 3 && strcmp(word + n - 3, "ies") == 0) {
        snprintf(out, out_size, "%.*sy", (int)(n - 3), word);
        return;
    }
    if (ends_es)
        n -= 2;
    else if (n > 1 && word[n - 1] == 's' && word[n - 2] != 's')
        n -= 1;
    snprintf(out, out_size, "%.*s", (int)n, word);
}

void bm_words_headline(const bm_lang *lang, const bm_claim *cl, char *out, size_t out_size) {
    char value[96];
    bm_words_value(lang, &cl->value, value, sizeof value);
    /* One: "1 person killed", "at least 1 person killed"; ranges ("1-3") stay plural. */
    const bool is_one = (cl->value.kind == BM_VALUE_EXACT ||
                         (cl->value.kind == BM_VALUE_AT_LEAST && !cl->value.is_vague_word &&
                          cl->value.text == NULL)) &&
                        cl->value.min == 1;
    const char *what = bm_words_tr(lang, bm_quantity_name(cl->what));
    char object[256];
    const char *who;
    if (cl->what == BM_Q_ATTACKED || cl->what == BM_Q_DESTROYED) {
        /* The file's own word is English: made singular in an English sentence only. */
        if (cl->object != NULL && is_one && (lang == NULL || lang->is_en))
            singular(cl->object, object, sizeof object);
        else
            snprintf(object, sizeof object, "%s",
                     cl->object ? cl->object : bm_words_plural(lang, "targets", is_one ? 1 : 2));
        who = object;
    } else {
        who = bm_words_plural(lang, party_key(cl->who), is_one ? 1 : 2);
    }
    bm_words_fill(bm_words_tr(lang, "headline"), out, out_size, "value", value, "who", who, "what",
                  what, (char *)NULL);
}

/* The day, month and year of an ISO date (or date-time); false when it is not one. */
static bool day_parts(const char *iso, int *y, int *m, int *d) {
    char probe[32];
    bm_date_format_day_month(iso, probe, sizeof probe);
    return strcmp(probe, iso) != 0 && sscanf(iso, "%4d-%2d-%2d", y, m, d) == 3 && *m >= 1 &&
           *m <= 12;
}

static void day_in(const bm_lang *lang, const char *iso, bool with_year, char *out,
                   size_t out_size) {
    int y, m, d;
    if (!day_parts(iso, &y, &m, &d)) {
        snprintf(out, out_size, "%s", iso);
        return;
    }
    char key[16], day[32], year[32], ascii[16];
    snprintf(key, sizeof key, "month.%02d", m);
    snprintf(ascii, sizeof ascii, "%d", d);
    put_digits(lang, ascii, day, sizeof day);
    snprintf(ascii, sizeof ascii, "%04d", y);
    put_digits(lang, ascii, year, sizeof year); /* a year is not grouped: "2026" */
    bm_words_fill(bm_words_tr(lang, with_year ? "date.day_year" : "date.day"), out, out_size, "day",
                  day, "month", bm_words_tr(lang, key), "year", year, (char *)NULL);
}

void bm_words_day(const bm_lang *lang, const char *iso, char *out, size_t out_size) {
    day_in(lang, iso, false, out, out_size);
}

void bm_words_day_year(const bm_lang *lang, const char *iso, char *out, size_t out_size) {
    day_in(lang, iso, true, out, out_size);
}

void bm_words_claim_label(const bm_lang *lang, const bm_located_claim *lc, const bm_source *src,
                          bool with_year, const char *map_span, char *out, size_t out_size) {
    char head[1024];
    bm_words_headline(lang, lc->claim, head, sizeof head);
    char when[64] = "";
    if (lc->claim->claimed_on)
        (with_year ? bm_words_day_year : bm_words_day)(lang, lc->claim->claimed_on, when,
                                                       sizeof when);
    char b[BM_WORDS_NAME_MAX];
    const char *label = name_in(lang, src->label, b);
    const char *comma = bm_words_tr(lang, "punct.comma");
    const char *rlm = line_start(lang);
    char count[128], n[32];
    if (lc->n_events > 0 && lc->first_day != NULL && lc->last_day != NULL) {
        /* A sum: how many events, and when. */
        char span[64], ascii[64];
        if (strncmp(lc->first_day, lc->last_day, 4) != 0)
            snprintf(ascii, sizeof ascii, "%.4s-%.4s", lc->first_day, lc->last_day);
        else
            snprintf(ascii, sizeof ascii, "%.4s", lc->first_day);
        bm_words_number(lang, (int64_t)lc->n_events, n, sizeof n);
        bm_words_fill(bm_words_plural(lang, "events", (int64_t)lc->n_events), count, sizeof count,
                      "n", n, (char *)NULL);
        /* The years every sum shares are the legend's ("1,705 events at 169 places,
         * 2020-2024"): repeated on 40 labels they only crowd the map; a narrower span stays. */
        if (map_span != NULL && strcmp(map_span, ascii) == 0) {
            snprintf(out, out_size, "%s\n%s%s · %s", head, rlm, label, count);
            return;
        }
        put_digits(lang, ascii, span, sizeof span);
        snprintf(out, out_size, "%s\n%s%s · %s%s%s", head, rlm, label, count, comma, span);
        return;
    }
    if (lc->split_of != NULL) { /* the legend and notes say what the shares are */
        bm_words_value(lang, &lc->claim->value, out, out_size);
        return;
    }
    if (lc->claim->n_places > 1) {
        bm_words_number(lang, (int64_t)lc->claim->n_places, n, sizeof n);
        bm_words_fill(bm_words_plural(lang, "places", (int64_t)lc->claim->n_places), count,
                      sizeof count, "n", n, (char *)NULL);
        snprintf(out, out_size, "%s\n%s%s%s%s · %s", head, rlm, label, when[0] ? comma : "", when,
                 count);
    } else {
        snprintf(out, out_size, "%s\n%s%s%s%s", head, rlm, label, when[0] ? comma : "", when);
    }
}

/* A message of en.tsv whatever lang is (place names in English stay English). */
static const char *en_tr(const bm_lang *lang, const char *key) {
    const char *t = lang != NULL ? table_get(&lang->en, key) : NULL;
    return t != NULL ? t : key;
}

/* A place's name with its area word: "Kech district", "Balochistan (whole province)"; in
 * English, or in lang's words. */
static void named_area(const bm_lang *lang, bool is_en, const bm_located_place *pl,
                       const char *name, char *out, size_t out_size) {
    const char *(*tr)(const bm_lang *, const char *) = is_en ? en_tr : bm_words_tr;
    if (pl->area_word == NULL) {
        snprintf(out, out_size, "%s", name);
        return;
    }
    char key[64];
    snprintf(key, sizeof key, "area.%s", pl->area_word);
    const char *area = tr(lang, key);
    if (area == key)
        area = pl->area_word;
    bm_words_fill(tr(lang, pl->precision >= BM_PREC_PROVINCE ? "place.whole_area" : "place.area"),
                  out, out_size, "name", name, "area", area, (char *)NULL);
}

void bm_words_place_label(const bm_lang *lang, const bm_located_place *pl, bm_place_names names,
                          const char *name_ur, char *out, size_t out_size) {
    char b1[BM_WORDS_NAME_MAX], b2[BM_WORDS_NAME_MAX], en[600], ur[600];
    named_area(lang, true, pl, bm_words_name(pl->name, b1), en, sizeof en);
    if (pl->as_named && pl->as_named[0]) {
        const size_t k = strlen(en);
        snprintf(en + k, sizeof en - k, " (%s)", bm_words_name(pl->as_named, b2));
    }
    if (names == BM_NAMES_EN || name_ur == NULL) {
        snprintf(out, out_size, "%s", en);
        return;
    }
    /* The Urdu name with the Urdu area word ("ضلع کیچ"), isolated so that it keeps its order
     * beside English. */
    char word[560];
    named_area(lang, false, pl, name_ur, word, sizeof word);
    snprintf(ur, sizeof ur, "\u2068%s\u2069", word);
    if (names == BM_NAMES_UR)
        snprintf(out, out_size, "%s", ur);
    else
        bm_words_fill(bm_words_tr(lang, "place.both"), out, out_size, "en", en, "ur", ur,
                      (char *)NULL);
}

/* Letters that tell an Arabic-script spelling's language: some only Urdu writes (ٹ ڈ ڑ ں ہ ۂ
 * ے ۓ), some never (Arabic ك ي ة ى; Persian and Balochi ه; Pashto ټ ډ ړ ږ ښ ځ څ ڼ ې ۍ). */
static int urdu_score(const char *s) {
    int score = 0;
    for (size_t i = 0, n = strlen(s); i < n;) {
        uint32_t cp;
        i += bm_utf8_decode(s + i, n - i, &cp);
        switch (cp) {
        case 0x0679:
        case 0x0688:
        case 0x0691:
        case 0x06BA:
        case 0x06C1:
        case 0x06C2:
        case 0x06D2:
        case 0x06D3:
            score++;
            break;
        case 0x0643:
        case 0x064A:
        case 0x0629:
        case 0x0649:
        case 0x0647:
        case 0x067C:
        case 0x0689:
        case 0x0693:
        case 0x0696:
        case 0x069A:
        case 0x0681:
        case 0x0685:
        case 0x06BC:
        case 0x06D0:
        case 0x06CD:
            return -1;
        default:
            break;
        }
    }
    return score;
}

const char *bm_words_pick_urdu(const char *const *spellings, size_t n) {
    const char *best = NULL;
    int best_score = -1;
    for (size_t i = 0; i < n; i++) {
        if (spellings[i] == NULL || !bm_words_has_rtl(spellings[i]))
            continue;
        const int score = urdu_score(spellings[i]);
        if (score > best_score) {
            best = spellings[i];
            best_score = score;
        }
    }
    return best;
}

void bm_words_legend_heading(const bm_lang *lang, bm_quantity measure, int party, char *out,
                             size_t out_size) {
    const char *what = bm_words_tr(lang, bm_quantity_name(measure));
    bm_words_fill(bm_words_tr(lang, party >= 0 ? "legend.claimed_party" : "legend.claimed"), out,
                  out_size, "what", what, "party",
                  party >= 0 ? bm_words_party(lang, (bm_party)party) : "", (char *)NULL);
}

const char *bm_words_circle_note(const bm_lang *lang, bool is_allocated_even) {
    return bm_words_tr(lang, is_allocated_even ? "note.circle_even" : "note.circle");
}

void bm_words_as_of(const bm_lang *lang, const char *as_of, size_t n_later, char *out,
                    size_t out_size) {
    /* The map is a moment in the story: say which, and what came after. */
    char date[64];
    bm_words_day_year(lang, as_of, date, sizeof date);
    bm_words_fill(bm_words_tr(lang, "as_of"), out, out_size, "date", date, (char *)NULL);
    if (n_later > 0) {
        char n[32], later[256];
        bm_words_number(lang, (int64_t)n_later, n, sizeof n);
        bm_words_fill(bm_words_plural(lang, "as_of.later", (int64_t)n_later), later, sizeof later,
                      "n", n, (char *)NULL);
        const size_t n_used = strlen(out);
        snprintf(out + n_used, out_size - n_used, " %s", later);
    }
}

const char *bm_words_key(const bm_lang *lang, const char *role, bool is_allocated_even) {
    if (strcmp(role, "key-leader") == 0)
        return bm_words_tr(lang, is_allocated_even ? "key.leader_even" : "key.leader");
    if (strcmp(role, "key-aggregate") == 0)
        return bm_words_tr(lang, "key.aggregate");
    if (strcmp(role, "key-aggregate-tick") == 0)
        return bm_words_tr(lang, "key.aggregate_tick");
    if (strcmp(role, "key-upper") == 0)
        return bm_words_tr(lang, "key.upper");
    if (strcmp(role, "key-place") == 0)
        return bm_words_tr(lang, "key.place");
    if (strcmp(role, "key-district") == 0)
        return bm_words_tr(lang, "key.district");
    return "";
}

void bm_words_also_claimed(const bm_lang *lang, const bm_claim *cl, const bm_source *src,
                           bool is_split, char *out, size_t out_size) {
    char head[1024], when[64] = "", in_brackets[96] = "";
    const bool is_isolated =
        cl->quote != NULL && (bm_lang_is_rtl(lang) || bm_words_has_rtl(cl->quote));
    if (cl->value.kind == BM_VALUE_NONE && is_isolated) /* the quote keeps its own direction */
        snprintf(head, sizeof head, "\u2068%s\u2069", cl->quote);
    else if (cl->value.kind == BM_VALUE_NONE)
        snprintf(head, sizeof head, "%s",
                 cl->quote ? cl->quote : bm_words_tr(lang, "statement_without_figures"));
    else
        bm_words_headline(lang, cl, head, sizeof head);
    if (cl->claimed_on) {
        bm_words_day(lang, cl->claimed_on, when, sizeof when);
        bm_words_fill(bm_words_tr(lang, "also.when"), in_brackets, sizeof in_brackets, "date", when,
                      (char *)NULL);
    }
    char b[BM_WORDS_NAME_MAX], line[2048];
    bm_words_fill(bm_words_tr(lang, "also.line"), line, sizeof line, "source",
                  name_in(lang, src->label, b), "claim", head, "running",
                  cl->is_cumulative ? bm_words_tr(lang, "also.running") : "", "when", in_brackets,
                  "split", is_split ? bm_words_tr(lang, "also.split") : "", (char *)NULL);
    snprintf(out, out_size, "%s%s", line_start(lang), line);
}

const char *bm_words_vague_note(const bm_lang *lang) {
    /* dozens/hundreds follow the ACLED codebook; several/many are balmap's own choice
       (docs/incident-format.md), so the note must not credit ACLED for them. */
    return bm_words_tr(lang, "note.vague");
}
