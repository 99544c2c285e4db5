/// A block of IP addresses, `10.0.0.0/8` or `2001:db8::/32` (`trusted_proxies`).
package struct CIDR: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the block (host bits cleared).
    package let network: IPAddress
    /// How many leading bits are fixed: 0...32 for IPv4, 0...128 for IPv6.
    package let prefixLength: Int

    /// Parses `address/prefix`, or a bare address meaning just that host.
    ///
    /// Host bits are cleared (`10.1.2.3/8` is `10.0.0.0/8`), as Go's `net.ParseCIDR`
    /// does: operators copy such values from other proxies' configs.
    package init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = address.bytes.count * 8
        let length: Int
        if parts.count == 2 {
            // Only plain decimal digits: `Int("+8")` would accept a sign.
            guard !parts[1].isEmpty, parts[1].count <= 3, parts[1].allSatisfy(\.isASCIIDigit),
                let parsed = Int(parts[1]), parsed <= maximum
            else { return nil }
            length = parsed
        } else {
            length = maximum
        }
        self.init(network: address, prefixLength: length)
    }

    /// A block from its first address and prefix length (host bits are cleared).
    package init(network: IPAddress, prefixLength: Int) {
        let clamped = max(0, min(prefixLength, network.bytes.count * 8))
        self.network = IPAddress(bytes: Self.masked(network.bytes, prefixLength: clamped))!
        self.prefixLength = clamped
    }

    /// Whether `address` lies in this block. IPv4 addresses mapped into IPv6
    /// (`::ffff:10.0.0.1`) match IPv4 blocks; otherwise families never match.
    package func contains(_ address: IPAddress) -> Bool {
        var candidate = address
        if network.isIPv4 { candidate = address.unmappingIPv4 }
        guard candidate.bytes.count == network.bytes.count else { return false }
        return Self.masked(candidate.bytes, prefixLength: prefixLength) == network.bytes
    }

    /// Whether the address written as `text` lies in this block; false when it is no address.
    package func contains(_ text: String) -> Bool {
        IPAddress(text).map(contains) ?? false
    }

    /// `network/prefixLength`.
    package var description: String { "\(network)/\(prefixLength)" }

    private static func masked(_ bytes: [UInt8], prefixLength: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bitsKept = max(0, min(8, prefixLength - index * 8))
            return bitsKept == 0 ? 0 : byte & ~UInt8(truncatingIfNeeded: 0xFF >> bitsKept)
        }
    }
}
