/// A named tensor a model or loss owns: a trainable parameter (with its gradient) or a buffer such as
/// batch norm's running mean (no gradient).
///
/// Values stay in PyTorch's plain layout (OIHW for convolution weights): the layout files, the optimizer
/// and the tests use. Kernels cache reordered copies keyed by `version`, which every update must bump.
public final class Parameter: @unchecked Sendable {
    /// The current value, plain layout.
    public var value: Tensor {
        didSet { version &+= 1 }
    }
    /// The accumulated gradient (same shape, plain), or nil for a buffer.
    public var gradient: Tensor?
    /// Bumped on every change of `value`; kernels use it to invalidate cached reorders.
    public private(set) var version: UInt64 = 0

    /// A trainable parameter with a zero gradient.
    public init(_ value: Tensor) {
        self.value = value
        self.gradient = Tensor(shape: value.shape)
    }

    /// A buffer: state that is saved and loaded but not trained.
    public init(buffer value: Tensor) {
        self.value = value
        self.gradient = nil
    }

    /// Whether the optimizer updates this tensor.
    public var isTrainable: Bool { gradient != nil }

    /// Marks an in-place change of `value`'s storage (made through `withUnsafeMutableStorage`).
    public func markUpdated() { version &+= 1 }

    /// Sets the gradient to zero.
    public func zeroGradient() {
        guard gradient != nil else { return }
        gradient!.withUnsafeMutableStorage { $0.update(repeating: 0) }
    }
}
