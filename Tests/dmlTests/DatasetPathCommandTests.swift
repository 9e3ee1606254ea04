import Foundation
import TestSupport
import Testing

/// `dml datasets inspect` reports an annotation file that points outside the dataset folder (issue 16:
/// it said OK for a list file naming ../../etc/passwd).
@Suite struct DatasetPathCommandTests {
    @Test func inspectNamesTheFileAndLine() throws {
        let dir = try TemporaryDirectory()
        let list = try dir.write("train.txt", "images/1.jpg,0\n../../etc/passwd,1\n")
        try dir.write("test.txt", "images/2.jpg,0\n")
        let (status, output) = try DMLProcess.run(["datasets", "inspect", "--format", "list", dir.url.path])
        #expect(status != 0)
        #expect(output.contains("\(list.path):2: image path '../../etc/passwd' leads out of the dataset folder"), "\(output)")
        #expect(!output.contains("OK"), "\(output)")
    }
}
