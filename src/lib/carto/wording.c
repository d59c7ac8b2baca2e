/* SPDX-License-Identifier: MIT */
#include "carto/wording.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

bool bm_words_has_rtl(const char *utf8) {
    for (const unsigned char *p = (const unsigned char *)utf8; p != NULL && *p != '\0'; p++) {
        uint32_t cp;
        if (p[0] >= 0xD6 && p[0] <= 0xDF && (p[1] & 0xC0) == 0x80)
            return true; /* U+0590..U+07FF: Hebrew, Arabic, Syriac, Thaana, N'Ko */
        if (p[0] == 0xE0 && (p[1] == 0xA0 || p[1] == 0xA1 || p[1] == 0xA2 || p[1] == 0xA3))
            return true; /* U+0800..U+08FF: Samaritan, Mandaic, Arabic Extended-A */
        if (p[0] == 0xEF && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
            cp = (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
            cp |= 0xF000;
            if ((cp >= 0xFB1D && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFE))
                return true; /* Hebrew and Arabic presentation forms */
        }
    }
    return false;
}

const char *bm_words_name(const char *name, char buf[BM_WORDS_NAME_MAX]) {
    if (name == NULL || !bm_words_has_rtl(name))
        return name;
    snprintf(buf, BM_WORDS_NAME_MAX, "\u2068%s\u2069", name);
    return buf;
}

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
    if (kind == NULL)
        return "";
    if (strcmp(kind, "military") == 0)
        return "military";
    if (strcmp(kind, "armed_group") == 0)
        return "armed group";
    if (strcmp(kind, "government") == 0)
        return "government";
    if (strcmp(kind, "media") == 0)
        return "media";
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

void bm_words_day(const char *iso, char *out, size_t out_size) {
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int y, m, d;
    if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12)
        snprintf(out, out_size, "%d %s", d, months[m - 1]);
    else
        snprintf(out, out_size, "%s", iso);
}

void bm_words_claim_label(const bm_located_claim *lc, const bm_source *src, char *out,
                          size_t out_size) {
    char head[1024];
    bm_words_headline(lc->claim, head, sizeof head);
    char when[32] = "";
    if (lc->claim->claimed_on)
        bm_words_day(lc->claim->claimed_on, when, sizeof when);
    char b[BM_WORDS_NAME_MAX];
    const char *label = bm_words_name(src->label, b);
    if (lc->split_of != NULL) /* the legend and notes say what the shares are */
        bm_value_format(&lc->claim->value, out, out_size);
    else if (lc->claim->n_places > 1)
        snprintf(out, out_size, "%s\n%s%s%s · %zu places", head, label, when[0] ? ", " : "", when,
                 lc->claim->n_places);
    else
        snprintf(out, out_size, "%s\n%s%s%s", head, label, when[0] ? ", " : "", when);
}

void bm_words_place_label(const bm_located_place *pl, char *out, size_t out_size) {
    char area[48] = "";
    if (pl->area_word != NULL)
        snprintf(area, sizeof area, pl->precision >= BM_PREC_PROVINCE ? " (whole %s)" : " %s",
                 pl->area_word);
    char b1[BM_WORDS_NAME_MAX], b2[BM_WORDS_NAME_MAX];
    if (pl->as_named && pl->as_named[0])
        snprintf(out, out_size, "%s%s (%s)", bm_words_name(pl->name, b1), area,
                 bm_words_name(pl->as_named, b2));
    else
        snprintf(out, out_size, "%s%s", bm_words_name(pl->name, b1), area);
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
    bm_words_day(as_of, date, sizeof date);
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
        bm_words_day(cl->claimed_on, when, sizeof when);
    char b[BM_WORDS_NAME_MAX];
    snprintf(out, out_size, "• %s: %s%s%s%s%s%s", bm_words_name(src->label, b), head,
             cl->is_cumulative ? " (a running total that includes figures above)" : "",
             when[0] ? " (" : "", when, when[0] ? ")" : "",
             is_split ? "; split evenly among its places on the map at the map "
                        "maker's request (--allocate even): the source gave no "
                        "per-place figures"
                      : "");
}

const char *bm_words_vague_note(void) {
    return "Vague words are read as lower bounds, after the ACLED codebook: several = 3, "
           "many = 10, dozens = 12, hundreds = 100.";
}
