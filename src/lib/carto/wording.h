/* SPDX-License-Identifier: MIT */
/* carto/wording.h - every word the map itself says, in one place.
 *
 * Labels, legend sentences, headings and notes: what a reader sees and what the project's
 * honesty rules apply to ("claimed", "not independently verified", "at least"). Functions that
 * write into out truncate to out_size; the others return static strings. */
#ifndef BM_CARTO_WORDING_H
#define BM_CARTO_WORDING_H

#include <stdbool.h>
#include <stddef.h>

#include "carto/input.h"
#include "geocode.h"
#include "incidents.h"

/* A name (a source's label, a place) as it goes into a sentence: unchanged when it has no
 * right-to-left letters, else between U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL
 * ISOLATE, so that the bidi algorithm orders it as one unit and "BLF بی, 12 Mar" does not
 * become "BLF 12 بی, Mar" (digits after Arabic letters join their run). Returns name or buf. */
#define BM_WORDS_NAME_MAX 512
const char *bm_words_name(const char *name, char buf[BM_WORDS_NAME_MAX]);
/* Whether a UTF-8 string has a right-to-left letter (Arabic, Hebrew and their presentation
 * forms). */
bool bm_words_has_rtl(const char *utf8);

/* The map's own words in lang: the English sentence itself, or its translation from the table
 * in wording.c keyed by the English text (English without an entry stays English). */
const char *bm_words_tr(bm_lang lang, const char *en);
/* "en" or "ur" to a bm_lang; false for another word. */
bool bm_words_lang_parse(const char *word, bm_lang *out);

/* "militants", "security personnel", "civilians", "people". */
const char *bm_words_party(bm_lang lang, bm_party p);
/* "military", "armed group", ... for a source's kind; "" for none. */
const char *bm_words_source_kind(bm_lang lang, const char *kind);
/* "92 militants killed", "3 targets attacked"; in English singular for exactly 1 ("1 person
 * killed", "1 vehicle destroyed"). */
void bm_words_headline(bm_lang lang, const bm_claim *cl, char *out, size_t out_size);
/* "2026-01-31" -> "31 Jan" (the year is in the title or subtitle). */
void bm_words_day(bm_lang lang, const char *iso, char *out, size_t out_size);
/* "2026-01-31" -> "31 Jan 2026": for data spanning more than one year. */
void bm_words_day_year(bm_lang lang, const char *iso, char *out, size_t out_size);

/* A claim's label: its figure, source, day (with the year when with_year), how many places;
 * only the figure for a share; for a sum, how many events and their years ("ACLED · 14
 * events, 2021-2024"). */
void bm_words_claim_label(bm_lang lang, const bm_located_claim *lc, const bm_source *src,
                          bool with_year, char *out, size_t out_size);
/* A place's label: "Kech district (Turbat)", "Balochistan (whole province)". */
void bm_words_place_label(const bm_located_place *pl, char *out, size_t out_size);

/* The legend: "Claimed killed: militants only". */
void bm_words_legend_heading(bm_lang lang, bm_quantity measure, int party, char *out,
                             size_t out_size);
/* What a circle is, and that the figures are claims. */
const char *bm_words_circle_note(bm_lang lang, bool is_allocated_even);
/* "As of 31 Jan 2026: each source's latest figure by then. 2 later claims are not shown." */
void bm_words_as_of(bm_lang lang, const char *as_of, size_t n_later, char *out, size_t out_size);
/* The symbol keys, by role: key-leader, key-upper, key-place, key-district. */
const char *bm_words_key(bm_lang lang, const char *role, bool is_allocated_even);
/* A listed claim not sized on the map (its figure or quote, running total, day, split). */
void bm_words_also_claimed(bm_lang lang, const bm_claim *cl, const bm_source *src, bool is_split,
                           char *out, size_t out_size);
/* How vague words were read. */
const char *bm_words_vague_note(bm_lang lang);

#define BM_WORDS_CHANGES_HEADING  "How the figures changed"
#define BM_WORDS_ALSO_HEADING     "Also claimed, not sized on the map"
#define BM_WORDS_CALLOUTS_HEADING "Numbered on the map for lack of room"
#define BM_WORDS_DESCRIPTION      "Map of claims (not independently verified):"

#endif
