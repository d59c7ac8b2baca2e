/* SPDX-License-Identifier: MIT */
/* carto/group.c - honest sums of located claims (carto/group.h).
 *
 * Three linear passes: which claims count (window, as_of, replaced figures: a hash set of the
 * ids named by `revises`, and the same source's later figure compared within each incident
 * only, as bm_claim_replaces allows no other implicit replacement); which group each belongs
 * to (open addressing on the key); then how many distinct incidents each group sums, walking
 * the claims incident by incident. */
#include "carto/group.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bm_groups {
    bm_group *groups;
    size_t n_groups, n_alloc;
    size_t *group_of;    /* per input claim */
    unsigned char *skip; /* per input claim: bm_group_skip */
    size_t n_claims_grouped, n_unknown_area;
    const char *first_day, *last_day;
};

static const char *const mode_names[] = {"none", "place", "district", "province"};

const char *bm_group_mode_name(bm_group_mode m) {
    return (size_t)m < sizeof mode_names / sizeof mode_names[0] ? mode_names[m] : "?";
}

bool bm_group_mode_parse(const char *name, bm_group_mode *out) {
    for (size_t i = 0; i < sizeof mode_names / sizeof mode_names[0]; i++)
        if (name != NULL && strcmp(name, mode_names[i]) == 0) {
            *out = (bm_group_mode)i;
            return true;
        }
    return false;
}

void bm_groups_free(bm_groups *g) {
    if (g == NULL)
        return;
    free(g->groups);
    free(g->group_of);
    free(g->skip);
    free(g);
}

size_t bm_groups_n(const bm_groups *g) {
    return g->n_groups;
}

const bm_group *bm_groups_get(const bm_groups *g, size_t i) {
    return &g->groups[i];
}

size_t bm_groups_of_claim(const bm_groups *g, size_t claim, bm_group_skip *why) {
    if (why != NULL)
        *why = (bm_group_skip)g->skip[claim];
    return g->group_of[claim];
}

size_t bm_groups_n_claims(const bm_groups *g) {
    return g->n_claims_grouped;
}

size_t bm_groups_n_unknown_area(const bm_groups *g) {
    return g->n_unknown_area;
}

const char *bm_groups_first_day(const bm_groups *g) {
    return g->first_day;
}

const char *bm_groups_last_day(const bm_groups *g) {
    return g->last_day;
}

/* Compares ISO dates by their day: -1, 0, 1. */
static int day_cmp(const char *a, const char *b) {
    const int c = strncmp(a, b, 10);
    return (c > 0) - (c < 0);
}

#define FNV_OFFSET 14695981039346656037u

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211u; /* FNV-1a */
    }
    return h;
}

static uint64_t hash_str(uint64_t h, const char *s) {
    return s == NULL ? hash_bytes(h, "\xff", 1) : hash_bytes(h, s, strlen(s) + 1);
}

static size_t table_size(size_t n) {
    size_t size = 16;
    while (size < 2 * n)
        size *= 2;
    return size;
}

/* The claim a located claim stands for: a share made by --allocate even stands for the claim
 * it was split from, whose id and places the revisions name. */
static const bm_claim *original(const bm_located_claim *lc) {
    return lc->split_of != NULL ? lc->split_of : lc->claim;
}

/* Marks eligible claims whose figure another eligible claim replaces. */
static bm_status mark_replaced(const bm_group_input *in, bm_groups *g, bm_error *err) {
    bm_status st = BM_OK;
    const size_t n = in->n_claims;
    const size_t n_incidents = bm_incidents_n_incidents(in->incidents);
    struct revision {
        const char *id;     /* named by `revises`; NULL: empty slot */
        const bm_claim *by; /* the (original) claim naming it */
        bool is_many;       /* named by more than one claim */
    } *revised = NULL;
    size_t *bucket_start = NULL; /* claims by incident (counting sort) */
    size_t *by_incident = NULL;
    size_t n_revised = 0;
    for (size_t i = 0; i < n; i++)
        n_revised += g->skip[i] == BM_GROUP_SKIP_NONE && original(&in->claims[i])->revises != NULL;
    const size_t size = table_size(n_revised);
    revised = calloc(size, sizeof *revised);
    bucket_start = calloc(n_incidents + 2, sizeof *bucket_start);
    by_incident = malloc((n > 0 ? n : 1) * sizeof *by_incident);
    if (revised == NULL || bucket_start == NULL || by_incident == NULL) {
        st = bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const bm_claim *by = original(&in->claims[i]);
        if (g->skip[i] != BM_GROUP_SKIP_NONE || by->revises == NULL)
            continue;
        size_t k = hash_str(FNV_OFFSET, by->revises) & (size - 1);
        while (revised[k].id != NULL && strcmp(revised[k].id, by->revises) != 0)
            k = (k + 1) & (size - 1);
        if (revised[k].id == NULL)
            revised[k] = (struct revision){by->revises, by, false};
        else if (revised[k].by != by)
            revised[k].is_many = true;
    }
    for (size_t i = 0; i < n && n_revised > 0; i++) {
        const bm_claim *cl = original(&in->claims[i]);
        if (g->skip[i] != BM_GROUP_SKIP_NONE || cl->id == NULL)
            continue;
        size_t k = hash_str(FNV_OFFSET, cl->id) & (size - 1);
        while (revised[k].id != NULL && strcmp(revised[k].id, cl->id) != 0)
            k = (k + 1) & (size - 1);
        /* A claim naming itself, or one share of a split claim naming another, replaces
         * nothing. */
        if (revised[k].id != NULL && (revised[k].is_many || revised[k].by != cl))
            g->skip[i] = BM_GROUP_SKIP_REPLACED;
    }
    /* Implicit replacement is only ever within one incident. */
    for (size_t i = 0; i < n; i++)
        if (in->claims[i].incident < n_incidents)
            bucket_start[in->claims[i].incident + 2]++;
    for (size_t b = 2; b < n_incidents + 2; b++)
        bucket_start[b] += bucket_start[b - 1];
    for (size_t i = 0; i < n; i++)
        if (in->claims[i].incident < n_incidents)
            by_incident[bucket_start[in->claims[i].incident + 1]++] = i;
    for (size_t inc = 0; inc < n_incidents; inc++) {
        const size_t lo = bucket_start[inc], hi = bucket_start[inc + 1];
        for (size_t a = lo; a < hi; a++) {
            const size_t i = by_incident[a];
            if (g->skip[i] != BM_GROUP_SKIP_NONE)
                continue;
            for (size_t b = lo; b < hi; b++) {
                const size_t j = by_incident[b];
                if (j == i ||
                    (g->skip[j] != BM_GROUP_SKIP_NONE && g->skip[j] != BM_GROUP_SKIP_REPLACED))
                    continue;
                /* A replaced figure may itself replace an older one (a chain): both go. */
                if (g->skip[i] == BM_GROUP_SKIP_NONE &&
                    bm_claim_replaces(original(&in->claims[j]), original(&in->claims[i]), true))
                    g->skip[i] = BM_GROUP_SKIP_REPLACED;
            }
        }
    }
done:
    free(revised);
    free(bucket_start);
    free(by_incident);
    return st;
}

