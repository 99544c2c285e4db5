/// Why sealed session data could not be opened, or a key could not be used.
///
/// Callers treat every open failure as "no session"; none of them is a crash.
package struct SessionCipherError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case invalidKey
        case noKeys
        case truncated
        case unknownVersion
        case unknownKey
        case authenticationFailed
    }

    private let code: Code

    /// A key is not 32 bytes (or not valid base64).
    package static let invalidKey = Self(code: .invalidKey)
    /// The key ring is empty.
    package static let noKeys = Self(code: .noKeys)
    /// The data is shorter than a header, nonce and tag.
    package static let truncated = Self(code: .truncated)
    /// The format version is unknown.
    package static let unknownVersion = Self(code: .unknownVersion)
    /// No key in the ring has the key id in the header (a removed key, or another deployment's).
    package static let unknownKey = Self(code: .unknownKey)
    /// The data was tampered with, or was sealed for another store key.
    package static let authenticationFailed = Self(code: .authenticationFailed)

    /// What went wrong.
    package var description: String {
        switch self.code {
        case .invalidKey: "session encryption key must be 32 bytes, base64 encoded (see `gatehouse keygen`)"
        case .noKeys: "session.encryption_keys is empty"
        case .truncated: "sealed session data is truncated"
        case .unknownVersion: "sealed session data has an unknown format version"
        case .unknownKey: "sealed session data was encrypted with a key that is not in session.encryption_keys"
        case .authenticationFailed: "sealed session data failed authentication (tampered, or stored under another key)"
        }
    }
}
