/* SPDX-License-Identifier: MIT */
/* gazetteer.h - named places and the spellings that point at them.
 *
 * Loaded once, read-only afterwards (safe to share between threads; lookups keep their scratch
 * space on the caller's stack). Returned pointers are borrowed and stay valid until
 * bm_gazetteer_free. The TSV format is documented in shapes/README.md; user files added with
 * bm_gazetteer_add_file take precedence over the built-in data. */
#ifndef BM_GAZETTEER_H
#define BM_GAZETTEER_H

#include <stdbool.h>
#include <stddef.h>

#include "bm_error.h"

typedef enum bm_place_kind {
    BM_KIND_TOWN,
    BM_KIND_DISTRICT,
    BM_KIND_PROVINCE,
    BM_KIND_COUNTRY,
    BM_KIND_REGION,
    BM_KIND_ANY /* for lookups: no preference */
} bm_place_kind;

/* How precisely a coordinate locates what was named (in the spirit of ACLED's geo_precision). */
typedef enum bm_precision {
    BM_PREC_POINT,    /* a town or village */
    BM_PREC_DISTRICT, /* a representative point of a district */
    BM_PREC_PROVINCE,
    BM_PREC_COUNTRY
} bm_precision;

typedef enum bm_match_kind {
    BM_MATCH_EXACT,        /* the normalised name equals the canonical name */
    BM_MATCH_VARIANT,      /* a transliteration variant ("Panjgoor" for Panjgur) */
    BM_MATCH_FUZZY,        /* spelled differently; score < 1 */
    BM_MATCH_PINNED,       /* coordinates or id given by the user */
    BM_MATCH_ABBREVIATION, /* initials for leading words: "D.I. Khan", "DG Khan", "D.M. Jamali" */
    BM_MATCH_ALIAS         /* a recorded alternative name ("Noshki" for Nushki, "Sevi") */
} bm_match_kind;

typedef struct bm_place {
    const char *id;   /* "gn.PK.02.quetta", "dist.PK.kech", ... */
    const char *name; /* canonical name */
    bm_place_kind kind;
    bm_precision precision;
    double lat_deg, lon_deg; /* NAN for a unit known by name only (bm_gazetteer_by_id, _at) */
    const char *country;     /* ISO alpha-2 */
    const char *admin1;      /* province name, "" if unknown */
    const char *admin2;      /* district name, "" if unknown */
    const char *source;      /* provenance of the coordinates */
    /* When the unit existed, as ISO dates of any precision ("2026", "2022-11", "2026-07-08");
     * "" when open-ended: valid_from "" = long established, valid_until "" = still current. */
    const char *valid_from;
    const char *valid_until;
    const char *admin3; /* tehsil name, "" if unknown (user files: admin3 column, GeoNames code) */
} bm_place;

#define BM_MAX_ALTERNATIVES 4

typedef struct bm_place_match { /* plain data: the caller owns the struct */
    const bm_place *place;      /* borrowed */
    bm_match_kind how;
    double score;        /* 1 for exact and variant matches, 0..1 for fuzzy */
    const char *matched; /* the gazetteer spelling that matched, borrowed */
    const bm_place *alternatives[BM_MAX_ALTERNATIVES]; /* other close candidates */
    size_t n_alternatives;
    /* Why this place and not a namesake, when the name matched other places: each set aside
     * with the rule that did it ("not town hand.nasirabad-kech (Kech District, PK): a bare name
     * means the district or the seat town of that name, never a village ..."); "" when every
     * other candidate is the same place. */
    char why[640];
} bm_place_match;

typedef struct bm_gazetteer bm_gazetteer; /* opaque */

/* Reads places from a TSV file (shapes/gazetteer.tsv). Returns NULL and fills err on failure
 * (file, line and what is wrong). */
bm_gazetteer *bm_gazetteer_load(const char *path, bm_error *err);
void bm_gazetteer_free(bm_gazetteer *gz); /* NULL is a no-op */

