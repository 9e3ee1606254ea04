@testable import MLEvaluation
import TestSupport
import Testing

@Suite("MutualInformation")
struct MutualInformationTests {
    @Test("NMI and AMI equal scikit-learn's for the same assignment", arguments: ["kmeans", "random"])
    func matchesScikitLearn(assignment name: String) throws {
        let fixture = try FixtureFile("clustering.json")
        let truth = (0..<240).map { $0 % 6 }
        let assignment = fixture["\(name)_assignment"].values.map { Int($0) }
        let reference = fixture["\(name)_scores"].values
        let nmi = MutualInformation.normalized(truth, assignment)
        let ami = MutualInformation.adjusted(truth, assignment)
        #expect(abs(nmi - reference[0]) <= 1e-6, "\(name) NMI \(nmi), sklearn \(reference[0])")
        #expect(abs(ami - reference[1]) <= 1e-6, "\(name) AMI \(ami), sklearn \(reference[1])")
    }

    @Test("scikit-learn's special cases: one group each is 1, a constant labelling against a split is 0")
    func specialCases() {
        #expect(MutualInformation.normalized([3, 3, 3], [1, 1, 1]) == 1)
        #expect(MutualInformation.adjusted([3, 3, 3], [1, 1, 1]) == 1)
        #expect(MutualInformation.normalized([0, 0, 0, 0], [0, 1, 2, 3]) == 0)
        #expect(MutualInformation.adjusted([0, 0, 0, 0], [0, 1, 2, 3]) == 0)
        #expect(abs(MutualInformation.adjusted([0, 0, 1, 1], [1, 1, 0, 0]) - 1) < 1e-12)
    }
}
