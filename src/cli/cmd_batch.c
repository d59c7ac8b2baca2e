/* SPDX-License-Identifier: MIT */
/* cmd_batch.c - `balmap batch MANIFEST`: many maps from a JSON manifest (docs/batch.md), on
 * -j N threads, each calling bm_render; a failing map does not stop the others. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "balmap.h"
#include "cli.h"
#include "options.h"
#include "signals.h"
#include "stamp.h"

#ifndef BM_VERSION
#define BM_VERSION "0.0.0"
#endif

#define MAX_JOBS      64
#define MANIFEST_SIZE (16u * 1024u * 1024u)
#define MAX_TIMEOUT_S 86400

static const char usage[] =
    "usage: balmap batch MANIFEST [-j N] [--if-changed] [--timeout SECONDS] [-q]\n";

static void print_help(void) {
    fputs(usage, stdout);
    fputs("\nRenders every map listed in a JSON manifest (docs/batch.md):\n"
          "  {\"maps\": [{\"input\": \"a.json\", \"outputs\": [\"out/a.png\", \"out/a.pdf\"],\n"
          "              \"options\": {\"width\": 1600, \"measure\": \"killed\", ...}}]}\n"
          "Paths are relative to the manifest's directory. A failing map is reported and the\n"
          "others still render; a summary follows at the end.\n\n",
          stdout);
    fputs("Keys of \"options\", with values as 'balmap render --help' describes them:\n ", stdout);
    size_t column = 1;
    bool is_first = true;
    for (size_t i = 0; i < bm_cli_n_options; i++) {
        const char *key = bm_cli_options[i].key;
        if (key == NULL)
            continue;
        if (!is_first)
            fputc(',', stdout);
        if (column + strlen(key) + 3 > 90) {
            fputs("\n ", stdout);
            column = 1;
        }
        column += (size_t)printf(" %s", key) + 1;
        is_first = false;
    }
    fputs("\n\n", stdout);
    fputs("options:\n"
          "  -j, --jobs N        render N maps at a time (default 1; 1-64)\n"
          "      --if-changed    skip maps whose outputs are up to date (OUTPUT.balmap-stamp)\n"
          "      --timeout S     a map still rendering after S seconds (1-86400) fails and\n"
          "                      writes nothing; the others go on\n"
          "      --data-dir DIR  where shapes/ and styles/ are (default: $BALMAP_DATA_DIR,\n"
          "                      else the installed data; 'balmap --version' says which)\n"
          "  -q, --quiet         no warnings, no progress line; the summary only on failure\n"
          "  -h, --help          this help\n\n"
          "exit codes: 0 every map rendered or skipped, 1 some map failed or the manifest is\n"
          "invalid, 2 usage error, 3 the manifest cannot be read\n",
          stdout);
}

/* "balmap batch: <problem>" and the one-line usage on stderr; returns exit code 2. */
#define usage_error(...) bm_usage_error("batch", usage, __VA_ARGS__)

typedef enum outcome { OUTCOME_PENDING, OUTCOME_RENDERED, OUTCOME_SKIPPED, OUTCOME_FAILED } outcome;

struct batch;

typedef struct map_job {
    bm_render_request req; /* strings and lists live in the batch's arena */
    size_t index;
    struct batch *batch;
    outcome result;
    bm_output_hooks hooks; /* temporary files for the signal handler; the time limit */
    bool is_scale_shared;  /* "scale_max": "shared": one scale with the others that say so */
    /* Guarded by the batch's lock: */
    double started_s;
    bool is_running, is_committing, is_late, is_reported, is_replaced;
} map_job;

typedef struct batch {
    const char *manifest_path;
    bm_arena *arena;
    map_job *jobs;
    size_t n_jobs;
    bool is_quiet, is_if_changed, has_progress;
    double timeout_s;     /* 0: none */
    pthread_mutex_t lock; /* guards the fields below and stderr */
    size_t next, n_done, n_rendered, n_skipped, n_failed;
    size_t n_workers_alive; /* worker threads not stuck in a map past its time limit */
    bool is_progress_shown;
} batch;

/* ---- the manifest ---------------------------------------------------------------------- */

typedef struct manifest_reader {
    batch *b;
    const char *dir; /* the manifest's directory, for relative paths */
    size_t n_errors;
    bool is_out_of_memory;
    bm_cli_opts *opts; /* the current map's, once it has one */
} manifest_reader;

