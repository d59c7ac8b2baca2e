/* SPDX-License-Identifier: MIT */
/* manifest.c - the batch manifest's shape, read with the JSON kit (manifest.h). */
#include "manifest.h"

#include <stdio.h>
#include <string.h>

#include "json_kit.h"
#include "output.h"

static const char hint_shape[] = "a manifest is {\"maps\": [{\"input\": ..., \"outputs\": [...]}]}";

/* The value as the callbacks see it. */
static bm_manifest_value value_of(const cJSON *item) {
    bm_manifest_value v = {0};
    if (cJSON_IsBool(item)) {
        v.kind = BM_MANIFEST_BOOL;
        v.is_true = cJSON_IsTrue(item);
    } else if (cJSON_IsNumber(item)) {
        v.kind = BM_MANIFEST_NUMBER;
        v.number = item->valuedouble;
    } else if (cJSON_IsString(item)) {
        v.kind = BM_MANIFEST_STRING;
        v.string = item->valuestring;
    } else if (cJSON_IsArray(item)) {
        v.kind = BM_MANIFEST_ARRAY;
        v.n_items = (size_t)cJSON_GetArraySize(item);
    } else {
        v.kind = BM_MANIFEST_OTHER;
    }
    return v;
}

/* Hands one option value to the caller; reports a refusal at the value (r's pointer). */
static void give_element(bm_json_reader *r, const bm_manifest_handlers *h, size_t i,
                         const char *key, const cJSON *item, const bm_manifest_value *v) {
    char msg[700] = "";
    if (h->option(h->user, i, key, v, msg, sizeof msg) != BM_MANIFEST_OK)
        bm_json_flag(r, BM_SEV_ERROR, item, false, NULL, "%s", msg);
}

static void read_options(bm_json_reader *r, const bm_manifest_handlers *h, size_t i,
                         const cJSON *options) {
    if (!cJSON_IsObject(options)) {
        bm_json_flag(r, BM_SEV_ERROR, options, false, NULL, "expected an object for 'options'");
        return;
    }
    const size_t at_options = r->pointer_len;
    for (const cJSON *c = options->child; c != NULL; c = c->next) {
        const size_t saved = bm_json_push_key(r, c->string);
        bm_manifest_value v = value_of(c);
        char msg[700] = "";
        const bm_manifest_verdict verdict = h->option(h->user, i, c->string, &v, msg, sizeof msg);
        if (verdict == BM_MANIFEST_BAD_KEY) {
            bm_json_pop(r, at_options); /* "unknown key" belongs to the object */
            bm_json_flag(r, BM_SEV_ERROR, c, true, NULL, "%s", msg);
        } else if (verdict == BM_MANIFEST_BAD_VALUE) {
            bm_json_flag(r, BM_SEV_ERROR, c, false, NULL, "%s", msg);
        } else if (v.kind == BM_MANIFEST_ARRAY) {
            size_t k = 0;
            for (const cJSON *e = c->child; e != NULL; e = e->next, k++) {
                const size_t at_key = bm_json_push_index(r, k);
                bm_manifest_value ev = value_of(e);
                ev.is_element = true;
                ev.index = k;
                give_element(r, h, i, c->string, e, &ev);
                bm_json_pop(r, at_key);
            }
        }
        bm_json_pop(r, saved);
    }
    const char *key = NULL;
    char msg[700] = "";
    if (h->options_end(h->user, i, &key, msg, sizeof msg) != BM_MANIFEST_OK) {
        const size_t saved = bm_json_push_key(r, key != NULL ? key : "");
        const cJSON *at = key != NULL ? bm_json_member(options, key) : NULL;
        bm_json_flag(r, BM_SEV_ERROR, at != NULL ? at : options, false, NULL, "%s", msg);
        bm_json_pop(r, saved);
    }
}

/* "outputs": a string or an array of strings, each a known map format. */
static size_t read_outputs(bm_json_reader *r, const cJSON *outputs,
                           const char *out[BM_MANIFEST_MAX_OUTPUTS]) {
    static const char what[] = "output files";
    const bool is_array = cJSON_IsArray(outputs);
    if (!(is_array || cJSON_IsString(outputs)) ||
        (is_array && cJSON_GetArraySize(outputs) > BM_MANIFEST_MAX_OUTPUTS)) {
        bm_json_flag(r, BM_SEV_ERROR, outputs, false, NULL,
                     "expected %s as a string or an array of at most %d strings", what,
                     BM_MANIFEST_MAX_OUTPUTS);
        return 0;
    }
    if (is_array && outputs->child == NULL) {
        bm_json_flag(r, BM_SEV_ERROR, outputs, false, NULL,
                     "empty 'outputs'; expected at least one map file");
        return 0;
    }
    size_t n = 0, k = 0;
    for (const cJSON *c = is_array ? outputs->child : outputs; c != NULL;
         c = is_array ? c->next : NULL, k++) {
        const size_t saved = is_array ? bm_json_push_index(r, k) : r->pointer_len;
        const char *s = bm_json_as_string(r, c, what);
        bm_format f;
        bm_error ferr = {0};
        if (s != NULL && bm_format_from_path(s, &f, &ferr) != BM_OK)
            bm_json_flag(r, BM_SEV_ERROR, c, false, ferr.hint[0] ? ferr.hint : NULL, "%s",
                         ferr.message);
        else if (s != NULL)
            out[n++] = s;
        bm_json_pop(r, saved);
    }
    return n;
}

