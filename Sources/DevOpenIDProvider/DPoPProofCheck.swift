import Crypto
package import Foundation

/// A DPoP proof checked as RFC 9449 §4.3 says, for the token endpoint, userinfo and the demo API:
/// the `dpop+jwt` header with a public JWK that verifies the signature, the request's method and
/// URL, a recent `iat`, a `jti` not seen before, `ath` for a presented token, and the server's
/// nonce when it asked for one. The result is the key's RFC 7638 thumbprint (`jkt`).
package struct DPoPProofCheck: Sendable {
    /// What the proof must name.
    package var method: String
    /// The request's URL; compared without query or fragment.
    package var url: String
    /// The access token presented with the proof, whose hash `ath` must be.
    package var accessToken: String?
    /// The `DPoP-Nonce` the server asks to be echoed, if any.
    package var nonce: String?
    /// How far `iat` may be from now.
    package var window: TimeInterval = 60

    /// Why a proof is refused; the message never holds the proof or the token.
    package enum Refusal: Error, Equatable {
        /// Malformed, wrong header, bad signature, wrong method or URL, stale, replayed, wrong `ath`.
        case invalid(String)
        /// The nonce is missing or old: answer `use_dpop_nonce` with a fresh one.
        case nonceRequired
    }

    package init(method: String, url: String, accessToken: String? = nil, nonce: String? = nil, window: TimeInterval = 60) {
        self.method = method
        self.url = url
        self.accessToken = accessToken
        self.nonce = nonce
        self.window = window
    }

    private struct Header: Decodable {
        var typ: String?
        var alg: String
        var jwk: JWK?
    }

    private struct JWK: Codable {
        var kty: String
        var crv: String?
        var x: String?
        var y: String?
        var n: String?
        var e: String?
        var d: String?
    }

    private struct Claims: Decodable {
        var jti: String?
        var htm: String?
        var htu: String?
        var iat: Double?
        var ath: String?
        var nonce: String?
    }

    /// Checks `proof`; records its `jti` in `seen` (with its expiry) so it cannot be used twice.
    package func verify(_ proof: String, now: Date, seen: inout [String: Date]) throws(Refusal) -> String {
        let parts = proof.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Base64URL.decode(parts[0]), let header = try? JSONDecoder().decode(Header.self, from: headerData),
            let jws = CompactJWS(proof), let claims = jws.claims(as: Claims.self)
        else { throw .invalid("The DPoP proof is not a JWS.") }
        guard header.typ == "dpop+jwt" else { throw .invalid("The DPoP proof's typ is not dpop+jwt.") }
        guard let jwk = header.jwk, jwk.d == nil else { throw .invalid("The DPoP proof must carry a public JWK (and no private key).") }
        guard let jwkJSON = try? JSONEncoder().encode(jwk), let key = ClientPublicKey(jwkJSON: String(decoding: jwkJSON, as: UTF8.self)),
            header.alg == key.algorithm, key.verifies(jws)
        else { throw .invalid("The DPoP proof's signature does not verify with its JWK.") }
        guard claims.htm == method else { throw .invalid("The DPoP proof is for another method.") }
        guard let htu = claims.htu, Self.normalized(htu) == Self.normalized(url) else { throw .invalid("The DPoP proof is for another URL.") }
        guard let iat = claims.iat, abs(iat - now.timeIntervalSince1970) <= window else { throw .invalid("The DPoP proof is too old or from the future.") }
        guard let jti = claims.jti, !jti.isEmpty else { throw .invalid("The DPoP proof has no jti.") }
        if let until = seen[jti], until > now { throw .invalid("The DPoP proof was already used.") }
        if let accessToken {
            guard claims.ath == Base64URL.encode(SHA256.hash(data: Data(accessToken.utf8))) else {
                throw .invalid("The DPoP proof's ath does not match the access token.")
            }
        }
        if let nonce, claims.nonce != nonce { throw .nonceRequired }
        seen[jti] = now.addingTimeInterval(window * 2)
        return Self.thumbprint(jwk)
    }

    /// RFC 7638: SHA-256 over the key's required members, sorted, without whitespace.
    private static func thumbprint(_ jwk: JWK) -> String {
        let canonical =
            jwk.kty == "EC"
            ? #"{"crv":"\#(jwk.crv ?? "")","kty":"EC","x":"\#(jwk.x ?? "")","y":"\#(jwk.y ?? "")"}"#
            : #"{"e":"\#(jwk.e ?? "")","kty":"\#(jwk.kty)","n":"\#(jwk.n ?? "")"}"#
        return Base64URL.encode(SHA256.hash(data: Data(canonical.utf8)))
    }

    /// Scheme and host lower-cased, no query or fragment, `/` for an empty path.
    static func normalized(_ text: String) -> String {
        guard var components = URLComponents(string: text) else { return text }
        components.query = nil
        components.fragment = nil
        components.scheme = components.scheme?.lowercased()
        components.host = components.host?.lowercased()
        if components.path.isEmpty { components.path = "/" }
        return components.string ?? text
    }
}
