/// Body of `POST /_dev/logout-token` and `POST /_dev/backchannel-logout`.
struct LogoutKnob: Codable, Sendable {
    var client_id: String?
    var sid: String?
    var sub: String?
}
