#include "CImageKernels.h"

#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define DML_X86 1
#endif

// Pillow compiles its blends without contraction into fused multiply-adds; so must we.
#pragma STDC FP_CONTRACT OFF

enum { precision_bits = 22 };
static const int32_t half_unit = 1 << (precision_bits - 1);

static inline uint8_t clip8(int32_t sum) {
    int32_t v = sum >> precision_bits;
    return v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v;
}

// MARK: resampling

static void horizontal_portable(const uint8_t *src, ptrdiff_t src_stride, int rows, uint8_t *dst,
                                ptrdiff_t dst_stride, dml_axis axis, int o0, int out_count) {
    for (int y = 0; y < rows; y++) {
        const uint8_t *in = src + y * src_stride;
        uint8_t *out = dst + y * dst_stride;
        for (int i = 0; i < out_count; i++) {
            int o = o0 + i;
            const int32_t *w = axis.weights + (ptrdiff_t)o * axis.stride;
            const uint8_t *p = in + 4 * (ptrdiff_t)axis.first[o];
            int32_t s0 = half_unit, s1 = half_unit, s2 = half_unit, s3 = half_unit;
            for (int t = 0; t < axis.count[o]; t++) {
                s0 += p[4 * t] * w[t];
                s1 += p[4 * t + 1] * w[t];
                s2 += p[4 * t + 2] * w[t];
                s3 += p[4 * t + 3] * w[t];
            }
            out[4 * i] = clip8(s0);
            out[4 * i + 1] = clip8(s1);
            out[4 * i + 2] = clip8(s2);
            out[4 * i + 3] = clip8(s3);
        }
    }
}

static void vertical_portable(const uint8_t *src, ptrdiff_t src_stride, int src_first_row, int row_pixels,
                              uint8_t *dst, ptrdiff_t dst_stride, dml_axis axis, int o0, int out_count) {
    int bytes = 4 * row_pixels;
    for (int i = 0; i < out_count; i++) {
        int o = o0 + i;
        const int32_t *w = axis.weights + (ptrdiff_t)o * axis.stride;
        const uint8_t *base = src + (ptrdiff_t)(axis.first[o] - src_first_row) * src_stride;
        uint8_t *out = dst + i * dst_stride;
        for (int x = 0; x < bytes; x++) {
            int32_t s = half_unit;
            for (int t = 0; t < axis.count[o]; t++) s += base[t * src_stride + x] * w[t];
            out[x] = clip8(s);
        }
    }
}

#ifdef DML_X86
static inline int32_t load32(const uint8_t *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return v;
}

__attribute__((target("sse4.1")))
static void horizontal_sse41(const uint8_t *src, ptrdiff_t src_stride, int rows, uint8_t *dst,
                             ptrdiff_t dst_stride, dml_axis axis, int o0, int out_count) {
    const __m128i half = _mm_set1_epi32(half_unit);
    for (int y = 0; y < rows; y++) {
        const uint8_t *in = src + y * src_stride;
        uint8_t *out = dst + y * dst_stride;
        for (int i = 0; i < out_count; i++) {
            int o = o0 + i;
            const int32_t *w = axis.weights + (ptrdiff_t)o * axis.stride;
            const uint8_t *p = in + 4 * (ptrdiff_t)axis.first[o];
            int count = axis.count[o];
            __m128i a = half, b = _mm_setzero_si128();
            int t = 0;
            for (; t + 2 <= count; t += 2) {
                __m128i p0 = _mm_cvtepu8_epi32(_mm_cvtsi32_si128(load32(p + 4 * t)));
                __m128i p1 = _mm_cvtepu8_epi32(_mm_cvtsi32_si128(load32(p + 4 * t + 4)));
                a = _mm_add_epi32(a, _mm_mullo_epi32(p0, _mm_set1_epi32(w[t])));
                b = _mm_add_epi32(b, _mm_mullo_epi32(p1, _mm_set1_epi32(w[t + 1])));
            }
            if (t < count) {
                __m128i p0 = _mm_cvtepu8_epi32(_mm_cvtsi32_si128(load32(p + 4 * t)));
                a = _mm_add_epi32(a, _mm_mullo_epi32(p0, _mm_set1_epi32(w[t])));
            }
            // Integer sums are exact, so splitting them in two changes nothing.
            __m128i s = _mm_srai_epi32(_mm_add_epi32(a, b), precision_bits);
            s = _mm_packus_epi32(s, s);
            s = _mm_packus_epi16(s, s);
            int32_t packed = _mm_cvtsi128_si32(s);
            memcpy(out + 4 * i, &packed, 4);
        }
    }
}

