/* SPDX-License-Identifier: MIT */
/* incidents.h - the incident model: sources, incidents and each source's claims.
 *
 * The model only: the readers (incidents_json.c, incidents_csv.c, incidents_geojson.c) sit above
 * it and build one with bm_incidents_new_take; bm_incidents_load (incidents_load.h) picks the
 * reader. A bm_incidents is read once and is read-only afterwards, so it may be
 * shared between threads. It owns every string and array it holds (one arena): all pointers
 * returned by the getters, and all pointers inside the returned structs, are borrowed and stay
 * valid until bm_incidents_free.
 *
 * The file format is documented in docs/incident-format.md and docs/incident.schema.json.
 * Nothing is ever invented: a claim that names several places keeps one value for all of them;
 * a vague word ("dozens") keeps its wording beside the documented lower bound it maps to. */
#ifndef BM_INCIDENTS_H
#define BM_INCIDENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bm_buf.h"
#include "bm_error.h"

/* Counts above this are refused as entry mistakes (no claim in this region comes close). */
#define BM_MAX_COUNT 1000000
/* max of an "at least" value: no upper bound. */
#define BM_VALUE_UNBOUNDED INT64_MAX

typedef enum bm_quantity { /* "what" */
                           BM_Q_KILLED,
                           BM_Q_WOUNDED,
                           BM_Q_CAPTURED,
                           BM_Q_ATTACKED, /* locations or targets struck */
                           BM_Q_DESTROYED /* objects destroyed or seized ("object" says what) */
} bm_quantity;
#define BM_N_QUANTITIES 5

typedef enum bm_party { /* "who" */
                        BM_PARTY_MILITANTS,
                        BM_PARTY_SECURITY_FORCES,
                        BM_PARTY_CIVILIANS,
                        BM_PARTY_UNSPECIFIED /* people, unspecified; or objects */
} bm_party;
#define BM_N_PARTIES 4

typedef enum bm_value_kind {
    BM_VALUE_NONE,     /* the claim states no figure (a statement, e.g. "attacks foiled") */
    BM_VALUE_EXACT,    /* min == max */
    BM_VALUE_RANGE,    /* min < max */
    BM_VALUE_AT_LEAST, /* max == BM_VALUE_UNBOUNDED */
} bm_value_kind;

typedef struct bm_value {
    bm_value_kind kind;
    int64_t min, max;
    const char *text;   /* wording in the source ("more than 30", "dozens"); NULL if none */
    bool is_vague_word; /* min comes from the vague-word table (ACLED codebook), not a number */
} bm_value;

/* A place as a claim names it: the spelling is the source's own. */
typedef struct bm_place_ref {
    const char *name;    /* as written in the file */
    const char *kind;    /* "town", "district", "province" or NULL (any) */
    const char *pointer; /* JSON pointer in the file */
    int line;
    /* Where the file says the place is (NULL if it does not): a JSON place's "district",
     * "province" and "country", a CSV's admin2 and admin1. A candidate outside is refused. */
    const char *district, *province, *country;
    int column;         /* of the name in a CSV row, 0 if unknown */
    const char *tehsil; /* a CSV's admin3 (NULL if none): context as district is */
    /* ACLED's geo_precision 2 on a row without coordinates: the name is the town looked up,
     * and the place drawn is "near <town>" at its point, a place of its own (never summed with
     * the town), as a row with coordinates gives (incidents_csv.c). */
    bool is_near;
} bm_place_ref;

/* A place the file pins: coordinates or a gazetteer id that override the gazetteer. */
typedef struct bm_place_pin {
    const char *name;
    const char *kind; /* as bm_place_ref.kind */
    bool has_coords;
    double lat_deg, lon_deg;
    const char *gazetteer_id; /* NULL unless pinned by id */
    const char *source;       /* where the coordinates come from (required with coords) */
    const char *pointer;
    int line;
} bm_place_pin;

typedef struct bm_source {
    const char *id;
    const char *label; /* short label for maps ("ISPR") */
    const char *name;  /* full name, or NULL */
    const char *kind;  /* "military", "armed_group", "government", "media", "monitor", "other" */
    const char *url;   /* where the source publishes, or NULL */
    const char *note;  /* the file's own note, or NULL */
    const char *pointer;
    int line;
} bm_source;

typedef struct bm_claim {
    const char *id; /* from the file, or "<incident id>/<index>" */
    size_t source;  /* index into the sources */
    bm_quantity what;
    bm_party who;
    const char *object; /* what was attacked or destroyed, e.g. "vehicles"; may be NULL */
    bm_value value;
    const bm_place_ref *places;
    size_t n_places;
    const char *claimed_on;  /* ISO date (YYYY-MM-DD) or date-time the claim was made */
    const char *reported_by; /* who relayed it ("The Express Tribune"), or NULL */
    const char *quote;       /* the words the claim rests on, or NULL */
    const char *note;        /* the file's own note, or NULL */
    bool is_cumulative;      /* a running total that overlaps other claims (not drawn as a mark) */
    const char *url;         /* where the claim was read, or NULL */
    const char *revises;     /* id of an earlier claim this one updates (a timeline), or NULL */
    const char *pointer;     /* "/incidents/0/claims/2" */
    int line;
} bm_claim;

