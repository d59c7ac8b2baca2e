/* SPDX-License-Identifier: MIT */
/* signals.c - temporary files unlinked on SIGINT, SIGTERM, SIGHUP and SIGQUIT (signals.h). */
#include "signals.h"

#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#define N_SLOTS        256
#define PATH_MAX_BYTES 4096

enum { SLOT_FREE, SLOT_BUSY, SLOT_READY };

/* The handler may only touch lock-free atomics and call async-signal-safe functions (unlink,
 * sigaction, raise): each slot is claimed with a compare-and-swap, filled, then published. */
static struct {
    atomic_int state;
    char path[PATH_MAX_BYTES];
} slots[N_SLOTS];

static atomic_flag is_installed = ATOMIC_FLAG_INIT;

void bm_cli_remove_temps(void) {
    for (size_t i = 0; i < N_SLOTS; i++) {
        if (atomic_load(&slots[i].state) == SLOT_READY)
            unlink(slots[i].path);
    }
}

static void on_signal(int sig) {
    bm_cli_remove_temps();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
    raise(sig);
}

void bm_cli_signals_install(void) {
    if (atomic_flag_test_and_set(&is_installed))
        return;
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaddset(&sa.sa_mask, sigs[i]); /* one handler at a time */
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        /* A signal ignored by the caller (nohup) stays ignored. */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

void bm_cli_on_temp(void *user, const char *temp_path, bool is_created) {
    (void)user;
    const size_t n = strlen(temp_path);
    if (n >= PATH_MAX_BYTES)
        return;
    for (size_t i = 0; i < N_SLOTS; i++) {
        if (is_created) {
            int want = SLOT_FREE;
            if (atomic_compare_exchange_strong(&slots[i].state, &want, SLOT_BUSY)) {
                memcpy(slots[i].path, temp_path, n + 1);
                atomic_store(&slots[i].state, SLOT_READY);
                return;
            }
        } else if (atomic_load(&slots[i].state) == SLOT_READY &&
                   strcmp(slots[i].path, temp_path) == 0) {
            int want = SLOT_READY;
            if (atomic_compare_exchange_strong(&slots[i].state, &want, SLOT_FREE))
                return;
        }
    }
}
