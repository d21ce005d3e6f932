import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

/// The dashboard's files as the server serves them: every file of `Dashboard/Assets/` at its path
/// with its type, byte for byte as in the source tree, and none pointing outside the server.
@Suite struct DashboardServingTests {
    /// `Sources/FieldSyncServer/Dashboard/Assets/`, found from this file's place in the package.
    static let assetsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/FieldSyncServer/Dashboard/Assets")

    static func assetNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: assetsFolder.path).filter { !$0.hasPrefix(".") }.sorted()
    }

    static func path(of name: String) -> String { name == "index.html" ? "/" : "/dashboard/\(name)" }

    static let expectedTypes = [
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
    ]

    /// What may not appear in any asset: an absolute URL, a protocol-relative one, an import or
    /// style sheet from elsewhere. The page loads only from the server that served it.
    static var externalReferences: [Regex<Substring>] {
        [
            /(?i)https?:/, /(?i)(?:src|href|action)\s*=\s*["']?\s*\/\//, /(?i)url\(\s*["']?\s*(?:\/\/|[a-z]+:(?!,))/,
            /(?i)@import/, /(?i)\bimport\s*\(?\s*["'](?!\.\/)/, /(?i)\bfrom\s+["'](?!\.\/)/,
            /(?i)\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\//,
            /["'`(]\s*\/\/[a-zA-Z0-9]/,
        ]
    }

    @Test func everyAssetIsServedWithItsTypeAndTheSecurityHeaders() async throws {
        let names = try Self.assetNames()
        #expect(names.contains("index.html"))
        #expect(names.contains { $0.hasSuffix(".js") } && names.contains { $0.hasSuffix(".css") })
        try await DashboardServer.with(reference: []) { server in
            for name in names {
                let answer = try await HTTP.get(server.url + Self.path(of: name))
                #expect(answer.status == 200, "\(name)")
                let type = Self.expectedTypes[String(name.split(separator: ".").last ?? "")]
                #expect(type != nil, "\(name): a file of a type the dashboard does not serve")
                #expect(answer.header("content-type") == type, "\(name)")
                let source = try Data(contentsOf: Self.assetsFolder.appendingPathComponent(name))
                #expect(answer.body == Array(source), "\(name): the served file is not the one in the source tree")
                #expect(answer.header("content-security-policy")?.contains("default-src 'none'") == true)
                #expect(answer.header("x-content-type-options") == "nosniff")

                // A browser that has the file revalidates it and gets 304.
                let tag = try #require(answer.header("etag"))
                let again = try await HTTP.get(server.url + Self.path(of: name), headers: [("If-None-Match", tag)])
                #expect(again.status == 304, "\(name)")
            }
            let missing = try await HTTP.get(server.url + "/dashboard/nothing.js")
            #expect(missing.status == 404)
        }
    }

    @Test func noAssetReferencesAnythingOutsideTheServer() async throws {
        try await DashboardServer.with(reference: []) { server in
            for name in try Self.assetNames() {
                // The embedded copy, as served: that is what a browser gets.
                let text = try await HTTP.get(server.url + Self.path(of: name)).text
                for pattern in Self.externalReferences {
                    let found = text.matches(of: pattern).map { String(text[$0.range]) }
                    #expect(found.isEmpty, "\(name) refers outside the server: \(found)")
                }
            }
        }
    }

    /// Every file the page loads (the style sheet and scripts of index.html, and the modules they
    /// import) is one the server serves: following the references from `/` finds no 404.
    @Test func everyReferenceOfThePageResolves() async throws {
        try await DashboardServer.with(reference: []) { server in
            var queue = ["/"]
            var seen = Set<String>()
            while let path = queue.popLast() {
                guard seen.insert(path).inserted else { continue }
                let answer = try await HTTP.get(server.url + path)
                #expect(answer.status == 200, "\(path)")
                let text = answer.text
                for match in text.matches(of: /(?:src|href)="(\/dashboard\/[^"]+)"/) { queue.append(String(match.1)) }
                for match in text.matches(of: /from\s+'\.\/([^']+)'/) { queue.append("/dashboard/\(match.1)") }
            }
            let names = try Self.assetNames().filter { $0 != "index.html" }.map { "/dashboard/\($0)" }
            #expect(Set(names).subtracting(seen).isEmpty, "assets nothing loads: \(Set(names).subtracting(seen))")
        }
    }

    @Test func patternsCatchExternalReferences() {
        let bad = [
            "<script src=\"https://cdn.example.com/x.js\"></script>", "<link href=\"//fonts.example.com/a.css\">",
            "@import url(fonts.css);", "import x from 'https://esm.sh/x';", "background: url(http://x.example/a.png)",
            "fetch('//evil.example.org/x')",
        ]
        for text in bad {
            #expect(Self.externalReferences.contains { !text.matches(of: $0).isEmpty }, "\(text)")
        }
        let good = ["import { html } from './format.js';", "<link rel=\"icon\" href=\"data:,\">", "a // comment"]
        for text in good {
            #expect(!Self.externalReferences.contains { !text.matches(of: $0).isEmpty }, "\(text)")
        }
    }
}
