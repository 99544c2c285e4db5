package import AsyncHTTPClient
package import Foundation
import NIOCore
package import NIOHTTP1

/// A cookie-keeping HTTP client that behaves like a browser for the BFF flow:
/// it does not follow redirects by itself (tests look at each hop), keeps
/// cookies per host and port, and sends them back.
package final class TestBrowser: @unchecked Sendable {
    /// One answer, with the body read in full (tests only).
    package struct Page: Sendable {
        package let status: Int
        package let headers: HTTPHeaders
        package let body: String
        package let url: String
        package var location: String? { headers.first(name: "Location") }
        /// The `Set-Cookie` header lines.
        package var setCookies: [String] { headers["Set-Cookie"] }
    }

    package let http: HTTPClient
    private let lock = NSLock()
    /// host:port → name → value
    private var jar: [String: [String: String]] = [:]

    package init() {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    package func shutdown() async throws {
        try await http.shutdown()
    }

    /// The cookies held for `url`'s host and port.
    package func cookies(for url: String) -> [String: String] {
        lock.withLock { jar[Self.origin(url)] ?? [:] }
    }

    /// Sets or replaces a cookie by hand (to tamper with it, or to plant one).
    package func setCookie(_ name: String, _ value: String?, for url: String) {
        lock.withLock { jar[Self.origin(url), default: [:]][name] = value }
    }

    /// Forgets every cookie: another browser.
    package func clearCookies() {
        lock.withLock { jar = [:] }
    }

    package func get(_ url: String, headers: [(String, String)] = []) async throws -> Page {
        try await send(url, method: .GET, headers: headers, body: nil)
    }

    package func post(_ url: String, form: [(String, String)], headers: [(String, String)] = []) async throws -> Page {
        let body = form.map { "\(Self.formEscape($0.0))=\(Self.formEscape($0.1))" }.joined(separator: "&")
        return try await send(url, method: .POST, headers: headers + [("Content-Type", "application/x-www-form-urlencoded")], body: body)
    }

    package func send(_ url: String, method: HTTPMethod, headers: [(String, String)] = [], body: String? = nil) async throws -> Page {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let cookies = self.cookies(for: url)
        if !cookies.isEmpty, !headers.contains(where: { $0.0.lowercased() == "cookie" }) {
            request.headers.add(name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; "))
        }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await http.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 4 << 20)
        let page = Page(status: Int(response.status.code), headers: response.headers, body: String(buffer: buffer), url: url)
        store(page.setCookies, for: url)
        return page
    }

    /// Follows `Location` headers (relative ones against the current URL) up to `limit` hops.
    package func follow(_ page: Page, limit: Int = 10) async throws -> Page {
        var current = page
        for _ in 0..<limit {
            guard (300..<400).contains(current.status), let location = current.location else { return current }
            current = try await get(Self.resolve(location, against: current.url))
        }
        return current
    }

    package static func resolve(_ location: String, against base: String) -> String {
        if location.hasPrefix("http://") || location.hasPrefix("https://") { return location }
        guard let url = URL(string: location, relativeTo: URL(string: base)) else { return location }
        return url.absoluteString
    }

    private func store(_ lines: [String], for url: String) {
        let origin = Self.origin(url)
        lock.withLock {
            for line in lines {
                let attributes = line.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                guard let pair = attributes.first, let equals = pair.firstIndex(of: "=") else { continue }
                let name = String(pair[..<equals])
                let value = String(pair[pair.index(after: equals)...])
                let expired = attributes.contains { $0.lowercased() == "max-age=0" } || value.isEmpty
                if expired { jar[origin, default: [:]][name] = nil } else { jar[origin, default: [:]][name] = value }
            }
        }
    }

    private static func origin(_ url: String) -> String {
        guard let components = URLComponents(string: url) else { return url }
        return "\(components.host ?? ""):\(components.port ?? 80)"
    }

    static func formEscape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text).replacingOccurrences(of: "%20", with: "+")
    }
}
