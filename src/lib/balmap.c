/* SPDX-License-Identifier: MIT */
/* balmap.c - what balmap.h adds to the pieces it gathers: the version. */
#include "balmap.h"

#ifndef BM_VERSION
#define BM_VERSION "0.0.0"
#endif

const char *bm_version(void) {
    return BM_VERSION;
}
