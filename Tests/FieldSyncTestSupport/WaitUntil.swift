/// Polls `condition` every 20 ms until it holds (a condition that throws has not held yet), and fails
/// after `timeout`. The timeout only guards against a hang: on a machine running every suite at once,
/// what takes a moment alone may take minutes, so a test waits for what it expects, never for a time.
public func waitUntil(
    _ what: String = "the condition", timeout: Duration = .seconds(300), _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if (try? await condition()) == true { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw WaitTimedOut(description: "\(what) did not hold within \(timeout)")
}

/// A condition a test waited for that never held (see ``waitUntil(_:timeout:_:)``).
public struct WaitTimedOut: Error, CustomStringConvertible {
    public var description: String
}
