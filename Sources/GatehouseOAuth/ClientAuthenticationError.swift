/// Why client authentication could not be prepared.
package struct ClientAuthenticationError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case unreadablePrivateKey
        case signingFailed
    }

    private let code: Code

    /// The private key PEM is neither an RSA (≥ 2048 bits) nor a P-256 key.
    package static let unreadablePrivateKey = Self(code: .unreadablePrivateKey)
    /// Signing the client assertion failed.
    package static let signingFailed = Self(code: .signingFailed)

    /// What went wrong and what to check.
    package var description: String {
        switch self.code {
        case .unreadablePrivateKey:
            "oidc.private_key_file does not hold an RSA (2048 bits or more) or EC P-256 private key in PEM form"
        case .signingFailed:
            "could not sign the private_key_jwt client assertion with oidc.private_key_file"
        }
    }
}
