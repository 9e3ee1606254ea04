@testable import MLData
import TestSupport
import Testing

@Suite struct ProcessMemoryTests {
    /// glibc accepts both settings (this failed silently once when the shim missed __GLIBC__).
    @Test func glibcAcceptsTheThresholds() {
        #if os(Linux)
        #expect(ProcessMemory.retainFreedBlocks())
        #endif
    }
}
