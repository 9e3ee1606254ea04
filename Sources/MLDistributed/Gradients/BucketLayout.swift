/// How a gradient bucketer packs parameters into flat buckets: parameters in the order their gradients
/// become ready, cut into consecutive buckets of at most `capacity` floats (the first at most
/// `firstCapacity`, so the first allreduce starts early; a parameter larger than a bucket gets one of its
/// own), as PyTorch's DistributedDataParallel does with `bucket_cap_mb`.
struct BucketLayout: Equatable {
    /// One bucket: its parameters (indices into the bucketer's list) and where each starts in the bucket.
    struct Bucket: Equatable {
        var parameters: [Int] = []
        var offsets: [Int] = []
        var count = 0
    }

    let buckets: [Bucket]
    /// The bucket of each parameter.
    let bucketOf: [Int]

    /// Buckets over parameters of `sizes` (floats) taken in `order` (a permutation of their indices).
    init(order: [Int], sizes: [Int], capacity: Int, firstCapacity: Int) {
        precondition(Set(order) == Set(sizes.indices) && order.count == sizes.count, "the order must list every parameter once")
        var buckets: [Bucket] = []
        var current = Bucket()
        for index in order {
            let limit = buckets.isEmpty ? firstCapacity : capacity
            if current.count > 0 && current.count + sizes[index] > limit {
                buckets.append(current)
                current = Bucket()
            }
            current.parameters.append(index)
            current.offsets.append(current.count)
            current.count += sizes[index]
        }
        if !current.parameters.isEmpty { buckets.append(current) }
        self.buckets = buckets
        var bucketOf = [Int](repeating: 0, count: sizes.count)
        for (number, bucket) in buckets.enumerated() { for index in bucket.parameters { bucketOf[index] = number } }
        self.bucketOf = bucketOf
    }

    /// A fingerprint of the layout (FNV-1a over the buckets' parameters), equal on processes that built the
    /// same layout: compared across ranks before the first allreduce.
    var fingerprint: Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for bucket in buckets {
            for value in bucket.parameters + [-1, bucket.count] {
                hash = (hash ^ UInt64(bitPattern: Int64(value))) &* 0x100_0000_01b3
            }
        }
        return Int(truncatingIfNeeded: hash >> 2)  // non-negative, so it can be negated
    }
}
