import Crypto
import _CryptoExtras
import Foundation
import GatehouseServer
import Testing

@Suite("Configuration *_file secrets")
struct ConfigurationSecretFileTests {
    @Test("client_secret_file, store_file and encryption_keys_file supply the secrets, trailing newline trimmed")
    func fromFiles() throws {
        let scratch = try ConfigurationScratch()
        defer { scratch.cleanUp() }
        let secretPath = try scratch.write("client-secret", Secrets.clientSecret + "\n")
        let storePath = try scratch.write("redis-url", "redis://default:\(Secrets.redisPassword)@redis:6379/1\r\n")
        let keysPath = try scratch.write("keys", "\(Secrets.keyOneBase64)\n\n\(Secrets.keyTwoBase64)\n")
        let yaml = """
            public_url: https://app.example.com
            oidc:
              issuer: https://idp.example.com
              client_id: spa-bff
              client_secret_file: \(secretPath)
            session:
              store_file: \(storePath)
              encryption_keys_file: \(keysPath)
            """
        let configuration = try ConfigurationLoader(environment: [:]).load(yaml: yaml)
        #expect(configuration.oidc.clientSecret == ConfigSecret(Secrets.clientSecret))
        #expect(configuration.session.encryptionKeys == [ConfigSecret(Secrets.keyOne), ConfigSecret(Secrets.keyTwo)])
        guard case .redis(let url) = configuration.session.store else {
            Issue.record("expected Redis")
            return
        }
        #expect(url.password == ConfigSecret(Secrets.redisPassword))
        #expect(url.database == 1)
        #expect(url.description == "redis://default:<redacted>@redis:6379/1")
    }

    @Test("*_file keys can be given through the environment")
    func fileFromEnvironment() throws {
        let scratch = try ConfigurationScratch()
        defer { scratch.cleanUp() }
        let secretPath = try scratch.write("client-secret", "env-file-secret\n")
        let yaml = minimalYAML.replacingOccurrences(of: "  client_secret: \"\(Secrets.clientSecret)\"\n", with: "")
        let configuration = try ConfigurationLoader(environment: ["GATEHOUSE_OIDC_CLIENT_SECRET_FILE": secretPath]).load(yaml: yaml)
        #expect(configuration.oidc.clientSecret?.value == "env-file-secret")
    }

    @Test("giving both a secret and its _file twin is a problem for each pair")
    func both() throws {
        let scratch = try ConfigurationScratch()
        defer { scratch.cleanUp() }
        let path = try scratch.write("s", "x\n")
        let yaml = """
            public_url: https://app.example.com
            oidc:
              issuer: https://idp.example.com
              client_id: spa-bff
              client_secret: "\(Secrets.clientSecret)"
              client_secret_file: \(path)
            session:
              store: memory
              store_file: \(path)
              encryption_keys: ["\(Secrets.keyOneBase64)"]
              encryption_keys_file: \(path)
            """
        let found = problems(yaml)
        #expect(found.map(\.keyPath) == ["oidc.client_secret", "session.store", "session.encryption_keys"])
        #expect(found[0].message == "give either client_secret or client_secret_file, not both")
    }

    @Test("a missing or empty secret file is a problem naming the file's key and path")
    func unreadable() throws {
        let scratch = try ConfigurationScratch()
        defer { scratch.cleanUp() }
        let empty = try scratch.write("empty", "\n")
        let yaml = """
            public_url: https://app.example.com
            oidc:
              issuer: https://idp.example.com
              client_id: spa-bff
              client_secret_file: /nonexistent/secret
            session:
              store_file: \(empty)
              encryption_keys_file: \(scratch.directory.path)
            """
        let found = problems(yaml)
        #expect(found.map(\.keyPath) == ["oidc.client_secret_file", "session.store_file", "session.encryption_keys_file"])
        #expect(found[0].message == "cannot read the secret: /nonexistent/secret does not exist")
        #expect(found[1].message.hasSuffix("is empty"))
        #expect(found[2].message.contains("is a directory"))
    }

