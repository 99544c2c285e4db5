import Foundation

/// Decodes a provider's JSON answer and names what is wrong with it when it is not JSON.
///
/// Providers behind misconfigured proxies answer with login pages or error pages; telling the
/// operator "HTML, not JSON" saves a debugging session. Problems never quote body content,
/// because the body may hold tokens.
package enum JSONBody {
    /// Why a body could not be decoded.
    package enum Problem: Error, Hashable {
        /// The body looks like HTML.
        case html
        /// The body is empty or not JSON at all.
        case notJSON
        /// The body is JSON but a field is missing or of the wrong type (the field path).
        case invalidField(String)
    }

    /// Decodes `type` from `body`.
    package static func decode<T: Decodable>(_ type: T.Type, from body: some Collection<UInt8>) throws(Problem) -> T {
        let bytes = Array(body)
        guard let first = bytes.first(where: { !isWhitespace($0) }) else { throw .notJSON }
        if first == UInt8(ascii: "<") { throw .html }
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { throw .notJSON }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw classify(error)
        } catch {
            throw .notJSON
        }
    }

    private static func classify(_ error: DecodingError) -> Problem {
        switch error {
        case .keyNotFound(let key, let context):
            return .invalidField(path(context.codingPath + [key]))
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return .invalidField(path(context.codingPath))
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? .notJSON : .invalidField(path(context.codingPath))
        @unknown default:
            return .notJSON
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0xEF || byte == 0xBB || byte == 0xBF
    }
}
