package import Foundation
package import GatehouseOAuth
package import GatehouseSessions
import HTTPTypes
package import Hummingbird
import Logging

/// `/bff/login`, `/bff/callback`, `/bff/user`, `/bff/logout` and
/// `/bff/backchannel-logout`: the protocol steps live in GatehouseOAuth and
/// GatehouseSessions; this type moves values between them and HTTP.
package struct BFFController: Sendable {
    package let configuration: GatehouseConfiguration
    package let vault: SessionVault
    package let provider: OIDCProvider
    package let transport: any OAuthTransport
    let random: any RandomSource
    let now: @Sendable () -> Date
    /// Where logins and store failures are counted.
    package let metrics: GatehouseMetrics
    /// The streams open on sessions, closed when their session ends.
    package let streams: SessionStreams

    package init(
        configuration: GatehouseConfiguration,
        vault: SessionVault,
        provider: OIDCProvider,
        transport: any OAuthTransport,
        random: any RandomSource = SystemRandomSource(),
        now: @escaping @Sendable () -> Date = { Date() },
        metrics: GatehouseMetrics = GatehouseMetrics()
    ) {
        self.metrics = metrics
        self.configuration = configuration
        self.vault = vault
        self.streams = SessionStreams(vault: vault, idleTimeout: configuration.sessionTimeouts.idle)
        self.provider = provider
        self.transport = transport
        self.random = random
        self.now = now
    }

    /// Adds the BFF routes. Each is bound to its exact path (the router also matches
    /// `/bff/logout/` and `//bff/user`, which are 404 here), and the CSRF check hangs on the
    /// endpoint itself, so no spelling of a path reaches a handler without it.
    package func addRoutes(to router: Router<GatehouseRequestContext>) {
        let bff = router.group("bff")
        bff.get("login", use: endpoint("/bff/login", csrf: false) { request, context in try await login(request, context: context) })
        bff.get("callback", use: endpoint("/bff/callback", csrf: false) { request, context in
            do {
                let response = try await callback(request, context: context)
                metrics.login(.ok)
                return response
            } catch {
                metrics.login(.failed)
                throw error
            }
        })
        bff.get("user", use: endpoint("/bff/user", csrf: true) { request, context in try await user(request, context: context) })
        bff.post("logout", use: endpoint("/bff/logout", csrf: true) { request, context in try await logout(request, context: context) })
        bff.get("sessions", use: endpoint("/bff/sessions", csrf: true) { request, context in try await sessions(request, context: context) })
        bff.post("sessions/end-others", use: endpoint("/bff/sessions/end-others", csrf: true) { request, context in
            try await endOtherSessions(request, context: context)
        })
        let handlePrefix = "/bff/sessions/"
        bff.delete("sessions/:handle", use: endpoint("/bff/sessions/{id}", matching: { path in
            path.hasPrefix(handlePrefix) && SessionHandle(rawValue: String(path.dropFirst(handlePrefix.count))) != nil
        }, csrf: true) { request, context in
            try await endSession(request, context: context)
        })
        // From the provider: no cookie, no CSRF header (the logout token is the proof).
        bff.post("backchannel-logout", use: endpoint("/bff/backchannel-logout", csrf: false) { request, context in
            try await backchannelLogout(request, context: context)
        })
    }

    /// Wraps a handler with the endpoint's exact path and, where it changes or reveals state, the CSRF check.
    private func endpoint(
        _ path: String, csrf: Bool,
        _ handler: @escaping @Sendable (Request, GatehouseRequestContext) async throws -> Response
    ) -> @Sendable (Request, GatehouseRequestContext) async throws -> Response {
        endpoint(path, matching: { $0 == path }, csrf: csrf, handler)
    }

    /// An endpoint whose path has a parameter: `matches` decides, on the raw path, what is it.
    private func endpoint(
        _ label: String, matching matches: @escaping @Sendable (Substring) -> Bool, csrf: Bool,
        _ handler: @escaping @Sendable (Request, GatehouseRequestContext) async throws -> Response
    ) -> @Sendable (Request, GatehouseRequestContext) async throws -> Response {
        let check = CSRFCheck(headerName: configuration.csrf.header)
        return { request, context in
            guard matches(Substring(request.uri.path)) else { throw BFFError.notFound }
            if csrf { try check.require(request.headers, method: request.method, path: label, logger: context.logger) }
            return try await handler(request, context)
        }
    }

    /// The session the cookie names, or `nil`. A malformed, tampered or stale
    /// cookie is no session; an unreachable store is 503, never 401.
    ///
    /// - Parameter fromStore: read the store even when the session was read a moment ago; the
    ///   proxy's hot path takes the vault's short-lived cache instead.
    package func currentSession(_ request: Request, fromStore: Bool = false) async throws -> (id: SessionID, record: SessionRecord)? {
        guard let value = Self.cookie(named: configuration.session.cookieName, in: request.headers), let id = SessionID(cookieValue: value) else {
            return nil
        }
        let record = try await storeCall { try await vault.load(id, now: now(), fromStore: fromStore) }
        return record.map { (id, $0) }
    }

    /// One cookie's value; `nil` when absent or when the name occurs more than once, which
    /// is what a cookie planted by a sibling subdomain looks like (``CookieHeader``).
    static func cookie(named name: String, in fields: HTTPFields) -> String? {
        CookieHeader.lookup(name, in: fields[values: .cookie]).single
    }

    /// Runs a store operation, turning store failures into 503.
    func storeCall<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as SessionStoreError {
            metrics.storeError()
            Logger(label: "gatehouse.bff").error("session store failed", metadata: ["gatehouse.error": "\(error)"])
            throw BFFError.storeUnavailable
        }
    }

    /// Runs a provider call, mapping its failures to 503/504/502 (``BFFError/mapping(_:)``).
    func providerCall<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ProviderError {
            throw BFFError.mapping(error) ?? BFFError.providerFailed
        }
    }

    func tokenRequests(_ metadata: ProviderMetadata) -> TokenRequestBuilder {
        provider.tokenRequests(metadata, random: random)
    }

    /// Posts a token-endpoint or revocation request, with a DPoP proof of `key` when the session has one.
    func postToProvider(_ request: FormPostRequest, proving key: DPoPKey?) async throws -> TransportResponse {
        try await transport.post(request, proving: key, nonces: provider.dpopNonces, timeout: configuration.timings.providerCall, now: now, random: random)
    }
}

