import Foundation
import MLFormats

extension DatasetSplit {
    /// This split with every image file's compressed bytes read into memory, after checking they fit.
    ///
    /// - Throws: `PreloadError` when the files need more than three quarters of the available memory;
    ///   `DataFileError` naming a file that cannot be read.
    public func preloadingFiles() throws -> DatasetSplit {
        guard case .files(let root, let paths) = source else { return self }
        let urls = paths.map { root.appendingPathComponent($0) }
        let sizes = try urls.map { url -> Int in
            guard let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int else {
                throw DataFileError(path: url.path, "image file not found or unreadable")
            }
            return size
        }
        try AvailableMemory.check(sizes.reduce(0, +), for: "preloading \(count) image files of split '\(name)'")
        let contents = try urls.map { url -> [UInt8] in
            guard let bytes = try? FileBytes.read(url.path) else {
                throw DataFileError(path: url.path, "image file not found or unreadable")
            }
            return bytes
        }
        return DatasetSplit(name: name, labels: labels, source: .preloaded(root: root, paths: paths, contents: contents),
                            classNames: classNames)
    }

    /// This split with every image decoded and passed through `resize` into memory (the preset's resize, so
    /// training skips decoding), on `workers` threads, after checking `bytesPerImage` (an estimate of one
    /// resized image) × count fits; loading stops with an error if the real images outgrow that budget.
    ///
    /// - Throws: `PreloadError` for memory; otherwise the error of the first image (by index) that failed,
    ///   naming its file.
    public func preloadingImages(bytesPerImage: Int, workers: Int = 1,
                                 resize: @escaping @Sendable (RGBImage) -> RGBImage) throws -> DatasetSplit {
        let paths: [String], root: URL
        switch source {
        case .files(let r, let p), .preloaded(let r, let p, _): (root, paths) = (r, p)
        case .decoded, .grey: return self
        }
        let what = "preloading \(count) resized images of split '\(name)'"
        let available = AvailableMemory.bytes()
        try AvailableMemory.check(bytesPerImage.multipliedReportingOverflow(by: count).overflow ? Int.max : bytesPerImage * count,
                                  for: what, available: available)
        let results = PreloadedImages(count: count)
        DispatchQueue.concurrentPerform(iterations: max(1, workers)) { worker in
            let decoder = ImageDecoder()
            for index in stride(from: worker, to: count, by: max(1, workers)) where !results.hasFailed {
                do {
                    let image = resize(try image(at: index, decoder: decoder))
                    try AvailableMemory.check(results.store(image, at: index), for: what, available: available)
                } catch {
                    results.record(error, at: index)
                }
            }
        }
        return DatasetSplit(name: name, labels: labels,
                            source: .decoded(root: root, paths: paths, images: try results.images()), classNames: classNames)
    }
}

/// The images decoded by `preloadingImages`' threads, their total size, and the first failure.
private final class PreloadedImages: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [RGBImage?]
    private var bytes = 0
    private var failure: (index: Int, error: any Error)?

    init(count: Int) { stored = Array(repeating: nil, count: count) }

    /// Keeps `image` and returns the bytes held so far.
    func store(_ image: RGBImage, at index: Int) -> Int {
        lock.withLock {
            stored[index] = image
            bytes += image.pixels.count
            return bytes
        }
    }

    func record(_ error: any Error, at index: Int) {
        lock.withLock { if failure.map({ index < $0.index }) ?? true { failure = (index, error) } }
    }

    var hasFailed: Bool { lock.withLock { failure != nil } }

    /// All images, or the failure with the lowest index.
    func images() throws -> [RGBImage] {
        try lock.withLock {
            if let failure { throw failure.error }
            return stored.compactMap { $0 }
        }
    }
}
