extension DevOpenIDProvider {
    /// A user who can log in on the login page.
    public struct User: Sendable, Hashable {
        /// The login name, also the `preferred_username` claim.
        public var username: String
        /// The password; shown on the login page, so never a real one.
        public var password: String
        /// The stable `sub` claim.
        public var subject: String
        /// The `name` claim.
        public var name: String
        /// The `email` claim.
        public var email: String
        /// The `email_verified` claim.
        public var isEmailVerified: Bool

        /// Creates a user.
        public init(
            username: String,
            password: String,
            subject: String,
            name: String,
            email: String,
            isEmailVerified: Bool = true
        ) {
            self.username = username
            self.password = password
            self.subject = subject
            self.name = name
            self.email = email
            self.isEmailVerified = isEmailVerified
        }

        /// The demo user: `demo` / `demo`.
        public static let demo = User(
            username: "demo",
            password: "demo",
            subject: "3f2a1c9e-demo-user-0001",
            name: "Demo User",
            email: "demo@example.com"
        )
    }
}
