import Crypto
import Foundation

extension DevOpenIDProvider {
    /// Counts a token request and says what to do before processing it: wait, and maybe answer something forced.
    func admitTokenRequest(grantType: String?) -> (latency: Duration, answerDelay: Duration, forced: ForcedTokenResponse?) {
        switch grantType {
        case "authorization_code": grantCounts.authorizationCode += 1
        case "refresh_token": grantCounts.refreshToken += 1
        case "client_credentials": grantCounts.clientCredentials += 1
        case Self.tokenExchangeGrant: grantCounts.tokenExchange += 1
        default: grantCounts.other += 1
        }
        let forced = forcedTokenResponses.isEmpty ? nil : forcedTokenResponses.removeFirst()
        return (tokenLatency, tokenAnswerDelay, forced)
    }

    /// Processes a token request (`POST /token`).
    func token(_ form: FormParameters, authorization: String?, dpop: String? = nil, now: Date = Date()) throws(OAuthError) -> TokenResponse {
        if let duplicate = form.duplicatedNames.sorted().first {
            throw .invalidRequest("Parameter \(duplicate) appears more than once.")
        }
        guard let grantType = form["grant_type"] else { throw .invalidRequest("grant_type is missing.") }
        guard ["authorization_code", "refresh_token", "client_credentials", Self.tokenExchangeGrant].contains(grantType) else {
            throw .unsupportedGrantType("Supported: authorization_code, refresh_token, client_credentials, \(Self.tokenExchangeGrant).")
        }
        let client = try authenticateClient(form, authorization: authorization, audiences: [tokenEndpoint, issuer], now: now)
        // RFC 9449 §5: a proof of the key the issued tokens are to be bound to.
        let jkt = try dpop.map { proof throws(OAuthError) in try checkDPoP(proof, method: "POST", url: tokenEndpoint, accessToken: nil, now: now) }
        purgeExpiredIfDue(now: now)
        var response: TokenResponse
        switch grantType {
        case "authorization_code": response = try redeemCode(form, client: client, jkt: jkt, now: now)
        case "refresh_token": response = try refresh(form, client: client, jkt: jkt, now: now)
        case Self.tokenExchangeGrant: response = try exchange(form, client: client, now: now)
        default: response = try clientCredentials(form, client: client, now: now)
        }
        if let jkt {
            accessTokens[response.access_token]?.jkt = jkt
            response.token_type = "DPoP"
        }
        return response
    }

    /// Checks a DPoP proof for this provider, with its nonce when one is asked for; the key's thumbprint.
    func checkDPoP(_ proof: String, method: String, url: String, accessToken: String?, now: Date) throws(OAuthError) -> String {
        let check = DPoPProofCheck(method: method, url: url, accessToken: accessToken, nonce: dpopNonce)
        do {
            return try check.verify(proof, now: now, seen: &usedDPoPProofIDs)
        } catch {
            switch error {
            case .nonceRequired: throw .useDPoPNonce(dpopNonce ?? "")
            case .invalid(let reason): throw .invalidDPoPProof(reason)
            }
        }
    }

