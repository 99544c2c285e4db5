import Foundation

extension ConfigDecoder {
    /// Where a secret's text came from: the key whose value it is, for problems about it.
    struct SecretText {
        var text: String
        var keyPath: String
        var node: ConfigNode?
    }

    /// A secret given inline (`key`) or as a file (`key_file`); nil when neither is given
    /// or when what is given is unusable (reported). Both at once is a problem: which
    /// one wins would be a guess. Problems name the file's path, never its content.
    mutating func secretText(
        _ key: String,
        in section: ConfigNode,
        at sectionPath: String,
        files: SecretFileReader
    ) -> SecretText? {
        let inlinePath = Self.keyPath(sectionPath, key)
        let filePath = inlinePath + "_file"
        let inlineNode = section[key].flatMap { $0.isNull ? nil : $0 }
        let fileNode = section[key + "_file"].flatMap { $0.isNull ? nil : $0 }
        if inlineNode != nil && fileNode != nil {
            report(inlinePath, "give either \(key) or \(key)_file, not both")
            return nil
        }
        if let fileNode {
            guard let path = requiredString(fileNode, at: filePath) else { return nil }
            switch files.read(path) {
            case .success(let text) where text.isEmpty:
                report(filePath, "\(path) is empty", node: fileNode)
                return nil
            case .success(let text):
                return SecretText(text: text, keyPath: filePath, node: fileNode)
            case .failure(let failure):
                report(filePath, "cannot read the secret: \(failure.message)", node: fileNode)
                return nil
            }
        }
        guard let inlineNode else { return nil }
        guard let text = string(inlineNode, at: inlinePath) else { return nil }
        guard !text.isEmpty else {
            report(inlinePath, "must not be empty", node: inlineNode)
            return nil
        }
        return SecretText(text: text, keyPath: inlinePath, node: inlineNode)
    }

    /// `session.encryption_keys` (a list) or `session.encryption_keys_file` (one key per
    /// line, blank lines ignored): each base64 of exactly 32 bytes. Nil when neither is
    /// given or any key is bad (all reported, by index or line, never by value).
    mutating func encryptionKeys(
        in section: ConfigNode,
        at sectionPath: String,
        files: SecretFileReader
    ) -> [ConfigSecret<[UInt8]>]? {
        let inlinePath = Self.keyPath(sectionPath, "encryption_keys")
        let filePath = inlinePath + "_file"
        let inlineNode = section["encryption_keys"].flatMap { $0.isNull ? nil : $0 }
        let fileNode = section["encryption_keys_file"].flatMap { $0.isNull ? nil : $0 }
        if inlineNode != nil && fileNode != nil {
            report(inlinePath, "give either encryption_keys or encryption_keys_file, not both")
            return nil
        }
        var entries: [(text: String, keyPath: String, label: String)] = []
        if let fileNode {
            guard let path = requiredString(fileNode, at: filePath) else { return nil }
            switch files.read(path) {
            case .success(let text):
                for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let key = line.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !key.isEmpty { entries.append((key, filePath, "key on line \(index + 1)")) }
                }
            case .failure(let failure):
                report(filePath, "cannot read the keys: \(failure.message)", node: fileNode)
                return nil
            }
        } else if let inlineNode {
            guard let texts = stringList(inlineNode, at: inlinePath) else { return nil }
            for (index, text) in texts.enumerated() {
                entries.append((text.trimmingCharacters(in: .whitespaces), "\(inlinePath)[\(index)]", "key"))
            }
        } else {
            reportMissing(inlinePath, "required: at least one key; make one with `gatehouse keygen`")
            return nil
        }
        guard !entries.isEmpty else {
            report(fileNode == nil ? inlinePath : filePath, "must hold at least one key; make one with `gatehouse keygen`")
            return nil
        }
        var keys: [ConfigSecret<[UInt8]>] = []
        for entry in entries {
            guard let bytes = Self.decodeBase64(entry.text) else {
                report(entry.keyPath, "\(entry.label) is not base64; make one with `gatehouse keygen`")
                continue
            }
            guard bytes.count == 32 else {
                report(
                    entry.keyPath,
                    "\(entry.label) decodes to \(bytes.count) bytes, not 32; make one with `gatehouse keygen`"
                )
                continue
            }
            keys.append(ConfigSecret(bytes))
        }
        return keys.count == entries.count ? keys : nil
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