__attribute__((target("avx2")))
static void vertical_avx2(const uint8_t *src, ptrdiff_t src_stride, int src_first_row, int row_pixels,
                          uint8_t *dst, ptrdiff_t dst_stride, dml_axis axis, int o0, int out_count) {
    int bytes = 4 * row_pixels;
    for (int i = 0; i < out_count; i++) {
        int o = o0 + i;
        const int32_t *w = axis.weights + (ptrdiff_t)o * axis.stride;
        const uint8_t *base = src + (ptrdiff_t)(axis.first[o] - src_first_row) * src_stride;
        uint8_t *out = dst + i * dst_stride;
        int count = axis.count[o];
        int x = 0;
        for (; x + 16 <= bytes; x += 16) {
            __m256i lo = _mm256_set1_epi32(half_unit), hi = lo;
            for (int t = 0; t < count; t++) {
                __m128i v = _mm_loadu_si128((const __m128i *)(base + t * src_stride + x));
                __m256i weight = _mm256_set1_epi32(w[t]);
                lo = _mm256_add_epi32(lo, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(v), weight));
                hi = _mm256_add_epi32(hi, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_srli_si128(v, 8)), weight));
            }
            lo = _mm256_srai_epi32(lo, precision_bits);
            hi = _mm256_srai_epi32(hi, precision_bits);
            __m128i a = _mm_packus_epi32(_mm256_castsi256_si128(lo), _mm256_extracti128_si256(lo, 1));
            __m128i b = _mm_packus_epi32(_mm256_castsi256_si128(hi), _mm256_extracti128_si256(hi, 1));
            _mm_storeu_si128((__m128i *)(out + x), _mm_packus_epi16(a, b));
        }
        for (; x < bytes; x++) {
            int32_t s = half_unit;
            for (int t = 0; t < count; t++) s += base[t * src_stride + x] * w[t];
            out[x] = clip8(s);
        }
    }
}
#endif

void dml_resample_horizontal(const uint8_t *src, ptrdiff_t src_stride, int rows, uint8_t *dst,
                             ptrdiff_t dst_stride, dml_axis axis, int o0, int out_count) {
#ifdef DML_X86
    if (__builtin_cpu_supports("sse4.1")) {
        horizontal_sse41(src, src_stride, rows, dst, dst_stride, axis, o0, out_count);
        return;
    }
#endif
    horizontal_portable(src, src_stride, rows, dst, dst_stride, axis, o0, out_count);
}

void dml_resample_vertical(const uint8_t *src, ptrdiff_t src_stride, int src_first_row, int row_pixels,
                           uint8_t *dst, ptrdiff_t dst_stride, dml_axis axis, int o0, int out_count) {
#ifdef DML_X86
    if (__builtin_cpu_supports("avx2")) {
        vertical_avx2(src, src_stride, src_first_row, row_pixels, dst, dst_stride, axis, o0, out_count);
        return;
    }
#endif
    vertical_portable(src, src_stride, src_first_row, row_pixels, dst, dst_stride, axis, o0, out_count);
}

// MARK: colour

static inline uint8_t luminance(uint8_t r, uint8_t g, uint8_t b) {
    return (uint8_t)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
}

/// One channel of ImageEnhance.Color: Blend.c's float32 `grey + alpha · (v − grey)`, truncated (clipped
/// to 0…255 first when alpha is outside [0, 1]).
static inline uint8_t saturate_channel(uint8_t v, uint8_t grey, float alpha, int clips) {
    float mixed = (float)grey + alpha * (float)((int32_t)v - (int32_t)grey);
    if (clips) mixed = mixed < 0 ? 0 : mixed > 255 ? 255 : mixed;
    return (uint8_t)(int32_t)mixed;
}

static inline void run_program(const uint8_t *in, uint8_t *out, dml_color_program program, int clips) {
    uint8_t r = program.before[in[0]], g = program.before[in[1]], b = program.before[in[2]];
    if (program.saturate) {
        uint8_t grey = luminance(r, g, b);
        r = saturate_channel(r, grey, program.alpha, clips);
        g = saturate_channel(g, grey, program.alpha, clips);
        b = saturate_channel(b, grey, program.alpha, clips);
    }
    out[0] = program.after[r];
    out[1] = program.after[g];
    out[2] = program.after[b];
}

void dml_color_apply(uint8_t *pixels, ptrdiff_t stride, int width, int rows, dml_color_program program) {
    int clips = !(program.alpha >= 0 && program.alpha <= 1);
    for (int y = 0; y < rows; y++) {
        uint8_t *row = pixels + y * stride;
        for (int x = 0; x < width; x++) run_program(row + 4 * x, row + 4 * x, program, clips);
    }
}

uint64_t dml_color_luminance_sum(const uint8_t *pixels, ptrdiff_t stride, int width, int rows,
                                 dml_color_program program) {
    int clips = !(program.alpha >= 0 && program.alpha <= 1);
    uint64_t total = 0;
    for (int y = 0; y < rows; y++) {
        const uint8_t *row = pixels + y * stride;
        uint32_t row_total = 0;
        for (int x = 0; x < width; x++) {
            uint8_t out[3];
            run_program(row + 4 * x, out, program, clips);
            row_total += luminance(out[0], out[1], out[2]);
        }
        total += row_total;
    }
    return total;
}

// MARK: tensor

void dml_planar_floats(const uint8_t *pixels, ptrdiff_t stride, int width, int height, int flip, float *out) {
    float scale[256];
    for (int i = 0; i < 256; i++) scale[i] = (float)i / 255.0f;
    ptrdiff_t plane = (ptrdiff_t)width * height;
    for (int y = 0; y < height; y++) {
        const uint8_t *row = pixels + y * stride;
        float *r = out + (ptrdiff_t)y * width, *g = r + plane, *b = g + plane;
        for (int x = 0; x < width; x++) {
            const uint8_t *p = row + 4 * (flip ? width - 1 - x : x);
            r[x] = scale[p[0]];
            g[x] = scale[p[1]];
            b[x] = scale[p[2]];
        }
    }
}
