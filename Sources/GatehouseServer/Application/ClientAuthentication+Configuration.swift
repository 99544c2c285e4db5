import Foundation
import GatehouseOAuth

extension ClientAuthentication {
    /// The client authentication `oidc` configures; reads the `private_key_jwt` key file, whose
    /// problems surface here, at start.
    init(_ oidc: OIDCSettings) throws {
        switch oidc.clientAuthentication {
        case .clientSecretBasic:
            self = .clientSecretBasic(ClientSecret(oidc.clientSecret?.value ?? ""))
        case .clientSecretPost:
            self = .clientSecretPost(ClientSecret(oidc.clientSecret?.value ?? ""))
        case .privateKeyJWT:
            let pem = try String(contentsOfFile: oidc.privateKeyFile ?? "", encoding: .utf8)
            self = .privateKeyJWT(try ClientAssertionKey(pem: pem, keyID: oidc.privateKeyID ?? ""))
        }
    }
}
