/* SPDX-License-Identifier: MIT */
/* bm_geocode_bench.c - lookups per second on the real gazetteer: exact names, and the same
 * names with one letter dropped (fuzzy matches or misses).
 *
 * usage: bm_geocode_bench [GAZETTEER.tsv] [N] [QUERIES.tsv]
 *   (defaults: shapes/gazetteer.tsv, 1000000; with QUERIES, e.g. tests/data/geocode-queries.tsv,
 *   also the real spellings of the query table, with their context column) */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gazetteer.h"

#define MAX_QUERY 128

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs n lookups cycling through queries; returns lookups per second. */
static double run(const bm_gazetteer *gz, char (*queries)[MAX_QUERY], size_t n_queries, long n,
                  long *n_ok, long *n_fuzzy) {
    *n_ok = *n_fuzzy = 0;
    const double t0 = now_s();
    for (long i = 0; i < n; i++) {
        bm_error err = {0};
        bm_place_match m;
        if (bm_gazetteer_lookup(gz, queries[(size_t)i % n_queries], BM_KIND_ANY, &m, &err) ==
            BM_OK) {
            (*n_ok)++;
            *n_fuzzy += m.how == BM_MATCH_FUZZY;
        }
    }
    const double dt = now_s() - t0;
    return (double)n / (dt > 0 ? dt : 1e-9);
}

#define MAX_TABLE 2048

/* The query table's rows (query, kind and context; expectations are the unit test's business),
 * looked up n times in all: real spellings, with context where the table gives it. */
