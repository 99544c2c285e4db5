package import Foundation

/// Claim checks shared by ID-token and logout-token validation.
enum ClaimChecks {
    static func issuer(_ claims: [String: JSONValue], expected: String) throws(JWTValidationError) -> String {
        guard let issuer = claims["iss"]?.stringValue else { throw JWTValidationError.missingClaim.detailed("iss") }
        guard issuer == expected else { throw .invalidIssuer }
        return issuer
    }

    /// `aud` must contain the client id; other audiences must be trusted; returns all audiences.
    static func audience(_ claims: [String: JSONValue], clientID: String, trusted: Set<String>) throws(JWTValidationError) -> [String] {
        let audiences: [String]
        switch claims["aud"] {
        case .string(let value)?:
            audiences = [value]
        case .array(let values)?:
            audiences = values.compactMap(\.stringValue)
            guard audiences.count == values.count else { throw .invalidAudience }
        default:
            throw JWTValidationError.missingClaim.detailed("aud")
        }
        guard audiences.contains(clientID) else { throw .invalidAudience }
        guard audiences.allSatisfy({ $0 == clientID || trusted.contains($0) }) else { throw .invalidAudience }
        return audiences
    }

    static func date(_ claims: [String: JSONValue], _ name: String) throws(JWTValidationError) -> Date? {
        guard let value = claims[name] else { return nil }
        guard let seconds = value.numericValue, seconds.isFinite else { throw JWTValidationError.missingClaim.detailed(name) }
        return Date(timeIntervalSince1970: seconds)
    }

    static func requiredDate(_ claims: [String: JSONValue], _ name: String) throws(JWTValidationError) -> Date {
        guard let date = try date(claims, name) else { throw JWTValidationError.missingClaim.detailed(name) }
        return date
    }

    static func optionalString(_ claims: [String: JSONValue], _ name: String) throws(JWTValidationError) -> String? {
        guard let value = claims[name] else { return nil }
        guard let string = value.stringValue else { throw JWTValidationError.missingClaim.detailed(name) }
        return string
    }

    /// `exp` must be ahead, `nbf` reached and `iat` not ahead, each within `leeway` of `now`.
    static func times(exp: Date?, nbf: Date?, iat: Date?, now: Date, leeway: TimeInterval) throws(JWTValidationError) {
        if let exp, now >= exp.addingTimeInterval(leeway) { throw .expired }
        if let nbf, now.addingTimeInterval(leeway) < nbf { throw .notYetValid }
        if let iat, iat > now.addingTimeInterval(leeway) { throw .issuedInFuture }
    }
}

extension Duration {
    /// The duration in seconds as a `TimeInterval`.
    package var timeInterval: TimeInterval {
        Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18
    }
}
