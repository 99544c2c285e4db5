import Logging

/// Every `gatehouse.event` Gatehouse logs, in one catalogue: operators grep and alert on these
/// names, so they are part of the contract and are changed here or nowhere.
/// Events carry `gatehouse.*` metadata only: a session key's hash, never a cookie value, token,
/// code or secret.
enum EventName {
    // admin
    static let adminSessionsEnded: Logger.MetadataValue = "admin.sessions_ended"
    static let adminSessionsListed: Logger.MetadataValue = "admin.sessions_listed"
    static let adminUnauthorized: Logger.MetadataValue = "admin.unauthorized"
    // authorization (routes[].require)
    static let authorizationRefused: Logger.MetadataValue = "authorization.refused"
    static let authorizationStepUp: Logger.MetadataValue = "authorization.step_up"
    static let authorizationAcrUnsupported: Logger.MetadataValue = "authorization.acr_unsupported"
    // backchannel
    static let backchannelOk: Logger.MetadataValue = "backchannel.ok"
    static let backchannelRejected: Logger.MetadataValue = "backchannel.rejected"
    // client_token
    static let clientTokenFailed: Logger.MetadataValue = "client_token.failed"
    static let clientTokenOk: Logger.MetadataValue = "client_token.ok"
    // config (SIGHUP reload)
    static let configReloaded: Logger.MetadataValue = "config.reloaded"
    static let configReloadFailed: Logger.MetadataValue = "config.reload_failed"
    static let configRestartNeeded: Logger.MetadataValue = "config.restart_needed"
    static let tlsReloaded: Logger.MetadataValue = "tls.reloaded"
    static let tlsReloadFailed: Logger.MetadataValue = "tls.reload_failed"
    // csrf
    static let csrfMissing: Logger.MetadataValue = "csrf.missing"
    // login
    static let loginExchangeFailed: Logger.MetadataValue = "login.exchange_failed"
    static let loginIdTokenRejected: Logger.MetadataValue = "login.id_token_rejected"
    static let loginInvalidState: Logger.MetadataValue = "login.invalid_state"
    static let loginIssMismatch: Logger.MetadataValue = "login.iss_mismatch"
    static let loginOk: Logger.MetadataValue = "login.ok"
    static let loginOtherBrowser: Logger.MetadataValue = "login.other_browser"
    static let loginPushRefused: Logger.MetadataValue = "login.push_refused"
    static let loginRefused: Logger.MetadataValue = "login.refused"
    static let loginSessionsLimited: Logger.MetadataValue = "login.sessions_limited"
    static let loginSilentRefused: Logger.MetadataValue = "login.silent_refused"
    static let loginStart: Logger.MetadataValue = "login.start"
    // logout
    static let logout: Logger.MetadataValue = "logout"
    // sessions API
    static let sessionEnded: Logger.MetadataValue = "sessions.ended"
    static let sessionsEndedOthers: Logger.MetadataValue = "sessions.ended_others"
    // provider
    static let providerMismatch: Logger.MetadataValue = "provider.mismatch"
    // proxy
    static let proxyFailed: Logger.MetadataValue = "proxy.failed"
    // refresh
    static let refreshDiscarded: Logger.MetadataValue = "refresh.discarded"
    static let refreshFailed: Logger.MetadataValue = "refresh.failed"
    static let refreshIdTokenRejected: Logger.MetadataValue = "refresh.id_token_rejected"
    static let refreshInvalidGrant: Logger.MetadataValue = "refresh.invalid_grant"
    static let refreshLeaseLost: Logger.MetadataValue = "refresh.lease_lost"
    static let refreshLockTimeout: Logger.MetadataValue = "refresh.lock_timeout"
    static let refreshOk: Logger.MetadataValue = "refresh.ok"
    static let refreshReleaseFailed: Logger.MetadataValue = "refresh.release_failed"
    static let refreshRevocationFailed: Logger.MetadataValue = "refresh.revocation_failed"
    // revocation
    static let revocationFailed: Logger.MetadataValue = "revocation.failed"
    // token exchange (routes[].audience)
    static let tokenExchangeFailed: Logger.MetadataValue = "token_exchange.failed"
    static let tokenExchangeOk: Logger.MetadataValue = "token_exchange.ok"
    static let tokenExchangeRefused: Logger.MetadataValue = "token_exchange.refused"
    // websocket
    static let websocketOriginRefused: Logger.MetadataValue = "websocket.origin_refused"
}
