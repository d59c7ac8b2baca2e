/* SPDX-License-Identifier: MIT */
/* fuzz_style.c - the style reader on arbitrary bytes (not NUL-terminated, as bm_style_parse
 * allows). A refusal must say why; an accepted style must have sane sizes. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "style.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size); /* a copy of exactly size bytes: reads past it are caught */
    bm_style style;
    bm_error err = {0};
    const bm_status st = bm_style_parse(text, size, "fuzz-style.json", &style, &err);
    if (st != BM_OK && err.message[0] == '\0')
        abort();
    if (st == BM_OK && !(style.margin_mm >= 0))
        abort();
    free(text);
    return 0;
}
