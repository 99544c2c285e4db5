import Crypto
package import Foundation

/// A session's DPoP key (RFC 9449): an ES256 (P-256) key pair made at login, sealed in the
/// session record, that signs a proof for every request presenting the session's tokens, so a
/// stolen access or refresh token is useless without it.
///
/// `description` names the thumbprint only: the private key is never printed or logged.
package struct DPoPKey: Sendable, CustomStringConvertible {
    private let key: P256.Signing.PrivateKey
    /// The proof's protected header, base64url-encoded: the same for every proof of this key, so
    /// it is made once (each proof then encodes only its claims and signs).
    private let encodedHeader: String

    /// A new key from the system's secure random source.
    package init() {
        self.init(key: P256.Signing.PrivateKey())
    }

    /// The key as sealed in a session record (``rawRepresentation``).
    package init(rawRepresentation: [UInt8]) throws(DPoPKeyError) {
        do {
            self.init(key: try P256.Signing.PrivateKey(rawRepresentation: rawRepresentation))
        } catch {
            throw DPoPKeyError.unreadableKey
        }
    }

    private init(key: P256.Signing.PrivateKey) {
        self.key = key
        let jwk = Self.publicJWK(of: key)
        // Members in sorted order; every value is base64url or a fixed name, so nothing needs escaping.
        let header = #"{"alg":"ES256","jwk":{"crv":"P-256","kty":"EC","x":"\#(jwk["x"]!)","y":"\#(jwk["y"]!)"},"typ":"dpop+jwt"}"#
        self.encodedHeader = Base64URL.encode(Array(header.utf8))
    }

    /// The private scalar, 32 bytes: only ever stored inside the encrypted session record.
    package var rawRepresentation: [UInt8] { Array(key.rawRepresentation) }

    /// The public key as the proof's `jwk` header carries it.
    package var publicJWK: [String: String] { Self.publicJWK(of: key) }

    private static func publicJWK(of key: P256.Signing.PrivateKey) -> [String: String] {
        let point = key.publicKey.rawRepresentation // x || y, 32 bytes each
        return ["kty": "EC", "crv": "P-256", "x": Base64URL.encode(point.prefix(32)), "y": Base64URL.encode(point.suffix(32))]
    }

    /// The RFC 7638 JWK SHA-256 thumbprint: what a provider binds tokens to (`cnf.jkt`, `dpop_jkt`).
    package var thumbprint: String {
        let jwk = publicJWK
        // The required members in lexicographic order, no whitespace (RFC 7638 §3.2).
        let canonical = #"{"crv":"\#(jwk["crv"]!)","kty":"\#(jwk["kty"]!)","x":"\#(jwk["x"]!)","y":"\#(jwk["y"]!)"}"#
        return Base64URL.encode(SHA256.hash(data: Array(canonical.utf8)))
    }

    package var description: String { "DPoPKey(ES256, jkt: \(thumbprint))" }

    /// A proof for one request (RFC 9449 §4.2): `htm` and `htu` name it, `iat` dates it, a random
    /// `jti` makes it single use, `ath` ties it to the access token it accompanies, and `nonce`
    /// echoes a server's `DPoP-Nonce`.
    ///
    /// - Parameters:
    ///   - method: the HTTP method, as sent.
    ///   - url: the request's URL; query and fragment are left out of `htu`.
    ///   - accessToken: the token sent with the request, for `ath`; `nil` at the token endpoint.
    package func proof(method: String, url: URL, accessToken: AccessToken? = nil, nonce: String? = nil, now: Date, random: some RandomSource) throws(DPoPKeyError) -> String {
        // Written by hand rather than with JSONEncoder, which cost more than the signature: the
        // members are few and fixed, strings are escaped, the number is an integer.
        var claims = #"{"htm":"# + Self.jsonString(method) + #","htu":"# + Self.jsonString(Self.targetURI(url))
        claims += #","iat":"# + String(Int64(now.timeIntervalSince1970))
        claims += #","jti":"# + Self.jsonString(random.base64URLToken(byteCount: 16))
        if let accessToken { claims += #","ath":"# + Self.jsonString(Self.accessTokenHash(accessToken)) }
        if let nonce { claims += #","nonce":"# + Self.jsonString(nonce) }
        claims += "}"
        let signingInput = encodedHeader + "." + Base64URL.encode(Array(claims.utf8))
        do {
            // JWS wants the fixed-size r||s form, not DER (RFC 7518 §3.4).
            let signature = try key.signature(for: Array(signingInput.utf8)).rawRepresentation
            return signingInput + "." + Base64URL.encode(signature)
        } catch {
            throw DPoPKeyError.signingFailed
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259 §7).
    static func jsonString(_ text: String) -> String {
        // The common case (base64url, URLs, methods): nothing to escape.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) { return "\"" + text + "\"" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `htu`: scheme, host, port and path of the target, without query or fragment (RFC 9449 §4.2).
    package static func targetURI(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url.absoluteString }
        components.query = nil
        components.fragment = nil
        components.scheme = components.scheme?.lowercased()
        components.host = components.host?.lowercased()
        if components.path.isEmpty { components.path = "/" }
        return components.string ?? url.absoluteString
    }

    /// `ath`: base64url of the SHA-256 of the access token's ASCII text (RFC 9449 §4.2).
    package static func accessTokenHash(_ token: AccessToken) -> String {
        Base64URL.encode(SHA256.hash(data: Array(token.value.utf8)))
    }
}

/// A DPoP key could not be read or could not sign.
package enum DPoPKeyError: Error, Hashable, Sendable {
    /// The sealed bytes are not a P-256 private key.
    case unreadableKey
    /// Encoding or signing the proof failed.
    case signingFailed
}
