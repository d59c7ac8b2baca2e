/* SPDX-License-Identifier: MIT */
/* End-to-end: examples/herof2.json rendered to PNG, SVG, PDF and a scene dump, then checked
 * against PROJ's own cs2cs, the claimed numbers, and the file formats. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bm_buf.h"
#include "check.h"
#include "gazetteer.h"
#include "map.h"
#include "view.h"

/* One pixel of the default 150 dpi PNG, in mm. */
#define ONE_PX_MM (25.4 / 150)

static char dir[256];

typedef struct circle {
    char role[32], ref[128];
    double x, y, r, value;
} circle;

typedef struct label {
    char role[32];
    double x, y, w, h;
} label;

typedef struct scene {
    double x0_m, y0_m, mm_per_m, frame_x, frame_y;
    circle circles[256];
    size_t n;
    label labels[256];
    size_t n_labels;
} scene;

static void path_in(char *out, size_t n, const char *name) {
    snprintf(out, n, "%s/%s", dir, name);
}

/* A request for the example (or `input`) with the source tree's data, a fixed PDF date. */
static bm_render_request example_request(const char *input, const char *const *outputs,
                                         size_t n_outputs, const char *scene_path) {
    bm_render_request req;
    bm_render_request_init(&req);
    req.input_path = input ? input : BM_SOURCE_DIR "/examples/herof2.json";
    req.data_dir = BM_SOURCE_DIR;
    req.outputs = outputs;
    req.n_outputs = n_outputs;
    req.scene_path = scene_path;
    req.created_unix_s = 0;
    return req;
}

static bm_status render(const char *const *outputs, size_t n_outputs, const char *scene_path,
                        bm_error *err) {
    const bm_render_request req = example_request(NULL, outputs, n_outputs, scene_path);
    return bm_render(&req, err);
}

static int read_scene(const char *path, scene *s) {
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    char line[4096];
    memset(s, 0, sizeof *s);
    while (fgets(line, sizeof line, f) != NULL) {
        double a, b, c, d;
        if (sscanf(line, "frame %lf %lf %lf %lf", &a, &b, &c, &d) == 4) {
            s->frame_x = a;
            s->frame_y = b;
        }
        sscanf(line, "view x0_m=%lf y0_m=%lf mm_per_m=%lf", &s->x0_m, &s->y0_m, &s->mm_per_m);
        label lb = {0};
        if (sscanf(line, "text %31s", lb.role) == 1 && strstr(lb.role, "label") != NULL &&
            strcmp(lb.role, "legend-size-label") != 0 && s->n_labels < 256) {
            const char *at = strstr(line, " x=");
            if (at && sscanf(at, " x=%lf y=%lf w=%lf h=%lf", &lb.x, &lb.y, &lb.w, &lb.h) == 4)
                s->labels[s->n_labels++] = lb;
        }
        circle ci = {0};
        if (sscanf(line, "circle %31s ref=\"%127[^\"]\" x=%lf y=%lf r=%lf", ci.role, ci.ref, &ci.x,
                   &ci.y, &ci.r) == 5 &&
            s->n < sizeof s->circles / sizeof s->circles[0]) {
            const char *v = strstr(line, " value=");
            ci.value = v ? strtod(v + 7, NULL) : 0;
            s->circles[s->n++] = ci;
        }
    }
    fclose(f);
    return 0;
}

/* cs2cs, PROJ's own command-line tool, projects one point with the map's projection. */
static int cs2cs(double lon, double lat, double *x_m, double *y_m) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "echo '%.6f %.6f' | cs2cs -f %%.4f +proj=longlat +datum=WGS84 +to %s",
             lon, lat, BM_VIEW_DEFAULT_PROJ);
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        return -1;
    const int n = fscanf(p, "%lf %lf", x_m, y_m);
    return pclose(p) == 0 && n == 2 ? 0 : -1;
}

static scene sc;

static void render_all_formats(void) {
    char png[300], svg[300], pdf[300], txt[300];
    path_in(png, sizeof png, "map.png");
    path_in(svg, sizeof svg, "map.svg");
    path_in(pdf, sizeof pdf, "map.pdf");
    path_in(txt, sizeof txt, "scene.txt");
    const char *outs[] = {png, svg, pdf};
    bm_error err = {0};
    CHECK(render(outs, 3, txt, &err) == BM_OK);
    if (err.status != BM_OK)
        fprintf(stderr, "  %s\n", err.message);
    REQUIRE(read_scene(txt, &sc) == 0);
    CHECK(sc.mm_per_m > 0);
}

