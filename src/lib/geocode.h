/* SPDX-License-Identifier: MIT */
/* geocode.h - the geocode stage: an incident file's claims, each with its places resolved.
 *
 * bm_geocode reads a loaded incident file (its claims and its "places" pins) against a
 * gazetteer and returns a bm_geocoded: the places the map shows (each once, with the spellings
 * the sources used), every claim made by --as-of with the indexes of its places and whether it
 * is sized on the map, and the attribution the map must carry for its coordinates. Every place
 * a claim names is resolved, drawn or not, so a misspelling anywhere is caught; an unknown or
 * only approximately matched place is refused with a hint to pin it, never guessed.
 *
 * The bm_geocoded owns its memory and borrows the incident file and gazetteer: free it before
 * them. Read-only after it is made; one per map. */
#ifndef BM_GEOCODE_H
#define BM_GEOCODE_H

#include <stdbool.h>
#include <stddef.h>

#include "bm_error.h"
#include "gazetteer.h"
#include "incidents.h"

/* A place a claim names, geocoded. */
typedef struct bm_located_place {
    const char *name;     /* canonical gazetteer name */
    const char *as_named; /* spellings the sources used, "Noshki" ("" if the same) */
    double lon_deg, lat_deg;
    bm_precision precision;
    const char *area_word; /* "district", "division", "province" for areas; NULL for towns */
    const char *place_id;  /* gazetteer id or "pinned" */
    const char *source;    /* where the coordinates come from (credited on the map) */
} bm_located_place;

/* A claim with its places resolved. */
typedef struct bm_located_claim {
    const bm_claim *claim;
    size_t incident;           /* index of its incident */
    const size_t *place_index; /* n = claim->n_places, into the located places */
    bool is_drawn;             /* sized on the map; otherwise listed in the notes */
    const bm_claim *split_of;  /* --allocate even: the claim this is an even share of */
} bm_located_claim;

typedef struct bm_geocode_options {
    const char *input_path; /* the incident file, for messages */
    bm_quantity measure;    /* what the map sizes: claims of another measure are not drawn */
    int party;              /* a bm_party, or -1 for all */
    const char *as_of;      /* YYYY-MM-DD: claims made later are left out (counted); NULL: none */
    bool keep_superseded;   /* draw figures a source later revised (one panel per day) */
    bool allocate_even;     /* split drawn multi-place claims evenly (ACLED's way) */
    bool accept_fuzzy;      /* take approximate place-name matches */
    bm_warn_fn warn;        /* places used outside their dates, claims too small to split */
    void *warn_user;
} bm_geocode_options;

typedef struct bm_geocoded bm_geocoded; /* opaque */

/* Geocodes every claim of inc. Fails (NULL, err set with the file, line and JSON pointer of the
 * place) on a place the gazetteer does not know, or knows only approximately without
 * accept_fuzzy, or a pin by an unknown gazetteer id. */
bm_geocoded *bm_geocode(const bm_incidents *inc, const bm_gazetteer *gz,
                        const bm_geocode_options *opt, bm_error *err);
void bm_geocoded_free(bm_geocoded *g); /* NULL is a no-op */

/* The places of drawn claims, each once, in the order first named. */
const bm_located_place *bm_geocoded_places(const bm_geocoded *g, size_t *n);
/* Every claim made by as_of, in file order; with allocate_even, the shares follow each other
 * and then the whole claim, not drawn. */
const bm_located_claim *bm_geocoded_claims(const bm_geocoded *g, size_t *n);
/* How many claims were made after as_of and left out. */
size_t bm_geocoded_n_later(const bm_geocoded *g);
/* Who to credit: boundaries, GeoNames, every other source of a coordinate on the map with the
 * places it gave, the file's report, the projection. */
const char *bm_geocoded_attribution(const bm_geocoded *g);

#endif
