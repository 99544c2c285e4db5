package import Foundation
package import GatehouseOAuth

extension RouteRequirements {
    /// Checks the rules against a session's ID-token claims and granted scopes. Pure, so each
    /// rule is tested without I/O; claims and scopes first, since no new login cures those.
    package func verdict(claims: [String: JSONValue], scopes: [String], now: Date) -> RouteVerdict {
        for (name, accepted) in self.claims.sorted(by: { $0.key < $1.key }) {
            guard let value = claims[name], Self.holds(value, anyOf: accepted) else { return .insufficient(rule: "claims.\(name)") }
        }
        for scope in self.scopes where !scopes.contains(scope) { return .insufficient(rule: "scopes") }
        if !acr.isEmpty {
            guard case .string(let acr) = claims["acr"], self.acr.contains(acr) else { return .stepUp(rule: "acr") }
        }
        if let maxAge {
            guard let authTime = Self.seconds(claims["auth_time"]),
                now.timeIntervalSince1970 - authTime <= Double(maxAge.components.seconds)
            else { return .stepUp(rule: "max_age") }
        }
        return .allowed
    }

    /// A string, number or boolean claim equals an accepted value; a list claim holds one.
    private static func holds(_ value: JSONValue, anyOf accepted: [String]) -> Bool {
        switch value {
        case .string(let text): accepted.contains(text)
        case .bool(let flag): accepted.contains(String(flag))
        case .integer(let number): accepted.contains(String(number))
        case .array(let items): items.contains { holds($0, anyOf: accepted) }
        default: false
        }
    }

    private static func seconds(_ value: JSONValue?) -> Double? {
        switch value {
        case .integer(let number): Double(number)
        case .number(let number): number
        default: nil
        }
    }

    /// The `/bff/login` query that asks the provider for what the step-up rules need.
    package func stepUpParameters() -> [(String, String)] {
        var parameters: [(String, String)] = []
        if !acr.isEmpty { parameters.append(("acr_values", acr.joined(separator: " "))) }
        if let maxAge { parameters.append(("max_age", String(maxAge.components.seconds))) }
        return parameters
    }
}