static bool read_map(bm_json_reader *r, const bm_manifest_handlers *h, size_t i, const cJSON *obj) {
    static const char *const keys[] = {"input", "outputs", "options"};
    static const bm_json_rules rules = {"map", keys, 3, BM_SEV_ERROR, NULL};
    if (!cJSON_IsObject(obj)) {
        bm_json_flag(r, BM_SEV_ERROR, obj, false, hint_shape,
                     "expected an object {\"input\": ..., \"outputs\": [...]}");
        return h->map(h->user, i, NULL, NULL, 0);
    }
    bm_json_check_members(r, obj, &rules);
    const cJSON *input = bm_json_member(obj, "input"), *outputs = bm_json_member(obj, "outputs");
    const cJSON *options = bm_json_member(obj, "options");
    const char *in = NULL;
    if (input == NULL) {
        bm_json_flag(r, BM_SEV_ERROR, obj, false, NULL, "missing 'input' (the incident file)");
    } else {
        const size_t saved = bm_json_push_key(r, "input");
        in = bm_json_as_string(r, input, "the incident file");
        bm_json_pop(r, saved);
    }
    const char *out[BM_MANIFEST_MAX_OUTPUTS];
    size_t n_out = 0;
    if (outputs == NULL) {
        bm_json_flag(r, BM_SEV_ERROR, obj, false, NULL,
                     "missing 'outputs' (map files: .png, .svg or .pdf)");
    } else {
        const size_t saved = bm_json_push_key(r, "outputs");
        n_out = read_outputs(r, outputs, out);
        bm_json_pop(r, saved);
    }
    if (!h->map(h->user, i, in, out, n_out))
        return false;
    if (options != NULL) {
        const size_t saved = bm_json_push_key(r, "options");
        read_options(r, h, i, options);
        bm_json_pop(r, saved);
    }
    return true;
}

bm_status bm_manifest_read(const char *text, size_t len, const char *path,
                           const bm_manifest_handlers *h, bm_diags *diags) {
    bm_json_reader r;
    bm_json_reader_init(&r, text, len, path, diags, NULL);
    if (!bm_json_check_utf8(&r)) {
        bm_json_reader_free(&r);
        return BM_ERR_INVALID;
    }
    cJSON *root = bm_json_reader_parse(&r);
    if (root == NULL) {
        const bool is_nomem = r.is_out_of_memory;
        bm_json_reader_free(&r);
        return is_nomem ? BM_ERR_NOMEM : BM_ERR_SYNTAX;
    }
    const cJSON *maps = cJSON_IsObject(root) ? bm_json_member(root, "maps") : NULL;
    bool ok = true;
    if (!cJSON_IsArray(maps) || maps->child == NULL) {
        bm_json_flag(&r, BM_SEV_ERROR, maps != NULL ? maps : root, false, hint_shape,
                     "expected {\"maps\": [...]} with at least one map");
    } else {
        static const char *const top_keys[] = {"maps"};
        static const bm_json_rules top = {"the manifest", top_keys, 1, BM_SEV_ERROR, NULL};
        bm_json_check_members(&r, root, &top);
        ok = h->start(h->user, (size_t)cJSON_GetArraySize(maps));
        const size_t saved = bm_json_push_key(&r, "maps");
        size_t i = 0;
        for (const cJSON *c = maps->child; ok && c != NULL; c = c->next, i++) {
            const size_t at_map = bm_json_push_index(&r, i);
            ok = read_map(&r, h, i, c);
            bm_json_pop(&r, at_map);
        }
        bm_json_pop(&r, saved);
    }
    cJSON_Delete(root);
    const bool is_nomem = !ok || r.is_out_of_memory;
    const size_t n_errors = r.n_errors;
    bm_json_reader_free(&r);
    return is_nomem ? BM_ERR_NOMEM : n_errors > 0 ? BM_ERR_INVALID : BM_OK;
}
