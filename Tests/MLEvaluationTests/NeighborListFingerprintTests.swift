import MLEvaluation
import Testing

/// `NeighborList.fingerprint` tells lists apart by every index, every value bit and their order.
@Suite struct NeighborListFingerprintTests {
    private let list = NeighborList(queryCount: 2, k: 3, indices: [4, 1, 2, 0, 3, 4], values: [0.9, 0.5, 0.25, 0.8, 0.7, -0.1])

    @Test func equalListsHaveEqualFingerprintsOfSixteenHexDigits() {
        let copy = NeighborList(queryCount: 2, k: 3, indices: list.indices, values: list.values)
        #expect(list.fingerprint == copy.fingerprint)
        #expect(list.fingerprint.count == 16 && list.fingerprint.allSatisfy(\.isHexDigit), "\(list.fingerprint)")
        // The empty list's hash is FNV-1a's offset basis, printed with its leading zero kept.
        #expect(NeighborList(queryCount: 0, k: 3, indices: [], values: []).fingerprint == "cbf29ce484222325")
    }

    @Test func oneIndexOneValueBitOrTheOrderChangesIt() {
        var indices = list.indices, values = list.values
        indices[5] = 2
        #expect(NeighborList(queryCount: 2, k: 3, indices: indices, values: list.values).fingerprint != list.fingerprint)
        values[2] = Float(bitPattern: values[2].bitPattern ^ 1)
        #expect(NeighborList(queryCount: 2, k: 3, indices: list.indices, values: values).fingerprint != list.fingerprint)
        let swapped = NeighborList(queryCount: 2, k: 3, indices: [1, 4, 2, 0, 3, 4], values: [0.5, 0.9, 0.25, 0.8, 0.7, -0.1])
        #expect(swapped.fingerprint != list.fingerprint)
    }
}
