package import GatehouseSessions

/// Which primary serves each hash slot, read from `CLUSTER SLOTS`: ranges of slots, each with its
/// primary first (replicas after it are not used: Gatehouse reads what it just wrote).
package struct RedisClusterSlots: Sendable, Equatable {
    package struct Range: Sendable, Equatable {
        package var slots: ClosedRange<Int>
        package var primary: RedisURL.Address
    }

    /// Sorted by first slot, without overlaps.
    package private(set) var ranges: [Range]

    package init(ranges: [Range]) {
        self.ranges = ranges.sorted { $0.slots.lowerBound < $1.slots.lowerBound }
    }

    /// `CLUSTER SLOTS`: `[[start, end, [host, port, id…], replica…], …]`. A node that announces no
    /// host (an empty string) is reached at `seed`'s host, the one that was asked (as the
    /// specification says of `NULL`/empty endpoints).
    package init(reply: RedisReply, seed: RedisURL.Address) throws(RedisClientError) {
        guard case .array(let entries) = reply else { throw .protocolError("CLUSTER SLOTS: not an array") }
        var ranges: [Range] = []
        for entry in entries {
            guard case .array(let parts) = entry, parts.count >= 3,
                  case .integer(let start) = parts[0], case .integer(let end) = parts[1], start >= 0, start <= end, end < RedisClusterSlot.count,
                  case .array(let node) = parts[2], node.count >= 2, case .integer(let port) = node[1], (1...65535).contains(port)
            else { throw .protocolError("CLUSTER SLOTS: an entry is not [start, end, [host, port, …], …]") }
            let host = node[0].bytes.map { String(decoding: $0, as: UTF8.self) } ?? ""
            ranges.append(Range(slots: Int(start)...Int(end), primary: RedisURL.Address(host: host.isEmpty || host == "?" ? seed.host : host, port: Int(port))))
        }
        self.init(ranges: ranges)
        for (earlier, later) in zip(self.ranges, self.ranges.dropFirst()) where earlier.slots.overlaps(later.slots) {
            throw .protocolError("CLUSTER SLOTS: ranges \(earlier.slots) and \(later.slots) overlap")
        }
    }

    /// The primary serving `slot`; `nil` while no node serves it (the cluster is not fully up).
    package func primary(for slot: Int) -> RedisURL.Address? {
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = ranges[middle].slots
            if slot < range.lowerBound { high = middle - 1 } else if slot > range.upperBound { low = middle + 1 } else { return ranges[middle].primary }
        }
        return nil
    }

    /// Every primary, each once.
    package var primaries: [RedisURL.Address] {
        var seen: Set<RedisURL.Address> = []
        return ranges.map(\.primary).filter { seen.insert($0).inserted }
    }
}

/// A cluster node's answer that the key lives elsewhere: `MOVED <slot> <host>:<port>` (the slot
/// moved for good: update the map) or `ASK <slot> <host>:<port>` (it is being migrated: ask that
/// node once, after `ASKING`).
package struct RedisClusterRedirect: Sendable, Equatable {
    package enum Kind: Sendable, Equatable { case moved, ask }
    package var kind: Kind
    package var slot: Int
    package var address: RedisURL.Address

    /// Reads the error text of a reply; `nil` for any other error.
    package init?(error text: String) {
        let words = text.split(separator: " ")
        guard words.count == 3, let slot = Int(words[1]), (0..<RedisClusterSlot.count).contains(slot),
              let colon = words[2].lastIndex(of: ":"), let port = Int(words[2][words[2].index(after: colon)...]), (1...65535).contains(port)
        else { return nil }
        switch words[0] {
        case "MOVED": kind = .moved
        case "ASK": kind = .ask
        default: return nil
        }
        var host = String(words[2][..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.slot = slot
        self.address = RedisURL.Address(host: host, port: port)
    }
}
