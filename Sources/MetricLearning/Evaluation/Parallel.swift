import COpenMP

/// Runs `body(i)` for `i` in 0..<count on the OpenMP thread team oneDNN uses (`Engine.threadCount`
/// threads, thread t taking i = t, t + T, …) and waits for all. Sharing oneDNN's team means no thread
/// spins idle between an sgemm and the work that follows it. The bodies must touch disjoint memory.
func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    let threads = min(count, Engine.threadCount)
    if threads <= 1 {
        for i in 0..<count { body(i) }
        return
    }
    withoutActuallyEscaping(body) { escaping in
        let task = ParallelTask(body: escaping, count: count, threads: threads)
        withExtendedLifetime(task) {
            dml_omp_parallel(Int32(threads), { context, thread in
                guard let context else { return }
                let task = Unmanaged<ParallelTask>.fromOpaque(context).takeUnretainedValue()
                for i in stride(from: Int(thread), to: task.count, by: task.threads) { task.body(i) }
            }, Unmanaged.passUnretained(task).toOpaque())
        }
    }
}

/// Splits 0..<count into `parts` contiguous ranges of near-equal size (some empty when count < parts).
func evenRanges(_ count: Int, parts: Int) -> [Range<Int>] {
    (0..<parts).map { part in (count * part / parts)..<(count * (part + 1) / parts) }
}

/// The closure and shape of one `parallelFor`, passed to the C trampoline as its context.
private final class ParallelTask: @unchecked Sendable {
    let body: (Int) -> Void
    let count: Int
    let threads: Int

    init(body: @escaping (Int) -> Void, count: Int, threads: Int) {
        self.body = body
        self.count = count
        self.threads = threads
    }
}
