/// What a route's `require` rules say about one session.
package enum RouteVerdict: Sendable, Equatable {
    /// Every rule holds.
    case allowed
    /// A `claims` or `scopes` rule fails (403 `insufficient_claims`): the named rule, never the user's values.
    case insufficient(rule: String)
    /// An `acr` or `max_age` rule fails (401 `step_up_required`): a new login can cure it.
    case stepUp(rule: String)
}