static void BM_PRINTF(3, 4)
    manifest_error(manifest_reader *m, const char *pointer, const char *fmt, ...) {
    bm_error e = {0};
    e.status = BM_ERR_INVALID;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.message, sizeof e.message, fmt, ap);
    va_end(ap);
    bm_error_file(&e, m->b->manifest_path);
    bm_error_pointer(&e, pointer);
    bm_report_error(&e);
    m->n_errors++;
}

static const char *arena_printf(manifest_reader *m, const char *fmt, ...) BM_PRINTF(2, 3);
static const char *arena_printf(manifest_reader *m, const char *fmt, ...) {
    bm_buf t = BM_BUF_INIT(1 << 16);
    va_list ap;
    va_start(ap, fmt);
    const bm_status st = bm_buf_vprintf(&t, fmt, ap);
    va_end(ap);
    const char *s = st == BM_OK ? bm_arena_strdup(m->b->arena, bm_buf_str(&t)) : NULL;
    bm_buf_free(&t);
    if (s == NULL)
        m->is_out_of_memory = true;
    return s;
}

/* A path from the manifest, relative to its directory unless absolute. */
static const char *resolve(manifest_reader *m, const char *path) {
    if (path[0] == '/' || m->dir[0] == '\0')
        return arena_printf(m, "%s", path);
    return arena_printf(m, "%s/%s", m->dir, path);
}

/* A manifest value as the text bm_cli_option_set checks (the same check as `render`'s); NULL
 * after writing msg (or when memory ran out). */
static const char *option_text(manifest_reader *m, const bm_cli_option *opt,
                               const bm_manifest_value *v, const char *who, char *msg,
                               size_t msg_size) {
    if (opt->kind == BM_OPT_FLAG) {
        if (v->kind != BM_MANIFEST_BOOL) {
            snprintf(msg, msg_size, "%s must be true or false", who);
            return NULL;
        }
        return v->is_true ? "true" : "false";
    }
    if (opt->kind == BM_OPT_NUMBER) {
        if (v->kind != BM_MANIFEST_NUMBER) {
            snprintf(msg, msg_size, "%s must be a number from %g to %g", who, opt->lo, opt->hi);
            return NULL;
        }
        return arena_printf(m, "%.17g", v->number);
    }
    if (v->kind != BM_MANIFEST_STRING || v->string[0] == '\0') {
        snprintf(msg, msg_size, "expected %s (%s) as a non-empty string", who,
                 opt->arg != NULL ? opt->arg : "text");
        return NULL;
    }
    /* Paths are relative to the manifest ("path[:field]" for a layer: the path). */
    return opt->kind == BM_OPT_PATH || opt->kind == BM_OPT_PATHS ? resolve(m, v->string)
                                                                 : arena_printf(m, "%s", v->string);
}

/* The manifest reader's callbacks (manifest.h): the option table gives the options meaning. */
static bool on_start(void *user, size_t n_maps) {
    manifest_reader *m = user;
    m->b->jobs = bm_arena_alloc(m->b->arena, n_maps * sizeof *m->b->jobs);
    m->b->n_jobs = m->b->jobs != NULL ? n_maps : 0;
    m->is_out_of_memory |= m->b->jobs == NULL;
    return m->b->jobs != NULL;
}

static bool on_map(void *user, size_t i, const char *input, const char *const *outputs,
                   size_t n_outputs) {
    manifest_reader *m = user;
    map_job *job = &m->b->jobs[i];
    bm_render_request_init(&job->req);
    job->index = i;
    job->batch = m->b;
    job->is_scale_shared = false;
    m->opts = NULL;
    if (input != NULL)
        job->req.input_path = resolve(m, input);
    const char **out = bm_arena_alloc(m->b->arena, (n_outputs + 1) * sizeof *out);
    if (out == NULL) {
        m->is_out_of_memory = true;
        return false;
    }
    for (size_t k = 0; k < n_outputs; k++)
        out[k] = resolve(m, outputs[k]);
    job->req.outputs = out;
    job->req.n_outputs = n_outputs;
    return !m->is_out_of_memory;
}

/* The options of map i so far, from its request (input and outputs set), in the arena: the
 * request's lists point into it. */
