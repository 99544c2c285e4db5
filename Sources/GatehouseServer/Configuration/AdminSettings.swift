/// The admin API on `admin_listen` (`admin`): `/admin/*` exists only when a token is set.
package struct AdminSettings: Sendable, Hashable {
    /// The bearer `/admin/*` requires (`admin.token` or `admin.token_file`); nil: `/admin/*` is 404.
    package var token: ConfigSecret<String>?

    /// A shorter bearer could be guessed by anyone who reaches the admin listener.
    static let minimumTokenLength = 16
}

extension AdminSettings {
    /// Reads `admin`.
    init(_ section: ConfigSection) {
        self.init()
        guard let secret = section.secret("token") else { return }
        guard secret.text.count >= Self.minimumTokenLength else {
            section.report(secret.key, "must be at least \(Self.minimumTokenLength) characters; make one with `gatehouse keygen`", node: secret.node)
            return
        }
        token = ConfigSecret(secret.text)
    }
}
