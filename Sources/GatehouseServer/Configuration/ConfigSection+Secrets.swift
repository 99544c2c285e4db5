import Foundation

extension ConfigSection {
    /// A secret's text and the key it came from (`key` or `key_file`), for problems about it.
    struct SecretText {
        var text: String
        var key: String
        var node: ConfigNode
    }

    /// A secret given inline (`key`) or as a file (`key_file`); nil when neither is given
    /// or what is given is unusable (reported). Problems name the file's path, never its content.
    func secret(_ key: String) -> SecretText? {
        guard let given = inlineOrFile(key, shape: .scalar, noun: "secret") else { return nil }
        switch given {
        case .file(let text, let path, let node):
            guard !text.isEmpty else {
                report(key + "_file", "\(path) is empty", node: node)
                return nil
            }
            return SecretText(text: text, key: key + "_file", node: node)
        case .inline(let node):
            guard let (text, _) = scalar(key, isSecret: true) else { return nil }
            guard !text.isEmpty else {
                report(key, "must not be empty", node: node)
                return nil
            }
            return SecretText(text: text, key: key, node: node)
        }
    }

    /// `encryption_keys` (a list) or `encryption_keys_file` (one key per line, blank lines
    /// ignored): each base64 of exactly 32 bytes. Nil when neither is given or any key is
    /// bad (all reported, by index or line, never by value).
    func encryptionKeys() -> [ConfigSecret<[UInt8]>]? {
        let key = "encryption_keys"
        let keygen = "make one with `gatehouse keygen`"
        var entries: [(text: String, key: String, label: String)] = []
        switch inlineOrFile(key, shape: .list, noun: "keys") {
        case .file(let text, _, _)?:
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty { entries.append((text, key + "_file", "key on line \(index + 1)")) }
            }
        case .inline?:
            guard let (texts, _) = stringList(key, isSecret: true) else { return nil }
            entries = texts.enumerated().map { ($1.trimmingCharacters(in: .whitespaces), "\(key)[\($0)]", "key") }
        case nil:
            if node(key, shape: .list) == nil && node(key + "_file") == nil { reportMissing(key, "required: at least one key; \(keygen)") }
            return nil
        }
        guard !entries.isEmpty else {
            report(node(key, shape: .list) == nil ? key + "_file" : key, "must hold at least one key; \(keygen)")
            return nil
        }
        let keys = entries.compactMap { entry -> ConfigSecret<[UInt8]>? in
            guard let bytes = Self.decodeBase64(entry.text) else {
                report(entry.key, "\(entry.label) is not base64; \(keygen)")
                return nil
            }
            guard bytes.count == 32 else {
                report(entry.key, "\(entry.label) decodes to \(bytes.count) bytes, not 32; \(keygen)")
                return nil
            }
            return ConfigSecret(bytes)
        }
        return keys.count == entries.count ? keys : nil
    }

    private enum Given {
        case inline(ConfigNode)
        case file(text: String, path: String, node: ConfigNode)
    }

    /// `key` or `key_file`, the file read; nil when neither, both (which one wins would be
    /// a guess) or the file is unusable, all but the first reported.
    private func inlineOrFile(_ key: String, shape: ConfigDecoder.EnvironmentShape, noun: String) -> Given? {
        let inline = node(key, shape: shape, isSecret: true)
        let file = node(key + "_file")
        if inline != nil && file != nil {
            report(key, "give either \(key) or \(key)_file, not both")
            return nil
        }
        guard let file else { return inline.map(Given.inline) }
        guard let path = requiredString(key + "_file") else { return nil }
        switch decoder.files.read(path) {
        case .success(let text):
            return .file(text: text, path: path, node: file)
        case .failure(let failure):
            report(key + "_file", "cannot read the \(noun): \(failure.message)", node: file)
            return nil
        }
    }

    /// Standard or URL-safe base64, padded or not.
    static func decodeBase64(_ text: String) -> [UInt8]? {
        var normalized = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = normalized.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { normalized += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: normalized).map { Array($0) }
    }
}
