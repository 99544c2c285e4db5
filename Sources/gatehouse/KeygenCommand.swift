import ArgumentParser
import Crypto
import Foundation

/// Prints a fresh 256-bit session-encryption key, base64, for `session.encryption_keys`.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Prints a fresh base64 session-encryption key (32 random bytes)."
    )

    func run() throws {
        let key = SymmetricKey(size: .bits256)
        print(key.withUnsafeBytes { Data($0).base64EncodedString() })
    }
}
