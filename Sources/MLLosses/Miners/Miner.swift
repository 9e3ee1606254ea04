import MLEngine

/// Chooses the pairs or triplets of a batch a pairwise loss should use (PML's `BaseMiner`).
public protocol Miner: AnyObject {
    /// The miner's name in messages, PML's class name ("TripletMarginMiner").
    var name: String { get }

    /// The chosen indices for validated embeddings (n × d) and their labels.
    func mine(_ embeddings: Matrix, labels: [Int]) -> MinedIndices
}

extension Miner {
    /// The chosen indices for an `[n, d]` tensor; throws `LossError` naming the miner on bad input.
    public func mine(_ embeddings: Tensor, labels: [Int]) throws -> MinedIndices {
        mine(try validatedMatrix(embeddings, labels: labels, for: name), labels: labels)
    }
}
