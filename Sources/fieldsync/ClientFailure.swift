import ArgumentParser
import FieldSyncClient
import FieldSyncModel

/// Runs a reporter's command: any failure becomes lines on standard error, each starting
/// `fieldsync:`, and the documented exit code (see ``ExitStatus``); never a trace.
enum ClientFailure {
    static func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ValidationError {
            throw error
        } catch let problems as RecordProblems {
            fail(problems.description, .invalid)
        } catch let damaged as LogDamaged {
            fail(damaged.description, .logProblem)
        } catch let error as ServerAPIError {
            switch error {
            case .unreachable: fail(error.description, .unreachable)
            case .refused: fail(error.description, .refused)
            default: fail(error.description, .failure)
            }
        } catch let error as UntrustedAnswer {
            fail(error.description, .untrustedServer)
        } catch let error as ReferenceProblem {
            fail(error.description, .failure)
        } catch {
            fail(String(describing: error), .failure)
        }
    }

    /// Prints `message` (one or more lines) and exits with `status`.
    static func fail(_ message: String, _ status: ExitStatus) -> Never {
        for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
            Console.error("fieldsync: " + line)
        }
        exit(status)
    }

    static func exit(_ status: ExitStatus) -> Never {
        FieldSync.exit(withError: ExitCode(status.rawValue))
    }
}
