import Foundation
import Testing

/// Negative numbers reach numeric options, whose own checks accept or refuse them (issue 16: `--lr -1`
/// said "Missing value for '--lr <lr>'").
@Suite struct NegativeNumberCommandTests {
    @Test func aNegativeLearningRateIsRefusedAsInvalid() throws {
        let (status, output) = try DMLProcess.run(["train", "--lr", "-1"])
        #expect(status != 0)
        #expect(output.contains("Error: --lr must be positive, got -1.0"), "\(output)")
        #expect(!output.contains("Missing value"), "\(output)")
    }

    @Test func everyFormOfANegativeNumberReachesItsOption() throws {
        for (arguments, message) in [
            (["train", "--epochs", "-3"], "Error: --epochs must be at least 1, got -3"),
            (["train", "--momentum", "-0.5"], "Error: --momentum must be in [0, 1), got -0.5"),
            (["train", "--dropout", "-1e-3"], "Error: --dropout must be in [0, 1), got -0.001"),
            (["train", "--seed", "-1"], "Error: The value '-1' is invalid for '--seed <seed>'"),
        ] {
            let (status, output) = try DMLProcess.run(arguments)
            #expect(status != 0, "\(arguments)")
            #expect(output.contains(message), "\(arguments): \(output)")
        }
    }
}
