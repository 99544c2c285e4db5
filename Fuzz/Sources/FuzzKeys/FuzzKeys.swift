// Fixed keys and base64url helpers shared by the JOSE fuzzers; written apart from the product's
// own Base64URL so that the harnesses do not check the code with itself.
public import Crypto
import Foundation

public enum FuzzKeys {
    /// A fixed P-256 private key (test-only; it signs nothing outside the fuzzers).
    public static let ecPrivateKey: [UInt8] = Array(0..<32).map { UInt8(0x11 + $0 * 7 & 0xFF) }

    /// The modulus of a fixed RSA-2048 public key (its private half was thrown away).
    public static let rsaModulus =
        "oylMwKJfEd8jKhb_ti7mEST5WE6TUMOuf6M7VruU35bWIi5fBFA0tZQqDuvHyAfCbwsyUtIo-sFvxCfwO94U_d3PAYK9CiK2K2cag7h6DP8C1oGjaIYekJLjJoCGSlGki6WlgZhBZ9tet-1U_xq1JAhP6uwFs_pvSyGHEilFH-zwwaPlA0-Mbzivw-zo1hd8K21yabrcIGMl_U_j_FYlDhWFRvkHgDHXdMtFpLXAU8mlwzQS9H8KbWR0o9nQ26azAGoOjMMM9XytrEPoyvY9OH-b0ivtgMketANn8ZBF19n9g-yEzoEN9-fLEUOdx1948DV4TJ4QnW5wTvERq1qUFQ"

    /// A JWKS with the EC key (`ec-1`, ES256) and the RSA key (`rsa-1`, no `alg`).
    public static func jwks(for key: P256.Signing.PublicKey) -> String {
        let point = Array(key.x963Representation)
        let x = base64URL(point[1..<33])
        let y = base64URL(point[33..<65])
        return #"{"keys":[{"kty":"EC","crv":"P-256","kid":"ec-1","use":"sig","alg":"ES256","x":"\#(x)","y":"\#(y)"},"#
            + #"{"kty":"RSA","kid":"rsa-1","use":"sig","n":"\#(rsaModulus)","e":"AQAB"}]}"#
    }

    public static func base64URL(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func base64URLDecode(_ text: some StringProtocol) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.utf8.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map(Array.init)
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// Runs libFuzzer's driver (`LLVMFuzzerRunDriver`, in the runtime that `-sanitize=fuzzer` links)
/// with `arguments` and the harness `body`.
public func runFuzzer(_ arguments: [String], _ body: @escaping @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32 {
    // libFuzzer keeps pointers into argv for the whole run; a global keeps them reachable too,
    // so LeakSanitizer does not report them.
    argumentVector = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: arguments.count + 1)
    for (index, argument) in arguments.enumerated() { argumentVector[index] = strdup(argument) }
    argumentVector[arguments.count] = nil
    var argc = Int32(arguments.count)
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argumentVector
    return LLVMFuzzerRunDriver(&argc, &argv, body)
}

nonisolated(unsafe) private var argumentVector: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>!