static bool same_key(const bm_group *gr, const bm_claim *cl, size_t place, const char *period,
                     size_t period_chars) {
    return gr->source == cl->source && gr->what == cl->what && gr->who == cl->who &&
           !gr->is_aggregate && gr->place == place &&
           (gr->object == NULL ? cl->object == NULL
                               : cl->object != NULL && strcmp(gr->object, cl->object) == 0) &&
           (period_chars == 0 || strncmp(gr->period, period, period_chars) == 0);
}

/* The first day of a claim's incident; NULL when it has none. */
static const char *claim_day(const bm_group_input *in, const bm_located_claim *lc) {
    return lc->incident < bm_incidents_n_incidents(in->incidents)
               ? bm_incidents_incident(in->incidents, lc->incident)->date_start
               : NULL;
}

/* The place a single-place claim is grouped at under the mode. */
static size_t group_place(const bm_group_input *in, size_t place, bool *is_unknown) {
    const size_t *area = in->mode == BM_GROUP_BY_DISTRICT   ? in->district_of
                         : in->mode == BM_GROUP_BY_PROVINCE ? in->province_of
                                                            : NULL;
    *is_unknown = false;
    if (in->mode != BM_GROUP_BY_DISTRICT && in->mode != BM_GROUP_BY_PROVINCE)
        return place;
    if (area == NULL || area[place] == BM_GROUP_NONE || area[place] >= in->n_places) {
        *is_unknown = true;
        return place;
    }
    return area[place];
}

static void add_value(bm_group *gr, const bm_value *v) {
    gr->value.min += v->min;
    if (v->kind == BM_VALUE_AT_LEAST || v->is_vague_word || gr->value.max == BM_VALUE_UNBOUNDED)
        gr->value.max = BM_VALUE_UNBOUNDED;
    else
        gr->value.max += v->max;
    gr->has_vague_word |= v->is_vague_word;
}

static void finish_value(bm_group *gr, const bm_value *only) {
    if (gr->n_claims == 1) {
        gr->value.text = only->text;
        gr->value.is_vague_word = only->is_vague_word;
    } else {
        gr->value.text = NULL;
        gr->value.is_vague_word = false;
    }
    gr->value.kind = gr->value.max == BM_VALUE_UNBOUNDED ? BM_VALUE_AT_LEAST
                     : gr->value.max == gr->value.min    ? BM_VALUE_EXACT
                                                         : BM_VALUE_RANGE;
}

