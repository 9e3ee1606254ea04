/// A candidate neighbour packed into one integer whose ascending order is the search's exact order:
/// higher score first, lower index first among equal scores.
///
/// The high 32 bits are the score's bits mapped to an order-preserving unsigned integer and inverted;
/// the low 32 bits are the gallery index. Integer comparisons then rank candidates without branches.
enum RankKey {
    /// The key of `index` scoring `score`.
    @inline(__always)
    static func make(score: Float, index: Int) -> UInt64 {
        let bits = score.bitPattern
        let ordered = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        return UInt64(~ordered) << 32 | UInt64(UInt32(truncatingIfNeeded: index))
    }

    /// The score a key was made from.
    @inline(__always)
    static func score(_ key: UInt64) -> Float {
        let ordered = ~UInt32(truncatingIfNeeded: key >> 32)
        return Float(bitPattern: ordered & 0x8000_0000 != 0 ? ordered & 0x7FFF_FFFF : ~ordered)
    }

    /// The gallery index a key was made from.
    @inline(__always)
    static func index(_ key: UInt64) -> Int { Int(UInt32(truncatingIfNeeded: key)) }

    /// Reorders `keys[0..<count]` so that its `k` smallest keys come first (in no particular order), the
    /// k-th smallest at position k − 1 (quickselect with a median-of-three pivot; keys are distinct).
    static func selectSmallest(_ k: Int, of keys: UnsafeMutablePointer<UInt64>, count: Int) {
        precondition(k >= 1 && k <= count, "selecting \(k) of \(count) keys")
        let target = k - 1
        var low = 0, high = count - 1
        while high > low {
            let (i, j) = partition(keys, low, high)
            if target <= j {
                high = j
            } else if target >= i {
                low = i
            } else {
                return
            }
        }
    }
}

extension RankKey {
    /// Sorts `keys[0..<count]` ascending (nearest first): quicksort with a median-of-three pivot,
    /// insertion sort below 16 keys, recursing into the smaller side.
    static func sort(_ keys: UnsafeMutablePointer<UInt64>, count: Int) {
        var low = 0, high = count - 1
        while high - low >= 16 {
            let (i, j) = partition(keys, low, high)
            if j - low < high - i {
                sort(keys + low, count: j - low + 1)
                low = i
            } else {
                sort(keys + i, count: high - i + 1)
                high = j
            }
        }
        guard high > low else { return }
        for position in (low + 1)...high {
            let key = keys[position]
            var hole = position
            while hole > low && keys[hole - 1] > key {
                keys[hole] = keys[hole - 1]
                hole -= 1
            }
            keys[hole] = key
        }
    }
}

extension RankKey {
    /// Hoare-partitions `keys[low...high]` around the median of its first, middle and last keys; returns
    /// the crossing indices (i, j): keys before i are ≤ the pivot, keys after j are ≥ it.
    @inline(__always)
    fileprivate static func partition(_ keys: UnsafeMutablePointer<UInt64>, _ low: Int, _ high: Int) -> (Int, Int) {
        let middle = low + (high - low) / 2
        let a = keys[low], b = keys[middle], c = keys[high]
        let pivot = max(min(a, b), min(max(a, b), c))
        var i = low, j = high
        while i <= j {
            while keys[i] < pivot { i += 1 }
            while keys[j] > pivot { j -= 1 }
            if i <= j {
                keys.swapAt(i, j)
                i += 1
                j -= 1
            }
        }
        return (i, j)
    }
}

extension UnsafeMutablePointer where Pointee == UInt64 {
    @inline(__always)
    fileprivate func swapAt(_ i: Int, _ j: Int) {
        let t = self[i]
        self[i] = self[j]
        self[j] = t
    }
}
