import Foundation
import GatehouseServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// The unit tier: the application exactly as ``buildApplication`` assembles it for `serve`, with
/// the memory store and the in-memory provider, driven through `app.test(.router)` — no socket,
/// no Redis, no sleep.
struct UnitApplication {
    let provider: MemoryProvider
    let client: any TestClientProtocol
    let server: GatehouseServer

    static let publicURL = "https://app.test"

    static func run(
        extraYAML: String = "",
        _ body: @Sendable (UnitApplication) async throws -> Void
    ) async throws {
        let yaml = """
            public_url: \(publicURL)
            static_dir: /nonexistent-spa
            oidc:
              issuer: \(MemoryProvider.issuer)
              client_id: \(MemoryProvider.clientID)
              client_secret: unit-secret
            session:
              store: memory
              refresh_before_expiry: 60s
              encryption_keys: ["\(Data((0..<32).map { UInt8($0) }).base64EncodedString())"]
            routes:
              - path: /api/
                upstream: http://127.0.0.1:1/
              - path: /open/
                upstream: http://127.0.0.1:1/
                token: optional
              - path: /get-only/
                upstream: http://127.0.0.1:1/
                token: none
                methods: [GET]
            \(extraYAML)
            """
        let configuration = try ConfigurationLoader(environment: [:]).load(yaml: yaml)
        let provider = MemoryProvider()
        var logger = Logger(label: "unit")
        logger.logLevel = .critical
        let server = try buildApplication(configuration: configuration, sessions: .memory(), logger: logger, transport: provider)
        guard await server.provider.refresh() else { throw UnitError("the in-memory provider's metadata did not load") }
        do {
            try await server.publicApplication.test(.router) { client in
                try await body(UnitApplication(provider: provider, client: client, server: server))
            }
        } catch {
            try? await server.httpClient.shutdown()
            throw error
        }
        try await server.httpClient.shutdown()
    }

    /// A request; `cookies` is sent as one `Cookie` header.
    func send(_ method: HTTPRequest.Method, _ uri: String, csrf: Bool = false, cookies: [String: String] = [:]) async throws -> TestResponse {
        var headers = HTTPFields()
        if csrf { headers[HTTPField.Name("X-CSRF")!] = "1" }
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        return try await client.execute(uri: uri, method: method, headers: headers, body: nil)
    }

    /// `/bff/login` then `/bff/callback` with the code the provider issued; returns the session cookie.
    func login() async throws -> String {
        let login = try await send(.get, "/bff/login?returnUrl=/after")
        guard login.status == .found, let location = login.headers[.location], let query = URLComponents(string: location)?.queryItems,
            let state = query.first(where: { $0.name == "state" })?.value, let nonce = query.first(where: { $0.name == "nonce" })?.value,
            let binding = Self.cookie("gatehouse-login", in: login)
        else { throw UnitError("login answered \(login.status)") }
        provider.issueCode("code-\(state.prefix(8))", nonce: nonce)
        let callback = try await send(
            .get, "/bff/callback?code=code-\(state.prefix(8))&state=\(state)&iss=\(MemoryProvider.issuer.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
            cookies: [server.configuration.loginCookieName: binding]
        )
        guard callback.status == .found, let session = Self.cookie(server.configuration.session.cookieName, in: callback) else {
            throw UnitError("callback answered \(callback.status): \(String(buffer: callback.body))")
        }
        return session
    }

    var sessionCookieName: String { server.configuration.session.cookieName }

    /// A cookie's value from the response's `Set-Cookie` headers (the name may carry a `__Host-` prefix).
    static func cookie(_ name: String, in response: TestResponse) -> String? {
        for line in response.headers[values: .setCookie] {
            let pair = line.split(separator: ";").first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].hasSuffix(name) { return String(parts[1]) }
        }
        return nil
    }
}

struct UnitError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