static void places_sit_where_cs2cs_puts_them(void) {
    bm_error err = {0};
    bm_gazetteer *gz = bm_gazetteer_load(BM_SOURCE_DIR "/shapes/gazetteer.tsv", &err);
    REQUIRE(gz != NULL);
    size_t n_checked = 0;
    for (size_t i = 0; i < sc.n; i++) {
        const circle *c = &sc.circles[i];
        const bool is_district = strcmp(c->role, "district") == 0;
        if (strcmp(c->role, "place") != 0 && !is_district)
            continue;
        bm_place_match m;
        bm_error e2 = {0};
        REQUIRE(bm_gazetteer_lookup(gz, c->ref, is_district ? BM_KIND_DISTRICT : BM_KIND_TOWN, &m,
                                    &e2) == BM_OK);
        double x_m, y_m;
        REQUIRE(cs2cs(m.place->lon_deg, m.place->lat_deg, &x_m, &y_m) == 0);
        const double x_mm = sc.frame_x + (x_m - sc.x0_m) * sc.mm_per_m;
        const double y_mm = sc.frame_y + (sc.y0_m - y_m) * sc.mm_per_m;
        CHECK_NEAR(c->x, x_mm, ONE_PX_MM);
        CHECK_NEAR(c->y, y_mm, ONE_PX_MM);
        n_checked++;
    }
    CHECK_INTEQ(n_checked, 19); /* the 15 towns and Kech, Lasbela, Gwadar, Kharan districts */
    bm_gazetteer_free(gz);
}

static void marker_areas_keep_the_ratio_of_the_claims(void) {
    const circle *biggest = NULL;
    size_t n_claims = 0;
    for (size_t i = 0; i < sc.n; i++)
        if (strcmp(sc.circles[i].role, "claim") == 0) {
            n_claims++;
            if (biggest == NULL || sc.circles[i].value > biggest->value)
                biggest = &sc.circles[i];
        }
    /* ISPR 92, 41, 18, 15 militants/civilians/personnel; BLA 84 personnel. */
    CHECK_INTEQ(n_claims, 5);
    REQUIRE(biggest != NULL);
    CHECK_NEAR(biggest->value, 92, 0);
    for (size_t i = 0; i < sc.n; i++) {
        const circle *c = &sc.circles[i];
        if (strcmp(c->role, "claim") != 0)
            continue;
        const double area_ratio = (c->r * c->r) / (biggest->r * biggest->r);
        CHECK_NEAR(area_ratio, c->value / biggest->value, 0.002);
    }
}

static void legend_circles_use_the_same_scale(void) {
    const circle *claim = NULL;
    size_t n_legend = 0;
    for (size_t i = 0; i < sc.n; i++)
        if (strcmp(sc.circles[i].role, "claim") == 0 && claim == NULL)
            claim = &sc.circles[i];
    REQUIRE(claim != NULL);
    for (size_t i = 0; i < sc.n; i++) {
        const circle *c = &sc.circles[i];
        if (strcmp(c->role, "legend-size") != 0)
            continue;
        n_legend++;
        CHECK_NEAR(c->r * c->r / (claim->r * claim->r), c->value / claim->value, 0.002);
    }
    CHECK_INTEQ(n_legend, 3);
}

/* Map labels overlap neither each other nor any claim circle or place symbol. */
static void labels_overlap_nothing(void) {
    REQUIRE(sc.n_labels > 20);
    size_t n_overlaps = 0;
    for (size_t i = 0; i < sc.n_labels; i++) {
        const label *a = &sc.labels[i];
        for (size_t j = i + 1; j < sc.n_labels; j++) {
            const label *b = &sc.labels[j];
            if (a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h &&
                b->y < a->y + a->h) {
                fprintf(stderr, "  %s at %.2f,%.2f overlaps %s at %.2f,%.2f\n", a->role, a->x, a->y,
                        b->role, b->x, b->y);
                n_overlaps++;
            }
        }
        for (size_t k = 0; k < sc.n; k++) {
            const circle *c = &sc.circles[k];
            if (strncmp(c->role, "legend", 6) == 0 || strncmp(c->role, "key", 3) == 0)
                continue;
            const double nx = fmax(a->x, fmin(c->x, a->x + a->w));
            const double ny = fmax(a->y, fmin(c->y, a->y + a->h));
            if ((nx - c->x) * (nx - c->x) + (ny - c->y) * (ny - c->y) < c->r * c->r - 1e-6) {
                fprintf(stderr, "  %s at %.2f,%.2f covers %s '%s'\n", a->role, a->x, a->y, c->role,
                        c->ref);
                n_overlaps++;
            }
        }
    }
    CHECK_INTEQ(n_overlaps, 0);
}

