/// `/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §3).
struct DiscoveryDocument: Codable, Sendable {
    var issuer: String
    var authorization_endpoint: String
    var token_endpoint: String
    var userinfo_endpoint: String
    var jwks_uri: String
    var revocation_endpoint: String?
    var end_session_endpoint: String?
    var introspection_endpoint: String
    var pushed_authorization_request_endpoint: String?
    var require_pushed_authorization_requests: Bool?
    var scopes_supported = ["openid", "profile", "email", "offline_access"]
    var response_types_supported = ["code"]
    var response_modes_supported = ["query"]
    var grant_types_supported = ["authorization_code", "refresh_token", "client_credentials", DevOpenIDProvider.tokenExchangeGrant]
    var acr_values_supported = [DevOpenIDProvider.passwordACR, DevOpenIDProvider.multiFactorACR]
    var subject_types_supported = ["public"]
    var id_token_signing_alg_values_supported = ["RS256"]
    var code_challenge_methods_supported = ["S256"]
    var token_endpoint_auth_methods_supported = ["client_secret_basic", "client_secret_post", "private_key_jwt"]
    var token_endpoint_auth_signing_alg_values_supported = ["RS256", "ES256"]
    var revocation_endpoint_auth_methods_supported = ["client_secret_basic", "client_secret_post", "private_key_jwt"]
    var claims_supported = ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "sid", "azp", "name", "preferred_username", "email", "email_verified", "acr", "groups"]
    var authorization_response_iss_parameter_supported: Bool
    var backchannel_logout_supported = true
    var backchannel_logout_session_supported = true
    var frontchannel_logout_supported = false
    var dpop_signing_alg_values_supported = ["ES256", "RS256"]
}
