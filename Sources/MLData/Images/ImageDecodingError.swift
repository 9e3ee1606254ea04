/// Why an image file could not be decoded; the message names the file.
public struct ImageDecodingError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, independent of the file.
    public enum Problem: Equatable, Sendable {
        /// The file could not be read (missing, a directory, no permission); the system's reason.
        case unreadable(String)
        /// The file has no bytes.
        case empty
        /// Neither JPEG nor PNG; the format recognised from the first bytes, or "unknown".
        case unsupportedFormat(String)
        /// The JPEG ends before its image data does.
        case truncated
        /// The decoder rejected the data; its message (TurboJPEG's or libpng's).
        case corrupt(String)
        /// The header declares more pixels than the decoder's limit (`ImageDecoder.maximumPixels`).
        case tooLarge(width: Int, height: Int, limit: Int)
    }

    /// The file's path as given.
    public let path: String
    /// What was wrong with it.
    public let problem: Problem

    /// An error for the file at `path`.
    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    /// The message, naming the file and the problem.
    public var description: String {
        switch problem {
        case .unreadable(let reason): "cannot read image \(path): \(reason)"
        case .empty: "cannot decode image \(path): the file is empty"
        case .unsupportedFormat(let format):
            "cannot decode image \(path): unsupported format \(format) (only JPEG and PNG are read)"
        case .truncated: "cannot decode image \(path): truncated JPEG (premature end of file)"
        case .corrupt(let reason): "cannot decode image \(path): \(reason)"
        case .tooLarge(let width, let height, let limit):
            "cannot decode image \(path): \(width) × \(height) pixels exceed the limit of \(limit) (a decompression bomb?)"
        }
    }
}
