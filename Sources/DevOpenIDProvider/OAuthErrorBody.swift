/// The JSON body of an OAuth error answer.
struct OAuthErrorBody: Codable, Sendable {
    var error: String
    var error_description: String
}
