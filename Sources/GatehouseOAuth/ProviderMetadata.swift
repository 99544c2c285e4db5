package import Foundation

/// The parts of an OpenID provider's discovery document (OpenID Connect Discovery 1.0 §3) Gatehouse uses.
package struct ProviderMetadata: Sendable, Hashable, Codable {
    /// The issuer identifier; equal to the configured issuer once validated.
    package var issuer: String
    /// Where the browser is sent to log in.
    package var authorizationEndpoint: URL
    /// Where codes and refresh tokens are exchanged.
    package var tokenEndpoint: URL
    /// The provider's signing keys.
    package var jwksURI: URL
    /// RP-initiated logout endpoint, when the provider has one.
    package var endSessionEndpoint: URL?
    /// RFC 7009 revocation endpoint, when the provider has one.
    package var revocationEndpoint: URL?
    /// The userinfo endpoint, when the provider has one.
    package var userinfoEndpoint: URL?
    /// Whether the provider sends the RFC 9207 `iss` authorization response parameter.
    package var authorizationResponseIssParameterSupported: Bool
    /// Algorithms the provider may sign ID tokens with; used to pin JWKS keys that do not name one.
    package var idTokenSigningAlgValuesSupported: [String]
    /// Whether the provider supports back-channel logout.
    package var backchannelLogoutSupported: Bool
    /// `acr_values_supported`; `nil` when discovery does not list them.
    package var acrValuesSupported: [String]?
    /// The RFC 9126 pushed authorization request endpoint, when the provider has one.
    package var pushedAuthorizationRequestEndpoint: URL?
    /// Whether the provider accepts only pushed authorization requests (RFC 9126 §5).
    package var requirePushedAuthorizationRequests: Bool

    private enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case jwksURI = "jwks_uri"
        case endSessionEndpoint = "end_session_endpoint"
        case revocationEndpoint = "revocation_endpoint"
        case userinfoEndpoint = "userinfo_endpoint"
        case authorizationResponseIssParameterSupported = "authorization_response_iss_parameter_supported"
        case idTokenSigningAlgValuesSupported = "id_token_signing_alg_values_supported"
        case backchannelLogoutSupported = "backchannel_logout_supported"
        case acrValuesSupported = "acr_values_supported"
        case pushedAuthorizationRequestEndpoint = "pushed_authorization_request_endpoint"
        case requirePushedAuthorizationRequests = "require_pushed_authorization_requests"
    }

    /// Creates metadata directly (tests, or static configuration).
    package init(
        issuer: String,
        authorizationEndpoint: URL,
        tokenEndpoint: URL,
        jwksURI: URL,
        endSessionEndpoint: URL? = nil,
        revocationEndpoint: URL? = nil,
        userinfoEndpoint: URL? = nil,
        authorizationResponseIssParameterSupported: Bool = false,
        idTokenSigningAlgValuesSupported: [String] = ["RS256"],
        backchannelLogoutSupported: Bool = false,
        acrValuesSupported: [String]? = nil,
        pushedAuthorizationRequestEndpoint: URL? = nil,
        requirePushedAuthorizationRequests: Bool = false
    ) {
        self.issuer = issuer
        self.authorizationEndpoint = authorizationEndpoint
        self.tokenEndpoint = tokenEndpoint
        self.jwksURI = jwksURI
        self.endSessionEndpoint = endSessionEndpoint
        self.revocationEndpoint = revocationEndpoint
        self.userinfoEndpoint = userinfoEndpoint
        self.authorizationResponseIssParameterSupported = authorizationResponseIssParameterSupported
        self.idTokenSigningAlgValuesSupported = idTokenSigningAlgValuesSupported
        self.backchannelLogoutSupported = backchannelLogoutSupported
        self.acrValuesSupported = acrValuesSupported
        self.pushedAuthorizationRequestEndpoint = pushedAuthorizationRequestEndpoint
        self.requirePushedAuthorizationRequests = requirePushedAuthorizationRequests
    }

    /// Decodes a discovery answer and checks it against the configured issuer.
    ///
    /// - Throws: ``DiscoveryError`` for HTML or non-JSON bodies, missing or malformed endpoints,
    ///   and an `issuer` that differs from `expectedIssuer` in any character (RFC 8414 §3.3).
    package init(discoveryDocument body: some Collection<UInt8>, expectedIssuer: String) throws(DiscoveryError) {
        let raw: RawDocument
        do {
            raw = try JSONBody.decode(RawDocument.self, from: body)
        } catch {
            throw DiscoveryError(problem: error)
        }
        guard let issuer = raw.issuer else { throw DiscoveryError.missingEndpoint.detailed("issuer") }
        guard issuer == expectedIssuer else {
            throw DiscoveryError.issuerMismatch.detailed("expected \"\(expectedIssuer)\", document says \"\(issuer)\"")
        }
        self.init(
            issuer: issuer,
            authorizationEndpoint: try Self.required(raw.authorization_endpoint, "authorization_endpoint"),
            tokenEndpoint: try Self.required(raw.token_endpoint, "token_endpoint"),
            jwksURI: try Self.required(raw.jwks_uri, "jwks_uri"),
            endSessionEndpoint: try Self.optional(raw.end_session_endpoint, "end_session_endpoint"),
            revocationEndpoint: try Self.optional(raw.revocation_endpoint, "revocation_endpoint"),
            userinfoEndpoint: try Self.optional(raw.userinfo_endpoint, "userinfo_endpoint"),
            authorizationResponseIssParameterSupported: raw.authorization_response_iss_parameter_supported ?? false,
            // OpenID Connect Discovery makes this field required; RS256 is the spec's default when absent.
            idTokenSigningAlgValuesSupported: raw.id_token_signing_alg_values_supported ?? ["RS256"],
            backchannelLogoutSupported: raw.backchannel_logout_supported ?? false,
            acrValuesSupported: raw.acr_values_supported,
            pushedAuthorizationRequestEndpoint: try Self.optional(raw.pushed_authorization_request_endpoint, "pushed_authorization_request_endpoint"),
            requirePushedAuthorizationRequests: raw.require_pushed_authorization_requests ?? false
        )
    }

    private static func required(_ value: String?, _ name: String) throws(DiscoveryError) -> URL {
        guard let value else { throw DiscoveryError.missingEndpoint.detailed(name) }
        return try endpoint(value, name)
    }

    private static func optional(_ value: String?, _ name: String) throws(DiscoveryError) -> URL? {
        guard let value else { return nil }
        return try endpoint(value, name)
    }

    private static func endpoint(_ value: String, _ name: String) throws(DiscoveryError) -> URL {
        guard let url = URL(string: value), let scheme = url.scheme?.lowercased(),
            scheme == "https" || scheme == "http", url.host != nil, url.fragment == nil
        else { throw DiscoveryError.invalidEndpoint.detailed(name) }
        return url
    }

    // Field names as on the wire; only what Gatehouse reads.
    private struct RawDocument: Decodable {
        var issuer: String?
        var authorization_endpoint: String?
        var token_endpoint: String?
        var jwks_uri: String?
        var end_session_endpoint: String?
        var revocation_endpoint: String?
        var userinfo_endpoint: String?
        var authorization_response_iss_parameter_supported: Bool?
        var id_token_signing_alg_values_supported: [String]?
        var backchannel_logout_supported: Bool?
        var acr_values_supported: [String]?
        var pushed_authorization_request_endpoint: String?
        var require_pushed_authorization_requests: Bool?
    }
}
