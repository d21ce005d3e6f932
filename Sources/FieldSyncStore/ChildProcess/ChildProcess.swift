import CSpawn
import Foundation
import Synchronization

/// A program run as a child of this process: the embedded PostgreSQL, `pg_config`, and the real
/// `fieldsync` program that tests and benchmarks start.
///
/// It is started with `posix_spawn`, and every file descriptor of this process above the child's
/// standard streams (and those passed to it as 3, 4, …) is closed in the child (glibc's
/// `addclosefrom`), whether or not it was opened close-on-exec. Foundation's `Process` does that by
/// listing `/proc/self/fd` first, and the Foundation of Swift 6.3 reads past the end of that listing's
/// buffer when this process holds more than about 1,300 descriptors: it crashed a test process with
/// many clusters and connections open.
///
/// The child is reaped by this type only (`waitpid` on its own process id), once, under a lock; the
/// status is kept for every later question.
public final class ChildProcess: Sendable {
    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable {
        /// `/dev/null`.
        case null
        /// A file, made if missing (mode 0644); `append` writes at its end, otherwise it is emptied first.
        case file(String, append: Bool)
        /// An open descriptor of this process (say, a pipe's end), which stays the caller's to close.
        case descriptor(Int32)
    }

    /// How the child ended.
    public enum Termination: Sendable, Equatable, CustomStringConvertible {
        /// It called `exit` with this code.
        case exited(Int32)
        /// A signal ended it.
        case signalled(Int32)
        /// Something else in this process reaped it before this type could: its status is lost.
        case vanished

        /// The exit code, or the signal's number, as Foundation's `terminationStatus` gives it.
        public var status: Int32 {
            switch self {
            case .exited(let code): code
            case .signalled(let signal): signal
            case .vanished: -1
            }
        }

        public var description: String {
            switch self {
            case .exited(let code): "exit \(code)"
            case .signalled(let signal): "signal \(signal)"
            case .vanished: "reaped elsewhere, status unknown"
            }
        }

        init(waitStatus: Int32) {
            let signal = waitStatus & 0x7f
            self = signal == 0 ? .exited((waitStatus >> 8) & 0xff) : .signalled(signal)
        }
    }

    /// The child's process id.
    public let processID: pid_t
    /// The program and its arguments, for messages.
    public let commandLine: String
    private let ending = Mutex<Termination?>(nil)

    private init(processID: pid_t, commandLine: String) {
        self.processID = processID
        self.commandLine = commandLine
    }

    /// Starts `program` (a path, not looked up in `PATH`) with `arguments`. The child's environment is
    /// `environment`, or this process's when nil; its standard input is `/dev/null`; its standard error
    /// goes where `errors` says, or with its standard output when nil. The descriptors in `passing` (the
    /// ends of pipes, say) are the child's 3, 4, … in that order; they stay the caller's to close. With
    /// `ownProcessGroup` the child leads a process group of its own, so that a signal sent to the group
    /// reaches its children too.
    public static func start(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil,
        output: Stream = .null, errors: Stream? = nil, passing descriptors: [Int32] = [],
        ownProcessGroup: Bool = false
    ) throws(ChildProcessError) -> ChildProcess {
        let commandLine = ([program] + arguments).joined(separator: " ")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        add(output, as: 1, to: &actions)
        if let errors { add(errors, as: 2, to: &actions) } else { posix_spawn_file_actions_adddup2(&actions, 1, 2) }
        // Copies above the child's numbers first, so that placing one on 3 cannot overwrite another
        // still to be placed; the copies are this call's, closed once the child has started.
        let firstFree = Int32(3 + descriptors.count)
        let copies = descriptors.map { fcntl($0, F_DUPFD_CLOEXEC, firstFree) }
        defer { for copy in copies where copy >= 0 { close(copy) } }
        guard !copies.contains(-1) else {
            throw ChildProcessError("cannot start \(commandLine): a descriptor to pass is not open")
        }
        for (index, copy) in copies.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, copy, Int32(3 + index))
        }
        guard fieldsync_spawn_actions_add_close_from(&actions, firstFree) == 0 else {
            throw ChildProcessError("cannot start \(commandLine): this C library cannot close descriptors in a child")
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with every signal at its default action and none blocked, whatever this
        // process (a test runner, a server with its own handlers) has set.
        var everySignal = sigset_t()
        sigfillset(&everySignal)
        var noSignal = sigset_t()
        sigemptyset(&noSignal)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setsigmask(&attributes, &noSignal)
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if ownProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let environment = environment ?? ProcessInfo.processInfo.environment
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] =
            environment.sorted(by: { $0.key < $1.key }).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var processID: pid_t = 0
        let status = posix_spawn(&processID, program, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw ChildProcessError("cannot start \(commandLine): \(String(cString: strerror(status)))")
        }
        return ChildProcess(processID: processID, commandLine: commandLine)
    }

    private static func add(_ stream: Stream, as target: Int32, to actions: inout posix_spawn_file_actions_t) {
        switch stream {
        case .null:
            posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
        case .file(let path, let append):
            let mode = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC)
            posix_spawn_file_actions_addopen(&actions, target, path, mode, 0o644)
        case .descriptor(let descriptor):
            posix_spawn_file_actions_adddup2(&actions, descriptor, target)
        }
    }

    /// How it ended, or nil while it runs. Never blocks.
    public var termination: Termination? { reap(waiting: false) }

    public var isRunning: Bool { termination == nil }

    /// Blocks the calling thread until the child has ended. Call it off the cooperative pool (on a
    /// thread of its own) or when the child is known to be ending.
    public func waitUntilExit() -> Termination {
        // Nil only if the child ended without this call seeing it, which the blocking wait rules out.
        reap(waiting: true) ?? .vanished
    }

    /// Waits, polling every `interval` without holding a thread, until the child has ended.
    public func exit(polling interval: Duration = .milliseconds(20)) async throws -> Termination {
        while true {
            if let termination { return termination }
            try await Task.sleep(for: interval)
        }
    }

    /// ``exit(polling:)`` for at most `timeout`: nil when the child still runs then (the caller decides
    /// whether to signal it).
    public func exit(
        within timeout: Duration, polling interval: Duration = .milliseconds(20)
    ) async throws
        -> Termination?
    {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let termination { return termination }
            guard clock.now < deadline else { return nil }
            try await Task.sleep(for: min(interval, deadline - clock.now))
        }
    }

    /// Sends `signal` to the child (to nothing once it has been reaped).
    public func signal(_ signal: Int32) {
        // Checked under the lock that reaping takes: a reaped child's id may already be another process's.
        ending.withLock { ending in
            if ending == nil { _ = kill(processID, signal) }
        }
    }

    private func reap(waiting: Bool) -> Termination? {
        if let ended = ending.withLock({ $0 }) { return ended }
        if waiting {
            // Waits for the end without reaping (WNOWAIT), so that the reaping below stays under the lock.
            var info = siginfo_t()
            while waitid(P_PID, id_t(processID), &info, WEXITED | WNOWAIT) == -1, errno == EINTR {}
        }
        return ending.withLock { ending in
            if let ending { return ending }
            var status: Int32 = 0
            let reaped = waitpid(processID, &status, WNOHANG)
            if reaped == processID {
                ending = Termination(waitStatus: status)
            } else if reaped == -1, errno == ECHILD {
                ending = .vanished
            }
            return ending
        }
    }
}

/// A child process that could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
