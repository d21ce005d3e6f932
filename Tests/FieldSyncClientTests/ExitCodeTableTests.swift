import FieldSyncClient
import FieldSyncTestSupport
import Foundation
import Testing

/// One table of exit codes: the same rows in `fieldsync --help`, in each command's `--help` (the rows it
/// can end with) and in the README.
@Suite struct ExitCodeTableTests {
    /// Every command that does something, as typed.
    static let commands: [[String]] = [
        ["serve"], ["migrate"], ["project"], ["admin", "enroll"], ["admin", "assign"], ["admin", "revoke"], ["init"],
        ["record", "opened"], ["record", "closed"], ["record", "agents"], ["record", "turnout"],
        ["record", "incident"], ["record", "result"], ["record", "correct"], ["sync"], ["log"], ["status"],
        ["token", "rotate"], ["tally"], ["review", "list"], ["review", "accept"], ["review", "reject"],
        ["review", "verify"], ["official", "import"], ["audit", "export"], ["audit", "verify"], ["audit", "replay"],
        ["audit", "explain"], ["simulate"], ["audit", "witness", "run"], ["audit", "witness", "keygen"],
        ["admin", "witness", "add"], ["admin", "witness", "list"],
    ]

    @Test func theProgramsHelpHasTheWholeTable() async throws {
        let help = try await Program.run(["--help"])
        #expect(help.status == ExitStatus.ok.rawValue)
        for status in ExitStatus.allCases {
            #expect(help.output.contains(status.line), "\(status)")
        }
        #expect(Set(ExitStatus.allCases.map(\.rawValue)).count == ExitStatus.allCases.count)
    }

    @Test func eachCommandsHelpHasItsRows() async throws {
        for command in Self.commands {
            let help = try await Program.run(command + ["--help"])
            #expect(help.status == ExitStatus.ok.rawValue, "\(command): \(help)")
            #expect(help.output.contains("Exit codes (the same in every command"), "\(command)")
            for status in [ExitStatus.ok, .failure, .usage] {
                #expect(help.output.contains(status.line), "\(command): \(status)")
            }
        }
        let sync = try await Program.run(["sync", "--help"])
        for status in [ExitStatus.unreachable, .conflict, .invalid, .refused, .logProblem, .untrustedServer] {
            #expect(sync.output.contains(status.line), "sync: \(status)")
        }
        let verify = try await Program.run(["audit", "verify", "--help"])
        #expect(verify.output.contains(ExitStatus.finding.line))
        #expect(!verify.output.contains(ExitStatus.conflict.line))
        let witness = try await Program.run(["audit", "witness", "--help"])
        for status in [ExitStatus.unreachable, .refused, .untrustedServer, .finding] {
            #expect(witness.output.contains(status.line), "audit witness: \(status)")
        }
    }

    @Test func theReadmeHasTheSameTable() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        #expect(text.contains("### Exit codes"))
        for status in ExitStatus.allCases {
            #expect(text.contains("| \(status.rawValue) | \(status.meaning) |"), "\(status)")
        }
    }
}
