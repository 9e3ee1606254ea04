import Foundation

extension Onnx_AttributeProto {
    /// An INTS attribute.
    static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .ints
        attribute.ints = values.map(Int64.init)
        return attribute
    }

    /// An INT attribute.
    static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .int
        attribute.i = Int64(value)
        return attribute
    }

    /// A FLOAT attribute.
    static func float(_ name: String, _ value: Float) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .float
        attribute.f = value
        return attribute
    }
}

extension Onnx_ValueInfoProto {
    /// A float32 tensor value `name` whose dimensions are fixed sizes or named (dynamic) ones.
    static func float32(_ name: String, dimensions: [Dimension]) -> Onnx_ValueInfoProto {
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type.tensorType.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        info.type.tensorType.shape.dim = dimensions.map { dimension in
            var proto = Onnx_TensorShapeProto.Dimension()
            switch dimension {
            case .fixed(let size): proto.dimValue = Int64(size)
            case .named(let name): proto.dimParam = name
            }
            return proto
        }
        return info
    }

    /// One dimension of a value's shape.
    enum Dimension {
        case fixed(Int)
        case named(String)
    }
}

extension Onnx_TensorProto {
    /// A float32 tensor of `shape` holding `values` (row-major) as little-endian raw data.
    init(name: String, float32 values: [Float], shape: [Int]) {
        self.init()
        self.name = name
        dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        dims = shape.map(Int64.init)
        var bytes = Data(count: values.count * 4)
        bytes.withUnsafeMutableBytes { raw in
            for (index, value) in values.enumerated() {
                raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 4 * index, as: UInt32.self)
            }
        }
        rawData = bytes
    }
}

extension Onnx_StringStringEntryProto {
    init(key: String, value: String) {
        self.init()
        self.key = key
        self.value = value
    }
}