/// Lets a stored `any RandomSource` go where `some RandomSource` is asked for.
struct RandomSourceBox: RandomSource {
    let base: any RandomSource
    func bytes(_ count: Int) -> [UInt8] { base.bytes(count) }
}

extension BFFController {

    /// The session cookie's `SameSite` (`session.same_site`).
    var sameSite: Cookie.SameSite { configuration.session.sameSite == .strict ? .strict : .lax }

    func sessionCookie(_ id: SessionID) -> Cookie {
        Cookie(
            name: configuration.session.cookieName, value: id.cookieValue, path: "/",
            secure: configuration.isHTTPS, httpOnly: true, sameSite: sameSite
        )
    }

    func expiredCookie(_ name: String, sameSite: Cookie.SameSite) -> Cookie {
        Cookie(name: name, value: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/", secure: configuration.isHTTPS, httpOnly: true, sameSite: sameSite)
    }

    /// `path` with `parameter` added to its query, before any fragment.
    static func appendingQuery(_ parameter: String, to path: String) -> String {
        let fragmentStart = path.firstIndex(of: "#") ?? path.endIndex
        let (base, fragment) = (path[..<fragmentStart], path[fragmentStart...])
        return base + (base.contains("?") ? "&" : "?") + parameter + fragment
    }

    static func redirect(to location: String, cookies: [Cookie]) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie.description)) }
        return Response(status: .found, headers: headers)
    }

    static func json(_ object: [String: JSONValue], status: HTTPResponse.Status = .ok, cookies: [Cookie] = []) throws -> Response {
        let data = try JSONEncoder().encode(JSONValue.object(object))
        var headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie.description)) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
