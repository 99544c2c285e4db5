/// A logout token ready to be POSTed to one client's back-channel logout URI.
struct BackchannelLogoutTarget: Sendable {
    var clientID: String
    var uri: String
    var logoutToken: String
}
