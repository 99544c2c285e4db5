import Foundation

/// A compact JWS split into its parts, not yet verified.
struct CompactJWS: Sendable {
    let header: JOSEHeader
    let payload: Data
    let signature: Data
    /// `base64url(header) + "." + base64url(payload)`, the bytes the signature covers.
    let signingInput: Substring

    init?(_ token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            let headerData = Base64URL.decode(parts[0]),
            let header = try? JSONDecoder().decode(JOSEHeader.self, from: headerData),
            let payload = Base64URL.decode(parts[1]),
            let signature = Base64URL.decode(parts[2])
        else { return nil }
        self.header = header
        self.payload = payload
        self.signature = signature
        self.signingInput = token[token.startIndex..<parts[1].endIndex]
    }

    /// The payload decoded as `type`, or `nil` when it is not that JSON.
    func claims<T: Decodable>(as type: T.Type) -> T? {
        try? JSONDecoder().decode(type, from: payload)
    }
}
