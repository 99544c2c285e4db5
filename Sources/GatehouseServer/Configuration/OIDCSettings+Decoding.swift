import Foundation

extension OIDCSettings {
    /// Decodes `oidc`, reporting every problem; nil when any was found.
    static func decode(_ node: ConfigNode?, using decoder: inout ConfigDecoder, files: SecretFileReader) -> Self? {
        let path = "oidc"
        let section = decoder.section(node, at: path)
        func key(_ name: String) -> String { ConfigDecoder.keyPath(path, name) }

        let issuer = decoder.issuerURL(section["issuer"], at: key("issuer"))
        let clientID = decoder.requiredString(section["client_id"], at: key("client_id"))
        let authentication =
            section["client_auth"].isAbsent
            ? ClientAuthentication.clientSecretBasic
            : decoder.choice(ClientAuthentication.self, section["client_auth"], at: key("client_auth"))
        let secret = decoder.secretText("client_secret", in: section, at: path, files: files)
        let privateKeyFile = decoder.string(section["private_key_file"], at: key("private_key_file"))
        let privateKeyID = decoder.string(section["private_key_id"], at: key("private_key_id"))

        var authenticationIsValid = authentication != nil
        switch authentication {
        case .clientSecretBasic?, .clientSecretPost?:
            if secret == nil {
                // When a secret was given but unusable, that is already reported.
                let given = !section["client_secret"].isAbsent || !section["client_secret_file"].isAbsent
                if !given {
                    decoder.reportMissing(
                        key("client_secret"),
                        "required for client_auth \(authentication!.rawValue): give client_secret or client_secret_file"
                    )
                }
                authenticationIsValid = false
            }
        case .privateKeyJWT?:
            authenticationIsValid =
                checkPrivateKey(privateKeyFile, node: section["private_key_file"], using: &decoder, files: files)
                && authenticationIsValid
            if privateKeyID?.isEmpty ?? true {
                decoder.reportMissing(key("private_key_id"), "required for client_auth private_key_jwt")
                authenticationIsValid = false
            }
        case nil:
            break
        }

        let scopes = decodeScopes(section["scopes"], at: key("scopes"), using: &decoder)
        let extra = decodeExtraParameters(section["extra_auth_params"], at: key("extra_auth_params"), using: &decoder)

        guard let issuer, let clientID, let authentication, authenticationIsValid, let scopes, let extra else {
            return nil
        }
        return OIDCSettings(
            issuer: issuer,
            clientID: clientID,
            clientSecret: authentication.usesClientSecret ? secret.map { ConfigSecret($0.text) } : nil,
            clientAuthentication: authentication,
            privateKeyFile: authentication == .privateKeyJWT ? privateKeyFile : nil,
            privateKeyID: authentication == .privateKeyJWT ? privateKeyID : nil,
            scopes: scopes,
            extraAuthorizationParameters: extra
        )
    }

    /// The key file must exist, be readable and hold a PEM private key; parsing the key
    /// itself is the OAuth module's job.
    private static func checkPrivateKey(
        _ path: String?,
        node: ConfigNode?,
        using decoder: inout ConfigDecoder,
        files: SecretFileReader
    ) -> Bool {
        let keyPath = "oidc.private_key_file"
        guard let path, !path.isEmpty else {
            decoder.reportMissing(keyPath, "required for client_auth private_key_jwt")
            return false
        }
        switch files.read(path) {
        case .success(let text):
            guard text.contains("-----BEGIN "), text.contains("PRIVATE KEY-----") else {
                decoder.report(keyPath, "\(path) does not hold a PEM private key (-----BEGIN … PRIVATE KEY-----)", node: node)
                return false
            }
            return true
        case .failure(let failure):
            decoder.report(keyPath, "cannot read the key: \(failure.message)", node: node)
            return false
        }
    }

    private static func decodeScopes(_ node: ConfigNode?, at keyPath: String, using decoder: inout ConfigDecoder) -> [String]? {
        guard !node.isAbsent else { return defaultScopes }
        guard let scopes = decoder.stringList(node, at: keyPath) else { return nil }
        var valid = true
        for (index, scope) in scopes.enumerated() {
            // RFC 6749 §3.3 scope-token: printable ASCII without space, `"` or `\`.
            let isToken = !scope.isEmpty && scope.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" }
            if !isToken {
                decoder.report("\(keyPath)[\(index)]", "\"\(scope)\" is not a scope name (no spaces or quotes)", node: node)
                valid = false
            }
        }
        if !scopes.contains("openid") {
            decoder.report(keyPath, "must include openid: Gatehouse signs users in with OpenID Connect", node: node)
            valid = false
        }
        return valid ? scopes : nil
    }

    private static func decodeExtraParameters(
        _ node: ConfigNode?,
        at keyPath: String,
        using decoder: inout ConfigDecoder
    ) -> [String: String]? {
        guard let node, !node.isNull else { return [:] }
        guard case .mapping(let entries) = node.content else {
            decoder.report(keyPath, "expected a mapping of parameter names to values, found \(node.kindName)", node: node)
            return nil
        }
        var parameters: [String: String] = [:]
        var valid = true
        for (name, value) in entries {
            let entryPath = ConfigDecoder.keyPath(keyPath, name)
            if reservedAuthorizationParameters.contains(name) {
                decoder.report(entryPath, "is set by Gatehouse itself and cannot be overridden", node: node)
                valid = false
                continue
            }
            guard let text = decoder.string(value, at: entryPath) else {
                if value.isNull { decoder.report(entryPath, "needs a value", node: node) }
                valid = false
                continue
            }
            parameters[name] = text
        }
        return valid ? parameters : nil
    }
}
