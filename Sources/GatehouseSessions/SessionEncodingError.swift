/// Why stored bytes could not be decoded into a session record or login state.
package struct SessionEncodingError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case empty
        case unknownVersion
        case malformed
    }

    private let code: Code

    /// No bytes at all.
    package static let empty = Self(code: .empty)
    /// A format version this build does not know (written by a newer release?).
    package static let unknownVersion = Self(code: .unknownVersion)
    /// The bytes do not decode.
    package static let malformed = Self(code: .malformed)

    /// What went wrong.
    package var description: String {
        switch self.code {
        case .empty: "stored session data is empty"
        case .unknownVersion: "stored session data has an unknown format version"
        case .malformed: "stored session data does not decode"
        }
    }
}
