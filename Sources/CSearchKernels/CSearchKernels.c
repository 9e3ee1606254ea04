#include "CSearchKernels.h"

#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define DML_X86 1
#endif

/// MLEvaluation's RankKey.make: ascending keys rank higher scores first, then lower indices.
static inline uint64_t rank_key(float score, int64_t index) {
    uint32_t bits;
    memcpy(&bits, &score, 4);
    uint32_t ordered = (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
    return ((uint64_t)(~ordered) << 32) | (uint32_t)index;
}

/// Appends a key to `row`; returns whether the row is now full.
static inline int append(dml_candidates lists, int64_t row, float score, int64_t index) {
    int64_t count = lists.counts[row];
    lists.keys[row * lists.capacity + count] = rank_key(score, index);
    lists.counts[row] = count + 1;
    return count + 1 == lists.capacity;
}

static int64_t scan_row_portable(const float *scores, const float *bias, int64_t j0, int64_t j1,
                                 int64_t index_base, dml_candidates lists, int64_t row) {
    float threshold = lists.thresholds[row];
    for (int64_t j = j0; j < j1; j++) {
        float score = scores[j] - bias[j];
        if (score >= threshold && append(lists, row, score, index_base + j)) return j + 1;
    }
    return j1;
}

static int scan_columns_portable(const float *block, int64_t width, const float *bias, int64_t rows, int64_t j0,
                                 int64_t j1, int64_t row_base, int64_t index_base, dml_candidates lists,
                                 int64_t *i, int64_t *j, int64_t *full) {
    for (int64_t r = *i; r < rows; r++) {
        const float *scores = block + r * width;
        for (int64_t c = (r == *i ? *j : j0); c < j1; c++) {
            float score = scores[c] - bias[r];
            if (score >= lists.thresholds[row_base + c] && append(lists, row_base + c, score, index_base + r)) {
                *i = c + 1 < j1 ? r : r + 1;
                *j = c + 1 < j1 ? c + 1 : j0;
                *full = row_base + c;
                return 1;
            }
        }
    }
    *i = rows;
    return 0;
}

#ifdef DML_X86
__attribute__((target("avx512f")))
static int64_t scan_row_avx512(const float *scores, const float *bias, int64_t j0, int64_t j1,
                               int64_t index_base, dml_candidates lists, int64_t row) {
    float threshold = lists.thresholds[row];
    __m512 limit = _mm512_set1_ps(threshold);
    for (int64_t j = j0; j < j1; j += 16) {
        __mmask16 valid = j1 - j >= 16 ? 0xFFFF : (__mmask16)((1u << (j1 - j)) - 1);
        __m512 v = _mm512_sub_ps(_mm512_maskz_loadu_ps(valid, scores + j), _mm512_maskz_loadu_ps(valid, bias + j));
        unsigned hits = _mm512_mask_cmp_ps_mask(valid, v, limit, _CMP_GE_OQ);
        while (hits) {
            int lane = __builtin_ctz(hits);
            hits &= hits - 1;
            float score = scores[j + lane] - bias[j + lane];
            if (append(lists, row, score, index_base + j + lane)) return j + lane + 1;
        }
    }
    return j1;
}

__attribute__((target("avx512f")))
static int scan_columns_avx512(const float *block, int64_t width, const float *bias, int64_t rows, int64_t j0,
                               int64_t j1, int64_t row_base, int64_t index_base, dml_candidates lists,
                               int64_t *i, int64_t *j, int64_t *full) {
    const float *thresholds = lists.thresholds + row_base;
    for (int64_t r = *i; r < rows; r++) {
        const float *scores = block + r * width;
        __m512 candidate_bias = _mm512_set1_ps(bias[r]);
        for (int64_t c = (r == *i ? *j : j0); c < j1; c += 16) {
            __mmask16 valid = j1 - c >= 16 ? 0xFFFF : (__mmask16)((1u << (j1 - c)) - 1);
            __m512 v = _mm512_sub_ps(_mm512_maskz_loadu_ps(valid, scores + c), candidate_bias);
            unsigned hits = _mm512_mask_cmp_ps_mask(valid, v, _mm512_maskz_loadu_ps(valid, thresholds + c), _CMP_GE_OQ);
            while (hits) {
                int lane = __builtin_ctz(hits);
                hits &= hits - 1;
                int64_t column = c + lane;
                if (append(lists, row_base + column, scores[column] - bias[r], index_base + r)) {
                    *i = column + 1 < j1 ? r : r + 1;
                    *j = column + 1 < j1 ? column + 1 : j0;
                    *full = row_base + column;
                    return 1;
                }
            }
        }
    }
    *i = rows;
    return 0;
}
#endif

int64_t dml_scan_row(const float *scores, const float *bias, int64_t j0, int64_t j1, int64_t index_base,
                     dml_candidates lists, int64_t row) {
#ifdef DML_X86
    if (__builtin_cpu_supports("avx512f")) return scan_row_avx512(scores, bias, j0, j1, index_base, lists, row);
#endif
    return scan_row_portable(scores, bias, j0, j1, index_base, lists, row);
}

int dml_scan_columns(const float *block, int64_t width, const float *bias, int64_t rows, int64_t j0, int64_t j1,
                     int64_t row_base, int64_t index_base, dml_candidates lists, int64_t *i, int64_t *j,
                     int64_t *full) {
#ifdef DML_X86
    if (__builtin_cpu_supports("avx512f")) {
        return scan_columns_avx512(block, width, bias, rows, j0, j1, row_base, index_base, lists, i, j, full);
    }
#endif
    return scan_columns_portable(block, width, bias, rows, j0, j1, row_base, index_base, lists, i, j, full);
}
