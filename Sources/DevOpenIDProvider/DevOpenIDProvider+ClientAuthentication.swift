import Foundation

extension DevOpenIDProvider {
    static let jwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

    /// Authenticates the client of a token, revocation or introspection request by exactly one of
    /// `client_secret_basic`, `client_secret_post`, `private_key_jwt`, or as a public client by `client_id` alone.
    ///
    /// - Parameter audiences: values an assertion's `aud` may name (the endpoint, the issuer).
    func authenticateClient(
        _ form: FormParameters,
        authorization: String?,
        audiences: Set<String>,
        now: Date = Date()
    ) throws(OAuthError) -> Client {
        let basic = authorization.flatMap(Self.basicCredentials)
        if authorization != nil, basic == nil, authorization?.lowercased().hasPrefix("basic") == true {
            throw .invalidClient("Malformed Basic credentials.", basic: true)
        }
        let methodCount = [basic != nil, form["client_secret"] != nil, form["client_assertion"] != nil].filter { $0 }.count
        guard methodCount <= 1 else {
            throw .invalidRequest("Use exactly one client authentication method.")
        }
        if let basic {
            guard let client = registeredClient(basic.id), let secret = client.secret, Self.constantTimeEquals(secret, basic.secret) else {
                throw .invalidClient("Client authentication failed.", basic: true)
            }
            if let formID = form["client_id"], formID != client.id {
                throw .invalidRequest("client_id does not match the authenticated client.")
            }
            return client
        }
        if let secret = form["client_secret"] {
            guard let client = registeredClient(form["client_id"]), let expected = client.secret, Self.constantTimeEquals(expected, secret) else {
                throw .invalidClient("Client authentication failed.", basic: false)
            }
            return client
        }
        if let assertion = form["client_assertion"] {
            guard form["client_assertion_type"] == Self.jwtBearerAssertionType else {
                throw .invalidRequest("client_assertion_type must be \(Self.jwtBearerAssertionType).")
            }
            return try authenticate(assertion: assertion, claimedID: form["client_id"], audiences: audiences, now: now)
        }
        guard let client = registeredClient(form["client_id"]) else {
            throw .invalidClient("Client authentication failed.", basic: false)
        }
        guard !client.isConfidential else {
            throw .invalidClient("This client must authenticate.", basic: false)
        }
        return client
    }

    private func authenticate(assertion: String, claimedID: String?, audiences: Set<String>, now: Date) throws(OAuthError) -> Client {
        let failed = OAuthError.invalidClient("Client assertion rejected.", basic: false)
        guard let jws = CompactJWS(assertion), let claims = jws.claims(as: ClientAssertionClaims.self) else { throw failed }
        guard claims.iss == claims.sub, claimedID == nil || claimedID == claims.iss,
            let client = registeredClient(claims.iss),
            let key = client.publicJWK.flatMap({ ClientPublicKey(jwkJSON: $0) }),
            key.verifies(jws)
        else { throw failed }
        let nowSeconds = now.timeIntervalSince1970
        guard !audiences.isDisjoint(with: claims.aud), claims.exp > nowSeconds,
            claims.nbf.map({ $0 <= nowSeconds + 60 }) ?? true
        else { throw failed }
        let replayKey = client.id + " " + claims.jti
        if let until = usedAssertionIDs[replayKey], until > now { throw failed }
        usedAssertionIDs[replayKey] = Date(timeIntervalSince1970: claims.exp)
        return client
    }

    /// RFC 6749 §2.3.1: base64 of `form-encode(id) ":" form-encode(secret)`.
    static func basicCredentials(_ header: String) -> (id: String, secret: String)? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let decoded = String(data: data, encoding: .utf8),
            let colon = decoded.firstIndex(of: ":"),
            let id = FormParameters.decode(decoded[..<colon]),
            let secret = FormParameters.decode(decoded[decoded.index(after: colon)...])
        else { return nil }
        return (id, secret)
    }

    /// Compares secrets without leaking where they differ through timing.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            difference |= (index < left.count ? left[index] : 0) ^ (index < right.count ? right[index] : 0)
        }
        return difference == 0
    }
}
