extension Character {
    var isBase64URLCharacter: Bool {
        isASCII && (isLetter || isNumber || self == "-" || self == "_")
    }
}

extension Character {
    /// RFC 7636 §4.1 unreserved characters.
    var isPKCEVerifierCharacter: Bool {
        isBase64URLCharacter || self == "." || self == "~"
    }
}