static bm_status assign_groups(const bm_group_input *in, bm_groups *g, bm_error *err) {
    const size_t n = in->n_claims;
    const size_t size = table_size(n);
    size_t *table = malloc(size * sizeof *table); /* group index + 1; 0 is empty */
    if (table == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
    memset(table, 0, size * sizeof *table);
    bm_status st = BM_OK;
    for (size_t i = 0; i < n; i++) {
        if (g->skip[i] != BM_GROUP_SKIP_NONE)
            continue;
        const bm_located_claim *lc = &in->claims[i];
        const bm_claim *cl = lc->claim;
        for (size_t p = 0; p < cl->n_places; p++)
            if (lc->place_index[p] >= in->n_places) {
                st = bm_error_set(err, BM_ERR_INVALID, "claim '%s' names place %zu of %zu",
                                  cl->id ? cl->id : "?", lc->place_index[p], in->n_places);
                goto done;
            }
        const bool is_aggregate = cl->n_places > 1;
        bool is_unknown = false;
        const size_t place =
            is_aggregate ? BM_GROUP_NONE : group_place(in, lc->place_index[0], &is_unknown);
        size_t slot = SIZE_MAX, gi = BM_GROUP_NONE;
        const char *period = in->period_chars > 0 ? claim_day(in, lc) : NULL;
        if (in->mode != BM_GROUP_BY_NONE && !is_aggregate) {
            uint64_t h = FNV_OFFSET;
            h = hash_bytes(h, &cl->source, sizeof cl->source);
            h = hash_bytes(h, &cl->what, sizeof cl->what);
            h = hash_bytes(h, &cl->who, sizeof cl->who);
            h = hash_bytes(h, &place, sizeof place);
            h = hash_str(h, cl->object);
            if (period != NULL)
                h = hash_bytes(h, period, in->period_chars);
            slot = h & (size - 1);
            while (table[slot] != 0 &&
                   !same_key(&g->groups[table[slot] - 1], cl, place, period, in->period_chars))
                slot = (slot + 1) & (size - 1);
            if (table[slot] != 0)
                gi = table[slot] - 1;
        }
        if (gi == BM_GROUP_NONE) {
            if (bm_grow((void **)&g->groups, &g->n_alloc, g->n_groups + 1, sizeof *g->groups) !=
                BM_OK) {
                st = bm_error_set(err, BM_ERR_NOMEM, "out of memory");
                goto done;
            }
            gi = g->n_groups++;
            g->groups[gi] = (bm_group){
                .source = cl->source,
                .what = cl->what,
                .who = cl->who,
                .object = cl->object,
                .place = place,
                .places = is_aggregate ? lc->place_index : NULL,
                .n_places = cl->n_places,
                .is_aggregate = is_aggregate,
                .value = {BM_VALUE_EXACT, 0, 0, NULL, false},
                .first_claim = i,
                .period = period,
            };
            if (slot != SIZE_MAX)
                table[slot] = gi + 1;
        }
        bm_group *gr = &g->groups[gi];
        add_value(gr, &cl->value);
        gr->n_claims++;
        g->group_of[i] = gi;
        g->n_claims_grouped++;
        g->n_unknown_area += is_unknown;
    }
    for (size_t k = 0; k < g->n_groups; k++) {
        bm_group *gr = &g->groups[k];
        if (!gr->is_aggregate)
            gr->places = &gr->place; /* the array no longer moves */
        finish_value(gr, &in->claims[gr->first_claim].claim->value);
    }
done:
    free(table);
    return st;
}

/* Distinct incidents and first/last days per group: claims walked incident by incident, so a
 * group meets each of its incidents in one run. */
static bm_status count_incidents(const bm_group_input *in, bm_groups *g, bm_error *err) {
    const size_t n_incidents = bm_incidents_n_incidents(in->incidents);
    size_t *start = calloc(n_incidents + 2, sizeof *start);
    size_t *order = malloc((in->n_claims > 0 ? in->n_claims : 1) * sizeof *order);
    size_t *last = malloc((g->n_groups > 0 ? g->n_groups : 1) * sizeof *last);
    bm_status st = BM_OK;
    if (start == NULL || order == NULL || last == NULL) {
        st = bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < g->n_groups; k++)
        last[k] = BM_GROUP_NONE;
    for (size_t i = 0; i < in->n_claims; i++)
        if (g->group_of[i] != BM_GROUP_NONE)
            start[in->claims[i].incident + 2]++;
    for (size_t b = 2; b < n_incidents + 2; b++)
        start[b] += start[b - 1];
    for (size_t i = 0; i < in->n_claims; i++)
        if (g->group_of[i] != BM_GROUP_NONE)
            order[start[in->claims[i].incident + 1]++] = i;
    for (size_t a = 0; a < start[n_incidents]; a++) {
        const size_t i = order[a], inc = in->claims[i].incident;
        bm_group *gr = &g->groups[g->group_of[i]];
        if (last[g->group_of[i]] == inc)
            continue;
        last[g->group_of[i]] = inc;
        gr->n_incidents++;
        const bm_incident *ev = bm_incidents_incident(in->incidents, inc);
        const char *end = ev->date_end != NULL ? ev->date_end : ev->date_start;
        if (ev->date_start != NULL) {
            if (gr->first_day == NULL || day_cmp(ev->date_start, gr->first_day) < 0)
                gr->first_day = ev->date_start;
            if (g->first_day == NULL || day_cmp(ev->date_start, g->first_day) < 0)
                g->first_day = ev->date_start;
        }
        if (end != NULL) {
            if (gr->last_day == NULL || day_cmp(end, gr->last_day) > 0)
                gr->last_day = end;
            if (g->last_day == NULL || day_cmp(end, g->last_day) > 0)
                g->last_day = end;
        }
    }
done:
    free(start);
    free(order);
    free(last);
    return st;
}

bm_groups *bm_groups_build(const bm_group_input *in, bm_error *err) {
    const size_t n = in->n_claims;
    const size_t n_incidents = bm_incidents_n_incidents(in->incidents);
    bm_groups *g = calloc(1, sizeof *g);
    if (g == NULL)
        goto nomem;
    g->group_of = malloc((n > 0 ? n : 1) * sizeof *g->group_of);
    g->skip = malloc(n > 0 ? n : 1);
    if (g->group_of == NULL || g->skip == NULL)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        const bm_located_claim *lc = &in->claims[i];
        const bm_claim *cl = lc->claim;
        g->group_of[i] = BM_GROUP_NONE;
        bm_group_skip why = BM_GROUP_SKIP_NONE;
        const char *day = lc->incident < n_incidents
                              ? bm_incidents_incident(in->incidents, lc->incident)->date_start
                              : NULL;
        if (!lc->is_drawn || cl->value.kind == BM_VALUE_NONE || cl->n_places == 0 ||
            lc->incident >= n_incidents)
            why = BM_GROUP_SKIP_NOT_DRAWN;
        else if ((in->window.from != NULL && (day == NULL || day_cmp(day, in->window.from) < 0)) ||
                 (in->window.to != NULL && (day == NULL || day_cmp(day, in->window.to) > 0)) ||
                 (in->period_chars > 0 && (day == NULL || strlen(day) < in->period_chars)))
            why = BM_GROUP_SKIP_WINDOW;
        else if (in->window.as_of != NULL && cl->claimed_on != NULL &&
                 day_cmp(cl->claimed_on, in->window.as_of) > 0)
            why = BM_GROUP_SKIP_LATER;
        g->skip[i] = (unsigned char)why;
    }
    if (mark_replaced(in, g, err) != BM_OK || assign_groups(in, g, err) != BM_OK ||
        count_incidents(in, g, err) != BM_OK) {
        bm_groups_free(g);
        return NULL;
    }
    return g;
nomem:
    bm_groups_free(g);
    bm_error_set(err, BM_ERR_NOMEM, "out of memory");
    return NULL;
}

