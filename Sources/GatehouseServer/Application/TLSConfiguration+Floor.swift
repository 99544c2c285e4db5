import NIOSSL

extension TLSConfiguration {
    /// TLS 1.2 or later with forward-secret AEAD suites only, as BCP 195 and FAPI 2.0 §5.2 ask,
    /// on the listener and on every call out; swift-nio-ssl's defaults still accept TLS 1.0 and
    /// static-RSA and CBC suites.
    func withGatehouseFloor() -> TLSConfiguration {
        var configuration = self
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuites = "ECDHE+AESGCM:ECDHE+CHACHA20"  // TLS 1.3's suites are all AEAD and fixed
        return configuration
    }
}

/// TLS for every call Gatehouse makes (the provider, https upstreams).
func outboundTLS() -> TLSConfiguration {
    TLSConfiguration.makeClientConfiguration().withGatehouseFloor()
}
