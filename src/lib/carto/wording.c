/* SPDX-License-Identifier: MIT */
#include "carto/wording.h"

#include <stdio.h>
#include <string.h>

#include "dates.h"

const char *bm_words_party(bm_party p) {
    switch (p) {
    case BM_PARTY_MILITANTS:
        return "militants";
    case BM_PARTY_SECURITY_FORCES:
        return "security personnel";
    case BM_PARTY_CIVILIANS:
        return "civilians";
    case BM_PARTY_UNSPECIFIED:
        return "people";
    }
    return "people";
}

const char *bm_words_source_kind(const char *kind) {
    /* The words for the model's kinds, in the order of bm_source_kind_names(). */
    static const char *const words[BM_N_SOURCE_KINDS] = {"military", "armed group", "government",
                                                         "media", "other"};
    if (kind == NULL)
        return "";
    const char *const *names = bm_source_kind_names();
    for (size_t k = 0; k < BM_N_SOURCE_KINDS; k++)
        if (strcmp(kind, names[k]) == 0)
            return words[k];
    return kind;
}

void bm_words_headline(const bm_claim *cl, char *out, size_t out_size) {
    char value[96];
    bm_value_format(&cl->value, value, sizeof value);
    if (cl->what == BM_Q_ATTACKED || cl->what == BM_Q_DESTROYED)
        snprintf(out, out_size, "%s %s %s", value, cl->object ? cl->object : "targets",
                 cl->what == BM_Q_ATTACKED ? "attacked" : "destroyed");
    else
        snprintf(out, out_size, "%s %s %s", value, bm_words_party(cl->who),
                 bm_quantity_name(cl->what));
}

void bm_words_claim_label(const bm_located_claim *lc, const bm_source *src, char *out,
                          size_t out_size) {
    char head[1024];
    bm_words_headline(lc->claim, head, sizeof head);
    char when[32] = "";
    if (lc->claim->claimed_on)
        bm_date_format_day_month(lc->claim->claimed_on, when, sizeof when);
    if (lc->split_of != NULL) /* the legend and notes say what the shares are */
        bm_value_format(&lc->claim->value, out, out_size);
    else if (lc->claim->n_places > 1)
        snprintf(out, out_size, "%s\n%s%s%s · %zu places", head, src->label, when[0] ? ", " : "",
                 when, lc->claim->n_places);
    else
        snprintf(out, out_size, "%s\n%s%s%s", head, src->label, when[0] ? ", " : "", when);
}

void bm_words_place_label(const bm_located_place *pl, char *out, size_t out_size) {
    char area[48] = "";
    if (pl->area_word != NULL)
        snprintf(area, sizeof area, pl->precision >= BM_PREC_PROVINCE ? " (whole %s)" : " %s",
                 pl->area_word);
    if (pl->as_named && pl->as_named[0])
        snprintf(out, out_size, "%s%s (%s)", pl->name, area, pl->as_named);
    else
        snprintf(out, out_size, "%s%s", pl->name, area);
}

void bm_words_legend_heading(bm_quantity measure, int party, char *out, size_t out_size) {
    if (party >= 0)
        snprintf(out, out_size, "Claimed %s: %s only", bm_quantity_name(measure),
                 bm_words_party((bm_party)party));
    else
        snprintf(out, out_size, "Claimed %s", bm_quantity_name(measure));
}

const char *bm_words_circle_note(bool is_allocated_even) {
    return is_allocated_even
               ? "Each circle is an even share, at one place, of one claim by one party "
                 "(split by balmap on request, as ACLED does; the parties gave no per-place "
                 "figures); its area is proportional to the number. The parties' figures are "
                 "shown side by side and are not independently verified."
               : "Each circle is one claim by one party; its area is proportional to the "
                 "number claimed. The parties' figures are shown side by side and are not "
                 "independently verified.";
}

void bm_words_as_of(const char *as_of, size_t n_later, char *out, size_t out_size) {
    /* The map is a moment in the story: say which, and what came after. */
    char date[32];
    bm_date_format_day_month(as_of, date, sizeof date);
    snprintf(out, out_size, "As of %s %.4s: each source's latest figure by then.%s", date, as_of,
             "");
    if (n_later > 0) {
        const size_t n_used = strlen(out);
        snprintf(out + n_used, out_size - n_used, " %zu later claim%s not shown.", n_later,
                 n_later == 1 ? " is" : "s are");
    }
}

const char *bm_words_key(const char *role, bool is_allocated_even) {
    if (strcmp(role, "key-leader") == 0)
        return is_allocated_even ? "Lines join a share to its place where the circle had to move."
                                 : "Lines join a claim to each place it names; the figure is for "
                                   "all of them together and is not divided among them.";
    if (strcmp(role, "key-upper") == 0)
        return "Dashed ring: \"at least\" or the upper end of a range.";
    if (strcmp(role, "key-place") == 0)
        return "Town (GeoNames point)";
    if (strcmp(role, "key-district") == 0)
        return "District (representative point)";
    return "";
}

void bm_words_also_claimed(const bm_claim *cl, const bm_source *src, bool is_split, char *out,
                           size_t out_size) {
    char head[1024], when[32] = "";
    if (cl->value.kind == BM_VALUE_NONE)
        snprintf(head, sizeof head, "%s", cl->quote ? cl->quote : "statement without figures");
    else
        bm_words_headline(cl, head, sizeof head);
    if (cl->claimed_on)
        bm_date_format_day_month(cl->claimed_on, when, sizeof when);
    snprintf(out, out_size, "• %s: %s%s%s%s%s%s", src->label, head,
             cl->is_cumulative ? " (a running total that includes figures above)" : "",
             when[0] ? " (" : "", when, when[0] ? ")" : "",
             is_split ? "; split evenly among its places on the map at the map "
                        "maker's request (--allocate even): the source gave no "
                        "per-place figures"
                      : "");
}

const char *bm_words_vague_note(void) {
    /* dozens/hundreds follow the ACLED codebook; several/many are balmap's own choice
       (docs/incident-format.md), so the note must not credit ACLED for them. */
    return "Vague words are read as lower bounds: dozens = 12 and hundreds = 100 after the "
           "ACLED codebook; several = 3 and many = 10 are balmap's own choice.";
}
