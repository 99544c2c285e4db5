/// What an endpoint a browser visits (authorize, end-session) answers with.
enum BrowserStep: Sendable {
    /// Show the login page for a pending request.
    case login(LoginPage)
    /// 302 to this URL (a registered redirect URI).
    case redirect(String)
    /// An error the user must see, because there is no trustworthy place to redirect to.
    case errorPage(String)
    /// The "you are signed out" page, when logout names no redirect.
    case signedOut
}
