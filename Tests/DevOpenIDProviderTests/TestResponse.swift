import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// A fully read HTTP response, for assertions.
struct TestResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: String

    /// The body as a JSON object, or empty when it is not one.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:]
    }

    /// A JSON number member, whichever numeric type the parser chose.
    func number(_ key: String) -> Double? {
        (json[key] as? NSNumber)?.doubleValue
    }

    func string(_ key: String) -> String? { json[key] as? String }

    /// The `Location` header's query parameters.
    var locationQuery: [String: String] {
        guard let location = headers.first(name: "location"), let components = URLComponents(string: location) else { return [:] }
        var result: [String: String] = [:]
        for item in components.queryItems ?? [] { result[item.name] = item.value ?? "" }
        return result
    }
}
