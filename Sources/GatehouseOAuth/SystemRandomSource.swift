/// Random bytes from the operating system's CSPRNG (`SystemRandomNumberGenerator`).
package struct SystemRandomSource: RandomSource {
    /// Creates the system random source.
    package init() {}

    /// Returns `count` bytes from the system CSPRNG.
    package func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var result = [UInt8]()
        result.reserveCapacity(count + 8)
        while result.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { result.append(contentsOf: $0) }
        }
        result.removeLast(result.count - count)
        return result
    }
}
