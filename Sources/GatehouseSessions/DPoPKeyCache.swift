import GatehouseOAuth
import Synchronization

/// Parsed DPoP keys by their sealed bytes: a proxied call needs its session's key to sign, and
/// parsing the scalar derives the public point (an elliptic-curve multiplication, as dear as the
/// signature), so each key is parsed once per replica, not once per call.
enum DPoPKeyCache {
    /// Beyond this many keys the cache starts over: bounded memory whatever the session count.
    static let capacity = 4096
    private static let keys = Mutex<[[UInt8]: DPoPKey]>([:])

    static func key(for raw: [UInt8]) -> DPoPKey? {
        if let known = keys.withLock({ $0[raw] }) { return known }
        guard let parsed = try? DPoPKey(rawRepresentation: raw) else { return nil }
        keys.withLock { cache in
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[raw] = parsed
        }
        return parsed
    }
}
