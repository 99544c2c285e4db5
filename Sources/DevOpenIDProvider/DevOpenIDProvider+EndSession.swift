import Foundation

extension DevOpenIDProvider {
    /// RP-initiated logout (`GET /end-session`): ends the login session named by `id_token_hint`.
    func endSession(_ parameters: FormParameters, now: Date = Date()) -> (step: BrowserStep, backchannel: [BackchannelLogoutTarget]) {
        var hint: IDTokenHintClaims?
        if let token = parameters["id_token_hint"] {
            guard let jws = CompactJWS(token), jws.header.alg == "RS256",
                let key = signingKeys.first(where: { $0.keyID == jws.header.kid }),
                key.isValidSignature(jws.signature, for: jws.signingInput),
                let claims = jws.claims(as: IDTokenHintClaims.self), claims.iss == issuer
            else { return (.errorPage("The id_token_hint was not issued by this provider."), []) }
            hint = claims
        }
        if let clientID = parameters["client_id"], let hint, hint.aud != clientID {
            return (.errorPage("client_id does not match the id_token_hint."), [])
        }
        let client = registeredClient(hint?.aud ?? parameters["client_id"])
        var redirect: String?
        if let uri = parameters["post_logout_redirect_uri"] {
            guard let client, client.postLogoutRedirectURIs.contains(uri) else {
                return (.errorPage("The post_logout_redirect_uri is not registered for this client."), [])
            }
            var query: [(String, String)] = []
            if let state = parameters["state"] { query.append(("state", state)) }
            redirect = query.isEmpty ? uri : Self.appendingQuery(query, to: uri)
        }
        var targets: [BackchannelLogoutTarget] = []
        if let sid = hint?.sid, sessions[sid] != nil {
            let session = sessions[sid]
            endSessions([sid])
            if configuration.sendsBackchannelLogoutOnEndSession, let session {
                targets = logoutTargets(clientIDs: session.clientIDs, sid: sid, sub: session.subject, now: now)
            }
        }
        return (redirect.map(BrowserStep.redirect) ?? .signedOut, targets)
    }

    /// Removes login sessions and revokes every token issued in them.
    func endSessions(_ sessionIDs: Set<String>) {
        for sid in sessionIDs { sessions[sid] = nil }
        for (familyID, family) in families where sessionIDs.contains(family.sessionID) && !family.isRevoked {
            revokeFamily(familyID)
        }
    }

    /// Logout tokens for the clients that have a back-channel logout URI.
    func logoutTargets(clientIDs: Set<String>?, sid: String?, sub: String?, now: Date) -> [BackchannelLogoutTarget] {
        let candidates = clientIDs.map { ids in ids.compactMap { clients[$0] } } ?? Array(clients.values)
        return candidates.sorted { $0.id < $1.id }.compactMap { client in
            guard let uri = client.backchannelLogoutURI,
                let token = try? signLogoutToken(clientID: client.id, sid: sid, sub: sub, now: now)
            else { return nil }
            return BackchannelLogoutTarget(clientID: client.id, uri: uri, logoutToken: token)
        }
    }

    func signLogoutToken(clientID: String, sid: String?, sub: String?, now: Date) throws -> String {
        let claims = LogoutTokenClaims(
            iss: issuer,
            aud: clientID,
            iat: Int(now.timeIntervalSince1970),
            exp: Int(now.timeIntervalSince1970) + 120,
            jti: RandomToken.make(byteCount: 16),
            sid: sid,
            sub: sub
        )
        let key = signingKeys[0]
        return try key.sign(header: JOSEHeader(alg: "RS256", kid: key.keyID, typ: "logout+jwt"), payload: claims)
    }
}
