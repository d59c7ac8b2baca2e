/* SPDX-License-Identifier: MIT */
#include "carto/wording.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dates.h"

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

/* The Urdu of the map's own words, keyed by the English (standard Urdu news vocabulary; to be
 * reviewed by a native speaker). One row a sentence or word: edit the right-hand side only. */
static const struct {
    const char *en, *ur;
} urdu[] = {
    /* parties and what was claimed */
    {"militants", "عسکریت پسند"},
    {"security personnel", "سیکیورٹی اہلکار"},
    {"civilians", "شہری"},
    {"people", "افراد"},
    {"killed", "ہلاک"},
    {"wounded", "زخمی"},
    {"captured", "گرفتار"},
    {"attacked", "پر حملہ"},
    {"destroyed", "تباہ"},
    {"targets", "اہداف"},
    {"statement without figures", "اعداد کے بغیر بیان"},
    /* source kinds */
    {"military", "فوج"},
    {"armed group", "مسلح گروہ"},
    {"government", "حکومت"},
    {"media", "میڈیا"},
    /* months, as in a date "31 Jan" */
    {"Jan", "جنوری"},
    {"Feb", "فروری"},
    {"Mar", "مارچ"},
    {"Apr", "اپریل"},
    {"May", "مئی"},
    {"Jun", "جون"},
    {"Jul", "جولائی"},
    {"Aug", "اگست"},
    {"Sep", "ستمبر"},
    {"Oct", "اکتوبر"},
    {"Nov", "نومبر"},
    {"Dec", "دسمبر"},
    /* legend and notes */
    {"places", "مقامات"},
    {"Claimed", "دعوے کے مطابق"},
    {"only", "صرف"},
    {"Each circle is an even share, at one place, of one claim by one party "
     "(split by balmap on request, as ACLED does; the parties gave no per-place "
     "figures); its area is proportional to the number. The parties' figures are "
     "shown side by side and are not independently verified.",
     "ہر دائرہ ایک فریق کے ایک دعوے کا کسی ایک مقام پر برابر حصہ ہے (درخواست پر balmap نے "
     "تقسیم کیا، جیسا کہ ACLED کرتا ہے؛ فریقین نے مقام وار اعداد نہیں دیے)؛ اس کا رقبہ تعداد کے "
     "متناسب ہے۔ فریقین کے اعداد و شمار ساتھ ساتھ دکھائے گئے ہیں اور ان کی آزادانہ تصدیق نہیں "
     "ہوئی۔"},
    {"Each circle is one claim by one party; its area is proportional to the "
     "number claimed. The parties' figures are shown side by side and are not "
     "independently verified.",
     "ہر دائرہ ایک فریق کا ایک دعویٰ ہے؛ اس کا رقبہ دعوے میں بتائی گئی تعداد کے متناسب ہے۔ "
     "فریقین کے اعداد و شمار ساتھ ساتھ دکھائے گئے ہیں اور ان کی آزادانہ تصدیق نہیں ہوئی۔"},
    {"Lines join a share to its place where the circle had to move.",
     "جہاں دائرہ ہٹانا پڑا، وہاں لکیر حصے کو اس کے مقام سے ملاتی ہے۔"},
    {"Line: joins a circle to its places where it is not on them.",
     "جہاں دائرہ اپنے مقام پر نہیں، وہاں لکیر اسے اس مقام سے ملاتی ہے۔"},
    {"In brackets: one claim for several places, its figure not divided among them.",
     "قوسین میں: کئی مقامات کا ایک دعویٰ، عدد ان میں تقسیم نہیں کیا گیا۔"},
    {"In brackets: one claim for several places, not divided among them; a tick marks each "
     "place of one naming more than three.",
     "قوسین میں: کئی مقامات کا ایک دعویٰ، عدد ان میں تقسیم نہیں کیا گیا؛ تین سے زیادہ مقامات والے "
     "دعوے کا ہر مقام ایک نشان سے دکھایا گیا ہے۔"},
    {"Dashed ring: \"at least\" or the upper end of a range.",
     "نقطہ دار دائرہ: \"کم از کم\" یا کسی حد کا بالائی سرا۔"},
    {"Town (GeoNames point)", "قصبہ (GeoNames نقطہ)"},
    {"District (representative point)", "ضلع (نمائندہ نقطہ)"},
    {"Vague words are read as lower bounds: dozens = 12 and hundreds = 100 after the "
     "ACLED codebook; several = 3 and many = 10 are balmap's own choice.",
     "مبہم الفاظ کو کم از کم تعداد مانا گیا ہے: درجنوں = 12 اور سینکڑوں = 100، ACLED کوڈ بک کے "
     "مطابق؛ کئی = 3 اور بہت سے = 10 balmap کا اپنا انتخاب ہے۔"},
    {"other", "دیگر"},
    {BM_WORDS_CHANGES_HEADING, "اعداد و شمار کیسے بدلے"},
    {BM_WORDS_ALSO_HEADING, "دیگر دعوے، جو نقشے پر دائرے سے نہیں دکھائے گئے"},
    {BM_WORDS_CALLOUTS_HEADING, "جگہ کی کمی کے باعث نقشے پر نمبر دیے گئے"},
    {BM_WORDS_DESCRIPTION, "دعووں کا نقشہ (آزادانہ تصدیق شدہ نہیں):"},
};

