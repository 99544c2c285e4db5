import GatehouseServer
import Testing

@Suite("Configuration values")
struct ConfigurationValueTests {
    @Test("CIDR parses IPv4, IPv6 and bare addresses, clearing host bits")
    func cidrParsing() {
        #expect(CIDR("10.0.0.0/8")?.description == "10.0.0.0/8")
        #expect(CIDR("10.1.2.3/8")?.description == "10.0.0.0/8")
        #expect(CIDR("192.168.1.7")?.description == "192.168.1.7/32")
        #expect(CIDR("2001:db8::/32")?.description == "2001:db8::/32")
        #expect(CIDR("::1")?.description == "::1/128")
        #expect(CIDR("0.0.0.0/0")?.prefixLength == 0)
        for bad in ["", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/+8", "10.0.0/8", "256.0.0.0/8", "2001:db8::/129",
                    "[::1]/128", "fe80::1%eth0/64", "example.com/8", "10.0.0.0/8/8"] {
            #expect(CIDR(bad) == nil, "\(bad)")
        }
    }

    @Test("CIDR.contains matches addresses inside the block only, including IPv4-mapped IPv6")
    func cidrContains() throws {
        let private10 = try #require(CIDR("10.0.0.0/8"))
        #expect(private10.contains("10.255.3.4"))
        #expect(!private10.contains("11.0.0.1"))
        #expect(private10.contains("::ffff:10.1.2.3"))
        #expect(!private10.contains("2001:db8::1"))
        #expect(!private10.contains("not an address"))
        let odd = try #require(CIDR("172.16.0.0/12"))
        #expect(odd.contains("172.31.255.255"))
        #expect(!odd.contains("172.32.0.0"))
        let v6 = try #require(CIDR("2001:db8:abcd::/48"))
        #expect(v6.contains("2001:db8:abcd:12::1"))
        #expect(!v6.contains("2001:db8:abce::1"))
        #expect(!v6.contains("10.0.0.1"))
        #expect(try #require(CIDR("0.0.0.0/0")).contains("203.0.113.9"))
        #expect(try #require(CIDR("::/0")).contains("2001:db8::1"))
    }

    @Test("durations read s, m, h, ms and sums such as 1h30m; bare numbers and other units do not")
    func durations() {
        let cases: [(String, Duration)] = [
            ("30s", .seconds(30)), ("15m", .seconds(900)), ("12h", .seconds(43200)), ("500ms", .milliseconds(500)),
            ("1h30m", .seconds(5400)), ("1m30s250ms", .milliseconds(90250)), ("0s", .zero),
        ]
        for (text, expected) in cases {
            #expect(Duration(configText: text) == expected, "\(text)")
        }
        for bad in ["", "30", "s", "1d", "-5s", "1.5h", "30m1h", "1m1m", " 30s", "30 s", "30S"] {
            #expect(Duration(configText: bad) == nil, "\(bad)")
        }
    }

    @Test("listen addresses accept IPv4, bracketed IPv6 and host names with a port")
    func listenAddresses() {
        #expect(ListenAddress("0.0.0.0:8080") == ListenAddress(host: "0.0.0.0", port: 8080))
        #expect(ListenAddress("[::]:8080") == ListenAddress(host: "::", port: 8080))
        #expect(ListenAddress("[::1]:9091")?.description == "[::1]:9091")
        #expect(ListenAddress("localhost:9091") == ListenAddress(host: "localhost", port: 9091))
        #expect(ListenAddress("gatehouse.internal:80")?.host == "gatehouse.internal")
        for bad in ["8080", ":8080", "0.0.0.0", "0.0.0.0:", "0.0.0.0:65536", "::1:8080", "[::1]8080", "[10.0.0.1]:80",
                    "999.1.1.1:80", "-bad-:80", "host:80a"] {
            #expect(ListenAddress(bad) == nil, "\(bad)")
        }
    }

    @Test("IP addresses know loopback, and unwrap IPv4 mapped into IPv6")
    func ipAddresses() throws {
        #expect(try #require(IPAddress("127.0.0.1")).isLoopback)
        #expect(try #require(IPAddress("::1")).isLoopback)
        #expect(try #require(IPAddress("::ffff:127.0.0.1")).isLoopback)
        #expect(try !#require(IPAddress("10.0.0.1")).isLoopback)
        #expect(IPAddress("::ffff:10.1.2.3")?.unmappingIPv4.description == "10.1.2.3")
    }

    @Test("secrets print as <redacted>")
    func secretRedaction() {
        let secret = ConfigSecret("hunter2")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(secret.value == "hunter2")
    }
}
