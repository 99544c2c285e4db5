import Foundation

/// A throwaway SPA folder on disk, with a secret beside it that no request may ever read.
///
/// Layout: `<base>/secret.txt` (outside) and `<base>/public/` holding index.html, assets of every
/// served type, dot-files, a folder with its own index, and symlinks pointing in and out.
struct StaticTestFolder {
    static let secret = "TOP SECRET outside the folder"
    static let indexHTML = "<!doctype html><title>index</title>"

    let base: URL
    var folder: String { self.base.appendingPathComponent("public").path }

    init() throws {
        self.base = FileManager.default.temporaryDirectory
            .appendingPathComponent("gatehouse-static-\(UUID().uuidString)")
        let public_ = self.base.appendingPathComponent("public")
        let manager = FileManager.default
        try manager.createDirectory(at: public_.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try manager.createDirectory(at: public_.appendingPathComponent("docs"), withIntermediateDirectories: true)

        let files: [String: String] = [
            "index.html": Self.indexHTML,
            "docs/index.html": "<p>docs</p>",
            "app.3f9a2c1e.js": "console.log('fingerprinted')",
            "app.js": "console.log('plain')",
            "app.css": "body { margin: 0 }",
            "module.mjs": "export {}",
            "data.json": "{}",
            "icon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
            "logo.png": "png",
            "photo.jpg": "jpg",
            "favicon.ico": "ico",
            "font.woff2": "woff2",
            "notes.txt": "notes",
            "app.js.map": "{}",
            "site.webmanifest": "{}",
            ".env": "SECRET=dotenv",
            ".git/config": "[core] dot-git",
        ]
        for (name, contents) in files {
            try Data(contents.utf8).write(to: public_.appendingPathComponent(name))
        }
        try Data(Self.secret.utf8).write(to: self.base.appendingPathComponent("secret.txt"))
        try manager.createSymbolicLink(atPath: public_.appendingPathComponent("leak.txt").path, withDestinationPath: "../secret.txt")
        try manager.createSymbolicLink(atPath: public_.appendingPathComponent("leak").path, withDestinationPath: self.base.appendingPathComponent("secret.txt").path)
        try manager.createSymbolicLink(atPath: public_.appendingPathComponent("alias.css").path, withDestinationPath: "app.css")
        try manager.createSymbolicLink(atPath: public_.appendingPathComponent("env.txt").path, withDestinationPath: ".env")
    }

    func remove() {
        try? FileManager.default.removeItem(at: self.base)
    }
}
