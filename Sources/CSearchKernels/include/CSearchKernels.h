#ifndef CSEARCHKERNELS_H
#define CSEARCHKERNELS_H

#include <stdint.h>

// The threshold scans of MLEvaluation's exact search: compare a block of scores with each query's
// threshold and append the passing candidates to the query's list as rank keys (MLEvaluation's RankKey:
// order-preserving score bits, inverted, then the index). AVX-512 bodies are picked at run time when the
// CPU has them; the portable bodies append the same keys in the same order.

/// Per-query candidate lists: row r holds counts[r] keys at keys[r * capacity ...]; a candidate enters
/// row r only when its score is at least thresholds[r].
typedef struct {
    uint64_t *keys;
    int64_t *counts;
    const float *thresholds;
    int64_t capacity;
} dml_candidates;

/// Query `row`'s scores `scores[j] - bias[j]` for j in [j0, j1), candidate index `index_base + j`, appended
/// in order while they reach the row's threshold. Returns after the append that fills the row (the next j
/// to scan), or j1.
int64_t dml_scan_row(const float *scores, const float *bias, int64_t j0, int64_t j1, int64_t index_base,
                     dml_candidates lists, int64_t row);

/// The transposed side of a block (`width` columns per row): for block rows i from `*i` to `rows`, columns
/// j in [j0, j1) (from `*j` in the first row), candidate `index_base + i` with score
/// `block[i * width + j] - bias[i]` is appended to row `row_base + j` when it reaches that row's threshold.
/// Returns 1 after an append that fills a row, with `*i`, `*j` at the next element to scan and `*full`
/// that row; returns 0 when done.
int dml_scan_columns(const float *block, int64_t width, const float *bias, int64_t rows, int64_t j0, int64_t j1,
                     int64_t row_base, int64_t index_base, dml_candidates lists, int64_t *i, int64_t *j,
                     int64_t *full);

#endif