/* A sum of exactly 0: events at the place, none with this measure. */
static bool is_zero(const bm_group *gr) {
    return gr->value.kind == BM_VALUE_EXACT && gr->value.max == 0;
}

bm_status bm_groups_to_claims(const bm_groups *g, const bm_group_input *in,
                              const bm_located_place *places, bm_arena *arena,
                              bm_located_claim **out, size_t *n_out, const bm_group ***group_of,
                              bm_error *err) {
    size_t n = g->n_groups;
    for (size_t i = 0; i < in->n_claims; i++)
        n += g->skip[i] == BM_GROUP_SKIP_NOT_DRAWN;
    bm_located_claim *lc = bm_arena_alloc(arena, (n > 0 ? n : 1) * sizeof *lc);
    const bm_group **of = bm_arena_alloc(arena, (n > 0 ? n : 1) * sizeof *of);
    if (lc == NULL || of == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < in->n_claims; i++) {
        const size_t gi = g->group_of[i];
        if (g->skip[i] == BM_GROUP_SKIP_NOT_DRAWN) {
            of[k] = NULL;
            lc[k++] = in->claims[i];
            continue;
        }
        if (gi == BM_GROUP_NONE || g->groups[gi].first_claim != i)
            continue; /* outside the window, replaced, or not a group's first claim */
        const bm_group *gr = &g->groups[gi];
        if (in->mode != BM_GROUP_BY_NONE && is_zero(gr))
            continue; /* no circle and no place dot for a sum of none (the marks list it) */
        of[k] = gr;
        if (gr->n_claims == 1) {
            lc[k++] = in->claims[i];
            continue;
        }
        const bm_claim *first = in->claims[i].claim;
        const bm_source *src = bm_incidents_source(in->incidents, gr->source);
        bm_claim *cl = bm_arena_alloc(arena, sizeof *cl);
        bm_place_ref *ref = bm_arena_alloc(arena, sizeof *ref);
        bm_buf id = BM_BUF_INIT(4096);
        if (cl == NULL || ref == NULL ||
            bm_buf_printf(&id, "%s/%s/%s%s%s@%s%s%.*s", src->id, bm_quantity_name(gr->what),
                          bm_party_name(gr->who), gr->object ? "/" : "",
                          gr->object ? gr->object : "", places[gr->place].name,
                          gr->period != NULL ? "#" : "",
                          gr->period != NULL ? (int)in->period_chars : 0,
                          gr->period != NULL ? gr->period : "") != BM_OK) {
            bm_buf_free(&id);
            return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        }
        *ref = (bm_place_ref){.name = places[gr->place].name,
                              .kind = places[gr->place].area_word,
                              .pointer = first->places[0].pointer,
                              .line = first->places[0].line};
        *cl = (bm_claim){
            .id = bm_arena_strdup(arena, bm_buf_str(&id)),
            .source = gr->source,
            .what = gr->what,
            .who = gr->who,
            .object = gr->object,
            .value = gr->value,
            .places = ref,
            .n_places = 1,
            .pointer = first->pointer,
            .line = first->line,
        };
        bm_buf_free(&id);
        if (cl->id == NULL)
            return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
        lc[k++] = (bm_located_claim){.claim = cl,
                                     .incident = in->claims[i].incident,
                                     .place_index = gr->places,
                                     .is_drawn = true,
                                     .n_events = gr->n_incidents,
                                     .first_day = gr->first_day,
                                     .last_day = gr->last_day};
    }
    *out = lc;
    *n_out = k;
    if (group_of != NULL)
        *group_of = of;
    return BM_OK;
}

/* A CSV field: quoted when it holds a comma, quote or line break. */
static bm_status csv_field(bm_buf *out, const char *s, bool is_last) {
    bm_status st = BM_OK;
    if (s == NULL)
        s = "";
    if (strpbrk(s, ",\"\r\n") != NULL) {
        st = bm_buf_append(out, "\"", 1);
        for (const char *p = s; *p != '\0' && st == BM_OK; p++)
            st = *p == '"' ? bm_buf_append(out, "\"\"", 2) : bm_buf_append(out, p, 1);
        if (st == BM_OK)
            st = bm_buf_append(out, "\"", 1);
    } else {
        st = bm_buf_appends(out, s);
    }
    return st != BM_OK ? st : bm_buf_append(out, is_last ? "\n" : ",", 1);
}

