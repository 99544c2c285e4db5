import GatehouseSessions
import Testing

@Suite("Session cipher")
struct SessionCipherTests {
    let oldKey = try! SessionCipherKey(bytes: [UInt8](repeating: 1, count: 32))
    let newKey = try! SessionCipherKey(bytes: [UInt8](repeating: 2, count: 32))
    let plaintext = Array("the session record".utf8)

    @Test("sealed data opens to the plaintext for the same context")
    func roundTrip() throws {
        let cipher = try SessionCipher(keys: [oldKey])
        let sealed = try cipher.seal(plaintext, context: "k1")
        #expect(try cipher.open(sealed, context: "k1") == plaintext)
        #expect(sealed.count == 1 + 8 + 12 + plaintext.count + 16)
        #expect(try cipher.seal(plaintext, context: "k1") != sealed, "a fresh nonce each time")
    }

    @Test("flipping any single byte makes opening fail without a crash")
    func tamper() throws {
        let cipher = try SessionCipher(keys: [oldKey])
        let sealed = try cipher.seal(plaintext, context: "k1")
        for index in sealed.indices {
            var tampered = sealed
            tampered[index] ^= 0x01
            #expect(throws: SessionCipherError.self) { try cipher.open(tampered, context: "k1") }
        }
    }

    @Test("truncated data is rejected at every length")
    func truncated() throws {
        let cipher = try SessionCipher(keys: [oldKey])
        let sealed = try cipher.seal(plaintext, context: "k1")
        for length in 0..<sealed.count {
            #expect(throws: SessionCipherError.self) { try cipher.open(Array(sealed.prefix(length)), context: "k1") }
        }
        #expect(throws: SessionCipherError.truncated) { try cipher.open([], context: "k1") }
    }

    @Test("data sealed with a key that is not in the ring is rejected as unknown key")
    func unknownKey() throws {
        let sealed = try SessionCipher(keys: [oldKey]).seal(plaintext, context: "k1")
        #expect(throws: SessionCipherError.unknownKey) { try SessionCipher(keys: [newKey]).open(sealed, context: "k1") }
    }

    @Test("after rotation the new key seals and the old key still opens")
    func rotation() throws {
        let before = try SessionCipher(keys: [oldKey]).seal(plaintext, context: "k1")
        let rotated = try SessionCipher(keys: [newKey, oldKey])
        #expect(try rotated.open(before, context: "k1") == plaintext)
        let after = try rotated.seal(plaintext, context: "k1")
        #expect(Array(after[1..<9]) == newKey.keyID)
        #expect(throws: SessionCipherError.unknownKey) { try SessionCipher(keys: [oldKey]).open(after, context: "k1") }
    }

    @Test("a record moved to another store key does not open")
    func boundToContext() throws {
        let cipher = try SessionCipher(keys: [oldKey])
        let sealed = try cipher.seal(plaintext, context: "gatehouse.session:aaa")
        #expect(throws: SessionCipherError.authenticationFailed) { try cipher.open(sealed, context: "gatehouse.session:bbb") }
    }

    @Test("keys must be 32 bytes, and the ring must not be empty")
    func keyValidation() {
        #expect(throws: SessionCipherError.invalidKey) { try SessionCipherKey(bytes: [UInt8](repeating: 0, count: 16)) }
        #expect(throws: SessionCipherError.invalidKey) { try SessionCipherKey(base64: "not base64!") }
        #expect(throws: SessionCipherError.noKeys) { try SessionCipher(keys: []) }
        let generated = SessionCipherKey.generateBase64()
        #expect((try? SessionCipherKey(base64: generated)) != nil)
        #expect(!(try! SessionCipherKey(base64: generated)).description.contains(generated))
    }
}
