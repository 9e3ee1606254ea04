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
//
// Optional modules, outside the umbrella (a package using MetricLearning never builds protobuf, faiss or NIO):
//   MLExport      ONNX and torchvision export of embedding models (MLTraining, SwiftProtobuf)
//   MLIndex       gallery indexes: format, exact search, HNSW/IVF through the CANN shim (MLTraining, CANN)
//   MLServeRequests  the search service's request parsers: multipart forms, image headers (no dependencies,
//                 so the fuzzers reach them without building NIO)
//   MLServe       the HTTP search service and its page (MLIndex, MLServeRequests, Hummingbird, swift-metrics,
//                 Prometheus)
//   MLDistributed data-parallel training over MPI (MLTraining, CMPI)
//
//   dml           the command-line tool
//
// Products: the umbrella, the tool, and the two optional modules the fuzzers (Fuzz/, a package of its own)
// reach: MLIndex (index.json) and MLServeRequests; users may depend on them too.
let package = Package(
    name: "swift-metric-learning",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "MetricLearning", targets: ["MetricLearning"]),
        .library(name: "MLIndex", targets: ["MLIndex"]),
        .library(name: "MLServeRequests", targets: ["MLServeRequests"]),
        .executable(name: "dml", targets: ["dml"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation` (DocC); CI builds the documentation with warnings as errors.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        // MLExport's ONNX protobuf messages (Sources/MLExport/Protobuf, made by tools/generate-onnx-proto.sh).
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // The search service (MLServe).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // System libraries and C shims.
        // Debian's libdnnl-dev (oneDNN 2.6, C API).
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        // omp_set_num_threads from GCC's libgomp (omp.h is not on Swift's include path).
        .target(name: "COpenMP", path: "Sources/COpenMP", linkerSettings: [.linkedLibrary("gomp")]),
        // Debian's libturbojpeg0-dev (TurboJPEG 2.1 API).
        .systemLibrary(name: "CTurboJPEG", path: "Sources/CTurboJPEG"),
        // MLData's fused transform loops on 4-byte pixels with Pillow's arithmetic (SSE4.1/AVX2 chosen at run time).
        .target(name: "CImageKernels", path: "Sources/CImageKernels"),
        // MLEvaluation's exact-search threshold scans (AVX-512 chosen at run time).
        .target(name: "CSearchKernels", path: "Sources/CSearchKernels"),
        // Debian's libpng-dev, behind a C shim that keeps libpng's setjmp error handling out of Swift.
        .target(name: "CPNG", path: "Sources/CPNG", linkerSettings: [.linkedLibrary("png")]),
        // mallopt from glibc's malloc.h (not on Swift's include path).
        .target(name: "CMalloc", path: "Sources/CMalloc"),
        // Debian's zlib1g-dev (inflate for gzip'd IDX files, compressed MAT elements, zip archives; PNG).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // Approximate nearest neighbours: an extern "C" C++ shim over Debian's libfaiss-dev 1.7.3 (static,
        // needs libopenblas-dev) and the header-only libhnswlib-dev 0.6.
        .target(name: "CANN", path: "Sources/CANN", exclude: ["gomp"],
                cxxSettings: [.define("NDEBUG"), .headerSearchPath("gomp")],
                linkerSettings: [.linkedLibrary("faiss"), .linkedLibrary("openblas"), .linkedLibrary("gomp")]),
        // mpi.h of Debian's default MPI (libopenmpi-dev; libmpich-dev works too): the `mpi` pkg-config
        // alternative names whichever is installed, and the module uses only the MPI standard.
        .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "mpi", providers: [.apt(["libopenmpi-dev"])]),

        // The library, lowest module first.
        .target(name: "MLEngine", dependencies: ["CDNNL", "COpenMP"]),
        .target(name: "MLFormats", dependencies: ["CZlib"]),
        .target(name: "MLModels", dependencies: ["MLEngine", "MLFormats"]),
        .target(name: "MLLosses", dependencies: ["MLModels"]),
        .target(name: "MLData", dependencies: ["MLEngine", "MLFormats", "CTurboJPEG", "CPNG", "CMalloc", "CImageKernels"]),
        .target(name: "MLEvaluation", dependencies: ["MLEngine", "MLFormats", "CSearchKernels"]),
        .target(name: "MLTraining", dependencies: ["MLModels", "MLLosses", "MLData", "MLEvaluation"]),
        .target(name: "MetricLearning",
                dependencies: ["MLEngine", "MLFormats", "MLModels", "MLLosses", "MLData", "MLEvaluation", "MLTraining"]),

        // Optional modules, not re-exported by the umbrella.
        // ONNX and torchvision export (issue 15); only the SwiftProtobuf runtime is built, never its plugin.
        .target(name: "MLExport",
                dependencies: ["MLTraining", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        // Gallery indexes and the search service (issue 14).
        .target(name: "MLIndex", dependencies: ["MLTraining", "CANN"]),
        // The service's parsers of request bodies: pure functions of bytes, without dependencies.
        .target(name: "MLServeRequests"),
        .target(name: "MLServe", dependencies: [
            "MLIndex",
            "MLServeRequests",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Multi-process training over MPI (issue 13), used by dml.
        .target(name: "MLDistributed", dependencies: ["MLTraining", "CMPI"]),

        // The command-line tool.
        .executableTarget(
            name: "dml",
            dependencies: [
                "MetricLearning",
                "MLExport",
                "MLIndex",
                "MLServe",
                "MLDistributed",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),

        // Tests: one target per module, plus fixtures and helpers they share.
        .target(name: "TestSupport", dependencies: ["MLTraining", "CTurboJPEG"], path: "Tests/TestSupport"),
        .testTarget(name: "MLEngineTests", dependencies: ["MLEngine", "TestSupport"]),
        .testTarget(name: "MLFormatsTests", dependencies: ["MLFormats", "TestSupport"]),
        .testTarget(name: "MLModelsTests", dependencies: ["MLModels", "TestSupport"]),
        .testTarget(name: "MLLossesTests", dependencies: ["MLLosses", "TestSupport"]),
        .testTarget(name: "MLDataTests", dependencies: ["MLData", "TestSupport"]),
        .testTarget(name: "MLEvaluationTests", dependencies: ["MLEvaluation", "TestSupport"]),
        .testTarget(name: "MLTrainingTests", dependencies: ["MLTraining", "TestSupport"]),
        .testTarget(name: "MetricLearningTests", dependencies: ["MetricLearning", "TestSupport"]),
        .testTarget(name: "MLExportTests", dependencies: ["MLExport", "TestSupport"]),
        .testTarget(name: "MLIndexTests", dependencies: ["MLIndex", "TestSupport"]),
        .testTarget(name: "MLServeRequestsTests", dependencies: ["MLServeRequests", "MLData", "TestSupport"]),
        .testTarget(name: "MLServeTests", dependencies: [
            "MLServe", "MLServeRequests", "TestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "dmlTests", dependencies: ["MLTraining", "MLServe", "TestSupport"]),
        // MLDistributed's tests start `mpirun -np 2` on MLDistributedChecks, a program of check scenarios.
        .testTarget(name: "MLDistributedTests", dependencies: ["MLDistributed", "TestSupport"]),
        .executableTarget(name: "MLDistributedChecks", dependencies: ["MLDistributed", "TestSupport"],
                         path: "Tests/MLDistributedChecks"),
    ],
    swiftLanguageModes: [.v6]
)
