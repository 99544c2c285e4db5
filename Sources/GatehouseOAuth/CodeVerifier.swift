import Crypto

/// A PKCE code verifier (RFC 7636): kept server-side, sent only in the token request.
package struct CodeVerifier: RedactedSecret {
    /// The verifier; 43 to 128 characters of `[A-Za-z0-9-._~]`.
    package let value: String

    /// Wraps an existing verifier (for example one read back from stored login state).
    package init(_ value: String) {
        self.value = value
    }

    /// Makes a fresh verifier from 256 random bits, base64url encoded (43 characters).
    package static func generate(using random: some RandomSource) -> CodeVerifier {
        CodeVerifier(random.base64URLToken(byteCount: 32))
    }

    /// Whether the verifier has the length and alphabet RFC 7636 §4.1 requires.
    package var isWellFormed: Bool {
        (43...128).contains(self.value.utf8.count)
            && self.value.utf8.allSatisfy { FormURLEncoding.isUnreserved($0) }
    }

    /// The S256 code challenge: `BASE64URL(SHA256(ASCII(verifier)))`.
    package var s256Challenge: String {
        Base64URL.encode(SHA256.hash(data: Array(self.value.utf8)))
    }
}
