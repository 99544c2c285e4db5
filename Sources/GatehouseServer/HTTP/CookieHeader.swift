/// Finding one cookie in the request's `Cookie` headers.
///
/// A sibling subdomain (or, over plain http, any page of the same host) can set a second cookie
/// of the same name; browsers then send both, in an order the attacker can influence. So a name
/// that occurs more than once is ambiguous, and the caller treats it as absent — never as
/// "whichever came first" (cookie tossing). Pure, for the fuzzer and the unit tests.
enum CookieHeader {
    enum Lookup: Equatable, Sendable {
        case absent
        case value(String)
        case ambiguous

        /// The value when there is exactly one.
        var single: String? {
            if case .value(let value) = self { return value }
            return nil
        }
    }

    /// Looks `name` up in every `Cookie` header value, without building a dictionary of all
    /// cookies (every proxied request needs only the session cookie).
    static func lookup(_ name: String, in headers: some Sequence<String>) -> Lookup {
        var found: Lookup = .absent
        for header in headers {
            for pair in header.utf8.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: true) {
                var trimmed = pair.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                guard let equals = trimmed.firstIndex(of: UInt8(ascii: "=")) else { continue }
                guard trimmed[..<equals].elementsEqual(name.utf8) else { continue }
                trimmed = trimmed[trimmed.index(after: equals)...]
                while let last = trimmed.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { trimmed = trimmed.dropLast() }
                guard case .absent = found else { return .ambiguous }
                found = .value(String(decoding: trimmed, as: UTF8.self))
            }
        }
        return found
    }
}
