package import Foundation
package import GatehouseOAuth

/// The OpenID provider and Gatehouse's client registration there (`oidc`).
package struct OIDCSettings: Sendable, Hashable {
    /// The issuer; discovery is `issuer` + `/.well-known/openid-configuration` (`oidc.issuer`).
    package var issuer: URL
    /// The client id (`oidc.client_id`).
    package var clientID: String
    /// The client secret, from `oidc.client_secret` or `oidc.client_secret_file`; nil for `private_key_jwt`.
    package var clientSecret: ConfigSecret<String>?
    /// How the client authenticates at the token endpoint (`oidc.client_auth`).
    package var clientAuthentication = ClientAuthentication.Method.clientSecretBasic
    /// The PEM private key for `private_key_jwt` (`oidc.private_key_file`); checked to be readable PEM.
    package var privateKeyFile: String?
    /// The `kid` the provider knows that key by (`oidc.private_key_id`).
    package var privateKeyID: String?
    /// Requested scopes (`oidc.scopes`); always includes `openid`.
    package var scopes = ["openid", "profile", "email", "offline_access"]
    /// Extra authorization-request parameters such as `audience` or `prompt` (`oidc.extra_auth_params`).
    package var extraAuthorizationParameters: [String: String] = [:]
    /// When logins push the authorization request first (`oidc.par`, RFC 9126).
    package var pushedAuthorization = PushedAuthorizationMode.auto
    /// DPoP-bound tokens (`oidc.dpop`, RFC 9449): a key per session, a proof on every call that presents its tokens.
    package var dpop = false

    /// Parameters Gatehouse sets itself; `extra_auth_params` may not replace them, or a
    /// config could switch off PKCE or send users elsewhere.
    package static let reservedAuthorizationParameters: Set<String> = [
        "response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
        "code_challenge", "code_challenge_method", "response_mode", "request", "request_uri",
    ]
}

extension OIDCSettings {
    /// Reads `oidc`. The placeholders for a missing issuer or client id never escape: that is a problem.
    init(_ section: ConfigSection) {
        // Kept as written, because ID tokens' `iss` must equal it character for character.
        let issuer = section.httpURL("issuer") { components in
            if components.percentEncodedQuery != nil || components.percentEncodedFragment != nil {
                return "must not have a query or fragment"
            }
            if components.scheme?.lowercased() == "http" && !ConfigSection.isLoopback(host: components.host ?? "") {
                return "must be https (http is allowed only for localhost, for development)"
            }
            return nil
        }
        self.init(issuer: issuer.flatMap { URL(string: $0.text) } ?? URL(filePath: "/"), clientID: section.requiredString("client_id") ?? "")
        clientAuthentication = section.choice("client_auth") ?? clientAuthentication
        let secret = section.secret("client_secret")
        let keyFile = section.string("private_key_file")
        let keyID = section.string("private_key_id")
        switch clientAuthentication {
        case _ where !section.isValid("client_auth"):
            break
        case .clientSecretBasic, .clientSecretPost:
            clientSecret = secret.map { ConfigSecret($0.text) }
            // When a secret was given but is unusable, that is already reported.
            if secret == nil && section.node("client_secret") == nil && section.node("client_secret_file") == nil {
                let method = clientAuthentication.rawValue
                section.reportMissing("client_secret", "required for client_auth \(method): give client_secret or client_secret_file")
            }
        case .privateKeyJWT:
            (privateKeyFile, privateKeyID) = (keyFile, keyID)
            Self.checkPrivateKey(keyFile, in: section)
            if keyID?.isEmpty ?? true { section.reportMissing("private_key_id", "required for client_auth private_key_jwt") }
        }
        scopes = Self.scopes(section) ?? scopes
        extraAuthorizationParameters = Self.extraParameters(section) ?? extraAuthorizationParameters
        pushedAuthorization = section.choice("par") ?? pushedAuthorization
        dpop = section.bool("dpop") ?? dpop
    }

    /// The key file must exist, be readable and hold a private key `private_key_jwt` can sign
    /// with: RSA (RS256) or EC P-256 (ES256), parsed here so `check-config` catches what start would.
    private static func checkPrivateKey(_ path: String?, in section: ConfigSection) {
        guard let path, !path.isEmpty else {
            return section.reportMissing("private_key_file", "required for client_auth private_key_jwt")
        }
        let node = section.node("private_key_file")
        switch section.decoder.files.read(path) {
        case .success(let text) where !text.contains("-----BEGIN ") || !text.contains("PRIVATE KEY-----"):
            section.report("private_key_file", "\(path) does not hold a PEM private key (-----BEGIN … PRIVATE KEY-----)", node: node)
        case .success(let text):
            if (try? ClientAssertionKey(pem: text, keyID: "")) == nil {
                section.report(
                    "private_key_file", "\(path) holds no key private_key_jwt can sign with: an RSA key of 2048 bits or more (RS256) or an EC P-256 key (ES256)",
                    node: node
                )
            }
        case .failure(let failure):
            section.report("private_key_file", "cannot read the key: \(failure.message)", node: node)
        }
    }

    private static func scopes(_ section: ConfigSection) -> [String]? {
        guard let (scopes, node) = section.stringList("scopes") else { return nil }
        for (index, scope) in scopes.enumerated() {
            // RFC 6749 §3.3 scope-token: printable ASCII without space, `"` or `\`.
            let isToken = !scope.isEmpty && scope.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" }
            if !isToken { section.report("scopes[\(index)]", "\"\(scope)\" is not a scope name (no spaces or quotes)", node: node) }
        }
        if !scopes.contains("openid") {
            section.report("scopes", "must include openid: Gatehouse signs users in with OpenID Connect", node: node)
        }
        return scopes
    }

    private static func extraParameters(_ section: ConfigSection) -> [String: String]? {
        guard let node = section.node("extra_auth_params", shape: .yaml) else { return nil }
        guard case .mapping(let entries) = node.content else {
            section.report("extra_auth_params", "expected a mapping of parameter names to values, found \(node.kindName)", node: node)
            return nil
        }
        var parameters: [String: String] = [:]
        for (name, value) in entries {
            let key = "extra_auth_params.\(name)"
            if reservedAuthorizationParameters.contains(name) {
                section.report(key, "is set by Gatehouse itself and cannot be overridden", node: node)
            } else if case .scalar(let text) = value.content {
                parameters[name] = text
            } else if value.isNull {
                section.report(key, "needs a value", node: node)
            } else {
                section.report(key, "expected a single value, found \(value.kindName)", node: value)
            }
        }
        return parameters
    }
}
