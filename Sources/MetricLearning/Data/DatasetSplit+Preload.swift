import Foundation

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
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw DataFileError(path: url.path, "image file not found or unreadable")
            }
            return [UInt8](data)
        }
        return DatasetSplit(name: name, labels: labels, source: .preloaded(root: root, paths: paths, contents: contents))
    }

    /// This split with every image decoded and passed through `resize` into memory (the preset's resize, so
    /// training skips decoding), after checking `bytesPerImage` (an estimate of one resized image) × count
    /// fits; loading stops with an error if the real images outgrow that budget.
    ///
    /// - Throws: `PreloadError` for memory; the decoder's error naming a file that cannot be decoded.
    public func preloadingImages(bytesPerImage: Int, resize: (RGBImage) -> RGBImage) throws -> DatasetSplit {
        let paths: [String], root: URL
        switch source {
        case .files(let r, let p), .preloaded(let r, let p, _): (root, paths) = (r, p)
        case .decoded, .grey: return self
        }
        let what = "preloading \(count) resized images of split '\(name)'"
        let available = AvailableMemory.bytes()
        try AvailableMemory.check(bytesPerImage * count, for: what, available: available)
        let decoder = ImageDecoder()
        var images: [RGBImage] = []
        images.reserveCapacity(count)
        var total = 0
        for index in 0..<count {
            let image = resize(try image(at: index, decoder: decoder))
            total += image.pixels.count
            try AvailableMemory.check(total, for: what, available: available)
            images.append(image)
        }
        return DatasetSplit(name: name, labels: labels, source: .decoded(root: root, paths: paths, images: images))
    }
}
