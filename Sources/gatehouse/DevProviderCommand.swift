import ArgumentParser
import DevOpenIDProvider
import Foundation
import Hummingbird
import Logging

/// `gatehouse dev-provider`: the development OpenID provider alone, for local work and the compose file.
struct DevProviderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-provider",
        abstract: "Runs only the built-in development OpenID provider. Never for production.",
        discussion: "Serves discovery, JWKS, a login page (user 'demo', password 'demo'), the token, userinfo, "
            + "revocation and end-session endpoints, and test knobs under /_dev/. Runs until SIGINT or SIGTERM."
    )

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 9000

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Issuer URL, when clients reach the provider under another address (default: http://HOST:PORT).")
    var issuer: String?

    @Option(name: .customLong("client-id"), help: "The registered client's id.")
    var clientID: String = DevOpenIDProvider.Client.demo.id

    @Option(name: .customLong("client-secret"), help: "The registered client's secret.")
    var clientSecret: String = DevOpenIDProvider.Client.demo.secret ?? ""

    @Option(name: .customLong("redirect-uri"), help: "The registered client's redirect URI (repeatable).")
    var redirectURIs: [String] = []

    @Option(name: .customLong("post-logout-redirect-uri"), help: "A registered post-logout redirect URI (repeatable).")
    var postLogoutRedirectURIs: [String] = []

    @Option(name: .customLong("backchannel-logout-uri"), help: "Where back-channel logout tokens are POSTed.")
    var backchannelLogoutURI: String = DevOpenIDProvider.Client.demo.backchannelLogoutURI ?? ""

    @Option(help: "Pushed authorization requests (RFC 9126): off, offered, or required (only pushed requests are accepted).")
    var par: DevOpenIDProvider.PushedAuthorizationSupport = .off

    func validate() throws {
        // The contract: a bad value gets one line on stderr and exit status 2.
        if let problem = problem() {
            FileHandle.standardError.write(Data("Error: \(problem)\n".utf8))
            throw ExitCode(2)
        }
    }

    private func problem() -> String? {
        guard (0...65535).contains(port) else { return "--port must be between 0 and 65535" }
        guard !host.isEmpty else { return "--host must not be empty" }
        if let issuer, !Self.isHTTPURL(issuer) { return "--issuer must be an http(s) URL" }
        guard !clientID.isEmpty else { return "--client-id must not be empty" }
        guard !clientSecret.isEmpty else { return "--client-secret must not be empty" }
        for uri in redirectURIs + postLogoutRedirectURIs + [backchannelLogoutURI] where !Self.isHTTPURL(uri) {
            return "'\(uri)' is not an http(s) URL"
        }
        return nil
    }

    func run() async throws {
        let client = DevOpenIDProvider.Client(
            id: clientID,
            secret: clientSecret,
            redirectURIs: redirectURIs.isEmpty ? DevOpenIDProvider.Client.demo.redirectURIs : redirectURIs,
            postLogoutRedirectURIs: postLogoutRedirectURIs.isEmpty
                ? DevOpenIDProvider.Client.demo.postLogoutRedirectURIs : postLogoutRedirectURIs,
            backchannelLogoutURI: backchannelLogoutURI
        )
        let provider = try DevOpenIDProvider(configuration: .init(issuer: issuer, clients: [client], pushedAuthorization: par))
        let application = provider.makeApplication(host: host, port: port) { issuer in
            let banner = """
                ************************************************************
                  DEVELOPMENT ONLY: this OpenID provider is for local work and
                  tests. Its users' passwords are shown on its login page.
                  Never run it in production.
                ************************************************************
                Issuer:    \(issuer)
                Discovery: \(issuer)/.well-known/openid-configuration
                Client:    \(client.id) (redirect \(client.redirectURIs.joined(separator: ", ")))
                Log in as: demo / demo

                """
            // Unbuffered, so piped output (compose, CI logs) shows the warning at once.
            FileHandle.standardOutput.write(Data(banner.utf8))
        }
        try await application.runService()
    }

    private static func isHTTPURL(_ string: String) -> Bool {
        guard let url = URL(string: string), let scheme = url.scheme?.lowercased(), url.host != nil else { return false }
        return scheme == "http" || scheme == "https"
    }
}

extension DevOpenIDProvider.PushedAuthorizationSupport: ExpressibleByArgument {}
