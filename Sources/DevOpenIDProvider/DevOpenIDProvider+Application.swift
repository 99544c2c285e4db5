package import Hummingbird
package import Logging

extension DevOpenIDProvider {
    /// The provider's routes, for callers that assemble their own application.
    /// When the issuer is `nil` in the configuration, call ``serverDidStart(host:port:)`` once listening.
    package nonisolated func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        ProtocolRoutes(provider: self).addRoutes(to: router)
        if configuration.servesTestEndpoints {
            TestKnobRoutes(provider: self).addRoutes(to: router)
        }
        return router
    }

    /// A Hummingbird application serving the provider on `host:port`; run it with `runService()`
    /// or put it in a `ServiceGroup`.
    ///
    /// With `port` 0 the system picks a free port; when the configured issuer is `nil` it becomes
    /// `http://host:<that port>` before `onServerRunning` is called with it, so wait for that callback
    /// before using the issuer.
    package nonisolated func makeApplication(
        host: String = "127.0.0.1",
        port: Int = 9000,
        logger: Logger? = nil,
        onServerRunning: @escaping @Sendable (_ issuer: String) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(host, port: port), serverName: "gatehouse-dev-provider"),
            onServerRunning: { channel in
                await self.serverDidStart(host: host, port: channel.localAddress?.port ?? port)
                await onServerRunning(await self.issuer)
            },
            logger: logger ?? Logger(label: "gatehouse.dev-provider")
        )
    }
}
