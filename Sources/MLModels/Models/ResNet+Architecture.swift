extension ResNet {
    /// The torchvision ResNet variants, by the names users know (`resnet50`).
    public enum Architecture: String, CaseIterable, Codable, Sendable {
        case resnet18, resnet34, resnet50, resnet101

        /// The architecture called `name` (as in `--arch resnet50`); throws listing the valid names.
        public init(name: String) throws {
            guard let architecture = Architecture(rawValue: name.lowercased()) else {
                throw UnknownArchitecture(name: name)
            }
            self = architecture
        }

        /// Blocks in layer1…layer4.
        public var blockCounts: [Int] {
            switch self {
            case .resnet18: [2, 2, 2, 2]
            case .resnet34, .resnet50: [3, 4, 6, 3]
            case .resnet101: [3, 4, 23, 3]
            }
        }

        /// Whether the blocks are `Bottleneck`s (else `BasicBlock`s).
        public var usesBottleneck: Bool { self == .resnet50 || self == .resnet101 }

        /// Output channels of a block per `planes` (1 for BasicBlock, 4 for Bottleneck).
        public var expansion: Int { usesBottleneck ? Bottleneck.expansion : BasicBlock.expansion }

        /// Channels of the pooled features: 512 (ResNet-18/34) or 2048 (ResNet-50/101).
        public var featureCount: Int { 512 * expansion }

        func makeBlock(inChannels: Int, planes: Int, stride: Int) -> any ResidualBlock {
            usesBottleneck ? Bottleneck(inChannels: inChannels, planes: planes, stride: stride)
                : BasicBlock(inChannels: inChannels, planes: planes, stride: stride)
        }
    }

    /// A name that is not one of `Architecture`'s.
    public struct UnknownArchitecture: Error, CustomStringConvertible {
        /// The name asked for.
        public let name: String

        public var description: String {
            "unknown architecture \"\(name)\"; valid: \(Architecture.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }
}
