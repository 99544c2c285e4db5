package import GatehouseSessions
package import ServiceLifecycle

/// Where sessions live, as the composition root receives it: the executable (or a test) picks
/// Redis or memory and hands over the store, the lock that fences its refresh write-backs, and
/// the services that keep them connected.
package struct SessionBackend: Sendable {
    package var store: any SessionStore
    package var refreshLock: any RefreshLock
    /// Recently read sessions; the application feeds it ``endings``.
    package var cache: SessionCache?
    /// The store's ended-session announcements (Redis: a subscriber among ``services`` feeds them;
    /// memory: the store itself): they evict the cache and close the session's streams.
    package var endings: SessionEndings
    /// `nil` when the store answers, else why not (for `/readyz`).
    package var readiness: @Sendable () async -> String?
    /// Connected store connections now (the pool gauge); `nil` for the memory store.
    package var connectedConnections: (@Sendable () -> Int)?
    /// The store's client and subscribers, run in the same `ServiceGroup` as the listeners.
    package var services: [any Service]

    package init(
        store: any SessionStore, refreshLock: any RefreshLock, cache: SessionCache? = SessionCache(), endings: SessionEndings,
        readiness: @escaping @Sendable () async -> String? = { nil }, connectedConnections: (@Sendable () -> Int)? = nil,
        services: [any Service] = []
    ) {
        self.store = store
        self.refreshLock = refreshLock
        self.cache = cache
        self.endings = endings
        self.readiness = readiness
        self.connectedConnections = connectedConnections
        self.services = services
    }

    /// One process's memory, for `gatehouse demo` and the unit tests: the store and its linked lock.
    package static func memory() -> SessionBackend {
        let store = MemorySessionStore()
        return SessionBackend(store: store, refreshLock: store.refreshLock, endings: store.endings)
    }
}
