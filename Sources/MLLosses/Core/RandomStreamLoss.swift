/// A loss that draws random numbers (e.g. dropout masks) from a seeded stream, so a checkpoint saves where
/// the stream stands and a resumed run continues it.
public protocol RandomStreamLoss: MetricLoss {
    /// The draws taken so far; setting it continues the stream from there.
    var randomStreamPosition: UInt64 { get set }

    /// How many numbers one training evaluation of `rows` embeddings of size `columns` takes from the
    /// stream (a data-parallel process starts its rows' draws that far into a global batch's).
    func randomDraws(rows: Int, columns: Int) -> Int
}
