import Foundation
@testable import MLExport
import MLEngine
import MLModels
import MLTraining
import TestSupport
import Testing

/// The ONNX graph's structure, weights and metadata. Its numbers are checked in onnxruntime against
/// `dml embed` by tools/export/check.sh (dmlTests' ONNXExportCheckTests).
@Suite struct ONNXExporterTests {
    @Test func graphTakesImagesWithADynamicBatchAndGivesEmbeddings() throws {
        let proto = try ExportTestModels.proto(try ExportTestModels.resnet18(featureNorm: .batch, remap: 48, l2Normalize: true))
        #expect(proto.irVersion == 8)
        #expect(proto.opsetImport.map(\.domain) == [""] && proto.opsetImport.map(\.version) == [17])
        let input = try #require(proto.graph.input.first), output = try #require(proto.graph.output.first)
        #expect(proto.graph.input.count == 1 && input.name == "images")
        #expect(input.type.tensorType.elemType == 1)
        #expect(input.type.tensorType.shape.dim.map(\.dimParam) == ["N", "", "", ""])
        #expect(input.type.tensorType.shape.dim.map(\.dimValue) == [0, 3, 64, 64])
        #expect(proto.graph.output.count == 1 && output.name == "embeddings")
        #expect(output.type.tensorType.shape.dim.map(\.dimParam) == ["N", ""])
        #expect(output.type.tensorType.shape.dim.map(\.dimValue) == [0, 48])
        // Every node input is the graph input, an initializer or an earlier node's output.
        var known = Set(proto.graph.initializer.map(\.name) + ["images"])
        for node in proto.graph.node {
            #expect(node.input.allSatisfy(known.contains), "\(node.name) reads an undefined value: \(node.input)")
            known.formUnion(node.output)
        }
        #expect(proto.graph.node.last?.output == ["embeddings"])
    }

    @Test func foldedFormHasOneConvPerConvolutionAndNoBackboneBatchNorm() throws {
        let model = try ExportTestModels.resnet18(featureNorm: .batch)
        let folded = try ExportTestModels.proto(model).operatorCounts
        // ResNet-18: the stem, 16 block convolutions, 3 projections; the neck's BatchNorm1d stays a node.
        #expect(folded["Conv"] == 20 && folded["BatchNormalization"] == 1)
        #expect(folded["Add"] == 8 && folded["Relu"] == 17 && folded["MaxPool"] == 1)
        #expect(folded["GlobalAveragePool"] == 1 && folded["Flatten"] == 1)
        let nodes = try ExportTestModels.proto(model, ONNXExportOptions(batchNorm: .nodes)).operatorCounts
        #expect(nodes["Conv"] == 20 && nodes["BatchNormalization"] == 21)
    }

    /// The folded weight and bias of layer2.0.conv2 (+ bn2), recomputed here from the raw tensors.
    @Test func foldedConvolutionHoldsTheBatchNormOfItsOwnPath() throws {
        let model = try ExportTestModels.resnet18()
        let proto = try ExportTestModels.proto(model)
        let parameters = Dictionary(uniqueKeysWithValues: model.namedParameters.map { ($0.name, $0.parameter.value.scalars) })
        let prefix = "layer2.0."
        let (gamma, beta) = (parameters[prefix + "bn2.weight"]!, parameters[prefix + "bn2.bias"]!)
        let (mean, variance) = (parameters[prefix + "bn2.running_mean"]!, parameters[prefix + "bn2.running_var"]!)
        let weight = parameters[prefix + "conv2.weight"]!
        let scale = (0..<gamma.count).map { Double(gamma[$0]) / (Double(variance[$0]) + 1e-5).squareRoot() }
        let perChannel = weight.count / gamma.count
        let folded = try #require(proto.initializer(prefix + "conv2.folded_weight"))
        #expect(folded.shape == [128, 128, 3, 3])
        #expect(folded.values == weight.indices.map { Float(Double(weight[$0]) * scale[$0 / perChannel]) })
        let bias = try #require(proto.initializer(prefix + "conv2.folded_bias"))
        #expect(bias.values == gamma.indices.map { Float(Double(beta[$0]) - Double(mean[$0]) * scale[$0]) })
        let node = try #require(proto.node(prefix + "conv2"))
        #expect(node.input == [prefix + "relu", prefix + "conv2.folded_weight", prefix + "conv2.folded_bias"])
        #expect(node.attribute.first { $0.name == "pads" }?.ints == [1, 1, 1, 1])
        #expect(node.attribute.first { $0.name == "strides" }?.ints == [1, 1])
        #expect(proto.node(prefix + "add")?.input == [prefix + "conv2", prefix + "downsample.0"])
    }

