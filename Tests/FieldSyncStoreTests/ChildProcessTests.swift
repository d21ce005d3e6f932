import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import Testing

@Suite struct ChildProcessTests {
    @Test func outputAndErrorsGoToTheirFilesAndTheExitCodeIsKept() async throws {
        let folder = try makeTemporaryDirectory("fieldsync-child")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let child = try ChildProcess.start(
            "/bin/sh", ["-c", "echo out; echo err >&2; exit 3"],
            output: .file(folder + "/out", append: false), errors: .file(folder + "/err", append: false))
        #expect(try await child.exit() == .exited(3))
        #expect(child.termination == .exited(3))
        #expect(!child.isRunning)
        #expect(try String(contentsOfFile: folder + "/out", encoding: .utf8) == "out\n")
        #expect(try String(contentsOfFile: folder + "/err", encoding: .utf8) == "err\n")

        // Appending keeps what the file held; errors follow the output when not given.
        let again = try ChildProcess.start(
            "/bin/sh", ["-c", "echo more; echo also >&2"], output: .file(folder + "/out", append: true))
        #expect(again.waitUntilExit() == .exited(0))
        #expect(try String(contentsOfFile: folder + "/out", encoding: .utf8) == "out\nmore\nalso\n")
    }

    @Test func aSignalEndsItAndIsReported() async throws {
        // Long enough to outlive a test kept waiting for a minute on a busy machine; ended below.
        let child = try ChildProcess.start("/bin/sleep", ["3600"])
        defer { child.signal(SIGKILL) }
        #expect(child.isRunning)
        child.signal(SIGTERM)
        #expect(try await child.exit() == .signalled(SIGTERM))
        #expect(child.termination?.status == SIGTERM)
        // Reaped: a later signal goes nowhere (the id may be another process's by now).
        child.signal(SIGKILL)
        #expect(child.termination == .signalled(SIGTERM))
    }

    @Test func anExitWithinATimeoutSaysNilWhileTheChildRuns() async throws {
        let child = try ChildProcess.start("/bin/sleep", ["3600"])
        defer { child.signal(SIGKILL) }
        #expect(try await child.exit(within: .milliseconds(100)) == nil)
        #expect(child.isRunning)
        child.signal(SIGTERM)
        #expect(try await child.exit(within: .seconds(30)) == .signalled(SIGTERM))
    }

    @Test func theEnvironmentIsExactlyTheOneGiven() throws {
        let run = try ChildProcess.output(
            of: "/bin/sh", ["-c", "echo \"$GIVEN|$HOME\""], environment: ["GIVEN": "yes", "PATH": "/usr/bin:/bin"])
        #expect(run.termination == .exited(0))
        #expect(run.output == "yes|\n")
    }

    @Test func passedDescriptorsAreTheChildsThreeAndFourAndNothingElseIs() throws {
        var first: [Int32] = [0, 0]
        var second: [Int32] = [0, 0]
        try #require(pipe(&first) == 0 && pipe(&second) == 0)
        // Passed in the order that makes a careless placement overwrite one with the other.
        let writer = try ChildProcess.start(
            "/bin/sh", ["-c", "echo three >&3; echo four >&4"], passing: [second[1], first[1]])
        let lister = try ChildProcess.start(
            "/bin/sh", ["-c", "ls /proc/$$/fd"], output: .descriptor(second[1]), passing: [second[1], first[1]])
        close(first[1])
        close(second[1])
        let three = FileHandle(fileDescriptor: second[0], closeOnDealloc: true).readDataToEndOfFile()
        let four = FileHandle(fileDescriptor: first[0], closeOnDealloc: true).readDataToEndOfFile()
        #expect(writer.waitUntilExit() == .exited(0))
        #expect(lister.waitUntilExit() == .exited(0))
        let lines = String(decoding: three, as: UTF8.self).split(separator: "\n")
        #expect(lines.filter { $0 == "three" }.count == 1)
        #expect(lines.filter { $0 != "three" }.sorted() == ["0", "1", "2", "3", "4"])
        #expect(String(decoding: four, as: UTF8.self) == "four\n")
    }

    @Test func aMissingProgramIsNamedInTheError() {
        #expect {
            _ = try ChildProcess.start("/nonexistent/fieldsync-nothing", [])
        } throws: { error in
            "\(error)".contains("/nonexistent/fieldsync-nothing")
        }
    }

    /// The child holds its three standard streams and nothing else, however many descriptors this process
    /// has open: Foundation's `Process` crashed while listing them past about 1,300.
    @Test func noDescriptorOfThisProcessReachesTheChildEvenWithThousandsOpen() throws {
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        let extra = max(0, min(2_000, Int(limit.rlim_cur) - open - 200))
        let null = Foundation.open("/dev/null", O_RDONLY)
        try #require(null >= 0)
        // Not close-on-exec, so only the child's own closing keeps them out of it.
        let duplicates = (0..<extra).map { _ in dup(null) }
        defer { for descriptor in duplicates + [null] where descriptor >= 0 { close(descriptor) } }

        for _ in 0..<20 {
            let run = try ChildProcess.output(of: "/bin/sh", ["-c", "ls /proc/$$/fd"])
            #expect(run.termination == .exited(0))
            #expect(run.output.split(separator: "\n").sorted() == ["0", "1", "2"])
        }
    }
}