const char *bm_words_tr(bm_lang lang, const char *en) {
    if (lang != BM_LANG_UR || en == NULL)
        return en;
    for (size_t i = 0; i < sizeof urdu / sizeof urdu[0]; i++)
        if (strcmp(urdu[i].en, en) == 0)
            return urdu[i].ur;
    return en;
}

bool bm_words_lang_parse(const char *word, bm_lang *out) {
    if (strcmp(word, "en") == 0)
        *out = BM_LANG_EN;
    else if (strcmp(word, "ur") == 0)
        *out = BM_LANG_UR;
    else
        return false;
    return true;
}

/* A name in a sentence of lang: in Urdu every name is isolated (English ones too, in a
 * right-to-left sentence); in English only those with right-to-left letters. */
static const char *name_in(bm_lang lang, const char *name, char buf[BM_WORDS_NAME_MAX]) {
    if (lang == BM_LANG_UR && name != NULL) {
        snprintf(buf, BM_WORDS_NAME_MAX, "\u2068%s\u2069", name);
        return buf;
    }
    return bm_words_name(name, buf);
}

static const char *party_en(bm_party p) {
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

const char *bm_words_party(bm_lang lang, bm_party p) {
    return bm_words_tr(lang, party_en(p));
}

const char *bm_words_source_kind(bm_lang lang, const char *kind) {
    /* The words for the model's kinds, in the order of bm_source_kind_names(). */
    static const char *const words[BM_N_SOURCE_KINDS] = {
        "military", "armed group", "government", "media", "monitoring project", "other"};
    if (kind == NULL)
        return "";
    const char *const *names = bm_source_kind_names();
    for (size_t k = 0; k < BM_N_SOURCE_KINDS; k++)
        if (strcmp(kind, names[k]) == 0)
            return bm_words_tr(lang, words[k]);
    return kind;
}

/* The singular of a party's word: "militant", "person". */
static const char *party_one(bm_party p) {
    switch (p) {
    case BM_PARTY_MILITANTS:
        return "militant";
    case BM_PARTY_SECURITY_FORCES:
        return "member of the security forces";
    case BM_PARTY_CIVILIANS:
        return "civilian";
    case BM_PARTY_UNSPECIFIED:
        return "person";
    }
    return "person";
}

/* The singular of an object word as files write it ("vehicles" -> "vehicle", "buses" -> "bus",
 * "casualties" -> "casualty"); a word not ending in s is kept. */
static void singular(const char *word, char *out, size_t out_size) {
    size_t n = strlen(word);
    const bool ends_es =
        n > 3 &&
        (strcmp(word + n - 3, "ses") == 0 || strcmp(word + n - 3, "xes") == 0 ||
         (n > 4 && (strcmp(word + n - 4, "ches") == 0 || strcmp(word + n - 4, "shes") == 0)));
    if (n > 3 && strcmp(word + n - 3, "ies") == 0) {
        snprintf(out, out_size, "%.*sy", (int)(n - 3), word);
        return;
    }
    if (ends_es)
        n -= 2;
    else if (n > 1 && word[n - 1] == 's' && word[n - 2] != 's')
        n -= 1;
    snprintf(out, out_size, "%.*s", (int)n, word);
}

void bm_words_headline(bm_lang lang, const bm_claim *cl, char *out, size_t out_size) {
    char value[96];
    bm_value_format(&cl->value, value, sizeof value);
    /* One, in English: "1 person killed", "at least 1 person killed"; ranges ("1-3") stay
     * plural. */
    const bool is_one = lang == BM_LANG_EN &&
                        (cl->value.kind == BM_VALUE_EXACT ||
                         (cl->value.kind == BM_VALUE_AT_LEAST && !cl->value.is_vague_word &&
                          cl->value.text == NULL)) &&
                        cl->value.min == 1;
    if (cl->what == BM_Q_ATTACKED || cl->what == BM_Q_DESTROYED) {
        char object[256];
        const char *word = cl->object ? cl->object : bm_words_tr(lang, "targets");
        if (is_one)
            singular(word, object, sizeof object);
        else
            snprintf(object, sizeof object, "%s", word);
        snprintf(out, out_size, "%s %s %s", value, object,
                 bm_words_tr(lang, cl->what == BM_Q_ATTACKED ? "attacked" : "destroyed"));
    } else {
        snprintf(out, out_size, "%s %s %s", value,
                 is_one ? party_one(cl->who) : bm_words_party(lang, cl->who),
                 bm_words_tr(lang, bm_quantity_name(cl->what)));
    }
}

void bm_words_day(bm_lang lang, const char *iso, char *out, size_t out_size) {
    bm_date_format_day_month(iso, out, out_size); /* "31 Jan" */
    int d;
    char month[8];
    if (lang == BM_LANG_UR && sscanf(out, "%d %7s", &d, month) == 2)
        snprintf(out, out_size, "%d %s", d, bm_words_tr(lang, month));
}

void bm_words_day_year(bm_lang lang, const char *iso, char *out, size_t out_size) {
    bm_words_day(lang, iso, out, out_size);
    const size_t n = strlen(out);
    if (strlen(iso) >= 4 && strcmp(out, iso) != 0)
        snprintf(out + n, out_size - n, " %.4s", iso);
}

void bm_words_claim_label(bm_lang lang, const bm_located_claim *lc, const bm_source *src,
                          bool with_year, char *out, size_t out_size) {
    char head[1024];
    bm_words_headline(lang, lc->claim, head, sizeof head);
    char when[32] = "";
    if (lc->claim->claimed_on)
        (with_year ? bm_words_day_year : bm_words_day)(lang, lc->claim->claimed_on, when,
                                                       sizeof when);
    char b[BM_WORDS_NAME_MAX];
    const char *label = name_in(lang, src->label, b);
    const char *comma = lang == BM_LANG_UR ? "\u060c " : ", "; /* the Arabic comma in Urdu */
    /* An Urdu line that begins with an (isolated) English name is still right to left: Pango
     * takes a paragraph's direction from its first strong letter, so a RIGHT-TO-LEFT MARK
     * comes first. */
    const char *rlm = lang == BM_LANG_UR ? "\u200f" : "";
    if (lc->n_events > 0 && lc->first_day != NULL && lc->last_day != NULL) {
        /* A sum: how many events, and when. */
        char span[64];
        if (strncmp(lc->first_day, lc->last_day, 4) != 0)
            snprintf(span, sizeof span, "%.4s-%.4s", lc->first_day, lc->last_day);
        else
            snprintf(span, sizeof span, "%.4s", lc->first_day);
        snprintf(out, out_size, "%s\n%s%s · %zu %s%s%s", head, rlm, label, lc->n_events,
                 bm_words_tr(lang, lc->n_events == 1 ? "event" : "events"), comma, span);
        return;
    }
    if (lc->split_of != NULL) /* the legend and notes say what the shares are */
        bm_value_format(&lc->claim->value, out, out_size);
    else if (lc->claim->n_places > 1)
        snprintf(out, out_size, "%s\n%s%s%s%s · %zu %s", head, rlm, label, when[0] ? comma : "",
                 when, lc->claim->n_places, bm_words_tr(lang, "places"));
    else
        snprintf(out, out_size, "%s\n%s%s%s%s", head, rlm, label, when[0] ? comma : "", when);
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

void bm_words_legend_heading(bm_lang lang, bm_quantity measure, int party, char *out,
                             size_t out_size) {
    const char *what = bm_words_tr(lang, bm_quantity_name(measure));
    if (party >= 0)
        snprintf(out, out_size, "%s %s: %s %s", bm_words_tr(lang, "Claimed"), what,
                 lang == BM_LANG_UR ? bm_words_tr(lang, "only") : bm_words_party(lang, party),
                 lang == BM_LANG_UR ? bm_words_party(lang, (bm_party)party) : "only");
    else
        snprintf(out, out_size, "%s %s", bm_words_tr(lang, "Claimed"), what);
}

const char *bm_words_circle_note(bm_lang lang, bool is_allocated_even) {
    return bm_words_tr(
        lang, is_allocated_even
                  ? "Each circle is an even share, at one place, of one claim by one party "
                    "(split by balmap on request, as ACLED does; the parties gave no per-place "
                    "figures); its area is proportional to the number. The parties' figures are "
                    "shown side by side and are not independently verified."
                  : "Each circle is one claim by one party; its area is proportional to the "
                    "number claimed. The parties' figures are shown side by side and are not "
                    "independently verified.");
}

void bm_words_as_of(bm_lang lang, const char *as_of, size_t n_later, char *out, size_t out_size) {
    /* The map is a moment in the story: say which, and what came after. */
    char date[32];
    bm_words_day(lang, as_of, date, sizeof date);
    if (lang == BM_LANG_UR)
        snprintf(out, out_size, "%s %.4s تک: ہر ذریعے کا اس وقت تک کا تازہ ترین عدد۔", date, as_of);
    else
        snprintf(out, out_size, "As of %s %.4s: each source's latest figure by then.%s", date,
                 as_of, "");
    if (n_later > 0) {
        const size_t n_used = strlen(out);
        if (lang == BM_LANG_UR)
            snprintf(out + n_used, out_size - n_used, " بعد کے %zu دعوے نہیں دکھائے گئے۔", n_later);
        else
            snprintf(out + n_used, out_size - n_used, " %zu later claim%s not shown.", n_later,
                     n_later == 1 ? " is" : "s are");
    }
}

static const char *key_en(const char *role, bool is_allocated_even) {
    if (strcmp(role, "key-leader") == 0)
        return is_allocated_even ? "Lines join a share to its place where the circle had to move."
                                 : "Line: joins a circle to its places where it is not on them.";
    if (strcmp(role, "key-aggregate") == 0)
        return "In brackets: one claim for several places, its figure not divided among them.";
    if (strcmp(role, "key-aggregate-tick") == 0)
        return "In brackets: one claim for several places, not divided among them; a tick marks "
               "each place of one naming more than three.";
    if (strcmp(role, "key-upper") == 0)
        return "Dashed ring: \"at least\" or the upper end of a range.";
    if (strcmp(role, "key-place") == 0)
        return "Town (GeoNames point)";
    if (strcmp(role, "key-district") == 0)
        return "District (representative point)";
    return "";
}

const char *bm_words_key(bm_lang lang, const char *role, bool is_allocated_even) {
    return bm_words_tr(lang, key_en(role, is_allocated_even));
}

void bm_words_also_claimed(bm_lang lang, const bm_claim *cl, const bm_source *src, bool is_split,
                           char *out, size_t out_size) {
    char head[1024], when[32] = "";
    if (cl->value.kind == BM_VALUE_NONE)
        snprintf(head, sizeof head, "%s",
                 cl->quote ? cl->quote : bm_words_tr(lang, "statement without figures"));
    else
        bm_words_headline(lang, cl, head, sizeof head);
    if (cl->claimed_on)
        bm_words_day(lang, cl->claimed_on, when, sizeof when);
    char b[BM_WORDS_NAME_MAX];
    if (lang == BM_LANG_UR)
        snprintf(out, out_size, "\u200f• %s: %s%s%s%s%s%s", name_in(lang, src->label, b), head,
                 cl->is_cumulative ? " (مجموعی عدد، جس میں اوپر کے اعداد شامل ہیں)" : "",
                 when[0] ? " (" : "", when, when[0] ? ")" : "",
                 is_split ? "؛ نقشہ ساز کی درخواست پر (--allocate even) نقشے پر اس کے مقامات میں "
                            "برابر تقسیم کیا گیا: ذریعے نے مقام وار اعداد نہیں دیے"
                          : "");
    else
        snprintf(out, out_size, "• %s: %s%s%s%s%s%s", bm_words_name(src->label, b), head,
                 cl->is_cumulative ? " (a running total that includes figures above)" : "",
                 when[0] ? " (" : "", when, when[0] ? ")" : "",
                 is_split ? "; split evenly among its places on the map at the map "
                            "maker's request (--allocate even): the source gave no "
                            "per-place figures"
                          : "");
}

const char *bm_words_vague_note(bm_lang lang) {
    /* dozens/hundreds follow the ACLED codebook; several/many are balmap's own choice
       (docs/incident-format.md), so the note must not credit ACLED for them. */
    return bm_words_tr(lang, "Vague words are read as lower bounds: dozens = 12 and hundreds = "
                             "100 after the ACLED codebook; several = 3 and many = 10 are "
                             "balmap's own choice.");
}
