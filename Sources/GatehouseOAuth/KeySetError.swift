/// Why a JWKS document was rejected.
package struct KeySetError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case html
        case notJSON
        case invalidField
        case noUsableKeys
    }

    private let code: Code
    private let detail: String

    private init(_ code: Code, _ detail: String = "") {
        self.code = code
        self.detail = detail
    }

    /// The provider answered with HTML, not JSON.
    package static let html = Self(.html)
    /// The answer is not JSON.
    package static let notJSON = Self(.notJSON)
    /// A field is missing or has the wrong type.
    package static let invalidField = Self(.invalidField)
    /// No key in the set can verify signatures with an allowed algorithm.
    package static let noUsableKeys = Self(.noUsableKeys)

    init(problem: JSONBody.Problem) {
        switch problem {
        case .html: self = .html
        case .notJSON: self = .notJSON
        case .invalidField(let path): self = Self(.invalidField, path)
        }
    }

    /// Errors compare by kind only.
    package static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    package func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    /// What went wrong and what to check.
    package var description: String {
        switch self.code {
        case .html: "JWKS fetch failed: the provider answered with HTML, not JSON; check jwks_uri"
        case .notJSON: "JWKS fetch failed: the answer is not JSON"
        case .invalidField: "JWKS fetch failed: field \"\(self.detail)\" is missing or has the wrong type"
        case .noUsableKeys:
            "JWKS has no usable signing key (RSA of 2048 bits or more, or EC P-256/384/521, with an allowed algorithm)"
        }
    }
}
