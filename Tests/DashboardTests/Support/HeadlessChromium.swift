import FieldSyncStore
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A real headless Chromium (Debian's `chromium`), driven through the DevTools protocol.
///
/// How: Chromium is started with `--remote-debugging-pipe`, which makes it read protocol messages on
/// file descriptor 3 and write its answers and events on descriptor 4, each message a JSON text
/// ended by a NUL byte. The test process spawns it with two pipes dup'ed onto those descriptors, so
/// there is no port to find, no HTTP or WebSocket handshake, and nothing else can connect to the
/// browser. A thread reads descriptor 4 and hands each answer to the call waiting for its `id`;
/// events (console messages, uncaught exceptions) are kept for the test's failure messages.
///
/// The browser runs in a process group of its own, so `close()` can end it and every helper
/// process it started, whatever happened to the test. Its profile lives in a temporary folder.
final class HeadlessChromium: Sendable {
    private struct State {
        var nextID = 0
        var waiting: [Int: CheckedContinuation<Data, any Error>] = [:]
        var console: [String] = []
        var exceptions: [String] = []
        var ended = false
    }

    private let child: ChildProcess
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private let profile: String
    private let state = Mutex(State())

    /// The browser's program: `$CHROMIUM` if set, else the first of chromium, chromium-browser,
    /// google-chrome on the PATH.
    static func executable() throws -> String {
        if let path = ProcessInfo.processInfo.environment["CHROMIUM"], !path.isEmpty { return path }
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in folders where access("\(folder)/\(name)", X_OK) == 0 { return "\(folder)/\(name)" }
        }
        throw DashboardTestError(
            "no chromium on the PATH: Tools/install-prerequisites.sh installs Debian's chromium (apt-get install chromium)"
        )
    }

    /// Starts a headless browser with an empty profile. Chromium is told to reach no host but this
    /// machine's loopback: it makes no request of its own to the internet.
    static func launch() throws -> HeadlessChromium {
        let program = try executable()
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fieldsync-chromium-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
        let arguments = [
            program, "--headless=new", "--no-sandbox", "--remote-debugging-pipe", "--user-data-dir=\(profile)",
            "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
            "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--no-pings",
            "--metrics-recording-only", "--disable-breakpad", "--disable-dev-shm-usage", "--mute-audio",
            "--disable-features=Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions,AutofillServerCommunication",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
            "--window-size=1280,900", "about:blank",
        ]

        var toChild: [Int32] = [0, 0]
        var fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else { throw DashboardTestError("pipe() failed: \(errno)") }
        // The browser reads on its descriptor 3 and writes on 4; every other descriptor is closed in it.
        let child: ChildProcess
        do {
            child = try ChildProcess.start(
                program, Array(arguments.dropFirst()), output: .file("\(profile)/chromium.log", append: false),
                passing: [toChild[0], fromChild[1]], ownProcessGroup: true)
        } catch {
            for end in toChild + fromChild { Glibc.close(end) }
            throw DashboardTestError("\(error)")
        }
        Glibc.close(toChild[0])
        Glibc.close(fromChild[1])
        let browser = HeadlessChromium(child: child, toBrowser: toChild[1], fromBrowser: fromChild[0], profile: profile)
        browser.startReading()
        return browser
    }

    private init(child: ChildProcess, toBrowser: Int32, fromBrowser: Int32, profile: String) {
        self.child = child
        self.toBrowser = toBrowser
        self.fromBrowser = fromBrowser
        self.profile = profile
    }

    /// Runs `body` with a started browser, and always closes it.
    static func with<T: Sendable>(_ body: (HeadlessChromium) async throws -> T) async throws -> T {
        let browser = try launch()
        do {
            let result = try await body(browser)
            await browser.close()
            return result
        } catch {
            await browser.close()
            throw error
        }
    }

    // MARK: Messages

    /// How long a protocol command may go unanswered: only a guard against a hang, since a browser on a
    /// machine running every suite at once may take a minute for what takes a moment alone.
    static let patience = Duration.seconds(120)

    /// Sends one protocol command (to the browser, or to a page's `session`) and returns its
    /// `result` as JSON bytes; a protocol error or no answer within `timeout` is thrown.
    func send(
        _ method: String, _ parameters: [String: any Sendable] = [:], session: String? = nil,
        timeout: Duration = HeadlessChromium.patience
    ) async throws -> Data {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        var message: [String: Any] = ["id": id, "method": method, "params": parameters]
        if let session { message["sessionId"] = session }
        var bytes = try JSONSerialization.data(withJSONObject: message)
        bytes.append(0)
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            self?.fail(id, DashboardTestError("chromium did not answer \(method) within \(timeout)"))
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let ended = state.withLock { state -> Bool in
                if state.ended { return true }
                state.waiting[id] = continuation
                return false
            }
            if ended {
                continuation.resume(throwing: DashboardTestError("chromium has exited: \(logTail())"))
                return
            }
            if !writeAll(bytes) { fail(id, DashboardTestError("cannot write to chromium: \(logTail())")) }
        }
    }

    /// Sends a command and decodes its result as a JSON object.
    func call(
        _ method: String, _ parameters: [String: any Sendable] = [:], session: String? = nil,
        timeout: Duration = HeadlessChromium.patience
    ) async throws -> [String: Any] {
        let data = try await send(method, parameters, session: session, timeout: timeout)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    private func writeAll(_ data: Data) -> Bool {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(toBrowser, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
    }

    private func fail(_ id: Int, _ error: any Error) {
        let continuation = state.withLock { $0.waiting.removeValue(forKey: id) }
        continuation?.resume(throwing: error)
    }

    private func startReading() {
        let thread = Thread { [self] in readLoop() }
        thread.name = "chromium-devtools-reader"
        thread.start()
    }

    private func readLoop() {
        var pending = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fromBrowser, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            pending.append(contentsOf: chunk[0..<count])
            while let end = pending.firstIndex(of: 0) {
                let message = pending[pending.startIndex..<end]
                pending = Data(pending[(end + 1)...])
                dispatch(Data(message))
            }
        }
        Glibc.close(fromBrowser)
        let waiting = state.withLock { state in
            state.ended = true
            defer { state.waiting.removeAll() }
            return Array(state.waiting.values)
        }
        for continuation in waiting { continuation.resume(throwing: DashboardTestError("chromium closed the pipe")) }
    }

    private func dispatch(_ message: Data) {
        guard let object = (try? JSONSerialization.jsonObject(with: message)) as? [String: Any] else { return }
        if let id = object["id"] as? Int {
            let continuation = state.withLock { $0.waiting.removeValue(forKey: id) }
            if let error = object["error"] as? [String: Any] {
                continuation?.resume(throwing: DashboardTestError("DevTools error: \(error["message"] ?? error)"))
            } else {
                let result = (try? JSONSerialization.data(withJSONObject: object["result"] ?? [:])) ?? Data("{}".utf8)
                continuation?.resume(returning: result)
            }
            return
        }
        let parameters = object["params"] as? [String: Any] ?? [:]
        switch object["method"] as? String {
        case "Runtime.consoleAPICalled":
            let arguments = (parameters["args"] as? [[String: Any]] ?? []).map { argument in
                argument["value"].map { "\($0)" } ?? (argument["description"] as? String ?? "?")
            }
            let line = "console.\(parameters["type"] ?? "log"): \(arguments.joined(separator: " "))"
            state.withLock { $0.console.append(line) }
        case "Runtime.exceptionThrown":
            let details = parameters["exceptionDetails"] as? [String: Any] ?? [:]
            let exception = details["exception"] as? [String: Any] ?? [:]
            let text = (exception["description"] as? String) ?? (details["text"] as? String) ?? "an exception"
            state.withLock { $0.exceptions.append(text) }
        case "Log.entryAdded":
            let entry = parameters["entry"] as? [String: Any] ?? [:]
            let line =
                "\(entry["level"] ?? "log") \(entry["source"] ?? ""): \(entry["text"] ?? "") \(entry["url"] ?? "")"
            state.withLock { $0.console.append(line) }
        default:
            break
        }
    }

    /// What the pages logged (console and browser log), for failure messages.
    var console: [String] { state.withLock { $0.console } }

    /// Uncaught exceptions thrown by the pages' scripts.
    var exceptions: [String] { state.withLock { $0.exceptions } }

    /// The end of the browser's own output, for failure messages.
    func logTail() -> String {
        let text = (try? String(contentsOfFile: "\(profile)/chromium.log", encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }

    // MARK: Ending

    /// Asks the browser to close, then ends its process group if it has not exited within a few
    /// seconds, and removes its profile.
    func close() async {
        _ = try? await send("Browser.close", timeout: .seconds(5))
        for _ in 0..<50 where child.isRunning {
            try? await Task.sleep(for: .milliseconds(100))
        }
        // Helpers of the browser (renderers, zygote) share its process group, which outlives its leader.
        kill(-child.processID, SIGKILL)
        for _ in 0..<50 where child.isRunning {
            try? await Task.sleep(for: .milliseconds(20))
        }
        Glibc.close(toBrowser)
        try? FileManager.default.removeItem(atPath: profile)
    }
}
