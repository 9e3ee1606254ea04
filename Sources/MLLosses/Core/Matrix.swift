import Foundation
import MLEngine

/// A dense row-major matrix of doubles: the working precision of the losses.
///
/// Embeddings arrive as Float32 tensors; losses convert them once and compute in float64 so their values
/// match float64 references to 1e-6 (ArcFace's scale of 64 amplifies float32 rounding far past that).
/// Products run on 4 × 4 register tiles (see `multiplyKernel`).
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The values, row after row.
    public var values: DoubleBuffer

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix of negative size \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        values = DoubleBuffer(repeating: value, count: rows * columns)
    }

    /// A `rows × columns` matrix holding `values` row after row.
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "\(rows)×\(columns) matrix needs \(rows * columns) values, got \(values.count)")
        self.rows = rows
        self.columns = columns
        self.values = DoubleBuffer(values)
    }

    /// The values of a two-dimensional tensor, widened to double.
    public init(_ tensor: Tensor) {
        precondition(tensor.shape.count == 2, "matrix from a tensor of shape \(tensor.shape)")
        self.init(floats: tensor.plain(), rows: tensor.shape[0], columns: tensor.shape[1])
    }

    /// The first rows × columns values of a plain tensor's storage, widened to double.
    init(floats tensor: Tensor, rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        values = tensor.withUnsafeStorage { source in
            DoubleBuffer(count: rows * columns) { target in
                for i in 0..<target.count { target[i] = Double(source[i]) }
            }
        }
    }

    /// The values rounded to a plain Float32 tensor of shape [rows, columns].
    public var tensor: Tensor {
        var result = Tensor(shape: [rows, columns])
        values.withUnsafeBufferPointer { source in
            result.withUnsafeMutableStorage { target in
                for i in 0..<source.count { target[i] = Float(source[i]) }
            }
        }
        return result
    }

    /// The element at `row`, `column`.
    public subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// The values of one row.
    public func row(_ index: Int) -> Slice<DoubleBuffer> { values[(index * columns)..<((index + 1) * columns)] }

    /// The transpose.
    public var transposed: Matrix {
        var result = Matrix(rows: columns, columns: rows)
        values.withUnsafeBufferPointer { a in
            result.values.withUnsafeMutableBufferPointer { t in
                for i in 0..<rows {
                    for j in 0..<columns { t[j * rows + i] = a[i * columns + j] }
                }
            }
        }
        return result
    }

    /// Products of at least this many multiply-adds run on oneDNN's sgemm in single precision (the
    /// operands rounded to Float32, which embeddings and parameters already are; the result widened
    /// back): at a batch of 128 × 512 the float64 loop costs more than all the rest of a loss. Smaller
    /// products, such as every one in the parity fixtures, stay in float64.
    public static let singlePrecisionThreshold = 1 << 18

    /// `a · b` for `a` m × k and `b` k × n.
    public static func product(_ a: Matrix, _ b: Matrix) -> Matrix {
        precondition(a.columns == b.rows, "product of \(a.rows)×\(a.columns) and \(b.rows)×\(b.columns)")
        if a.rows * b.columns * a.columns >= singlePrecisionThreshold {
            return singlePrecisionProduct(a, transposeA: false, b, transposeB: false)
        }
        var c = Matrix(rows: a.rows, columns: b.columns)
        let m = a.rows, n = b.columns, k = a.columns
        if m == 0 || n == 0 || k == 0 { return c }
        a.values.withUnsafeBufferPointer { a in
            b.values.withUnsafeBufferPointer { b in
                c.values.withUnsafeMutableBufferPointer { c in
                    guard let a = a.baseAddress, let b = b.baseAddress, let c = c.baseAddress else { return }
                    multiplyKernel(a, b, c, m: m, n: n, k: k)
                }
            }
        }
        return c
    }

    /// `a · bᵀ` for `a` m × k and `b` n × k (a Gram or similarity matrix).
    public static func product(_ a: Matrix, transposing b: Matrix) -> Matrix {
        precondition(a.columns == b.columns, "product of \(a.rows)×\(a.columns) and the transpose of \(b.rows)×\(b.columns)")
        if a.rows * b.rows * a.columns >= singlePrecisionThreshold {
            return singlePrecisionProduct(a, transposeA: false, b, transposeB: true)
        }
        return product(a, b.transposed)
    }

    /// `aᵀ · b` for `a` k × m and `b` k × n (a weight gradient).
    public static func product(transposing a: Matrix, _ b: Matrix) -> Matrix {
        precondition(a.rows == b.rows, "product of the transpose of \(a.rows)×\(a.columns) and \(b.rows)×\(b.columns)")
        if a.columns * b.columns * a.rows >= singlePrecisionThreshold {
            return singlePrecisionProduct(a, transposeA: true, b, transposeB: false)
        }
        return product(a.transposed, b)
    }

    /// op(a) · op(b) on `GEMM.sgemm`, operands rounded to Float32.
    static func singlePrecisionProduct(_ a: Matrix, transposeA: Bool, _ b: Matrix, transposeB: Bool) -> Matrix {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let n = transposeB ? b.rows : b.columns
        let (af, bf) = (a.floats, b.floats)
        var cf = [Float](repeating: 0, count: m * n)
        af.withUnsafeBufferPointer { ap in
            bf.withUnsafeBufferPointer { bp in
                cf.withUnsafeMutableBufferPointer { cp in
                    guard let ap = ap.baseAddress, let bp = bp.baseAddress, let cp = cp.baseAddress else { return }
                    GEMM.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                               a: ap, lda: a.columns, b: bp, ldb: b.columns, c: cp, ldc: n)
                }
            }
        }
        let values = cf.withUnsafeBufferPointer { source in
            DoubleBuffer(count: m * n) { target in
                for i in 0..<target.count { target[i] = Double(source[i]) }
            }
        }
        var result = Matrix(rows: m, columns: n)
        result.values = values
        return result
    }

    /// The values rounded to Float32, row after row.
    var floats: [Float] {
        values.withUnsafeBufferPointer { source in
            [Float](unsafeUninitializedCapacity: source.count) { target, initialized in
                for i in 0..<source.count { target[i] = Float(source[i]) }
                initialized = source.count
            }
        }
    }

    /// c (m × n, zeroed) = a (m × k) · b (k × n), row-major. Tiles of 4 rows × 4 columns of c stay in
    /// registers across the whole k loop (sized for the baseline x86-64 target's sixteen 128-bit
    /// registers): each step loads one vector of b's row and broadcasts four elements of a. Edges fall
    /// back to a row-times-matrix loop.
    private static func multiplyKernel(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
                                       m: Int, n: Int, k: Int) {
        typealias V = SIMD4<Double>
        func load(_ p: UnsafePointer<Double>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        func store(_ v: V, _ p: UnsafeMutablePointer<Double>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }
        let fullRows = m - m % 4, fullColumns = n - n % 4
        var i = 0
        while i < fullRows {
            let (a0, a1, a2, a3) = (a + i * k, a + (i + 1) * k, a + (i + 2) * k, a + (i + 3) * k)
            var j = 0
            while j < fullColumns {
                var (c0, c1, c2, c3) = (V(), V(), V(), V())
                var bColumn = b + j
                for l in 0..<k {
                    let v = load(bColumn)
                    c0 += V(repeating: a0[l]) * v
                    c1 += V(repeating: a1[l]) * v
                    c2 += V(repeating: a2[l]) * v
                    c3 += V(repeating: a3[l]) * v
                    bColumn += n
                }
                let cTile = c + i * n + j
                store(c0, cTile); store(c1, cTile + n); store(c2, cTile + 2 * n); store(c3, cTile + 3 * n)
                j += 4
            }
            i += 4
        }
        // Right edge (columns ≥ fullColumns) of the tiled rows, then the bottom rows in full.
        for row in 0..<m {
            let firstColumn = row < fullRows ? fullColumns : 0
            guard firstColumn < n else { continue }
            let cRow = c + row * n
            for l in 0..<k {
                let scale = a[row * k + l]
                let bRow = b + l * n
                for column in firstColumn..<n { cRow[column] += scale * bRow[column] }
            }
        }
    }

    /// Adds `other` element-wise.
    public static func += (lhs: inout Matrix, rhs: Matrix) {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "adding \(rhs.rows)×\(rhs.columns) to \(lhs.rows)×\(lhs.columns)")
        lhs.values.withUnsafeMutableBufferPointer { l in
            rhs.values.withUnsafeBufferPointer { r in
                for i in 0..<l.count { l[i] += r[i] }
            }
        }
    }

    /// Multiplies every element by `scale`.
    public static func *= (lhs: inout Matrix, scale: Double) {
        lhs.values.withUnsafeMutableBufferPointer { l in
            for i in 0..<l.count { l[i] *= scale }
        }
    }

    /// Each row's `p`-norm.
    public func rowNorms(p: Double = 2) -> [Double] {
        (0..<rows).map { i in
            var sum = 0.0
            if p == 2 {
                for v in row(i) { sum += v * v }
                return sum.squareRoot()
            }
            for v in row(i) { sum += Swift.abs(v).power(p) }
            return sum.power(1 / p)
        }
    }
}

extension Double {
    /// `self` raised to `exponent` (C `pow`).
    func power(_ exponent: Double) -> Double {
        if exponent == 1 { return self }
        if exponent == 2 { return self * self }
        return pow(self, exponent)
    }
}
