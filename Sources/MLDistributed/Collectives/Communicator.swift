import CMPI

/// A group of processes that run collectives together (an MPI communicator): the world of a job, or a
/// duplicate of it whose collectives never mix with the world's (the gradient buckets use one, so their
/// non-blocking allreduces cannot be matched with another collective that is in flight).
///
/// Every process of the group must make the same collective calls in the same order. The calls block
/// until this process's part is done and throw `DistributedError.mpi` when the library reports an error
/// (for instance a peer that died).
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
        var handle: MPI_Comm? = self.handle
        try? MPIRuntime.call("MPI_Comm_free") { MPI_Comm_free(&handle) }
    }

    /// Whether this process is rank 0, the one that writes files and prints.
    public var isRoot: Bool { rank == 0 }

    /// A new communicator over the same processes whose collectives are separate from this one's.
    public func duplicate() throws -> Communicator {
        var copy: MPI_Comm? = cmpi_comm_null()
        try MPIRuntime.call("MPI_Comm_dup") { MPI_Comm_dup(handle, &copy) }
        guard let copy else { throw DistributedError.unsupported("MPI_Comm_dup returned no communicator") }
        return try Communicator(handle: copy, owned: true)
    }

    /// Waits until every process has called it.
    public func barrier() throws {
        try MPIRuntime.call("MPI_Barrier") { MPI_Barrier(handle) }
    }

    /// `values` replaced by `root`'s on every process (all must pass arrays of the same count).
    public func broadcast<T: MPIScalar>(_ values: inout [T], from root: Int = 0) throws {
        let count = try checkedCount(values.count)
        try values.withUnsafeMutableBytes { buffer in
            try MPIRuntime.call("MPI_Bcast") {
                MPI_Bcast(buffer.baseAddress, count, T.mpiKind.datatype, Int32(root), handle)
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
            try MPIRuntime.call("MPI_Allreduce") {
                MPI_Allreduce(cmpi_in_place(), buffer.baseAddress, count, T.mpiKind.datatype, operation.handle, handle)
            }
        }
    }

    /// Every process's `values` (counts may differ), in rank order, on every process.
    public func allGather<T: MPIScalar>(_ values: [T]) throws -> [[T]] {
        let counts = try allGatherCounts(values.count)
        var gathered = [T](repeating: .zero, count: Int(counts.reduce(0, +)))
        let displacements = Self.offsets(counts)
        try values.withUnsafeBytes { source in
            try gathered.withUnsafeMutableBytes { target in
                try MPIRuntime.call("MPI_Allgatherv") {
                    MPI_Allgatherv(source.baseAddress, Int32(values.count), T.mpiKind.datatype, target.baseAddress,
                                   counts, displacements, T.mpiKind.datatype, handle)
                }
            }
        }
        return Self.split(gathered, counts: counts)
    }

    /// Every process's `values` (counts may differ) in rank order on `root`; nil on the others.
    public func gather<T: MPIScalar>(_ values: [T], to root: Int = 0) throws -> [[T]]? {
        let counts = try allGatherCounts(values.count)
        var gathered = [T](repeating: .zero, count: rank == root ? Int(counts.reduce(0, +)) : 0)
        let displacements = Self.offsets(counts)
        try values.withUnsafeBytes { source in
            try gathered.withUnsafeMutableBytes { target in
                try MPIRuntime.call("MPI_Gatherv") {
                    MPI_Gatherv(source.baseAddress, Int32(values.count), T.mpiKind.datatype, target.baseAddress,
                                counts, displacements, T.mpiKind.datatype, Int32(root), handle)
                }
            }
        }
        return rank == root ? Self.split(gathered, counts: counts) : nil
    }

    /// Every process's count, in rank order (as MPI's Int32 counts), checked to fit.
    private func allGatherCounts(_ count: Int) throws -> [Int32] {
        var counts = [Int32](repeating: 0, count: size)
        var own = try checkedCount(count)
        try MPIRuntime.call("MPI_Allgather") { MPI_Allgather(&own, 1, cmpi_int32(), &counts, 1, cmpi_int32(), handle) }
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
