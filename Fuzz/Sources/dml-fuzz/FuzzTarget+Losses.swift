import MLEngine
import MLLosses

extension FuzzTarget {
    /// A loss specification, then a miner's on the next line (`--loss`, `--miner`): parsed, built for 3
    /// classes of 4-dimensional embeddings, and evaluated on a fixed batch of 8.
    static let lossSpecification = FuzzTarget("loss-specification") { bytes in
        let lines = parts(bytes, count: 2, separator: [0x0A]).map { String(decoding: $0, as: UTF8.self) }
        let criterion = try LossRegistry.makeCriterion(loss: lines[0], miner: lines[1].isEmpty ? nil : lines[1],
                                                       classes: 3, embeddingSize: 4, seed: 1)
        _ = try criterion(batch, labels: [0, 0, 1, 1, 2, 2, 0, 1])
    }

    private static let batch = Tensor(shape: [8, 4], values: (0..<32).map { Float(($0 * 7) % 11) / 5 - 1 })
}