static const char *place_kind(const bm_located_place *pl) {
    switch (pl->precision) {
    case BM_PREC_POINT:
        return "town";
    case BM_PREC_DISTRICT:
        return "district";
    case BM_PREC_PROVINCE:
        return "province";
    case BM_PREC_COUNTRY:
        return "country";
    }
    return "";
}

bm_status bm_groups_write_csv(const bm_groups *g, const bm_group_input *in,
                              const bm_located_place *places, const bool *is_labelled,
                              bm_buf *out) {
    static const char *const header[] = {"source",   "measure", "party",  "object",    "place",
                                         "kind",     "lat",     "lon",    "value",     "min",
                                         "max",      "bound",   "claims", "incidents", "first_day",
                                         "last_day", "from",    "to",     "as_of",     "labelled"};
    const size_t n_cols = sizeof header / sizeof header[0];
    for (size_t c = 0; c < n_cols; c++)
        if (csv_field(out, header[c], c + 1 == n_cols) != BM_OK)
            return BM_ERR_NOMEM;
    for (size_t i = 0; i < g->n_groups; i++) {
        const bm_group *gr = &g->groups[i];
        const bm_source *src = bm_incidents_source(in->incidents, gr->source);
        char names[4096] = "", lat[32] = "", lon[32] = "", value[256], min[32], max[32] = "";
        char n_claims[32], n_incidents[32];
        size_t used = 0;
        for (size_t p = 0; p < gr->n_places && used < sizeof names; p++)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", p ? "; " : "",
                                     places[gr->places[p]].name);
        if (!gr->is_aggregate) {
            snprintf(lat, sizeof lat, "%.5f", places[gr->place].lat_deg);
            snprintf(lon, sizeof lon, "%.5f", places[gr->place].lon_deg);
        }
        bm_value_format(&gr->value, value, sizeof value);
        snprintf(min, sizeof min, "%lld", (long long)gr->value.min);
        if (gr->value.max != BM_VALUE_UNBOUNDED)
            snprintf(max, sizeof max, "%lld", (long long)gr->value.max);
        snprintf(n_claims, sizeof n_claims, "%zu", gr->n_claims);
        snprintf(n_incidents, sizeof n_incidents, "%zu", gr->n_incidents);
        const char *bound = gr->value.kind == BM_VALUE_EXACT   ? "exact"
                            : gr->value.kind == BM_VALUE_RANGE ? "range"
                                                               : "at_least";
        const char *row[] = {src->id,
                             bm_quantity_name(gr->what),
                             bm_party_name(gr->who),
                             gr->object,
                             names,
                             gr->is_aggregate ? "aggregate" : place_kind(&places[gr->place]),
                             lat,
                             lon,
                             value,
                             min,
                             max,
                             bound,
                             n_claims,
                             n_incidents,
                             gr->first_day,
                             gr->last_day,
                             in->window.from,
                             in->window.to,
                             in->window.as_of,
                             is_labelled == NULL ? ""
                             : is_labelled[i]    ? "yes"
                                                 : "no"};
        for (size_t c = 0; c < n_cols; c++)
            if (csv_field(out, row[c], c + 1 == n_cols) != BM_OK)
                return BM_ERR_NOMEM;
    }
    return BM_OK;
}

/* A JSON string (the names and words here are UTF-8 text without control characters other
 * than those escaped below). */
static bm_status json_string(bm_buf *out, const char *s) {
    if (s == NULL)
        return bm_buf_appends(out, "null");
    bm_status st = bm_buf_append(out, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0' && st == BM_OK; p++) {
        if (*p == '"' || *p == '\\')
            st = bm_buf_printf(out, "\\%c", *p);
        else if (*p < 0x20)
            st = bm_buf_printf(out, "\\u%04x", *p);
        else
            st = bm_buf_append(out, p, 1);
    }
    return st != BM_OK ? st : bm_buf_append(out, "\"", 1);
}

