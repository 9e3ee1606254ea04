import Foundation

/// Runs `body(i)` for `i` in 0..<count concurrently and waits for all. The bodies must touch disjoint
/// memory (the caller's guarantee, which is why `body` need not be `@Sendable`).
func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count == 1 {
        body(0)
        return
    }
    withoutActuallyEscaping(body) { escaping in
        let shared = UncheckedSendableBox(escaping)
        DispatchQueue.concurrentPerform(iterations: count) { shared.value($0) }
    }
}

/// Splits 0..<count into `parts` contiguous ranges of near-equal size (some empty when count < parts).
func evenRanges(_ count: Int, parts: Int) -> [Range<Int>] {
    (0..<parts).map { part in (count * part / parts)..<(count * (part + 1) / parts) }
}

/// Carries a value the caller knows is safe to share across `parallelFor`'s threads.
private struct UncheckedSendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
