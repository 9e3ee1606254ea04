import CSearchKernels
import MLEngine

/// One run of `ExactSearch`: the block loop, the scans feeding `CandidateBuffers`, and the final lists.
final class BlockedSearch: @unchecked Sendable {
    private let queries: SearchMatrix
    private let gallery: SearchMatrix
    private let k: Int
    private let distance: SearchDistance
    private let blockSize: Int
    private let buffers: CandidateBuffers
    /// Subtracted from a candidate's product: ‖x‖² for l2 (scores are 2 q·x − ‖x‖²), else 0.
    private let bias: [Float]
    private let block: UnsafeMutablePointer<Float>
    /// Rows (or columns) per selection task; threads take tasks as they finish, which balances the
    /// uneven insertion work of different rows.
    private static let chunk = 64

    /// Reported values are multiplied by 2^valueExponent (the embeddings were scaled, `ExactSearch.Scale`).
    private let valueExponent: Int

    init(queries: SearchMatrix, gallery: SearchMatrix, k: Int, distance: SearchDistance,
         candidatesPerQuery: Int, blockSize: Int, valueExponent: Int = 0) {
        self.valueExponent = valueExponent
        self.queries = queries
        self.gallery = gallery
        self.k = k
        self.distance = distance
        self.blockSize = blockSize
        bias = distance == .l2 ? gallery.squaredNorms : [Float](repeating: 0, count: gallery.count)
        let maxNorm = gallery.squaredNorms.max() ?? 0
        let tolerances = queries.squaredNorms.map { norm -> Float in
            switch distance {
            case .cosine: 1e-6
            case .dot: 1e-6 * (norm * maxNorm).squareRoot()
            case .l2: 1e-6 * (norm + maxNorm)
            }
        }
        buffers = CandidateBuffers(k: k, capacity: min(candidatesPerQuery, 2 * k + 64), tolerances: tolerances)
        block = .allocate(capacity: blockSize * blockSize)
    }

    deinit { block.deallocate() }

    /// Leave-one-out: blocks on and above the diagonal, each feeding both its row and column queries.
    func runSymmetric() {
        let n = queries.count
        for rowStart in stride(from: 0, to: n, by: blockSize) {
            let rows = rowStart..<min(rowStart + blockSize, n)
            for columnStart in stride(from: rowStart, to: n, by: blockSize) {
                let columns = columnStart..<min(columnStart + blockSize, n)
                multiply(rows, columns)
                let rowParts = chunks(rows.count, size: Self.chunk)
                if rowStart == columnStart {
                    for i in 0..<rows.count { block[i * columns.count + i] = -.infinity }
                    parallelFor(rowParts.count) { self.scanRows(rowParts[$0], of: rows, columns) }
                } else {
                    // Row chunks feed the rows' lists, column chunks the columns' lists: all disjoint.
                    let columnParts = chunks(columns.count, size: Self.chunk)
                    parallelFor(rowParts.count + columnParts.count) { task in
                        if task < rowParts.count {
                            self.scanRows(rowParts[task], of: rows, columns)
                        } else {
                            self.scanColumns(columnParts[task - rowParts.count], of: rows, columns)
                        }
                    }
                }
            }
        }
    }

    /// Queries against a separate gallery: every block, feeding its rows.
    func runAgainstGallery() {
        for rowStart in stride(from: 0, to: queries.count, by: blockSize) {
            let rows = rowStart..<min(rowStart + blockSize, queries.count)
            let parts = chunks(rows.count, size: Self.chunk)
            for columnStart in stride(from: 0, to: gallery.count, by: blockSize) {
                let columns = columnStart..<min(columnStart + blockSize, gallery.count)
                multiply(rows, columns)
                parallelFor(parts.count) { self.scanRows(parts[$0], of: rows, columns) }
            }
        }
    }

    /// The sorted k nearest of every query, with reported values (similarities or squared distances).
    func finish() -> NeighborList {
        let n = queries.count
        var indices = [Int32](repeating: 0, count: n * k)
        var values = [Float](repeating: 0, count: n * k)
        indices.withUnsafeMutableBufferPointer { indexBuffer in
            values.withUnsafeMutableBufferPointer { valueBuffer in
                let (indexBase, valueBase) = (indexBuffer.baseAddress!, valueBuffer.baseAddress!)
                let parts = chunks(n, size: Self.chunk)
                parallelFor(parts.count) { part in
                    for row in parts[part] {
                        self.buffers.finish(row: row, indices: indexBase + row * self.k, scores: valueBase + row * self.k)
                    }
                }
            }
        }
        if distance == .l2 {
            for row in 0..<n {
                let norm = queries.squaredNorms[row]
                for position in (row * k)..<((row + 1) * k) { values[position] = max(0, norm - values[position]) }
            }
        }
        if valueExponent != 0 {
            for position in values.indices { values[position] = BinaryScale.scaled(values[position], by: valueExponent) }
        }
        return NeighborList(queryCount: n, k: k, indices: indices, values: values)
    }

    /// block[rows.count × columns.count] = α · Q[rows] · G[columns]ᵀ, α = 2 for l2.
    private func multiply(_ rows: Range<Int>, _ columns: Range<Int>) {
        let d = queries.dimension
        queries.rows.withUnsafeStorage { q in
            gallery.rows.withUnsafeStorage { g in
                GEMM.sgemm(
                    transposeA: false, transposeB: true, m: rows.count, n: columns.count, k: d,
                    alpha: distance == .l2 ? 2 : 1, a: q.baseAddress! + rows.lowerBound * d, lda: d,
                    b: g.baseAddress! + columns.lowerBound * d, ldb: d, c: block, ldc: columns.count)
            }
        }
    }

    /// Offers each block row in `part` (of the block's `rows`) to its query's list.
    private func scanRows(_ part: Range<Int>, of rows: Range<Int>, _ columns: Range<Int>) {
        let width = columns.count
        let lists = buffers.lists
        bias.withUnsafeBufferPointer { biasBuffer in
            let candidateBias = biasBuffer.baseAddress! + columns.lowerBound
            for i in part {
                let query = rows.lowerBound + i
                var j = 0
                while j < width {
                    j = Int(dml_scan_row(block + i * width, candidateBias, Int64(j), Int64(width),
                                         Int64(columns.lowerBound), lists, Int64(query)))
                    if j < width || Int(lists.counts[query]) == buffers.capacity { buffers.rowFilled(query) }
                }
            }
        }
    }

    /// Offers the block's rows (as candidates) to the lists of the queries in `part` of its `columns`
    /// (the transposed half of a symmetric block).
    private func scanColumns(_ part: Range<Int>, of rows: Range<Int>, _ columns: Range<Int>) {
        let lists = buffers.lists
        bias.withUnsafeBufferPointer { biasBuffer in
            let rowBias = biasBuffer.baseAddress! + rows.lowerBound
            var i: Int64 = 0, j = Int64(part.lowerBound), full: Int64 = 0
            while dml_scan_columns(block, Int64(columns.count), rowBias, Int64(rows.count), Int64(part.lowerBound),
                                   Int64(part.upperBound), Int64(columns.lowerBound), Int64(rows.lowerBound), lists,
                                   &i, &j, &full) != 0 {
                buffers.rowFilled(Int(full))
            }
        }
    }
}
