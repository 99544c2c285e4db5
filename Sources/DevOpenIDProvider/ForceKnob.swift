/// Body of `POST /_dev/force`: answers to give to the next token requests, in order.
struct ForceKnob: Codable, Sendable {
    var responses: [DevOpenIDProvider.ForcedTokenResponse]
}
