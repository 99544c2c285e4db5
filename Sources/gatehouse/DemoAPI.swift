import AsyncHTTPClient
import Crypto
import Foundation
import Hummingbird
import Logging
import NIOCore

/// The demo's upstream API. `/api/me` shows what an API behind Gatehouse
/// receives: who the token is for, its scopes and expiry (asked of the
/// provider, since access tokens are opaque), and a fingerprint — never the token.
enum DemoAPI {
    static func makeApplication(port: Int, issuer: String, clientID: String, clientSecret: String, httpClient: HTTPClient, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.get("/api/me") { request, _ -> Response in
            guard let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer ") else {
                return json(["error": "no_token", "message": "The API received no bearer token."], status: .unauthorized)
            }
            let token = String(authorization.dropFirst("Bearer ".count))
            var introspection = HTTPClientRequest(url: issuer + "/introspect")
            introspection.method = .POST
            let basic = Data("\(clientID):\(clientSecret)".utf8).base64EncodedString()
            introspection.headers.add(name: "Authorization", value: "Basic \(basic)")
            introspection.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            let escaped = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            introspection.body = .bytes(ByteBuffer(string: "token=\(escaped)"))
            let answer = try await httpClient.execute(introspection, timeout: .seconds(5))
            let body = try await answer.body.collect(upTo: 64 * 1024)
            let info = (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]) ?? [:]
            guard info["active"] as? Bool == true else {
                return json(["error": "invalid_token", "message": "The provider says this token is not active."], status: .unauthorized)
            }
            let fingerprint = SHA256.hash(data: Data(token.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
            let cookieNames = (request.headers[.cookie] ?? "").split(separator: ";").compactMap { $0.split(separator: "=").first?.trimmingCharacters(in: .whitespaces) }
            return json([
                "api": "gatehouse demo API",
                "subject": info["sub"] ?? NSNull(),
                "scopes": (info["scope"] as? String)?.split(separator: " ").map(String.init) ?? [],
                "token_expires_at": info["exp"] ?? NSNull(),
                "token_fingerprint": "sha256:\(fingerprint)…",
                "received": [
                    "method": request.method.rawValue,
                    "path": request.uri.path,
                    "x_forwarded_for": request.headers[.init("X-Forwarded-For")!] ?? "",
                    "x_forwarded_host": request.headers[.init("X-Forwarded-Host")!] ?? "",
                    "cookies": cookieNames,
                ] as [String: Any],
            ], status: .ok)
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
    }

    private static func json(_ object: [String: Any], status: HTTPResponse.Status) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
