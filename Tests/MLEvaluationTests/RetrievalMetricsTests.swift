import Foundation
@testable import MLEvaluation
import TestSupport
import Testing

@Suite("RetrievalMetrics")
struct RetrievalMetricsTests {
    func expectClose(_ value: Double?, _ reference: Double, _ what: String) {
        #expect(abs((value ?? .nan) - reference) <= 1e-6, "\(what): \(String(describing: value)), PML \(reference)")
    }

    @Test("P@1, R-precision, MAP@R equal PML's AccuracyCalculator; Recall@K the reference's",
          arguments: [false, true], [false, true])
    func matchesPML(leaveOneOut: Bool, perClass: Bool) throws {
        let fixture = try FixtureFile("retrieval_metrics.json")
        let data = try RetrievalFixtureData(fixture)
        let labels = fixture["labels"].values.map { Int($0) }
        #expect(labels == data.labels, "regenerated labels differ from the fixture's")
        let ks: [Int] = try fixture.meta("recall_ks")
        let queryLabels = leaveOneOut ? labels : Array(labels[..<data.queryCount])
        let galleryLabels = leaveOneOut ? labels : Array(labels[data.queryCount...])
        let neighbors = leaveOneOut
            ? try ExactSearch.neighbors(queries: data.all, k: 40, distance: .cosine, blockSize: 64)
            : try ExactSearch.neighbors(queries: data.queries, gallery: data.gallery, k: 40, distance: .cosine, blockSize: 64)
        let metrics = RetrievalMetrics(
            neighbors: neighbors, queryLabels: queryLabels, galleryLabels: galleryLabels,
            leaveOneOut: leaveOneOut, recallAt: ks, averagePerClass: perClass)
        let mode = leaveOneOut ? "loo" : "qg"
        let pml = fixture["\(mode)_pml\(perClass ? "_per_class" : "")"].values
        expectClose(metrics.precisionAt1, pml[0], "\(mode) precision_at_1")
        expectClose(metrics.rPrecision, pml[1], "\(mode) r_precision")
        expectClose(metrics.meanAveragePrecisionAtR, pml[2], "\(mode) mean_average_precision_at_r")
        if !perClass {
            for (k, reference) in zip(ks, fixture["\(mode)_recall"].values) {
                expectClose(metrics.recallAtK[k], reference, "\(mode) recall@\(k)")
            }
        }
    }

    @Test("a lone query is a recall miss and is left out of P@1")
    func loneQuery() {
        // Query 0 (label 5) has no same-label item; query 1's nearest is a match.
        let neighbors = NeighborList(queryCount: 2, k: 2, indices: [1, 2, 2, 0], values: [0, 0, 0, 0])
        let metrics = RetrievalMetrics(neighbors: neighbors, queryLabels: [5, 1], galleryLabels: [7, 1, 1],
                                       leaveOneOut: false, recallAt: [1, 2])
        #expect(metrics.recallAtK == [1: 0.5, 2: 0.5])
        #expect(metrics.precisionAt1 == 1)
        #expect(metrics.rPrecision == 0.5)
        #expect(metrics.meanAveragePrecisionAtR == 0.5)
    }

    @Test("JSON follows DESIGN §6 and round-trips")
    func json() throws {
        var metrics = RetrievalMetrics()
        metrics.recallAtK = [16: 0.75, 2: 0.5, 1: 0.25]
        metrics.precisionAt1 = 0.25
        metrics.nmi = 0.5
        #expect(metrics.jsonText == #"{"recall_at_k": {"1": 0.25, "2": 0.5, "16": 0.75}, "precision_at_1": 0.25, "nmi": 0.5}"#)
        let decoded = try JSONDecoder().decode(RetrievalMetrics.self, from: try JSONEncoder().encode(metrics))
        #expect(decoded == metrics)
        let parsed = try JSONSerialization.jsonObject(with: Data(metrics.jsonText.utf8)) as? [String: Any]
        #expect(parsed?.keys.sorted() == ["nmi", "precision_at_1", "recall_at_k"])
    }
}
