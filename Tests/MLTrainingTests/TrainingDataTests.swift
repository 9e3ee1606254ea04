import Foundation
@testable import MLTraining
import TestSupport
import Testing

/// The run's data: `--val-classes` holds out whole training classes, chosen by the seed.
@Suite struct TrainingDataTests {
    @Test func heldOutClassesAreWholeClassesChosenBySeed() throws {
        let (_, split) = try TinyFashionMNIST.trainSplit()
        let (train, validation) = try TrainingData.holdOut(0.4, of: split, seed: 5)
        #expect(validation.classCount == 2 && train.classCount == 3)
        #expect(train.count + validation.count == split.count && validation.count == 2 * 6)
        #expect(Set(train.labels) == [0, 1, 2] && Set(validation.labels) == [0, 1] && validation.name == "validation")
        // No validation image is trained on, and each side holds whole classes of the original split.
        let original = try TinyFashionMNIST.pixels(split)
        let originalLabel = Dictionary(uniqueKeysWithValues: zip(original, split.labels))
        let (trained, held) = (try TinyFashionMNIST.pixels(train), try TinyFashionMNIST.pixels(validation))
        #expect(Set(trained).isDisjoint(with: Set(held)))
        let heldClasses = Set(held.compactMap { originalLabel[$0] })
        #expect(heldClasses.count == 2 && Set(trained.compactMap { originalLabel[$0] }).isDisjoint(with: heldClasses))

        // The same seed picks the same classes (a resumed run trains on the same split); seeds differ.
        #expect(try TinyFashionMNIST.pixels(TrainingData.holdOut(0.4, of: split, seed: 5).validation) == held)
        let choices = try Set((0..<8).map { seed in
            Set(try TinyFashionMNIST.pixels(TrainingData.holdOut(0.4, of: split, seed: UInt64(seed)).validation).compactMap { originalLabel[$0] })
        })
        #expect(choices.count > 1)
    }

    @Test func tooFewClassesOnEitherSideAreRefused() throws {
        let (_, split) = try TinyFashionMNIST.trainSplit()
        for fraction in [0.1, 0.8] {
            #expect {
                try TrainingData.holdOut(fraction, of: split, seed: 0)
            } throws: { "\($0)".contains("--val-classes \(fraction)") && "\($0)".contains("at least 2 classes") }
        }
    }
}
