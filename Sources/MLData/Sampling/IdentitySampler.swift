/// The authors' identity sampler (`RandomReplacedIdentitySampler`): each batch draws `identities` classes
/// without replacement among those with at least `samplesPerIdentity` images, then that many images of
/// each without replacement; classes may recur across batches. An epoch is `iterations` batches.
public struct IdentitySampler: BatchSampler {
    /// Classes per batch.
    public let identities: Int
    /// Images per class in a batch.
    public let samplesPerIdentity: Int
    /// Batches per epoch.
    public let iterations: Int
    /// The seed.
    public let seed: UInt64
    private let eligible: [[Int]]

    /// A sampler over samples with `labels`.
    ///
    /// - Throws: `SamplerError` when fewer than `identities` classes have `samplesPerIdentity` images.
    public init(labels: [Int], identities: Int, samplesPerIdentity: Int, iterations: Int, seed: UInt64) throws {
        guard identities > 0, samplesPerIdentity > 0, iterations > 0 else {
            throw SamplerError("identities (\(identities)), samples per identity (\(samplesPerIdentity)) and iterations (\(iterations)) must be positive")
        }
        eligible = indicesByLabel(labels).map(\.indices).filter { $0.count >= samplesPerIdentity }
        guard eligible.count >= identities else {
            throw SamplerError("only \(eligible.count) classes have \(samplesPerIdentity) images; a batch needs \(identities)")
        }
        self.identities = identities
        self.samplesPerIdentity = samplesPerIdentity
        self.iterations = iterations
        self.seed = seed
    }

    public var batchSize: Int { identities * samplesPerIdentity }

    public var batchesPerEpoch: Int { iterations }

    public func batches(epoch: Int) -> [[Int]] {
        var generator = samplerGenerator(seed: seed, epoch: epoch)
        return (0..<iterations).map { _ in
            generator.choose(identities, from: Array(eligible.indices)).flatMap {
                generator.choose(samplesPerIdentity, from: eligible[$0])
            }
        }
    }
}