    @Test func batchNormNodesHoldTheTrainedTensorsAsTheyAre() throws {
        let model = try ExportTestModels.resnet18()
        let proto = try ExportTestModels.proto(model, ONNXExportOptions(batchNorm: .nodes))
        for (name, parameter) in model.namedParameters {
            #expect(proto.initializer(name)?.values == parameter.value.scalars, "\(name)")
        }
        let norm = try #require(proto.node("layer1.1.bn1"))
        #expect(norm.opType == "BatchNormalization" && norm.input.first == "layer1.1.conv1")
        #expect(norm.attribute.first { $0.name == "epsilon" }?.f == 1e-5)
    }

    @Test func inputIsNormalisedByTheModelsMeanAndStd() throws {
        let proto = try ExportTestModels.proto(try ExportTestModels.resnet18())
        #expect(proto.node("normalize.centered")?.opType == "Sub")
        #expect(proto.node("normalize.centered")?.input == ["images", "normalize.mean"])
        #expect(proto.node("normalize")?.input == ["normalize.centered", "normalize.std"])
        #expect(proto.initializer("normalize.mean")?.shape == [1, 3, 1, 1])
        #expect(proto.initializer("normalize.mean")?.values == Normalize.imageNet.mean)
        #expect(proto.initializer("normalize.std")?.values == Normalize.imageNet.std)
        #expect(proto.node("conv1")?.input.first == "normalize")
    }

    @Test func l2NormalisationIsReduceL2MaxDivWithOurEpsilon() throws {
        let proto = try ExportTestModels.proto(try ExportTestModels.resnet18(remap: 32, l2Normalize: true))
        let ops = proto.graph.node.suffix(4).map(\.opType)
        #expect(ops == ["Gemm", "ReduceL2", "Max", "Div"])
        #expect(proto.initializer("neck.l2.epsilon")?.values == [1e-12] && proto.initializer("neck.l2.epsilon")?.shape == [])
        #expect(proto.node("neck.l2.norm")?.attribute.first { $0.name == "axes" }?.ints == [1])
        #expect(proto.node("embeddings")?.input == ["neck.remap", "neck.l2.clamped"])
        #expect(proto.node("neck.remap")?.attribute.first { $0.name == "transB" }?.i == 1)
        #expect(proto.properties["l2_normalize"] == "true")
    }

    @Test func normalizeAddsL2NormalisationOnlyWhenTheModelHasNone() throws {
        let plain = try ExportTestModels.resnet18()
        let without = try ExportTestModels.proto(plain)
        #expect(without.operatorCounts["ReduceL2"] == nil && without.properties["l2_normalize"] == "false")
        let added = try ExportTestModels.proto(plain, ONNXExportOptions(normalize: true))
        #expect(added.graph.node.suffix(3).map(\.opType) == ["ReduceL2", "Max", "Div"])
        #expect(added.properties["l2_normalize"] == "true")
        let own = try ExportTestModels.proto(try ExportTestModels.resnet18(l2Normalize: true), ONNXExportOptions(normalize: true))
        #expect(own.operatorCounts["ReduceL2"] == 1)
    }

    @Test func layerNormIsAnOperatorFromOpset17AndDecomposedBelow() throws {
        let model = try ExportTestModels.resnet18(featureNorm: .layer)
        let native = try ExportTestModels.proto(model)
        let node = try #require(native.node("embeddings"))
        #expect(node.opType == "LayerNormalization" && node.input == ["avgpool", "neck.norm.scale"])
        #expect(node.attribute.first { $0.name == "epsilon" }?.f == 1e-5)
        #expect(native.initializer("neck.norm.scale")?.values == Array(repeating: 1, count: 512))
        for opset in [9, 13, 16] {
            let decomposed = try ExportTestModels.proto(model, ONNXExportOptions(opset: opset))
            #expect(decomposed.operatorCounts["LayerNormalization"] == nil)
            #expect(decomposed.graph.node.suffix(7).map(\.opType) == ["ReduceMean", "Sub", "Mul", "ReduceMean", "Add", "Sqrt", "Div"])
            #expect(decomposed.initializer("neck.norm.epsilon")?.values == [1e-5])
            #expect(decomposed.opsetImport.first?.version == Int64(opset))
        }
    }

