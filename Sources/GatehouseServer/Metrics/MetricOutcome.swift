/// The `result` label values of Gatehouse's counters, as closed sets: a dashboard or alert can
/// rely on exactly these, and a typo is a compile error rather than a new time series.
package enum RefreshOutcome: String, Sendable, CaseIterable {
    case ok
    case failed
    case invalidGrant = "invalid_grant"
    /// Another caller's refresh (in this process or on another replica) was used.
    case coalesced
    /// The session ended during the refresh; its new tokens were revoked, not stored.
    case discarded
}

/// `gatehouse_logins_total{result}`.
package enum LoginOutcome: String, Sendable, CaseIterable {
    case ok
    case failed
}

/// `gatehouse_client_tokens_total{result}`.
package enum ClientTokenOutcome: String, Sendable, CaseIterable {
    case ok
    case failed
}

/// `gatehouse_token_exchanges_total{result}`.
package enum TokenExchangeOutcome: String, Sendable, CaseIterable {
    case ok
    /// The provider refused (403 `token_exchange_failed`).
    case refused
    /// The provider could not be asked or answered nonsense.
    case failed
}

/// `gatehouse_authorization_refusals_total{result}`.
package enum AuthorizationOutcome: String, Sendable, CaseIterable {
    case insufficient
    case stepUp = "step_up"
}

/// `gatehouse_config_reloads_total{result}`: `ok` (the file was valid; its reloadable keys are in
/// force) or `failed` (nothing changed).
package enum ConfigReloadOutcome: String, Sendable, CaseIterable {
    case ok
    case failed
}
