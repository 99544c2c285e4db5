package import HTTPTypes

/// The browser-hardening headers Gatehouse puts on the SPA's files and on its own responses.
///
/// `Referrer-Policy` is `strict-origin-when-cross-origin`, not `no-referrer`: cross-origin requests
/// (the provider, other sites) still see only the origin, never a path or query, but under
/// `no-referrer` browsers send `Origin: null` on same-origin `POST`s, which breaks any upstream API
/// that checks `Origin` as a CSRF defence.
package struct SecurityHeaders: Sendable, Equatable {
    /// Everything from the app's own origin, nothing inline, no framing, no plugins.
    package static let defaultContentSecurityPolicy =
        "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    /// Two years, as the HSTS preload list asks; sent only when ``publicURLIsHTTPS``.
    package static let strictTransportSecurityValue = "max-age=63072000; includeSubDomains"

    /// The `Content-Security-Policy` value.
    package var contentSecurityPolicy: String
    /// Whether `public_url` is https; HSTS over plain http would be ignored at best and misleading at worst.
    package var publicURLIsHTTPS: Bool

    /// Creates the header set.
    /// - Parameters:
    ///   - contentSecurityPolicy: the CSP string; defaults to ``defaultContentSecurityPolicy``.
    ///   - publicURLIsHTTPS: adds `Strict-Transport-Security` when true.
    package init(contentSecurityPolicy: String = Self.defaultContentSecurityPolicy, publicURLIsHTTPS: Bool) {
        self.contentSecurityPolicy = contentSecurityPolicy
        self.publicURLIsHTTPS = publicURLIsHTTPS
    }

    /// The header fields, in a fixed order.
    package var fields: HTTPFields {
        var fields = HTTPFields()
        self.apply(to: &fields)
        return fields
    }

    /// Sets (replacing, never duplicating) every header of the set on `fields`.
    package func apply(to fields: inout HTTPFields) {
        // Most answers (an upstream's, Gatehouse's own) carry none of these: then the set, built
        // once, is appended whole, without a lookup and a validation per header.
        if !fields.contains(where: { Self.names.contains($0.name) }) {
            return fields.append(contentsOf: prebuilt)
        }
        applyOneByOne(to: &fields)
    }

    private func applyOneByOne(to fields: inout HTTPFields) {
        fields[.contentSecurityPolicy] = self.contentSecurityPolicy
        fields[.xContentTypeOptions] = "nosniff"
        fields[Self.referrerPolicy] = "strict-origin-when-cross-origin"
        fields[Self.xFrameOptions] = "DENY"
        fields[Self.crossOriginOpenerPolicy] = "same-origin"
        if self.publicURLIsHTTPS {
            fields[.strictTransportSecurity] = Self.strictTransportSecurityValue
        } else {
            fields[.strictTransportSecurity] = nil
        }
    }

    /// Every name the set sets or removes.
    private static let names: Set<HTTPField.Name> = [
        .contentSecurityPolicy, .xContentTypeOptions, referrerPolicy, xFrameOptions, crossOriginOpenerPolicy, .strictTransportSecurity,
    ]
    private static let defaultHTTPFields = SecurityHeaders(publicURLIsHTTPS: false).built
    private static let defaultHTTPSFields = SecurityHeaders(publicURLIsHTTPS: true).built

    /// The set as fields: made once for the default policy (nearly every configuration's), else now.
    private var prebuilt: [HTTPField] {
        guard contentSecurityPolicy == Self.defaultContentSecurityPolicy else { return built }
        return publicURLIsHTTPS ? Self.defaultHTTPSFields : Self.defaultHTTPFields
    }

    private var built: [HTTPField] {
        var fields = HTTPFields()
        applyOneByOne(to: &fields)
        return Array(fields)
    }

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let crossOriginOpenerPolicy = HTTPField.Name("Cross-Origin-Opener-Policy")!
}