bm_status bm_groups_write_json(const bm_groups *g, const bm_group_input *in,
                               const bm_located_place *places, const bool *is_labelled,
                               bm_buf *out) {
    bm_status st = bm_buf_appends(out, "[");
    for (size_t i = 0; i < g->n_groups && st == BM_OK; i++) {
        const bm_group *gr = &g->groups[i];
        const bm_source *src = bm_incidents_source(in->incidents, gr->source);
        char value[256];
        bm_value_format(&gr->value, value, sizeof value);
        st = bm_buf_appends(out, i > 0 ? ",\n {\"source\": " : "\n {\"source\": ");
        st = st != BM_OK ? st : json_string(out, src->id);
        st = st != BM_OK ? st : bm_buf_appends(out, ", \"measure\": ");
        st = st != BM_OK ? st : json_string(out, bm_quantity_name(gr->what));
        st = st != BM_OK ? st : bm_buf_appends(out, ", \"party\": ");
        st = st != BM_OK ? st : json_string(out, bm_party_name(gr->who));
        st = st != BM_OK ? st : bm_buf_appends(out, ", \"object\": ");
        st = st != BM_OK ? st : json_string(out, gr->object);
        st = st != BM_OK ? st : bm_buf_appends(out, ", \"places\": [");
        for (size_t p = 0; p < gr->n_places && st == BM_OK; p++) {
            st = p > 0 ? bm_buf_appends(out, ", ") : BM_OK;
            st = st != BM_OK ? st : json_string(out, places[gr->places[p]].name);
        }
        st = st != BM_OK ? st : bm_buf_appends(out, "], \"kind\": ");
        st = st != BM_OK ? st
                         : json_string(out, gr->is_aggregate ? "aggregate"
                                                             : place_kind(&places[gr->place]));
        if (st == BM_OK && !gr->is_aggregate)
            st = bm_buf_printf(out, ", \"lat\": %.5f, \"lon\": %.5f", places[gr->place].lat_deg,
                               places[gr->place].lon_deg);
        else if (st == BM_OK)
            st = bm_buf_appends(out, ", \"lat\": null, \"lon\": null");
        st = st != BM_OK ? st : bm_buf_appends(out, ", \"value\": ");
        st = st != BM_OK ? st : json_string(out, value);
        st = st != BM_OK ? st : bm_buf_printf(out, ", \"min\": %lld", (long long)gr->value.min);
        if (st == BM_OK && gr->value.max != BM_VALUE_UNBOUNDED)
            st = bm_buf_printf(out, ", \"max\": %lld", (long long)gr->value.max);
        else if (st == BM_OK)
            st = bm_buf_appends(out, ", \"max\": null");
        st = st != BM_OK
                 ? st
                 : bm_buf_printf(out, ", \"bound\": \"%s\", \"claims\": %zu, \"incidents\": %zu",
                                 gr->value.kind == BM_VALUE_EXACT   ? "exact"
                                 : gr->value.kind == BM_VALUE_RANGE ? "range"
                                                                    : "at_least",
                                 gr->n_claims, gr->n_incidents);
        const char *const days[][2] = {{"first_day", gr->first_day},
                                       {"last_day", gr->last_day},
                                       {"from", in->window.from},
                                       {"to", in->window.to},
                                       {"as_of", in->window.as_of}};
        for (size_t d = 0; d < sizeof days / sizeof days[0] && st == BM_OK; d++) {
            st = bm_buf_printf(out, ", \"%s\": ", days[d][0]);
            st = st != BM_OK ? st : json_string(out, days[d][1]);
        }
        if (st == BM_OK)
            st = bm_buf_printf(out, ", \"labelled\": %s}",
                               is_labelled == NULL ? "null"
                               : is_labelled[i]    ? "true"
                                                   : "false");
    }
    return st != BM_OK ? st : bm_buf_appends(out, "\n]\n");
}

