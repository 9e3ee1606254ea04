import CDNNL

/// Single-precision matrix multiply on oneDNN (`dnnl_sgemm`), row-major.
public enum GEMM {
    /// C (m × n) = alpha · op(A) · op(B) + beta · C, all row-major; op(A) is m × k, op(B) is k × n.
    /// `lda`, `ldb`, `ldc` are the row strides of the matrices as stored.
    public static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "sgemm with negative dimensions \(m)×\(n)×\(k)")
        if m == 0 || n == 0 { return }
        let profile = PrimitiveProfile.current
        let start = profile.map { _ in ContinuousClock.now }
        defer { if let profile, let start { profile.add(("sgemm", "\(m)×\(k) · \(k)×\(n)"), since: start) } }
        Engine.check(
            dnnl_sgemm(
                transposeA ? 84 : 78, transposeB ? 84 : 78, dnnl_dim_t(m), dnnl_dim_t(n), dnnl_dim_t(k),
                alpha, a, dnnl_dim_t(lda), b, dnnl_dim_t(ldb), beta, c, dnnl_dim_t(ldc)),
            "sgemm \(m)×\(n)×\(k)")
    }
}
