import MLData
import MLEngine

/// An epoch's batches one optimizer step at a time: `batchesPerStep` consecutive loader batches (a data-
/// parallel process's slices of the step's micro-batches) stacked into one, or the loader's batches as
/// they are.
final class StepStream {
    private let batches: BatchStream
    private let batchesPerStep: Int

    init(_ batches: BatchStream, batchesPerStep: Int) {
        self.batches = batches
        self.batchesPerStep = batchesPerStep
    }

    /// The next step's images and labels, nil after the last.
    func next() throws -> (images: Tensor, labels: [Int])? {
        guard batchesPerStep > 1 else { return try batches.next().map { ($0.images, $0.labels) } }
        var parts: [BatchLoader.Batch] = []
        while parts.count < batchesPerStep, let batch = try batches.next() { parts.append(batch) }
        guard !parts.isEmpty else { return nil }
        return (Tensor.concatenatingRows(parts.map(\.images)), parts.flatMap(\.labels))
    }
}
