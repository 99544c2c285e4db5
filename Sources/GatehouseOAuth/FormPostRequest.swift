package import Foundation

/// A form POST to a provider endpoint, built here and sent by the HTTP layer as is.
///
/// Its `description` names the endpoint only: headers and body carry credentials and tokens.
package struct FormPostRequest: Sendable, CustomStringConvertible {
    /// Always `POST`.
    package let method: String = "POST"
    /// The endpoint.
    package let url: URL
    /// Headers to send, in order; includes `Content-Type` and, for `client_secret_basic`, `Authorization`.
    package let headers: [(name: String, value: String)]
    /// The `application/x-www-form-urlencoded` body.
    package let body: [UInt8]

    /// Creates a request from form parameters.
    init(url: URL, parameters: [(String, String)], extraHeaders: [(name: String, value: String)] = []) {
        self.url = url
        self.headers =
            [
                (name: "Content-Type", value: "application/x-www-form-urlencoded"),
                (name: "Accept", value: "application/json"),
            ] + extraHeaders
        self.body = Array(FormURLEncoding.encode(parameters).utf8)
    }

    /// The form parameters decoded back from ``body`` (for tests and diagnostics; values are secret).
    package var formParameters: [String: String] {
        let pairs = FormURLEncoding.decode(String(decoding: self.body, as: UTF8.self)) ?? []
        return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }

    /// The same request with one more header (a `DPoP` proof, made per attempt).
    package func adding(header name: String, value: String) -> FormPostRequest {
        FormPostRequest(url: url, headers: headers + [(name: name, value: value)], body: body)
    }

    private init(url: URL, headers: [(name: String, value: String)], body: [UInt8]) {
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The value of the first header named `name`, compared case-insensitively.
    package func header(_ name: String) -> String? {
        self.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// `POST <url>`; never headers or body.
    package var description: String { "POST \(self.url.absoluteString)" }
}