/* 1705 -> "1,705". */
static void thousands(size_t n, char *out, size_t out_size) {
    char digits[32];
    const int len = snprintf(digits, sizeof digits, "%zu", n);
    size_t k = 0;
    for (int i = 0; i < len && k + 2 < out_size; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
}

bm_status bm_groups_describe(const bm_groups *g, const bm_group_input *in, bm_buf *out) {
    if (in->mode == BM_GROUP_BY_NONE)
        return BM_OK;
    size_t n_events = 0, n_at = 0, n_aggregate = 0;
    const size_t n_incidents = bm_incidents_n_incidents(in->incidents);
    /* Distinct incidents over all groups (two sources' claims about one event are one event),
     * and distinct places or areas. */
    bool *is_seen = calloc(n_incidents + in->n_places + 1, sizeof *is_seen);
    if (is_seen == NULL)
        return BM_ERR_NOMEM;
    for (size_t i = 0; i < in->n_claims; i++)
        if (g->group_of[i] != BM_GROUP_NONE && !is_seen[in->claims[i].incident]) {
            is_seen[in->claims[i].incident] = true;
            n_events++;
        }
    bool *is_seen_place = is_seen + n_incidents;
    const size_t *area = in->mode == BM_GROUP_BY_DISTRICT   ? in->district_of
                         : in->mode == BM_GROUP_BY_PROVINCE ? in->province_of
                                                            : NULL;
    for (size_t i = 0; i < g->n_groups; i++) {
        const size_t p = g->groups[i].place;
        if (g->groups[i].is_aggregate)
            n_aggregate++;
        else if (!is_seen_place[p] &&
                 (in->mode == BM_GROUP_BY_PLACE || (area != NULL && area[p] == p))) {
            is_seen_place[p] = true; /* places of unknown area are counted apart */
            n_at++;
        }
    }
    free(is_seen);
    const char *unit = in->mode == BM_GROUP_BY_PLACE      ? "place"
                       : in->mode == BM_GROUP_BY_DISTRICT ? "district"
                                                          : "province";
    char events[32], at[32];
    thousands(n_events, events, sizeof events);
    thousands(n_at, at, sizeof at);
    char years[32] = "";
    if (g->first_day != NULL && g->last_day != NULL)
        snprintf(years, sizeof years,
                 strncmp(g->first_day, g->last_day, 4) == 0 ? ", %.4s" : ", %.4s-%.4s",
                 g->first_day, g->last_day);
    const char *at_in = in->mode == BM_GROUP_BY_PLACE ? "at" : "in";
    bm_status st = bm_buf_printf(out, "%s %s %s %s %s%s%s; each circle is the sum %s one %s",
                                 events, n_events == 1 ? "event" : "events", at_in, at, unit,
                                 n_at == 1 ? "" : "s", years, at_in, unit);
    if (st == BM_OK && n_aggregate > 0)
        st = bm_buf_printf(out, " (%zu %s naming several places %s one circle each)", n_aggregate,
                           n_aggregate == 1 ? "claim" : "claims",
                           n_aggregate == 1 ? "keeps" : "keep");
    size_t n_zero = 0;
    for (size_t i = 0; i < g->n_groups; i++)
        n_zero += !g->groups[i].is_aggregate && is_zero(&g->groups[i]);
    if (st == BM_OK && n_zero > 0)
        st = bm_buf_printf(out, "; no circle where the sum is 0 (%zu %s)", n_zero,
                           n_zero == 1 ? "sum" : "sums");
    if (st == BM_OK && g->n_unknown_area > 0)
        st = bm_buf_printf(out, "; %zu %s whose %s is not known %s at %s own place",
                           g->n_unknown_area, g->n_unknown_area == 1 ? "claim" : "claims", unit,
                           g->n_unknown_area == 1 ? "is" : "are",
                           g->n_unknown_area == 1 ? "its" : "their");
    return st != BM_OK ? st : bm_buf_appends(out, ".");
}

/* ---- districts and provinces of located places (bm_groups_find_areas) ---- */

typedef struct area_finder {
    const bm_gazetteer *gz;
    bm_located_place *places; /* the located places, then the areas appended */
    size_t n_places, n_alloc;
    size_t *areas; /* indices of the places that are areas (districts, provinces) */
    size_t n_areas, n_areas_alloc;
} area_finder;

/* The gazetteer's district (or province) row a name means, or NULL: matched as written, by a
 * recorded alias or a transliteration variant (never approximately), of that kind, with a
 * coordinate. "Kech District" and "Kech" both name dist.PK.kech. */
static const bm_place *find_area_row(const bm_gazetteer *gz, const char *name, bm_place_kind kind,
                                     const char *province, const char *country) {
    if (name == NULL || name[0] == '\0')
        return NULL;
    const bm_place_context ctx = {
        .province = kind == BM_KIND_DISTRICT ? province : NULL,
        .country = country,
        .home_country = "",
    };
    bm_place_match m;
    bm_error e = {0};
    if (bm_gazetteer_lookup_in(gz, name, kind, &ctx, &m, &e) != BM_OK || m.place->kind != kind ||
        m.how == BM_MATCH_FUZZY || m.place->lat_deg != m.place->lat_deg)
        return NULL;
    return m.place;
}

/* The located place that is this area row: one already located (by id), or appended. */
static bm_status area_place(area_finder *f, const bm_place *row, size_t *out) {
    for (size_t k = 0; k < f->n_areas; k++)
        if (strcmp(f->places[f->areas[k]].place_id, row->id) == 0) {
            *out = f->areas[k];
            return BM_OK;
        }
    if (bm_grow((void **)&f->places, &f->n_alloc, f->n_places + 1, sizeof *f->places) != BM_OK ||
        bm_grow((void **)&f->areas, &f->n_areas_alloc, f->n_areas + 1, sizeof *f->areas) != BM_OK)
        return BM_ERR_NOMEM;
    const bool is_district = row->kind == BM_KIND_DISTRICT;
    f->places[f->n_places] = (bm_located_place){
        .name = row->name,
        .as_named = "",
        .lon_deg = row->lon_deg,
        .lat_deg = row->lat_deg,
        .precision = is_district ? BM_PREC_DISTRICT : BM_PREC_PROVINCE,
        .area_word = is_district ? "district" : "province",
        .place_id = row->id,
        .source = row->source,
    };
    f->areas[f->n_areas++] = f->n_places;
    *out = f->n_places++;
    return BM_OK;
}

/* What the claims naming each place state about its district (or province): the name, and
 * whether two claims state different areas. */
typedef struct stated {
    const char *name;
    const bm_place *row;
    bool is_conflict;
} stated;

static void note_stated(const bm_gazetteer *gz, stated *s, const char *name, bm_place_kind kind,
                        const char *province) {
    if (name == NULL || name[0] == '\0' || s->is_conflict)
        return;
    if (s->name == NULL) {
        s->name = name;
        s->row = find_area_row(gz, name, kind, province, NULL);
        return;
    }
    if (strcmp(s->name, name) == 0)
        return;
    const bm_place *row = find_area_row(gz, name, kind, province, NULL);
    s->is_conflict = row == NULL || row != s->row;
}

bm_status bm_groups_find_areas(const bm_gazetteer *gz, const bm_located_claim *claims,
                               size_t n_claims, bm_arena *arena, const bm_located_place **places,
                               size_t *n_places, const size_t **district_of,
                               const size_t **province_of, bm_error *err) {
    const size_t n = *n_places;
    area_finder f = {.gz = gz};
    stated *st_district = calloc(n + 1, sizeof *st_district);
    stated *st_province = calloc(n + 1, sizeof *st_province);
    size_t *d_of = bm_arena_alloc(arena, (n + 1) * sizeof *d_of);
    size_t *p_of = bm_arena_alloc(arena, (n + 1) * sizeof *p_of);
    bm_status st = BM_OK;
    if (st_district == NULL || st_province == NULL || d_of == NULL || p_of == NULL ||
        bm_grow((void **)&f.places, &f.n_alloc, n + 1, sizeof *f.places) != BM_OK) {
        st = BM_ERR_NOMEM;
        goto done;
    }
    memcpy(f.places, *places, n * sizeof *f.places);
    f.n_places = n;
    for (size_t p = 0; p < n; p++) {
        d_of[p] = p_of[p] = BM_GROUP_NONE;
        if (f.places[p].precision == BM_PREC_DISTRICT ||
            f.places[p].precision == BM_PREC_PROVINCE) {
            if (bm_grow((void **)&f.areas, &f.n_areas_alloc, f.n_areas + 1, sizeof *f.areas) !=
                BM_OK) {
                st = BM_ERR_NOMEM;
                goto done;
            }
            f.areas[f.n_areas++] = p;
        }
    }
    /* What the claims state, for places the gazetteer does not place in an area. */
    for (size_t i = 0; i < n_claims; i++) {
        const bm_located_claim *lc = &claims[i];
        if (!lc->is_drawn || lc->place_index == NULL)
            continue;
        for (size_t k = 0; k < lc->claim->n_places; k++) {
            const size_t p = lc->place_index[k];
            const bm_place_ref *ref = &lc->claim->places[k];
            if (p >= n)
                continue;
            note_stated(gz, &st_district[p], ref->district, BM_KIND_DISTRICT, ref->province);
            note_stated(gz, &st_province[p], ref->province, BM_KIND_PROVINCE, NULL);
        }
    }
    for (size_t p = 0; p < n; p++) {
        const bm_located_place *pl = &(*places)[p];
        const bm_place *row = pl->place_id != NULL ? bm_gazetteer_by_id(gz, pl->place_id) : NULL;
        const bm_place *district = NULL, *province = NULL;
        if (pl->precision == BM_PREC_DISTRICT) {
            d_of[p] = p;
            if (row != NULL)
                province = find_area_row(gz, row->admin1, BM_KIND_PROVINCE, NULL, row->country);
        } else if (pl->precision == BM_PREC_PROVINCE) {
            p_of[p] = p;
        } else if (pl->precision == BM_PREC_POINT) {
            if (row != NULL) {
                district =
                    find_area_row(gz, row->admin2, BM_KIND_DISTRICT, row->admin1, row->country);
                province = find_area_row(gz, row->admin1, BM_KIND_PROVINCE, NULL, row->country);
            }
            if (district == NULL && !st_district[p].is_conflict)
                district = st_district[p].row;
        }
        if (province == NULL && pl->precision != BM_PREC_PROVINCE && !st_province[p].is_conflict)
            province = st_province[p].row;
        if (province == NULL && district != NULL)
            province =
                find_area_row(gz, district->admin1, BM_KIND_PROVINCE, NULL, district->country);
        if ((district != NULL && area_place(&f, district, &d_of[p]) != BM_OK) ||
            (province != NULL && area_place(&f, province, &p_of[p]) != BM_OK)) {
            st = BM_ERR_NOMEM;
            goto done;
        }
    }
    /* The appended areas are their own district or province. */
    size_t *d_all = bm_arena_alloc(arena, (f.n_places + 1) * sizeof *d_all);
    size_t *p_all = bm_arena_alloc(arena, (f.n_places + 1) * sizeof *p_all);
    bm_located_place *all = bm_arena_alloc(arena, (f.n_places + 1) * sizeof *all);
    if (d_all == NULL || p_all == NULL || all == NULL) {
        st = BM_ERR_NOMEM;
        goto done;
    }
    memcpy(d_all, d_of, n * sizeof *d_all);
    memcpy(p_all, p_of, n * sizeof *p_all);
    memcpy(all, f.places, f.n_places * sizeof *all);
    for (size_t p = n; p < f.n_places; p++) {
        const bool is_district = all[p].precision == BM_PREC_DISTRICT;
        d_all[p] = is_district ? p : BM_GROUP_NONE;
        p_all[p] = is_district ? BM_GROUP_NONE : p;
    }
    *places = all;
    *n_places = f.n_places;
    *district_of = d_all;
    *province_of = p_all;
done:
    free(st_district);
    free(st_province);
    free(f.places);
    free(f.areas);
    return st == BM_OK ? BM_OK : bm_error_set(err, st, "out of memory");
}

bm_status bm_groups_unknown_area_names(const bm_groups *g, const bm_group_input *in,
                                       const bm_located_place *places, size_t max_names,
                                       bm_buf *out) {
    if (g->n_unknown_area == 0)
        return BM_OK;
    const size_t *area = in->mode == BM_GROUP_BY_DISTRICT   ? in->district_of
                         : in->mode == BM_GROUP_BY_PROVINCE ? in->province_of
                                                            : NULL;
    if (in->mode != BM_GROUP_BY_DISTRICT && in->mode != BM_GROUP_BY_PROVINCE)
        return BM_OK;
    size_t n_names = 0, n_more = 0;
    bool *is_named = calloc(in->n_places + 1, sizeof *is_named);
    if (is_named == NULL)
        return BM_ERR_NOMEM;
    bm_status st = BM_OK;
    for (size_t i = 0; i < g->n_groups && st == BM_OK; i++) {
        const bm_group *gr = &g->groups[i];
        if (gr->is_aggregate || gr->place >= in->n_places || is_named[gr->place] ||
            (area != NULL && area[gr->place] != BM_GROUP_NONE && area[gr->place] < in->n_places))
            continue;
        is_named[gr->place] = true; /* a place is one group per source, measure and party */
        if (n_names < max_names)
            st = bm_buf_printf(out, "%s%s", n_names++ > 0 ? ", " : "", places[gr->place].name);
        else
            n_more++;
    }
    free(is_named);
    if (st == BM_OK && n_more > 0)
        st = bm_buf_printf(out, " and %zu more", n_more);
    return st;
}
