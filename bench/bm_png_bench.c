/* SPDX-License-Identifier: MIT */
/* bm_png_bench.c - bm_png_bench MAP.png [RUNS]: times PNG encoders on the pixels of a map
 * (bench/README.md, "PNG encoding"): libpng with zlib at several levels, filters and strategies,
 * libdeflate on the whole filtered image, and libspng. Prints, per variant, the median CPU time
 * of RUNS encodes (default 9; CPU time, so other processes on the machine matter less) and the
 * size. Each output is decoded again and compared with the input, so no variant can cheat. */
#include <libdeflate.h>
#include <png.h>
#include <spng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

typedef struct out_buf {
    unsigned char *data;
    size_t len, cap;
} out_buf;

static void put(out_buf *b, const void *p, size_t n) {
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2;
        b->data = realloc(b->data, b->cap);
        if (b->data == NULL)
            abort();
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void png_put(png_structp png, png_bytep data, png_size_t n) {
    put(png_get_io_ptr(png), data, n);
}

static void png_noflush(png_structp png) {
    (void)png;
}

typedef struct variant {
    const char *name;
    int kind; /* 0 libpng, 1 libdeflate, 2 spng */
    int level, filter, strategy;
} variant;

static void encode_libpng(const variant *v, const unsigned char *rgb, int w, int h, out_buf *o) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png)))
        abort();
    png_set_write_fn(png, o, png_put, png_noflush);
    png_set_compression_level(png, v->level);
    png_set_compression_strategy(png, v->strategy);
    png_set_filter(png, 0, v->filter);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < h; y++)
        png_write_row(png, rgb + (size_t)y * (size_t)w * 3);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
}

static void chunk(out_buf *o, const char *type, const unsigned char *data, size_t n) {
    unsigned char be[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                           (unsigned char)(n >> 8), (unsigned char)n};
    put(o, be, 4);
    put(o, type, 4);
    if (n)
        put(o, data, n);
    uint32_t crc = libdeflate_crc32(0, type, 4);
    crc = libdeflate_crc32(crc, data, n);
    unsigned char c[4] = {(unsigned char)(crc >> 24), (unsigned char)(crc >> 16),
                          (unsigned char)(crc >> 8), (unsigned char)crc};
    put(o, c, 4);
}

/* Filter 1 (Sub) or 0 (None) for every row, then one libdeflate zlib stream. */
static void encode_libdeflate(const variant *v, const unsigned char *rgb, int w, int h,
                              out_buf *o) {
    const size_t row = (size_t)w * 3, n_raw = (row + 1) * (size_t)h;
    unsigned char *raw = malloc(n_raw);
    for (int y = 0; y < h; y++) {
        unsigned char *d = raw + (size_t)y * (row + 1);
        const unsigned char *s = rgb + (size_t)y * row;
        d[0] = (unsigned char)v->filter;
        if (v->filter == 1) {
            memcpy(d + 1, s, 3);
            for (size_t i = 3; i < row; i++)
                d[1 + i] = (unsigned char)(s[i] - s[i - 3]);
        } else if (v->filter == 2 && y > 0) {
            for (size_t i = 0; i < row; i++)
                d[1 + i] = (unsigned char)(s[i] - s[i - row]);
        } else {
            memcpy(d + 1, s, row);
        }
    }
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(v->level);
    const size_t bound = libdeflate_zlib_compress_bound(c, n_raw);
    unsigned char *z = malloc(bound);
    const size_t nz = libdeflate_zlib_compress(c, raw, n_raw, z, bound);
    libdeflate_free_compressor(c);
    put(o, "\x89PNG\r\n\x1a\n", 8);
    unsigned char ihdr[13] = {0, 0, 0, 0, 0, 0, 0, 0, 8, 2, 0, 0, 0};
    ihdr[0] = (unsigned char)(w >> 24), ihdr[1] = (unsigned char)(w >> 16);
    ihdr[2] = (unsigned char)(w >> 8), ihdr[3] = (unsigned char)w;
    ihdr[4] = (unsigned char)(h >> 24), ihdr[5] = (unsigned char)(h >> 16);
    ihdr[6] = (unsigned char)(h >> 8), ihdr[7] = (unsigned char)h;
    chunk(o, "IHDR", ihdr, 13);
    chunk(o, "IDAT", z, nz);
    chunk(o, "IEND", NULL, 0);
    free(z);
    free(raw);
}

