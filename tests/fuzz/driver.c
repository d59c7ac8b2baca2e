/* SPDX-License-Identifier: MIT */
/* driver.c - runs a fuzz target without libFuzzer: every file of the seed corpus as it is, then
 * N mutations of them (bit flips, byte changes, deletions, insertions, copies of a chunk from
 * another seed), chosen by a fixed-seed xorshift generator so a failure can be replayed with the
 * same arguments. Under the asan preset this catches memory errors the seeds reach; long runs
 * use the real libFuzzer build (tests/fuzz/README.md).
 *
 *   driver [-n MUTATIONS] [-s SEED] CORPUS_DIR...   (exit 0: no crash) */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define MAX_SEEDS 512
#define MAX_INPUT ((size_t)1 << 16)

typedef struct seed {
    uint8_t *bytes;
    size_t size;
    char path[600];
} seed;

static uint64_t next(uint64_t *state) {
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

static int read_seed(const char *path, seed *out) {
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    out->bytes = malloc(MAX_INPUT);
    out->size = out->bytes ? fread(out->bytes, 1, MAX_INPUT, f) : 0;
    fclose(f);
    snprintf(out->path, sizeof out->path, "%s", path);
    return out->bytes != NULL ? 0 : -1;
}

static size_t mutate(uint8_t *buf, size_t size, const seed *seeds, size_t n_seeds, uint64_t *rng) {
    const unsigned n_edits = 1 + (unsigned)(next(rng) % 4);
    for (unsigned e = 0; e < n_edits; e++) {
        const size_t at = size ? (size_t)(next(rng) % size) : 0;
        switch (next(rng) % 6) {
        case 0: /* flip a bit */
            if (size)
                buf[at] ^= (uint8_t)(1u << (next(rng) % 8));
            break;
        case 1: { /* an interesting byte */
            static const uint8_t bytes[] = {0,   '"', '{',  '}',  '[',  ']',  ',', ':',
                                            '-', '9', '\n', '\\', 0xC3, 0xFF, 'e', '.'};
            if (size)
                buf[at] = bytes[next(rng) % sizeof bytes];
            break;
        }
        case 2: { /* delete a run */
            const size_t n = size ? (size_t)(next(rng) % (size - at < 16 ? size - at : 16)) : 0;
            memmove(buf + at, buf + at + n, size - at - n);
            size -= n;
            break;
        }
        case 3: { /* duplicate a run */
            const size_t n = size ? 1 + (size_t)(next(rng) % 16) : 0;
            if (size + n < MAX_INPUT && at + n <= size) {
                memmove(buf + at + n, buf + at, size - at);
                size += n;
            }
            break;
        }
        case 4: { /* splice in a chunk of another seed */
            const seed *o = &seeds[next(rng) % n_seeds];
            if (o->size == 0)
                break;
            const size_t from = (size_t)(next(rng) % o->size);
            size_t n = 1 + (size_t)(next(rng) % 64);
            if (from + n > o->size)
                n = o->size - from;
            if (size + n < MAX_INPUT) {
                memmove(buf + at + n, buf + at, size - at);
                memcpy(buf + at, o->bytes + from, n);
                size += n;
            }
            break;
        }
        default: /* cut the end */
            size = at;
            break;
        }
    }
    return size;
}

int main(int argc, char **argv) {
    long n_mutations = 1000;
    uint64_t rng = 0x9E3779B97F4A7C15u;
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "-n") == 0)
            n_mutations = strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "-s") == 0)
            rng = strtoull(argv[i + 1], NULL, 10) | 1;
    }
    static seed seeds[MAX_SEEDS];
    size_t n_seeds = 0;
    for (; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        if (d == NULL) {
            fprintf(stderr, "driver: cannot open corpus '%s'\n", argv[i]);
            return 2;
        }
        struct dirent *e;
        while ((e = readdir(d)) != NULL && n_seeds < MAX_SEEDS) {
            if (e->d_name[0] == '.')
                continue;
            char path[600];
            snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
            if (read_seed(path, &seeds[n_seeds]) == 0)
                n_seeds++;
        }
        closedir(d);
    }
    if (n_seeds == 0) {
        fputs("driver: no seeds\n", stderr);
        return 2;
    }
    /* readdir order varies between file systems; sort so runs replay exactly. */
    for (size_t a = 1; a < n_seeds; a++)
        for (size_t b = a; b > 0 && strcmp(seeds[b - 1].path, seeds[b].path) > 0; b--) {
            const seed t = seeds[b];
            seeds[b] = seeds[b - 1];
            seeds[b - 1] = t;
        }
    for (size_t s = 0; s < n_seeds; s++)
        LLVMFuzzerTestOneInput(seeds[s].bytes, seeds[s].size);
    uint8_t *buf = malloc(MAX_INPUT);
    if (buf == NULL)
        return 2;
    for (long k = 0; k < n_mutations; k++) {
        const seed *base = &seeds[next(&rng) % n_seeds];
        memcpy(buf, base->bytes, base->size);
        const size_t size = mutate(buf, base->size, seeds, n_seeds, &rng);
        /* An exact-size copy, so reads past the end are caught by ASan. */
        uint8_t *input = malloc(size ? size : 1);
        if (input == NULL)
            break;
        memcpy(input, buf, size);
        LLVMFuzzerTestOneInput(input, size);
        free(input);
    }
    free(buf);
    for (size_t s = 0; s < n_seeds; s++)
        free(seeds[s].bytes);
    printf("%s: %zu seeds and %ld mutations, no crash\n", argv[0], n_seeds, n_mutations);
    return 0;
}
