import Foundation
import Hummingbird

extension Response {
    /// A JSON answer. Token material must not be cached (RFC 6749 §5.1), so nothing here is.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An HTML page with headers that keep it from being framed or sniffed.
    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; frame-ancestors 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A 302 to `location`.
    static func found(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .found, headers: headers)
    }

    /// An RFC 6749 §5.2 / RFC 6750 §3 error body with the status and challenge it calls for.
    static func oauthError(_ error: OAuthError) -> Response {
        var response = json(OAuthErrorBody(error: error.code.rawValue, error_description: error.message), status: error.status)
        if error.challengesBasic {
            response.headers[.wwwAuthenticate] = "Basic realm=\"dev-openid-provider\""
        } else if error.code == .invalidToken {
            response.headers[.wwwAuthenticate] = "Bearer error=\"invalid_token\", DPoP error=\"invalid_token\", algs=\"ES256 RS256\""
        }
        if let nonce = error.dpopNonce { response.headers[.dpopNonce] = nonce }
        return response
    }

    /// What a browser endpoint decided, as a response.
    static func browser(_ step: BrowserStep) -> Response {
        switch step {
        case .login(let page): html(page.html)
        case .redirect(let location): found(location)
        case .signedIn(let location, let session):
            {
                var response = found(location)
                response.headers[.setCookie] = "\(DevOpenIDProvider.sessionCookieName)=\(session); Path=/; HttpOnly; SameSite=Lax"
                return response
            }()
        case .secondFactor(let page): html(page.html)
        case .errorPage(let message): html(ProviderPage.message(title: "Request refused", text: message).html, status: .badRequest)
        case .signedOut: html(ProviderPage.message(title: "Signed out", text: "You are signed out of the development provider.").html)
        }
    }
}
