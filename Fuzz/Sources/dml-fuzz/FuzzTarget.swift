import Foundation

/// One reader under the fuzzer: a name (its corpus is `Corpus/<name>`) and what it does with an input.
/// Errors are the expected outcome of most inputs and are ignored; a crash, a sanitizer report, a leak,
/// a timeout or a memory-limit hit is a finding.
struct FuzzTarget: Sendable {
    let name: String
    let run: @Sendable ([UInt8]) -> Void

    init(_ name: String, run: @escaping @Sendable ([UInt8]) throws -> Void) {
        self.name = name
        self.run = { bytes in _ = try? run(bytes) }
    }

    /// Every target, in the order `tools/fuzz.sh` runs them.
    static let all: [FuzzTarget] = [
        .safetensors, .pth, .pickle, .zip, .npy, .idx, .mat,
        .cub, .cars, .sop, .inshop, .list,
        .lossSpecification, .jpeg, .png, .embeddings, .checkpoint,
        .multipart, .indexManifest,
    ]

    /// The target named by the environment variable `DML_FUZZ_TARGET`.
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["DML_FUZZ_TARGET"] ?? ""
        guard let target = all.first(where: { $0.name == name }) else {
            fatalError("set DML_FUZZ_TARGET to one of: \(all.map(\.name).joined(separator: ", "))")
        }
        return target
    }()
}

/// The input cut at each `separator` (files of one dataset, or a loss and its miner).
func parts(_ bytes: [UInt8], count: Int, separator: [UInt8] = Array("\n====\n".utf8)) -> [[UInt8]] {
    var result: [[UInt8]] = [], start = 0, index = 0
    while result.count < count - 1, index + separator.count <= bytes.count {
        if bytes[index..<(index + separator.count)].elementsEqual(separator) {
            result.append(Array(bytes[start..<index]))
            index += separator.count
            start = index
        } else {
            index += 1
        }
    }
    result.append(Array(bytes[start...]))
    return result + [[UInt8]](repeating: [], count: count - result.count)
}
