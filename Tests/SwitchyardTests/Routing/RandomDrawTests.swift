@testable import Routing
import Testing

/// The policies' bounded draw is the standard library's `next(upperBound:)`, value for
/// value: a seeded answer (tests, `explain`, the drill's replay) does not change with it.
@Suite struct RandomDrawTests {
    @Test(arguments: [1, 2, 3, 7, 100, 1 << 32 + 1, 1 << 63 + 1, UInt64.max / 3 * 2, UInt64.max] as [UInt64])
    func drawsWhatNextUpperBoundDraws(bound: UInt64) {
        for seed in [UInt64(0), 42, 0xDEAD_BEEF] {
            var ours = SplitMix64(seed: seed)
            var standard = SplitMix64(seed: seed)
            let drawn = (0..<200).map { _ in ours.draw(below: bound) }
            let expected = (0..<200).map { _ in standard.next(upperBound: bound) }
            #expect(drawn == expected)
            #expect(drawn.allSatisfy { $0 < bound })
            // Both consumed the same number of values, rejections included.
            #expect(ours.state == standard.state)
        }
    }

    @Test func boundsNearTheTopRejectAndRedraw() {
        // With a bound just over 2⁶³ about half of all values fall in the rejection zone,
        // so 200 draws take more than 200 values from the generator.
        var generator = CountingGenerator()
        for _ in 0..<200 { #expect(generator.draw(below: 1 << 63 + 1) <= 1 << 63) }
        #expect(generator.values > 200)
    }

    struct CountingGenerator: RandomNumberGenerator {
        var source = SplitMix64(seed: 7)
        var values = 0
        mutating func next() -> UInt64 {
            values += 1
            return source.next()
        }
    }
}
