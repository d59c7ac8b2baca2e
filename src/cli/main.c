/* SPDX-License-Identifier: MIT */
/* main.c - balmap's entry: a dispatch table of subcommands (git's commands[]). */
#include <stdio.h>
#include <string.h>

#include "balmap.h"
#include "cli.h"

#ifndef BM_VERSION
#define BM_VERSION "0.0.0"
#endif

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv); /* returns the process exit code */
    const char *summary;               /* one line in `balmap --help` */
} commands[] = {
    {"render", cmd_render, "draw incidents on a map (PNG, SVG, PDF, HTML)"},
    {"geocode", cmd_geocode, "resolve place names against the gazetteer"},
    {"validate", cmd_validate, "check an incident file and list every problem"},
    {"batch", cmd_batch, "render many maps from a manifest"},
};

static void print_help(FILE *out) {
    fputs("usage: balmap <command> [options]\n"
          "       balmap --help | --version\n\n"
          "Maps of contested casualty claims in Balochistan, one marker per source.\n\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'balmap <command> --help' describes a command's options.\n\n"
          "exit codes:\n"
          "  0  success\n"
          "  1  input refused (invalid incident file, unknown place, invalid style)\n"
          "  2  usage error (unknown option, missing argument)\n"
          "  3  I/O or library failure (unreadable input, unwritable output)\n",
          out);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs("usage: balmap <command> [options]; try 'balmap --help'\n", stderr);
        return BM_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        print_help(stdout);
        return BM_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        const char *how = NULL;
        const char *data = bm_cli_data_dir_how(NULL, &how);
        printf("balmap %s\ndata: %s (%s)\n", BM_VERSION, data, how);
        return BM_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(name, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "balmap: unknown command '%s'; expected one of: ", name);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(stderr, "%s%s", i ? ", " : "", commands[i].name);
    fputs("\nusage: balmap <command> [options]; try 'balmap --help'\n", stderr);
    return BM_EXIT_USAGE;
}
