@testable import MLData
@testable import MLEngine
import TestSupport
import Testing

@Suite struct RandomHorizontalFlipTests {
    @Test func flipMatchesTorchvision() {
        let (difference, message) = pixelMismatch(TransformFixture.image("rgb.jpg").flippedHorizontally(),
                                                  TransformFixture.reference("hflip"))
        #expect(difference == 0, "hflip: \(message)")
    }

    /// Flips exactly when the draw is below the probability, one draw per image.
    @Test func followsTheDraw() {
        let image = TransformFixture.image("rgb.jpg")
        for seed: UInt64 in 0..<20 {
            var generator = SeededGenerator(seed: seed), probe = SeededGenerator(seed: seed)
            let flips = probe.nextUnit() < 0.3
            let got = RandomHorizontalFlip(probability: 0.3).apply(to: image, using: &generator)
            #expect(got == (flips ? image.flippedHorizontally() : image))
            #expect(generator.position == 1)
        }
    }
}
