/* SPDX-License-Identifier: MIT */
/* gazetteer.c - loading, normalising and indexing place names; exact, variant and fuzzy lookup.
 *
 * Every spelling of a place (its name and each alt_name) is kept in two normal forms: the
 * normalised name (bm_gazetteer_normalise) and a "skeleton" that also irons out transliteration
 * differences (bm_gz_skeletonise). Three sorted arrays index them: by normalised name (exact and
 * alias matches), by skeleton (variant matches) and by (first byte, length) of the skeleton (the
 * fuzzy prefilter). The arrays are rebuilt whole after each load or add_file and never change
 * during lookups, so lookups need no locks and keep their scratch space on the stack.
 *
 * This file builds the indexes and reads the files; gazetteer_names.c makes the normal forms and
 * gazetteer_match.c does the lookups (gazetteer_internal.h holds what they share). */
#include "gazetteer_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bm_buf.h"
#include "bm_hash.h"
#include "utf8.h"

/* ---- Memory ---------------------------------------------------------------------------- */

/* Large blocks (the pool's, the indexes, the file's text) come from bm_big_alloc (bm_buf.h):
 * huge pages where the kernel lends them, which took a 100,000-row dump's page faults from
 * 25,000 to a few hundred. */
#define HUGE_PAGE BM_BIG_HUGE_PAGE

/* The pool's blocks double from 64 KiB (the built-in gazetteer takes a few hundred) to 32 MB. */
#define POOL_FIRST ((size_t)64 << 10)
#define POOL_LAST  ((size_t)32 << 20)

typedef struct pool_block {
    struct pool_block *next;
    size_t used, size;
    max_align_t data[];
} pool_block;

struct bm_gz_pool {
    pool_block *head;
    size_t next_size;
};

bm_gz_pool *bm_gz_pool_new(void) {
    bm_gz_pool *pool = calloc(1, sizeof *pool);
    if (pool != NULL)
        pool->next_size = POOL_FIRST;
    return pool;
}

void bm_gz_pool_free(bm_gz_pool *pool) {
    if (pool == NULL)
        return;
    for (pool_block *b = pool->head, *next; b != NULL; b = next) {
        next = b->next;
        bm_big_free(b);
    }
    free(pool);
}

