import Foundation

/// The named variables of a MATLAB level-5 .mat file (the format of `cars_annos.mat` and the Cars devkit).
///
/// Supports little- and big-endian files, compressed elements (miCOMPRESSED, zlib), numeric and logical
/// arrays of every class, char, cell and struct arrays. Sparse arrays, objects and v7.3 (HDF5) files are
/// refused with an error.
public struct MATFile: Sendable {
    /// The variables by name.
    public let variables: [String: MATValue]
    /// The file's path, for error messages.
    public let path: String

    /// Reads the .mat file at `url`.
    ///
    /// - Throws: `DataFileError` naming the file when it is missing, truncated, corrupt or unsupported.
    public init(contentsOf url: URL) throws {
        try self.init(bytes: try IDXFile.readFile(url), path: url.path)
    }

    /// Parses the bytes of a .mat file; `path` names it in errors.
    init(bytes: [UInt8], path: String) throws {
        self.path = path
        guard bytes.count >= 128 else {
            throw DataFileError(path: path, "truncated MAT file: \(bytes.count) bytes, the header needs 128")
        }
        let text = String(decoding: bytes[0..<116], as: UTF8.self)
        if text.hasPrefix("MATLAB 7.3") || bytes.starts(with: [0x89, 0x48, 0x44, 0x46]) {
            throw DataFileError(path: path, "MATLAB 7.3 (HDF5) files are not supported; save with -v7 or scipy.io.savemat")
        }
        let bigEndian: Bool
        switch (bytes[126], bytes[127]) {
        case (UInt8(ascii: "I"), UInt8(ascii: "M")): bigEndian = false
        case (UInt8(ascii: "M"), UInt8(ascii: "I")): bigEndian = true
        default: throw DataFileError(path: path, "not a MATLAB 5 file (no endian indicator at byte 126)")
        }
        var reader = MATReader(bytes: bytes, bigEndian: bigEndian, path: path)
        reader.offset = 128
        var variables: [String: MATValue] = [:]
        while reader.offset + 8 <= bytes.count {
            let (name, value) = try reader.readVariable()
            if let name { variables[name] = value }
        }
        self.variables = variables
    }

    /// The variable `name`, or an error naming the file and the variables it has.
    public func variable(_ name: String) throws -> MATValue {
        guard let value = variables[name] else {
            throw DataFileError(path: path, "no variable '\(name)' (has \(variables.keys.sorted()))")
        }
        return value
    }
}
