@testable import GatehouseServer
import HTTPTypes
import Testing

@Suite("The Cookie header an upstream gets: every cookie but Gatehouse's own")
struct ProxyCookieTests {
    static let own: Set<String> = ["gatehouse", "gatehouse-login"]

    static func forwarded(_ cookie: String...) -> String? {
        var fields = HTTPFields()
        for value in cookie { fields.append(HTTPField(name: .cookie, value: value)) }
        return ProxyHeaders.upstreamRequest(fields, ownCookies: own, csrfHeader: "X-CSRF").first { $0.0 == "Cookie" }?.1
    }

    @Test("Gatehouse's cookies are taken out wherever they stand; the others keep their order and values")
    func ownCookiesGo() {
        #expect(Self.forwarded("gatehouse=secret") == nil)
        #expect(Self.forwarded("a=1; gatehouse=secret; b=2") == "a=1; b=2")
        #expect(Self.forwarded("gatehouse-login=x;theme=dark", "gatehouse=secret; lang=fr") == "theme=dark; lang=fr")
        #expect(Self.forwarded("  a=1 ;\tgatehouse=secret\t; b=x=y  ") == "a=1; b=x=y", "blanks around pairs go, an = in a value stays")
        #expect(Self.forwarded("a=1;;gatehouse=s; ;b") == "a=1; b", "empty pairs go; a bare name is a cookie")
        #expect(Self.forwarded("gatehousex=1; Gatehouse=2; xgatehouse=3") == "gatehousex=1; Gatehouse=2; xgatehouse=3", "only the exact names are Gatehouse's")
        #expect(Self.forwarded("naïve=café; gatehouse=s; 名前=値") == "naïve=café; 名前=値")
    }
}
