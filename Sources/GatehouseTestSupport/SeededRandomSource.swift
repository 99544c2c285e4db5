package import GatehouseOAuth
import Synchronization

/// A deterministic ``RandomSource`` for tests (SplitMix64): the same seed gives the same bytes.
///
/// Never use it outside tests: its output is predictable by design.
package final class SeededRandomSource: RandomSource {
    private let state: Mutex<UInt64>

    /// Creates a source from `seed`.
    package init(seed: UInt64 = 0x6761_7465_686F_7573) {
        self.state = Mutex(seed)
    }

    /// The next `count` bytes of the sequence.
    package func bytes(_ count: Int) -> [UInt8] {
        self.state.withLock { state in
            var result = [UInt8]()
            result.reserveCapacity(count + 8)
            while result.count < count {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                withUnsafeBytes(of: z.littleEndian) { result.append(contentsOf: $0) }
            }
            return Array(result.prefix(count))
        }
    }
}
