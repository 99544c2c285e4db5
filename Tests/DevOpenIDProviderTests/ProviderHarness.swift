import AsyncHTTPClient
import DevOpenIDProvider
import Foundation
import Hummingbird
import Logging
import NIOHTTP1

/// A provider running on 127.0.0.1:0 with an HTTP client that does not follow redirects.
struct ProviderHarness: Sendable {
    static let clientID = "test-client"
    /// Every character RFC 6749 §2.3.1's form-encoding step exists for.
    static let clientSecret = "s3cr:t+with%20 space&="
    static let redirectURI = "http://127.0.0.1:1/callback"
    static let postLogoutRedirectURI = "http://127.0.0.1:1/signed-out"

    static let testClient = DevOpenIDProvider.Client(
        id: clientID,
        secret: clientSecret,
        redirectURIs: [redirectURI],
        postLogoutRedirectURIs: [postLogoutRedirectURI]
    )

    let provider: DevOpenIDProvider
    let issuer: String
    let http: HTTPClient

    /// Starts a provider, runs `body` against it, then shuts both server and client down.
    static func run<T: Sendable>(
        clients: [DevOpenIDProvider.Client] = [testClient],
        configure: (inout DevOpenIDProvider.Configuration) -> Void = { _ in },
        _ body: (ProviderHarness) async throws -> T
    ) async throws -> T {
        var providerConfiguration = DevOpenIDProvider.Configuration(clients: clients)
        configure(&providerConfiguration)
        let provider = try DevOpenIDProvider(configuration: providerConfiguration)
        let (ready, continuation) = AsyncStream<String>.makeStream()
        var logger = Logger(label: "test-provider")
        logger.logLevel = .warning
        let application = provider.makeApplication(host: "127.0.0.1", port: 0, logger: logger) { issuer in
            continuation.yield(issuer)
        }
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        do {
            let result = try await ServerRunner.withRunning(application, ready: ready, readyContinuation: continuation) { issuer in
                try await body(ProviderHarness(provider: provider, issuer: issuer, http: http))
            }
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    // MARK: HTTP

    func get(_ pathOrURL: String, headers: [(String, String)] = []) async throws -> TestResponse {
        try await send(pathOrURL, method: .GET, headers: headers, body: nil)
    }

    func postForm(_ path: String, _ parameters: [(String, String)], headers: [(String, String)] = []) async throws -> TestResponse {
        try await send(
            path,
            method: .POST,
            headers: headers + [("Content-Type", "application/x-www-form-urlencoded")],
            body: Self.formEncode(parameters)
        )
    }

    func postJSON(_ path: String, _ json: String) async throws -> TestResponse {
        try await send(path, method: .POST, headers: [("Content-Type", "application/json")], body: json)
    }

    func send(_ pathOrURL: String, method: HTTPMethod, headers: [(String, String)], body: String?) async throws -> TestResponse {
        var request = HTTPClientRequest(url: pathOrURL.hasPrefix("http") ? pathOrURL : issuer + pathOrURL)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await http.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 1 << 20)
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: String(buffer: buffer))
    }

    static func formEncode(_ parameters: [(String, String)]) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~ ")
        func encode(_ string: String) -> String {
            (string.addingPercentEncoding(withAllowedCharacters: allowed) ?? string).replacingOccurrences(of: " ", with: "+")
        }
        return parameters.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    // MARK: Flows

    /// The result of a completed authorization: what came back on the redirect.
    struct Authorization: Sendable {
        var code: String
        var state: String?
        var iss: String?
    }

    /// `GET /authorize` with a code + PKCE request.
    func authorizationPage(
        clientID: String = ProviderHarness.clientID,
        redirectURI: String = ProviderHarness.redirectURI,
        pkce: TestPKCE,
        state: String = "state-123",
        nonce: String? = "nonce-456",
        scope: String = "openid profile email offline_access",
        extra: [(String, String)] = []
    ) async throws -> TestResponse {
        var query: [(String, String)] = [
            ("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI), ("scope", scope),
            ("state", state), ("code_challenge", pkce.challenge), ("code_challenge_method", "S256"),
        ]
        if let nonce { query.append(("nonce", nonce)) }
        return try await get("/authorize?" + Self.formEncode(query + extra))
    }

    /// The hidden `request_id` of a login page.
    static func requestID(in page: TestResponse) -> String? {
        guard let range = page.body.range(of: #"name="request_id" value="([^"]+)""#, options: .regularExpression) else { return nil }
        return page.body[range].split(separator: "\"")[3].description
    }

    /// Logs in as the demo user and returns what the redirect carried.
    func authorize(
        clientID: String = ProviderHarness.clientID,
        pkce: TestPKCE,
        nonce: String? = "nonce-456",
        scope: String = "openid profile email offline_access"
    ) async throws -> Authorization {
        let page = try await authorizationPage(clientID: clientID, pkce: pkce, nonce: nonce, scope: scope)
        guard page.status == 200, let requestID = Self.requestID(in: page) else { throw HarnessError("no login page: \(page.status)") }
        let login = try await postForm(
            "/authorize",
            [("request_id", requestID), ("username", "demo"), ("password", "demo"), ("action", "login")]
        )
        guard login.status == 302, let code = login.locationQuery["code"] else { throw HarnessError("no code: \(login.status)") }
        return Authorization(code: code, state: login.locationQuery["state"], iss: login.locationQuery["iss"])
    }

    /// Basic credentials per RFC 6749 §2.3.1: form-encode, then base64.
    static func basicAuthorization(id: String, secret: String) -> (String, String) {
        let form = { (value: String) in formEncode([("", value)]).dropFirst() }
        let credentials = "\(form(id)):\(form(secret))"
        return ("Authorization", "Basic " + Data(credentials.utf8).base64EncodedString())
    }

    static var basicTestClient: (String, String) { basicAuthorization(id: clientID, secret: clientSecret) }

    /// Redeems a code with `client_secret_basic` for the test client.
    func redeem(_ code: String, verifier: String, redirectURI: String = ProviderHarness.redirectURI) async throws -> TestResponse {
        try await postForm(
            "/token",
            [("grant_type", "authorization_code"), ("code", code), ("code_verifier", verifier), ("redirect_uri", redirectURI)],
            headers: [Self.basicTestClient]
        )
    }

    /// A full login and code redemption; returns the token response.
    func logIn(nonce: String? = "nonce-456") async throws -> TestResponse {
        let pkce = TestPKCE()
        let authorization = try await authorize(pkce: pkce, nonce: nonce)
        return try await redeem(authorization.code, verifier: pkce.verifier)
    }

    func refresh(_ refreshToken: String) async throws -> TestResponse {
        try await postForm("/token", [("grant_type", "refresh_token"), ("refresh_token", refreshToken)], headers: [Self.basicTestClient])
    }
}
