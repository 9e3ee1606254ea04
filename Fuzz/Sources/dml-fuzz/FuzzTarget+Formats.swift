import Foundation
@testable import MLFormats

extension FuzzTarget {
    /// Header, validation, every tensor decoded (integers too), the data checksum.
    static let safetensors = FuzzTarget("safetensors") { bytes in
        let file = try SafeTensorsFile(bytes: Data(bytes), source: "fuzz.safetensors")
        _ = file.dataCRC32()
        for info in file.tensors {
            _ = try file.floats(named: info.name)
            if !info.dtype.isFloatingPoint { _ = try file.integers(named: info.name) }
        }
    }

    /// A whole `.pth` file: zip directory, pickle, tensor views, every storage inflated and decoded.
    static let pth = FuzzTarget("pth") { bytes in
        let file = try PyTorchFile(archive: ZipArchive(bytes: Data(bytes), source: "fuzz.pth"))
        for name in file.tensorNames { _ = try? file.floats(named: name) }
    }

    /// The pickle alone (the input is `archive/data.pkl`), in an archive of well-formed storages
    /// `archive/data/0` … `31` of 512 bytes: the unpickler, the resolver's allow-list and the tensor rebuild.
    static let pickle = FuzzTarget("pickle") { bytes in
        let file = try PyTorchFile(archive: ZipArchive(bytes: Data(StoredZip.archive(pickle: bytes)), source: "fuzz.pth"))
        for name in file.tensorNames { _ = try? file.floats(named: name) }
    }

    /// A zip archive: directory (zip64 included), then every entry read, inflated and CRC-checked.
    static let zip = FuzzTarget("zip") { bytes in
        let archive = try ZipArchive(bytes: Data(bytes), source: "fuzz.zip")
        for entry in archive.entries { _ = try? archive.contents(of: entry) }
    }

    static let npy = FuzzTarget("npy") { bytes in
        let array = try NumPyArray(bytes: Data(bytes), source: "fuzz.npy")
        _ = array.floats()
        _ = try? array.integers()
    }

    /// Plain and gzip'd IDX files.
    static let idx = FuzzTarget("idx") { bytes in
        _ = try IDXFile(bytes: bytes, path: "fuzz.idx")
    }

    /// A MAT v5 file, then every value it holds visited (fields, strings, scalars).
    static let mat = FuzzTarget("mat") { bytes in
        let file = try MATFile(bytes: bytes, path: "fuzz.mat")
        var pending = Array(file.variables.values)
        while let value = pending.popLast() {
            _ = (value.count, value.scalar, value.string, value.fieldNames)
            switch value {
            case .cell(_, let elements): pending += elements
            case .structure(_, _, let elements): pending += elements.joined()
            default: break
            }
        }
    }
}