/* Adds a user's places; they win over built-in entries with the same normalised name. CSV or
 * TSV, told apart by the extension (.csv, .tsv), else by a tab in the header. The header names
 * the columns, in any order: name, lat, lon (required), kind (default town), alt_names
 * ('|'-separated), source (default "FILE:LINE"), id (default "user.<name>", or
 * "user.<name>-<line>" when that is taken), and optionally precision, country, admin1, admin2,
 * valid_from, valid_until. Blank lines and lines starting with '#' are skipped.
 * Ids are unique: a row repeating an id of its file or of an earlier user file, or taking a
 * built-in id, is an error naming both lines (a pin by id must land where its author meant).
 * The file must be UTF-8 text: a NUL byte, UTF-16 or invalid UTF-8 is an error at its line and
 * column. Time is linear in the rows (ids in a hash set). On failure err has file and line, and
 * gz is left as it was. */
bm_status bm_gazetteer_add_file(bm_gazetteer *gz, const char *path, bm_error *err);

/* Resolves a name, preferring places of kind `want` (BM_KIND_ANY: towns first, districts listed
 * as alternatives). On BM_ERR_NOT_FOUND or BM_ERR_AMBIGUOUS, *out is untouched and err names
 * the closest candidates ("did you mean 'Mastung'?"). */
bm_status bm_gazetteer_lookup(const bm_gazetteer *gz, const char *name, bm_place_kind want,
                              bm_place_match *out, bm_error *err);
/* Where a name is said to be (all borrowed, each may be NULL or ""). A candidate outside a
 * stated district, province or country is never chosen: the lookup picks among the candidates
 * inside, and when none is inside it fails naming both what was stated and where the gazetteer's
 * namesakes are. The name itself may carry context too: "Nasirabad (Kech)", "Nasirabad, Kech",
 * "Mand, Kech, Balochistan" (a part after a comma is context only when it names a district,
 * province or country the gazetteer knows; a part in parentheses that names none is a gloss and
 * is ignored, as in "Lasbela District (HQ Uthal)"); a field given here wins over the name's.
 * home_country ("PK"): the country the file is about; a name found only outside it is refused as
 * out of area unless a country is stated. */
typedef struct bm_place_context {
    const char *district; /* "Kech", "Kech District", "Las Bela" */
    const char *province; /* "Balochistan", "Baluchistan" */
    const char *country;  /* "Pakistan", "PK", "Iran", "IR", "Afghanistan", "AF" */
    const char *home_country;
    /* The tehsil (an ACLED row's admin3). A candidate whose known tehsil differs is refused
     * naming both; one known to be inside is taken before one whose tehsil the gazetteer does
     * not know; when no candidate's tehsil is known it changes nothing. */
    const char *tehsil;
} bm_place_context;

/* bm_gazetteer_lookup with context (NULL: none, which is bm_gazetteer_lookup). */
bm_status bm_gazetteer_lookup_in(const bm_gazetteer *gz, const char *name, bm_place_kind want,
                                 const bm_place_context *ctx, bm_place_match *out, bm_error *err);

/* The place with this id, or NULL. */
const bm_place *bm_gazetteer_by_id(const bm_gazetteer *gz, const char *id);
size_t bm_gazetteer_size(const bm_gazetteer *gz);
/* A place's spellings (p from gz): its name, then its alt_names in the file's order, at most max
 * into out; returns how many. */
size_t bm_gazetteer_spellings(const bm_gazetteer *gz, const bm_place *p, const char **out,
                              size_t max);
/* The i-th place in load order (built-in rows, then each user file's), or NULL when
 * i >= bm_gazetteer_size(gz). */
const bm_place *bm_gazetteer_at(const bm_gazetteer *gz, size_t i);

/* Normal form used for matching: lower case, ASCII folded (ā -> a), punctuation and spacing
 * collapsed, suffixes such as "district", "city", "town", "tehsil", "area" removed. Writes a
 * NUL-terminated string of at most out_size bytes; returns its length. */
size_t bm_gazetteer_normalise(const char *name, char *out, size_t out_size);

/* Whether the place existed on an ISO date (YYYY-MM-DD; a date-time is cut to its date): -1 if
 * the date is before valid_from, +1 if after valid_until, 0 if within or unknown (NULL or ""). A
 * partial bound covers its whole month or year: "2022-11-20" is within until "2022-11". */
int bm_place_date_check(const bm_place *p, const char *iso_date);

/* "town", "district", ... and back (parse accepts exactly these words). */
const char *bm_place_kind_name(bm_place_kind k);
bool bm_place_kind_parse(const char *name, bm_place_kind *out);
const char *bm_precision_name(bm_precision p);
const char *bm_match_kind_name(bm_match_kind m);

#endif