/* n bytes at a multiple of align (a power of two, at most max_align_t's), not zeroed. */
static void *pool_raw(bm_gz_pool *pool, size_t n, size_t align) {
    pool_block *b = pool->head;
    size_t at = b != NULL ? (b->used + align - 1) & ~(align - 1) : 0;
    if (b == NULL || at > b->size || b->size - at < n) {
        size_t size = n > pool->next_size ? n : pool->next_size;
        if (size > SIZE_MAX / 2)
            return NULL;
        const size_t overhead = sizeof *b + BM_BIG_HEADER;
        if (size + overhead >= BM_BIG_MIN) /* a mapped block: its huge pages filled to the end */
            size = (size + overhead + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE - overhead;
        if ((b = bm_big_alloc(sizeof *b + size)) == NULL)
            return NULL;
        b->next = pool->head;
        b->used = 0;
        b->size = size;
        pool->head = b;
        if (pool->next_size < POOL_LAST)
            pool->next_size *= 2;
        at = 0;
    }
    b->used = at + n;
    return (char *)b->data + at;
}

void *bm_gz_alloc(bm_gz_pool *pool, size_t n) {
    void *p = pool_raw(pool, n, sizeof(max_align_t));
    if (p != NULL)
        memset(p, 0, n);
    return p;
}

char *bm_gz_strndup(bm_gz_pool *pool, const char *s, size_t n) {
    if (s == NULL || n == SIZE_MAX)
        return NULL;
    char *p = pool_raw(pool, n + 1, 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *bm_gz_strdup(bm_gz_pool *pool, const char *s) {
    return s != NULL ? bm_gz_strndup(pool, s, strlen(s)) : NULL;
}

/* ---- Building the indexes -------------------------------------------------------------- */

int bm_gz_ascii_casecmp(const char *a, const char *b) {
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
    if (bm_gz_ascii_casecmp(admin1, "Balochistan") == 0 ||
        bm_gz_ascii_casecmp(admin1, "Baluchistan") == 0)
        return 0;
    return bm_gz_ascii_casecmp(country, "PK") == 0 ? 1 : 2;
}

/* Fills sp from text (already in the pool). Returns false when it normalises to nothing. */
static bool spelling_init(bm_gz_pool *pool, const char *text, spelling *sp, bm_error *err) {
    char norm[NORM_MAX], skel[NORM_MAX];
    const size_t n = bm_gz_normalise(text, norm, sizeof norm, NULL);
    if (n == 0)
        return false;
    const size_t k = bm_gz_skeletonise(norm, skel, sizeof skel);
    char loose[NORM_MAX];
    const size_t l = bm_gz_loosen(skel, loose, sizeof loose);
    sp->text = text;
    /* the three forms are often the same text: stored once */
    sp->norm = strcmp(norm, text) == 0 ? text : bm_gz_strndup(pool, norm, n);
    sp->skel = strcmp(skel, norm) == 0 ? sp->norm : bm_gz_strndup(pool, skel, k);
    sp->loose = strcmp(loose, skel) == 0 ? sp->skel : bm_gz_strndup(pool, loose, l);
    if (sp->norm == NULL || sp->skel == NULL || sp->loose == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory while indexing place names");
        return false;
    }
    sp->skel_len = (uint16_t)k;
    sp->mask = bm_gz_letter_mask(skel, k);
    return true;
}

/* Sets the spellings of rec: name, then each sep-separated alt name (a copy is made). */
static bm_status rec_set_spellings(bm_gz_pool *pool, place_rec *rec, const char *alt_names,
                                   char sep, bm_error *err) {
    size_t n_max = 1;
    for (const char *p = alt_names; *p != '\0'; p++)
        n_max += *p == sep;
    n_max += alt_names[0] != '\0';
    rec->spellings = bm_gz_alloc(pool, n_max * sizeof(spelling));
    if (rec->spellings == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
    rec->n_spellings = 0;
    if (spelling_init(pool, rec->pub.name, &rec->spellings[0], err))
        rec->n_spellings = 1;
    const char *p = alt_names;
    while (*p != '\0') {
        const char *end = strchr(p, sep);
        const size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        /* a spelling equal to the name (GeoNames' ASCII name, mostly) adds nothing */
        const bool is_name = strncmp(p, rec->pub.name, len) == 0 && rec->pub.name[len] == '\0';
        if (len > 0 && !is_name) {
            const char *text = bm_gz_strndup(pool, p, len);
            if (text == NULL)
                return bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
            spelling *sp = &rec->spellings[rec->n_spellings];
            if (spelling_init(pool, text, sp, err))
                rec->n_spellings++;
        }
        p += len;
        if (*p == sep)
            p++;
    }
    return err != NULL ? err->status : BM_OK;
}

static uint64_t key_prefix(const char *key) {
    uint64_t v = 0;
    size_t i = 0;
    for (; i < 8 && key[i] != '\0'; i++)
        v = v << 8 | (unsigned char)key[i];
    return i > 0 ? v << (8 * (8 - i)) : 0; /* "" (the rest of an 8-byte key, in sort_run): 0 */
}

/* strcmp's order, from the prefixes when they differ or hold the whole keys. */
static int key_text_cmp(const key_entry *a, const key_entry *b) {
    if (a->prefix != b->prefix)
        return a->prefix < b->prefix ? -1 : 1;
    if ((a->prefix & 0xFF) == 0) /* both keys end within their first 8 bytes */
        return 0;
    return strcmp(a->key + 8, b->key + 8);
}

/* A stable merge sort by key_text_cmp (insertion sort below 12 entries); tmp holds n/2. */
static void merge_sort_keys(key_entry *e, key_entry *tmp, size_t n) {
    if (n <= 12) {
        for (size_t i = 1; i < n; i++) {
            const key_entry x = e[i];
            size_t j = i;
            for (; j > 0 && key_text_cmp(&e[j - 1], &x) > 0; j--)
                e[j] = e[j - 1];
            e[j] = x;
        }
        return;
    }
    const size_t h = n / 2;
    merge_sort_keys(e, tmp, h);
    merge_sort_keys(e + h, tmp, n - h);
    if (key_text_cmp(&e[h - 1], &e[h]) <= 0)
        return;
    memcpy(tmp, e, h * sizeof *e);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        e[k++] = key_text_cmp(&e[j], &tmp[i]) < 0 ? e[j++] : tmp[i++];
    while (i < h)
        e[k++] = tmp[i++];
}

/* Sorts e[0 .. n), whose keys share their first 8 bytes and go on past them, by the rest, keeping
 * the order of equal keys (the radix sort left them in place order). Meanwhile each entry's key
 * and prefix stand for the key's next bytes, so that most comparisons are of two integers. */
static void sort_run(key_entry *e, key_entry *tmp, size_t n) {
    const uint64_t prefix = e[0].prefix;
    for (size_t i = 0; i < n; i++) {
        e[i].key += 8;
        e[i].prefix = key_prefix(e[i].key);
    }
    merge_sort_keys(e, tmp, n);
    for (size_t i = 0; i < n; i++) {
        e[i].key -= 8;
        e[i].prefix = prefix;
    }
}

/* The fuzzy index's order: first byte of the skeleton, then its length (at most 255). */
static size_t fuzzy_bucket(const key_entry *e) {
    const size_t len = e->sp->skel_len < 255 ? e->sp->skel_len : 255;
    return (size_t)(e->prefix >> 56) << 8 | len;
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

/* Sorts e (n entries, made in the order of (place, spelling)) by key, then place, then the name
 * before the alt_names: a stable radix sort on the 8-byte prefixes, least significant byte first,
 * keeps each key's entries in place order and the name before the alt_names; then the runs whose
 * keys share a prefix and go on past it are sorted by the rest (sort_run). Linear but for those
 * runs, where qsort took most of the time of loading a 100,000-place GeoNames dump. tmp holds n
 * entries. */
static void sort_keys(key_entry *e, key_entry *tmp, size_t n, size_t *count) {
    enum { DIGIT_BITS = 16, N_DIGITS = 1 << DIGIT_BITS };
    key_entry *src = e, *dst = tmp;
    for (int shift = 0; shift < 64; shift += DIGIT_BITS) {
        memset(count, 0, (N_DIGITS + 1) * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[((src[i].prefix >> shift) & (N_DIGITS - 1)) + 1]++;
        if (n > 0 && count[((src[0].prefix >> shift) & (N_DIGITS - 1)) + 1] == n)
            continue; /* every entry has the same digit here */
        for (size_t b = 1; b <= N_DIGITS; b++)
            count[b] += count[b - 1];
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i].prefix >> shift) & (N_DIGITS - 1)]++] = src[i];
        key_entry *t = src;
        src = dst;
        dst = t;
    }
    if (src != e)
        memcpy(e, src, n * sizeof *e);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && e[j].prefix == e[i].prefix)
            j++;
        if (j - i > 1 && (e[i].prefix & 0xFF) != 0)
            sort_run(e + i, tmp, j - i);
        i = j;
    }
}

/* Sorts entries and drops repeats of one (key, place), keeping the canonical name. */
static size_t sort_unique(key_entry *e, key_entry *tmp, size_t n, size_t *count) {
    sort_keys(e, tmp, n, count);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && e[k - 1].place == e[i].place && key_text_cmp(&e[k - 1], &e[i]) == 0)
            continue;
        e[k++] = e[i];
    }
    return k;
}

/* gz's records by by_id_cmp into by_id: by_id's previous order (gz->by_id, sorted) merged with
 * the records added since, which a GeoNames dump (sorted by geonameid) gives in order, else
 * sorted like the name indexes on their ids (the keys built from the newest record back, so that
 * a repeated id, which bm_gazetteer_load refuses, comes latest first as by_id_cmp has it). qsort
 * compared 17 times a record, each a cache miss. e and tmp hold n_recs entries, count the radix
 * sort's digits. */
