import Testing
@testable import MetricLearning

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
