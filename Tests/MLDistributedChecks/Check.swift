import Foundation
import MLDistributed
import MLFormats

/// One process's side of a check scenario: its communicator, the test's input and where it writes.
struct Check {
    let communicator: Communicator
    let input: URL
    let output: URL
    let option: String?

    var rank: Int { communicator.rank }

    /// The test's input file.
    func inputFile() throws -> SafeTensorsFile { try SafeTensorsFile(contentsOf: input) }

    /// Writes this process's results as OUTPUT/rank<r>.safetensors.
    func write(_ file: SafeTensorsFile) throws {
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try file.write(to: output.appendingPathComponent("rank\(rank).safetensors"))
    }
}
