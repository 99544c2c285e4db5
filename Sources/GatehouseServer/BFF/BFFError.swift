import Foundation
import GatehouseOAuth
import GatehouseSessions
package import Hummingbird

/// The one error map: every failure a user, a provider, the store, an upstream or a policy can
/// cause, as the status, machine-readable code and secret-free message of the public error JSON
/// (or a small page for a browser navigation). A struct over a private code enum, like
/// AsyncHTTPClient's `HTTPClientError`: callers use the static members, nobody builds one from
/// ad-hoc strings, and ``mapping(_:)`` turns lower layers' errors into one of them.
package struct BFFError: HTTPResponseError, CustomStringConvertible {
    private enum Code: String {
        case notSignedIn = "not_signed_in"
        case csrfHeaderMissing = "csrf_header_missing"
        case notFound = "not_found"
        case sessionNotFound = "session_not_found"
        case adminUnauthorized = "admin_unauthorized"
        case methodNotAllowed = "method_not_allowed"
        case invalidRequest = "invalid_request"
        case invalidState = "invalid_state"
        case loginFailed = "login_failed"
        case requestTimeout = "request_timeout"
        case storeUnavailable = "session_store_unavailable"
        case providerNotReady = "provider_not_ready"
        case providerTimeout = "provider_timeout"
        case providerFailed = "provider_error"
        case refreshTimeout = "refresh_timeout"
        case upstreamTimeout = "upstream_timeout"
        case upstreamUnreachable = "upstream_unreachable"
        case internalError = "internal_error"
        case insufficientClaims = "insufficient_claims"
        case stepUpRequired = "step_up_required"
        case tokenExchangeFailed = "token_exchange_failed"
    }

    private let kind: Code
    package let status: HTTPResponse.Status
    /// For people; never holds a token, code, cookie value or secret.
    package let message: String
    /// Where a step-up login starts (`step_up_required` only): a local `/bff/login?…` URL.
    package let loginURL: String?

    private init(_ kind: Code, _ status: HTTPResponse.Status, _ message: String, loginURL: String? = nil) {
        self.kind = kind
        self.status = status
        self.message = message
        self.loginURL = loginURL
    }

    /// Machine-readable: `not_signed_in`, `csrf_header_missing`, `invalid_state`, …
    package var code: String { kind.rawValue }
    package var description: String { "\(status.code) \(code): \(message)" }

    package static let notSignedIn = Self(.notSignedIn, .unauthorized, "No valid session. Sign in at /bff/login.")
    package static func csrfHeaderMissing(_ header: String) -> Self { Self(.csrfHeaderMissing, .forbidden, "This call needs the header \(header): 1.") }
    package static let notFound = Self(.notFound, .notFound, "There is no such endpoint.")
    package static let sessionNotFound = Self(.sessionNotFound, .notFound, "There is no such session of this user.")
    package static let adminUnauthorized = Self(.adminUnauthorized, .unauthorized, "The admin API needs Authorization: Bearer with admin.token.")
    package static func methodNotAllowed(_ method: String) -> Self { Self(.methodNotAllowed, .methodNotAllowed, "\(method) is not allowed on this route.") }
    package static func invalidRequest(_ message: String) -> Self { Self(.invalidRequest, .badRequest, message) }
    package static let invalidState = Self(.invalidState, .badRequest, "This sign-in link is unknown, expired or already used. Start again from the app.")
    package static let otherBrowser = Self(.invalidState, .badRequest, "This sign-in was started in another browser. Start again from this one.")
    package static func loginFailed(_ reason: String) -> Self { Self(.loginFailed, .badRequest, "Sign-in failed: \(reason). Start again from the app.") }
    package static let bodyTimeout = Self(.requestTimeout, .requestTimeout, "The request body did not arrive in time.")
    package static let storeUnavailable = Self(.storeUnavailable, .serviceUnavailable, "The session store is unavailable; try again shortly.")
    package static let providerNotReady = Self(.providerNotReady, .serviceUnavailable, "The identity provider's metadata is not loaded yet; try again shortly.")
    package static let providerTimeout = Self(.providerTimeout, .gatewayTimeout, "The identity provider did not answer in time.")
    package static let providerFailed = Self(.providerFailed, .badGateway, "The identity provider gave an unusable answer.")
    /// The provider refused the pushed authorization request: a registration or configuration
    /// problem between Gatehouse and the provider, which the user cannot fix by trying again.
    static func pushRefused(_ error: OAuthErrorCode) -> Self {
        Self(.providerFailed, .badGateway, "The identity provider refused the sign-in request (\(error.rawValue)); its client registration for Gatehouse needs a look.")
    }
    package static let refreshWaitTimeout = Self(
        .refreshTimeout, .gatewayTimeout, "Another replica's token refresh for this session did not finish in time; try again shortly."
    )
    package static let upstreamTimeout = Self(.upstreamTimeout, .gatewayTimeout, "The API did not answer in time.")
    package static let upstreamUnreachable = Self(.upstreamUnreachable, .badGateway, "The API could not be reached.")
    /// A `claims` or `scopes` rule failed; `rule` is the key (`claims.groups`), never the user's values.
    package static func insufficientClaims(rule: String) -> Self {
        Self(.insufficientClaims, .forbidden, "This route requires \(rule), which this session does not have.")
    }
    /// An `acr` or `max_age` rule failed: signing in again at `loginURL` can satisfy it.
    package static func stepUpRequired(rule: String, loginURL: String) -> Self {
        Self(.stepUpRequired, .unauthorized, "This route requires a more recent or stronger sign-in (\(rule)).", loginURL: loginURL)
    }
    package static let tokenExchangeFailed = Self(.tokenExchangeFailed, .forbidden, "The identity provider refused a token for this route's audience.")
    package static let internalError = Self(.internalError, .internalServerError, "Gatehouse failed to handle this request.")

    /// The public answer for a failure below the HTTP layer, decided here so `/bff/*`, the proxy
    /// and WebSocket upgrades give the same status for the same state; `nil` for errors that are
    /// not the store's, the provider's or the refresh's (a bug: answered as ``internalError``).
    static func mapping(_ error: any Error) -> BFFError? {
        switch error {
        case let error as BFFError: error
        case is SessionStoreError: .storeUnavailable
        case let error as ProviderError:
            if error.isNotReady { .providerNotReady } else if error.isTimeout { .providerTimeout } else { .providerFailed }
        case is RefreshWaitTimeout: .refreshWaitTimeout
        default: nil
        }
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.cacheControl: "no-store", .init("X-Content-Type-Options")!: "nosniff"]
        if Self.isNavigation(request) {
            headers[.contentType] = "text/html; charset=utf-8"
            headers[.contentSecurityPolicy] = "default-src 'none'; frame-ancestors 'none'"
            let page = """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Gatehouse: \(status.code)</title></head>
                <body><h1>\(Self.escape(status.reasonPhrase))</h1><p>\(Self.escape(message))</p>\(loginURL.map { "<p><a href=\"\(Self.escape($0))\">Sign in again</a></p>" } ?? "")<p><a href="/">Back to the app</a></p></body></html>
                """
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
        }
        headers[.contentType] = "application/json"
        var body = "{\"error\":\"\(Self.jsonEscape(code))\",\"message\":\"\(Self.jsonEscape(message))\""
        if let loginURL { body += ",\"login_url\":\"\(Self.jsonEscape(loginURL))\"" }
        body += "}"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// A top-level browser navigation (as opposed to `fetch`/XHR).
    static func isNavigation(_ request: Request) -> Bool {
        if let mode = request.headers[.init("Sec-Fetch-Mode")!] { return mode == "navigate" }
        return request.method == .get && (request.headers[.accept]?.contains("text/html") ?? false)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static func jsonEscape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
