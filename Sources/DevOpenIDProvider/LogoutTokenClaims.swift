/// The claims of a back-channel logout token (Back-Channel Logout 1.0 §2.4). Never a `nonce`.
struct LogoutTokenClaims: Codable, Sendable {
    struct Events: Codable, Sendable {
        struct Empty: Codable, Sendable {}
        var backchannelLogout = Empty()

        enum CodingKeys: String, CodingKey {
            case backchannelLogout = "http://schemas.openid.net/event/backchannel-logout"
        }
    }

    var iss: String
    var aud: String
    var iat: Int
    var exp: Int
    var jti: String
    var events = Events()
    var sid: String?
    var sub: String?
}
