import ArgumentParser
import FieldSyncClient

/// How the editors' and auditors' commands end when something goes wrong: one line on standard error
/// and an exit status that says what kind of wrong, never a trace.
///
/// - 1: a finding — the log does not verify, or the tallies differ;
/// - 2: the command could not do its work — a file or the server could not be read or written;
/// - 64: the command line is wrong (an option's value, a missing server or token).
enum AuditFailure {
    static let finding = ExitCode(1)
    static let cannotRun = ExitCode(2)
    static let usage = ExitCode.validationFailure

    /// The exit statuses, for `--help`.
    static let helpText = """
        Exit status: 0 when all is well; 1 when the log does not verify or the tallies differ; 2 when a file or \
        the server could not be read or written; 64 when the command line is wrong.
        """

    static func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch let problem as UsageProblem {
            Console.error("fieldsync: \(problem)")
            throw usage
        } catch let problem as CredentialsProblem {
            Console.error("fieldsync: \(problem)")
            throw usage
        } catch {
            let line = String(describing: error).split(separator: "\n").joined(separator: " ")
            Console.error("fieldsync: \(line)")
            throw cannotRun
        }
    }

    /// Prints lines on standard output, all at once.
    static func print(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        Console.line(lines.joined(separator: "\n"))
    }
}

/// A command-line value that is not allowed: what is wrong and what is allowed, in one line.
struct UsageProblem: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
