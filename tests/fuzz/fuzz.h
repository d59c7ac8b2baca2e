/* SPDX-License-Identifier: MIT */
/* fuzz.h - the libFuzzer entry point every fuzz_<parser>.c defines. Built with clang's
 * -fsanitize=fuzzer (the fuzz preset, for long runs by hand) or with driver.c (any compiler: a
 * short deterministic run over the seed corpus in CTest, label fuzz). */
#ifndef BM_FUZZ_H
#define BM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
