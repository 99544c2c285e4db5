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
        /// The `groups` claim (left out of ID tokens when empty).
        package var groups: [String]
        /// The code the second-factor step asks for (shown on that page: this is a development tool).
        package var oneTimeCode: String

        /// Creates a user.
        package init(
            username: String,
            password: String,
            subject: String,
            name: String,
            email: String,
            isEmailVerified: Bool = true,
            groups: [String] = [],
            oneTimeCode: String = "000000"
        ) {
            self.username = username
            self.password = password
            self.subject = subject
            self.name = name
            self.email = email
            self.isEmailVerified = isEmailVerified
            self.groups = groups
            self.oneTimeCode = oneTimeCode
        }

        /// The demo user: `demo` / `demo`.
        package static let demo = User(
            username: "demo",
            password: "demo",
            subject: "3f2a1c9e-demo-user-0001",
            name: "Demo User",
            email: "demo@example.com",
            groups: ["demo-users"]
        )
    }
}
