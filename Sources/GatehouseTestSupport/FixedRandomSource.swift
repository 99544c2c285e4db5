package import GatehouseOAuth

/// A ``RandomSource`` that always returns the same byte, for tests that need fixed values.
package struct FixedRandomSource: RandomSource {
    private let byte: UInt8

    /// Creates a source that repeats `byte`.
    package init(byte: UInt8 = 0x42) {
        self.byte = byte
    }

    /// `count` copies of the byte.
    package func bytes(_ count: Int) -> [UInt8] {
        [UInt8](repeating: self.byte, count: count)
    }
}
