import MLTraining

/// What makes two models give the same embeddings: the checkpoint's tensors (zlib's CRC-32 of the
/// safetensors data buffer, computed from the file's bytes, not from its metadata) and the preprocessing
/// (test-transform preset, image size, normalisation mean and standard deviation). An index records the
/// identity of the model that embedded it; a service refuses a checkpoint whose identity differs.
public struct ModelIdentity: Codable, Sendable, Equatable {
    /// CRC-32 of the checkpoint's tensor data, 8 lowercase hexadecimal digits.
    public var checkpointCRC32: String
    /// The checkpoint's test-transform preset.
    public var transforms: String
    /// The image size the preset crops or resizes to.
    public var imageSize: Int
    /// The per-channel normalisation the model applies.
    public var mean: [Float]
    public var std: [Float]

    /// An identity from its parts.
    public init(checkpointCRC32: String, transforms: String, imageSize: Int, mean: [Float], std: [Float]) {
        self.checkpointCRC32 = checkpointCRC32
        self.transforms = transforms
        self.imageSize = imageSize
        self.mean = mean
        self.std = std
    }

    /// The identity of `checkpoint`'s model.
    public init(_ checkpoint: Checkpoint) {
        self.init(checkpointCRC32: checkpoint.weights.dataCRC32(), transforms: checkpoint.transforms.preset.rawValue,
                  imageSize: checkpoint.transforms.imageSize, mean: checkpoint.model.mean, std: checkpoint.model.std)
    }

    /// The parts in which `other` differs from this identity, described for an error message (empty when equal).
    public func differences(from other: ModelIdentity) -> [String] {
        var found: [String] = []
        if checkpointCRC32 != other.checkpointCRC32 {
            found.append("tensor data CRC-32 \(other.checkpointCRC32), the index's model has \(checkpointCRC32)")
        }
        if transforms != other.transforms || imageSize != other.imageSize {
            found.append("preprocessing \(other.transforms) at \(other.imageSize) px, the index's model uses \(transforms) at \(imageSize) px")
        }
        if mean != other.mean || std != other.std {
            found.append("normalisation mean \(other.mean) std \(other.std), the index's model uses mean \(mean) std \(std)")
        }
        return found
    }

    enum CodingKeys: String, CodingKey {
        case checkpointCRC32 = "checkpoint_crc32"
        case transforms
        case imageSize = "image_size"
        case mean, std
    }
}
