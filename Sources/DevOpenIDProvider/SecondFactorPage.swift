/// The second step of a login that asked for ``DevOpenIDProvider/multiFactorACR``: a one-time code,
/// shown on the page itself, since this is a development tool.
struct SecondFactorPage: Sendable {
    var requestID: String
    var code: String
    var error: String?

    var html: String {
        let errorBlock = error.map { "<p class=\"error\" role=\"alert\">\($0.htmlEscaped)</p>" } ?? ""
        let body = """
            <h1>Second step</h1>
            <p class="muted">This app asked for a stronger sign-in. Enter your one-time code.</p>
            \(errorBlock)
            <form method="post" action="/authorize">
              <input type="hidden" name="request_id" value="\(requestID.htmlEscaped)">
              <label>One-time code <input name="otp" inputmode="numeric" autocomplete="one-time-code" autofocus required></label>
              <div class="actions">
                <button type="submit" name="action" value="login">Verify</button>
                <button type="submit" name="action" value="deny" class="secondary" formnovalidate>Deny</button>
              </div>
            </form>
            <div class="hint"><strong>Demo code</strong><ul><li><code>\(code.htmlEscaped)</code></li></ul></div>
            """
        return ProviderPage(title: "Second step · Gatehouse dev provider", body: body).html
    }
}
