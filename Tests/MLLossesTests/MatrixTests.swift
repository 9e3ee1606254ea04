@testable import MLEngine
@testable import MLLosses
import TestSupport
import Testing

@Suite struct MatrixTests {
    /// The tiled product against the textbook triple loop, on shapes that leave row and column edges.
    @Test(arguments: [(1, 1, 1), (3, 5, 2), (4, 4, 4), (7, 10, 5), (9, 17, 33), (16, 3, 8)])
    func productMatchesNaive(_ shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        var generator = SeededGenerator(seed: UInt64(m * 100 + n * 10 + k))
        let a = Matrix(rows: m, columns: k, values: generator.uniformDoubles(count: m * k))
        let b = Matrix(rows: k, columns: n, values: generator.uniformDoubles(count: k * n))
        var naive = Matrix(rows: m, columns: n)
        for i in 0..<m { for j in 0..<n { for l in 0..<k { naive[i, j] += a[i, l] * b[l, j] } } }
        let product = Matrix.product(a, b)
        let worst = zip(product.values, naive.values).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-13, "\(m)×\(k)·\(k)×\(n): worst difference \(worst)")
        let viaTranspose = Matrix.product(a, transposing: b.transposed)
        #expect(viaTranspose == product)
        #expect(Matrix.product(transposing: a.transposed, b) == product)
    }
}

@Suite struct MatrixSinglePrecisionTests {
    /// Above `singlePrecisionThreshold` products run on sgemm: within float32 rounding of the float64 loop.
    @Test func largeProductsMatchDoublePrecisionToFloatRounding() {
        var generator = SeededGenerator(seed: 8)
        let (m, n, k) = (128, 64, 512)
        #expect(m * n * k >= Matrix.singlePrecisionThreshold)
        let a = Matrix(rows: m, columns: k, values: generator.uniform(count: m * k).map(Double.init))
        let b = Matrix(rows: k, columns: n, values: generator.uniform(count: k * n).map(Double.init))
        var reference = Matrix(rows: m, columns: n)
        for i in 0..<m { for l in 0..<k { for j in 0..<n { reference[i, j] += a[i, l] * b[l, j] } } }
        for (label, product) in [("a·b", Matrix.product(a, b)), ("a·(bᵀ)ᵀ", Matrix.product(a, transposing: b.transposed)),
                                 ("(aᵀ)ᵀ·b", Matrix.product(transposing: a.transposed, b))] {
            let error = relativeError(product.values.map(Float.init), Array(reference.values))
            #expect(error <= 1e-6, "\(label): relative error \(error)")
        }
    }
}
