import Foundation
@testable import MLServe
import TestSupport
import Testing

/// `ItemImages.containedFile`: an item's image is served only from inside the gallery root, with symbolic
/// links resolved, comparing paths as the file system does (bytes).
@Suite struct ItemImagesTests {
    /// Two sibling folders whose names are canonically equivalent but different bytes ("é" precomposed and
    /// "e" + a combining acute): as Swift strings one is a prefix of the other's paths, on disk they are two
    /// folders. A link in the gallery to the sibling's file must be refused.
    @Test func aLinkToACanonicallyEquivalentSiblingIsRefused() throws {
        let directory = try TemporaryDirectory()
        let root = directory.url.appendingPathComponent("gal\u{E9}").path
        let sibling = directory.url.appendingPathComponent("gale\u{301}").path
        #expect(!root.utf8.elementsEqual(sibling.utf8) && root == sibling, "different bytes, equal as Swift strings")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: sibling, withIntermediateDirectories: true)
        try Data("secret".utf8).write(to: URL(fileURLWithPath: sibling + "/secret.png"))
        try FileManager.default.createSymbolicLink(atPath: root + "/item.png", withDestinationPath: sibling + "/secret.png")
        try Data("image".utf8).write(to: URL(fileURLWithPath: root + "/inside.png"))

        #expect(throws: ServiceError.self) { try ItemImages.containedFile(root: root, path: "item.png", id: 1) }
        #expect(try ItemImages.containedFile(root: root, path: "inside.png", id: 2).utf8.elementsEqual((root + "/inside.png").utf8))
    }
}
