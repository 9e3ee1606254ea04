import MLEngine

/// An ONNX graph under construction: float32 initializers and nodes in topological order, each node named
/// after its single output value. Names are the layers' state-dict paths (`layer1.0.conv1`), so the graph
/// reads like the PyTorch module tree.
struct GraphBuilder {
    /// The operator set the nodes must belong to.
    let opset: Int
    /// How the backbone's batch norms are written.
    let batchNorm: ONNXExportOptions.BatchNormForm
    private(set) var nodes: [Onnx_NodeProto] = []
    private(set) var initializers: [Onnx_TensorProto] = []
    /// Every value name used so far (graph input, initializers, node outputs).
    private var names: Set<String>

    /// An empty graph reading the value `input`.
    init(opset: Int, batchNorm: ONNXExportOptions.BatchNormForm, input: String) {
        self.opset = opset
        self.batchNorm = batchNorm
        names = [input]
    }

    /// Adds the float32 initializer `name` holding `values` (row-major) of `shape`; throws
    /// `ExportError.nonFiniteTensor` for NaN or ±∞ (e.g. a fold with a negative running variance).
    mutating func initializer(_ name: String, _ values: [Float], shape: [Int]) throws -> String {
        precondition(shape.reduce(1, *) == values.count, "initializer \(name): \(values.count) values for shape \(shape)")
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            throw ExportError.nonFiniteTensor(name: name, index: index, value: values[index])
        }
        claim(name)
        initializers.append(Onnx_TensorProto(name: name, float32: values, shape: shape))
        return name
    }

    /// Adds the initializer `name` holding `tensor`'s values and shape.
    mutating func initializer(_ name: String, _ tensor: Tensor) throws -> String {
        try initializer(name, tensor.scalars, shape: tensor.shape)
    }

    /// Adds a node running `op` on `inputs` whose output value (and node name) is `output`; returns `output`.
    @discardableResult
    mutating func node(_ op: String, _ inputs: [String], _ output: String, _ attributes: [Onnx_AttributeProto] = [],
                       doc: String? = nil) -> String {
        claim(output)
        var node = Onnx_NodeProto()
        node.opType = op
        node.name = output
        node.input = inputs
        node.output = [output]
        node.attribute = attributes
        if let doc { node.docString = doc }
        nodes.append(node)
        return output
    }

    /// Renames `value`, the output of the last node, to `name` (the graph's output).
    mutating func renameLastOutput(_ value: String, to name: String) {
        precondition(nodes.last?.output == [value], "\(value) is not the last node's output")
        claim(name)
        nodes[nodes.count - 1].output = [name]
        nodes[nodes.count - 1].name = name
    }

    /// `path` and `name` joined as a state-dict path.
    func join(_ path: String, _ name: String) -> String { path.isEmpty ? name : path + "." + name }

    private mutating func claim(_ name: String) {
        precondition(names.insert(name).inserted, "the ONNX graph already has a value named \(name)")
    }
}
