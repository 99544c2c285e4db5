/// A refresh waited for another replica's refresh lock past its deadline (that replica's
/// provider call is slow, or it died holding the lease); answered as `refresh_timeout`.
struct RefreshWaitTimeout: Error {}
