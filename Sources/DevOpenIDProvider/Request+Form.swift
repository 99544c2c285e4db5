import HTTPTypes
import Hummingbird

extension Request {
    /// The form body (bounded: a provider never needs a large one).
    func formParameters() async throws -> FormParameters {
        let buffer = try await body.collect(upTo: 64 * 1024)
        return FormParameters(String(buffer: buffer))
    }

    /// The query string's parameters.
    var queryParameters: FormParameters { FormParameters(uri.query) }

    /// The raw `Authorization` header.
    var authorizationHeader: String? { headers[.authorization] }

    /// The `DPoP` proof header (RFC 9449 §4.1).
    var dpopProof: String? { headers[.dpop] }
}

extension HTTPField.Name {
    /// RFC 9449 §4.1.
    static let dpop = Self("DPoP")!
    /// RFC 9449 §8.
    static let dpopNonce = Self("DPoP-Nonce")!
}
