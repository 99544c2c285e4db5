/// Body of `/_dev/lifetimes`, in seconds; absent fields are left as they are.
struct LifetimesKnob: Codable, Sendable {
    var access_token: Double?
    var refresh_token: Double?
    var id_token: Double?
    var authorization_code: Double?
    var pushed_request: Double?

    init(_ lifetimes: DevOpenIDProvider.Lifetimes) {
        access_token = lifetimes.accessToken.timeInterval
        refresh_token = lifetimes.refreshToken.timeInterval
        id_token = lifetimes.idToken.timeInterval
        authorization_code = lifetimes.authorizationCode.timeInterval
        pushed_request = lifetimes.pushedRequest.timeInterval
    }

    func applied(to lifetimes: DevOpenIDProvider.Lifetimes) -> DevOpenIDProvider.Lifetimes {
        var updated = lifetimes
        if let access_token { updated.accessToken = .milliseconds(Int64(access_token * 1000)) }
        if let refresh_token { updated.refreshToken = .milliseconds(Int64(refresh_token * 1000)) }
        if let id_token { updated.idToken = .milliseconds(Int64(id_token * 1000)) }
        if let authorization_code { updated.authorizationCode = .milliseconds(Int64(authorization_code * 1000)) }
        if let pushed_request { updated.pushedRequest = .milliseconds(Int64(pushed_request * 1000)) }
        return updated
    }
}
