import CDNNL
@testable import MLEngine
import TestSupport
import Testing

@Suite struct TensorTests {
    @Test func seededGeneratorMatchesSplitMix64ReferenceValues() {
        // SplitMix64 from seed 0: the published first outputs of the reference implementation.
        var generator = SeededGenerator(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func blockedRoundTripPreservesValues() {
        var generator = SeededGenerator(seed: 7)
        let x = generator.tensor([2, 5, 3, 3])
        let blocked = x.reordered(to: MemoryDescriptor(shape: [2, 5, 3, 3], tag: dnnl_nChw16c))
        #expect(!blocked.isPlain)
        #expect(blocked.layout.byteCount == 2 * 16 * 9 * 4)
        #expect(blocked.scalars == x.scalars)
    }

    @Test func copiesDoNotShareMutations() {
        var a = Tensor(shape: [3], values: [1, 2, 3])
        let b = a
        a.withUnsafeMutableStorage { $0[0] = 9 }
        #expect(a.scalars == [9, 2, 3])
        #expect(b.scalars == [1, 2, 3])
    }

    @Test func allocatorBucketsBoundWaste() {
        for bytes in [1, 64, 65, 4096, 4097, 100_000, 1 << 20, (1 << 20) + 1, 123_456_789] {
            let bucket = CachingAllocator.bucket(for: bytes)
            #expect(bucket >= bytes)
            #expect(Double(bucket) <= Double(max(bytes, 64)) * 1.25 + 64)
        }
    }
}
