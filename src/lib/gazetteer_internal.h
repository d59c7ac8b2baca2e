/* SPDX-License-Identifier: MIT */
/* gazetteer_internal.h - private to gazetteer.c, gazetteer_names.c and gazetteer_match.c: the
 * limits, the record and index structs, and the functions the three parts share. Not installed;
 * no other module includes it. */
#ifndef BM_GAZETTEER_INTERNAL_H
#define BM_GAZETTEER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bm_buf.h"
#include "bm_hash.h"
#include "gazetteer.h"

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
       Q_LOOSE,
       Q_FUZZY
};

typedef struct spelling {
    const char *text;  /* as in the file */
    const char *norm;  /* bm_gazetteer_normalise */
    const char *skel;  /* skeletonise(norm) */
    const char *loose; /* loosen(skel): vowels and w/v merged, for the vowel-alternation rule */
    uint32_t mask;     /* letters present in skel, for the fuzzy prefilter */
    uint16_t skel_len;
} spelling;

typedef struct place_rec {
    bm_place pub; /* first member: what callers see */
    spelling *spellings;
    size_t n_spellings; /* [0] is the name, the rest alt_names */
    double population;
    uint32_t order;   /* position in load order: the last tie-break */
    int line;         /* in its file */
    const char *file; /* user rows: the file (arena), for messages naming both lines */
    uint8_t region;   /* 0 Balochistan, 1 elsewhere in Pakistan, 2 elsewhere */
    uint8_t is_user;  /* from bm_gazetteer_add_file */
    /* From a bulk file (a GeoNames dump, an OpenStreetMap export, a dataset's locations): every
     * village of a name, not the user's choice of one, so it does not override by name. */
    uint8_t is_bulk;
    uint8_t is_seat; /* the seat of a unit (GeoNames PPLA..PPLA3, PPLC; OSM city/town; ADM3) */
} place_rec;

typedef struct key_entry {
    uint64_t prefix; /* the key's first 8 bytes, big-endian, zero-padded: sorting compares these
                        before it reads the key (100,000 places load in a fraction of a second) */
    const char *key; /* normalised name or skeleton */
    const spelling *sp;
    uint32_t place;
    uint8_t is_alt;
} key_entry;

/* Memory of one gazetteer: a bump allocator whose blocks double up to 32 MB, the large ones
 * mapped with huge pages (bm_big_alloc). Freed whole with the gazetteer. */
typedef struct bm_gz_pool bm_gz_pool;
bm_gz_pool *bm_gz_pool_new(void);
void bm_gz_pool_free(bm_gz_pool *pool);        /* NULL is a no-op */
void *bm_gz_alloc(bm_gz_pool *pool, size_t n); /* zeroed, aligned for any type; NULL when out */
char *bm_gz_strndup(bm_gz_pool *pool, const char *s, size_t n);
char *bm_gz_strdup(bm_gz_pool *pool, const char *s); /* NULL s gives NULL */

struct bm_gazetteer {
    bm_gz_pool *pool; /* every string and record */
    place_rec **recs;
    size_t n_recs, n_recs_alloc;
    key_entry *names; /* by key = norm */
    size_t n_names;
    key_entry *skels; /* by key = skel */
    key_entry *fuzzy; /* the same entries as skels, by (first byte, length, key) */
    size_t n_skels;
    key_entry *loose; /* by key = loose */
    size_t n_loose;
    place_rec **by_id; /* by id; a user's row before a built-in one with the same id */
    size_t n_by_id;    /* the records by_id holds: gz->recs[0 .. n_by_id) */
};

/* gazetteer_names.c */
size_t bm_gz_strip_descriptor(char *norm);
int bm_gz_affix_index(const char *word, size_t len, bool is_prefix);
size_t bm_gz_normalise(const char *name, char *out, size_t out_size, bm_place_kind *hint);
size_t bm_gz_skeletonise(const char *norm, char *out, size_t out_size);
uint32_t bm_gz_letter_mask(const char *s, size_t n);
size_t bm_gz_loosen(const char *skel, char *out, size_t out_size);
bool bm_gz_one_vowel_apart(const char *a, const char *b);
int bm_gz_popcount32(uint32_t v);
double bm_gz_jaro_winkler(const char *a, size_t la, const char *b, size_t lb);
bool bm_gz_precision_parse(const char *name, bm_precision *out);

