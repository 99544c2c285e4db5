import Foundation
public import Hummingbird

/// An error a user or client can cause, with an actionable, secret-free message.
/// XHR callers get JSON; a browser navigating (login, callback) gets a small page.
public struct BFFError: HTTPResponseError, CustomStringConvertible {
    public let status: HTTPResponse.Status
    /// Machine-readable: `not_signed_in`, `csrf_header_missing`, `invalid_state`, …
    public let code: String
    /// For people; never holds a token, code, cookie value or secret.
    public let message: String

    public init(status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public static let notSignedIn = BFFError(status: .unauthorized, code: "not_signed_in", message: "No valid session. Sign in at /bff/login.")
    public static func csrfHeaderMissing(_ header: String) -> BFFError {
        BFFError(status: .forbidden, code: "csrf_header_missing", message: "This call needs the header \(header): 1.")
    }
    public static let notFound = BFFError(status: .notFound, code: "not_found", message: "There is no such endpoint.")
    public static let bodyTimeout = BFFError(status: .requestTimeout, code: "request_timeout", message: "The request body did not arrive in time.")
    public static let storeUnavailable = BFFError(status: .serviceUnavailable, code: "session_store_unavailable", message: "The session store is unavailable; try again shortly.")
    public static let providerNotReady = BFFError(status: .serviceUnavailable, code: "provider_not_ready", message: "The identity provider's metadata is not loaded yet; try again shortly.")
    public static let providerTimeout = BFFError(status: .gatewayTimeout, code: "provider_timeout", message: "The identity provider did not answer in time.")
    public static let providerFailed = BFFError(status: .badGateway, code: "provider_error", message: "The identity provider gave an unusable answer.")
    public static let invalidState = BFFError(status: .badRequest, code: "invalid_state", message: "This sign-in link is unknown, expired or already used. Start again from the app.")
    public static let otherBrowser = BFFError(status: .badRequest, code: "invalid_state", message: "This sign-in was started in another browser. Start again from this one.")
    public static func loginFailed(_ reason: String) -> BFFError {
        BFFError(status: .badRequest, code: "login_failed", message: "Sign-in failed: \(reason). Start again from the app.")
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.cacheControl: "no-store", .init("X-Content-Type-Options")!: "nosniff"]
        if Self.isNavigation(request) {
            headers[.contentType] = "text/html; charset=utf-8"
            headers[.contentSecurityPolicy] = "default-src 'none'; frame-ancestors 'none'"
            let page = """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Gatehouse: \(status.code)</title></head>
                <body><h1>\(Self.escape(status.reasonPhrase))</h1><p>\(Self.escape(message))</p><p><a href="/">Back to the app</a></p></body></html>
                """
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
        }
        headers[.contentType] = "application/json"
        let body = "{\"error\":\"\(Self.jsonEscape(code))\",\"message\":\"\(Self.jsonEscape(message))\"}"
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
