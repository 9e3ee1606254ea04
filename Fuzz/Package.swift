// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for the package's readers (docs/reliability.md). Not part of the library's build; it
// depends on the library by path and is built and run by tools/fuzz.sh:
//
//     swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
//         -Xswiftc -enable-testing -Xswiftc -use-ld=lld
//     DML_FUZZ_TARGET=npy Fuzz/.build/release/dml-fuzz Fuzz/Corpus/npy
//
// One executable serves every target (`DML_FUZZ_TARGET` picks one; `FuzzTarget.all` lists them), so one
// sanitizer build covers them all. -enable-testing lets targets reach the internal zip and pickle readers;
// lld links (gold fails on the sanitizer runtime's debug information).
let package = Package(
    name: "swift-metric-learning-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "swift-metric-learning", path: ".."),
    ],
    targets: [
        // libFuzzer's driver entry point, declared for Swift.
        .target(name: "CLibFuzzer"),
        .executableTarget(
            name: "dml-fuzz",
            dependencies: [
                "CLibFuzzer",
                .product(name: "MetricLearning", package: "swift-metric-learning"),
                // index.json (links faiss and OpenBLAS, never called) and the service's request parsers: the
                // search service's readers without building Hummingbird, NIO or swift-metrics.
                .product(name: "MLIndex", package: "swift-metric-learning"),
                .product(name: "MLServeRequests", package: "swift-metric-learning"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
