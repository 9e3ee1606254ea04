// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-metric-learning",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "MetricLearning", targets: ["MetricLearning"]),
        .executable(name: "dml", targets: ["dml"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Debian's libdnnl-dev (oneDNN 2.6, C API).
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        // omp_set_num_threads from GCC's libgomp (omp.h is not on Swift's include path).
        .target(name: "COpenMP", path: "Sources/COpenMP", linkerSettings: [.linkedLibrary("gomp")]),
        // Debian's libturbojpeg0-dev (TurboJPEG 2.1 API).
        .systemLibrary(name: "CTurboJPEG", path: "Sources/CTurboJPEG"),
        // Debian's libpng-dev, behind a C shim that keeps libpng's setjmp error handling out of Swift.
        .target(name: "CPNG", path: "Sources/CPNG", linkerSettings: [.linkedLibrary("png")]),
        // mallopt from glibc's malloc.h (not on Swift's include path).
        .target(name: "CMalloc", path: "Sources/CMalloc"),
        // Debian's zlib1g-dev (inflate for gzip'd IDX files, compressed MAT elements, zip archives).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(
            name: "MetricLearning",
            dependencies: ["CDNNL", "COpenMP", "CTurboJPEG", "CPNG", "CZlib", "CMalloc"],
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
        ),
        .executableTarget(
            name: "dml",
            dependencies: [
                "MetricLearning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "MetricLearningTests",
            dependencies: ["MetricLearning"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
