import ArgumentParser
import FieldSyncClient

/// How every command ends when something goes wrong: lines on standard error, each starting `fieldsync:`,
/// and the exit code that ``ExitStatus`` gives the kind of failure; never a trace.
enum CommandFailure {
    /// Runs a command's work; any failure becomes its lines and its exit code.
    static func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ValidationError {
            throw error
        } catch {
            fail(String(describing: error), status(of: error))
        }
    }

    /// The exit code of a failure, from its kind.
    static func status(of error: any Error) -> ExitStatus {
        switch error {
        case is UsageProblem, is CredentialsProblem: .usage
        case is RecordProblems, is BundleRefused: .invalid
        case is LogDamaged: .logProblem
        case is UntrustedAnswer: .untrustedServer
        case let error as ServerAPIError:
            switch error {
            case .unreachable: .unreachable
            case .refused: .refused
            default: .failure
            }
        case let error as AuditServerError:
            switch error.kind {
            case .unreachable: .unreachable
            case .refused(let status) where ServerAPIError.refusalStatuses.contains(status): .refused
            default: .failure
            }
        default: .failure
        }
    }

    /// Prints `message` (one or more lines) and exits with `status`.
    static func fail(_ message: String, _ status: ExitStatus) -> Never {
        for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
            Console.error("fieldsync: " + line)
        }
        exit(status)
    }

    /// Exits with `status`, printing nothing more.
    static func exit(_ status: ExitStatus) -> Never {
        FieldSync.exit(withError: ExitCode(status.rawValue))
    }
}

/// A command-line value that is not allowed: what is wrong and what is allowed, in one line.
struct UsageProblem: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