static int time_query_table(const bm_gazetteer *gz, const char *path, long n) {
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "bm_geocode_bench: cannot read %s\n", path);
        return 1;
    }
    static char lines[MAX_TABLE][512];
    static bm_place_context ctx[MAX_TABLE];
    static const char *query[MAX_TABLE];
    static bm_place_kind kind[MAX_TABLE];
    size_t k = 0;
    bool is_header_seen = false;
    while (k < MAX_TABLE && fgets(lines[k], sizeof lines[k], f) != NULL) {
        char *line = lines[k];
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (!is_header_seen) {
            is_header_seen = true;
            continue;
        }
        char *field[6] = {line};
        size_t nf = 1;
        for (char *p = line; nf < 6 && (p = strchr(p, '\t')) != NULL; nf++) {
            *p++ = '\0';
            field[nf] = p;
        }
        if (nf < 2 || !bm_place_kind_parse(field[1], &kind[k]))
            continue;
        query[k] = field[0];
        ctx[k] = (bm_place_context){0};
        char none[1] = "";
        for (char *kv = nf == 6 ? field[5] : none; *kv != '\0';) {
            const size_t len = strcspn(kv, ";");
            char *next = kv[len] == ';' ? kv + len + 1 : kv + len;
            kv[len] = '\0';
            char *eq = strchr(kv, '=');
            if (eq != NULL) {
                *eq = '\0';
                const char *v = eq + 1;
                if (strcmp(kv, "district") == 0)
                    ctx[k].district = v;
                else if (strcmp(kv, "province") == 0)
                    ctx[k].province = v;
                else if (strcmp(kv, "country") == 0)
                    ctx[k].country = v;
                else if (strcmp(kv, "home") == 0)
                    ctx[k].home_country = v;
            }
            kv = next;
        }
        k++;
    }
    fclose(f);
    if (k == 0)
        return 0;
    long n_ok = 0;
    const double t0 = now_s();
    for (long i = 0; i < n; i++) {
        bm_error err = {0};
        bm_place_match m;
        const size_t r = (size_t)i % k;
        n_ok += bm_gazetteer_lookup_in(gz, query[r], kind[r], &ctx[r], &m, &err) == BM_OK;
    }
    const double dt = now_s() - t0;
    printf("query table:        %8ld lookups, %9.0f lookups/s (%zu distinct rows, %ld resolved)\n",
           n, (double)n / (dt > 0 ? dt : 1e-9), k, n_ok);
    return 0;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "shapes/gazetteer.tsv";
    char *end = NULL;
    const long n = argc > 2 ? strtol(argv[2], &end, 10) : 1000000;
    if (n <= 0 || (end != NULL && *end != '\0')) {
        fputs("usage: bm_geocode_bench [GAZETTEER.tsv] [N > 0]\n", stderr);
        return 2;
    }
    bm_error err = {0};
    const double t_load = now_s();
    bm_gazetteer *gz = bm_gazetteer_load(path, &err);
    if (gz == NULL) {
        fprintf(stderr, "bm_geocode_bench: %s:%d: %s\n", err.file, err.line, err.message);
        return 3;
    }
    printf("loaded %zu places in %.1f ms\n", bm_gazetteer_size(gz), (now_s() - t_load) * 1e3);

    const size_t n_places = bm_gazetteer_size(gz);
    char(*exact)[MAX_QUERY] = calloc(n_places, MAX_QUERY);
    char(*typo)[MAX_QUERY] = calloc(n_places, MAX_QUERY);
    size_t n_typo = 0;
    if (exact == NULL || typo == NULL) {
        fputs("bm_geocode_bench: out of memory\n", stderr);
        return 3;
    }
    for (size_t i = 0; i < n_places; i++) {
        const char *name = bm_gazetteer_at(gz, i)->name;
        snprintf(exact[i], MAX_QUERY, "%s", name);
        const size_t len = strlen(exact[i]);
        if (len >= 6) { /* drop the middle letter: "Mastung" -> "Masung" */
            memcpy(typo[n_typo], exact[i], len / 2);
            snprintf(typo[n_typo] + len / 2, MAX_QUERY - len / 2, "%s", exact[i] + len / 2 + 1);
            n_typo++;
        }
    }
    /* Split the typos into those that resolve (mostly fuzzy) and those that do not (which pay
     * for the "did you mean" search), and time each group on its own. */
    char(*hits)[MAX_QUERY] = calloc(n_typo + 1, MAX_QUERY);
    char(*misses)[MAX_QUERY] = calloc(n_typo + 1, MAX_QUERY);
    if (hits == NULL || misses == NULL) {
        fputs("bm_geocode_bench: out of memory\n", stderr);
        return 3;
    }
    size_t n_hits = 0, n_misses = 0;
    for (size_t i = 0; i < n_typo; i++) {
        bm_error e = {0};
        bm_place_match m;
        if (bm_gazetteer_lookup(gz, typo[i], BM_KIND_ANY, &m, &e) == BM_OK)
            memcpy(hits[n_hits++], typo[i], MAX_QUERY);
        else
            memcpy(misses[n_misses++], typo[i], MAX_QUERY);
    }
    long n_ok, n_fuzzy;
    const double exact_rate = run(gz, exact, n_places, n, &n_ok, &n_fuzzy);
    printf("exact names:        %8ld lookups, %9.0f lookups/s (%ld resolved)\n", n, exact_rate,
           n_ok);
    const long n_f = n / 10 > 0 ? n / 10 : 1;
    const double mixed_rate = run(gz, typo, n_typo, n_f, &n_ok, &n_fuzzy);
    printf("names with a typo:  %8ld lookups, %9.0f lookups/s (%ld resolved, %ld fuzzy)\n", n_f,
           mixed_rate, n_ok, n_fuzzy);
    if (n_hits > 0) {
        const double rate = run(gz, hits, n_hits, n_f, &n_ok, &n_fuzzy);
        printf("  resolved ones:    %8ld lookups, %9.0f lookups/s (%zu distinct, %ld fuzzy)\n", n_f,
               rate, n_hits, n_fuzzy);
    }
    if (n_misses > 0) {
        const double rate = run(gz, misses, n_misses, n_f, &n_ok, &n_fuzzy);
        printf("  unresolved ones:  %8ld lookups, %9.0f lookups/s (%zu distinct, with "
               "suggestions)\n",
               n_f, rate, n_misses);
    }
    /* Initials for all but the last word of every name of three or more words of plain letters
     * ("Dera Ismail Khan" -> "D.I. Khan"; not "Chak Ninety-eight -Nine Left"): the abbreviation
     * path, a linear scan. */
    static const char LETTERS[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz ";
    char(*abbrev)[MAX_QUERY] = calloc(n_places + 1, MAX_QUERY);
    size_t n_abbrev = 0;
    for (size_t i = 0; abbrev != NULL && i < n_places; i++) {
        const char *last = strrchr(exact[i], ' '), *first = strchr(exact[i], ' ');
        if (last == NULL || last == first || strspn(exact[i], LETTERS) != strlen(exact[i]))
            continue; /* two initials at least: names of three or more plain words */
        size_t k = 0;
        for (const char *w = exact[i]; w < last && k + 3 < MAX_QUERY; w = strchr(w, ' ') + 1) {
            abbrev[n_abbrev][k++] = *w;
            abbrev[n_abbrev][k++] = '.';
        }
        snprintf(abbrev[n_abbrev] + k, MAX_QUERY - k, "%s", last);
        n_abbrev++;
    }
    if (n_abbrev > 0) {
        const double rate = run(gz, abbrev, n_abbrev, n_f, &n_ok, &n_fuzzy);
        printf("abbreviated names:  %8ld lookups, %9.0f lookups/s (%zu distinct, %ld resolved)\n",
               n_f, rate, n_abbrev, n_ok);
    }
    free(abbrev);
    if (argc > 3 && time_query_table(gz, argv[3], n_f) != 0)
        return 3;
    free(hits);
    free(misses);
    free(exact);
    free(typo);
    bm_gazetteer_free(gz);
    return 0;
}
