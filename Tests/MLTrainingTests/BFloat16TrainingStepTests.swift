@testable import MLEngine
import TestSupport
import Testing

/// Three composed training steps in `Precision.bf16` (bf16 backbone; Float32 master weights, gradients, SGD,
/// neck, classifier and loss) against `tools/reference/train_step.py`'s float64 run, within 3 × the error of
/// the same steps with the backbone under PyTorch autocast (`tools/reference/bf16.py`).
@Suite(.enabled(if: BFloat16Errors.canRun, BFloat16Errors.skipReason))
struct BFloat16TrainingStepTests {
    @Test func threeStepsMatchPyTorchAutocastTolerances() throws {
        try TrainingStepTests().checkThreeSteps(bf16: BFloat16Errors())
    }
}
