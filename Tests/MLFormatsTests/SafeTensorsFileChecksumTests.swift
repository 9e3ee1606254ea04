@testable import MLFormats
import Testing

@Suite struct SafeTensorsFileChecksumTests {
    @Test func dataCRC32IsTheStandardCRC32OfTheDataBuffer() throws {
        // The CRC-32 check value from the standard's catalogue: CRC-32("123456789") = 0xcbf43926.
        var file = SafeTensorsFile(metadata: ["note": "metadata is not covered"])
        try file.add(integers: Array("123456789".utf8).map(Int.init), named: "digits", as: .uint8)
        #expect(file.dataCRC32() == "cbf43926")
        let read = try SafeTensorsFile(bytes: file.serialized())
        #expect(read.dataCRC32() == "cbf43926")
        // Eight digits even when the CRC is small; an empty buffer has CRC 0.
        #expect(SafeTensorsFile().dataCRC32() == "00000000")
    }
}
