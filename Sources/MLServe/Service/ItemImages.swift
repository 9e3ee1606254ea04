import Foundation
import MLData
import MLFormats
import MLIndex
import MLServeRequests

/// The image of an index item, as the service sends it: a gallery file's bytes (never a path outside
/// its gallery root, symbolic links included) or a PNG rendered from a dataset held in memory.
public final class ItemImages: Sendable {
    /// An image to send: its bytes and content type.
    public struct Image: Sendable {
        public let bytes: Data
        public let contentType: String
    }

    private let index: GalleryIndex
    /// The dataset splits of in-memory sources, loaded on first use.
    private let splits = DatasetCache()

    public init(index: GalleryIndex) { self.index = index }

    /// The image of item `id`.
    /// - Throws: `ServiceError` 404 for an unknown id, an item without an image or a missing file, 403 for
    ///   a file that resolves outside its gallery root, 500 when the dataset cannot be read.
    public func image(of id: Int) throws -> Image {
        guard (0..<index.count).contains(id) else {
            throw ServiceError(.notFound, "no item \(id); ids run from 0 to \(index.count - 1)")
        }
        let (source, position) = index.source(of: id)
        switch source.kind {
        case .files:
            guard let root = source.root, let path = source.paths?[position] else { throw ServiceError(.notFound, "item \(id) has no image") }
            let file = try Self.containedFile(root: root, path: path, id: id)
            guard let bytes = FileManager.default.contents(atPath: file) else {
                throw ServiceError(.notFound, "the image file of item \(id) is missing or unreadable")
            }
            let type = ["png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"][(file as NSString).pathExtension.lowercased()]
            return Image(bytes: bytes, contentType: type ?? "application/octet-stream")
        case .dataset:
            let split = try splits.split(for: source)
            guard position < split.count else { throw ServiceError(.internalServerError, "the dataset of item \(id) has fewer images than the index") }
            switch try split.input(at: position) {
            case .grey(let width, let height, let pixels):
                return Image(bytes: RGBImage(width: width, height: height, grayscale: Array(pixels)).pngData(), contentType: "image/png")
            case .decoded(let image):
                return Image(bytes: image.pngData(), contentType: "image/png")
            case .encoded(let bytes, _):
                return Image(bytes: Data(bytes), contentType: ImageHeader.contentType(of: bytes))
            }
        case .vectors:
            throw ServiceError(.notFound, "item \(id) came from an embeddings file and has no image")
        }
    }

    /// `root/path` with symbolic links resolved, refused unless it stays inside the resolved root. The
    /// containment is checked on the paths' bytes, as the file system names files: Swift's `hasPrefix`
    /// compares canonically equivalent strings as equal, so "gale\u{301}/x" would pass inside "galé/".
    static func containedFile(root: String, path: String, id: Int) throws -> String {
        if let problem = GalleryPath.problem(path) { throw ServiceError(.forbidden, "item \(id): \(problem)") }
        let resolvedRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        let resolved = URL(fileURLWithPath: root).appendingPathComponent(path).resolvingSymlinksInPath().path
        let prefix = resolvedRoot.utf8.last == UInt8(ascii: "/") ? resolvedRoot : resolvedRoot + "/"
        guard resolved.utf8.starts(with: prefix.utf8) else {
            throw ServiceError(.forbidden, "the image of item \(id) resolves outside the gallery")
        }
        return resolved
    }
}

/// Dataset splits loaded once, for rendering their in-memory images.
private final class DatasetCache: @unchecked Sendable {
    private let lock = NSLock()
    private var splits: [String: DatasetSplit] = [:]

    func split(for source: ItemSource) throws -> DatasetSplit {
        lock.lock()
        defer { lock.unlock() }
        let key = "\(source.format ?? "")|\(source.root ?? "")|\(source.split ?? "")"
        if let split = splits[key] { return split }
        guard let format = source.format.flatMap(DatasetFormat.init(rawValue:)), let root = source.root, let name = source.split else {
            throw ServiceError(.internalServerError, "the index names an unknown dataset format '\(source.format ?? "")'")
        }
        do {
            let split = try Dataset.load(format, at: URL(fileURLWithPath: root)).split(name)
            splits[key] = split
            return split
        } catch {
            throw ServiceError(.internalServerError, "cannot load the gallery's dataset: \(error)")
        }
    }
}
