/// Timings fixed by the design rather than by a configuration key; part of the one model so
/// every component reads them from the configuration, and tests shorten them there.
package struct ProtocolTimings: Sendable, Hashable {
    /// Limit for each call to the provider (discovery, keys, token and revocation endpoints).
    package var providerCall: Duration = .seconds(10)
    /// How long a replica's refresh lock lasts unless renewed; it is renewed every third of this
    /// while the token call runs, so a slow provider never lets a second replica spend the same
    /// refresh token.
    package var refreshLockLease: Duration = .seconds(5)
    /// How long a login may take between `/bff/login` and the callback (PRODUCT.md: 10 minutes).
    package var login: Duration = .seconds(600)

    package init() {}
}
