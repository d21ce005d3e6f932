import ArgumentParser
import Foundation

/// Turns any failure of a command into one line on standard error and a non-zero exit, never a trace.
enum CommandFailure {
    static func reportingOnOneLine(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ValidationError {
            throw error
        } catch {
            let line = String(describing: error).split(separator: "\n").joined(separator: " ")
            Console.error("fieldsync: \(line)")
            throw ExitCode.failure
        }
    }
}
