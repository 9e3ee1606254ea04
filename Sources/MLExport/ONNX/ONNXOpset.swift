/// The ONNX operator sets the exporter writes, and the IR (file format) version that goes with each.
enum ONNXOpset {
    /// 9: `BatchNormalization` lost its `spatial` attribute; every operator the graph uses has had its
    /// current meaning since. 17: the newest opset of Debian's onnx 1.12, the first with
    /// `LayerNormalization`; from 18 the `Reduce*` operators take their axes as an input.
    static let supported = 9...17

    /// Why an opset outside `supported` is refused.
    static func refusal(_ opset: Int) -> String {
        opset < supported.lowerBound
            ? "before opset 9 BatchNormalization has a 'spatial' attribute this exporter does not write"
            : "opsets from 18 take the axes of ReduceL2/ReduceMean as an input, which this exporter does not write; 17 is the newest opset of Debian's onnx 1.12 and every current onnxruntime runs it"
    }

    /// The IR version of the onnx release that introduced `opset` (onnx.helper's VERSION_TABLE), so
    /// runtimes of that age accept the file.
    static func irVersion(for opset: Int) -> Int {
        switch opset {
        case ...9: 4
        case 10: 5
        case 11: 6
        case 12...14: 7
        default: 8
        }
    }
}
