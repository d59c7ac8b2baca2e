/* SPDX-License-Identifier: MIT */
/* incidents_replaced.c - which figures a later figure replaces (incidents_replaced.h). */
#include "incidents_replaced.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t bm_incidents_n_claims_total(const bm_incidents *inc) {
    size_t n = 0;
    for (size_t i = 0; i < bm_incidents_n_incidents(inc); i++)
        n += bm_incidents_incident(inc, i)->n_claims;
    return n;
}

static uint64_t hash_str(const char *s) {
    uint64_t h = 14695981039346656037u;
    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211u; /* FNV-1a */
    }
    return h;
}

static bool is_made(const bm_claim *cl, const char *as_of) {
    return as_of == NULL || cl->claimed_on == NULL || strncmp(cl->claimed_on, as_of, 10) <= 0;
}

/* An entry of the set of revised ids: the id, and the claim naming it (NULL when several do,
 * which bm_claim_replaces cannot tell from one claim naming itself). */
typedef struct revision {
    const char *id;
    const bm_claim *by;
    bool is_many;
} revision;

bm_status bm_incidents_find_replaced(const bm_incidents *inc, const char *as_of, bool *is_replaced,
                                     bm_error *err) {
    const size_t n_incidents = bm_incidents_n_incidents(inc);
    size_t n_revisers = 0;
    for (size_t i = 0; i < n_incidents; i++) {
        const bm_incident *ev = bm_incidents_incident(inc, i);
        for (size_t k = 0; k < ev->n_claims; k++)
            n_revisers += ev->claims[k].revises != NULL;
    }
    size_t size = 16;
    while (size < 2 * n_revisers)
        size *= 2;
    revision *set = calloc(size, sizeof *set);
    if (set == NULL)
        return bm_error_set(err, BM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n_incidents; i++) {
        const bm_incident *ev = bm_incidents_incident(inc, i);
        for (size_t k = 0; k < ev->n_claims; k++) {
            const bm_claim *by = &ev->claims[k];
            if (by->revises == NULL || by->value.kind == BM_VALUE_NONE || !is_made(by, as_of))
                continue;
            size_t h = hash_str(by->revises) & (size - 1);
            while (set[h].id != NULL && strcmp(set[h].id, by->revises) != 0)
                h = (h + 1) & (size - 1);
            if (set[h].id == NULL)
                set[h] = (revision){by->revises, by, false};
            else
                set[h].is_many = true;
        }
    }
    size_t at = 0;
    for (size_t i = 0; i < n_incidents; i++) {
        const bm_incident *ev = bm_incidents_incident(inc, i);
        for (size_t k = 0; k < ev->n_claims; k++, at++) {
            const bm_claim *cl = &ev->claims[k];
            is_replaced[at] = false;
            if (cl->value.kind == BM_VALUE_NONE)
                continue;
            if (n_revisers > 0 && cl->id != NULL) {
                size_t h = hash_str(cl->id) & (size - 1);
                while (set[h].id != NULL && strcmp(set[h].id, cl->id) != 0)
                    h = (h + 1) & (size - 1);
                if (set[h].id != NULL && (set[h].is_many || set[h].by != cl)) {
                    is_replaced[at] = true;
                    continue;
                }
            }
            /* Implicit replacement happens within an incident only. */
            for (size_t o = 0; o < ev->n_claims && !is_replaced[at]; o++)
                is_replaced[at] =
                    is_made(&ev->claims[o], as_of) && bm_claim_replaces(&ev->claims[o], cl, true);
        }
    }
    free(set);
    return BM_OK;
}
