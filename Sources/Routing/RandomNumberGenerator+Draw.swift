extension RandomNumberGenerator {
    /// A uniform draw from 0..<`upperBound`: the standard library's `next(upperBound:)`
    /// (Lemire's multiply-and-reject, so a seeded generator draws the same values), written
    /// for `UInt64` alone. The policies are generic over their generator and are not
    /// specialised outside this module, and there the generic `next(upperBound:)` looked up
    /// integer and tuple type metadata at run time — a lock and a map probe on every
    /// weighted or multivalue decision.
    @inline(__always)
    mutating func draw(below upperBound: UInt64) -> UInt64 {
        precondition(upperBound != 0, "a draw below 0")
        var product = next().multipliedFullWidth(by: upperBound)
        if product.low < upperBound {
            let threshold = (0 &- upperBound) % upperBound
            while product.low < threshold { product = next().multipliedFullWidth(by: upperBound) }
        }
        return product.high
    }
}
