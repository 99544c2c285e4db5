import AsyncHTTPClient
import Foundation
import GatehouseOAuth
import Logging
import NIOCore
import NIOPosix

/// `gatehouse check-config --live`: tries what a valid configuration names — the provider's
/// discovery and keys, the client's credentials at the token endpoint, the session store and each
/// route's upstream — and says for each whether it works and, if not, what to fix.
///
/// Nothing is changed anywhere: the token endpoint gets an authorization code that cannot exist
/// (so a provider that accepts the client answers `invalid_grant`, one that does not answers
/// `invalid_client`), Redis gets `PING` and `INFO server`, each upstream one `HEAD /` with no
/// credentials, the trace collector an export of no spans. No line holds a secret.
package struct LiveCheck: Sendable {
    package struct Line: Sendable, Equatable, CustomStringConvertible {
        package enum Outcome: String, Sendable { case pass = "PASS", fail = "FAIL", skip = "SKIP" }
        package var outcome: Outcome
        package var subject: String
        package var detail: String
        /// What to change; only on a failure.
        package var hint: String?

        package var description: String {
            let head = "\(outcome.rawValue)  \(subject): \(detail)"
            return hint.map { head + "\n      fix: \($0)" } ?? head
        }
    }

    /// What the session store answered: its version and, behind sentinels, where they said the
    /// master is; or why it could not be asked.
    package typealias StoreProbe = @Sendable () async throws -> (version: String, topology: String?)

    private let configuration: GatehouseConfiguration
    private let client: HTTPClient
    private let storeProbe: StoreProbe?
    private let timeout: Duration

    /// Runs every check with an HTTP client of its own (the TLS settings `serve` uses), then closes it.
    /// - Parameter storeProbe: `nil` for the memory store; else returns the Redis version.
    package static func run(configuration: GatehouseConfiguration, storeProbe: StoreProbe?, timeout: Duration = .seconds(5)) async -> [Line] {
        let client = HTTPClient(
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            configuration: .init(tlsConfiguration: outboundTLS(), redirectConfiguration: .disallow)
        )
        let lines = await LiveCheck(configuration: configuration, client: client, storeProbe: storeProbe, timeout: timeout).run()
        try? await client.shutdown()
        return lines
    }

    private init(configuration: GatehouseConfiguration, client: HTTPClient, storeProbe: StoreProbe?, timeout: Duration) {
        self.configuration = configuration
        self.client = client
        self.storeProbe = storeProbe
        self.timeout = timeout
    }

    /// The provider chain, the store and each upstream run side by side (an unreachable host costs
    /// the timeout once, not once per check); lines come back in a fixed order.
    private func run() async -> [Line] {
        await withTaskGroup(of: (Int, [Line]).self) { group in
            group.addTask { (0, await provider()) }
            group.addTask { (1, [await store()] + listenerTLS() + (await telemetry().map { [$0] } ?? [])) }
            for (index, route) in configuration.routes.enumerated() {
                group.addTask { (2 + index, [await upstream(route, index: index)]) }
            }
            var results: [(Int, [Line])] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    private func provider() async -> [Line] {
        var lines: [Line] = []
        guard let metadata = await discovery(into: &lines) else {
            return lines + [
                Line(outcome: .skip, subject: "provider keys (JWKS)", detail: "not tried: discovery failed"),
                Line(outcome: .skip, subject: "client credentials", detail: "not tried: discovery failed"),
            ]
        }
        return lines + [await keys(metadata), await clientCredentials(metadata)]
    }

    private var transport: HTTPClientTransport { HTTPClientTransport(client: client) }
    private var issuer: String { GatehouseServer.issuerString(configuration.oidc.issuer) }

    private func discovery(into lines: inout [Line]) async -> ProviderMetadata? {
        let subject = "provider discovery"
        let url = OIDCProvider.discoveryURL(issuer: issuer)
        do {
            let metadata = try await OIDCProvider.fetchMetadata(issuer: issuer, transport: transport, timeout: timeout)
            lines.append(Line(outcome: .pass, subject: subject, detail: "\(url): issuer matches, token endpoint \(metadata.tokenEndpoint.absoluteString)"))
            return metadata
        } catch {
            lines.append(Line(
                outcome: .fail, subject: subject, detail: "\(url): \(error)",
                hint: "check oidc.issuer (the provider's exact issuer; discovery is issuer + /.well-known/openid-configuration), and that this host reaches it (DNS, firewall, HTTPS proxy, CA)"
            ))
            return nil
        }
    }

    private func keys(_ metadata: ProviderMetadata) async -> Line {
        let subject = "provider keys (JWKS)"
        do {
            let keys = try await OIDCProvider.fetchKeys(metadata, transport: transport, timeout: timeout)
            return Line(outcome: .pass, subject: subject, detail: "\(metadata.jwksURI.absoluteString): \(keys.keys.count) usable key\(keys.keys.count == 1 ? "" : "s")")
        } catch {
            return Line(outcome: .fail, subject: subject, detail: "\(metadata.jwksURI.absoluteString): \(error)", hint: "the provider's jwks_uri must be reachable from this host and hold its signing keys")
        }
    }

    private func clientCredentials(_ metadata: ProviderMetadata) async -> Line {
        let subject = "client credentials"
        let endpoint = metadata.tokenEndpoint.absoluteString
        do {
            let settings = OIDCProvider.Settings(issuer: issuer, clientID: configuration.oidc.clientID, authentication: try ClientAuthentication(configuration.oidc))
            let provider = OIDCProvider(settings: settings, transport: transport, logger: Logger(label: "gatehouse.check"))
            let random = SystemRandomSource()
            let probe = try provider.tokenRequests(metadata, random: random).authorizationCode(
                AuthorizationCode("gatehouse-check-config-" + random.base64URLToken(byteCount: 16)),
                verifier: CodeVerifier.generate(using: random), redirectURI: configuration.redirectURI.absoluteString, now: Date()
            )
            // With oidc.dpop the probe carries a proof as a real exchange would, so a provider
            // that insists on DPoP still gets as far as the client check.
            let response = try await transport.post(
                probe, proving: configuration.oidc.dpop ? DPoPKey() : nil, nonces: provider.dpopNonces, timeout: timeout,
                now: { Date() }, random: random
            )
            let error = (try? JSONDecoder().decode(OAuthErrorBody.self, from: Data(response.body)))?.error
            switch error {
            case "invalid_grant":
                return Line(outcome: .pass, subject: subject, detail: "\(endpoint) accepted client \(configuration.oidc.clientID) (the probe code was refused as it should be)")
            case "invalid_client":
                return Line(
                    outcome: .fail, subject: subject, detail: "\(endpoint) answered invalid_client: the provider does not accept client \(configuration.oidc.clientID) with these credentials",
                    hint: "check oidc.client_id, oidc.client_secret (or its _file) and oidc.client_auth against the provider's client registration"
                )
            case "unauthorized_client":
                return Line(outcome: .fail, subject: subject, detail: "\(endpoint) answered unauthorized_client", hint: "allow the authorization_code grant for this client at the provider")
            case let other?:
                return Line(outcome: .fail, subject: subject, detail: "\(endpoint) answered \(other) (HTTP \(response.status)), not invalid_grant", hint: "check the client's registration at the provider (grant types, redirect URI \(configuration.redirectURI.absoluteString))")
            case nil:
                return Line(outcome: .fail, subject: subject, detail: "\(endpoint) answered HTTP \(response.status) without an OAuth error", hint: "the token endpoint in the discovery document must be the provider's OAuth token endpoint")
            }
        } catch {
            return Line(outcome: .fail, subject: subject, detail: "\(endpoint): \(error)", hint: "the token endpoint must be reachable from this host")
        }
    }

    private struct OAuthErrorBody: Decodable { var error: String }

    private func store() async -> Line {
        let subject = "session store"
        guard let storeProbe else {
            return Line(outcome: .pass, subject: subject, detail: "memory: nothing to reach (one replica only; sessions end with the process)")
        }
        do {
            let (version, topology) = try await storeProbe()
            let parts = version.split(separator: ".").compactMap { Int($0) }
            guard (parts.first ?? 0, parts.dropFirst().first ?? 0) >= (6, 2) else {
                return Line(outcome: .fail, subject: subject, detail: "Redis \(version) answered; Gatehouse needs 6.2 or later (GETDEL)", hint: "upgrade Redis to 6.2 or later")
            }
            return Line(outcome: .pass, subject: subject, detail: "Redis \(version) answered PING and INFO" + (topology.map { "; \($0)" } ?? ""))
        } catch {
            return Line(outcome: .fail, subject: subject, detail: "\(error)", hint: "start Redis, or correct session.store (host, port, user, password, TLS; for sentinels their addresses and the master name)")
        }
    }

    /// The listener's certificate: it loads with its key, and how long it is still valid.
    private func listenerTLS() -> [Line] {
        guard let settings = configuration.tls else { return [] }
        let subject = "tls files"
        do {
            _ = try settings.makeContext()
            let days = Int(try settings.expiry().timeIntervalSinceNow / 86_400)
            guard days >= 0 else {
                return [Line(outcome: .fail, subject: subject, detail: "the certificate in \(settings.certificateFile) has expired", hint: "renew it, then send SIGHUP to every replica")]
            }
            return [Line(outcome: .pass, subject: subject, detail: "\(settings.certificateFile) and its key load; the certificate is valid for \(days) more day\(days == 1 ? "" : "s")")]
        } catch {
            return [Line(outcome: .fail, subject: subject, detail: "\(error)", hint: "tls.cert_file must be a PEM chain (leaf first) and tls.key_file its PEM private key")]
        }
    }

    /// The OTLP/HTTP collector takes an export, an empty one (no spans, so nothing is recorded).
    private func telemetry() async -> Line? {
        guard let url = configuration.telemetry.tracesURL else { return nil }
        let subject = "telemetry collector"
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-protobuf")
        request.body = .bytes(ByteBuffer())
        do {
            let response = try await client.execute(request, timeout: .init(timeout))
            guard (200..<300).contains(response.status.code) else {
                return Line(
                    outcome: .fail, subject: subject, detail: "\(url) answered HTTP \(response.status.code) to an empty OTLP export",
                    hint: "telemetry.otlp_endpoint must be the collector's OTLP/HTTP base URL (port 4318 by default); a collector that wants a key gets it from OTEL_EXPORTER_OTLP_HEADERS"
                )
            }
            return Line(outcome: .pass, subject: subject, detail: "\(url) took an empty OTLP export (HTTP \(response.status.code))")
        } catch {
            return Line(outcome: .fail, subject: subject, detail: "\(url): \(error)", hint: "start the collector, or correct telemetry.otlp_endpoint (or leave it empty: tracing off)")
        }
    }

    private func upstream(_ route: Route, index: Int) async -> Line {
        let subject = "routes[\(index)] \(route.path) upstream"
        let url = route.upstream.absoluteString
        var request = HTTPClientRequest(url: url)
        request.method = .HEAD
        do {
            let response = try await client.execute(request, timeout: .init(timeout))
            return Line(outcome: .pass, subject: subject, detail: "\(url) answered HTTP \(response.status.code)")
        } catch {
            let scheme = route.upstream.scheme == "https" ? "TLS " : ""
            return Line(
                outcome: .fail, subject: subject, detail: "\(url): \(error)",
                hint: "start the upstream, or correct routes[\(index)].upstream (host, port, scheme\(scheme.isEmpty ? "" : ", its certificate chain"))"
            )
        }
    }
}
