/// The protected header of the JWTs the provider signs and reads.
struct JOSEHeader: Codable, Sendable {
    var alg: String
    var kid: String?
    var typ: String?
}
