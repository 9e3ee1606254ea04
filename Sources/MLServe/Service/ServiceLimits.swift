/// The service's limits and batching, each with the error a client sees when it is exceeded.
public struct ServiceLimits: Sendable {
    /// Largest request body (413 above).
    public var maxBodyBytes = 16 << 20
    /// Largest image, in pixels declared by its header (413 above; checked before decoding).
    public var maxPixels = 40_000_000
    /// Largest k (400 above).
    public var maxK = 100
    /// Queued searches beyond which requests are refused (503 with Retry-After).
    public var maxQueue = 256
    /// How long a search may wait in the queue (503 after).
    public var timeoutSeconds = 10.0
    /// Searches run together in one model forward.
    public var maxBatch = 32
    /// How long the first search of a batch waits for others to join it.
    public var batchWindowSeconds = 0.002
    /// Threads running model forwards and searches (each uses `computeThreads` OpenMP threads).
    public var workers = 1
    /// OpenMP threads per worker, and threads for approximate searches.
    public var computeThreads = 2

    public init() {}
}
