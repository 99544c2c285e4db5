package import NIOSSL

/// TLS to an `https://` upstream (`routes[].tls`): a CA to trust besides the system's
/// (`ca_file`, for a private PKI) and a client certificate for mutual TLS (`cert_file` with
/// `key_file`). The files are read when the configuration loads and on every reload.
package struct UpstreamTLSSettings: Sendable, Hashable {
    package var caFile: String?
    package var certificateFile: String?
    package var keyFile: String?

    /// Reads a route's `tls`; nil when absent. Only for https upstreams; a file that does not load
    /// is reported under its key.
    static func read(_ route: ConfigSection, upstreamIsHTTPS: Bool) -> UpstreamTLSSettings? {
        guard route.node("tls", shape: .yaml) != nil else { return nil }
        let section = route.section("tls")
        let settings = UpstreamTLSSettings(caFile: section.string("ca_file"), certificateFile: section.string("cert_file"), keyFile: section.string("key_file"))
        guard upstreamIsHTTPS else {
            route.report("tls", "applies to https:// upstreams only")
            return nil
        }
        if (settings.certificateFile == nil) != (settings.keyFile == nil) {
            section.report(settings.certificateFile == nil ? "cert_file" : "key_file", "cert_file and key_file go together (the client certificate for mutual TLS)")
            return nil
        }
        do {
            _ = try settings.makeContext()
        } catch {
            section.report(error.key, error.message)
        }
        return settings
    }

    /// The client context: Gatehouse's outbound floor, `ca_file` trusted besides the system's roots,
    /// and the client certificate when given.
    package func makeContext() throws(ListenerTLSSettings.LoadError) -> NIOSSLContext {
        var configuration = outboundTLS()
        if let caFile {
            guard let roots = try? NIOSSLCertificate.fromPEMFile(caFile), !roots.isEmpty else {
                throw .init(key: "ca_file", message: "no PEM certificate could be read from \(caFile)")
            }
            configuration.additionalTrustRoots = [.certificates(roots)]
        }
        if let certificateFile, let keyFile {
            guard let chain = try? NIOSSLCertificate.fromPEMFile(certificateFile), !chain.isEmpty else {
                throw .init(key: "cert_file", message: "no PEM certificate chain could be read from \(certificateFile)")
            }
            guard let key = try? NIOSSLPrivateKey(file: keyFile, format: .pem) else {
                throw .init(key: "key_file", message: "no PEM private key could be read from \(keyFile)")
            }
            configuration.certificateChain = chain.map { .certificate($0) }
            configuration.privateKey = .privateKey(key)
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .init(key: keyFile == nil ? "ca_file" : "key_file", message: keyFile.map { "\($0) does not go with the certificate in \(certificateFile ?? "")" } ?? "the TLS settings could not be used")
        }
    }
}
