package import CoreMetrics
import Foundation
import Synchronization
package import Prometheus

/// Every metric Gatehouse exports, named in one place. Each Gatehouse instance
/// has its own registry (no global bootstrap), served at the admin `/metrics`.
/// Labels are low-cardinality: a route prefix or BFF endpoint, never a raw path.
package struct GatehouseMetrics: Sendable {
    package let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    /// Per-request metrics, looked up once per label set rather than in the registry on every request.
    private let counters = HandleCache<CoreMetrics.Counter>()
    private let timers = HandleCache<CoreMetrics.Timer>()

    package init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        self.factory = factory
    }

    /// A finished request: `route` is a BFF endpoint, an API route prefix or `static`.
    package func request(route: String, status: Int, duration: Duration) {
        counters.handle(for: HandleKey(route: route, status: status)) {
            Counter(label: "gatehouse_http_requests_total", dimensions: [("route", route), ("status", String(status))], factory: factory)
        }.increment()
        requestTimer(route).recordNanoseconds(duration.nanoseconds)
    }

    /// Time to the upstream's response head.
    package func upstream(route: String, duration: Duration) {
        upstreamTimer(route).recordNanoseconds(duration.nanoseconds)
    }

    private func requestTimer(_ route: String) -> CoreMetrics.Timer {
        timers.handle(for: HandleKey(route: route, status: -1)) {
            Timer(label: "gatehouse_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
        }
    }

    private func upstreamTimer(_ route: String) -> CoreMetrics.Timer {
        timers.handle(for: HandleKey(route: route, status: -2)) {
            Timer(label: "gatehouse_upstream_duration_seconds", dimensions: [("route", route)], factory: factory)
        }
    }

    /// Every series whose labels are known at start, at zero: each outcome of every counter, the
    /// store error counter, and the latency histograms of every route label, so alerts and
    /// `rate()` work before the first event. (`gatehouse_http_requests_total` gets a series per
    /// status as statuses occur: the set of statuses is not closed.)
    package func declare(requestRoutes: [String], upstreamRoutes: [String]) {
        for result in RefreshOutcome.allCases { counter("gatehouse_refreshes_total", result.rawValue) }
        for result in ClientTokenOutcome.allCases { counter("gatehouse_client_tokens_total", result.rawValue) }
        for result in TokenExchangeOutcome.allCases { counter("gatehouse_token_exchanges_total", result.rawValue) }
        for result in AuthorizationOutcome.allCases { counter("gatehouse_authorization_refusals_total", result.rawValue) }
        for result in LoginOutcome.allCases { counter("gatehouse_logins_total", result.rawValue) }
        for result in ConfigReloadOutcome.allCases { counter("gatehouse_config_reloads_total", result.rawValue) }
        _ = Counter(label: "gatehouse_session_store_errors_total", factory: factory)
        for route in requestRoutes { _ = requestTimer(route) }
        for route in upstreamRoutes { _ = upstreamTimer(route) }
    }

    @discardableResult
    private func counter(_ label: String, _ result: String) -> CoreMetrics.Counter {
        Counter(label: label, dimensions: [("result", result)], factory: factory)
    }

    /// Outcome of a token refresh: `ok`, `failed`, `invalid_grant` or `coalesced` (waited for another).
    package func refresh(_ result: RefreshOutcome) {
        counter("gatehouse_refreshes_total", result.rawValue).increment()
    }

    /// Outcome of a configuration reload.
    package func configReload(_ result: ConfigReloadOutcome) {
        counter("gatehouse_config_reloads_total", result.rawValue).increment()
    }

    /// Outcome of a client-credentials grant: `ok` or `failed`.
    package func clientToken(_ result: ClientTokenOutcome) {
        counter("gatehouse_client_tokens_total", result.rawValue).increment()
    }

    /// Outcome of an RFC 8693 token exchange for a route's audience.
    package func tokenExchange(_ result: TokenExchangeOutcome) {
        counter("gatehouse_token_exchanges_total", result.rawValue).increment()
    }

    /// A call a route's `require` rules refused: `insufficient` (403) or `step_up` (401).
    package func authorization(_ result: AuthorizationOutcome) {
        counter("gatehouse_authorization_refusals_total", result.rawValue).increment()
    }

    /// Outcome of a login callback: `ok` or `failed`.
    package func login(_ result: LoginOutcome) {
        counter("gatehouse_logins_total", result.rawValue).increment()
    }

    /// The session store failed (Redis unreachable or refusing).
    package func storeError() {
        Counter(label: "gatehouse_session_store_errors_total", factory: factory).increment()
    }

    /// Pool gauges, set just before each scrape: connected Redis connections (nil with the
    /// memory store), idle upstream keep-alive connections, sessions in the replica's cache.
    package func pools(redisConnected: Int?, upstreamIdle: Int, cachedSessions: Int?) {
        if let redisConnected { Gauge(label: "gatehouse_redis_connections", factory: factory).record(redisConnected) }
        Gauge(label: "gatehouse_upstream_idle_connections", factory: factory).record(upstreamIdle)
        if let cachedSessions { Gauge(label: "gatehouse_session_cache_entries", factory: factory).record(cachedSessions) }
    }

    /// The Prometheus text exposition.
    package func exposition() -> String { registry.emitToString() }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}

struct HandleKey: Hashable, Sendable {
    var route: String
    var status: Int
}

/// Metric handles by label set; labels are low-cardinality, so this stays small.
final class HandleCache<Handle: AnyObject & Sendable>: Sendable {
    private let handles = Mutex<[HandleKey: Handle]>([:])

    func handle(for key: HandleKey, make: () -> Handle) -> Handle {
        if let handle = handles.withLock({ $0[key] }) { return handle }
        let made = make()
        return handles.withLock { handles in
            if let existing = handles[key] { return existing }
            handles[key] = made
            return made
        }
    }
}
