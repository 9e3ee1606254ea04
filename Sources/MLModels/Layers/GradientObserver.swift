import MLEngine

/// Told, during a backward pass, each time a layer's backward has returned: from then on the gradients of
/// that layer's parameters hold the pass's whole contribution (every parameter of these models belongs to
/// one layer that runs once per forward), so they can be sent to other processes while the backward
/// continues with the layers before it.
///
/// `Sequential` and `EmbeddingModel` report their parts, children after their own parts (a residual block
/// after its body's layers, a stage after its blocks), in the order the backward runs them: the last layer
/// first. An observer is active for the backward passes its caller runs inside
/// `GradientObservation.$observer.withValue(observer) { … }` on that thread; without one, a backward reads
/// one task-local value per composite layer and reports nothing.
public protocol GradientObserver: AnyObject, Sendable {
    /// `layer`'s backward has returned (its parameters' gradients are complete for this pass).
    func backwardFinished(_ layer: any Layer)
}

/// The observer of the backward passes running on the current thread or task.
public enum GradientObservation {
    /// The active observer, nil outside `$observer.withValue`.
    @TaskLocal public static var observer: (any GradientObserver)?
}