/* gazetteer.c */
int bm_gz_ascii_casecmp(const char *a, const char *b);
bm_precision bm_gz_precision_of_kind(bm_place_kind kind);

/* Reading delimited text, in place. Fields per line at most (an ACLED export has 31). */
#define MAX_FIELDS 64
typedef struct bm_gz_line_reader {
    char *p; /* next line */
    int line;
} bm_gz_line_reader;
/* The next line (CR and a first-line BOM stripped, NUL-terminated in place), or NULL. */
char *bm_gz_next_line(bm_gz_line_reader *r);
/* Splits a line at sep (CSV quoting when sep is ','); the number of fields, MAX_FIELDS + 1 when
 * there are more, 0 on an unterminated quote. */
size_t bm_gz_split_line(char *line, char sep, char **fields);
char *bm_gz_trim(char *s);                           /* ASCII spaces, in place */
bool bm_gz_parse_number(const char *s, double *out); /* the whole field one finite number */
/* Sets err's file and (when unset) line; returns status. */
bm_status bm_gz_located(bm_error *err, const char *path, int line, bm_status status);
/* A data row split into n fields (bm_gz_split_line's count) where the header has n_header:
 * the error at path:line ("unterminated quoted field", "expected N columns ..."). */
bm_status bm_gz_row_width_error(bm_error *err, const char *path, int line, size_t n,
                                size_t n_header);
/* lat -90..90 and lon -180..180, else an error at path:line. */
bm_status bm_gz_check_coords(double lat_deg, double lon_deg, const char *path, int line,
                             bm_error *err);

/* One place of a user's file, as its reader found it (strings borrowed; copied when added). */
typedef struct bm_gz_row {
    const char *name;
    const char *alt_names; /* separated by alt_sep ('|' when 0); may be NULL */
    char alt_sep;
    bm_place_kind kind;
    bm_precision precision;
    double lat_deg, lon_deg;
    double population;                     /* 0: unknown */
    const char *country, *admin1, *admin2; /* may be NULL */
    const char *id;                        /* NULL or "": made from the name */
    const char *source;                    /* NULL or "": "PATH:LINE" */
    const char *valid_from, *valid_until;  /* may be NULL */
    bool is_interned;      /* country, admin1, admin2 live as long as gz (its pool, or static) */
    const char *admin3;    /* the tehsil; may be NULL; interned like admin2 */
    bool is_bulk, is_seat; /* place_rec's */
    /* The reader knows that no other row of its file has this id (a GeoNames dump's ascending
     * geonameids): only the ids of earlier files are looked up, and this one is not added. */
    bool is_id_unique_in_file;
} bm_gz_row;
/* Adds a user's row at path:line; ids holds every id so far (the new one is added, unless the
 * row is_id_unique_in_file). An id already taken, by a built-in or a user row, is an error naming
 * both. */
bm_status bm_gz_add_row(bm_gazetteer *gz, const bm_gz_row *row, bm_strmap *ids, const char *path,
                        int line, bm_error *err);

/* gazetteer_formats.c: the user formats besides name/lat/lon tables (path is kept by gz). */
#define BM_GZ_GEONAMES_COLUMNS 19
bm_status bm_gz_read_geonames(bm_gazetteer *gz, char *text, const char *path, bm_strmap *ids,
                              bm_error *err);
bm_status bm_gz_read_points_geojson(bm_gazetteer *gz, const char *text, size_t len,
                                    const char *path, bm_strmap *ids, bm_error *err);
/* A header naming location, latitude and longitude (an ACLED export, or its location columns). */
bool bm_gz_is_points_header(char **fields, size_t n);
bm_status bm_gz_read_points_csv(bm_gazetteer *gz, bm_gz_line_reader *r, char **header,
                                size_t n_header, char sep, const char *path, bm_strmap *ids,
                                bm_error *err);

/* gazetteer_match.c */
/* "PK" for "Pakistan", "pk", ... (normalised input); NULL when not a country it knows. */
const char *bm_gz_country_code(const char *norm);

#endif
