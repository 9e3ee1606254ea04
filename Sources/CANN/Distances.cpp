// Distance kernels for the hnswlib index, selected at run time: the package is built for baseline x86-64
// (no -march flags), so the wide versions are compiled per function with target attributes and chosen
// with __builtin_cpu_supports.
#include "AnnIndex.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace dml {
namespace {

float innerProductScalar(const float *a, const float *b, size_t n) {
    float sums[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        for (int j = 0; j < 4; j++) sums[j] += a[i + j] * b[i + j];
    }
    for (; i < n; i++) sums[0] += a[i] * b[i];
    return (sums[0] + sums[1]) + (sums[2] + sums[3]);
}

float squaredL2Scalar(const float *a, const float *b, size_t n) {
    float sums[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        for (int j = 0; j < 4; j++) {
            float d = a[i + j] - b[i + j];
            sums[j] += d * d;
        }
    }
    for (; i < n; i++) sums[0] += (a[i] - b[i]) * (a[i] - b[i]);
    return (sums[0] + sums[1]) + (sums[2] + sums[3]);
}

#if defined(__x86_64__)
__attribute__((target("avx512f"))) float innerProductAVX512(const float *a, const float *b, size_t n) {
    __m512 sum0 = _mm512_setzero_ps(), sum1 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        sum0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), sum0);
        sum1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), sum1);
    }
    for (; i < n; i += 16) {
        __mmask16 mask = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        sum0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, a + i), _mm512_maskz_loadu_ps(mask, b + i), sum0);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(sum0, sum1));
}

__attribute__((target("avx512f"))) float squaredL2AVX512(const float *a, const float *b, size_t n) {
    __m512 sum0 = _mm512_setzero_ps(), sum1 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m512 d0 = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
        __m512 d1 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16));
        sum0 = _mm512_fmadd_ps(d0, d0, sum0);
        sum1 = _mm512_fmadd_ps(d1, d1, sum1);
    }
    for (; i < n; i += 16) {
        __mmask16 mask = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(mask, a + i), _mm512_maskz_loadu_ps(mask, b + i));
        sum0 = _mm512_fmadd_ps(d, d, sum0);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(sum0, sum1));
}

__attribute__((target("avx2,fma"))) float horizontalSum(__m256 v) {
    __m128 low = _mm256_castps256_ps128(v), high = _mm256_extractf128_ps(v, 1);
    __m128 sum = _mm_add_ps(low, high);
    sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
    sum = _mm_add_ss(sum, _mm_shuffle_ps(sum, sum, 1));
    return _mm_cvtss_f32(sum);
}

__attribute__((target("avx2,fma"))) float innerProductAVX2(const float *a, const float *b, size_t n) {
    __m256 sum0 = _mm256_setzero_ps(), sum1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        sum0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), sum0);
        sum1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), sum1);
    }
    float tail = 0;
    for (; i < n; i++) tail += a[i] * b[i];
    return horizontalSum(_mm256_add_ps(sum0, sum1)) + tail;
}

__attribute__((target("avx2,fma"))) float squaredL2AVX2(const float *a, const float *b, size_t n) {
    __m256 sum0 = _mm256_setzero_ps(), sum1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
        __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
        sum0 = _mm256_fmadd_ps(d0, d0, sum0);
        sum1 = _mm256_fmadd_ps(d1, d1, sum1);
    }
    float tail = 0;
    for (; i < n; i++) tail += (a[i] - b[i]) * (a[i] - b[i]);
    return horizontalSum(_mm256_add_ps(sum0, sum1)) + tail;
}
#endif

using Kernel = float (*)(const float *, const float *, size_t);

struct Kernels {
    Kernel innerProduct = innerProductScalar;
    Kernel squaredL2 = squaredL2Scalar;

    Kernels() {
#if defined(__x86_64__)
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f")) {
            innerProduct = innerProductAVX512;
            squaredL2 = squaredL2AVX512;
        } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
            innerProduct = innerProductAVX2;
            squaredL2 = squaredL2AVX2;
        }
#endif
    }
};

const Kernels kernels;

}  // namespace

float innerProduct(const float *a, const float *b, size_t dimension) { return kernels.innerProduct(a, b, dimension); }
float squaredL2(const float *a, const float *b, size_t dimension) { return kernels.squaredL2(a, b, dimension); }

}  // namespace dml