    @Test("a bad key in encryption_keys_file is reported by line, without the key")
    func badKeyLine() throws {
        let scratch = try ConfigurationScratch()
        defer { scratch.cleanUp() }
        let keys = try scratch.write("keys", "\(Secrets.keyOneBase64)\n\(Secrets.shortKeyBase64)\n")
        let yaml = minimalYAML.replacingOccurrences(
            of: "  encryption_keys: [\"\(Secrets.keyOneBase64)\"]",
            with: "  encryption_keys_file: \(keys)"
        )
        let found = problems(yaml)
        #expect(found.map(\.description) == [
            "session.encryption_keys_file: key on line 2 decodes to 31 bytes, not 32; make one with `gatehouse keygen`"
        ])
    }

    @Test("private_key_jwt needs a private_key_file with an RSA or EC P-256 key and a private_key_id, and no client secret")
    func privateKeyJWT() throws {
        let scratch = try ConfigurationScratch()
        defer { scratch.cleanUp() }
        let pem = try scratch.write("key.pem", P256.Signing.PrivateKey().pemRepresentation)
        let rsa = try scratch.write("rsa.pem", try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation)
        let notPEM = try scratch.write("key.txt", "hello")
        // PEM that parses as no key, and keys of kinds private_key_jwt cannot sign with.
        let garbled = try scratch.write("garbled.pem", "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG\n-----END PRIVATE KEY-----\n")
        let p384 = try scratch.write("p384.pem", P384.Signing.PrivateKey().pemRepresentation)
        let ed25519 = try scratch.write("ed25519.pem", Curve25519.Signing.PrivateKey().pemRepresentationForTests)
        let base = """
            public_url: https://app.example.com
            oidc:
              issuer: https://idp.example.com
              client_id: spa-bff
              client_auth: private_key_jwt
            session:
              store: memory
              encryption_keys: ["\(Secrets.keyOneBase64)"]
            """
        func with(_ lines: String) -> String {
            base.replacingOccurrences(of: "  client_auth: private_key_jwt", with: "  client_auth: private_key_jwt\n" + lines)
        }
        let configuration = try ConfigurationLoader(environment: [:]).load(
            yaml: with("  private_key_file: \(pem)\n  private_key_id: key-1")
        )
        #expect(configuration.oidc.clientAuthentication == .privateKeyJWT)
        #expect(configuration.oidc.privateKeyFile == pem)
        #expect(configuration.oidc.privateKeyID == "key-1")
        #expect(configuration.oidc.clientSecret == nil)

        #expect(keyPaths(base) == ["oidc.private_key_file", "oidc.private_key_id"])
        #expect(keyPaths(with("  private_key_file: \(notPEM)\n  private_key_id: key-1")) == ["oidc.private_key_file"])
        #expect(keyPaths(with("  private_key_file: /nonexistent.pem\n  private_key_id: key-1")) == ["oidc.private_key_file"])
        #expect(keyPaths(with("  private_key_file: \(rsa)\n  private_key_id: key-1")).isEmpty, "RS256")
        for unusable in [garbled, p384, ed25519] {
            let found = problems(with("  private_key_file: \(unusable)\n  private_key_id: key-1"))
            #expect(found.map(\.keyPath) == ["oidc.private_key_file"], "\(unusable)")
            #expect(found.first?.description.contains("RSA key of 2048 bits or more (RS256) or an EC P-256 key (ES256)") == true, "\(found)")
        }
    }
}

extension Curve25519.Signing.PrivateKey {
    /// PKCS#8 PEM of an Ed25519 key (swift-crypto has no PEM export for it): the fixed RFC 8410 prefix and the raw key.
    var pemRepresentationForTests: String {
        let der = Data([0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]) + rawRepresentation
        return "-----BEGIN PRIVATE KEY-----\n" + der.base64EncodedString() + "\n-----END PRIVATE KEY-----\n"
    }
}
