/* SPDX-License-Identifier: MIT */
/* gazetteer_match.c - lookups: by id, exact, variant, abbreviated, loose and fuzzy matches,
 * context ("Kech, Balochistan") and suggestions. See gazetteer.c for the design. */
#include "gazetteer_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_buf.h"
#include "bm_hash.h"
#include "utf8.h"

/* ---- Lookup ---------------------------------------------------------------------------- */

const bm_place *bm_gazetteer_by_id(const bm_gazetteer *gz, const char *id) {
    size_t lo = 0, hi = gz->n_recs;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (strcmp(gz->by_id[mid]->pub.id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < gz->n_recs && strcmp(gz->by_id[lo]->pub.id, id) == 0 ? &gz->by_id[lo]->pub : NULL;
}

typedef struct cand {
    uint32_t place;
    int quality;
    double score;
    const char *matched;
    int standing;     /* set_standing: 0 a unit, a seat or the user's own place; 1 a village */
    int is_preferred; /* set_standing: a user's place that overrides namesakes by name */
} cand;

typedef struct cand_set {
    cand items[MAX_CANDIDATES];
    size_t n;
} cand_set;

static void cand_add(cand_set *cs, uint32_t place, int quality, double score, const char *matched) {
    for (size_t i = 0; i < cs->n; i++) {
        cand *c = &cs->items[i];
        if (c->place != place)
            continue;
        if (quality < c->quality || (quality == c->quality && score > c->score))
            *c = (cand){place, quality, score, matched, 0, 0};
        return;
    }
    if (cs->n < MAX_CANDIDATES)
        cs->items[cs->n++] = (cand){place, quality, score, matched, 0, 0};
}

/* First index in e[0..n) whose key is not less than key. */
static size_t lower_bound(const key_entry *e, size_t n, const char *key) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (strcmp(e[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int kind_rank(bm_place_kind k) {
    return (int)k; /* town, district, province, country, region */
}

/* Compares how well two candidates answer the query; 0 means a tie that only data order
 * would break. Order: the wanted kind (when one is given); match quality; fuzzy score; for
 * BM_KIND_ANY in one region, standing (a district, province or seat town before a village of
 * the same name: set_standing); the user's own table (not a bulk file such as a GeoNames dump,
 * whose villages are every place of a name, not a choice among them); then, for BM_KIND_ANY,
 * Balochistan before the rest of Pakistan before elsewhere and towns before districts, and for a
 * given kind the other way round; then a town at least POPULATION_RATIO times the population of
 * its namesake. Region comes first for BM_KIND_ANY because "Nasirabad" in a report on
 * Balochistan is the district there, not the town of that name in Sindh. When why is not NULL
 * it is set to the rule that decided (for the geocode output). */
static int rank_cmp_why(const bm_gazetteer *gz, bm_place_kind want, const cand *a, const cand *b,
                        const char **why) {
    const place_rec *ra = gz->recs[a->place], *rb = gz->recs[b->place];
    const char *unused;
    if (why == NULL)
        why = &unused;
    if (want != BM_KIND_ANY) {
        const int ma = ra->pub.kind != want, mb = rb->pub.kind != want;
        *why = "the kind asked for";
        if (ma != mb)
            return ma - mb;
    }
    *why = "a closer spelling";
    if (a->quality != b->quality)
        return a->quality - b->quality;
    if (a->quality == Q_FUZZY && fabs(a->score - b->score) > 1e-9)
        return a->score > b->score ? -1 : 1;
    const int ga = ra->region, gb = rb->region;
    *why = "a bare name means the unit (district, tehsil) or the seat town of that name, never "
           "a village (say the village's district to mean it)";
    if (want == BM_KIND_ANY && ga == gb && a->standing != b->standing)
        return a->standing - b->standing;
    /* a bulk file's row is preferred only over a place of its own kind (a village over a
     * village): a dump's district never displaces the town that is its seat */
    const int pa = a->is_preferred && (!ra->is_bulk || ra->pub.kind == rb->pub.kind);
    const int pb = b->is_preferred && (!rb->is_bulk || rb->pub.kind == ra->pub.kind);
    *why = "your own gazetteer's place";
    if (pa != pb)
        return pa ? -1 : 1;
    const int ka = kind_rank(ra->pub.kind), kb = kind_rank(rb->pub.kind);
    *why = "Balochistan's place before namesakes elsewhere";
    if (want == BM_KIND_ANY && ga != gb)
        return ga - gb;
    /* In one region, a place with a coordinate before a namesake known by name only: a district
     * or a seat before a village known by name only (which a stated district picks). Across
     * regions the region decides first, so "Mirabad" is the Kech one, known by name only, and
     * never Mirabad in Afghanistan. Two villages are a tie either way: one without a
     * coordinate is still a namesake. */
    *why = "a place with a coordinate before one known by name only";
    if (ga == gb && isnan(ra->pub.lat_deg) != isnan(rb->pub.lat_deg) &&
        (a->standing == 0 || b->standing == 0))
        return isnan(ra->pub.lat_deg) ? 1 : -1;
    *why = want == BM_KIND_ANY ? "a town before the district of its name" : "the kind asked for";
    if (ka != kb)
        return ka - kb;
    *why = "the region";
    if (ga != gb)
        return ga - gb;
    /* A namesake ten times smaller is not a serious rival ("Hub" the city, not a hamlet); closer
     * sizes stay a tie, which lookups refuse as ambiguous. Unknown populations never decide. */
    *why = "ten times the population of its namesake";
    if (ra->population > 0 && rb->population > 0) {
        if (ra->population >= POPULATION_RATIO * rb->population)
            return -1;
        if (rb->population >= POPULATION_RATIO * ra->population)
            return 1;
    }
    *why = "";
    return 0;
}

static int rank_cmp(const bm_gazetteer *gz, bm_place_kind want, const cand *a, const cand *b) {
    return rank_cmp_why(gz, want, a, b, NULL);
}

static int full_cmp(const bm_gazetteer *gz, bm_place_kind want, const cand *a, const cand *b) {
    const int c = rank_cmp(gz, want, a, b);
    if (c != 0)
        return c;
    const place_rec *ra = gz->recs[a->place], *rb = gz->recs[b->place];
    /* the same place in a user's file and the built-in data: the user's row */
    if (ra->is_user != rb->is_user)
        return ra->is_user ? -1 : 1;
    if (ra->population != rb->population)
        return ra->population > rb->population ? -1 : 1;
    return ra->order < rb->order ? -1 : (ra->order > rb->order);
}

static double distance_km(const bm_place *a, const bm_place *b);

/* Standing among the candidates of one name: a district, province, region or country; a seat
 * (a GeoNames PPLA..PPLA3 or PPLC, an OpenStreetMap city or town, a tehsil); a row of the user's
 * own table; or a town within SAME_PLACE_KM of a unit of that name among the candidates (its
 * headquarters: built-in district points are their headquarters) are 0. Every other town or
 * village is 1: a bare name never picks one of those over a unit or seat of the same name. */
static void set_standing(const bm_gazetteer *gz, cand_set *cs, bool is_district_said) {
    for (size_t i = 0; i < cs->n; i++) {
        const place_rec *r = gz->recs[cs->items[i].place];
        /* A user's table overrides by name; a bulk file (every village of a name) only among
         * the places of a district the query states ("Hirok, Kech" from a dataset's points). */
        cs->items[i].is_preferred = r->is_user && (!r->is_bulk || is_district_said);
        int standing =
            r->pub.kind != BM_KIND_TOWN || r->is_seat || (r->is_user && !r->is_bulk) ? 0 : 1;
        for (size_t k = 0; standing == 1 && k < cs->n; k++) {
            const place_rec *u = gz->recs[cs->items[k].place];
            if (u->pub.kind != BM_KIND_TOWN && u->region == r->region &&
                distance_km(&u->pub, &r->pub) <= SAME_PLACE_KM)
                standing = 0;
        }
        cs->items[i].standing = standing;
    }
}

static void cand_sort(const bm_gazetteer *gz, bm_place_kind want, cand_set *cs,
                      bool is_district_said) {
    set_standing(gz, cs, is_district_said);
    for (size_t i = 1; i < cs->n; i++) {
        const cand c = cs->items[i];
        size_t j = i;
        while (j > 0 && full_cmp(gz, want, &c, &cs->items[j - 1]) < 0) {
            cs->items[j] = cs->items[j - 1];
            j--;
        }
        cs->items[j] = c;
    }
}

static double distance_km(const bm_place *a, const bm_place *b) {
    const double rad = 3.14159265358979323846 / 180.0;
    const double dlat = (b->lat_deg - a->lat_deg) * rad, dlon = (b->lon_deg - a->lon_deg) * rad;
    const double h = sin(dlat / 2) * sin(dlat / 2) +
                     cos(a->lat_deg * rad) * cos(b->lat_deg * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * EARTH_RADIUS_KM * asin(sqrt(h < 1 ? h : 1));
}

static bool same_area_name(const char *a, const char *b) {
    char na[NORM_MAX], nb[NORM_MAX], sa[NORM_MAX], sb[NORM_MAX];
    if (bm_gz_normalise(a, na, sizeof na, NULL) == 0 ||
        bm_gz_normalise(b, nb, sizeof nb, NULL) == 0)
        return false;
    bm_gz_skeletonise(na, sa, sizeof sa);
    bm_gz_skeletonise(nb, sb, sizeof sb);
    return strcmp(sa, sb) == 0;
}

/* Two candidates that are one place: rows closer than SAME_PLACE_KM; two units of the same kind
 * and name in one province (a dump's district centroid and the built-in headquarters); or a
 * town known by name only and a namesake town with a point in the same district (the point is
 * the only one known for that name there). */
static bool is_same_place(const bm_place *a, const bm_place *b) {
    if (a->kind != BM_KIND_TOWN && a->kind == b->kind && a->admin1[0] != '\0' &&
        strcmp(a->admin1, b->admin1) == 0 && strcmp(a->country, b->country) == 0)
        return true;
    if (isnan(a->lat_deg) != isnan(b->lat_deg) && a->kind == BM_KIND_TOWN &&
        b->kind == BM_KIND_TOWN && a->admin2[0] != '\0' && same_area_name(a->admin2, b->admin2) &&
        (a->country[0] == '\0' || b->country[0] == '\0' || strcmp(a->country, b->country) == 0))
        return true;
    return distance_km(a, b) <= SAME_PLACE_KM;
}

static void find_fuzzy(const bm_gazetteer *gz, const char *skel, size_t len, cand_set *cs) {
    if (len < FUZZY_MIN_LEN || len > FUZZY_MAX_LEN)
        return;
    /* One edit up to 8 letters, two beyond: "Mastang" for Mastung, "Dera Murad Jamli". */
    const int cap = len <= 8 ? 1 : 2;
    const uint32_t mask = bm_gz_letter_mask(skel, len);
    const unsigned char first = (unsigned char)skel[0];
    const size_t min_len = len - (size_t)cap;
    /* Typos rarely hit the first letter, and q/k, g/k or j/z there are different names. */
    size_t lo = 0, hi = gz->n_skels;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        const key_entry *e = &gz->fuzzy[mid];
        const unsigned char f = (unsigned char)e->key[0];
        if (f < first || (f == first && e->sp->skel_len < min_len))
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < gz->n_skels; i++) {
        const key_entry *e = &gz->fuzzy[i];
        const size_t klen = e->sp->skel_len;
        if ((unsigned char)e->key[0] != first || klen > len + (size_t)cap)
            break;
        if (klen > FUZZY_MAX_LEN || bm_gz_popcount32(e->sp->mask ^ mask) > 2 * cap)
            continue;
        if (bm_edit_distance_within(skel, len, e->key, klen, cap) > cap)
            continue;
        const double score = bm_gz_jaro_winkler(skel, len, e->key, klen);
        if (score >= FUZZY_MIN_SCORE)
            cand_add(cs, e->place, Q_FUZZY, score, e->sp->text);
    }
}

/* ---- Abbreviations -------------------------------------------------------------------- */

/* Pakistani press shortens the leading words of long names to initials: "D.I. Khan" or
 * "DI Khan" (Dera Ismail Khan), "D.G. Khan", "D.M. Jamali" (Dera Murad Jamali), "R.Y. Khan",
 * "T.T. Singh". A query is read as initials only when it says so in its spelling: letters
 * each followed by a dot, or a word of 2-3 capitals before another word. */
#define ABBREV_MAX_WORDS 8

typedef struct abbrev_query {
    char words[ABBREV_MAX_WORDS][NORM_MAX]; /* an initial is a one-letter word */
    bool is_initial[ABBREV_MAX_WORDS];
    size_t n;
} abbrev_query;

static bool abbrev_push(abbrev_query *q, const char *word, size_t len, bool is_initial) {
    if (q->n == ABBREV_MAX_WORDS || len == 0 || len >= NORM_MAX)
        return false;
    memcpy(q->words[q->n], word, len);
    q->words[q->n][len] = '\0';
    q->is_initial[q->n++] = is_initial;
    return true;
}

static bool is_ascii_letter(char c) {
    return (c | 32) >= 'a' && (c | 32) <= 'z';
}

/* Splits a raw query into initials and normalised words; false unless it has two or more
 * initials and a word. */
static bool parse_abbreviation(const char *name, abbrev_query *q) {
    q->n = 0;
    size_t n_initials = 0, n_words = 0;
    const char *p = name;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const size_t len = strcspn(p, " \t,");
        if (len == 0)
            break;
        /* "D.I.", "D.I" or "D.I.Khan": one letter and a dot, repeated, maybe then a word. */
        size_t n_dotted = 0;
        while (n_dotted + 1 < len && is_ascii_letter(p[n_dotted]) && p[n_dotted + 1] == '.' &&
               (n_dotted + 2 >= len || p[n_dotted + 2] != '.'))
            n_dotted += 2;
        if (n_dotted + 1 == len && is_ascii_letter(p[n_dotted]) && n_dotted > 0)
            n_dotted = len; /* "D.I" */
        bool capitals = len >= 2 && len <= 3 && p[len] != '\0';
        for (size_t i = 0; capitals && i < len; i++)
            capitals = p[i] >= 'A' && p[i] <= 'Z';
        const size_t n_initial_chars = capitals ? len : n_dotted;
        for (size_t i = 0; i < n_initial_chars; i += capitals ? 1 : 2) {
            const char c = (char)(p[i] | 32); /* an ASCII letter, checked above */
            if (!abbrev_push(q, &c, 1, true))
                return false;
            n_initials++;
        }
        if (n_initial_chars < len) {
            const char *rest = p + n_initial_chars;
            const size_t rest_len = len - n_initial_chars;
            char raw[NORM_MAX], norm[NORM_MAX];
            if (rest_len >= sizeof raw)
                return false;
            memcpy(raw, rest, rest_len);
            raw[rest_len] = '\0';
            const size_t n = bm_gz_normalise(raw, norm, sizeof norm, NULL);
            for (const char *w = norm; w < norm + n;) {
                const size_t wl = strcspn(w, " ");
                if (!abbrev_push(q, w, wl, false))
                    return false;
                n_words++;
                w += wl + (w[wl] == ' ');
            }
        }
        p += len;
    }
    /* "D.I. Khan District": the kind word is not part of the name. */
    if (q->n > 1 && !q->is_initial[q->n - 1] &&
        bm_gz_affix_index(q->words[q->n - 1], strlen(q->words[q->n - 1]), false) >= 0) {
        q->n--;
        n_words--;
    }
    /* One initial ("D. Khan") says too little: Darya Khan? Dera Ghazi Khan? */
    return n_initials >= 2 && n_words > 0;
}

/* Does a normalised spelling read as the query: same number of words, each initial the first
 * letter of its word, each whole word equal or a transliteration variant of it? */
static bool abbrev_matches(const abbrev_query *q, const char *norm) {
    const char *w = norm;
    for (size_t i = 0; i < q->n; i++) {
        if (*w == '\0')
            return false;
        const size_t wl = strcspn(w, " ");
        if (q->is_initial[i]) {
            if (w[0] != q->words[i][0] || wl < 2)
                return false;
        } else if (strlen(q->words[i]) != wl || memcmp(q->words[i], w, wl) != 0) {
            char a[NORM_MAX], b[NORM_MAX], word[NORM_MAX];
            memcpy(word, w, wl);
            word[wl] = '\0';
            bm_gz_skeletonise(word, a, sizeof a);
            bm_gz_skeletonise(q->words[i], b, sizeof b);
            if (strcmp(a, b) != 0)
                return false;
        }
        w += wl + (w[wl] == ' ');
    }
    return *w == '\0';
}

/* A linear scan, but only for queries written with initials (a few in a thousand names). */
static void find_abbreviated(const bm_gazetteer *gz, const char *name, cand_set *cs) {
    abbrev_query q;
    if (!parse_abbreviation(name, &q))
        return;
    for (size_t r = 0; r < gz->n_recs; r++) {
        const place_rec *rec = gz->recs[r];
        for (size_t s = 0; s < rec->n_spellings; s++) {
            if (abbrev_matches(&q, rec->spellings[s].norm)) {
                cand_add(cs, (uint32_t)r, Q_ABBREV, 1.0, rec->spellings[s].text);
                break;
            }
        }
    }
}

typedef struct suggestion {
    const char *name;
    int distance;
    double score;
} suggestion;

static bool suggestion_better(const suggestion *a, const suggestion *b) {
    return a->distance < b->distance || (a->distance == b->distance && a->score > b->score);
}

/* Names of the closest places for a "did you mean" hint, best first, distinct names: fewest
 * edits, then Jaro-Winkler. Looser than fuzzy matching (any first letter, up to half the
 * letters wrong): it only suggests. */
static size_t suggest(const bm_gazetteer *gz, const char *skel, size_t len,
                      const char *names[N_SUGGESTIONS]) {
    suggestion best[N_SUGGESTIONS];
    size_t n = 0;
    if (len == 0 || len > FUZZY_MAX_LEN)
        return 0;
    int cap = len / 2 > 2 ? (int)(len / 2) : 2;
    const uint32_t mask = bm_gz_letter_mask(skel, len);
    for (size_t i = 0; i < gz->n_skels; i++) {
        const key_entry *e = &gz->skels[i];
        const size_t klen = e->sp->skel_len;
        if (klen > FUZZY_MAX_LEN || klen + (size_t)cap < len || klen > len + (size_t)cap ||
            bm_gz_popcount32(e->sp->mask ^ mask) > 2 * cap)
            continue;
        /* Once the list is full, only as few edits as its worst entry can get in. */
        if (n == N_SUGGESTIONS && best[n - 1].distance < cap)
            cap = best[n - 1].distance;
        const int d = bm_edit_distance_within(skel, len, e->key, klen, cap);
        if (d > cap)
            continue;
        const suggestion c = {gz->recs[e->place]->pub.name, d,
                              bm_gz_jaro_winkler(skel, len, e->key, klen)};
        size_t at = n;
        for (size_t j = 0; j < n; j++) {
            if (strcmp(best[j].name, c.name) == 0) {
                at = j;
                break;
            }
        }
        if (at < n) { /* the same name again: keep the better, then restore the order */
            if (!suggestion_better(&c, &best[at]))
                continue;
            best[at] = c;
        } else if (n < N_SUGGESTIONS) {
            best[n++] = c;
            at = n - 1;
        } else if (suggestion_better(&c, &best[n - 1])) {
            best[n - 1] = c;
            at = n - 1;
        } else {
            continue;
        }
        while (at > 0 && suggestion_better(&best[at], &best[at - 1])) {
            const suggestion t = best[at];
            best[at] = best[at - 1];
            best[at - 1] = t;
            at--;
        }
    }
    for (size_t j = 0; j < n; j++)
        names[j] = best[j].name;
    return n;
}

static void describe_place(const bm_place *pl, char *out, size_t size) {
    const char *where = pl->admin2[0] != '\0' ? pl->admin2 : pl->admin1;
    if (where[0] != '\0' && strcmp(where, pl->name) != 0)
        snprintf(out, size, "'%s' (%s %s, %s, %s)", pl->name, bm_place_kind_name(pl->kind), pl->id,
                 where, pl->country);
    else
        snprintf(out, size, "'%s' (%s %s, %s)", pl->name, bm_place_kind_name(pl->kind), pl->id,
                 pl->country);
}

/* ---- Context -------------------------------------------------------------------------- */

#define MAX_CONTEXT_TEXT 256

/* A stated district, province or country, resolved once per lookup. */
typedef struct area_ref {
    bool is_set;
    char text[MAX_CONTEXT_TEXT]; /* as stated, for messages */
    char skel[NORM_MAX];         /* its skeleton */
    const place_rec *rec;        /* the district or province row it names, or NULL */
} area_ref;

typedef struct context {
    area_ref district, province;
    area_ref tehsil; /* checked after the others: narrows, refuses only a known other tehsil */
    char country[3]; /* ISO alpha-2, "" if not stated */
    char country_text[MAX_CONTEXT_TEXT];
    const char *home; /* home country code, or NULL */
} context;

static const struct {
    const char *name; /* normalised */
    const char *code;
} countries[] = {{"pakistan", "PK"},
                 {"pk", "PK"},
                 {"iran", "IR"},
                 {"ir", "IR"},
                 {"afghanistan", "AF"},
                 {"af", "AF"},
                 {"india", "IN"},
                 {"oman", "OM"},
                 {"islamic republic of pakistan", "PK"},
                 {"islamic republic of iran", "IR"}};

const char *bm_gz_country_code(const char *norm) {
    for (size_t i = 0; i < sizeof countries / sizeof countries[0]; i++) {
        if (strcmp(countries[i].name, norm) == 0)
            return countries[i].code;
    }
    return NULL;
}

/* The district or province row a stated name means (name or alt_name, after normalising), or
 * NULL. A district row is preferred to a province row; Balochistan's first. */
static const place_rec *find_area(const bm_gazetteer *gz, const char *norm, bm_place_kind kind) {
    const place_rec *best = NULL;
    for (size_t i = lower_bound(gz->names, gz->n_names, norm);
         i < gz->n_names && strcmp(gz->names[i].key, norm) == 0; i++) {
        const place_rec *r = gz->recs[gz->names[i].place];
        if (r->pub.kind == kind && (best == NULL || r->region < best->region))
            best = r;
    }
    if (best != NULL)
        return best;
    /* a transliteration variant of the name ("Jaffarabad" for Jafarabad) */
    char skel[NORM_MAX];
    bm_gz_skeletonise(norm, skel, sizeof skel);
    for (size_t i = lower_bound(gz->skels, gz->n_skels, skel);
         i < gz->n_skels && strcmp(gz->skels[i].key, skel) == 0; i++) {
        const place_rec *r = gz->recs[gz->skels[i].place];
        if (r->pub.kind == kind && (best == NULL || r->region < best->region))
            best = r;
    }
    return best;
}

/* The place a stated tehsil names (any kind; Balochistan's first), for its other spellings. */
static const place_rec *find_named(const bm_gazetteer *gz, const char *norm) {
    const place_rec *best = NULL;
    for (size_t i = lower_bound(gz->names, gz->n_names, norm);
         i < gz->n_names && strcmp(gz->names[i].key, norm) == 0; i++) {
        const place_rec *r = gz->recs[gz->names[i].place];
        if (best == NULL || r->region < best->region)
            best = r;
    }
    return best;
}

static void area_set(area_ref *a, const char *text, const place_rec *rec) {
    char norm[NORM_MAX];
    a->is_set = true;
    snprintf(a->text, sizeof a->text, "%s", text);
    bm_gz_normalise(text, norm, sizeof norm, NULL);
    bm_gz_skeletonise(norm, a->skel, sizeof a->skel);
    a->rec = rec;
}

static char *trim_end(char *s) {
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* Reads one stated term ("Kech", "Balochistan", "Iran") into ctx if it names an area the
 * gazetteer knows and that field is still free; false if it names none. */
static bool context_term(const bm_gazetteer *gz, const char *raw, context *ctx) {
    char term[MAX_CONTEXT_TEXT];
    while (*raw == ' ' || *raw == '\t')
        raw++;
    snprintf(term, sizeof term, "%s", raw);
    trim_end(term);
    char norm[NORM_MAX];
    if (bm_gz_normalise(term, norm, sizeof norm, NULL) == 0)
        return false;
    const char *code = bm_gz_country_code(norm);
    if (code != NULL) {
        if (ctx->country[0] == '\0') {
            snprintf(ctx->country, sizeof ctx->country, "%s", code);
            snprintf(ctx->country_text, sizeof ctx->country_text, "%s", term);
        }
        return true;
    }
    const place_rec *d = find_area(gz, norm, BM_KIND_DISTRICT);
    if (d != NULL) {
        if (!ctx->district.is_set)
            area_set(&ctx->district, term, d);
        return true;
    }
    const place_rec *p = find_area(gz, norm, BM_KIND_PROVINCE);
    if (p != NULL) {
        if (!ctx->province.is_set)
            area_set(&ctx->province, term, p);
        return true;
    }
    return false;
}

/* Cuts context off the end of name (in place): "(Kech)" and ", Kech", repeatedly, while each
 * names a known area. */
static void split_context(const bm_gazetteer *gz, char *name, context *ctx) {
    for (;;) {
        trim_end(name);
        const size_t n = strlen(name);
        if (n > 0 && name[n - 1] == ')') {
            char *open = strrchr(name, '(');
            if (open == NULL || open == name)
                return;
            name[n - 1] = '\0';
            if (!context_term(gz, open + 1, ctx)) {
                name[n - 1] = ')'; /* a gloss: normalising drops it */
                return;
            }
            *open = '\0';
            continue;
        }
        char *comma = strrchr(name, ',');
        if (comma == NULL || comma == name || !context_term(gz, comma + 1, ctx))
            return;
        *comma = '\0';
    }
}

enum { CTX_IN, CTX_UNKNOWN, CTX_OUT };

static int area_check(const area_ref *a, const char *value) {
    if (!a->is_set)
        return CTX_IN;
    char norm[NORM_MAX], skel[NORM_MAX];
    if (bm_gz_normalise(value, norm, sizeof norm, NULL) == 0)
        return CTX_UNKNOWN;
    bm_gz_skeletonise(norm, skel, sizeof skel);
    if (strcmp(skel, a->skel) == 0)
        return CTX_IN;
    for (size_t i = 0; a->rec != NULL && i < a->rec->n_spellings; i++) {
        if (strcmp(skel, a->rec->spellings[i].skel) == 0)
            return CTX_IN;
    }
    return CTX_OUT;
}

/* Is the place inside what was stated? Unknown when the gazetteer does not say (a row without
 * admin2, say): such a place is taken only when none is known to be inside. */
static int context_check(const context *ctx, const place_rec *r) {
    int worst = CTX_IN;
    if (ctx->country[0] != '\0')
        worst = r->pub.country[0] == '\0'                                ? CTX_UNKNOWN
                : bm_gz_ascii_casecmp(r->pub.country, ctx->country) == 0 ? CTX_IN
                                                                         : CTX_OUT;
    const int p = area_check(&ctx->province, r->pub.admin1);
    const int d = area_check(&ctx->district, r->pub.admin2);
    if (p > worst)
        worst = p;
    if (d > worst)
        worst = d;
    return worst;
}

/* Is the place in the stated tehsil? In when its known tehsil (admin3) is the one stated, or
 * when it is the tehsil itself or its seat (named like it); unknown when the gazetteer does not
 * say; out when it names another. */
static int tehsil_check(const context *ctx, const place_rec *r) {
    if (!ctx->tehsil.is_set)
        return CTX_IN;
    for (size_t i = 0; i < r->n_spellings; i++) {
        if (strcmp(r->spellings[i].skel, ctx->tehsil.skel) == 0)
            return CTX_IN;
    }
    const char *admin3 = r->pub.admin3 != NULL ? r->pub.admin3 : "";
    return admin3[0] == '\0' ? CTX_UNKNOWN : area_check(&ctx->tehsil, admin3);
}

static bool context_is_set(const context *ctx) {
    return ctx->district.is_set || ctx->province.is_set || ctx->country[0] != '\0';
}

static void describe_context(const context *ctx, char *out, size_t size) {
    size_t k = 0;
    out[0] = '\0';
    const char *parts[3] = {ctx->district.is_set ? ctx->district.text : NULL,
                            ctx->province.is_set ? ctx->province.text : NULL,
                            ctx->country[0] != '\0' ? ctx->country_text : NULL};
    for (size_t i = 0; i < 3; i++) {
        if (parts[i] != NULL && k < size)
            k += (size_t)snprintf(out + k, size - k, "%s%s", k > 0 ? ", " : "", parts[i]);
    }
}

/* ---- Lookup ---------------------------------------------------------------------------- */

/* Candidates by the vowel-alternation rule (bm_gz_loosen); refused when they are more than one
 * name. */
static bool find_loose(const bm_gazetteer *gz, const char *skel, size_t n_skel, cand_set *cs,
                       bm_error *err, const char *name) {
    char loose[NORM_MAX];
    bm_gz_loosen(skel, loose, sizeof loose);
    if (n_skel < FUZZY_MIN_LEN)
        return true; /* "Tump" / "Tamp": too short to tell a vowel from another name */
    const char *first_skel = NULL;
    for (size_t i = lower_bound(gz->loose, gz->n_loose, loose);
         i < gz->n_loose && strcmp(gz->loose[i].key, loose) == 0; i++) {
        const key_entry *e = &gz->loose[i];
        if (!bm_gz_one_vowel_apart(skel, e->sp->skel))
            continue;
        if (first_skel != NULL && strcmp(first_skel, e->sp->skel) != 0) {
            const place_rec *a = gz->recs[cs->items[0].place], *b = gz->recs[e->place];
            bm_error_set(err, BM_ERR_AMBIGUOUS,
                         "place '%s' is spelled like two different names, '%s' (%s) and '%s' "
                         "(%s), by a vowel or w/v alternation",
                         name, a->pub.name, a->pub.admin2[0] ? a->pub.admin2 : a->pub.country,
                         b->pub.name, b->pub.admin2[0] ? b->pub.admin2 : b->pub.country);
            bm_error_hint(err,
                          "write the name as one of them, or pin the place by its "
                          "gazetteer id ('%s' or '%s')",
                          a->pub.id, b->pub.id);
            return false;
        }
        first_skel = e->sp->skel;
        cand_add(cs, e->place, Q_LOOSE, 1.0, e->sp->text);
    }
    return true;
}

/* m->why: the rule that set aside the namesakes that are other places (the first one's rule),
 * and those places with their districts; "" when every other candidate is the same place. */
static void explain(const bm_gazetteer *gz, bm_place_kind want, const cand_set *cs,
                    bm_place_match *m) {
    const bm_place *top = &gz->recs[cs->items[0].place]->pub;
    size_t k = 0;
    m->why[0] = '\0';
    for (size_t i = 1; i < cs->n && k < sizeof m->why; i++) {
        const bm_place *other = &gz->recs[cs->items[i].place]->pub;
        if (is_same_place(top, other))
            continue;
        const char *rule = "";
        rank_cmp_why(gz, want, &cs->items[0], &cs->items[i], &rule);
        const char *where = other->admin2[0] != '\0' ? other->admin2 : other->admin1;
        k += (size_t)snprintf(m->why + k, sizeof m->why - k, "%snot %s %s (%s%s%s): %s",
                              k > 0 ? "; " : "", bm_place_kind_name(other->kind), other->id, where,
                              where[0] != '\0' ? ", " : "", other->country, rule);
    }
}

bm_status bm_gazetteer_lookup(const bm_gazetteer *gz, const char *name, bm_place_kind want,
                              bm_place_match *out, bm_error *err) {
    return bm_gazetteer_lookup_in(gz, name, want, NULL, out, err);
}

bm_status bm_gazetteer_lookup_in(const bm_gazetteer *gz, const char *name, bm_place_kind want,
                                 const bm_place_context *pctx, bm_place_match *out, bm_error *err) {
    if (name == NULL)
        return bm_error_set(err, BM_ERR_INVALID, "no place name given");
    context ctx;
    memset(&ctx, 0, sizeof ctx);
    if (pctx != NULL) {
        if (pctx->district != NULL && pctx->district[0] != '\0') {
            char norm[NORM_MAX];
            bm_gz_normalise(pctx->district, norm, sizeof norm, NULL);
            area_set(&ctx.district, pctx->district, find_area(gz, norm, BM_KIND_DISTRICT));
        }
        if (pctx->province != NULL && pctx->province[0] != '\0') {
            char norm[NORM_MAX];
            bm_gz_normalise(pctx->province, norm, sizeof norm, NULL);
            area_set(&ctx.province, pctx->province, find_area(gz, norm, BM_KIND_PROVINCE));
        }
        if (pctx->country != NULL && pctx->country[0] != '\0') {
            char norm[NORM_MAX];
            bm_gz_normalise(pctx->country, norm, sizeof norm, NULL);
            const char *code = bm_gz_country_code(norm);
            snprintf(ctx.country, sizeof ctx.country, "%s", code != NULL ? code : pctx->country);
            snprintf(ctx.country_text, sizeof ctx.country_text, "%s", pctx->country);
        }
        ctx.home =
            pctx->home_country != NULL && pctx->home_country[0] != '\0' ? pctx->home_country : NULL;
        if (pctx->tehsil != NULL && pctx->tehsil[0] != '\0') {
            char norm[NORM_MAX];
            if (bm_gz_normalise(pctx->tehsil, norm, sizeof norm, NULL) > 0)
                area_set(&ctx.tehsil, pctx->tehsil, find_named(gz, norm));
        }
    }
    char base[NORM_MAX * 2];
    snprintf(base, sizeof base, "%s", name);
    split_context(gz, base, &ctx);

    char norm[NORM_MAX], skel[NORM_MAX];
    bm_place_kind hint = BM_KIND_ANY;
    const size_t n_norm = bm_gz_normalise(base, norm, sizeof norm, &hint);
    if (n_norm == 0) {
        bm_error_set(err, BM_ERR_NOT_FOUND, "place name '%s' has no letters or digits", name);
        return BM_ERR_NOT_FOUND;
    }
    if (want == BM_KIND_ANY)
        want = hint; /* "Kharan District" means the district */
    size_t n_skel = bm_gz_skeletonise(norm, skel, sizeof skel);

    cand_set cs;
    cs.n = 0;
    for (int pass = 0; pass < 2 && cs.n == 0; pass++) {
        if (pass == 1) { /* "Chaman border": the town, when the whole matched nothing */
            if (bm_gz_strip_descriptor(norm) == 0)
                break;
            n_skel = bm_gz_skeletonise(norm, skel, sizeof skel);
        }
        for (size_t i = lower_bound(gz->names, gz->n_names, norm);
             i < gz->n_names && strcmp(gz->names[i].key, norm) == 0; i++) {
            const key_entry *e = &gz->names[i];
            cand_add(&cs, e->place, e->is_alt ? Q_ALT : Q_EXACT, 1.0, e->sp->text);
        }
        for (size_t i = lower_bound(gz->skels, gz->n_skels, skel);
             i < gz->n_skels && strcmp(gz->skels[i].key, skel) == 0; i++)
            cand_add(&cs, gz->skels[i].place, Q_SKELETON, 1.0, gz->skels[i].sp->text);
    }
    if (cs.n == 0)
        find_abbreviated(gz, base, &cs);
    if (cs.n == 0 && !find_loose(gz, skel, n_skel, &cs, err, name))
        return BM_ERR_AMBIGUOUS;
    if (cs.n == 0)
        find_fuzzy(gz, skel, n_skel, &cs);

    if (cs.n == 0) {
        const char *names[N_SUGGESTIONS];
        const size_t n = suggest(gz, skel, n_skel, names);
        bm_error_set(err, BM_ERR_NOT_FOUND, "unknown place '%s'", name);
        if (n == 0) {
            bm_error_hint(err, "add it to a gazetteer file of your own (name, lat, lon) or give "
                               "its coordinates");
        } else {
            char list[200];
            size_t k = 0;
            for (size_t i = 0; i < n && k < sizeof list; i++)
                k += (size_t)snprintf(list + k, sizeof list - k, "%s'%s'", i ? ", " : "", names[i]);
            bm_error_hint(err, "did you mean %s?", list);
        }
        return BM_ERR_NOT_FOUND;
    }

    /* A spelling rule never overrides an attested name: when the name as written is a place's
     * name or alt_name, a place reached only by a rule is not a candidate, so that context
     * cannot leave it alone ("Sohrab, Kalat" is not Surab). */
    bool is_attested = false;
    for (size_t i = 0; i < cs.n; i++)
        is_attested = is_attested || cs.items[i].quality <= Q_ALT;
    if (is_attested) {
        size_t k = 0;
        for (size_t i = 0; i < cs.n; i++) {
            if (cs.items[i].quality <= Q_ALT)
                cs.items[k++] = cs.items[i];
        }
        cs.n = k;
    }

    /* A namesake with a point set aside below because its district is unknown while another
     * is known to be inside: named in the message if the one kept has no coordinate. */
    const bm_place *set_aside = NULL;
    /* A stated district, province or country: keep the candidates inside it (or, when none is
     * known to be inside, those the gazetteer cannot place in any district), never one outside. */
    if (context_is_set(&ctx)) {
        int best = CTX_OUT;
        for (size_t i = 0; i < cs.n; i++) {
            const int c = context_check(&ctx, gz->recs[cs.items[i].place]);
            if (c < best)
                best = c;
        }
        if (best == CTX_OUT) {
            cand_sort(gz, want, &cs, ctx.district.is_set);
            char stated[3 * MAX_CONTEXT_TEXT], what[200];
            describe_context(&ctx, stated, sizeof stated);
            describe_place(&gz->recs[cs.items[0].place]->pub, what, sizeof what);
            bm_error_set(err, BM_ERR_NOT_FOUND,
                         "place '%s' is outside %s, where it is said to be: the gazetteer's "
                         "'%s' is %s%s",
                         name, stated, base, what,
                         cs.n > 1 ? " (and other namesakes, none there either)" : "");
            bm_error_hint(err,
                          "check the district; if the place in %s is meant, pin it in the "
                          "incident file's \"places\" with lat and lon (and a source), or "
                          "add it with --gazetteer FILE",
                          stated);
            return BM_ERR_NOT_FOUND;
        }
        size_t k = 0;
        for (size_t i = 0; i < cs.n; i++) {
            const int c = context_check(&ctx, gz->recs[cs.items[i].place]);
            const bm_place *pl = &gz->recs[cs.items[i].place]->pub;
            if (c == best)
                cs.items[k++] = cs.items[i];
            else if (c == CTX_UNKNOWN && set_aside == NULL && !isnan(pl->lat_deg))
                set_aside = pl;
        }
        cs.n = k;
    }
    /* The tehsil (admin3), among what the district left: a candidate known to be inside before
     * one whose tehsil is unknown; refused only when every candidate is known to be elsewhere. */
    if (ctx.tehsil.is_set) {
        int best = CTX_OUT;
        for (size_t i = 0; i < cs.n; i++) {
            const int c = tehsil_check(&ctx, gz->recs[cs.items[i].place]);
            if (c < best)
                best = c;
        }
        if (best == CTX_OUT) {
            cand_sort(gz, want, &cs, ctx.district.is_set);
            const bm_place *top = &gz->recs[cs.items[0].place]->pub;
            char what[200];
            describe_place(top, what, sizeof what);
            bm_error_set(err, BM_ERR_NOT_FOUND,
                         "place '%s' is outside %s tehsil, where it is said to be: the "
                         "gazetteer's '%s' is %s, in %s tehsil%s",
                         name, ctx.tehsil.text, base, what, top->admin3,
                         cs.n > 1 ? " (and other namesakes, none there either)" : "");
            bm_error_hint(err,
                          "check the tehsil (admin3); if the place in %s is meant, pin it in the "
                          "incident file's \"places\" with lat and lon (and a source), or add "
                          "it with --gazetteer FILE",
                          ctx.tehsil.text);
            return BM_ERR_NOT_FOUND;
        }
        size_t k = 0;
        for (size_t i = 0; i < cs.n; i++) {
            if (tehsil_check(&ctx, gz->recs[cs.items[i].place]) == best)
                cs.items[k++] = cs.items[i];
        }
        cs.n = k;
    }

    cand_sort(gz, want, &cs, ctx.district.is_set);
    const bm_place *top = &gz->recs[cs.items[0].place]->pub;
    size_t n_tied = 0;
    char ids[200];
    size_t k_ids = (size_t)snprintf(ids, sizeof ids, "'%s'", top->id);
    char others[400] = "";
    size_t k_others = 0;
    for (size_t i = 1; i < cs.n; i++) {
        const bm_place *other = &gz->recs[cs.items[i].place]->pub;
        if (rank_cmp(gz, want, &cs.items[0], &cs.items[i]) != 0 || is_same_place(top, other))
            continue;
        if (n_tied++ < 3 && k_others < sizeof others) {
            char one[200];
            describe_place(other, one, sizeof one);
            k_others += (size_t)snprintf(others + k_others, sizeof others - k_others, ", %s", one);
        }
        if (k_ids < sizeof ids)
            k_ids += (size_t)snprintf(ids + k_ids, sizeof ids - k_ids, " or '%s'", other->id);
    }
    if (n_tied > 0) {
        char first[200];
        describe_place(top, first, sizeof first);
        bm_error_set(err, BM_ERR_AMBIGUOUS, "ambiguous place '%s': %zu %ss match equally: %s%s%s",
                     name, n_tied + 1, bm_place_kind_name(top->kind), first, others,
                     n_tied > 3 ? ", ..." : "");
        bm_error_hint(err,
                      "give its district (\"%s, DISTRICT\"), pin one by gazetteer id in the "
                      "incident file (%s) or give its coordinates",
                      base, ids);
        return BM_ERR_AMBIGUOUS;
    }

    if (isnan(top->lat_deg)) {
        char what[200];
        describe_place(top, what, sizeof what);
        /* A namesake with a point that the context does not rule out (a dump's row without
         * its district, say) may be the same place, or not: say so, never take it (audit: the
         * hint asked for --gazetteer FILE of a user who had just given it). */
        const bm_place *other = set_aside;
        for (size_t i = 1; i < cs.n && other == NULL; i++) {
            const bm_place *pl = &gz->recs[cs.items[i].place]->pub;
            if (cs.items[i].quality <= Q_ALT && !isnan(pl->lat_deg))
                other = pl;
        }
        bm_error_set(err, BM_ERR_NOT_FOUND,
                     "place '%s' is %s, which the gazetteer knows by name but has no coordinate "
                     "for",
                     name, what);
        if (other != NULL) {
            char also[200];
            describe_place(other, also, sizeof also);
            bm_error_hint(err,
                          "%s has a point but is not known to be the same place; if it is, pin "
                          "it by its gazetteer id %s in the incident file's \"places\"; "
                          "otherwise give lat and lon (and a source)",
                          also, other->id);
        } else {
            bm_error_hint(err, "pin it in the incident file's \"places\" with lat and lon (and a "
                               "source), or add it with --gazetteer FILE");
        }
        return BM_ERR_NOT_FOUND;
    }

    /* Out of area: the file is about home; a place outside it needs its country said. */
    if (ctx.home != NULL && ctx.country[0] == '\0' && top->country[0] != '\0' &&
        bm_gz_ascii_casecmp(top->country, ctx.home) != 0) {
        char what[200];
        describe_place(top, what, sizeof what);
        bm_error_set(err, BM_ERR_NOT_FOUND,
                     "place '%s' is %s, outside %s, the country this file is about", name, what,
                     ctx.home);
        bm_error_hint(err,
                      "if that place is meant, say its country (\"%s, %s\"); otherwise pin the "
                      "place in the incident file's \"places\" with lat and lon (and a source)",
                      base, top->country);
        return BM_ERR_NOT_FOUND;
    }

    bm_place_match m;
    memset(&m, 0, sizeof m);
    m.place = top;
    m.matched = cs.items[0].matched;
    switch (cs.items[0].quality) {
    case Q_EXACT:
        m.how = BM_MATCH_EXACT;
        break;
    case Q_ALT:
        m.how = BM_MATCH_ALIAS;
        break;
    case Q_SKELETON:
    case Q_LOOSE:
        m.how = BM_MATCH_VARIANT;
        break;
    case Q_ABBREV:
        m.how = BM_MATCH_ABBREVIATION;
        break;
    default:
        m.how = BM_MATCH_FUZZY;
        break;
    }
    m.score = cs.items[0].score;
    for (size_t i = 1; i < cs.n && m.n_alternatives < BM_MAX_ALTERNATIVES; i++)
        m.alternatives[m.n_alternatives++] = &gz->recs[cs.items[i].place]->pub;
    explain(gz, want, &cs, &m);
    *out = m;
    return BM_OK;
}
