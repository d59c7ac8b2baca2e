/* SPDX-License-Identifier: MIT */
/* incidents_value.h - the one grammar of a claim's "value", shared by the JSON and GeoJSON
 * readers (docs/incident-format.md): a number, {"min", "max"}, {"at_least"}, {"more_than"},
 * {"text": "dozens"}, or nothing (a statement with no figure). */
#ifndef BM_INCIDENTS_VALUE_H
#define BM_INCIDENTS_VALUE_H

#include <cjson/cJSON.h>

#include <stdbool.h>

#include "bm_buf.h"
#include "incidents.h"
#include "json_kit.h"

/* Reads the "value" member of owner into *out (BM_VALUE_NONE when absent or null), reporting
 * every problem through r at r's pointer + "/value". Wording kept in *out ("more than 30",
 * "dozens") is copied into arena (r->is_out_of_memory when that fails). False after a problem;
 * *out is then BM_VALUE_NONE. */
bool bm_value_read(bm_json_reader *r, bm_arena *arena, const cJSON *owner, bm_value *out);

#endif
