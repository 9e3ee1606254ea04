import CSearchKernels

/// Per-query candidate lists for an exact top-k search, with bounded memory.
///
/// Each row holds up to `capacity` packed candidates (`RankKey`). When a row fills, a quickselect keeps
/// its k best plus every candidate tied with the k-th (score within the row's tie tolerance), and the
/// row's threshold rises to "k-th score − tolerance": later candidates below it cannot reach the top k
/// even through the tie rule, so the scan drops them with one comparison. Memory is rows × capacity × 8
/// bytes; each compaction frees at least half the row's spare room, so the cost per candidate is O(1).
///
/// The scans (`CSearchKernels`) append to the lists and stop when a row fills; `rowFilled(_:)` then
/// compacts it. Rows are independent: different threads may fill different rows at the same time.
final class CandidateBuffers: @unchecked Sendable {
    let rows: Int
    let k: Int
    let capacity: Int
    private let keys: UnsafeMutablePointer<UInt64>
    private let counts: UnsafeMutablePointer<Int64>
    /// A candidate enters row r only when its score is at least `thresholds[r]`.
    let thresholds: UnsafeMutablePointer<Float>
    /// The absolute tie tolerance of each row (DESIGN §5's 1e-6, scaled per query).
    private let tolerances: [Float]

    /// Empty lists for `tolerances.count` rows keeping the best `k` of up to `capacity` candidates.
    /// `capacity` must exceed `k` unless a row can never receive more than `capacity` candidates.
    init(k: Int, capacity: Int, tolerances: [Float]) {
        precondition(k >= 1 && capacity >= k, "candidate buffers with k \(k) and capacity \(capacity)")
        rows = tolerances.count
        self.k = k
        self.capacity = capacity
        self.tolerances = tolerances
        keys = .allocate(capacity: rows * capacity)
        counts = .allocate(capacity: rows)
        counts.initialize(repeating: 0, count: rows)
        thresholds = .allocate(capacity: rows)
        thresholds.initialize(repeating: -.greatestFiniteMagnitude, count: rows)
    }

    deinit {
        keys.deallocate()
        counts.deallocate()
        thresholds.deallocate()
    }

    /// The lists as the C scans take them.
    var lists: dml_candidates {
        dml_candidates(keys: keys, counts: counts, thresholds: thresholds, capacity: Int64(capacity))
    }

    /// After a scan appended `row`'s last free slot: compacts the row (unless it can never receive more
    /// candidates than its capacity, when capacity is k).
    func rowFilled(_ row: Int) {
        if capacity > k { compact(row) }
    }

    /// Keeps the row's k best and their ties, and raises its threshold.
    private func compact(_ row: Int) {
        let base = keys + row * capacity
        let kept = keepBestAndTies(base, count: Int(counts[row]), tolerance: tolerances[row])
        if kept.count < capacity {
            counts[row] = Int64(kept.count)
        } else {
            // More than capacity − k candidates tie with the k-th: the tie rule prefers lower indices.
            var tail = UnsafeMutableBufferPointer(start: base + k, count: capacity - k)
            tail.sort { RankKey.index($0) < RankKey.index($1) }
            counts[row] = Int64(k + (capacity - k) / 2)
        }
        thresholds[row] = kept.cutoff
    }

    /// Moves the k best keys of `base[0..<count]` to the front followed by every other key whose score is
    /// at least the k-th's minus `tolerance`; returns how many that is and that cutoff score.
    private func keepBestAndTies(
        _ base: UnsafeMutablePointer<UInt64>, count: Int, tolerance: Float
    ) -> (count: Int, cutoff: Float) {
        RankKey.selectSmallest(k, of: base, count: count)
        let cutoff = RankKey.score(base[k - 1]) - tolerance
        var kept = k
        for position in k..<count where RankKey.score(base[position]) >= cutoff {
            base[kept] = base[position]
            kept += 1
        }
        return (kept, cutoff)
    }

    /// Writes the row's k nearest, best first, into `indices` and `scores` (k entries each).
    ///
    /// Candidates are sorted by score; then each run of consecutive scores within the tolerance of each
    /// other counts as one tie and is ordered by index (DESIGN §5), and the first k are taken.
    func finish(row: Int, indices: UnsafeMutablePointer<Int32>, scores: UnsafeMutablePointer<Float>) {
        let base = keys + row * capacity
        let tolerance = tolerances[row]
        let count = Int(counts[row])
        precondition(count >= k, "row \(row) received \(count) candidates, fewer than k = \(k)")
        let kept = count > k ? keepBestAndTies(base, count: count, tolerance: tolerance).count : k
        RankKey.sort(base, count: kept)
        let list = UnsafeMutableBufferPointer(start: base, count: kept)
        var start = 0
        while start < k {
            var end = start + 1
            while end < kept && RankKey.score(list[end - 1]) - RankKey.score(list[end]) <= tolerance { end += 1 }
            if end - start > 1 {
                var run = UnsafeMutableBufferPointer(rebasing: list[start..<end])
                run.sort { RankKey.index($0) < RankKey.index($1) }
            }
            start = end
        }
        for position in 0..<k {
            indices[position] = Int32(RankKey.index(list[position]))
            scores[position] = RankKey.score(list[position])
        }
    }
}
