@testable import MLEngine
@testable import MLModels
import TestSupport
import Testing

/// ResNet-18 and ResNet-50 in `Precision.bf16` against the float64 fixtures of `tools/reference/resnet.py`,
/// within 3 × PyTorch autocast's error on the same case: the fused inference forward (batch norm folded,
/// ReLU and residual sum as post-ops, in bf16), frozen and training batch norm forward and backward.
@Suite(.enabled(if: BFloat16Errors.canRun, BFloat16Errors.skipReason))
struct BFloat16ResNetTests {
    @Test func resnet18MatchesTorchvisionUnderAutocastTolerances() throws {
        try ResNetTests().checkParity(.resnet18, bf16: BFloat16Errors())
    }

    @Test func resnet50MatchesTorchvisionUnderAutocastTolerances() throws {
        try ResNetTests().checkParity(.resnet50, bf16: BFloat16Errors())
    }
}
