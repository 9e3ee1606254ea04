@testable import MLEngine
import TestSupport
import Testing

@Suite struct TensorRowsTests {
    @Test func rowsCopyTheOuterEntriesAndConcatenationRestoresThem() {
        let values = (0..<24).map(Float.init)
        let tensor = Tensor(shape: [4, 2, 3], values: values)
        let middle = tensor.rows(1..<3)
        #expect(middle.shape == [2, 2, 3] && middle.scalars == Array(values[6..<18]))
        #expect(tensor.rows(0..<0).shape == [0, 2, 3])
        let parts = [tensor.rows(0..<1), tensor.rows(1..<3), tensor.rows(3..<4)]
        let joined = Tensor.concatenatingRows(parts)
        #expect(joined.shape == [4, 2, 3] && joined.scalars == values)
    }
}
