/* SPDX-License-Identifier: MIT */
/* incidents_replaced.h - which figures a later figure replaces, for a whole model at once.
 *
 * The same answer as asking bm_claim_replaces of every pair of claims, in linear time: the ids
 * named by `revises` go in a hash set, and implicit replacement (the same source's later figure
 * for the same measure, party and places) is only ever looked for within one incident, the
 * only place bm_claim_replaces allows it. Reads the model only; no state is kept. */
#ifndef BM_INCIDENTS_REPLACED_H
#define BM_INCIDENTS_REPLACED_H

#include <stdbool.h>
#include <stddef.h>

#include "bm_error.h"
#include "incidents.h"

/* Sets is_replaced[k] for the k-th claim of the model (incidents in order, their claims in
 * order; bm_incidents_n_claims_total of them): true when some claim made on or before as_of
 * (NULL: any; a claim without claimed_on counts as made) replaces it. Returns BM_ERR_NOMEM
 * with err filled when memory runs out; is_replaced is then unspecified. */
bm_status bm_incidents_find_replaced(const bm_incidents *inc, const char *as_of, bool *is_replaced,
                                     bm_error *err);
/* Claims over all incidents. */
size_t bm_incidents_n_claims_total(const bm_incidents *inc);

#endif
