// swift-tools-version:6.0
import PackageDescription

// Modules, lowest first; each depends only on modules listed before it:
//
//   MLEngine      tensors, storage, allocator, seeded RNG, the oneDNN kernels, the OpenMP parallel loop
//   MLFormats     file formats as plain arrays: safetensors, .pth (zip + pickle), .npy, IDX, MAT v5, PNG
//                 (no oneDNN, so a fuzzing build of the readers stays small)
//   MLModels      layers, ResNet and the embedding model, SGD and schedules, state-dict loading
//                 (MLEngine, MLFormats)
//   MLLosses      distances, reducers, miners, losses and their registry (MLModels)
//   MLData        images, transforms, datasets, samplers, the batch loader (MLEngine, MLFormats)
//   MLEvaluation  exact kNN search, retrieval metrics, clustering (MLEngine, MLFormats)
//   MLTraining    the trainer, configuration, checkpoints, run folders and reports (all of the above)
//   MetricLearning  the umbrella: `import MetricLearning` re-exports the modules above
//   MLExport      ONNX and torchvision export of embedding models (MLTraining, SwiftProtobuf); optional,
//                 outside the umbrella, so a package using the library never builds protobuf
//   MLDistributed data-parallel training over MPI (MLTraining, CMPI); not in the umbrella, so a package
//                 using the library never needs an MPI installation
//   dml           the command-line tool
let package = Package(
    name: "swift-metric-learning",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "MetricLearning", targets: ["MetricLearning"]),
        .executable(name: "dml", targets: ["dml"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation` (DocC); CI builds the documentation with warnings as errors.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        // MLExport's ONNX protobuf messages (Sources/MLExport/Protobuf, made by tools/generate-onnx-proto.sh).
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // System libraries and C shims.
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
        // Debian's zlib1g-dev (inflate for gzip'd IDX files, compressed MAT elements, zip archives; PNG).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // mpi.h of Debian's default MPI (libopenmpi-dev; libmpich-dev works too): the `mpi` pkg-config
        // alternative names whichever is installed, and the module uses only the MPI standard.
        .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "mpi", providers: [.apt(["libopenmpi-dev"])]),

        // The library, lowest module first.
        .target(name: "MLEngine", dependencies: ["CDNNL", "COpenMP"]),
        .target(name: "MLFormats", dependencies: ["CZlib"]),
        .target(name: "MLModels", dependencies: ["MLEngine", "MLFormats"]),
        .target(name: "MLLosses", dependencies: ["MLModels"]),
        .target(name: "MLData", dependencies: ["MLEngine", "MLFormats", "CTurboJPEG", "CPNG", "CMalloc"]),
        .target(name: "MLEvaluation", dependencies: ["MLEngine", "MLFormats"]),
        .target(name: "MLTraining", dependencies: ["MLModels", "MLLosses", "MLData", "MLEvaluation"]),
        .target(name: "MetricLearning",
                dependencies: ["MLEngine", "MLFormats", "MLModels", "MLLosses", "MLData", "MLEvaluation", "MLTraining"]),

        // Optional modules, not re-exported by the umbrella.
        // ONNX and torchvision export (issue 15); only the SwiftProtobuf runtime is built, never its plugin.
        .target(name: "MLExport",
                dependencies: ["MLTraining", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        // Multi-process training over MPI (issue 13), used by dml.
        .target(name: "MLDistributed", dependencies: ["MLTraining", "CMPI"]),

        // The command-line tool.
        .executableTarget(
            name: "dml",
            dependencies: [
                "MetricLearning",
                "MLExport",
                "MLDistributed",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Tests: one target per module, plus fixtures and helpers they share.
        .target(name: "TestSupport", dependencies: ["MLTraining"], path: "Tests/TestSupport"),
        .testTarget(name: "MLEngineTests", dependencies: ["MLEngine", "TestSupport"]),
        .testTarget(name: "MLFormatsTests", dependencies: ["MLFormats", "TestSupport"]),
        .testTarget(name: "MLModelsTests", dependencies: ["MLModels", "TestSupport"]),
        .testTarget(name: "MLLossesTests", dependencies: ["MLLosses", "TestSupport"]),
        .testTarget(name: "MLDataTests", dependencies: ["MLData", "TestSupport"]),
        .testTarget(name: "MLEvaluationTests", dependencies: ["MLEvaluation", "TestSupport"]),
        .testTarget(name: "MLTrainingTests", dependencies: ["MLTraining", "TestSupport"]),
        .testTarget(name: "MetricLearningTests", dependencies: ["MetricLearning", "TestSupport"]),
        .testTarget(name: "MLExportTests", dependencies: ["MLExport", "TestSupport"]),
        .testTarget(name: "dmlTests", dependencies: ["MLTraining", "TestSupport"]),
        // MLDistributed's tests start `mpirun -np 2` on MLDistributedChecks, a program of check scenarios.
        .testTarget(name: "MLDistributedTests", dependencies: ["MLDistributed", "TestSupport"]),
        .executableTarget(name: "MLDistributedChecks", dependencies: ["MLDistributed", "TestSupport"],
                         path: "Tests/MLDistributedChecks"),
    ],
    swiftLanguageModes: [.v6]
)
