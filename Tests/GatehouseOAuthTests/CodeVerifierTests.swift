import GatehouseOAuth
import GatehouseTestSupport
import Testing

@Suite("PKCE")
struct CodeVerifierTests {
    @Test("the S256 challenge of RFC 7636 Appendix B's verifier is the RFC's challenge")
    func rfc7636Vector() {
        let verifier = CodeVerifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        #expect(verifier.s256Challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(verifier.isWellFormed)
    }

    @Test("a generated verifier is 43 base64url characters from 256 random bits")
    func generated() {
        let verifier = CodeVerifier.generate(using: SystemRandomSource())
        #expect(verifier.value.count == 43)
        #expect(verifier.isWellFormed)
        #expect(verifier.value != CodeVerifier.generate(using: SystemRandomSource()).value)
    }

    @Test("a seeded random source gives reproducible verifiers")
    func seeded() {
        #expect(CodeVerifier.generate(using: SeededRandomSource(seed: 7)).value == CodeVerifier.generate(using: SeededRandomSource(seed: 7)).value)
    }
}