typedef struct bm_incident {
    const char *id;
    const char *title;
    const char *date_start; /* ISO date */
    const char *date_end;   /* ISO date, == date_start for one day */
    const char *date_note;  /* how the date was established, or NULL */
    const bm_claim *claims;
    size_t n_claims;
    const char *pointer;
    int line;
} bm_incident;

typedef struct bm_incidents bm_incidents; /* opaque */

void bm_incidents_free(bm_incidents *inc); /* NULL is a no-op */

const char *bm_incidents_path(const bm_incidents *inc);     /* as given to load, or "" */
const char *bm_incidents_title(const bm_incidents *inc);    /* never NULL */
const char *bm_incidents_subtitle(const bm_incidents *inc); /* NULL if none */
const char *bm_incidents_report(const bm_incidents *inc);   /* "Publisher, date" or NULL */
size_t bm_incidents_n_notes(const bm_incidents *inc);
const char *bm_incidents_note(const bm_incidents *inc, size_t i);

size_t bm_incidents_n_sources(const bm_incidents *inc);
const bm_source *bm_incidents_source(const bm_incidents *inc, size_t i);
size_t bm_incidents_n_incidents(const bm_incidents *inc);
const bm_incident *bm_incidents_incident(const bm_incidents *inc, size_t i);
size_t bm_incidents_n_pins(const bm_incidents *inc);
const bm_place_pin *bm_incidents_pin(const bm_incidents *inc, size_t i);

/* For readers only (incidents_json.c, incidents_csv.c, incidents_geojson.c): the parts of a model,
 * every string and array of which lives in one arena. bm_incidents_new_take takes the arena (it is
 * freed with the model, or at once if the model cannot be made) and copies *parts, not what it
 * points to. Returns NULL only when memory runs out. */
typedef struct bm_incidents_parts {
    const char *title, *subtitle, *report;
    const char *const *notes;
    size_t n_notes;
    const bm_source *sources;
    size_t n_sources;
    const bm_incident *incidents;
    size_t n_incidents;
    const bm_place_pin *pins;
    size_t n_pins;
} bm_incidents_parts;
bm_incidents *bm_incidents_new_take(bm_arena *arena, const char *path,
                                    const bm_incidents_parts *parts);
/* For readers only, before bm_incidents_new_take: checks every text field of the parts against
 * the limits of bm_limits.h (length, control characters, blank text; bm_text_check, which also
 * turns tabs and line breaks of one-line fields into spaces, in place: the strings live in the
 * reader's arena), and the counts: places per claim, claims in the file. Each problem is
 * reported with bm_report to diags, err and *n_errors, at the item's line and pointer; with
 * has_key_pointers (the balmap JSON format, whose fields are keys of the item) the field's key
 * is added to the pointer. BM_ERR_NOMEM only when diags could not take a problem. */
bm_status bm_incidents_parts_check(bm_incidents_parts *parts, const char *path,
                                   bool has_key_pointers, bm_diags *diags, bm_error *err,
                                   size_t *n_errors);

/* Checks a count of people or objects: whole, >= 0, at most BM_MAX_COUNT. Fractions and
 * negatives are entry mistakes, not estimates, so they are refused, never rounded. On failure
 * writes the message and hint (both lower case, no full stop). */
bool bm_count_check(double v, char *why, size_t why_size, char *hint, size_t hint_size);

/* The documented lower bound of a vague word ("dozens" -> 12, ACLED), matched without regard to
 * ASCII case; false for words not in the table (see docs/incident-format.md). */
bool bm_vague_word_lower_bound(const char *word, int64_t *out);
/* The vague words, comma-separated, for messages ("several, many, dozens, hundreds"). */
const char *bm_vague_words(void);

/* Whether `later` replaces `earlier` as the figure to show: it names `earlier` in "revises", or
 * it is the same source's figure for the same incident, measure, party and places, made on a
 * later day. Claims about different places never replace each other implicitly. */
bool bm_claim_replaces(const bm_claim *later, const bm_claim *earlier, bool is_same_incident);

/* The names used in files, options and messages: one table each, in enum order. */
/* "killed", "wounded", ... and back; parse returns false for unknown names. */
const char *bm_quantity_name(bm_quantity q);
bool bm_quantity_parse(const char *name, bm_quantity *out);
const char *const *bm_quantity_names(void); /* BM_N_QUANTITIES of them */
const char *bm_quantity_list(void);         /* "killed, wounded, captured, attacked, destroyed" */
/* "militants", "security_forces", "civilians", "unspecified" and back. */
const char *bm_party_name(bm_party p);
bool bm_party_parse(const char *name, bm_party *out);
const char *const *bm_party_names(void); /* BM_N_PARTIES of them */
const char *bm_party_list(void);         /* "militants, security_forces, civilians, unspecified" */
/* What a source is (bm_source.kind): "military", "armed_group", "government", "media", "monitor"
 * (a monitoring project or dataset: ACLED, UCDP, PICSS, SATP), "other". */
#define BM_N_SOURCE_KINDS 6
const char *const *bm_source_kind_names(void);
const char *bm_source_kind_list(void);
/* What a place is (bm_place_ref.kind, bm_place_pin.kind): "town", "district", "province". */
#define BM_N_PLACE_KINDS 3
const char *const *bm_place_kind_names(void);
const char *bm_place_kind_list(void);
/* Human wording of a value: "92", "at least 31", "10-20", "dozens (at least 12)". */
void bm_value_format(const bm_value *v, char *out, size_t out_size);

#endif
