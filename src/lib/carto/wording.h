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
#include <stdint.h>

#include "bm_buf.h"
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

/* ---- the message file of a language ----
 *
 * Every word the map says comes from one message file per language, <dir>/<code>.tsv (the
 * data directory's lang/ folder; lang/README.md documents the format): a key, a tab, the text.
 * "\n", "\t" and "\\" are escapes; {name} is filled in by the code; plural forms are the keys
 * KEY.one and KEY.other (CLDR's categories for English and Urdu: one for exactly 1). A
 * language's file may leave keys out: they fall back to en.tsv's (bm_lang_missing lists them).
 * A bm_lang is read-only once loaded (safe to share between threads); strings it returns are
 * borrowed until bm_lang_free. */

/* Loads <dir>/en.tsv and, for another code, <dir>/<code>.tsv over it. NULL and err (file,
 * line, what is wrong) on failure. */
bm_lang *bm_lang_load(const char *dir, const char *code, bm_error *err);
void bm_lang_free(bm_lang *lang); /* NULL is a no-op */
/* "en", "ur". */
const char *bm_lang_code_name(bm_lang_code code);
/* The keys of en.tsv that lang's own file lacks, one a line into out (may be NULL); how many. */
size_t bm_lang_missing(const bm_lang *lang, bm_buf *out);
/* Whether the language is written right to left (the key lang.direction). */
bool bm_lang_is_rtl(const bm_lang *lang);

/* The text of key; the key itself when no file has it (a bug the unit test catches). */
const char *bm_words_tr(const bm_lang *lang, const char *key);
/* KEY.one for n == 1, else KEY.other. */
const char *bm_words_plural(const bm_lang *lang, const char *key, int64_t n);
/* A whole number as lang writes it: digit groups ("1,705"), its digits (number.group,
 * number.digits). */
void bm_words_number(const bm_lang *lang, int64_t n, char *out, size_t out_size);
/* A claimed value: "92", "1,200-1,500", "at least 31", "more than 30", "dozens (at least 12)". */
void bm_words_value(const bm_lang *lang, const bm_value *v, char *out, size_t out_size);
/* A template's {name} replaced by the value after name in args (name, value, ..., NULL); an
 * unknown {name} is kept as written. */
void bm_words_fill(const char *tmpl, char *out, size_t out_size, ...);

/* "militants", "security personnel", "civilians", "people". */
const char *bm_words_party(const bm_lang *lang, bm_party p);
/* Who a claim is about, as a category (a table's column, a claim's title): "militants",
 * "security forces", "civilians", "unspecified" (who.* keys; the party's name without lang). */
void bm_words_who(const bm_lang *lang, bm_party p, char *out, size_t out_size);
/* "military", "armed group", ... for a source's kind; "" for none. */
const char *bm_words_source_kind(const bm_lang *lang, const char *kind);
/* "92 militants killed", "3 targets attacked"; in English singular for exactly 1 ("1 person
 * killed", "1 vehicle destroyed"). */
void bm_words_headline(const bm_lang *lang, const bm_claim *cl, char *out, size_t out_size);
/* "2026-01-31" -> "31 Jan" (the year is in the title or subtitle). */
void bm_words_day(const bm_lang *lang, const char *iso, char *out, size_t out_size);
/* "2026-01-31" -> "31 Jan 2026": for data spanning more than one year. */
void bm_words_day_year(const bm_lang *lang, const char *iso, char *out, size_t out_size);

/* A claim's label: its figure, source, day (with the year when with_year), how many places;
 * only the figure for a share; for a sum, how many events and their years ("ACLED · 14
 * events, 2021-2024"), the years left out when they are map_span (the span of every sum on
 * the map, which the legend states; NULL: always written). */
void bm_words_claim_label(const bm_lang *lang, const bm_located_claim *lc, const bm_source *src,
                          bool with_year, const char *map_span, char *out, size_t out_size);
/* A place's label: "Kech district (Turbat)", "Balochistan (whole province)" (en.tsv's words);
 * with names BM_NAMES_UR its Urdu name (name_ur) in lang's words ("ضلع کیچ") where known, else
 * the English; with BM_NAMES_EN_UR both, the Urdu isolated. */
void bm_words_place_label(const bm_lang *lang, const bm_located_place *pl, bm_place_names names,
                          const char *name_ur, char *out, size_t out_size);
/* Of a place's Arabic-script spellings, the one written in Urdu: none with letters only
 * Arabic, Pashto, Persian or Balochi use (ك ي ة ه ټ ...), those with letters only Urdu uses
 * (ٹ ڈ ڑ ں ہ ے) first. NULL when none is. */
const char *bm_words_pick_urdu(const char *const *spellings, size_t n);

/* The legend: "Claimed killed: militants only". */
void bm_words_legend_heading(const bm_lang *lang, bm_quantity measure, int party, char *out,
                             size_t out_size);
/* What a circle is, and that the figures are claims. */
const char *bm_words_circle_note(const bm_lang *lang, bool is_allocated_even);
/* "As of 31 Jan 2026: each source's latest figure by then. 2 later claims are not shown." */
void bm_words_as_of(const bm_lang *lang, const char *as_of, size_t n_later, char *out,
                    size_t out_size);
/* The symbol keys, by role: key-leader, key-upper, key-place, key-district. */
const char *bm_words_key(const bm_lang *lang, const char *role, bool is_allocated_even);
/* A listed claim not sized on the map (its figure or quote, running total, day, split). */
void bm_words_also_claimed(const bm_lang *lang, const bm_claim *cl, const bm_source *src,
                           bool is_split, char *out, size_t out_size);
/* How vague words were read. */
const char *bm_words_vague_note(const bm_lang *lang);

/* The keys of headings, for bm_words_tr. */
#define BM_WORDS_CHANGES_HEADING  "heading.changes"
#define BM_WORDS_ALSO_HEADING     "heading.also"
#define BM_WORDS_CALLOUTS_HEADING "heading.callouts"
#define BM_WORDS_DESCRIPTION      "description"

#endif
