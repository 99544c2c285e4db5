extension DevOpenIDProvider {
    /// Ways to spoil the next ID token the provider issues, for relying-party rejection tests.
    package struct IDTokenOverrides: Sendable, Hashable, Codable {
        /// Sign with a key the JWKS does not hold, under the active key's `kid`.
        package var signsWithForeignKey: Bool
        /// Put this `nonce` in, whatever the authorization request said.
        package var nonce: String?
        /// Put this `iss` in.
        package var issuer: String?
        /// Put this `aud` in.
        package var audience: String?
        /// Issue it already expired (`exp` and `iat` an hour in the past).
        package var isExpired: Bool

        /// Creates overrides; the defaults change nothing.
        package init(
            signsWithForeignKey: Bool = false,
            nonce: String? = nil,
            issuer: String? = nil,
            audience: String? = nil,
            isExpired: Bool = false
        ) {
            self.signsWithForeignKey = signsWithForeignKey
            self.nonce = nonce
            self.issuer = issuer
            self.audience = audience
            self.isExpired = isExpired
        }

        enum CodingKeys: String, CodingKey {
            case signsWithForeignKey = "foreign_key"
            case nonce, issuer, audience
            case isExpired = "expired"
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                signsWithForeignKey: try container.decodeIfPresent(Bool.self, forKey: .signsWithForeignKey) ?? false,
                nonce: try container.decodeIfPresent(String.self, forKey: .nonce),
                issuer: try container.decodeIfPresent(String.self, forKey: .issuer),
                audience: try container.decodeIfPresent(String.self, forKey: .audience),
                isExpired: try container.decodeIfPresent(Bool.self, forKey: .isExpired) ?? false
            )
        }
    }
}
