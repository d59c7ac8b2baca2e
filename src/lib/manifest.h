/* SPDX-License-Identifier: MIT */
/* manifest.h - reading a batch manifest, {"maps": [{"input": ..., "outputs": [...],
 * "options": {...}}]}, with the JSON kit: syntax diagnosis, unknown and duplicate keys, and every
 * problem with file, line, column and JSON pointer. What an option means stays with the caller
 * (the command line's option table): the reader hands each option's value to a callback and
 * reports what the callback refuses at that option's place in the file.
 *
 * Strings given to the callbacks are borrowed for the call only: copy what you keep. Plain
 * functions: no state beyond the call. */
#ifndef BM_MANIFEST_H
#define BM_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "bm_error.h"

/* The most outputs a map may have. */
#define BM_MANIFEST_MAX_OUTPUTS 64

typedef enum bm_manifest_kind {
    BM_MANIFEST_BOOL,
    BM_MANIFEST_NUMBER,
    BM_MANIFEST_STRING,
    BM_MANIFEST_ARRAY, /* then, if accepted, each element as a value of its own */
    BM_MANIFEST_OTHER  /* null, an object, a nested array */
} bm_manifest_kind;

typedef struct bm_manifest_value {
    bm_manifest_kind kind;
    bool is_true;       /* BOOL */
    double number;      /* NUMBER */
    const char *string; /* STRING; borrowed */
    size_t n_items;     /* ARRAY */
    bool is_element;    /* an element of an accepted array ... */
    size_t index;       /* ... at this index */
} bm_manifest_value;

typedef enum bm_manifest_verdict {
    BM_MANIFEST_OK,
    BM_MANIFEST_BAD_VALUE, /* reported at the value (options/KEY or options/KEY/N) */
    BM_MANIFEST_BAD_KEY    /* reported at the options object ("unknown key ...") */
} bm_manifest_verdict;

typedef struct bm_manifest_handlers {
    void *user;
    /* Once, before the first map, with how many there are (at least one). Returns false when
     * memory ran out (reading stops). */
    bool (*start)(void *user, size_t n_maps);
    /* Each map, before its options: input is NULL when missing or not a string (reported);
     * outputs holds the ones that are strings (each checked for a known format). Returns false
     * when memory ran out. */
    bool (*map)(void *user, size_t i, const char *input, const char *const *outputs,
                size_t n_outputs);
    /* Each member of the map's "options" in file order (an ARRAY first as a whole; when that is
     * accepted, each element). On refusal writes the message into msg. */
    bm_manifest_verdict (*option)(void *user, size_t i, const char *key, const bm_manifest_value *v,
                                  char *msg, size_t msg_size);
    /* After the map's "options" object (only when it has one): the options taken together. On
     * refusal writes msg and the option key the problem is reported at into *key. */
    bm_manifest_verdict (*options_end)(void *user, size_t i, const char **key, char *msg,
                                       size_t msg_size);
} bm_manifest_handlers;

/* Reads the manifest text (len bytes; path for messages). Every problem goes to diags.
 * BM_OK when there was none; BM_ERR_SYNTAX when the text is not JSON (one diagnosis: the caller
 * then has no maps); BM_ERR_INVALID when some map or option was refused (all were still read);
 * BM_ERR_NOMEM when memory ran out here or in a callback. */
bm_status bm_manifest_read(const char *text, size_t len, const char *path,
                           const bm_manifest_handlers *h, bm_diags *diags);

#endif