static void encode_spng(const variant *v, const unsigned char *rgb, int w, int h, out_buf *o) {
    spng_ctx *ctx = spng_ctx_new(SPNG_CTX_ENCODER);
    spng_set_option(ctx, SPNG_ENCODE_TO_BUFFER, 1);
    spng_set_option(ctx, SPNG_IMG_COMPRESSION_LEVEL, v->level);
    spng_set_option(ctx, SPNG_FILTER_CHOICE, v->filter);
    struct spng_ihdr ihdr = {(uint32_t)w, (uint32_t)h, 8, SPNG_COLOR_TYPE_TRUECOLOR, 0, 0, 0};
    spng_set_ihdr(ctx, &ihdr);
    if (spng_encode_image(ctx, rgb, (size_t)w * (size_t)h * 3, SPNG_FMT_PNG,
                          SPNG_ENCODE_FINALIZE) != 0)
        abort();
    size_t n;
    int e;
    void *p = spng_get_png_buffer(ctx, &n, &e);
    put(o, p, n);
    free(p);
    spng_ctx_free(ctx);
}

static double cpu_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bm_png_bench MAP.png [RUNS]\n");
        return 2;
    }
    const int runs = argc > 2 ? atoi(argv[2]) : 9;
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, argv[1]))
        return fprintf(stderr, "cannot read %s\n", argv[1]), 1;
    img.format = PNG_FORMAT_RGB;
    const int w = (int)img.width, h = (int)img.height;
    unsigned char *rgb = malloc(PNG_IMAGE_SIZE(img));
    png_image_finish_read(&img, NULL, rgb, 0, NULL);
    const variant variants[] = {
        {"libpng zlib 1, no filter (before)", 0, 1, PNG_FILTER_NONE, Z_DEFAULT_STRATEGY},
        {"libpng zlib 1, Sub", 0, 1, PNG_FILTER_SUB, Z_DEFAULT_STRATEGY},
        {"libpng zlib 1, Up", 0, 1, PNG_FILTER_UP, Z_DEFAULT_STRATEGY},
        {"libpng zlib 1, adaptive", 0, 1, PNG_ALL_FILTERS, Z_DEFAULT_STRATEGY},
        {"libpng zlib 2, no filter", 0, 2, PNG_FILTER_NONE, Z_DEFAULT_STRATEGY},
        {"libpng zlib 6, no filter", 0, 6, PNG_FILTER_NONE, Z_DEFAULT_STRATEGY},
        {"libpng zlib 6, adaptive (libpng default)", 0, 6, PNG_ALL_FILTERS, Z_DEFAULT_STRATEGY},
        {"libpng zlib 1, no filter, Z_RLE", 0, 1, PNG_FILTER_NONE, Z_RLE},
        {"libdeflate 1, no filter", 1, 1, 0, 0},
        {"libdeflate 1, Sub", 1, 1, 1, 0},
        {"libdeflate 1, Up", 1, 1, 2, 0},
        {"libdeflate 2, no filter", 1, 2, 0, 0},
        {"libdeflate 3, no filter", 1, 3, 0, 0},
        {"libdeflate 6, no filter", 1, 6, 0, 0},
        {"libspng zlib 1, no filter", 2, 1, SPNG_FILTER_CHOICE_NONE, 0},
        {"libspng zlib 6, all filters (default)", 2, 6, SPNG_FILTER_CHOICE_ALL, 0},
    };
    printf("%dx%d px, median CPU time of %d encodes\n", w, h, runs);
    printf("| encoder | ms | bytes |\n|---|---|---|\n");
    double *t = calloc((size_t)runs, sizeof *t);
    for (size_t k = 0; k < sizeof variants / sizeof variants[0]; k++) {
        out_buf o = {0};
        for (int r = 0; r < runs; r++) {
            o.len = 0;
            const double t0 = cpu_ms();
            if (variants[k].kind == 0)
                encode_libpng(&variants[k], rgb, w, h, &o);
            else if (variants[k].kind == 1)
                encode_libdeflate(&variants[k], rgb, w, h, &o);
            else
                encode_spng(&variants[k], rgb, w, h, &o);
            t[r] = cpu_ms() - t0;
        }
        png_image back;
        memset(&back, 0, sizeof back);
        back.version = PNG_IMAGE_VERSION;
        int same = png_image_begin_read_from_memory(&back, o.data, o.len);
        unsigned char *px = NULL;
        if (same) {
            back.format = PNG_FORMAT_RGB;
            px = malloc(PNG_IMAGE_SIZE(back));
            same = png_image_finish_read(&back, NULL, px, 0, NULL) &&
                   memcmp(px, rgb, (size_t)w * (size_t)h * 3) == 0;
        }
        qsort(t, (size_t)runs, sizeof *t, cmp_double);
        printf("| %s | %.1f | %zu%s |\n", variants[k].name, t[runs / 2], o.len,
               same ? "" : " (DIFFERENT PIXELS)");
        free(px);
        free(o.data);
    }
    free(t);
    free(rgb);
    return 0;
}
