import Testing
@testable import MetricLearning

@Suite struct ProcessMemoryTests {
    /// glibc accepts both settings (this failed silently once when the shim missed __GLIBC__).
    @Test func glibcAcceptsTheThresholds() {
        #if os(Linux)
        #expect(ProcessMemory.retainFreedBlocks())
        #endif
    }
}