static void sort_by_id(const bm_gazetteer *gz, place_rec **by_id, key_entry *e, key_entry *tmp,
                       size_t *count) {
    const size_t n_old = gz->n_by_id, n_new = gz->n_recs - gz->n_by_id;
    place_rec **fresh = gz->recs + n_old;
    bool is_sorted = true;
    for (size_t i = 1; i < n_new && is_sorted; i++)
        is_sorted = by_id_cmp(&fresh[i - 1], &fresh[i]) <= 0;
    if (!is_sorted) {
        for (size_t i = 0; i < n_new; i++) {
            const size_t at = n_old + n_new - 1 - i;
            const char *id = gz->recs[at]->pub.id;
            e[i] = (key_entry){key_prefix(id), id, NULL, (uint32_t)at, 0};
        }
        sort_keys(e, tmp, n_new, count);
        fresh = (place_rec **)(void *)tmp; /* n_new pointers fit in n_new entries */
        for (size_t i = 0; i < n_new; i++)
            fresh[i] = gz->recs[e[i].place];
    }
    place_rec *const *old = gz->by_id;
    size_t i = 0, j = 0, k = 0;
    while (i < n_old && j < n_new)
        by_id[k++] = by_id_cmp(&fresh[j], &old[i]) < 0 ? fresh[j++] : old[i++];
    while (i < n_old)
        by_id[k++] = old[i++];
    while (j < n_new)
        by_id[k++] = fresh[j++];
}

/* Rebuilds all indexes from gz->recs; on failure the old ones stay. */
static bm_status build_indexes(bm_gazetteer *gz, bm_error *err) {
    size_t n_keys = 0;
    for (size_t i = 0; i < gz->n_recs; i++)
        n_keys += gz->recs[i]->n_spellings;
    const size_t n_alloc = n_keys > 0 ? n_keys : 1; /* every record has a spelling: >= n_recs */
    key_entry *names = bm_big_alloc(n_alloc * sizeof *names);
    key_entry *skels = bm_big_alloc(n_alloc * sizeof *skels);
    key_entry *fuzzy = bm_big_alloc(n_alloc * sizeof *fuzzy);
    key_entry *loose = bm_big_alloc(n_alloc * sizeof *loose);
    place_rec **by_id = bm_big_alloc((gz->n_recs > 0 ? gz->n_recs : 1) * sizeof *by_id);
    /* the radix sort's digits, then the fuzzy index's buckets (first byte of the skeleton, then
     * its length) */
    enum { N_BUCKETS = 256 * 256 };
    size_t *count = malloc((N_BUCKETS + 1) * sizeof *count);
    if (names == NULL || skels == NULL || fuzzy == NULL || loose == NULL || by_id == NULL ||
        count == NULL) {
        free(count);
        bm_big_free(names);
        bm_big_free(skels);
        bm_big_free(fuzzy);
        bm_big_free(loose);
        bm_big_free(by_id);
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory while indexing places");
    }
    /* by id first, while names and fuzzy are free to serve as its scratch space */
    sort_by_id(gz, by_id, names, fuzzy, count);
    size_t k = 0;
    for (size_t i = 0; i < gz->n_recs; i++) {
        const place_rec *rec = gz->recs[i];
        for (size_t j = 0; j < rec->n_spellings; j++) {
            const spelling *sp = &rec->spellings[j];
            names[k] =
                (key_entry){key_prefix(sp->norm), sp->norm, sp, (uint32_t)i, (uint8_t)(j > 0)};
            skels[k] =
                (key_entry){key_prefix(sp->skel), sp->skel, sp, (uint32_t)i, (uint8_t)(j > 0)};
            loose[k] =
                (key_entry){key_prefix(sp->loose), sp->loose, sp, (uint32_t)i, (uint8_t)(j > 0)};
            k++;
        }
    }
    /* fuzzy serves as the radix sort's scratch space before it is filled */
    const size_t n_loose = sort_unique(loose, fuzzy, k, count);
    const size_t n_names = sort_unique(names, fuzzy, k, count);
    const size_t n_skels = sort_unique(skels, fuzzy, k, count);
    /* The skeletons by (first byte, length, key): a stable counting sort of the sorted skels. */
    memset(count, 0, (N_BUCKETS + 1) * sizeof *count);
    for (size_t i = 0; i < n_skels; i++)
        count[fuzzy_bucket(&skels[i]) + 1]++;
    for (size_t b = 1; b <= N_BUCKETS; b++)
        count[b] += count[b - 1];
    for (size_t i = 0; i < n_skels; i++)
        fuzzy[count[fuzzy_bucket(&skels[i])]++] = skels[i];
    free(count);
    bm_big_free(gz->names);
    bm_big_free(gz->skels);
    bm_big_free(gz->fuzzy);
    bm_big_free(gz->loose);
    bm_big_free(gz->by_id);
    gz->names = names;
    gz->n_names = n_names;
    gz->skels = skels;
    gz->fuzzy = fuzzy;
    gz->n_skels = n_skels;
    gz->loose = loose;
    gz->n_loose = n_loose;
    gz->by_id = by_id;
    gz->n_by_id = gz->n_recs;
    return BM_OK;
}

/* ---- Reading files --------------------------------------------------------------------- */

/* Splits one line in place. TSV: fields end at tabs. CSV: RFC 4180 quoting within the line
 * ("a, b" and "" for a quote). Returns the number of fields, or MAX_FIELDS + 1 if there are
 * more, or 0 on an unterminated quote. */
size_t bm_gz_split_line(char *line, char sep, char **fields) {
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
char *bm_gz_trim(char *s) {
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == ' ')
        s[--n] = '\0';
    return s;
}

