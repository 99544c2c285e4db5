extension SessionSettings {
    /// Decodes `session`, reporting every problem; nil when any was found.
    /// `isHTTPS` is nil when `public_url` itself is unusable: cookie-name rules that
    /// depend on it are skipped rather than guessed.
    static func decode(
        _ node: ConfigNode?,
        isHTTPS: Bool?,
        using decoder: inout ConfigDecoder,
        files: SecretFileReader
    ) -> Self? {
        let path = "session"
        let section = decoder.section(node, at: path)
        func key(_ name: String) -> String { ConfigDecoder.keyPath(path, name) }

        let store = decodeStore(section, using: &decoder, files: files)
        let cookieName = decodeCookieName(section["cookie_name"], isHTTPS: isHTTPS, using: &decoder)
        let sameSite =
            section["same_site"].isAbsent
            ? .strict : decoder.choice(SameSitePolicy.self, section["same_site"], at: key("same_site"))
        let idle =
            section["idle_timeout"].isAbsent
            ? defaultIdleTimeout : decoder.duration(section["idle_timeout"], at: key("idle_timeout"))
        let absolute =
            section["absolute_timeout"].isAbsent
            ? defaultAbsoluteTimeout : decoder.duration(section["absolute_timeout"], at: key("absolute_timeout"))
        let refresh =
            section["refresh_before_expiry"].isAbsent
            ? defaultRefreshBeforeExpiry
            : decoder.duration(section["refresh_before_expiry"], at: key("refresh_before_expiry"))
        let keys = decoder.encryptionKeys(in: section, at: path, files: files)
        let maxPerUser: Int? = section["max_per_user"].isAbsent ? 0 : decoder.nonNegativeInteger(section["max_per_user"], at: key("max_per_user"))

        var timesAreConsistent = true
        if let idle, let absolute, idle > absolute {
            decoder.report(key("idle_timeout"), "must not be longer than absolute_timeout (\(absolute.configText))")
            timesAreConsistent = false
        }
        if let idle, let refresh, refresh >= idle {
            // A token refreshed that early would be refreshed on every request of a live session.
            decoder.report(key("refresh_before_expiry"), "must be shorter than idle_timeout (\(idle.configText))")
            timesAreConsistent = false
        }

        guard let store, let cookieName, let sameSite, let idle, let absolute, let refresh, let keys, let maxPerUser,
            timesAreConsistent
        else { return nil }
        return SessionSettings(
            store: store,
            cookieName: cookieName,
            sameSite: sameSite,
            idleTimeout: idle,
            absoluteTimeout: absolute,
            refreshBeforeExpiry: refresh,
            maxPerUser: maxPerUser,
            encryptionKeys: keys
        )
    }

    private static func decodeStore(
        _ section: ConfigNode,
        using decoder: inout ConfigDecoder,
        files: SecretFileReader
    ) -> SessionStoreSetting? {
        let given = !section["store"].isAbsent || !section["store_file"].isAbsent
        guard let source = decoder.secretText("store", in: section, at: "session", files: files) else {
            if !given {
                decoder.reportMissing("session.store", "required: memory, redis://host:6379/0 or rediss://…")
            }
            return nil
        }
        if source.text == "memory" { return .memory }
        switch RedisStoreURL.parse(source.text) {
        case .success(let url):
            return .redis(url)
        case .failure(let failure):
            decoder.report(source.keyPath, failure.message, node: source.node)
            return nil
        }
    }

    private static func decodeCookieName(
        _ node: ConfigNode?,
        isHTTPS: Bool?,
        using decoder: inout ConfigDecoder
    ) -> String? {
        let keyPath = "session.cookie_name"
        guard !node.isAbsent else { return defaultCookieName(isHTTPS: isHTTPS ?? true) }
        guard let name = decoder.requiredString(node, at: keyPath) else { return nil }
        guard name.allSatisfy(\.isHTTPTokenCharacter) else {
            decoder.report(keyPath, "\"\(name)\" is not a cookie name (letters, digits and !#$%&'*+-.^_`|~ only)", node: node)
            return nil
        }
        let lowercased = name.lowercased()
        if isHTTPS == false && (lowercased.hasPrefix("__host-") || lowercased.hasPrefix("__secure-")) {
            // Browsers drop such cookies unless they are Secure, which needs https.
            decoder.report(keyPath, "a __Host- or __Secure- cookie needs an https public_url", node: node)
            return nil
        }
        return name
    }
}
