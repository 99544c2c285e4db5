import GatehouseSessions

extension BFFError {
    /// The public answer for a failure below the HTTP layer, decided in one place so `/bff/*`,
    /// the proxy and WebSocket upgrades give the same status for the same state; `nil` for
    /// errors that are not the store's, the provider's or the refresh's (a bug: 500).
    static func mapping(_ error: any Error) -> BFFError? {
        switch error {
        case let error as BFFError: error
        case is SessionStoreError: .storeUnavailable
        case let error as ProviderError:
            if error.isNotReady { .providerNotReady } else if error.isTimeout { .providerTimeout } else { .providerFailed }
        case is RefreshWaitTimeout: .refreshWaitTimeout
        default: nil
        }
    }

    public static let refreshWaitTimeout = BFFError(
        status: .gatewayTimeout, code: "refresh_timeout",
        message: "Another replica's token refresh for this session did not finish in time; try again shortly."
    )
    public static let internalError = BFFError(status: .internalServerError, code: "internal_error", message: "Gatehouse failed to handle this request.")
}

/// A refresh waited for another replica's refresh lock past its deadline (that replica's
/// provider call is slow, or it died holding the lease).
struct RefreshWaitTimeout: Error {}
