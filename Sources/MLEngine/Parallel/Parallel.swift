import COpenMP

/// Runs `body(i)` for `i` in 0..<count on the OpenMP thread team oneDNN uses (`Engine.threadCount`
/// threads, each taking the next i when it finishes one, so uneven items balance) and waits for all.
/// Sharing oneDNN's team means no thread spins idle between an sgemm and the work that follows it.
/// The bodies must touch disjoint memory.
package func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    let threads = min(count, Engine.threadCount)
    if threads <= 1 {
        for i in 0..<count { body(i) }
        return
    }
    withoutActuallyEscaping(body) { escaping in
        let task = ParallelTask(body: escaping)
        withExtendedLifetime(task) {
            dml_omp_parallel(Int32(threads), count, { context, index in
                guard let context else { return }
                Unmanaged<ParallelTask>.fromOpaque(context).takeUnretainedValue().body(index)
            }, Unmanaged.passUnretained(task).toOpaque())
        }
    }
}

/// Splits 0..<count into contiguous ranges of `size` (the last shorter).
package func chunks(_ count: Int, size: Int) -> [Range<Int>] {
    stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
}

/// The closure and shape of one `parallelFor`, passed to the C trampoline as its context.
private final class ParallelTask: @unchecked Sendable {
    let body: (Int) -> Void

    init(body: @escaping (Int) -> Void) { self.body = body }
}
