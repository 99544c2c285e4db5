/// The frame of every HTML page the provider serves, with the development-only banner.
struct ProviderPage: Sendable {
    var title: String
    /// Trusted HTML: callers escape what they interpolate.
    var body: String

    var html: String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title.htmlEscaped)</title>
        <style>
        body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;background:#f4f5f7;color:#1d2433}
        .banner{background:#b3261e;color:#fff;text-align:center;padding:.6rem 1rem;font-weight:700;letter-spacing:.02em}
        main{max-width:24rem;margin:3rem auto;background:#fff;border-radius:12px;padding:2rem;box-shadow:0 2px 12px rgba(0,0,0,.08)}
        h1{margin:0 0 .25rem;font-size:1.5rem}
        .muted{color:#5b6475;margin-top:0}
        label{display:block;margin:1rem 0 0;font-weight:600;font-size:.9rem}
        input{display:block;width:100%;box-sizing:border-box;margin-top:.3rem;padding:.6rem;border:1px solid #c5cad3;border-radius:8px;font:inherit}
        .actions{display:flex;gap:.75rem;margin-top:1.5rem}
        button{flex:1;padding:.65rem;border:0;border-radius:8px;background:#1f5eff;color:#fff;font:inherit;font-weight:600;cursor:pointer}
        button.secondary{background:#e6e8ec;color:#1d2433}
        .error{background:#fdecea;color:#8c1d18;padding:.6rem .8rem;border-radius:8px}
        .hint{margin-top:1.5rem;padding:.8rem 1rem;background:#fff8e1;border-radius:8px;font-size:.9rem}
        .hint ul{margin:.3rem 0 0;padding-left:1.2rem}
        code{background:#eef0f3;padding:.05rem .35rem;border-radius:4px}
        </style>
        </head>
        <body>
        <div class="banner" role="banner">DEVELOPMENT ONLY — never use in production</div>
        <main>
        \(body)
        </main>
        </body>
        </html>
        """
    }

    /// A page that only states something, such as an error or "signed out".
    static func message(title: String, text: String) -> ProviderPage {
        ProviderPage(title: title, body: "<h1>\(title.htmlEscaped)</h1><p>\(text.htmlEscaped)</p>")
    }
}
