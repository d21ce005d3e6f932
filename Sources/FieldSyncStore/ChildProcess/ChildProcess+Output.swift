import Foundation

extension ChildProcess {
    /// Runs `program` to its end and returns how it ended and what it wrote on standard output (its
    /// standard error goes to `/dev/null`). Blocks the calling thread: for short programs such as
    /// `pg_config`, off the cooperative pool.
    public static func output(
        of program: String, _ arguments: [String], environment: [String: String]? = nil
    ) throws(ChildProcessError) -> (termination: Termination, output: String) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            throw ChildProcessError("cannot start \(program): no pipe (\(String(cString: strerror(errno))))")
        }
        let reading = FileHandle(fileDescriptor: ends[0], closeOnDealloc: true)
        let child: ChildProcess
        do {
            child = try start(
                program, arguments, environment: environment, output: .descriptor(ends[1]), errors: .null)
            close(ends[1])
        } catch {
            close(ends[1])
            throw error
        }
        // The pipe ends when the child (the only writer left) has closed it.
        let output = reading.readDataToEndOfFile()
        return (child.waitUntilExit(), String(decoding: output, as: UTF8.self))
    }
}
