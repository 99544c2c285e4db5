package import Foundation

extension DevOpenIDProvider {
    /// The discovery document for the current issuer.
    func discovery() -> DiscoveryDocument {
        DiscoveryDocument(
            issuer: issuer,
            authorization_endpoint: issuer + "/authorize",
            token_endpoint: tokenEndpoint,
            userinfo_endpoint: issuer + "/userinfo",
            jwks_uri: issuer + "/jwks",
            revocation_endpoint: configuration.advertisesRevocation ? issuer + "/revoke" : nil,
            end_session_endpoint: configuration.advertisesEndSession ? issuer + "/end-session" : nil,
            introspection_endpoint: issuer + "/introspect",
            pushed_authorization_request_endpoint: configuration.pushedAuthorization == .off ? nil : issuer + "/par",
            require_pushed_authorization_requests: configuration.pushedAuthorization == .required ? true : nil,
            authorization_response_iss_parameter_supported: configuration.includesIssuerInAuthorizationResponse
        )
    }

    /// The claims for a bearer access token (`/userinfo`).
    ///
    /// A DPoP-bound token counts only as `Authorization: DPoP` with a proof of its key for this
    /// request (RFC 9449 §7): the token alone, as a bearer, is refused.
    func userInfo(accessToken: String?, dpop: DPoPPresentation? = nil, now: Date = Date()) throws(OAuthError) -> UserInfo {
        guard let accessToken, let record = accessTokens[accessToken], record.expiresAt > now else {
            throw .invalidToken("The access token is unknown, revoked or expired.")
        }
        if let bound = record.jkt {
            guard let dpop, let proof = dpop.proof else { throw .invalidToken("This access token is DPoP-bound: present it with a DPoP proof.") }
            let jkt = try checkDPoP(proof, method: dpop.method, url: issuer + "/userinfo", accessToken: accessToken, now: now)
            guard jkt == bound else { throw .invalidToken("The DPoP proof is of another key than the token's.") }
        } else if dpop != nil {
            throw .invalidToken("This access token is not DPoP-bound.")
        }
        guard let subject = record.subject, record.scopes.contains("openid") else {
            throw OAuthError(code: .invalidToken, message: "The token carries no user.", status: .forbidden)
        }
        return profileClaims(subject: subject, scopes: record.scopes)
    }

    /// RFC 7009 revocation: a refresh token takes its family with it; unknown tokens are fine.
    func revoke(_ form: FormParameters, authorization: String?, now: Date = Date()) throws(OAuthError) {
        grantCounts.revocation += 1
        let client = try authenticateClient(form, authorization: authorization, audiences: [issuer + "/revoke", tokenEndpoint, issuer], now: now)
        guard let token = form["token"] else { throw .invalidRequest("token is missing.") }
        if let record = refreshTokens[token], families[record.familyID]?.clientID == client.id {
            revokeFamily(record.familyID)
        } else if let record = accessTokens[token], record.clientID == client.id {
            accessTokens[token] = nil
        }
    }

    /// RFC 7662 introspection, so demo upstreams can check the opaque access tokens.
    func introspect(_ form: FormParameters, authorization: String?, now: Date = Date()) throws(OAuthError) -> Introspection {
        _ = try authenticateClient(form, authorization: authorization, audiences: [issuer + "/introspect", tokenEndpoint, issuer], now: now)
        guard let token = form["token"], let record = accessTokens[token], record.expiresAt > now else {
            return Introspection(active: false)
        }
        return Introspection(
            active: true,
            client_id: record.clientID,
            sub: record.subject,
            scope: record.scopes.joined(separator: " "),
            exp: Int(record.expiresAt.timeIntervalSince1970),
            token_type: record.jkt == nil ? "Bearer" : "DPoP",
            iss: issuer,
            aud: record.audience,
            cnf: record.jkt.map { Introspection.Confirmation(jkt: $0) }
        )
    }
}

extension DevOpenIDProvider {
    /// Who an access token stands for and the audience an exchange bound it to; `nil` when unknown
    /// or expired. What introspection tells an API, for tests in this process.
    package func accessTokenBinding(_ token: String, now: Date = Date()) -> (subject: String?, audience: String?, jkt: String?)? {
        guard let record = accessTokens[token], record.expiresAt > now else { return nil }
        return (record.subject, record.audience, record.jkt)
    }

    /// Asks every DPoP proof from now on to carry `nonce` (`DPoP-Nonce`, RFC 9449 §8); `nil` stops asking.
    package func setDPoPNonce(_ nonce: String?) { dpopNonce = nonce }
}

/// An access token presented with the `DPoP` scheme: the request's method and its proof header.
struct DPoPPresentation: Sendable {
    var method: String
    var proof: String?
}
