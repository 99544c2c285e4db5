package import Foundation
package import GatehouseOAuth

/// Everything Gatehouse keeps about one browser session; stored only encrypted.
package struct SessionRecord: Sendable, Hashable, Codable {
    /// `sub` from the ID token.
    package var subject: String
    /// `sid` from the ID token, when the provider sends one (back-channel logout by session).
    package var providerSessionID: String?
    /// ID-token claims as returned by `/bff/user`.
    package var claims: [String: JSONValue]
    /// The latest ID token (for `id_token_hint` at logout).
    package var idToken: IDToken
    /// The access token forwarded upstream.
    package var accessToken: AccessToken
    /// When the access token expires, if known.
    package var accessTokenExpiresAt: Date?
    /// The refresh token, when the provider issued one.
    package var refreshToken: RefreshToken?
    /// Granted scopes.
    package var scopes: [String]
    /// When the session was created (login).
    package var createdAt: Date
    /// When the session was last used: set on every write and, at most once a touch interval,
    /// when a request slides its idle timeout.
    package var lastSeenAt: Date
    /// When the session ends regardless of activity (`session.absolute_timeout`).
    package var absoluteExpiresAt: Date
    /// The browser's `User-Agent` at login, at most ``maximumUserAgentLength`` characters (the sessions list).
    package var userAgent: String?
    /// The client's address at login, as `trusted_proxies` resolves it (the sessions list).
    package var clientIP: String?

    /// Tokens for route audiences (`routes[].audience`), by audience: kept in the record, so they
    /// are encrypted like it, expire with it and end with it. Absent in records written before.
    package var exchangedTokens: [String: ExchangedToken]?

    /// The session's DPoP key (`oidc.dpop`), as its 32-byte private scalar: sealed with the record,
    /// never anywhere else. Its tokens are bound to it; `nil` for a bearer session.
    package var dpopKey: [UInt8]?

    /// ``dpopKey`` as a key to prove with; `nil` for a bearer session (or bytes that are no key).
    package var proofKey: DPoPKey? { dpopKey.flatMap(DPoPKeyCache.key(for:)) }

    /// `DPoP` for a session whose tokens are bound to ``dpopKey``, else `Bearer`.
    package var tokenType: String { dpopKey == nil ? "Bearer" : "DPoP" }

    /// How much of a `User-Agent` is kept.
    package static let maximumUserAgentLength = 200

    /// Creates a record.
    package init(
        subject: String,
        providerSessionID: String?,
        claims: [String: JSONValue],
        idToken: IDToken,
        accessToken: AccessToken,
        accessTokenExpiresAt: Date?,
        refreshToken: RefreshToken?,
        scopes: [String],
        createdAt: Date,
        lastSeenAt: Date,
        absoluteExpiresAt: Date,
        userAgent: String? = nil,
        clientIP: String? = nil
    ) {
        self.subject = subject
        self.providerSessionID = providerSessionID
        self.claims = claims
        self.idToken = idToken
        self.accessToken = accessToken
        self.accessTokenExpiresAt = accessTokenExpiresAt
        self.refreshToken = refreshToken
        self.scopes = scopes
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.absoluteExpiresAt = absoluteExpiresAt
        self.userAgent = userAgent.map { String($0.prefix(Self.maximumUserAgentLength)) }
        self.clientIP = clientIP
    }

    /// A new record for a login: validated ID-token claims plus the code exchange's tokens.
    package init(login claims: IDTokenClaims, idToken: IDToken, tokens: TokenResponse, scopes requested: [String], now: Date, absoluteTimeout: Duration) {
        self.init(
            subject: claims.subject,
            providerSessionID: claims.sessionID,
            claims: claims.all,
            idToken: idToken,
            accessToken: tokens.accessToken,
            accessTokenExpiresAt: tokens.accessTokenExpiresAt,
            refreshToken: tokens.refreshToken,
            scopes: tokens.scopes ?? requested,
            createdAt: now,
            lastSeenAt: now,
            absoluteExpiresAt: now.addingTimeInterval(absoluteTimeout.timeInterval)
        )
    }

    /// Applies a refresh: new access token and expiry, the rotated refresh token when one came
    /// (else the old one stays), and the new ID token and claims when one came.
    package mutating func apply(refreshed tokens: TokenResponse, claims: IDTokenClaims?, now: Date) {
        self.accessToken = tokens.accessToken
        self.accessTokenExpiresAt = tokens.accessTokenExpiresAt
        if let refreshToken = tokens.refreshToken { self.refreshToken = refreshToken }
        if let scopes = tokens.scopes { self.scopes = scopes }
        if let idToken = tokens.idToken, let claims {
            self.idToken = idToken
            self.claims = claims.all
            if let sid = claims.sessionID { self.providerSessionID = sid }
        }
        self.lastSeenAt = now
    }

    /// When the session ends unless used again: the idle timeout from its last use, cut short by the absolute timeout.
    package func expiresAt(idleTimeout: Duration) -> Date {
        min(lastSeenAt.addingTimeInterval(idleTimeout.timeInterval), absoluteExpiresAt)
    }

    /// Whether the absolute timeout has passed.
    package func isExpired(at now: Date) -> Bool {
        now >= self.absoluteExpiresAt
    }
}
