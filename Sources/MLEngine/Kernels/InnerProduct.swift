/// The fully connected layer's arithmetic on `GEMM.sgemm` (oneDNN's sgemm), all tensors plain row-major:
///
///     x  [N, in]    W [out, in]    b [out]
///     y  [N, out]   y = x · Wᵀ + b
package enum InnerProduct {
    /// y[n,o] = b[o] + Σ_i x[n,i] · W[o,i]
    package static func forward(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        let (n, inFeatures, outFeatures) = (x.shape[0], x.shape[1], weight.shape[0])
        let source = x.plain(), w = weight.plain()
        var y = Tensor(shape: [n, outFeatures])
        y.withUnsafeMutableStorage { out in
            if let b = bias?.plain() {
                b.withUnsafeStorage { bias in
                    for row in 0..<n {
                        for o in 0..<outFeatures { out[row * outFeatures + o] = bias[o] }
                    }
                }
            }
            source.withUnsafeStorage { xs in
                w.withUnsafeStorage { ws in
                    guard let a = xs.baseAddress, let bw = ws.baseAddress, let c = out.baseAddress else { return }
                    GEMM.sgemm(transposeA: false, transposeB: true, m: n, n: outFeatures, k: inFeatures,
                               a: a, lda: inFeatures, b: bw, ldb: inFeatures, beta: bias == nil ? 0 : 1, c: c, ldc: outFeatures)
                }
            }
        }
        return y
    }

    /// Accumulates dW[o,i] += Σ_n dy[n,o] · x[n,i] and db[o] += Σ_n dy[n,o]; returns dx[n,i] = Σ_o dy[n,o] · W[o,i]
    /// unless `needsInputGradient` is false.
    ///
    ///     dy [N, out]   x [N, in] (forward's input)   dx [N, in]
    package static func backward(_ dy: Tensor, input x: Tensor, weight: Parameter, bias: Parameter?, needsInputGradient: Bool)
        -> Tensor?
    {
        let (n, inFeatures, outFeatures) = (x.shape[0], x.shape[1], weight.value.shape[0])
        let gradient = dy.plain(), source = x.plain()
        gradient.withUnsafeStorage { g in
            guard let dyBase = g.baseAddress else { return }
            source.withUnsafeStorage { xs in
                weight.gradient?.withUnsafeMutableStorage { dw in
                    guard let a = xs.baseAddress, let c = dw.baseAddress else { return }
                    GEMM.sgemm(transposeA: true, transposeB: false, m: outFeatures, n: inFeatures, k: n,
                               a: dyBase, lda: outFeatures, b: a, ldb: inFeatures, beta: 1, c: c, ldc: inFeatures)
                }
            }
            bias?.gradient?.withUnsafeMutableStorage { db in
                for row in 0..<n {
                    for o in 0..<outFeatures { db[o] += g[row * outFeatures + o] }
                }
            }
        }
        guard needsInputGradient else { return nil }
        var dx = Tensor(shape: [n, inFeatures])
        let w = weight.value.plain()
        dx.withUnsafeMutableStorage { out in
            gradient.withUnsafeStorage { g in
                w.withUnsafeStorage { ws in
                    guard let a = g.baseAddress, let b = ws.baseAddress, let c = out.baseAddress else { return }
                    GEMM.sgemm(transposeA: false, transposeB: false, m: n, n: inFeatures, k: outFeatures,
                               a: a, lda: outFeatures, b: b, ldb: inFeatures, c: c, ldc: inFeatures)
                }
            }
        }
        return dx
    }
}
