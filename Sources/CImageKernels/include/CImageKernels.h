#ifndef CIMAGEKERNELS_H
#define CIMAGEKERNELS_H

#include <stddef.h>
#include <stdint.h>

// Pixel loops of MLData's fused transform path, on 4-byte pixels (R, G, B, X), with Pillow's arithmetic
// so results are byte-identical to Pillow's: 22-bit fixed-point resampling (Resample.c), ImageEnhance's
// float32 blends (Blend.c), "L" conversion (Convert.c). Each function picks an SSE4.1/AVX2 body at run
// time when the CPU has it, else a portable one computing the same integers.

/// One resampling axis: output sample o reads `count[o]` input samples from `first[o]` with weights
/// `weights[o * stride ...]` (22-bit fixed point, as MLData's BilinearAxis).
typedef struct {
    const int32_t *first;
    const int32_t *count;
    const int32_t *weights;
    int stride;
} dml_axis;

/// Horizontal pass: `rows` rows of `src` (row stride `src_stride` bytes, pixel 0 = input sample 0) to
/// output pixels `o0 ..< o0 + out_count` of `axis`, written from `dst` (stride `dst_stride`).
void dml_resample_horizontal(const uint8_t *src, ptrdiff_t src_stride, int rows, uint8_t *dst,
                             ptrdiff_t dst_stride, dml_axis axis, int o0, int out_count);

/// Vertical pass: output rows `o0 ..< o0 + out_count` of `axis`, `row_pixels` pixels wide; `src` holds
/// input row `src_first_row` at its first row.
void dml_resample_vertical(const uint8_t *src, ptrdiff_t src_stride, int src_first_row, int row_pixels,
                           uint8_t *dst, ptrdiff_t dst_stride, dml_axis axis, int o0, int out_count);

/// A colour program: every byte through `before` (256 entries), then if `saturate`, ImageEnhance.Color
/// with `alpha` (blend with the pixel's own "L"), then every byte through `after`.
typedef struct {
    const uint8_t *before;
    int saturate;
    float alpha;
    const uint8_t *after;
} dml_color_program;

/// Applies `program` in place to `width × rows` pixels.
void dml_color_apply(uint8_t *pixels, ptrdiff_t stride, int width, int rows, dml_color_program program);

/// Σ of Pillow's "L" of every pixel after `program` (the pixels are not changed).
uint64_t dml_color_luminance_sum(const uint8_t *pixels, ptrdiff_t stride, int width, int rows,
                                 dml_color_program program);

/// torchvision's ToTensor of `width × height` pixels, mirrored left to right when `flip`: planes R, G, B
/// of byte / 255 (float32) written to `out` (3 × height × width floats).
void dml_planar_floats(const uint8_t *pixels, ptrdiff_t stride, int width, int height, int flip, float *out);

#endif
