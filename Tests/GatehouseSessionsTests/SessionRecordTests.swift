import Foundation
import GatehouseOAuth
import GatehouseSessions
import Testing

@Suite("Session record encoding")
struct SessionRecordTests {
    static func record(now: Date = Date(timeIntervalSince1970: 1_700_000_000)) -> SessionRecord {
        SessionRecord(
            subject: "user-1", providerSessionID: "sid-1",
            claims: ["sub": .string("user-1"), "name": .string("Ada"), "n": .integer(9_007_199_254_740_993)],
            idToken: IDToken("id.token.x"), accessToken: AccessToken("at"), accessTokenExpiresAt: now.addingTimeInterval(300),
            refreshToken: RefreshToken("rt"), scopes: ["openid"], createdAt: now, lastSeenAt: now,
            absoluteExpiresAt: now.addingTimeInterval(43_200)
        )
    }

    @Test("a record round-trips through its versioned encoding")
    func roundTrip() throws {
        let record = Self.record()
        let bytes = try record.encoded()
        #expect(bytes.first == 1)
        #expect(try SessionRecord(encoded: bytes) == record)
    }

    @Test("an unknown version, garbage or nothing is a typed error, not a crash")
    func badBytes() throws {
        var bytes = try Self.record().encoded()
        bytes[0] = 99
        #expect(throws: SessionEncodingError.unknownVersion) { try SessionRecord(encoded: bytes) }
        #expect(throws: SessionEncodingError.malformed) { try SessionRecord(encoded: [1, 0xFF, 0x00]) }
        #expect(throws: SessionEncodingError.empty) { try SessionRecord(encoded: []) }
    }

    @Test("a refresh keeps the old refresh token when none is rotated in, and takes a rotated one")
    func applyRefresh() {
        let now = Date(timeIntervalSince1970: 1_700_000_100)
        var record = Self.record()
        record.apply(refreshed: TokenResponse(accessToken: AccessToken("at2"), accessTokenExpiresAt: now.addingTimeInterval(60)), claims: nil, now: now)
        #expect(record.accessToken.value == "at2")
        #expect(record.refreshToken?.value == "rt")
        record.apply(refreshed: TokenResponse(accessToken: AccessToken("at3"), accessTokenExpiresAt: nil, refreshToken: RefreshToken("rt2")), claims: nil, now: now)
        #expect(record.refreshToken?.value == "rt2")
    }
}