static bm_cli_opts *map_opts(manifest_reader *m, size_t i) {
    if (m->opts == NULL) {
        m->opts = bm_arena_alloc(m->b->arena, sizeof *m->opts);
        if (m->opts == NULL) {
            m->is_out_of_memory = true;
            return NULL;
        }
        bm_cli_opts_init(m->opts);
        m->opts->req = m->b->jobs[i].req;
    }
    return m->opts;
}

/* One member of a map's "options": every key is a row of the option table (options.h). */
static bm_manifest_verdict on_option(void *user, size_t i, const char *key,
                                     const bm_manifest_value *v, char *msg, size_t msg_size) {
    manifest_reader *m = user;
    const bm_cli_option *opt = bm_cli_option_by_key(key);
    if (opt == NULL) {
        char keys[512];
        bm_cli_list_keys(keys, sizeof keys);
        snprintf(msg, msg_size, "unknown key '%s'; expected one of: %s", key, keys);
        return BM_MANIFEST_BAD_KEY;
    }
    if (v->kind == BM_MANIFEST_ARRAY && !v->is_element && opt->kind == BM_OPT_PATHS)
        return BM_MANIFEST_OK; /* each element comes next */
    if (strcmp(key, "scale_max") == 0 && v->kind == BM_MANIFEST_STRING) {
        /* A series: the maps that say "shared" get one scale (share_scales). */
        m->b->jobs[i].is_scale_shared = strcmp(v->string, "shared") == 0;
        if (m->b->jobs[i].is_scale_shared)
            return BM_MANIFEST_OK;
        snprintf(msg, msg_size, "'scale_max' must be a number from %g to %g, or \"shared\"",
                 opt->lo, opt->hi);
        return BM_MANIFEST_BAD_VALUE;
    }
    bm_cli_opts *o = map_opts(m, i);
    if (o == NULL)
        return BM_MANIFEST_OK;
    char who[64];
    snprintf(who, sizeof who, "'%s'", opt->key);
    const char *text = option_text(m, opt, v, who, msg, msg_size);
    if (text == NULL)
        return m->is_out_of_memory ? BM_MANIFEST_OK : BM_MANIFEST_BAD_VALUE;
    return bm_cli_option_set(o, opt, who, text, msg, msg_size) ? BM_MANIFEST_OK
                                                               : BM_MANIFEST_BAD_VALUE;
}

static bm_manifest_verdict on_options_end(void *user, size_t i, const char **key, char *msg,
                                          size_t msg_size) {
    manifest_reader *m = user;
    bm_cli_opts *o = map_opts(m, i);
    if (o == NULL)
        return BM_MANIFEST_OK;
    bm_render_request *req = &m->b->jobs[i].req;
    const bool ok = bm_cli_opts_finish(o, true, msg, msg_size);
    /* The outputs come from the entry's "outputs", not from "options". */
    o->req.outputs = req->outputs;
    o->req.n_outputs = req->n_outputs;
    *req = o->req;
    m->opts = NULL;
    if (ok)
        return BM_MANIFEST_OK;
    *key = "size";
    return BM_MANIFEST_BAD_VALUE;
}

typedef struct output_ref {
    const char *id; /* bm_output_identity: the same file however it is spelled */
    size_t job, k;
} output_ref;

static int output_ref_cmp(const void *pa, const void *pb) {
    const output_ref *a = pa, *b = pb;
    const int c = strcmp(a->id, b->id);
    if (c != 0)
        return c;
    if (a->job != b->job)
        return a->job < b->job ? -1 : 1;
    return a->k < b->k ? -1 : a->k > b->k;
}

/* Two maps writing one file would race; the manifest is refused instead. Outputs are compared
 * by what they name (out/./x.png, out/sub/../x.png and a symlinked folder are out/x.png), sorted
 * rather than pairwise, so 100,000 maps take no longer than reading them. */
