import GatehouseOAuth
import GatehouseSessions
import GatehouseTestSupport
import Testing

@Suite("Session id and key")
struct SessionIDTests {
    @Test("a generated id is 43 base64url characters and parses back")
    func roundTrip() throws {
        let id = SessionID.generate(using: SystemRandomSource())
        #expect(id.cookieValue.count == 43)
        #expect(SessionID(cookieValue: id.cookieValue) == id)
    }

    @Test("malformed cookie values are refused", arguments: [
        "", "short", String(repeating: "A", count: 44), String(repeating: "A", count: 42) + "=",
        String(repeating: "A", count: 42) + "+", String(repeating: "A", count: 42) + "B", " " + String(repeating: "A", count: 42),
    ])
    func malformed(value: String) {
        #expect(SessionID(cookieValue: value) == nil)
    }

    @Test("an id prints as <redacted>, and its key is a SHA-256 hex that does not contain it")
    func redactedAndHashed() {
        let id = SessionID.generate(using: SystemRandomSource())
        #expect("\(id)" == "<redacted>")
        #expect(String(reflecting: id) == "<redacted>")
        #expect(id.key.rawValue.count == 64)
        #expect(!id.key.rawValue.contains(id.cookieValue))
        #expect(id.key == SessionID(cookieValue: id.cookieValue)!.key)
        #expect(SessionKey(rawValue: id.key.rawValue) == id.key)
        #expect(SessionKey(rawValue: "xyz") == nil)
    }

    @Test("the key of a known id is SHA-256 of its cookie value")
    func knownDigest() {
        #expect(SessionKey(hashing: "abc").rawValue == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
