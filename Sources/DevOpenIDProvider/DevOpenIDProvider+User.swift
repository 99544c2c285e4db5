extension DevOpenIDProvider {
    /// A user who can log in on the login page.
    package struct User: Sendable, Hashable {
        /// The login name, also the `preferred_username` claim.
        package var username: String
        /// The password; shown on the login page, so never a real one.
        package var password: String
        /// The stable `sub` claim.
        package var subject: String
        /// The `name` claim.
        package var name: String
        /// The `email` claim.
        package var email: String
        /// The `email_verified` claim.
        package var isEmailVerified: Bool

        /// Creates a user.
        package init(
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
        package static let demo = User(
            username: "demo",
            password: "demo",
            subject: "3f2a1c9e-demo-user-0001",
            name: "Demo User",
            email: "demo@example.com"
        )
    }
}