static void check_duplicate_outputs(manifest_reader *m) {
    const batch *b = m->b;
    size_t n = 0;
    for (size_t i = 0; i < b->n_jobs; i++)
        n += b->jobs[i].req.n_outputs;
    output_ref *refs = calloc(n > 0 ? n : 1, sizeof *refs);
    if (refs == NULL) {
        m->is_out_of_memory = true;
        return;
    }
    bm_buf id = BM_BUF_INIT(1 << 16);
    size_t n_refs = 0;
    for (size_t i = 0; i < b->n_jobs; i++) {
        for (size_t k = 0; k < b->jobs[i].req.n_outputs; k++) {
            bm_error err = {0};
            const char *path = b->jobs[i].req.outputs[k];
            if (bm_output_identity(path, &id, &err) != BM_OK) {
                char at[64];
                snprintf(at, sizeof at, "/maps/%zu/outputs/%zu", i, k);
                manifest_error(m, at, "%s", err.message);
                continue;
            }
            refs[n_refs] = (output_ref){bm_arena_strdup(b->arena, bm_buf_str(&id)), i, k};
            if (refs[n_refs].id == NULL) {
                m->is_out_of_memory = true;
                break;
            }
            n_refs++;
        }
    }
    bm_buf_free(&id);
    qsort(refs, n_refs, sizeof *refs, output_ref_cmp);
    for (size_t r = 1; r < n_refs; r++) {
        if (strcmp(refs[r].id, refs[r - 1].id) != 0)
            continue;
        size_t first = r - 1; /* the first of the run names the other map */
        while (first > 0 && strcmp(refs[first - 1].id, refs[r].id) == 0)
            first--;
        char at[64];
        snprintf(at, sizeof at, "/maps/%zu/outputs/%zu", refs[r].job, refs[r].k);
        if (refs[first].job == refs[r].job)
            manifest_error(m, at, "output '%s' is the same file as outputs/%zu of this map",
                           b->jobs[refs[r].job].req.outputs[refs[r].k], refs[first].k);
        else
            manifest_error(m, at, "output '%s' is also written by /maps/%zu (as '%s')",
                           b->jobs[refs[r].job].req.outputs[refs[r].k], refs[first].job,
                           b->jobs[refs[first].job].req.outputs[refs[first].k]);
    }
    free(refs);
}

/* Reads the manifest into b->jobs; returns an exit code (0 when every map is well-formed). */
static int read_manifest(batch *b) {
    bm_buf text = BM_BUF_INIT(MANIFEST_SIZE);
    bm_error err = {0};
    if (bm_buf_read_file(&text, b->manifest_path, MANIFEST_SIZE, &err) != BM_OK) {
        bm_report_error(&err);
        bm_buf_free(&text);
        return BM_EXIT_IO;
    }
    manifest_reader m = {b, NULL, 0, false, NULL};
    const char *slash = strrchr(b->manifest_path, '/');
    m.dir =
        slash == NULL
            ? ""
            : bm_arena_strndup(b->arena, b->manifest_path,
                               slash == b->manifest_path ? 1 : (size_t)(slash - b->manifest_path));
    if (m.dir == NULL) {
        bm_buf_free(&text);
        fputs("balmap: batch: out of memory\n", stderr);
        return BM_EXIT_IO;
    }
    bm_diags diags = {0};
    const bm_manifest_handlers h = {&m, on_start, on_map, on_option, on_options_end};
    const bm_status st =
        bm_manifest_read(bm_buf_str(&text), text.len, b->manifest_path, &h, &diags);
    bm_report_diags(&diags);
    m.n_errors += diags.n_errors;
    m.is_out_of_memory |= st == BM_ERR_NOMEM;
    bm_diags_free(&diags);
    bm_buf_free(&text);
    if (st == BM_ERR_SYNTAX)
        return BM_EXIT_INPUT;
    if (st == BM_OK && !m.is_out_of_memory)
        check_duplicate_outputs(&m);
    if (m.is_out_of_memory) {
        fputs("balmap: batch: out of memory\n", stderr);
        return BM_EXIT_IO;
    }
    if (m.n_errors > 0) {
        fprintf(stderr, "balmap: batch: %zu problem%s in the manifest; nothing rendered\n",
                m.n_errors, m.n_errors == 1 ? "" : "s");
        return BM_EXIT_INPUT;
    }
    return BM_EXIT_OK;
}

/* ---- rendering ------------------------------------------------------------------------- */

/* The maps whose options say "scale_max": "shared" are one series on one scale: the largest
 * value any of them draws (bm_render_value_max reads, geocodes and sums each, drawing nothing)
 * becomes every one's scale_max, so the same figure has the same circle on each. A map that
 * cannot be read here fails again when rendered, with its message. */
