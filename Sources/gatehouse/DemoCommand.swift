import ArgumentParser
import AsyncHTTPClient
import Crypto
import DevOpenIDProvider
import Foundation
import GatehouseServer
import Logging

/// `gatehouse demo`: everything on one machine with no other service — the
/// proxy (memory store unless --redis), the development provider, a demo API
/// and the SPA in Public/.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Runs the proxy, a development OpenID provider, a demo API and the demo SPA. Never for production."
    )

    @Option(help: "Port of the proxy; the provider uses port+1, the demo API port+2, the admin listener port+3.")
    var port = 8080

    @Option(help: "Use this Redis (redis://host:port/db) instead of the in-memory store.")
    var redis: String?

    @Option(help: "Folder of the SPA.")
    var staticDir = "Public"

    func validate() throws {
        guard (1...65532).contains(port) else { throw ValidationError("--port must be between 1 and 65532") }
        if let redis, !(redis.hasPrefix("redis://") || redis.hasPrefix("rediss://")) {
            throw ValidationError("--redis must be a redis:// or rediss:// URL")
        }
    }

    func run() async throws {
        let publicURL = "http://127.0.0.1:\(port)"
        let issuer = "http://127.0.0.1:\(port + 1)"
        let client = DevOpenIDProvider.Client.demo
        let secret = client.secret ?? ""
        let key = Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64EncodedString()
        let yaml = """
            listen: 127.0.0.1:\(port)
            admin_listen: 127.0.0.1:\(port + 3)
            public_url: \(publicURL)
            static_dir: \(staticDir)
            oidc:
              issuer: \(issuer)
              client_id: \(client.id)
              client_secret: \(secret)
              dpop: true
            session:
              store: \(redis ?? "memory")
              encryption_keys: ["\(key)"]
            log:
              level: info
              format: text
            routes:
              - path: /api/
                upstream: http://127.0.0.1:\(port + 2)/
              - path: /api/admin/
                upstream: http://127.0.0.1:\(port + 2)/
                require:
                  claims: {groups: [orders-admins]}
              - path: /api/step-up/
                upstream: http://127.0.0.1:\(port + 2)/
                require:
                  acr: [\(DevOpenIDProvider.multiFactorACR)]
              - path: /api/orders/
                upstream: http://127.0.0.1:\(port + 2)/
                audience: https://orders.example.com
            """
        let configuration: GatehouseConfiguration
        do {
            configuration = try ConfigurationLoader(environment: [:]).load(yaml: yaml, source: "demo")
        } catch {
            for problem in error.problems { FileHandle.standardError.write(Data("demo: \(problem)\n".utf8)) }
            throw ExitCode(1)
        }
        let logger = LogSetup.bootstrap(configuration.log).logger

        let registered = DevOpenIDProvider.Client(
            id: client.id, secret: secret,
            redirectURIs: ["\(publicURL)/bff/callback"],
            postLogoutRedirectURIs: ["\(publicURL)/"],
            backchannelLogoutURI: "\(publicURL)/bff/backchannel-logout"
        )
        let admin = DevOpenIDProvider.User(
            username: "admin", password: "admin", subject: "3f2a1c9e-demo-admin-0002", name: "Demo Admin", email: "admin@example.com",
            groups: ["demo-users", "orders-admins"]
        )
        // PAR offered, so the demo's logins are pushed (oidc.par: auto) and the browser's URL carries only a request_uri.
        let provider = try DevOpenIDProvider(configuration: .init(issuer: issuer, clients: [registered], users: [.demo, admin], pushedAuthorization: .offered))
        let providerApp = provider.makeApplication(host: "127.0.0.1", port: port + 1, logger: logger)
        // The shared client lives as long as the process: nothing to shut down.
        let apiClient = HTTPClient.shared
        let api = DemoAPI.makeApplication(port: port + 2, issuer: issuer, clientID: client.id, clientSecret: secret, httpClient: apiClient, logger: logger)
        let store = redis == nil ? "in-memory sessions" : "sessions in Redis"

        try await GatehouseRuntime.run(configuration: configuration, logger: logger, extraServices: [providerApp, api]) { _ in
            // Straight to the file handle: print() is block-buffered when piped.
            FileHandle.standardOutput.write(Data("""

                Gatehouse demo is running (\(store)). Open:

                    \(publicURL)/

                Sign in as  demo / demo  (or admin / admin, in group orders-admins) at the development provider (\(issuer)).
                The demo API is behind Gatehouse at /api/me; /api/admin/me needs group orders-admins,
                /api/step-up/me a second factor (code 000000), /api/orders/me gets an exchanged token. Stop with Ctrl-C.
                DEVELOPMENT ONLY — the provider and its demo user are never for production.

                """.utf8))
        }
    }
}
