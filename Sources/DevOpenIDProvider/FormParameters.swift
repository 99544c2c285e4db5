import Foundation

/// Parameters of an `application/x-www-form-urlencoded` body or a query string.
///
/// Duplicates are remembered rather than merged because RFC 6749 §3.1 forbids a
/// parameter appearing twice, and the endpoints answer `invalid_request` then.
struct FormParameters: Sendable {
    private var values: [String: String] = [:]
    /// Names that appeared more than once.
    private(set) var duplicatedNames: Set<String> = []

    init(_ encoded: String?) {
        guard let encoded, !encoded.isEmpty else { return }
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? (Self.decode(parts[1]) ?? "") : ""
            if values[name] != nil { duplicatedNames.insert(name) }
            values[name] = value
        }
    }

    /// The value of `name`; an empty value counts as absent (RFC 6749 §3.1).
    subscript(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    /// A copy with `name` set to `value` (for a parameter that may come from elsewhere, like Basic credentials).
    func adding(_ name: String, _ value: String) -> FormParameters {
        var copy = self
        copy.values[name] = value
        return copy
    }

    /// Form decoding: `+` is a space, then percent-decoding.
    static func decode(_ component: some StringProtocol) -> String? {
        String(component).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// Form encoding of one name or value (everything but unreserved characters escaped, space as `+`).
    static func encode(_ value: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~ ")
        let escaped = value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
        return escaped.replacingOccurrences(of: " ", with: "+")
    }

    /// Encodes name/value pairs as a form body or query string.
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
}
