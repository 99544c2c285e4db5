/// The `prompt` a SPA may ask `/bff/login` to pass on (OpenID Connect Core §3.1.2.1).
package enum Prompt: String, Sendable, Hashable, Codable, CaseIterable {
    /// Silent sign-in: no page at the provider; a provider that needs one answers an error.
    case none
    case login
    case consent
    case selectAccount = "select_account"

    /// Whether `error` is a silent sign-in's "the user must interact" answer, which ends at the
    /// return URL with no session rather than on an error page.
    package static func isInteractionNeeded(_ error: OAuthErrorCode) -> Bool {
        switch error {
        case .loginRequired, .interactionRequired, .consentRequired: true
        case .other(let name): name == "account_selection_required"
        default: false
        }
    }
}
