/* SPDX-License-Identifier: MIT */
/* carto/group.h - honest sums of located claims: one mark-to-be per source, measure, party,
 * object and place (or district, or province) within a window of dates.
 *
 * bm_groups_build reads located claims (geocode.h) and returns a bm_groups, which owns its
 * array of groups and the per-claim table; every pointer inside a bm_group (object, dates,
 * aggregate place lists) is borrowed from the input claims and incidents and stays valid while
 * they do. The input is only read, so one set of located claims may be grouped by several
 * threads at once. Cost is linear in the number of claims (a hash on the group key).
 *
 * The rules (docs/incident-format.md, issue 9):
 * - two sources are never added together, nor two measures, parties or objects;
 * - exact plus exact is exact; a range adds minima and maxima; "at least" and vague words add
 *   their lower bounds and the sum stays "at least";
 * - a figure replaced by another figure in the window (`revises`, or the same source's later
 *   figure for the same incident, measure, party and places) is never counted with it;
 * - a claim that names several places stays one aggregate group of its own (a claim split by
 *   --allocate even names one place per part and is grouped like any other);
 * - claims that are not drawn (is_drawn false), or carry no figure, are not grouped. */
#ifndef BM_CARTO_GROUP_H
#define BM_CARTO_GROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "bm_error.h"
#include "geocode.h"
#include "incidents.h"

/* "no such index": a place with no known district, a claim in no group. */
#define BM_GROUP_NONE ((size_t)-1)

typedef enum bm_group_mode {
    BM_GROUP_BY_NONE,     /* one group per claim: today's one mark per claim */
    BM_GROUP_BY_PLACE,    /* per resolved place */
    BM_GROUP_BY_DISTRICT, /* per district, where the place's district is known */
    BM_GROUP_BY_PROVINCE  /* per province, where the place's province is known */
} bm_group_mode;

/* Which dates and claims count. Dates are ISO (YYYY-MM-DD; only the first 10 characters of a
 * date-time are compared); NULL means no bound. An incident is in the window when its first
 * day (date_start) is within [from, to], both inclusive, so consecutive windows (the panels of
 * --facet month) share no incident. A claim counts when made on or before as_of. */
typedef struct bm_group_window {
    const char *from, *to;
    const char *as_of;
} bm_group_window;

typedef struct bm_group_input {
    const bm_incidents *incidents;
    const bm_located_claim *claims;
    size_t n_claims;
    size_t n_places; /* of the located places the claims' place_index point into */
    /* BY_DISTRICT, BY_PROVINCE: for each located place, the index of the located place that is
     * its district (or province), the place's own index when it is one, or BM_GROUP_NONE when
     * not known. NULL: none known. A place whose area is unknown is grouped on its own, never
     * guessed into a neighbour's area (bm_groups_n_unknown_area counts them). */
    const size_t *district_of;
    const size_t *province_of;
    bm_group_mode mode;
    bm_group_window window;
    /* --facet year (4) or month (7): claims are summed per period too, the first period_chars
     * characters of their incident's first day ("2024", "2024-03"), so each panel shows its
     * own sums; 0: one period. A summed claim's id then ends in "#<period>". */
    size_t period_chars;
} bm_group_input;

typedef struct bm_group {
    size_t source; /* index into the sources */
    bm_quantity what;
    bm_party who;
    const char *object; /* as the claims name it; NULL when none */
    /* where: one place (n_places 1, places points at place) or the places of one aggregate
     * claim (n_places > 1). Indices into the located places. */
    size_t place;
    const size_t *places;
    size_t n_places;
    bool is_aggregate;     /* one claim naming several places */
    bm_value value;        /* the honest sum; text is the claim's own wording when n_claims 1 */
    bool has_vague_word;   /* some claim's lower bound comes from a vague word */
    size_t n_claims;       /* claims summed */
    size_t n_incidents;    /* distinct incidents (events) those claims are about */
    const char *first_day; /* earliest date_start of those incidents */
    const char *last_day;  /* latest date_end */
    size_t first_claim;    /* index (into the input claims) of its first claim */
    const char *period;    /* period_chars > 0: its incidents' first day starts with the first
                              period_chars characters of this; NULL otherwise */
} bm_group;

/* Why a claim is in no group. */
typedef enum bm_group_skip {
    BM_GROUP_SKIP_NONE,      /* it is in a group */
    BM_GROUP_SKIP_NOT_DRAWN, /* is_drawn false, or no figure, or no place */
    BM_GROUP_SKIP_WINDOW,    /* its incident is outside [from, to] */
    BM_GROUP_SKIP_LATER,     /* made after as_of */
    BM_GROUP_SKIP_REPLACED   /* a later figure in the window replaces it */
} bm_group_skip;

typedef struct bm_groups bm_groups; /* opaque */

/* Groups in->claims. Returns NULL and fills err (BM_ERR_NOMEM, or BM_ERR_INVALID for a place
 * index out of range) on failure. */
