// swift-tools-version:6.0
import PackageDescription

// A package that depends on swift-metric-learning the way a user's package does, by its library product,
// so CI proves the library can be depended on and that the README's code compiles and runs:
//   swift run --package-path Examples train-tiny       # a few iterations of the fashion-mnist recipe → runs/fm
//   swift run --package-path Examples use-from-swift   # the README's "Use from Swift" code on that checkpoint
let package = Package(
    name: "metric-learning-examples",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "train-tiny", targets: ["TrainTiny"]),
        .executable(name: "use-from-swift", targets: ["UseFromSwift"]),
    ],
    dependencies: [
        .package(name: "swift-metric-learning", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "TrainTiny",
            dependencies: [.product(name: "MetricLearning", package: "swift-metric-learning")]
        ),
        .executableTarget(
            name: "UseFromSwift",
            dependencies: [.product(name: "MetricLearning", package: "swift-metric-learning")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
