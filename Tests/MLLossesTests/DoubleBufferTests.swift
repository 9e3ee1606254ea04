@testable import MLLosses
import TestSupport
import Testing

@Suite struct DoubleBufferTests {
    @Test func copiesOnWriteAndCompares() {
        let a = DoubleBuffer([1, 2, 3])
        var b = a
        b[1] = 7
        #expect(Array(a) == [1, 2, 3])
        #expect(Array(b) == [1, 7, 3])
        #expect(a != b)
        var c = a
        c.withUnsafeMutableBufferPointer { $0[0] = 5 }
        #expect(a[0] == 1 && c[0] == 5)
        #expect(DoubleBuffer(repeating: 2, count: 3) == DoubleBuffer([2, 2, 2]))
    }
}
