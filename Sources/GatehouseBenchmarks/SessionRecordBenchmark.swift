import ArgumentParser
import Foundation
import GatehouseOAuth
import GatehouseSessions

/// What a session-cache miss costs besides the store read: opening the sealed record and decoding
/// it, for a record shaped like a real login's (a dozen ID-token claims, JWT-sized tokens).
struct SessionRecordBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session-record",
        abstract: "Opens and decodes a sealed session record N times; prints microseconds per step."
    )

    @Option(help: "Iterations.") var iterations = 20_000

    func run() async throws {
        let now = Date()
        let jwt = String(repeating: "eyJhbGciOiJSUzI1NiJ9", count: 40)
        var claims: [String: JSONValue] = [
            "iss": .string("https://id.example.com"), "sub": .string("248289761001"), "aud": .string("gatehouse"),
            "exp": .integer(1_700_003_600), "iat": .integer(1_700_000_000), "auth_time": .integer(1_700_000_000),
            "nonce": .string(String(repeating: "n", count: 43)), "sid": .string("08a5019c-17e1-4977-8f42-65a12843ea02"),
            "name": .string("Jane Doe"), "email": .string("jane@example.com"), "email_verified": .bool(true),
        ]
        claims["groups"] = .array([.string("demo-users"), .string("admins")])
        let record = SessionRecord(
            subject: "248289761001", providerSessionID: "08a5019c-17e1-4977-8f42-65a12843ea02", claims: claims,
            idToken: IDToken(jwt), accessToken: AccessToken(jwt), accessTokenExpiresAt: now.addingTimeInterval(300),
            refreshToken: RefreshToken(jwt), scopes: ["openid", "profile", "email", "offline_access"], createdAt: now, lastSeenAt: now,
            absoluteExpiresAt: now.addingTimeInterval(43_200)
        )
        let cipher = try SessionCipher(keys: [try SessionCipherKey(bytes: [UInt8](repeating: 7, count: 32))])
        let context = "gatehouse session v1 bench"
        let plaintext = try record.encoded()
        let sealed = try cipher.seal(plaintext, context: context)
        print("record: \(plaintext.count) bytes encoded, \(sealed.count) sealed")
        let clock = ContinuousClock()
        func measure(_ name: String, _ body: () throws -> Void) rethrows {
            let start = clock.now
            for _ in 0..<iterations { try body() }
            let elapsed = clock.now - start
            let micros = (Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12) / Double(iterations)
            print(String(format: "%-8@ %8.2f us per op", name as NSString, micros))
        }
        try measure("open") { _ = try cipher.open(sealed, context: context) }
        try measure("decode") { _ = try SessionRecord(encoded: plaintext) }
        try measure("encode") { _ = try record.encoded() }
        try measure("seal") { _ = try cipher.seal(plaintext, context: context) }
    }
}
