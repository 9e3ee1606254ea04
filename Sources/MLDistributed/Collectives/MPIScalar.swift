import CMPI

/// A value type the collectives move: Float, Double, Int32, Int (64-bit) and UInt8 (bytes).
public protocol MPIScalar: Numeric, Sendable {
    /// Which MPI datatype holds it.
    static var mpiKind: MPIScalarKind { get }
}

/// The MPI datatypes the collectives use.
public enum MPIScalarKind: Sendable {
    case float, double, int32, int64, byte

    /// The library's handle for it.
    var datatype: MPI_Datatype {
        switch self {
        case .float: cmpi_float()
        case .double: cmpi_double()
        case .int32: cmpi_int32()
        case .int64: cmpi_int64()
        case .byte: cmpi_byte()
        }
    }
}

extension Float: MPIScalar {
    public static var mpiKind: MPIScalarKind { .float }
}

extension Double: MPIScalar {
    public static var mpiKind: MPIScalarKind { .double }
}

extension Int32: MPIScalar {
    public static var mpiKind: MPIScalarKind { .int32 }
}

extension Int: MPIScalar {
    // `Int` is 64-bit on every platform this package builds for (a static check would need a 32-bit one).
    public static var mpiKind: MPIScalarKind { .int64 }
}

extension UInt8: MPIScalar {
    public static var mpiKind: MPIScalarKind { .byte }
}

/// The reductions of `Communicator.allReduce`.
public enum ReductionOperation: Sendable {
    case sum, maximum, minimum

    var handle: MPI_Op {
        switch self {
        case .sum: cmpi_sum()
        case .maximum: cmpi_max()
        case .minimum: cmpi_min()
        }
    }
}
