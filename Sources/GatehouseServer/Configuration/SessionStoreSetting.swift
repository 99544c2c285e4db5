/// Where sessions are kept (`session.store`): `memory` or a Redis URL.
package enum SessionStoreSetting: Sendable, Hashable, CustomStringConvertible {
    /// In this process only: for the demo and a single replica; sessions end on restart.
    case memory
    /// Redis, shared by every replica.
    case redis(RedisStoreURL)

    /// `memory`, or the Redis URL without its password.
    package var description: String {
        switch self {
        case .memory: "memory"
        case .redis(let url): url.description
        }
    }
}
