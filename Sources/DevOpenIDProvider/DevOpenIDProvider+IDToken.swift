import Foundation

extension DevOpenIDProvider {
    /// Signs an ID token with the active key, applying (and then clearing) any pending overrides.
    func makeIDToken(
        subject: String,
        clientID: String,
        nonce: String?,
        sessionID: String,
        authTime: Date,
        acr: String,
        scopes: [String],
        now: Date
    ) throws -> String {
        let overrides = idTokenOverrides ?? IDTokenOverrides()
        idTokenOverrides = nil
        let issuedAt = overrides.isExpired ? now.addingTimeInterval(-3600) : now
        let expiresAt = overrides.isExpired ? now.addingTimeInterval(-1800) : now.addingTimeInterval(lifetimes.idToken.timeInterval)
        var claims = IDTokenClaims(
            iss: overrides.issuer ?? issuer,
            sub: subject,
            aud: overrides.audience ?? clientID,
            exp: Int(expiresAt.timeIntervalSince1970),
            iat: Int(issuedAt.timeIntervalSince1970),
            auth_time: Int(authTime.timeIntervalSince1970),
            acr: acr,
            nonce: overrides.nonce ?? nonce,
            sid: sessionID,
            azp: clientID
        )
        let profile = profileClaims(subject: subject, scopes: scopes)
        claims.name = profile.name
        claims.preferred_username = profile.preferred_username
        claims.email = profile.email
        claims.email_verified = profile.email_verified
        if let groups = user(subject: subject)?.groups, !groups.isEmpty { claims.groups = groups }

        let activeKey = signingKeys[0]
        let key: SigningKey
        if overrides.signsWithForeignKey {
            // Same kid as the real key: the forgery a relying party must catch by the signature alone.
            key = try foreignKey.flatMap { $0.keyID == activeKey.keyID ? $0 : nil } ?? SigningKey(keyID: activeKey.keyID)
            foreignKey = key
        } else {
            key = activeKey
        }
        return try key.sign(header: JOSEHeader(alg: "RS256", kid: key.keyID, typ: "JWT"), payload: claims)
    }

    /// The user's claims for the granted scopes, as userinfo answers them.
    func profileClaims(subject: String, scopes: [String]) -> UserInfo {
        var info = UserInfo(sub: subject)
        guard let user = user(subject: subject) else { return info }
        if scopes.contains("profile") {
            info.name = user.name
            info.preferred_username = user.username
        }
        if scopes.contains("email") {
            info.email = user.email
            info.email_verified = user.isEmailVerified
        }
        return info
    }

    /// The published JWKS: every key, including rotated ones still valid for verification.
    func jwks() throws -> JWKSDocument {
        JWKSDocument(keys: try signingKeys.map { try $0.publicJWK() })
    }
}