bm_groups *bm_groups_build(const bm_group_input *in, bm_error *err);
void bm_groups_free(bm_groups *g); /* NULL is a no-op */

/* Groups in the order of their first claim. */
size_t bm_groups_n(const bm_groups *g);
const bm_group *bm_groups_get(const bm_groups *g, size_t i);
/* The group of input claim i, or BM_GROUP_NONE; *why (when not NULL) says why not. */
size_t bm_groups_of_claim(const bm_groups *g, size_t claim, bm_group_skip *why);
/* Claims counted in some group; claims grouped on their own place because their district or
 * province is not known (0 unless BY_DISTRICT or BY_PROVINCE). */
size_t bm_groups_n_claims(const bm_groups *g);
size_t bm_groups_n_unknown_area(const bm_groups *g);
/* Earliest and latest incident day over all groups; NULL when there is no group. */
const char *bm_groups_first_day(const bm_groups *g);
const char *bm_groups_last_day(const bm_groups *g);

/* The groups as located claims, for the layout: a group of one claim is that claim's located
 * claim unchanged (so a map whose claims each stand alone does not change); a larger group
 * becomes one claim with the sum, no claimed_on (the window says when), and the id
 * "<source id>/<measure>/<party>[/<object>]@<place>". Claims that are not drawn are kept as they
 * are (the notes list them); claims outside the window or replaced are left out, and so are
 * sums of exactly 0 when grouping (no circle, no place dot; the marks list them). *out (n_out
 * entries) and, when group_of is not NULL, *group_of (the group of each, NULL for claims not
 * drawn) live in the arena; places are the located places the claims point into. */
bm_status bm_groups_to_claims(const bm_groups *g, const bm_group_input *in,
                              const bm_located_place *places, bm_arena *arena,
                              bm_located_claim **out, size_t *n_out, const bm_group ***group_of,
                              bm_error *err);

/* Appends the marks as CSV (RFC 4180, header first): one row per group: source, measure,
 * party, object, place (names joined by "; " for an aggregate), kind (town, near, district,
 * province, aggregate), lat and lon (the place's; empty for an aggregate), value wording, min,
 * max (empty when unbounded), bound (exact, range, at_least), claims, incidents, first and last
 * day, the window (from, to, as_of; empty: open), and labelled (is_labelled[i] when given,
 * else empty). */
bm_status bm_groups_write_csv(const bm_groups *g, const bm_group_input *in,
                              const bm_located_place *places, const bool *is_labelled, bm_buf *out);

/* The same as a JSON array of objects with the same keys; numbers as numbers, unknown or open
 * values as null, labelled as true/false (null when is_labelled is NULL). */
bm_status bm_groups_write_json(const bm_groups *g, const bm_group_input *in,
                               const bm_located_place *places, const bool *is_labelled,
                               bm_buf *out);

/* What the map's notes say about grouping: "1,705 events at 169 places, 2020-2024; each circle
 * is the sum at one place." (district, province: "in 30 districts"; aggregates and places of
 * unknown district counted apart). Nothing for BY_NONE. */
bm_status bm_groups_describe(const bm_groups *g, const bm_group_input *in, bm_buf *out);

/* Each located place's district and province as located places (carto/group.h's district_of
 * and province_of), found from what is known, never guessed:
 * - a place that is a district (or province) is its own;
 * - a gazetteer place (its place_id a gazetteer id) takes its row's admin2 (admin1), matched
 *   to the gazetteer's district (province) rows by name, exactly or by a recorded alias or
 *   transliteration variant, within its province;
 * - otherwise the district (province) the claims naming it state (a JSON place's "district", a
 *   CSV's admin2), when they all state the same one and it is a gazetteer district;
 * - a district known by name only (no coordinate) counts as not known.
 * Areas not yet among the located places are appended to them (drawn at the district's
 * representative point, worded as a district). *places and *n_places are replaced by an array
 * in the arena (the first n entries unchanged); *district_of and *province_of (n_places
 * entries each, BM_GROUP_NONE where not known) live in the arena too. */
bm_status bm_groups_find_areas(const bm_gazetteer *gz, const bm_located_claim *claims,
                               size_t n_claims, bm_arena *arena, const bm_located_place **places,
                               size_t *n_places, const size_t **district_of,
                               const size_t **province_of, bm_error *err);

/* The names of the places whose area (district, or province) is not known and whose claims
 * were kept at their own place, joined by ", " (at most max_names, then "and N more");
 * nothing when there is none. */
bm_status bm_groups_unknown_area_names(const bm_groups *g, const bm_group_input *in,
                                       const bm_located_place *places, size_t max_names,
                                       bm_buf *out);

/* Above this many drawn claims a map is grouped by place unless --group says otherwise: more
 * labels than a page can show legibly (every example map has fewer). */
#define BM_GROUP_AUTO_MIN_CLAIMS 50

/* "none", "place", "district", "province" and back; parse returns false for other names. */
const char *bm_group_mode_name(bm_group_mode m);
bool bm_group_mode_parse(const char *name, bm_group_mode *out);

#endif
