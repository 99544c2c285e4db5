/// What an endpoint a browser visits (authorize, end-session) answers with.
enum BrowserStep: Sendable {
    /// Show the login page for a pending request.
    case login(LoginPage)
    /// 302 to this URL (a registered redirect URI).
    case redirect(String)
    /// 302 to this URL after a login, setting the provider's login-session cookie (silent sign-in reuses it).
    case signedIn(redirect: String, session: String)
    /// The second-factor page of a login that asked for ``DevOpenIDProvider/multiFactorACR``.
    case secondFactor(SecondFactorPage)
    /// An error the user must see, because there is no trustworthy place to redirect to.
    case errorPage(String)
    /// The "you are signed out" page, when logout names no redirect.
    case signedOut
}
