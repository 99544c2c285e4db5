import Foundation
import GatehouseSessions
import GatehouseTestSupport
import Testing

@Suite("The session cache")
struct SessionCacheTests {
    let key = SessionStoreConformance.newKey()
    let record = SessionRecordTests.record()

    @Test("a record is reused for its lifetime, then read again")
    func lifetime() {
        let cache = SessionCache(lifetime: .seconds(2))
        let start = ContinuousClock.now
        cache.store(record, for: key, at: start)
        #expect(cache.record(for: key, at: start + .milliseconds(1999)) != nil)
        #expect(cache.record(for: key, at: start + .seconds(2)) == nil)
    }

    @Test("the store's TTL is extended at most once per interval")
    func touchThrottle() {
        let cache = SessionCache(lifetime: .seconds(2), touchInterval: .seconds(60))
        let start = ContinuousClock.now
        cache.store(record, for: key, at: start)
        #expect(cache.claimTouch(for: key, at: start), "the first read touches")
        #expect(!cache.claimTouch(for: key, at: start + .seconds(30)))
        cache.store(record, for: key, at: start + .seconds(30))
        #expect(!cache.claimTouch(for: key, at: start + .seconds(59)), "a re-read keeps the last touch time")
        #expect(cache.claimTouch(for: key, at: start + .seconds(60)))
    }

    @Test("removing one session or all forgets them")
    func removal() {
        let cache = SessionCache()
        let other = SessionStoreConformance.newKey()
        let now = ContinuousClock.now
        cache.store(record, for: key, at: now)
        cache.store(record, for: other, at: now)
        cache.remove(key)
        #expect(cache.record(for: key, at: now) == nil)
        #expect(cache.record(for: other, at: now) != nil)
        cache.removeAll()
        #expect(cache.count == 0)
    }

    @Test("the cache never holds more than its capacity")
    func capacity() {
        let cache = SessionCache(lifetime: .seconds(2), capacity: 3)
        let now = ContinuousClock.now
        for _ in 0..<10 { cache.store(record, for: SessionStoreConformance.newKey(), at: now) }
        #expect(cache.count == 3)
        cache.store(record, for: key, at: now + .seconds(3))
        #expect(cache.count == 1, "expired entries make room")
    }

    @Test("a full cache of recent sessions still takes a new one, making room by dropping some")
    func fullCacheTakesNewcomers() {
        let cache = SessionCache(lifetime: .seconds(60), capacity: 8)
        let now = ContinuousClock.now
        let held = (0..<8).map { _ in SessionStoreConformance.newKey() }
        for key in held { cache.store(record, for: key, at: now) }
        cache.store(record, for: key, at: now)
        #expect(cache.record(for: key, at: now) != nil, "the newcomer is cached")
        #expect(cache.count <= 8)
        #expect(cache.count >= 6, "only a quarter made room")
    }
}
