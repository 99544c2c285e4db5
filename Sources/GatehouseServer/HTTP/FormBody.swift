import Foundation

/// `application/x-www-form-urlencoded` bodies that Gatehouse reads itself (the back-channel
/// logout). Pure, for the fuzzer and the unit tests.
enum FormBody {
    /// The value of `name` when it occurs exactly once; a repeated parameter is refused
    /// (`nil`) rather than resolved by order, as with cookies.
    static func value(_ name: String, in form: String) -> String? {
        var found: String?
        for pair in form.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == name else { continue }
            guard found == nil else { return nil }
            guard let value = String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding else { return nil }
            found = value
        }
        return found
    }
}
