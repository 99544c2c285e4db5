import Foundation

/// The local path to send the browser to after login (`returnUrl`), checked against open redirects.
package struct ReturnURL: Sendable, Hashable, CustomStringConvertible {
    /// A path on this origin, starting with a single `/`.
    package let path: String

    /// The fallback for anything that is not a plain local path.
    package static let root = ReturnURL(checked: "/")

    private init(checked path: String) {
        self.path = path
    }

    /// Accepts `candidate` only when it is a local path; anything else becomes `/`.
    ///
    /// Browsers treat `//host`, `/\host` and `\\host` as other origins and strip tabs and newlines
    /// before parsing, and a later decode can turn `/%2F%2Fhost` into `///host`, so the check
    /// runs on the raw text and again on its percent-decoded form.
    package init(sanitizing candidate: String?) {
        guard let candidate, Self.isLocalPath(candidate, allowingSpaces: false) else {
            self = .root
            return
        }
        // Decode repeatedly so double-encoding cannot smuggle `//` or `\` past the check.
        var decoded = candidate
        for _ in 0..<3 {
            guard let next = decoded.removingPercentEncoding else {
                self = .root
                return
            }
            guard Self.isLocalPath(next, allowingSpaces: true) else {
                self = .root
                return
            }
            if next == decoded { break }
            decoded = next
        }
        self.path = candidate
    }

    /// The path.
    package var description: String { self.path }

    // The raw text must be a clean URL path; its decoded forms may hold spaces (`%20`) but not
    // what browsers would read as another origin or a header break.
    /// The longest `returnUrl` kept (PRODUCT.md "Hostile input"): it is stored with every
    /// anonymous login, so it bounds what one `GET /bff/login` can cost the store.
    package static let maximumLength = 512

    private static func isLocalPath(_ text: String, allowingSpaces: Bool) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count <= Self.maximumLength, bytes.first == UInt8(ascii: "/") else { return false }
        if bytes.count > 1, bytes[1] == UInt8(ascii: "/") { return false }
        for byte in bytes {
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte == 0x7F { return false }
        }
        // Controls and line separators beyond ASCII (e.g. U+2028) are refused as well.
        return !text.unicodeScalars.contains { scalar in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator, .format: return true
            default: return !allowingSpaces && scalar.properties.isWhitespace
            }
        }
    }
}