    private func redeemCode(_ form: FormParameters, client: Client, jkt: String?, now: Date) throws(OAuthError) -> TokenResponse {
        guard let code = form["code"] else { throw .invalidRequest("code is missing.") }
        guard var grant = codes[code], grant.clientID == client.id else { throw .invalidGrant("Unknown code.") }
        guard !grant.isRedeemed else {
            // RFC 6749 §4.1.2: a replayed code may mean it was stolen, so what it produced is withdrawn.
            if let familyID = grant.issuedFamilyID { revokeFamily(familyID) }
            if let accessToken = grant.issuedAccessToken { accessTokens[accessToken] = nil }
            throw .invalidGrant("The code was already used.")
        }
        // One attempt per code: a wrong verifier must not leave it open to guessing.
        grant.isRedeemed = true
        codes[code] = grant
        guard grant.expiresAt > now else { throw .invalidGrant("The code has expired.") }
        guard form["redirect_uri"] == grant.redirectURI else { throw .invalidGrant("redirect_uri does not match the authorization request.") }
        guard let verifier = form["code_verifier"] else { throw .invalidGrant("code_verifier is missing.") }
        guard (43...128).contains(verifier.count), verifier.allSatisfy(\.isPKCEVerifierCharacter),
            Base64URL.encode(SHA256.hash(data: Data(verifier.utf8))) == grant.codeChallenge
        else { throw .invalidGrant("code_verifier does not match the code_challenge.") }

        let familyID = RandomToken.make(byteCount: 16)
        families[familyID] = RefreshFamily(
            clientID: client.id,
            subject: grant.subject,
            sessionID: grant.sessionID,
            scopes: grant.scopes,
            authTime: grant.authTime,
            acr: grant.acr,
            jkt: jkt
        )
        let response = try issue(familyID: familyID, scopes: grant.scopes, nonce: grant.nonce, now: now)
        grant.issuedFamilyID = familyID
        grant.issuedAccessToken = response.access_token
        codes[code] = grant
        return response
    }

    private func refresh(_ form: FormParameters, client: Client, jkt: String?, now: Date) throws(OAuthError) -> TokenResponse {
        guard let presented = form["refresh_token"] else { throw .invalidRequest("refresh_token is missing.") }
        guard let record = refreshTokens[presented], let family = families[record.familyID], family.clientID == client.id else {
            throw .invalidGrant("Unknown refresh token.")
        }
        guard !family.isRevoked else { throw .invalidGrant("The refresh token was revoked.") }
        guard !record.isRotated else {
            // A rotated token coming back means two parties hold the family: end it for both.
            revokeFamily(record.familyID)
            throw .invalidGrant("The refresh token was already used; its family is revoked.")
        }
        guard record.expiresAt > now else { throw .invalidGrant("The refresh token has expired.") }
        // A bound grant refreshes only with a proof of its key: a stolen refresh token alone is useless.
        if let bound = family.jkt, bound != jkt {
            throw .invalidDPoPProof(jkt == nil ? "This refresh token is DPoP-bound: send a DPoP proof." : "The DPoP proof is of another key than the grant's.")
        }
        var scopes = family.scopes
        if let requested = form["scope"] {
            let requestedScopes = requested.split(separator: " ").map(String.init)
            guard Set(requestedScopes).isSubset(of: family.scopes) else { throw .invalidScope("Cannot widen the granted scope.") }
            scopes = requestedScopes
        }
        refreshTokens[presented]?.isRotated = true
        // No nonce on a refreshed ID token (OIDC Core §12.2).
        return try issue(familyID: record.familyID, scopes: scopes, nonce: nil, now: now)
    }

    /// RFC 8693: a user's access token for one bound to `audience`, of the same user and scopes,
    /// revoked with the user's grant. Only the client the subject token was issued to may exchange it.
    private func exchange(_ form: FormParameters, client: Client, now: Date) throws(OAuthError) -> TokenResponse {
        guard client.isConfidential else { throw .unauthorizedClient("A public client cannot exchange tokens.") }
        guard form["subject_token_type"] == Self.accessTokenType else { throw .invalidRequest("subject_token_type must be \(Self.accessTokenType).") }
        if let requested = form["requested_token_type"], requested != Self.accessTokenType {
            throw .invalidRequest("Only access tokens are issued by exchange.")
        }
        guard let audience = form["audience"], !audience.isEmpty else { throw .invalidRequest("audience is missing.") }
        guard let presented = form["subject_token"], let subject = accessTokens[presented], subject.expiresAt > now,
            subject.clientID == client.id, let user = subject.subject, subject.audience == nil
        else { throw .invalidGrant("The subject token is unknown, expired, not a user's, or not this client's.") }
        if let allowed = configuration.tokenExchangeAudiences, !allowed.contains(audience) {
            throw .invalidTarget("This provider issues no tokens for that audience.")
        }
        let accessToken = RandomToken.make()
        accessTokens[accessToken] = AccessTokenRecord(
            clientID: client.id, subject: user, scopes: subject.scopes,
            expiresAt: now.addingTimeInterval(lifetimes.accessToken.timeInterval), familyID: subject.familyID, audience: audience
        )
        if let familyID = subject.familyID { families[familyID]?.accessTokens.append(accessToken) }
        return TokenResponse(
            access_token: accessToken,
            expires_in: Int(lifetimes.accessToken.timeInterval.rounded()),
            scope: subject.scopes.joined(separator: " "),
            issued_token_type: Self.accessTokenType
        )
    }

