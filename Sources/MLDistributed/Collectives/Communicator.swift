import CMPI

/// A group of processes that run collectives together (an MPI communicator): the world of a job, or a
/// duplicate of it whose collectives never mix with the world's (the gradient buckets use one, so their
/// non-blocking allreduces cannot be matched with another collective that is in flight).
///
/// Every process of the group must make the same collective calls in the same order. The calls return
/// when this process's part is done (waiting without spinning, see `MPIRuntime.complete`) and throw
/// `DistributedError.mpi` when the library reports an error (for instance a peer that died).
public final class Communicator: @unchecked Sendable {
    let handle: MPI_Comm
    /// Whether `deinit` frees the handle (a duplicate; the world belongs to the library).
    private let owned: Bool
    /// This process's rank, 0..<size.
    public let rank: Int
    /// The number of processes.
    public let size: Int

    init(handle: MPI_Comm, owned: Bool) throws {
        self.handle = handle
        self.owned = owned
        var (rank, size): (Int32, Int32) = (0, 0)
        try MPIRuntime.call("MPI_Comm_rank") { MPI_Comm_rank(handle, &rank) }
        try MPIRuntime.call("MPI_Comm_size") { MPI_Comm_size(handle, &size) }
        self.rank = Int(rank)
        self.size = Int(size)
    }

    deinit {
        guard owned, MPIRuntime.isActive else { return }
        try? MPIRuntime.call("MPI_Comm_free") { cmpi_comm_free(handle) }
    }

    /// Whether this process is rank 0, the one that writes files and prints.
    public var isRoot: Bool { rank == 0 }

    /// A new communicator over the same processes whose collectives are separate from this one's.
    public func duplicate() throws -> Communicator {
        var code: Int32 = 0
        var copy: MPI_Comm = cmpi_comm_world()
        try MPIRuntime.call("MPI_Comm_dup") {
            copy = cmpi_comm_dup(handle, &code)
            return code
        }
        return try Communicator(handle: copy, owned: true)
    }

    /// Waits until every process has called it.
    public func barrier() throws {
        try MPIRuntime.complete("MPI_Ibarrier") { cmpi_ibarrier(handle, $0) }
    }

    /// `values` replaced by `root`'s on every process (all must pass arrays of the same count).
    public func broadcast<T: MPIScalar>(_ values: inout [T], from root: Int = 0) throws {
        let count = try checkedCount(values.count)
        try values.withUnsafeMutableBytes { buffer in
            try MPIRuntime.complete("MPI_Ibcast") {
                cmpi_ibcast(buffer.baseAddress, count, T.mpiKind.datatype, Int32(root), handle, $0)
            }
        }
    }

    /// `root`'s array on every process, whatever its length (the others pass anything, e.g. `[]`).
    public func broadcast<T: MPIScalar>(variable values: [T], from root: Int = 0) throws -> [T] {
        var count = [values.count]
        try broadcast(&count, from: root)
        var result = rank == root ? values : [T](repeating: .zero, count: count[0])
        try broadcast(&result, from: root)
        return result
    }

    /// The element-wise reduction of every process's `values` (all of the same count), on every process.
    public func allReduce<T: MPIScalar>(_ values: [T], _ operation: ReductionOperation) throws -> [T] {
        var result = values
        try allReduce(&result, operation)
        return result
    }

    /// `values` replaced in place by the element-wise reduction of every process's (all of the same count).
    public func allReduce<T: MPIScalar>(_ values: inout [T], _ operation: ReductionOperation) throws {
        let count = try checkedCount(values.count)
        try values.withUnsafeMutableBytes { buffer in
            try MPIRuntime.complete("MPI_Iallreduce") {
                cmpi_iallreduce(buffer.baseAddress, count, T.mpiKind.datatype, operation.handle, handle, $0)
            }
        }
    }

    /// Every process's `values` (counts may differ), in rank order, on every process.
    public func allGather<T: MPIScalar>(_ values: [T]) throws -> [[T]] {
        try gathered(values, root: nil)
    }

    /// Every process's `values` (counts may differ) in rank order on `root`; nil on the others.
    public func gather<T: MPIScalar>(_ values: [T], to root: Int = 0) throws -> [[T]]? {
        let parts = try gathered(values, root: root)
        return rank == root ? parts : nil
    }

    /// Every process's `values` in rank order on `root`, or on every process when `root` is nil; no parts
    /// on a process that receives nothing.
    private func gathered<T: MPIScalar>(_ values: [T], root: Int?) throws -> [[T]] {
        let counts = try allGatherCounts(values.count)
        let receives = root == nil || root == rank
        var gathered = [T](repeating: .zero, count: receives ? Int(counts.reduce(0, +)) : 0)
        let displacements = Self.offsets(counts)
        // Every buffer stays valid (inside its closure) until the collective completes.
        try values.withUnsafeBytes { source in
            try gathered.withUnsafeMutableBytes { target in
                try counts.withUnsafeBufferPointer { counts in
                    try displacements.withUnsafeBufferPointer { displacements in
                        if let root {
                            try MPIRuntime.complete("MPI_Igatherv") {
                                cmpi_igatherv(source.baseAddress, Int32(values.count), T.mpiKind.datatype, target.baseAddress,
                                              counts.baseAddress, displacements.baseAddress, Int32(root), handle, $0)
                            }
                        } else {
                            try MPIRuntime.complete("MPI_Iallgatherv") {
                                cmpi_iallgatherv(source.baseAddress, Int32(values.count), T.mpiKind.datatype, target.baseAddress,
                                                 counts.baseAddress, displacements.baseAddress, handle, $0)
                            }
                        }
                    }
                }
            }
        }
        return receives ? Self.split(gathered, counts: counts) : []
    }

    /// Every process's count, in rank order (as MPI's Int32 counts), checked to fit.
    private func allGatherCounts(_ count: Int) throws -> [Int32] {
        var counts = [Int32](repeating: 0, count: size)
        let own = [try checkedCount(count)]
        try own.withUnsafeBufferPointer { own in
            try counts.withUnsafeMutableBufferPointer { counts in
                try MPIRuntime.complete("MPI_Iallgather") {
                    cmpi_iallgather(own.baseAddress, 1, cmpi_int32(), counts.baseAddress, handle, $0)
                }
            }
        }
        return counts
    }

    /// `count` as MPI's Int32 count; throws past 2³¹ − 1 elements.
    private func checkedCount(_ count: Int) throws -> Int32 {
        guard let value = Int32(exactly: count) else {
            throw DistributedError.unsupported("a collective of \(count) elements exceeds MPI's 32-bit counts")
        }
        return value
    }

    /// Where each rank's part starts in the concatenation of parts of `counts`.
    private static func offsets(_ counts: [Int32]) -> [Int32] {
        var start: Int32 = 0
        return counts.map { count in
            defer { start += count }
            return start
        }
    }

    /// The concatenation `values` cut back into parts of `counts`.
    private static func split<T>(_ values: [T], counts: [Int32]) -> [[T]] {
        var start = 0
        return counts.map { count in
            defer { start += Int(count) }
            return Array(values[start..<(start + Int(count))])
        }
    }
}
