package import Foundation
package import NIOSSL

/// HTTPS on the public listener (`tls`): a PEM certificate chain and its private key. Both files
/// are read when the configuration loads (so `check-config` reports a bad file) and again on every
/// reload, so a renewed certificate under the same paths is served after `SIGHUP`.
package struct ListenerTLSSettings: Sendable, Hashable {
    /// The PEM chain, leaf first (`tls.cert_file`).
    package var certificateFile: String
    /// The PEM private key (`tls.key_file`).
    package var keyFile: String

    /// Reads `tls`; nil when it is absent. A file that does not load is reported under its key.
    static func read(_ root: ConfigSection) -> ListenerTLSSettings? {
        let section = root.section("tls")
        guard section.node("cert_file") != nil || section.node("key_file") != nil else { return nil }
        guard let certificate = section.requiredString("cert_file"), let key = section.requiredString("key_file") else { return nil }
        let settings = ListenerTLSSettings(certificateFile: certificate, keyFile: key)
        do {
            _ = try settings.makeContext()
        } catch {
            section.report(error.key, error.message)
        }
        return settings
    }

    /// Why a file did not load: the key it was named by and a message without its contents.
    package struct LoadError: Error, Sendable, CustomStringConvertible {
        package var key: String
        package var message: String
        package var description: String { "tls.\(key): \(message)" }
    }

    /// Reads both files now into a server context offering HTTP/2 and HTTP/1.1 by ALPN, with the outbound
    /// floor (TLS 1.2, forward-secret AEAD suites).
    package func makeContext() throws(LoadError) -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        } catch {
            throw LoadError(key: "cert_file", message: "no PEM certificate chain could be read from \(certificateFile)")
        }
        guard !chain.isEmpty else { throw LoadError(key: "cert_file", message: "\(certificateFile) holds no certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            throw LoadError(key: "key_file", message: "no PEM private key could be read from \(keyFile)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)).withGatehouseFloor()
        configuration.applicationProtocols = ["h2", "http/1.1"]
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw LoadError(key: "key_file", message: "\(keyFile) does not go with the certificate in \(certificateFile)")
        }
    }

    /// When the leaf certificate stops being valid.
    package func expiry() throws(LoadError) -> Date {
        guard let leaf = try? NIOSSLCertificate.fromPEMFile(certificateFile).first else {
            throw LoadError(key: "cert_file", message: "no PEM certificate chain could be read from \(certificateFile)")
        }
        return Date(timeIntervalSince1970: TimeInterval(leaf.notValidAfter))
    }
}