    /// `grant_type` of RFC 8693 token exchange.
    package static let tokenExchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange"
    static let accessTokenType = "urn:ietf:params:oauth:token-type:access_token"

    private func clientCredentials(_ form: FormParameters, client: Client, now: Date) throws(OAuthError) -> TokenResponse {
        guard client.isConfidential else { throw .unauthorizedClient("A public client cannot use client_credentials.") }
        let scopes = form["scope"].map { $0.split(separator: " ").map(String.init) } ?? []
        let accessToken = RandomToken.make()
        accessTokens[accessToken] = AccessTokenRecord(
            clientID: client.id,
            subject: nil,
            scopes: scopes,
            expiresAt: now.addingTimeInterval(lifetimes.accessToken.timeInterval),
            familyID: nil
        )
        return TokenResponse(
            access_token: accessToken,
            expires_in: Int(lifetimes.accessToken.timeInterval.rounded()),
            scope: scopes.joined(separator: " ")
        )
    }

    /// Issues an access token, a new refresh token of the family and, for `openid`, an ID token.
    private func issue(familyID: String, scopes: [String], nonce: String?, now: Date) throws(OAuthError) -> TokenResponse {
        guard var family = families[familyID] else { throw .invalidGrant("Unknown grant.") }
        let accessToken = RandomToken.make()
        let refreshToken = RandomToken.make()
        accessTokens[accessToken] = AccessTokenRecord(
            clientID: family.clientID,
            subject: family.subject,
            scopes: scopes,
            expiresAt: now.addingTimeInterval(lifetimes.accessToken.timeInterval),
            familyID: familyID
        )
        refreshTokens[refreshToken] = RefreshTokenRecord(
            familyID: familyID,
            expiresAt: now.addingTimeInterval(lifetimes.refreshToken.timeInterval)
        )
        family.accessTokens.append(accessToken)
        family.refreshTokens.append(refreshToken)
        families[familyID] = family
        var idToken: String?
        if scopes.contains("openid") {
            do {
                idToken = try makeIDToken(
                    subject: family.subject,
                    clientID: family.clientID,
                    nonce: nonce,
                    sessionID: family.sessionID,
                    authTime: family.authTime,
                    acr: family.acr,
                    scopes: scopes,
                    now: now
                )
            } catch {
                throw OAuthError(code: .serverError, message: "Could not sign the ID token.", status: .internalServerError)
            }
        }
        return TokenResponse(
            access_token: accessToken,
            expires_in: Int(lifetimes.accessToken.timeInterval.rounded()),
            refresh_token: refreshToken,
            id_token: idToken,
            scope: scopes.joined(separator: " ")
        )
    }

    /// Revokes every refresh and access token of a family.
    func revokeFamily(_ familyID: String) {
        guard var family = families[familyID] else { return }
        family.isRevoked = true
        for token in family.accessTokens { accessTokens[token] = nil }
        for token in family.refreshTokens { refreshTokens[token] = nil }
        family.accessTokens = []
        family.refreshTokens = []
        families[familyID] = family
    }
}