    @Test func irVersionIsTheOneOfTheOpsetsOnnxRelease() {
        #expect([9, 10, 11, 12, 13, 14, 15, 16, 17].map(ONNXOpset.irVersion) == [4, 5, 6, 7, 7, 7, 8, 8, 8])
    }

    @Test(arguments: [8, 18, 0])
    func opsetsOutsideTheSupportedRangeAreRefused(_ opset: Int) {
        #expect(throws: ExportError.self) { try ONNXExporter(options: ONNXExportOptions(opset: opset)) }
        let error = ExportError.unsupportedOpset(opset, supported: 9...17, reason: ONNXOpset.refusal(opset))
        #expect(error.description.hasPrefix("--opset \(opset): this exporter writes opsets 9–17; "))
    }

    @Test func metadataDescribesTheModelAndItsPreprocessing() throws {
        let proto = try ExportTestModels.proto(try ExportTestModels.resnet18(featureNorm: .batch, remap: 48))
        let properties = proto.properties
        #expect(properties["package_version"] == Provenance.packageVersion)
        #expect(properties["architecture"] == "resnet18" && properties["embedding_size"] == "48")
        #expect(properties["feature_norm"] == "batch" && properties["remap"] == "48")
        #expect(properties["resize"] == "null" && properties["crop"] == #"{"height":64,"width":64}"#)
        #expect(properties["mean"] == "[0.485,0.456,0.406]" && properties["std"] == "[0.229,0.224,0.225]")
        #expect(properties["batch_norm"] == "folded")
        #expect(proto.producerName == "swift-metric-learning")
    }

    @Test func serializedModelParsesBackToTheSameMessage() throws {
        let model = try ExportTestModels.resnet18(featureNorm: .layer, remap: 16)
        let exporter = try ONNXExporter()
        let data = try exporter.serializedModel(of: model, preprocessing: ExportTestModels.preprocessing)
        #expect(try Onnx_ModelProto(serializedBytes: data) == exporter.modelProto(of: model, preprocessing: ExportTestModels.preprocessing))
    }

    @Test func nonFiniteTensorIsRefusedByName() throws {
        let model = try ExportTestModels.resnet18()
        let norm = model.backbone.blocks[1].batchNorms[0]
        var variance = norm.runningVar.value.scalars
        variance[3] = .nan
        norm.runningVar.value = Tensor(shape: [variance.count], values: variance)
        let error = try #require(throws: ExportError.self) { try ExportTestModels.proto(model) }
        guard case .nonFiniteTensor(let name, let index, _) = error else { Issue.record("\(error)"); return }
        #expect(name == "layer1.1.bn1.running_var" && index == 3)
    }

    @Test func layerWithoutAnONNXFormIsRefusedByPath() throws {
        final class Unknown: Layer {
            func forward(_ x: Tensor, training: Bool) throws -> Tensor { x }
            func backward(_ dy: Tensor, needsInputGradient: Bool) -> Tensor? { dy }
            var namedParameters: [(name: String, parameter: Parameter)] { [] }
        }
        var graph = GraphBuilder(opset: 17, batchNorm: .folded, input: "x")
        #expect(throws: ExportError.unsupportedLayer(path: "neck.extra", type: "Unknown", format: "ONNX")) {
            try graph.add(Unknown(), path: "neck.extra", input: "x")
        }
    }

    @Test func writeReplacesTheFileAtomicallyAndAFailedExportLeavesItIntact() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("model.onnx")
        try directory.write("model.onnx", "previous")
        let model = try ExportTestModels.resnet18()
        model.backbone.batchNorms[0].weight.value = Tensor(shape: [64], repeating: .infinity)
        #expect(throws: ExportError.self) {
            try ONNXExporter().write(model, preprocessing: ExportTestModels.preprocessing, to: url)
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == "previous")
        let good = try ExportTestModels.resnet18()
        let bytes = try ONNXExporter().write(good, preprocessing: ExportTestModels.preprocessing, to: url)
        #expect(try Data(contentsOf: url).count == bytes)
        #expect(try Onnx_ModelProto(serializedBytes: Data(contentsOf: url)).graph.output.first?.name == "embeddings")
    }
}
