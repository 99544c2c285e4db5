/// Evaluates `If-None-Match` (RFC 9110 §13.1.2) against a file's entity tag.
enum EntityTagCondition {
    /// Whether any listed tag matches `entityTag` by weak comparison (the rule for `If-None-Match`),
    /// or the list is `*`. `fieldValues` are the header's field lines, each a comma-separated list.
    static func ifNoneMatchMatches(_ fieldValues: [String], entityTag: String) -> Bool {
        let ours = opaqueTag(entityTag[...])
        for line in fieldValues {
            for member in line.split(separator: ",") {
                let candidate = trimmed(member)
                if candidate == "*" || opaqueTag(candidate) == ours { return true }
            }
        }
        return false
    }

    private static func opaqueTag(_ tag: Substring) -> Substring {
        tag.hasPrefix("W/") ? tag.dropFirst(2) : tag
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