static char *slurp(const char *path, size_t *len) {
    bm_buf b = BM_BUF_INIT((size_t)1 << 28);
    bm_error err = {0};
    if (bm_buf_read_file(&b, path, (size_t)1 << 28, &err) != BM_OK)
        return NULL;
    *len = b.len;
    return b.data;
}

static void png_is_valid_with_size_and_resolution(void) {
    char path[300];
    size_t n = 0;
    path_in(path, sizeof path, "map.png");
    unsigned char *png = (unsigned char *)slurp(path, &n);
    REQUIRE(png != NULL && n > 33);
    CHECK(memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
    const unsigned w = (unsigned)png[16] << 24 | (unsigned)png[17] << 16 | png[18] << 8 | png[19];
    const unsigned h = (unsigned)png[20] << 24 | (unsigned)png[21] << 16 | png[22] << 8 | png[23];
    CHECK_INTEQ(w, 1600);
    CHECK_INTEQ(h, 1200);
    /* pHYs: 150 dpi is 5906 pixels per metre. */
    const unsigned char *phys = NULL;
    for (size_t i = 8; i + 12 < n && phys == NULL; i++)
        if (memcmp(png + i, "pHYs", 4) == 0)
            phys = png + i + 4;
    REQUIRE(phys != NULL);
    CHECK_INTEQ((unsigned)phys[0] << 24 | (unsigned)phys[1] << 16 | phys[2] << 8 | phys[3], 5906);
    free(png);
}

/* Every claim circle of the scene is a circle in the SVG with the same centre and radius. */
static void svg_markers_match_the_scene(void) {
    char path[300];
    size_t n = 0;
    path_in(path, sizeof path, "map.svg");
    char *svg = slurp(path, &n);
    REQUIRE(svg != NULL);
    CHECK(strncmp(svg, "<?xml", 5) == 0);
    CHECK_STRCONTAINS(svg, "<title>Operation Herof 2.0");
    CHECK_STRCONTAINS(svg, "<desc>Map of claims (not independently verified)");
    CHECK_STRCONTAINS(svg, "</svg>");
    size_t n_found = 0, n_claims = 0;
    for (size_t i = 0; i < sc.n; i++) {
        const circle *c = &sc.circles[i];
        /* Claim circles, town dots and district rings: every marker the reader locates. */
        if (strcmp(c->role, "claim") != 0 && strcmp(c->role, "place") != 0 &&
            strcmp(c->role, "district") != 0)
            continue;
        n_claims++;
        /* svg.c writes circles as <circle cx cy r>, in mm like the scene */
        for (const char *e = strstr(svg, "<circle "); e != NULL; e = strstr(e + 1, "<circle ")) {
            const char *cx = strstr(e, " cx=\""), *cy = strstr(e, " cy=\""),
                       *r = strstr(e, " r=\"");
            const char *close = strchr(e, '>');
            if (cx == NULL || cy == NULL || r == NULL || cx > close || cy > close || r > close)
                continue;
            /* The SVG holds the scene's own numbers: 0.01 mm is the dump's rounding. */
            if (fabs(strtod(cx + 5, NULL) - c->x) < 0.011 &&
                fabs(strtod(cy + 5, NULL) - c->y) < 0.011 &&
                fabs(strtod(r + 4, NULL) - c->r) < 0.011) {
                n_found++;
                break;
            }
        }
    }
    CHECK_INTEQ(n_claims, 5 + 19);
    CHECK_INTEQ(n_found, n_claims);
    free(svg);
}

static bool contains(const char *hay, size_t n, const char *needle) {
    const size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return true;
    return false;
}

static void pdf_has_header_metadata_and_trailer(void) {
    char path[300];
    size_t n = 0;
    path_in(path, sizeof path, "map.pdf");
    char *pdf = slurp(path, &n);
    REQUIRE(pdf != NULL && n > 100);
    CHECK(memcmp(pdf, "%PDF-", 5) == 0);
    CHECK(strstr(pdf + n - 16, "%%EOF") != NULL);
    CHECK(contains(pdf, n, "/Creator (balmap"));
    /* Cairo 1.16 writes the date without the "D:" prefix. */
    CHECK(contains(pdf, n, "/CreationDate (19700101000000Z)"));
    free(pdf);
}

static void same_inputs_give_identical_svg_and_pdf(void) {
    char svg[300], pdf[300], svg2[300], pdf2[300];
    path_in(svg, sizeof svg, "map.svg");
    path_in(pdf, sizeof pdf, "map.pdf");
    path_in(svg2, sizeof svg2, "again.svg");
    path_in(pdf2, sizeof pdf2, "again.pdf");
    const char *outs[] = {svg2, pdf2};
    bm_error err = {0};
    REQUIRE(render(outs, 2, NULL, &err) == BM_OK);
    size_t n1, n2;
    for (int k = 0; k < 2; k++) {
        char *a = slurp(k ? pdf : svg, &n1), *b = slurp(k ? pdf2 : svg2, &n2);
        REQUIRE(a != NULL && b != NULL);
        CHECK(n1 == n2 && memcmp(a, b, n1) == 0);
        free(a);
        free(b);
    }
}

static void unwritable_output_fails_and_leaves_nothing(void) {
    const char *outs[] = {"/nonexistent-balmap-dir/map.png"};
    bm_error err = {0};
    CHECK(render(outs, 1, NULL, &err) == BM_ERR_IO);
    CHECK_STRCONTAINS(err.message, "cannot write '/nonexistent-balmap-dir/map.png'");
    struct stat sb;
    CHECK(stat("/nonexistent-balmap-dir/map.png", &sb) != 0);
}

static void failed_render_keeps_the_previous_maps(void) {
    char png[300], bad[300];
    path_in(png, sizeof png, "map.png");
    snprintf(bad, sizeof bad, "%s/no-such-dir/x.svg", dir);
    size_t n_before, n_after;
    char *before = slurp(png, &n_before);
    REQUIRE(before != NULL);
    /* Invalid input: nothing is written. */
    const char *outs[] = {png, bad};
    const bm_render_request req = example_request(BM_TEST_DATA "/bad/negative.json", outs, 1, NULL);
    bm_error err = {0};
    CHECK(bm_render(&req, &err) == BM_ERR_INVALID);
    /* The second output cannot be written, so the first is not replaced either. */
    bm_error err2 = {0};
    CHECK(render(outs, 2, NULL, &err2) == BM_ERR_IO);
    char *after = slurp(png, &n_after);
    REQUIRE(after != NULL);
    CHECK(n_before == n_after && memcmp(before, after, n_before) == 0);
    free(before);
    free(after);
    /* No temporary file is left beside the map. */
    char cmd[400];
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -q tmp", dir);
    CHECK(system(cmd) != 0);
}

/* --allocate even splits as ACLED does: evenly, the remainder to the first places named. */
static void allocate_even_splits_with_remainder_first(void) {
    char txt[300];
    path_in(txt, sizeof txt, "alloc.txt");
    bm_render_request req = example_request(NULL, NULL, 0, txt);
    req.allocate_even = true;
    bm_error err = {0};
    REQUIRE(bm_render(&req, &err) == BM_OK);
    static scene al;
    REQUIRE(read_scene(txt, &al) == 0);
    double sum = 0;
    size_t n_parts = 0;
    for (size_t i = 0; i < al.n; i++) {
        const circle *c = &al.circles[i];
        if (strcmp(c->role, "claim") != 0 || strncmp(c->ref, "ispr-militants-killed#", 22) != 0)
            continue;
        const long k = strtol(c->ref + 22, NULL, 10);
        CHECK_NEAR(c->value, k <= 2 ? 11 : 10, 0); /* 92 = 9 x 10 + 2 */
        sum += c->value;
        n_parts++;
    }
    CHECK_INTEQ(n_parts, 9);
    CHECK_NEAR(sum, 92, 0);
}

/* A spelling used only by a claim the map does not draw does not change the town's label. */
static void undrawn_claims_do_not_rename_places(void) {
    char json[300], txt[300];
    path_in(json, sizeof json, "spelling.json");
    path_in(txt, sizeof txt, "spelling.txt");
    FILE *f = fopen(json, "w");
    REQUIRE(f != NULL);
    fputs("{\"balmap\": 1, \"title\": \"t\",\n"
          " \"sources\": [{\"id\": \"a\", \"label\": \"A\", \"kind\": \"military\"}],\n"
          " \"incidents\": [{\"id\": \"i\", \"date\": \"2026-01-31\", \"claims\": [\n"
          "  {\"source\": \"a\", \"what\": \"killed\", \"who\": \"militants\", \"value\": 5,\n"
          "   \"places\": [\"Nushki\"], \"claimed_on\": \"2026-01-31\"},\n"
          "  {\"source\": \"a\", \"what\": \"wounded\", \"who\": \"militants\", \"value\": 2,\n"
          "   \"places\": [\"Noshki\"], \"claimed_on\": \"2026-01-31\"}]}]}\n",
          f);
    REQUIRE(fclose(f) == 0);
    const bm_render_request req = example_request(json, NULL, 0, txt);
    bm_error err = {0};
    REQUIRE(bm_render(&req, &err) == BM_OK);
    size_t n = 0;
    char *dump = slurp(txt, &n);
    REQUIRE(dump != NULL);
    CHECK_STRCONTAINS(dump, "text place-label ref=\"Nushki\"");
    CHECK(strstr(dump, "(Noshki)") == NULL);
    free(dump);
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    REQUIRE(f != NULL);
    fputs(text, f);
    REQUIRE(fclose(f) == 0);
}

typedef struct warnings {
    char text[8][2048];
    size_t n;
} warnings;

static void collect_warning(void *user, const bm_error *w) {
    warnings *ws = user;
    if (ws->n < 8)
        snprintf(ws->text[ws->n++], sizeof ws->text[0], "%s:%d: %s: %s | %s", w->file, w->line,
                 w->pointer, w->message, w->hint);
}

/* A district named for an incident before it existed (or after it was abolished) is placed,
 * with one warning naming the place, the dates, the JSON pointer and the way out. */
static void districts_outside_their_dates_are_warned_about_once(void) {
    char json[300], txt[300];
    path_in(json, sizeof json, "dates.json");
    path_in(txt, sizeof txt, "dates.txt");
    write_file(
        json, "{\"balmap\": 1, \"title\": \"t\",\n"
              " \"sources\": [{\"id\": \"a\", \"label\": \"A\", \"kind\": \"military\"}],\n"
              " \"incidents\": [{\"id\": \"i\", \"date\": \"2026-01-31\", \"claims\": [\n"
              "  {\"source\": \"a\", \"what\": \"killed\", \"who\": \"militants\", \"value\": 5,\n"
              "   \"places\": [\"Wadh District\", \"Sherani\"], \"claimed_on\": \"2026-01-31\"},\n"
              "  {\"source\": \"a\", \"what\": \"wounded\", \"who\": \"militants\", \"value\": 2,\n"
              "   \"places\": [\"Wadh District\", \"Karezat\"], \"claimed_on\": "
              "\"2026-01-31\"}]}]}\n");
    bm_render_request req = example_request(json, NULL, 0, txt);
    warnings ws = {0};
    req.warn = collect_warning;
    req.warn_user = &ws;
    bm_error err = {0};
    REQUIRE(bm_render(&req, &err) == BM_OK);
    CHECK_INTEQ(ws.n, 2); /* Wadh once (named twice), Karezat once; Sherani is fine */
    CHECK_STRCONTAINS(ws.text[0], "dates.json:5: /incidents/0/claims/0/places/0: place 'Wadh "
                                  "District' is the district Wadh (dist.PK.wadh), which exists "
                                  "only from 2026-07-08; the incident is dated 2026-01-31");
    CHECK_STRCONTAINS(ws.text[0], "| it is placed anyway");
    CHECK_STRCONTAINS(ws.text[1], "place 'Karezat' is the district Karezat (dist.PK.karezat), "
                                  "which existed only until 2022-11");
}

/* A district the gazetteer knows without a coordinate is refused with the way to pin it. */
static void a_district_without_coordinates_asks_for_a_pin(void) {
    char json[300];
    path_in(json, sizeof json, "barshore.json");
    write_file(json,
               "{\"balmap\": 1, \"title\": \"t\",\n"
               " \"sources\": [{\"id\": \"a\", \"label\": \"A\", \"kind\": \"military\"}],\n"
               " \"incidents\": [{\"id\": \"i\", \"date\": \"2026-04-01\", \"claims\": [\n"
               "  {\"source\": \"a\", \"what\": \"killed\", \"who\": \"militants\", \"value\": 5,\n"
               "   \"places\": [\"Barshore\"], \"claimed_on\": \"2026-04-01\"}]}]}\n");
    const char *outs[1];
    char png[300];
    path_in(png, sizeof png, "barshore.png");
    outs[0] = png;
    const bm_render_request req = example_request(json, outs, 1, NULL);
    bm_error err = {0};
    CHECK_INTEQ(bm_render(&req, &err), BM_ERR_NOT_FOUND);
    CHECK_STRCONTAINS(err.message, "place 'Barshore' is 'Barshore' (district dist.PK.barshore, "
                                   "PK), which the gazetteer knows by name but has no coordinate");
    CHECK_STRCONTAINS(err.hint, "pin it in the incident file's \"places\" with lat and lon");
    CHECK_STREQ(err.pointer, "/incidents/0/claims/0/places/0");
    CHECK_INTEQ(err.line, 5);
    CHECK(access(png, F_OK) != 0);
}

/* A panel too crowded for its labels numbers them instead of piling them up: every number on
 * the map is listed, with its full text, in the legend, and the user is told how many. */
static void crowded_labels_become_numbers_listed_in_the_legend(void) {
    char txt[300];
    path_in(txt, sizeof txt, "callouts.txt");
    bm_render_request req =
        example_request(BM_SOURCE_DIR "/examples/herof2-timeline.json", NULL, 0, txt);
    req.facet = BM_FACET_DATE;
    warnings ws = {0};
    req.warn = collect_warning;
    req.warn_user = &ws;
    bm_error err = {0};
    REQUIRE(bm_render(&req, &err) == BM_OK);
    size_t n = 0;
    char *dump = slurp(txt, &n);
    REQUIRE(dump != NULL);
    const char *list = strstr(dump, "\ntext callouts ");
    REQUIRE(list != NULL);
    size_t n_numbers = 0;
    for (const char *p = strstr(dump, "\ntext callout "); p != NULL;
         p = strstr(p + 1, "\ntext callout ")) {
        const char *q = strchr(p + 1, '"');
        q = q ? strchr(q + 1, '"') : NULL; /* past ref="..." */
        q = q ? strchr(q + 1, '"') : NULL; /* the text */
        REQUIRE(q != NULL);
        const long number = strtol(q + 1, NULL, 10);
        CHECK_INTEQ(number, (long)n_numbers + 1); /* numbered in order, from 1 */
        char entry[32];
        snprintf(entry, sizeof entry, "%s%ld: ", number == 1 ? "\"" : "\\n", number);
        CHECK(strstr(list, entry) != NULL);
        n_numbers++;
    }
    CHECK(n_numbers >= 5); /* the 31 January panel alone has nine claims on 20 places */
    CHECK_STRCONTAINS(list, "1: 84 security personnel killed, BLA, 31 Jan · 16 places");
    char said[64];
    snprintf(said, sizeof said, "%zu labels found no room on the map", n_numbers);
    bool is_said = false;
    for (size_t i = 0; i < ws.n; i++)
        is_said = is_said || strstr(ws.text[i], said) != NULL;
    CHECK(is_said);
    free(dump);
}

static void unknown_format_is_refused_before_any_work(void) {
    const char *outs[] = {"map.jpg"};
    bm_error err = {0};
    CHECK(render(outs, 1, NULL, &err) == BM_ERR_INVALID);
    CHECK_STREQ(err.message, "unknown output format 'jpg'; expected one of: png, svg, pdf, html");
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/bm_test_map.XXXXXX");
    if (getenv("BM_KEEP") != NULL)
        fprintf(stderr, "keeping %s\n", dir);
    if (mkdtemp(dir) == NULL)
        return 2;
    RUN(render_all_formats);
    RUN(places_sit_where_cs2cs_puts_them);
    RUN(marker_areas_keep_the_ratio_of_the_claims);
    RUN(legend_circles_use_the_same_scale);
    RUN(labels_overlap_nothing);
    RUN(png_is_valid_with_size_and_resolution);
    RUN(svg_markers_match_the_scene);
    RUN(pdf_has_header_metadata_and_trailer);
    RUN(same_inputs_give_identical_svg_and_pdf);
    RUN(unwritable_output_fails_and_leaves_nothing);
    RUN(failed_render_keeps_the_previous_maps);
    RUN(allocate_even_splits_with_remainder_first);
    RUN(undrawn_claims_do_not_rename_places);
    RUN(districts_outside_their_dates_are_warned_about_once);
    RUN(a_district_without_coordinates_asks_for_a_pin);
    RUN(crowded_labels_become_numbers_listed_in_the_legend);
    RUN(unknown_format_is_refused_before_any_work);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (getenv("BM_KEEP") == NULL && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return CHECK_DONE();
}
