extension Duration {
    /// Parses `30s`, `15m`, `12h`, `500ms`, and sums such as `1h30m`: whole numbers,
    /// each unit at most once, largest first. A bare number has no unit and is rejected:
    /// whether `30` meant seconds or minutes is exactly the mistake to catch.
    package init?(configText text: String) {
        let units: [(suffix: String, duration: Duration)] = [
            ("h", .seconds(3600)), ("m", .seconds(60)), ("s", .seconds(1)), ("ms", .milliseconds(1)),
        ]
        var rest = Substring(text)
        var total = Duration.zero
        var nextUnit = 0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix(while: \.isASCIIDigit)
            guard !digits.isEmpty, digits.count <= 9, let amount = Int(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let suffix = rest.prefix(while: { $0.isASCII && $0.isLetter })
            guard let index = units.firstIndex(where: { $0.suffix == suffix }), index >= nextUnit else {
                return nil
            }
            total += units[index].duration * amount
            nextUnit = index + 1
            rest = rest.dropFirst(suffix.count)
        }
        self = total
    }
}

extension Duration {
    /// The shortest text `init(configText:)` reads back: `90s` → `1m30s`.
    package var configText: String {
        let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        guard milliseconds > 0 else { return "0s" }
        var rest = milliseconds
        var text = ""
        for (suffix, size) in [("h", Int64(3_600_000)), ("m", 60_000), ("s", 1000), ("ms", 1)] where rest >= size {
            text += "\(rest / size)\(suffix)"
            rest %= size
        }
        return text
    }
}
