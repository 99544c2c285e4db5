/// The HTML login page: small, self-contained, and loud about being for development only.
struct LoginPage: Sendable {
    var requestID: String
    var clientID: String
    /// Username and password pairs, shown on the page on purpose.
    var users: [(username: String, password: String)]
    var error: String?

    var html: String {
        let credentials = users.map {
            "<li>username <code>\($0.username.htmlEscaped)</code> · password <code>\($0.password.htmlEscaped)</code></li>"
        }.joined()
        let errorBlock = error.map { "<p class=\"error\" role=\"alert\">\($0.htmlEscaped)</p>" } ?? ""
        let body = """
            <h1>Sign in</h1>
            <p class="muted">to continue to <strong>\(clientID.htmlEscaped)</strong></p>
            \(errorBlock)
            <form method="post" action="/authorize">
              <input type="hidden" name="request_id" value="\(requestID.htmlEscaped)">
              <label>Username <input name="username" autocomplete="username" autofocus required></label>
              <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
              <div class="actions">
                <button type="submit" name="action" value="login">Sign in</button>
                <button type="submit" name="action" value="deny" class="secondary" formnovalidate>Deny</button>
              </div>
            </form>
            <div class="hint"><strong>Demo credentials</strong><ul>\(credentials)</ul></div>
            """
        return ProviderPage(title: "Sign in · Gatehouse dev provider", body: body).html
    }
}
