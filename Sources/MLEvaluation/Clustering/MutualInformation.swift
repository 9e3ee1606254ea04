import Foundation

/// Normalised and adjusted mutual information between two labellings, as scikit-learn 1.2 computes them
/// (natural logarithms, arithmetic-mean normalisation, its special cases and clipping).
public enum MutualInformation {
    /// NMI(labels, clusters) = MI / ((H(labels) + H(clusters)) / 2); 1 when both have a single (or no)
    /// group, 0 when MI is 0.
    public static func normalized(_ labels: [Int], _ clusters: [Int]) -> Double {
        let table = Contingency(labels, clusters)
        if table.isTrivial { return 1 }
        let mi = table.mutualInformation
        if mi == 0 { return 0 }
        return mi / ((entropy(table.rowSums, table.total) + entropy(table.columnSums, table.total)) / 2)
    }

    /// AMI(labels, clusters) = (MI − E[MI]) / (mean entropy − E[MI]), with E[MI] under the hypergeometric
    /// model of random labellings with the same group sizes (Vinh et al. 2010).
    /// - Complexity: O(Σ over label–cluster pairs of min(a_i, b_j)).
    public static func adjusted(_ labels: [Int], _ clusters: [Int]) -> Double {
        let table = Contingency(labels, clusters)
        if table.isTrivial { return 1 }
        let mi = table.mutualInformation
        let emi = expectedMutualInformation(rows: table.rowSums, columns: table.columnSums, total: table.total)
        let normalizer = (entropy(table.rowSums, table.total) + entropy(table.columnSums, table.total)) / 2
        var denominator = normalizer - emi
        denominator = denominator < 0 ? min(denominator, -Double.ulpOfOne) : max(denominator, Double.ulpOfOne)
        return (mi - emi) / denominator
    }

    /// −Σ (s/N) log(s/N) over the group sizes.
    static func entropy(_ sizes: [Int], _ total: Int) -> Double {
        guard sizes.count > 1 else { return 0 }
        let logTotal = log(Double(total))
        return -sizes.reduce(0.0) { $0 + Double($1) / Double(total) * (log(Double($1)) - logTotal) }
    }

    /// E[MI] of two random labellings with group sizes `rows` and `columns` of `total` items.
    static func expectedMutualInformation(rows: [Int], columns: [Int], total: Int) -> Double {
        // logFactorial[m] = log(m!) for m in 0...total.
        var logFactorial = [Double](repeating: 0, count: total + 1)
        for m in stride(from: 2, through: total, by: 1) { logFactorial[m] = logFactorial[m - 1] + log(Double(m)) }
        let n = Double(total)
        var emi = 0.0
        for a in rows {
            for b in columns {
                let constant = logFactorial[a] + logFactorial[b] + logFactorial[total - a] + logFactorial[total - b]
                    - logFactorial[total]
                for nij in max(1, a + b - total)...min(a, b) {
                    let term2 = log(n) + log(Double(nij)) - log(Double(a)) - log(Double(b))
                    let logProbability = constant - logFactorial[nij] - logFactorial[a - nij]
                        - logFactorial[b - nij] - logFactorial[total - a - b + nij]
                    emi += Double(nij) / n * term2 * exp(logProbability)
                }
            }
        }
        return emi
    }
}

/// The contingency table of two labellings: non-zero cells and the group sizes.
private struct Contingency {
    let total: Int
    let rowSums: [Int]
    let columnSums: [Int]
    let cells: [(row: Int, column: Int, count: Int)]

    init(_ labels: [Int], _ clusters: [Int]) {
        precondition(labels.count == clusters.count, "\(labels.count) labels for \(clusters.count) cluster ids")
        let rowIds = Dictionary(uniqueKeysWithValues: Set(labels).sorted().enumerated().map { ($1, $0) })
        let columnIds = Dictionary(uniqueKeysWithValues: Set(clusters).sorted().enumerated().map { ($1, $0) })
        var rowSums = [Int](repeating: 0, count: rowIds.count)
        var columnSums = [Int](repeating: 0, count: columnIds.count)
        var counts: [Int: Int] = [:]
        for (label, cluster) in zip(labels, clusters) {
            let (row, column) = (rowIds[label] ?? 0, columnIds[cluster] ?? 0)
            rowSums[row] += 1
            columnSums[column] += 1
            counts[row * columnIds.count + column, default: 0] += 1
        }
        total = labels.count
        self.rowSums = rowSums
        self.columnSums = columnSums
        cells = counts.keys.sorted().map { ($0 / columnIds.count, $0 % columnIds.count, counts[$0] ?? 0) }
    }

    /// Both labellings put everything in one group (or there is nothing).
    var isTrivial: Bool { rowSums.count == columnSums.count && rowSums.count <= 1 }

    /// Σ (n_ij/N) log(N n_ij / (a_i b_j)), terms below machine epsilon dropped, clipped at 0.
    var mutualInformation: Double {
        if rowSums.count == 1 || columnSums.count == 1 { return 0 }
        let n = Double(total)
        let mi = cells.reduce(0.0) { sum, cell in
            let p = Double(cell.count) / n
            let term = p * (log(Double(cell.count)) - log(n))
                + p * (-log(Double(rowSums[cell.row]) * Double(columnSums[cell.column])) + 2 * log(n))
            return sum + (abs(term) < Double.ulpOfOne ? 0 : term)
        }
        return max(mi, 0)
    }
}
