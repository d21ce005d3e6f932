import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

/// Editors' and auditors' commands take the server and token from the profile `fieldsync init` made, after
/// `--server`/`--token` and the environment: the real program against a real server.
@Suite struct ProfileCredentialsTests {
    @Test func anEditorsInitThenTallyAndReviewWithNeitherServerNorToken() async throws {
        try await AuditTestServer.with { server in
            let folder = try makeTemporaryDirectory("fieldsync-editor")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let home = folder + "/home"
            let code = try await server.server.testCode(.editor, name: "Test editor")
            let enrolled = try await Program.run(
                ["init", "--server", server.url, "--code", code.description, "--home", home])
            #expect(enrolled.status == 0, "\(enrolled)")
            #expect(enrolled.output.contains("  fieldsync tally\n"), "\(enrolled)")
            #expect(enrolled.output.contains("  fieldsync review list\n"), "\(enrolled)")
            #expect(!enrolled.output.contains("fieldsync record"), "\(enrolled)")

            let tally = try await Program.run(["tally", "--json", "--home", home])
            #expect(tally.status == 0, "\(tally)")
            #expect(try JSONParser.parse(Array(tally.output.utf8)) == (try await server.get("/v1/tallies")))
            let fromEnvironmentHome = try await Program.run(["tally"], environment: ["FIELDSYNC_HOME": home])
            #expect(fromEnvironmentHome.status == 0, "\(fromEnvironmentHome)")
            #expect(
                fromEnvironmentHome.lines.first?.hasPrefix(
                    "Pakistan general election 2024, Karachi · polling day 2024-02-08 — position") == true)
            let reviews = try await Program.run(["review", "list", "--home", home])
            #expect(reviews.status == 0, "\(reviews)")
        }
    }

    @Test func optionsAndTheEnvironmentComeBeforeTheProfile() async throws {
        try await AuditTestServer.with { server in
            let folder = try makeTemporaryDirectory("fieldsync-editor")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let home = folder + "/home"
            let code = try await server.server.testCode(.auditor, name: "Test auditor")
            let enrolled = try await Program.run(
                ["init", "--server", server.url, "--code", code.description, "--home", home])
            #expect(enrolled.status == 0, "\(enrolled)")
            #expect(enrolled.output.contains("  fieldsync audit export --out log.ndjson\n"), "\(enrolled)")

            let nowhere = ["--server", "http://127.0.0.1:9", "--token", "t"]
            let options = try await Program.run(["tally", "--home", home] + nowhere)
            #expect(options.status == ExitStatus.unreachable.rawValue, "\(options)")
            #expect(options.errors.hasPrefix("fieldsync: cannot reach http://127.0.0.1:9"), "\(options)")
            let environment = try await Program.run(
                ["audit", "export", "--out", folder + "/log.ndjson", "--home", home],
                environment: ["FIELDSYNC_SERVER": "http://127.0.0.1:9", "FIELDSYNC_TOKEN": "t"])
            #expect(environment.status == ExitStatus.unreachable.rawValue, "\(environment)")
            let token = try await Program.run(["tally", "--home", home, "--token", "not-the-token"])
            #expect(token.status == ExitStatus.refused.rawValue, "\(token)")

            let otherServer = try await Program.run(["tally", "--home", home, "--server", "http://127.0.0.1:9"])
            #expect(otherServer.status == ExitStatus.usage.rawValue, "\(otherServer)")
            #expect(otherServer.errors.contains("the profile's token is only sent to its server"), "\(otherServer)")
            #expect(otherServer.errors.split(separator: "\n").count == 1, "\(otherServer)")
        }
    }

    @Test func anExplicitHomeWithoutAProfileIsOneLineAndExit64() async throws {
        let folder = try makeTemporaryDirectory("fieldsync-no-profile")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let home = folder + "/none"
        for arguments in [
            ["tally"], ["review", "list"], ["audit", "export", "--out", folder + "/log.ndjson"],
        ] {
            let outcome = try await Program.run(arguments + ["--home", home])
            #expect(outcome.status == ExitStatus.usage.rawValue, "\(arguments): \(outcome)")
            #expect(outcome.errors.hasPrefix("fieldsync: no server given (allowed: --server URL"), "\(outcome)")
            #expect(outcome.errors.contains("`fieldsync init` makes in --home DIR (none in \(home))"), "\(outcome)")
            #expect(outcome.errors.split(separator: "\n").count == 1, "\(arguments): \(outcome)")
        }
        let replay = try await Program.run(
            ["audit", "replay", folder + "/log.ndjson", "--compare", "http://127.0.0.1:9", "--home", home])
        #expect(replay.status == ExitStatus.usage.rawValue, "\(replay)")
        #expect(replay.errors.hasPrefix("fieldsync: no token given"), "\(replay)")
        #expect(replay.errors.split(separator: "\n").count == 1, "\(replay)")
    }
}
