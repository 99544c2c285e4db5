/// The CSRF defence (`csrf`): state-changing and API calls must carry this header with value `1`.
package struct CSRFSettings: Sendable, Hashable {
    /// The header's name (`csrf.header`).
    package var header = Self.defaultHeader

    /// Default for `csrf.header`.
    package static let defaultHeader = "X-CSRF"

    /// Header names the defence cannot use. It works because a cross-site page cannot send
    /// a custom header without a CORS preflight, so CORS-safelisted headers would defeat it;
    /// headers scripts may not set (Fetch "forbidden" names) could never be sent by the SPA;
    /// `Authorization` is replaced by the proxy.
    static let unusableHeaders: Set<String> = [
        "accept", "accept-language", "content-language", "content-type", "range",
        "accept-charset", "accept-encoding", "access-control-request-headers", "access-control-request-method",
        "connection", "content-length", "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive",
        "origin", "referer", "te", "trailer", "transfer-encoding", "upgrade", "via", "authorization",
    ]
}

extension CSRFSettings {
    /// Reads `csrf`; the header keeps its default when not given.
    init(_ section: ConfigSection) {
        self.init()
        guard let node = section.node("header"), let header = section.requiredString("header") else { return }
        let lowercased = header.lowercased()
        if !header.allSatisfy(\.isHTTPTokenCharacter) {
            section.report("header", "\"\(header)\" is not a header name (letters, digits and -_. only)", node: node)
        } else if Self.unusableHeaders.contains(lowercased) || lowercased.hasPrefix("sec-") || lowercased.hasPrefix("proxy-") {
            section.report("header", "\(header) cannot carry the CSRF check; use a custom name such as \(Self.defaultHeader)", node: node)
        } else {
            self.header = header
        }
    }
}
