@testable import MLEngine
import TestSupport
import Testing

@Suite struct SeededGeneratorStreamsTests {
    @Test func substreamsAreReproducibleAndDistinct() {
        let root = SeededGenerator(seed: 42)
        var a = root.substream(3).substream(9), b = root.substream(3).substream(9)
        #expect(a.next() == b.next())
        var plain = SeededGenerator(seed: 42)
        let plainDraws = (0..<100).map { _ in plain.next() }
        let firsts = (0..<100).map { k -> UInt64 in
            var stream = root.substream(UInt64(k))
            return stream.next()
        }
        #expect(Set(firsts).count == 100)
        #expect(Set(firsts).isDisjoint(with: plainDraws))
    }

    @Test func indicesStayInRangeAndChoicesDoNotRepeat() {
        var generator = SeededGenerator(seed: 1)
        #expect((0..<1000).allSatisfy { _ in (0..<7).contains(generator.nextIndex(below: 7)) })
        for _ in 0..<100 {
            let chosen = generator.choose(5, from: Array(10..<20))
            #expect(Set(chosen).count == 5 && chosen.allSatisfy { (10..<20).contains($0) })
        }
        #expect(generator.choose(3, from: [8]) == [8, 8, 8])
    }
}
