/// A sample the loader could not load: names the sample (its file) and the underlying error.
public struct SampleLoadingError: Error, CustomStringConvertible {
    /// The sample's file (or split and index for in-memory images).
    public let sample: String
    /// What went wrong.
    public let underlying: any Error

    public var description: String { "cannot load \(sample): \(underlying)" }
}
