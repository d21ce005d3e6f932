import FieldSyncModel
import FieldSyncServer
import FieldSyncTestSupport
import Hummingbird
import NIOHTTP1
import Testing

@Suite struct OpenAPITests {
    /// The operations of the document's `paths`: `GET /v1/devices/{device}/head`… Read line by line:
    /// paths at two spaces of indentation, methods at four.
    static func operations(in document: String) -> Set<String> {
        var operations = Set<String>()
        var inPaths = false
        var path: String?
        let methods = ["get", "put", "post", "delete", "patch", "head", "options"]
        for line in document.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty { inPaths = line == "paths:" }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   "), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let path {
                let name = line.trimmingPrefix("    ").dropLast()
                if line.hasSuffix(":"), methods.contains(String(name)) {
                    operations.insert("\(name.uppercased()) \(path)")
                }
            }
        }
        return operations
    }

    @Test func theRoutesAndTheDocumentAgree() async throws {
        try await TestServer.with { server in
            let answer = try await HTTP.get(server.url + "/v1/openapi.yaml")
            #expect(answer.status == 200)
            let documented = Self.operations(in: answer.text)
            #expect(documented.count >= 10)
            let routed = Set(
                server.server.makeRouter().routes.map { route in
                    let path = route.path.components.map { component -> String in
                        let text = component.description
                        return text.hasPrefix(":") ? "{\(text.dropFirst())}" : text
                    }
                    return "\(route.method) /" + path.joined(separator: "/")
                })
            #expect(routed.subtracting(documented).isEmpty, "routes missing from openapi.yaml")
            #expect(documented.subtracting(routed).isEmpty, "documented operations with no route")

            // And each documented operation answers over HTTP as something other than "no such endpoint".
            let admin = try await server.enroll(.admin, sendKey: false)
            // The token's rotation last: it replaces the token the others are called with.
            for operation in documented.sorted(by: {
                ($0 == "POST /v1/token" ? 1 : 0, $0) < ($1 == "POST /v1/token" ? 1 : 0, $1)
            }) {
                let parts = operation.split(separator: " ")
                let path = String(parts[1]).replacing("{device}", with: admin.device.rawValue)
                if path == "/v1/live" {
                    // A stream that never ends by itself: look at its status only.
                    #expect(try await HTTP.status(of: server.url + path, token: admin.token) == 200)
                    continue
                }
                let answer = try await HTTP.send(
                    HTTPMethod(rawValue: String(parts[0])), server.url + path, token: admin.token,
                    body: Array("{}".utf8))
                #expect(![404, 405].contains(answer.status), "\(operation): \(answer.status) \(answer.text)")
            }
        }
    }

    /// Every `$ref: "#/components/<kind>/<name>"` names a component the document defines: `<name>:` at
    /// four spaces of indentation under `<kind>:` at two, under `components:`.
    @Test func everyReferenceResolves() async throws {
        try await TestServer.with { server in
            let document = try await HTTP.get(server.url + "/v1/openapi.yaml").text
            var defined = Set<String>()
            var inComponents = false
            var kind: Substring?
            for line in document.split(separator: "\n", omittingEmptySubsequences: false) {
                if !line.hasPrefix(" ") && !line.isEmpty { inComponents = line == "components:" }
                guard inComponents, line.hasSuffix(":") else { continue }
                if line.hasPrefix("  "), !line.hasPrefix("   ") {
                    kind = line.dropFirst(2).dropLast()
                } else if line.hasPrefix("    "), !line.hasPrefix("     "), let kind {
                    defined.insert("#/components/\(kind)/\(line.dropFirst(4).dropLast())")
                }
            }
            let references = Set(document.matches(of: /\$ref: "(#\/components\/[^"]+)"/).map { String($0.output.1) })
            #expect(references.count >= 5)
            #expect(references.subtracting(defined).isEmpty, "unresolved: \(references.subtracting(defined).sorted())")
        }
    }

    /// The patterns of the path parameters take exactly the codes the server reads (schemathesis found
    /// the document allowing `NA-0`, which no constituency is).
    @Test func pathPatternsAreTheCodesTheServerReads() async throws {
        try await TestServer.with(reference: false) { server in
            let document = try await HTTP.get(server.url + "/v1/openapi.yaml").text
            func pattern(of parameter: String) throws -> Regex<AnyRegexOutput> {
                let line = try #require(
                    document.split(separator: "\n").first {
                        $0.contains("name: \(parameter), in: path, required: true, schema: { type: string")
                    })
                let text = try #require(line.firstMatch(of: /pattern: "([^"]+)"/)?.output.1)
                return try Regex(String(text))
            }
            let samples: [(String, [String], (String) -> Bool)] = [
                (
                    "constituency",
                    [
                        "NA-1", "NA-248", "PS-84", "PP-297", "PK-115", "PB-51", "NA-9999", "NA-0", "NA-01", "NA-10000",
                        "PS-", "XX-1", "PX-1", "na-248", "pp-1", "NA-248 ",
                    ],
                    { ConstituencyCode($0) != nil }
                ),
                (
                    "station",
                    [
                        "NA-248-017", "NA-248-0170", "NA-1-000", "NA-0-001", "NA-248-17", "NA-248-01700", "PS-84-001",
                        "PP-1-001",
                        "NA-10000-001", "NA-248-01a", "NA-01-001",
                    ],
                    { StationCode($0) != nil }
                ),
                (
                    "device",
                    [
                        "server", "0123456789abcdef0123", "0123456789ABCDEF0123", "0123456789abcdef012",
                        "0123456789abcdef01234", "/server", "devices",
                    ],
                    { DeviceID($0) != nil }
                ),
            ]
            for (parameter, codes, serverReads) in samples {
                let documented = try pattern(of: parameter)
                for code in codes {
                    #expect((code.wholeMatch(of: documented) != nil) == serverReads(code), "\(parameter) \(code)")
                }
            }
        }
    }

    @Test func theDocumentListsEveryProblemType() async throws {
        try await TestServer.with(reference: false) { server in
            let document = try await HTTP.get(server.url + "/v1/openapi.yaml").text
            for kind in Problem.Kind.all {
                #expect(document.contains("urn:fieldsync:problem:\(kind.name)"), "\(kind.name)")
            }
        }
    }
}