static void share_scales(batch *b) {
    double value_max = 0;
    for (size_t i = 0; i < b->n_jobs; i++) {
        if (!b->jobs[i].is_scale_shared)
            continue;
        bm_error err = {0};
        double v = 0;
        if (bm_render_value_max(&b->jobs[i].req, &v, &err) == BM_OK && v > value_max)
            value_max = v;
    }
    for (size_t i = 0; i < b->n_jobs && value_max > 0; i++)
        if (b->jobs[i].is_scale_shared)
            b->jobs[i].req.scale_max = value_max;
}

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* With the lock held: clears the progress line before other text goes to stderr. */
static void clear_progress(batch *b) {
    if (b->is_progress_shown) {
        fputs("\r\033[K", stderr);
        b->is_progress_shown = false;
    }
}

/* With the lock held. */
static void show_progress(batch *b) {
    if (!b->has_progress)
        return;
    enum { WIDTH = 30 };
    const size_t filled = b->n_done * WIDTH / b->n_jobs;
    char bar[WIDTH + 1];
    for (size_t i = 0; i < WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[WIDTH] = '\0';
    fprintf(stderr, "\r\033[Kbalmap: batch [%s] %zu/%zu", bar, b->n_done, b->n_jobs);
    if (b->n_failed > 0)
        fprintf(stderr, ", %zu failed", b->n_failed);
    fflush(stderr);
    b->is_progress_shown = true;
}

static void on_warning(void *user, const bm_error *w) {
    map_job *job = user;
    batch *b = job->batch;
    if (b->is_quiet)
        return;
    /* Several maps print at once: name the map a warning is about. */
    bm_error named = *w;
    bm_error_file(&named, job->req.input_path);
    pthread_mutex_lock(&b->lock);
    clear_progress(b);
    bm_report_warning(&named);
    show_progress(b);
    pthread_mutex_unlock(&b->lock);
}

/* The output hook of --timeout: asked just before a map's files are committed. Once it says
 * go, the watchdog leaves the map alone (its commit takes milliseconds). */
static bool is_past_time_limit(void *user) {
    map_job *job = user;
    batch *b = job->batch;
    pthread_mutex_lock(&b->lock);
    if (!job->is_late && b->timeout_s > 0 && now_s() - job->started_s > b->timeout_s)
        job->is_late = true; /* the watchdog reports it */
    job->is_committing = !job->is_late;
    const bool is_late = job->is_late;
    pthread_mutex_unlock(&b->lock);
    return is_late;
}

/* With the lock held: a map past its time limit is reported and counted as failed once, by
 * whichever notices first (the watchdog, or the map itself at its commit). */
static void report_late(batch *b, map_job *job) {
    clear_progress(b);
    fprintf(stderr,
            "balmap: batch: map %zu (%s) failed: still rendering after --timeout %g s; "
            "none of its outputs was written\n",
            job->index + 1, job->req.input_path, b->timeout_s);
    job->is_reported = true;
    job->result = OUTCOME_FAILED;
    b->n_done++;
    b->n_failed++;
    show_progress(b);
}

/* Renders one map. Returns true when the watchdog replaced this worker (the map ran late): the
 * worker then stops without touching the batch again, which may be gone by then. */
static bool run_job(map_job *job) {
    batch *b = job->batch;
    bm_render_request *req = &job->req;
    uint64_t stamp = 0;
    char why[700];
    pthread_mutex_lock(&b->lock);
    job->started_s = now_s();
    job->is_running = true;
    pthread_mutex_unlock(&b->lock);
    job->hooks =
        (bm_output_hooks){bm_cli_on_temp, b->timeout_s > 0 ? is_past_time_limit : NULL, job, false};
    req->output_hooks = &job->hooks;
    const bool has_stamp =
        b->is_if_changed && bm_stamp_compute(req, BM_VERSION, &stamp, why, sizeof why);
    bool is_late = false;
    if (has_stamp && bm_stamp_is_current(req, stamp)) {
        job->result = OUTCOME_SKIPPED;
    } else {
        bm_diags diags = {0};
        bm_error err = {0};
        req->diags = &diags;
        req->warn = on_warning;
        req->warn_user = job;
        const bm_status st = bm_render(req, &err);
        job->result = st == BM_OK ? OUTCOME_RENDERED : OUTCOME_FAILED;
        bool has_stamp_error = false, has_changed = false;
        if (st == BM_OK && has_stamp) {
            /* The stamp must describe the inputs the map was made from: hashed again after
             * the render, a change while it ran leaves no stamp (the next run renders again)
             * instead of an old stamp beside a newer map, or a new one beside an older map. */
            uint64_t after = 0;
            has_changed =
                !bm_stamp_compute(req, BM_VERSION, &after, why, sizeof why) || after != stamp;
            if (has_changed)
                bm_stamp_remove(req);
            else
                has_stamp_error = !bm_stamp_write(req, stamp, why, sizeof why);
        } else if (st == BM_OK) {
            bm_stamp_remove(req);
        }
        pthread_mutex_lock(&b->lock);
        is_late = job->is_late;
        pthread_mutex_unlock(&b->lock);
        if (!is_late && (st != BM_OK || has_stamp_error || has_changed ||
                         (diags.n_items > 0 && !b->is_quiet))) {
            pthread_mutex_lock(&b->lock);
            clear_progress(b);
            if (st != BM_OK)
                fprintf(stderr, "balmap: batch: map %zu (%s) failed:\n", job->index + 1,
                        req->input_path);
            if (diags.n_items > 0 && (!b->is_quiet || diags.n_errors > 0))
                bm_report_diags(&diags);
            if (st != BM_OK && diags.n_errors == 0)
                bm_report_error(&err);
            if (has_stamp_error && !b->is_quiet)
                fprintf(stderr, "balmap: warning: %s; the next --if-changed run renders again\n",
                        why);
            if (has_changed && !b->is_quiet)
                fprintf(stderr,
                        "balmap: warning: map %zu (%s): its inputs changed while it was "
                        "rendered; no stamp written, the next --if-changed run renders again\n",
                        job->index + 1, req->input_path);
            pthread_mutex_unlock(&b->lock);
        }
        bm_diags_free(&diags);
        req->diags = NULL;
    }
    pthread_mutex_lock(&b->lock);
    job->is_running = false;
    if (job->is_late) {
        if (!job->is_reported) /* noticed at its own commit */
            report_late(b, job);
    } else {
        b->n_done++;
        b->n_rendered += job->result == OUTCOME_RENDERED;
        b->n_skipped += job->result == OUTCOME_SKIPPED;
        b->n_failed += job->result == OUTCOME_FAILED;
        show_progress(b);
    }
    const bool is_replaced = job->is_replaced;
    pthread_mutex_unlock(&b->lock);
    return is_replaced;
}

static void *worker(void *arg) {
    batch *b = arg;
    pthread_mutex_lock(&b->lock);
    for (;;) {
        const size_t i = b->next++;
        if (i >= b->n_jobs)
            break;
        pthread_mutex_unlock(&b->lock);
        if (run_job(&b->jobs[i]))
            return NULL; /* replaced by the watchdog */
        pthread_mutex_lock(&b->lock);
    }
    b->n_workers_alive--;
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

/* --timeout: the main thread watches the running maps. One past its limit is reported as
 * failed at once and a new worker takes its place; its thread, if still rendering, is left
 * behind (it can commit nothing). Returns true when every worker finished, false when some are
 * stuck in late maps (the caller then exits without waiting for them). */
static bool watch(batch *b) {
    for (;;) {
        struct timespec pause = {0, 50 * 1000 * 1000};
        nanosleep(&pause, NULL);
        pthread_mutex_lock(&b->lock);
        const double now = now_s();
        for (size_t i = 0; i < b->n_jobs; i++) {
            map_job *job = &b->jobs[i];
            if (!job->is_running || job->is_late || job->is_committing ||
                now - job->started_s <= b->timeout_s)
                continue;
            job->is_late = true;
            job->is_replaced = true;
            report_late(b, job);
            pthread_t t;
            if (b->next < b->n_jobs && pthread_create(&t, NULL, worker, b) == 0)
                pthread_detach(t);
            else
                b->n_workers_alive--; /* no maps left to take, or no thread: one fewer */
        }
        /* Stuck: every map still running was given up (replaced), and there is one. */
        size_t n_given_up = 0, n_running = 0;
        for (size_t i = 0; i < b->n_jobs; i++) {
            n_running += b->jobs[i].is_running;
            n_given_up += b->jobs[i].is_running && b->jobs[i].is_replaced;
        }
        const bool is_finished = b->n_done >= b->n_jobs;
        const bool has_workers = b->n_workers_alive > 0;
        pthread_mutex_unlock(&b->lock);
        if (is_finished && n_running == 0 && !has_workers)
            return true;
        if (is_finished && n_given_up > 0 && n_given_up == n_running)
            return false;
    }
}

/* SOURCE_DATE_EPOCH (reproducible-builds.org) for every PDF, else each input's mtime, as
 * `render` does. Returns false for an invalid value. */
/* A manifest names where its maps go; their directories are made as `mkdir -p` would. Returns
 * false, with the message printed, when one cannot be made. */
static bool make_output_dirs(const batch *b) {
    for (size_t i = 0; i < b->n_jobs; i++) {
        for (size_t k = 0; k < b->jobs[i].req.n_outputs; k++) {
            char path[4096];
            if ((size_t)snprintf(path, sizeof path, "%s", b->jobs[i].req.outputs[k]) >=
                sizeof path) {
                fprintf(stderr, "balmap: batch: output path of map %zu longer than %zu bytes\n",
                        i + 1, sizeof path - 1);
                return false;
            }
            for (char *p = path + 1; *p; p++) {
                if (*p != '/')
                    continue;
                *p = '\0';
                if (mkdir(path, 0777) != 0 && errno != EEXIST) {
                    fprintf(stderr, "balmap: batch: cannot make the directory '%s': %s\n", path,
                            strerror(errno));
                    return false;
                }
                *p = '/';
            }
        }
    }
    return true;
}

static bool set_creation_dates(batch *b) {
    for (size_t i = 0; i < b->n_jobs; i++) {
        if (bm_cli_creation_date(b->jobs[i].req.input_path, &b->jobs[i].req.created_unix_s) != 0) {
            usage_error("SOURCE_DATE_EPOCH must be whole seconds from 0 to %lld, got '%s'",
                        (long long)BM_MAX_UNIX_S, getenv("SOURCE_DATE_EPOCH"));
            return false;
        }
    }
    return true;
}

int cmd_batch(int argc, char **argv) {
    static const struct option options[] = {
        {"jobs", required_argument, NULL, 'j'},
        {"if-changed", no_argument, NULL, 'c'},
        {"data-dir", required_argument, NULL, 'D'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"timeout", required_argument, NULL, 'T'},
        {NULL, 0, NULL, 0},
    };
    batch b = {0};
    long n_threads = 1;
    const char *data_dir = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":j:qh", options, NULL)) != -1) {
        switch (c) {
        case 'j': {
            char *end = NULL;
            errno = 0;
            n_threads = strtol(optarg, &end, 10);
            if (end == optarg || *end != '\0' || errno != 0 || n_threads < 1 ||
                n_threads > MAX_JOBS)
                return usage_error("--jobs must be a whole number from 1 to %d, got '%s'", MAX_JOBS,
                                   optarg);
            break;
        }
        case 'c':
            b.is_if_changed = true;
            break;
        case 'T': {
            char *end = NULL;
            errno = 0;
            b.timeout_s = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || errno != 0 || !(b.timeout_s >= 1) ||
                b.timeout_s > MAX_TIMEOUT_S)
                return usage_error("--timeout must be a number of seconds from 1 to %d, got '%s'",
                                   MAX_TIMEOUT_S, optarg);
            break;
        }
        case 'D':
            data_dir = optarg;
            break;
        case 'q':
            b.is_quiet = true;
            break;
        case 'h':
            print_help();
            return BM_EXIT_OK;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error("missing the manifest");
    if (optind + 1 < argc)
        return usage_error("one manifest at a time; got also '%s'", argv[optind + 1]);
    b.manifest_path = argv[optind];
    b.arena = bm_arena_new();
    if (b.arena == NULL) {
        fputs("balmap: batch: out of memory\n", stderr);
        return BM_EXIT_IO;
    }
    int code = read_manifest(&b);
    if (code != BM_EXIT_OK)
        goto done;
    if (!set_creation_dates(&b)) {
        code = BM_EXIT_USAGE;
        goto done;
    }
    if (!make_output_dirs(&b)) {
        code = BM_EXIT_IO;
        goto done;
    }
    const char *dir = bm_cli_data_dir(data_dir);
    /* Maps of one extent, size and style draw their basemap once (render_cache.h); 32 MiB
     * holds the basemaps of four 1600 x 1200 pages (a mixed batch gains little from more, and
     * pays for it in memory). Without memory for it, maps draw all. */
    bm_basemap_cache *basemaps = bm_basemap_cache_new((size_t)32 << 20);
    /* Fonts are set up once per thread and style, not once per map (render_cache.h). */
    bm_text_pool *fonts = bm_text_pool_new();
    /* The gazetteer and boundaries are loaded once (map.h). */
    bm_map_data *data = bm_map_data_new();
    for (size_t i = 0; i < b.n_jobs; i++) {
        b.jobs[i].req.data_dir = dir;
        b.jobs[i].req.creator = "balmap " BM_VERSION;
        b.jobs[i].req.basemap_cache = basemaps;
        b.jobs[i].req.text_pool = fonts;
        b.jobs[i].req.shared_data = data;
    }
    share_scales(&b);
    /* A progress line only for a person watching: not in a pipe, a log file or CI. */
    const char *ci = getenv("CI");
    b.has_progress = !b.is_quiet && isatty(STDERR_FILENO) && (ci == NULL || ci[0] == '\0');
    pthread_mutex_init(&b.lock, NULL);
    const double t0 = now_s();
    size_t n_workers = (size_t)n_threads < b.n_jobs ? (size_t)n_threads : b.n_jobs;
    /* GDAL registers drivers on first use, check-then-register, so two threads opening their
     * first layer at once could register one twice: every driver is registered up front. */
    if (n_workers > 1)
        bm_shapes_register_all();
    pthread_t threads[MAX_JOBS];
    size_t n_started = 0;
    bool is_stuck = false;
    bm_cli_signals_install();
    if (b.timeout_s > 0) {
        /* Workers are detached: one stuck in a late map is never waited for. */
        b.n_workers_alive = n_workers;
        for (size_t i = 0; i < n_workers; i++) {
            pthread_t t;
            if (pthread_create(&t, NULL, worker, &b) != 0) {
                b.n_workers_alive = i;
                break;
            }
            pthread_detach(t);
        }
        if (b.n_workers_alive == 0) { /* no thread at all: this one renders, unwatched */
            b.n_workers_alive = 1;
            worker(&b);
        } else {
            is_stuck = !watch(&b);
        }
    } else {
        b.n_workers_alive = n_workers;
        for (size_t i = 1; i < n_workers; i++) {
            if (pthread_create(&threads[n_started], NULL, worker, &b) != 0)
                break; /* fewer threads: the ones running take the rest */
            n_started++;
        }
        worker(&b);
        for (size_t i = 0; i < n_started; i++)
            pthread_join(threads[i], NULL);
    }
    const double elapsed_s = now_s() - t0;
    clear_progress(&b);
    pthread_mutex_destroy(&b.lock);
    bm_basemap_cache_free(basemaps);
    bm_text_pool_free(fonts);
    bm_map_data_free(data);
    if (b.n_failed > 0 || !b.is_quiet) {
        for (size_t i = 0; i < b.n_jobs; i++) {
            if (b.jobs[i].result == OUTCOME_FAILED)
                fprintf(stderr, "balmap: batch: failed: map %zu (%s)\n", i + 1,
                        b.jobs[i].req.input_path);
        }
        fprintf(stderr,
                "balmap: batch: %zu rendered, %zu skipped as unchanged, %zu failed "
                "(%zu map%s in %.1f s, %zu thread%s)\n",
                b.n_rendered, b.n_skipped, b.n_failed, b.n_jobs, b.n_jobs == 1 ? "" : "s",
                elapsed_s, n_workers, n_workers == 1 ? "" : "s");
    }
    code = b.n_failed > 0 ? BM_EXIT_INPUT : BM_EXIT_OK;
    if (is_stuck) {
        /* A thread still inside a late map cannot be stopped safely; the process ends without
         * it. It commits nothing (the time-limit hook refuses), and its staged files are
         * unnamed (or named ones are removed here). */
        bm_cli_remove_temps();
        fflush(NULL);
        _exit(code);
    }
done:
    bm_arena_free(b.arena);
    return code;
}