/* strtod with the end pointer checked: the whole field must be one finite number. */
bool bm_gz_parse_number(const char *s, double *out) {
    if (!((*s >= '0' && *s <= '9') || *s == '-' || *s == '+' || *s == '.'))
        return false;
    char *end = NULL;
    const double v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* The next line (CR stripped, NUL-terminated in place), or NULL at the end. */
char *bm_gz_next_line(bm_gz_line_reader *r) {
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

bm_status bm_gz_located(bm_error *err, const char *path, int line, bm_status status) {
    bm_error_file(err, path);
    if (err != NULL && err->line == 0)
        err->line = line;
    return status;
}

bm_status bm_gz_row_width_error(bm_error *err, const char *path, int line, size_t n,
                                size_t n_header) {
    if (n == 0)
        bm_error_set(err, BM_ERR_SYNTAX, "unterminated quoted field");
    else
        bm_error_set(err, BM_ERR_SYNTAX, "expected %zu columns as in the header, found %s%zu",
                     n_header, n > MAX_FIELDS ? "more than " : "",
                     n > MAX_FIELDS ? (size_t)MAX_FIELDS : n);
    return bm_gz_located(err, path, line, BM_ERR_SYNTAX);
}

bm_status bm_gz_check_coords(double lat_deg, double lon_deg, const char *path, int line,
                             bm_error *err) {
    if (lat_deg < -90 || lat_deg > 90 || lon_deg < -180 || lon_deg > 180) {
        bm_error_set(err, BM_ERR_INVALID,
                     "coordinates %.4f, %.4f out of range; expected lat -90..90, lon -180..180",
                     lat_deg, lon_deg);
        bm_error_hint(err, "columns are lat then lon, in decimal degrees");
        return bm_gz_located(err, path, line, BM_ERR_INVALID);
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
        return bm_gz_located(err, path, line, BM_ERR_INVALID);
    }
    if (from[0] != '\0' && until[0] != '\0' && strcmp(from, until) > 0) {
        bm_error_set(err, BM_ERR_INVALID, "valid_from %s is after valid_until %s", from, until);
        return bm_gz_located(err, path, line, BM_ERR_INVALID);
    }
    pl->valid_from = from[0] != '\0' ? bm_gz_strdup(gz->pool, from) : "";
    pl->valid_until = until[0] != '\0' ? bm_gz_strdup(gz->pool, until) : "";
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

/* The offset of the first byte of p[0 .. n) that starts no well-formed UTF-8 sequence (a NUL byte
 * included), or n. ASCII is taken eight bytes at a time: a 12 MB dump is mostly ASCII. */
static size_t first_bad_byte(const unsigned char *p, size_t n) {
    const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
    size_t i = 0;
    while (i < n) {
        for (uint64_t w; i + 8 <= n; i += 8) {
            memcpy(&w, p + i, sizeof w);
            if ((w & highs) != 0 || ((w - ones) & ~w & highs) != 0) /* a high or a zero byte */
                break;
        }
        if (i == n)
            break;
        if (p[i] != 0 && p[i] < 0x80) {
            i++;
            continue;
        }
        const size_t k = bm_utf8_length((const char *)p + i, n - i);
        if (k == 0)
            return i;
        i += k;
    }
    return n;
}

/* A gazetteer is UTF-8 text: a NUL byte (which would end the text there, silently dropping the
 * rest), UTF-16 or invalid UTF-8 is refused with the file, line and column. */
static bm_status check_text(const char *text, size_t n, const char *path, bm_error *err) {
    const unsigned char *p = (const unsigned char *)text;
    /* With a byte-order mark, or ASCII text with every other byte NUL. */
    const bool is_utf16 =
        (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) ||
        (n >= 4 && ((p[0] != 0 && p[1] == 0 && p[2] != 0 && p[3] == 0) ||
                    (p[0] == 0 && p[1] != 0 && p[2] == 0 && p[3] != 0)));
    if (is_utf16) {
        bm_error_set(err, BM_ERR_SYNTAX, "the file is UTF-16 text; expected UTF-8");
        bm_error_hint(err, "save it as UTF-8 (in a spreadsheet: CSV UTF-8)");
        return bm_gz_located(err, path, 1, BM_ERR_SYNTAX);
    }
    const size_t bad = first_bad_byte(p, n);
    if (bad == n)
        return BM_OK;
    int line = 1, column = 1; /* a column is a character */
    for (size_t i = 0; i < bad; i += bm_utf8_length(text + i, n - i)) {
        if (p[i] == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
    }
    if (p[bad] == 0)
        bm_error_set(err, BM_ERR_SYNTAX,
                     "NUL byte at column %d: a gazetteer is UTF-8 text, not binary", column);
    else
        bm_error_set(err, BM_ERR_SYNTAX, "invalid UTF-8 (byte 0x%02X) at column %d", p[bad],
                     column);
    bm_error_hint(err, "save the file as UTF-8 text");
    if (err != NULL)
        err->column = column;
    return bm_gz_located(err, path, line, BM_ERR_SYNTAX);
}

/* A file's text, NUL-terminated. */
typedef struct gz_text {
    char *data;
    size_t len;
    bm_buf buf; /* the text, when it was read from a pipe or a device */
} gz_text;

static void text_free(gz_text *t) {
    if (t->buf.data != NULL)
        bm_buf_free(&t->buf);
    else
        bm_big_free(t->data);
    t->data = NULL;
}

/* Reads a file whole. A regular file is read at once into memory of its size; anything else
 * (a pipe, a device, a directory, a file that cannot be opened) as bm_buf_read_file reads it,
 * which also gives the messages. Either way at most FILE_MAX_BYTES. */
static bm_status text_read(gz_text *t, const char *path, bm_error *err) {
    *t = (gz_text){NULL, 0, BM_BUF_INIT(FILE_MAX_BYTES)};
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
        if (fd >= 0)
            close(fd);
        const bm_status status = bm_buf_read_file(&t->buf, path, FILE_MAX_BYTES, err);
        t->data = t->buf.data;
        t->len = t->buf.len;
        return status;
    }
    if ((uintmax_t)st.st_size > FILE_MAX_BYTES) {
        close(fd);
        bm_error_set(err, BM_ERR_IO, "'%s' is larger than %zu bytes", path, FILE_MAX_BYTES);
        bm_error_file(err, path);
        return BM_ERR_IO;
    }
    const size_t size = (size_t)st.st_size;
    if ((t->data = bm_big_alloc(size + 1)) == NULL) {
        close(fd);
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading '%s'", path);
    }
    while (t->len < size) {
        const ssize_t k = read(fd, t->data + t->len, size - t->len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            bm_error_set(err, BM_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
            bm_error_file(err, path);
            close(fd);
            return BM_ERR_IO;
        }
        if (k == 0) /* the file was cut short meanwhile */
            break;
        t->len += (size_t)k;
    }
    close(fd);
    t->data[t->len] = '\0';
    return BM_OK;
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
    bm_gz_line_reader r = {text, 0};
    char *line = bm_gz_next_line(&r);
    char *fields[MAX_FIELDS];
    size_t n = line != NULL ? bm_gz_split_line(line, '\t', fields) : 0;
    bool is_header_ok = n == N_TSV_COLUMNS;
    for (size_t i = 0; is_header_ok && i < N_TSV_COLUMNS; i++)
        is_header_ok = strcmp(bm_gz_trim(fields[i]), tsv_columns[i]) == 0;
    if (!is_header_ok) {
        bm_error_set(err, BM_ERR_SYNTAX,
                     "expected the header line 'id, name, kind, lat, lon, country, admin1, "
                     "admin2, population, alt_names, precision, valid_from, valid_until, "
                     "source' (tab-separated)");
        return bm_gz_located(err, path, 1, BM_ERR_SYNTAX);
    }
    while ((line = bm_gz_next_line(&r)) != NULL) {
        if (line[0] == '\0' || line[0] == '#')
            continue;
        n = bm_gz_split_line(line, '\t', fields);
        if (n != N_TSV_COLUMNS) {
            bm_error_set(err, BM_ERR_SYNTAX, "expected %zu tab-separated columns, found %s%zu",
                         N_TSV_COLUMNS, n > MAX_FIELDS ? "more than " : "",
                         n > MAX_FIELDS ? (size_t)MAX_FIELDS : n);
            return bm_gz_located(err, path, r.line, BM_ERR_SYNTAX);
        }
        place_rec *rec = bm_gz_alloc(gz->pool, sizeof *rec);
        if (rec == NULL)
            return bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
        bm_place *pl = &rec->pub;
        const char *id = bm_gz_trim(fields[0]), *name = bm_gz_trim(fields[1]),
                   *kind = bm_gz_trim(fields[2]);
        if (id[0] == '\0' || name[0] == '\0') {
            bm_error_set(err, BM_ERR_INVALID, "empty %s", id[0] == '\0' ? "id" : "name");
            return bm_gz_located(err, path, r.line, BM_ERR_INVALID);
        }
        if (!bm_place_kind_parse(kind, &pl->kind) || pl->kind == BM_KIND_ANY) {
            bm_error_set(err, BM_ERR_INVALID,
                         "unknown kind '%s'; expected one of: town, district, province, "
                         "country, region",
                         kind);
            return bm_gz_located(err, path, r.line, BM_ERR_INVALID);
        }
        const bool is_unlocated =
            bm_gz_trim(fields[3])[0] == '\0' && bm_gz_trim(fields[4])[0] == '\0';
        if (is_unlocated) /* known by name only: lookups say so and ask for a pin */
            pl->lat_deg = pl->lon_deg = NAN;
        for (int c = 3; c <= 4 && !is_unlocated; c++) {
            const char *v = bm_gz_trim(fields[c]);
            if (!bm_gz_parse_number(v, c == 3 ? &pl->lat_deg : &pl->lon_deg)) {
                bm_error_set(err, BM_ERR_INVALID, "expected a number for %s, got '%s'",
                             tsv_columns[c], v);
                return bm_gz_located(err, path, r.line, BM_ERR_INVALID);
            }
        }
        if (!is_unlocated &&
            bm_gz_check_coords(pl->lat_deg, pl->lon_deg, path, r.line, err) != BM_OK)
            return err->status;
        const char *pop = bm_gz_trim(fields[8]);
        if (pop[0] != '\0' && (!bm_gz_parse_number(pop, &rec->population) || rec->population < 0)) {
            bm_error_set(err, BM_ERR_INVALID, "expected a population >= 0 or nothing, got '%s'",
                         pop);
            return bm_gz_located(err, path, r.line, BM_ERR_INVALID);
        }
        const char *precision = bm_gz_trim(fields[10]);
        if (!bm_gz_precision_parse(precision, &pl->precision)) {
            bm_error_set(err, BM_ERR_INVALID,
                         "unknown precision '%s'; expected one of: point, district, province, "
                         "country",
                         precision);
            return bm_gz_located(err, path, r.line, BM_ERR_INVALID);
        }
        pl->id = bm_gz_strdup(gz->pool, id);
        pl->name = bm_gz_strdup(gz->pool, name);
        pl->country = bm_gz_strdup(gz->pool, bm_gz_trim(fields[5]));
        pl->admin1 = bm_gz_strdup(gz->pool, bm_gz_trim(fields[6]));
        pl->admin2 = bm_gz_strdup(gz->pool, bm_gz_trim(fields[7]));
        pl->admin3 = "";
        rec->is_bulk = rec->is_seat = 0;
        pl->source = bm_gz_strdup(gz->pool, bm_gz_trim(fields[13]));
        if (set_validity(gz, pl, bm_gz_trim(fields[11]), bm_gz_trim(fields[12]), path, r.line,
                         err) != BM_OK)
            return err->status;
        if (pl->id == NULL || pl->name == NULL || pl->country == NULL || pl->admin1 == NULL ||
            pl->admin2 == NULL || pl->source == NULL)
            return bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
        rec->region = region_of(pl->country, pl->admin1);
        if (rec_set_spellings(gz->pool, rec, bm_gz_trim(fields[9]), '|', err) != BM_OK)
            return err->status;
        if (rec->n_spellings == 0) {
            bm_error_set(err, BM_ERR_INVALID, "name '%s' has no letters or digits", name);
            return bm_gz_located(err, path, r.line, BM_ERR_INVALID);
        }
        rec->line = r.line;
        if (add_rec(gz, rec, err) != BM_OK)
            return err->status;
    }
    return BM_OK;
}

bm_gazetteer *bm_gazetteer_load(const char *path, bm_error *err) {
    gz_text text = {0};
    bm_gazetteer *gz = calloc(1, sizeof *gz);
    if (gz == NULL || (gz->pool = bm_gz_pool_new()) == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory while loading '%s'", path);
        goto fail;
    }
    if (text_read(&text, path, err) != BM_OK || check_text(text.data, text.len, path, err) != BM_OK)
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
            bm_gz_located(err, path, a->line < b->line ? b->line : a->line, BM_ERR_INVALID);
            goto fail;
        }
    }
    text_free(&text);
    return gz;
fail:
    text_free(&text);
    bm_gazetteer_free(gz);
    return NULL;
}

void bm_gazetteer_free(bm_gazetteer *gz) {
    if (gz == NULL)
        return;
    bm_gz_pool_free(gz->pool);
    free(gz->recs);
    bm_big_free(gz->names);
    bm_big_free(gz->skels);
    bm_big_free(gz->fuzzy);
    bm_big_free(gz->loose);
    bm_big_free(gz->by_id);
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
    U_ADMIN3,
    N_USER_COLUMNS
};
static const char *const user_columns[N_USER_COLUMNS] = {
    "name",      "lat",     "lon",    "kind",   "alt_names",  "source",      "id",
    "precision", "country", "admin1", "admin2", "valid_from", "valid_until", "admin3"};

static bool has_suffix(const char *s, const char *suffix) {
    const size_t n = strlen(s), k = strlen(suffix);
    return n >= k && bm_gz_ascii_casecmp(s + n - k, suffix) == 0;
}

bm_precision bm_gz_precision_of_kind(bm_place_kind kind) {
    static const bm_precision of_kind[] = {BM_PREC_POINT, BM_PREC_DISTRICT, BM_PREC_PROVINCE,
                                           BM_PREC_COUNTRY, BM_PREC_PROVINCE};
    return (size_t)kind < sizeof of_kind / sizeof of_kind[0] ? of_kind[kind] : BM_PREC_POINT;
}

/* A stable id for a user row without one: "user." and the normalised name with dashes. */
static const char *user_id(bm_gz_pool *pool, const char *norm, int line, bool with_line) {
    char id[NORM_MAX + 32];
    size_t n = (size_t)snprintf(id, sizeof id, "user.");
    for (const char *p = norm; *p != '\0' && n + 1 < sizeof id - 16; p++)
        id[n++] = *p == ' ' ? '-' : *p;
    id[n] = '\0';
    if (with_line)
        snprintf(id + n, sizeof id - n, "-%d", line);
    return bm_gz_strdup(pool, id);
}

bm_status bm_gz_add_row(bm_gazetteer *gz, const bm_gz_row *row, bm_strmap *ids, const char *path,
                        int line, bm_error *err) {
    place_rec *rec = bm_gz_alloc(gz->pool, sizeof *rec);
    if (rec == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
    bm_place *pl = &rec->pub;
    pl->kind = row->kind;
    pl->precision = row->precision;
    pl->lat_deg = row->lat_deg;
    pl->lon_deg = row->lon_deg;
    rec->population = row->population;
    pl->name = bm_gz_strdup(gz->pool, row->name);
    if (row->is_interned) {
        pl->country = row->country != NULL ? row->country : "";
        pl->admin1 = row->admin1 != NULL ? row->admin1 : "";
        pl->admin2 = row->admin2 != NULL ? row->admin2 : "";
        pl->admin3 = row->admin3 != NULL ? row->admin3 : "";
    } else {
        pl->country = bm_gz_strdup(gz->pool, row->country != NULL ? row->country : "");
        pl->admin1 = bm_gz_strdup(gz->pool, row->admin1 != NULL ? row->admin1 : "");
        pl->admin2 = bm_gz_strdup(gz->pool, row->admin2 != NULL ? row->admin2 : "");
        pl->admin3 = bm_gz_strdup(gz->pool, row->admin3 != NULL ? row->admin3 : "");
    }
    if (row->source != NULL && row->source[0] != '\0') {
        pl->source = bm_gz_strdup(gz->pool, row->source);
    } else {
        char where[600];
        snprintf(where, sizeof where, "%s:%d", path, line);
        pl->source = bm_gz_strdup(gz->pool, where);
    }
    if (pl->name == NULL || pl->country == NULL || pl->admin1 == NULL || pl->admin2 == NULL ||
        pl->admin3 == NULL || pl->source == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
    if (set_validity(gz, pl, row->valid_from != NULL ? row->valid_from : "",
                     row->valid_until != NULL ? row->valid_until : "", path, line, err) != BM_OK)
        return err->status;
    rec->region = region_of(pl->country, pl->admin1);
    rec->is_user = 1;
    rec->is_bulk = row->is_bulk;
    rec->is_seat = row->is_seat;
    rec->line = line;
    if (rec_set_spellings(gz->pool, rec, row->alt_names != NULL ? row->alt_names : "",
                          row->alt_sep != '\0' ? row->alt_sep : '|', err) != BM_OK)
        return err->status;
    if (rec->n_spellings == 0) {
        bm_error_set(err, BM_ERR_INVALID, "name '%s' has no letters or digits", pl->name);
        return bm_gz_located(err, path, line, BM_ERR_INVALID);
    }
    rec->file = path;
    if (row->id != NULL && row->id[0] != '\0') {
        pl->id = bm_gz_strdup(gz->pool, row->id);
    } else {
        /* "user.<name>", then "user.<name>-<line>", then "-<line>-2", ...: never a taken id. */
        pl->id = user_id(gz->pool, rec->spellings[0].norm, line, false);
        for (int k = 1; pl->id != NULL && bm_strmap_get(ids, pl->id, NULL); k++) {
            pl->id = user_id(gz->pool, rec->spellings[0].norm, line, true);
            if (k > 1 && pl->id != NULL) {
                char more[NORM_MAX + 64];
                snprintf(more, sizeof more, "%s-%d", pl->id, k);
                pl->id = bm_gz_strdup(gz->pool, more);
            }
        }
    }
    if (pl->id == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
    /* An id names one place: a user's row never takes over a built-in id or another row's. */
    bool is_new = false;
    size_t at = 0;
    if (row->is_id_unique_in_file)
        is_new = !bm_strmap_get(ids, pl->id, &at);
    else if (bm_strmap_add(ids, pl->id, gz->n_recs, &is_new, &at) != BM_OK)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
    const place_rec *other = is_new ? NULL : gz->recs[at];
    if (other != NULL && other->is_user) {
        if (strcmp(other->file, path) == 0)
            bm_error_set(err, BM_ERR_INVALID, "duplicate id '%s': line %d has it too (%s)", pl->id,
                         other->line, other->pub.name);
        else
            bm_error_set(err, BM_ERR_INVALID, "duplicate id '%s': %s:%d has it too (%s)", pl->id,
                         other->file, other->line, other->pub.name);
        bm_error_hint(err, "give each place its own id, or leave id empty to have one made "
                           "from the name");
        return bm_gz_located(err, path, line, BM_ERR_INVALID);
    }
    if (other != NULL) {
        bm_error_set(err, BM_ERR_INVALID,
                     "id '%s' is a built-in place (%s, %s, line %d of the built-in gazetteer)",
                     pl->id, other->pub.name, bm_place_kind_name(other->pub.kind), other->line);
        bm_error_hint(err, "give your place its own id (a pin or claim naming the built-in id "
                           "would otherwise land on your row); your rows already win over "
                           "built-in places of the same name");
        return bm_gz_located(err, path, line, BM_ERR_INVALID);
    }
    return add_rec(gz, rec, err); /* at index gz->n_recs, as the map says */
}

static bm_status parse_user_row(bm_gazetteer *gz, char **fields, const int *column_of,
                                const char *path, int line, bm_strmap *ids, bm_error *err) {
    const char *value[N_USER_COLUMNS];
    for (int c = 0; c < N_USER_COLUMNS; c++)
        value[c] = column_of[c] >= 0 ? bm_gz_trim(fields[column_of[c]]) : "";
    if (value[U_NAME][0] == '\0') {
        bm_error_set(err, BM_ERR_INVALID, "empty name");
        return bm_gz_located(err, path, line, BM_ERR_INVALID);
    }
    bm_gz_row row = {0};
    for (int c = U_LAT; c <= U_LON; c++) {
        double *to = c == U_LAT ? &row.lat_deg : &row.lon_deg;
        if (!bm_gz_parse_number(value[c], to)) {
            bm_error_set(err, BM_ERR_INVALID, "expected a number for %s, got '%s'", user_columns[c],
                         value[c]);
            bm_error_hint(err, "write decimal degrees with a '.', e.g. 26.0012");
            return bm_gz_located(err, path, line, BM_ERR_INVALID);
        }
    }
    if (bm_gz_check_coords(row.lat_deg, row.lon_deg, path, line, err) != BM_OK)
        return err->status;
    row.kind = BM_KIND_TOWN;
    if (value[U_KIND][0] != '\0' &&
        (!bm_place_kind_parse(value[U_KIND], &row.kind) || row.kind == BM_KIND_ANY)) {
        bm_error_set(err, BM_ERR_INVALID,
                     "unknown kind '%s'; expected one of: town, district, province, country, "
                     "region",
                     value[U_KIND]);
        return bm_gz_located(err, path, line, BM_ERR_INVALID);
    }
    row.precision = bm_gz_precision_of_kind(row.kind);
    if (value[U_PRECISION][0] != '\0' &&
        !bm_gz_precision_parse(value[U_PRECISION], &row.precision)) {
        bm_error_set(err, BM_ERR_INVALID,
                     "unknown precision '%s'; expected one of: point, district, province, "
                     "country",
                     value[U_PRECISION]);
        return bm_gz_located(err, path, line, BM_ERR_INVALID);
    }
    row.name = value[U_NAME];
    row.alt_names = value[U_ALT];
    row.alt_sep = '|';
    row.country = value[U_COUNTRY];
    row.admin1 = value[U_ADMIN1];
    row.admin2 = value[U_ADMIN2];
    row.admin3 = value[U_ADMIN3];
    row.source = value[U_SOURCE];
    row.id = value[U_ID];
    row.valid_from = value[U_VALID_FROM];
    row.valid_until = value[U_VALID_UNTIL];
    return bm_gz_add_row(gz, &row, ids, path, line, err);
}

/* The formats a user file may be in; "FORMAT:PATH" names one explicitly. */
static const char *const format_words[] = {"csv", "tsv", "geonames", "geojson"};
enum { FMT_CSV, FMT_TSV, FMT_GEONAMES, FMT_GEOJSON, FMT_AUTO };

/* Whether the first non-blank line has the shape of GeoNames' geoname table: no header, 19
 * tab-separated columns, a numeric geonameid first. */
static bool looks_like_geonames(const char *text) {
    const char *p = text;
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
        p += 3;
    for (;;) { /* blank lines and '#' comments */
        if (*p == '\n' || *p == '\r')
            p++;
        else if (*p == '#')
            p += strcspn(p, "\n");
        else
            break;
    }
    const size_t n_digits = strspn(p, "0123456789");
    if (n_digits == 0 || p[n_digits] != '\t')
        return false;
    int n_tabs = 0;
    for (; *p != '\0' && *p != '\n'; p++)
        n_tabs += *p == '\t';
    return n_tabs == BM_GZ_GEONAMES_COLUMNS - 1;
}

/* Whether the text is JSON (a GeoJSON FeatureCollection): its first non-blank byte is '{'. */
static bool looks_like_json(const char *text, const char *path) {
    if (has_suffix(path, ".geojson") || has_suffix(path, ".json"))
        return true;
    const char *p = text;
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
        p += 3;
    p += strspn(p, " \t\r\n");
    return *p == '{';
}

bm_status bm_gazetteer_add_file(bm_gazetteer *gz, const char *spec, bm_error *err) {
    gz_text text = {0};
    const size_t n_before = gz->n_recs;
    bm_strmap *ids = NULL;
    int format = FMT_AUTO;
    const char *path = spec;
    for (int f = 0; f < FMT_AUTO; f++) {
        const size_t k = strlen(format_words[f]);
        if (strncmp(spec, format_words[f], k) == 0 && spec[k] == ':' && spec[k + 1] != '\0') {
            format = f;
            path = spec + k + 1;
        }
    }
    if (text_read(&text, path, err) != BM_OK || check_text(text.data, text.len, path, err) != BM_OK)
        goto fail;
    /* The rows keep the file's name for messages about a later file's duplicate ids. */
    const char *kept_path = bm_gz_strdup(gz->pool, path);
    ids = bm_strmap_new();
    if (kept_path == NULL || ids == NULL) {
        bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
        goto fail;
    }
    /* Every id so far (built-in ids are unique; a user file's were checked when added). */
    for (size_t i = 0; i < gz->n_recs; i++) {
        bool is_new;
        if (bm_strmap_add(ids, gz->recs[i]->pub.id, i, &is_new, NULL) != BM_OK) {
            bm_error_set(err, BM_ERR_NOMEM, "out of memory while reading places");
            goto fail;
        }
    }
    if (format == FMT_GEOJSON || (format == FMT_AUTO && looks_like_json(text.data, path))) {
        if (bm_gz_read_points_geojson(gz, text.data, text.len, kept_path, ids, err) != BM_OK)
            goto fail;
        goto index;
    }
    if (format == FMT_GEONAMES || (format == FMT_AUTO && looks_like_geonames(text.data))) {
        if (bm_gz_read_geonames(gz, text.data, kept_path, ids, err) != BM_OK)
            goto fail;
        goto index;
    }
    bm_gz_line_reader r = {text.data, 0};
    char *header = bm_gz_next_line(&r);
    char sep = '\t';
    if (format == FMT_CSV || (format == FMT_AUTO && has_suffix(path, ".csv")))
        sep = ',';
    else if (format == FMT_AUTO && !has_suffix(path, ".tsv"))
        sep = header != NULL && strchr(header, '\t') != NULL ? '\t' : ',';
    char *fields[MAX_FIELDS];
    const size_t n_header = header != NULL ? bm_gz_split_line(header, sep, fields) : 0;
    if (n_header > 0 && n_header <= MAX_FIELDS && bm_gz_is_points_header(fields, n_header)) {
        if (bm_gz_read_points_csv(gz, &r, fields, n_header, sep, kept_path, ids, err) != BM_OK)
            goto fail;
        goto index;
    }
    int column_of[N_USER_COLUMNS];
    for (int c = 0; c < N_USER_COLUMNS; c++)
        column_of[c] = -1;
    if (n_header == 0 || n_header > MAX_FIELDS) {
        bm_error_set(err, BM_ERR_SYNTAX, "expected a header line naming the columns");
        bm_error_hint(err, "start with: name%clat%clon (then any of kind, alt_names, source, id)",
                      sep, sep);
        bm_gz_located(err, path, 1, BM_ERR_SYNTAX);
        goto fail;
    }
    /* A header naming none of the columns is not a gazetteer's: said without quoting it (a
     * manifest can name any file). */
    size_t n_known = 0;
    for (size_t i = 0; i < n_header; i++)
        for (int c = 0; c < N_USER_COLUMNS; c++)
            n_known += bm_gz_ascii_casecmp(bm_gz_trim(fields[i]), user_columns[c]) == 0;
    if (n_known == 0) {
        bm_error_set(err, BM_ERR_INVALID,
                     "not a gazetteer: its first line names none of the columns name, lat, "
                     "lon, kind, alt_names, source, id, ...");
        bm_error_hint(err,
                      "is this the file you meant? a gazetteer is CSV or TSV that starts "
                      "with: name%clat%clon",
                      sep, sep);
        bm_gz_located(err, path, 1, BM_ERR_INVALID);
        goto fail;
    }
    for (size_t i = 0; i < n_header; i++) {
        const char *col = bm_gz_trim(fields[i]);
        int found = -1;
        for (int c = 0; c < N_USER_COLUMNS; c++) {
            if (bm_gz_ascii_casecmp(col, user_columns[c]) == 0)
                found = c;
        }
        if (found < 0 || column_of[found] >= 0) {
            bm_error_set(err, BM_ERR_SYNTAX,
                         found < 0
                             ? "unknown column '%s'; expected: name, lat, lon, kind, "
                               "alt_names, source, id, precision, country, admin1, admin2, admin3, "
                               "valid_from, valid_until"
                             : "column '%s' appears twice",
                         col);
            bm_gz_located(err, path, 1, BM_ERR_SYNTAX);
            goto fail;
        }
        column_of[found] = (int)i;
    }
    for (int c = U_NAME; c <= U_LON; c++) {
        if (column_of[c] < 0) {
            bm_error_set(err, BM_ERR_SYNTAX, "missing column '%s'; name, lat and lon are required",
                         user_columns[c]);
            bm_gz_located(err, path, 1, BM_ERR_SYNTAX);
            goto fail;
        }
    }
    char *line;
    while ((line = bm_gz_next_line(&r)) != NULL) {
        if (bm_gz_trim(line)[0] == '\0' || line[0] == '#')
            continue;
        const size_t n = bm_gz_split_line(line, sep, fields);
        if (n != n_header) {
            bm_gz_row_width_error(err, path, r.line, n, n_header);
            goto fail;
        }
        if (parse_user_row(gz, fields, column_of, kept_path, r.line, ids, err) != BM_OK)
            goto fail;
    }
index:
    text_free(&text); /* the rows' strings are in the pool: the peak is the pool and the indexes */
    if (build_indexes(gz, err) != BM_OK)
        goto fail;
    bm_strmap_free(ids);
    return BM_OK;
fail:
    gz->n_recs = n_before; /* rows already read stay in the pool until bm_gazetteer_free */
    bm_strmap_free(ids);
    text_free(&text);
    return err != NULL && err->status != BM_OK ? err->status : BM_ERR_INVALID;
}
