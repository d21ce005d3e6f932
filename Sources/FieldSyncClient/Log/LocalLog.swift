import FieldSyncModel

/// The reporter's local log, `<home>/log.ndjson`: one signed, chained event per line in canonical
/// form, append-only, never rewritten.
///
/// ``open(home:key:)`` reads and verifies the whole log (see ``LogScan``). A torn last line, as a crash
/// leaves it, is copied to `<home>/quarantine/` and only then cut off the log, and reported in
/// ``quarantined``. Any other fault lands in ``problems``, and then ``append(_:)`` refuses to write
/// until the owner deals with it. ``append(_:)`` returns once the lines are fsync'd.
///
/// Hold the home's log lock (``ClientHome/logLock``) from opening to the last append.
public struct LocalLog: Sendable {
    public let home: ClientHome
    public let device: DeviceID
    public private(set) var entries: [LogEntry]
    /// Where the chain stands after the last event.
    public private(set) var chain: DeviceChain
    /// What is wrong with the log; empty when it is intact.
    public let problems: [LogProblem]
    /// The torn line moved aside when the log was opened, if any.
    public let quarantined: QuarantinedLine?
    /// A torn line left in place because the log has other problems.
    public let tornLine: TornLine?

    /// Opens and verifies the log of the device holding `key` (an empty log if there is no file yet).
    public static func open(
        home: ClientHome, key: SigningKey, stamp: @autoclosure () -> String = ReporterClock.stamp()
    ) async throws -> LocalLog {
        try await open(home: home, key: key.publicKey, signer: key, stamp: stamp())
    }

    /// Opens and verifies the log of the device holding `key`'s private key, checking each signature
    /// with `signer` when given (see ``LogScan/scan(_:key:signer:)``), else with the public key alone
    /// (an empty log if there is no file yet).
    public static func open(
        home: ClientHome, key: PublicKey, signer: SigningKey? = nil,
        stamp: @autoclosure () -> String = ReporterClock.stamp()
    ) async throws -> LocalLog {
        let bytes = try DurableFile.contents(of: home.log) ?? []
        let scan = await LogScan.scan(bytes, key: key, signer: signer)
        var quarantined: QuarantinedLine?
        var tornLine = scan.tornLine
        if let torn = scan.tornLine, scan.problems.isEmpty {
            quarantined = try quarantine(torn, home: home, stamp: stamp())
            tornLine = nil
        }
        return LocalLog(
            home: home, device: key.deviceID, entries: scan.entries, chain: scan.chain, problems: scan.problems,
            quarantined: quarantined, tornLine: tornLine)
    }

    /// Copies the torn line to the quarantine folder (durably), then cuts it off the log.
    private static func quarantine(_ torn: TornLine, home: ClientHome, stamp: String) throws -> QuarantinedLine {
        try DurableFile.makeFolder(home.quarantine, mode: 0o700)
        var file = home.quarantine + "/log-line-\(torn.line)-\(stamp).torn"
        var suffix = 1
        while DurableFile.exists(file) {
            suffix += 1
            file = home.quarantine + "/log-line-\(torn.line)-\(stamp)-\(suffix).torn"
        }
        try DurableFile.create(file, with: torn.bytes, mode: 0o600)
        try DurableFile.truncate(home.log, to: torn.offset)
        return QuarantinedLine(torn: torn, file: file)
    }

    /// Whether the log can be written to and synced.
    public var isIntact: Bool { problems.isEmpty && tornLine == nil }

    /// Throws ``LogDamaged`` unless the log is intact.
    public func requireIntact() throws(LogDamaged) {
        guard isIntact else {
            var problems = problems
            if let tornLine {
                problems.append(
                    LogProblem(line: tornLine.line, seq: nil, what: "cut short (\(tornLine.reason)), left in place"))
            }
            throw LogDamaged(path: home.log, problems: problems)
        }
    }

    /// The last seq recorded; 0 for an empty log.
    public var lastSeq: Int64 { chain.lastSeq }

    /// The entry with this seq.
    public func entry(seq: Int64) -> LogEntry? {
        guard seq >= 1, seq <= Int64(entries.count), entries[Int(seq - 1)].seq == seq else {
            return entries.first { $0.seq == seq }
        }
        return entries[Int(seq - 1)]
    }

    /// The station of the last observation recorded: the default for the next one.
    public var lastStation: StationCode? { entries.last?.event.station }

    /// Signs `draft` as the next event of the chain, without writing it.
    public func sign(_ draft: EventDraft, key: SigningKey, id: EventID = .random()) throws -> Event {
        var chain = chain
        return try chain.sign(draft, id: id, key: key)
    }

    /// Appends events (each following on from the one before, starting after ``lastSeq``) in one write,
    /// and returns once they are fsync'd. Refuses if the log has problems.
    public mutating func append(_ events: [Event]) throws {
        try requireIntact()
        guard !events.isEmpty else { return }
        var chain = chain
        var bytes = [UInt8]()
        var lines = [[UInt8]]()
        lines.reserveCapacity(events.count)
        for event in events {
            try chain.append(event)
            let line = event.canonicalBytes
            bytes += line
            bytes.append(0x0a)
            lines.append(line)
        }
        try DurableFile.append(bytes, to: home.log, mode: 0o600)
        var lineNumber = (entries.last?.lineNumber ?? 0)
        for (event, line) in zip(events, lines) {
            lineNumber += 1
            entries.append(LogEntry(event: event, line: line, lineNumber: lineNumber))
        }
        self.chain = chain
    }

    /// Signs and appends one draft; returns the event once it is on disk.
    @discardableResult
    public mutating func record(_ draft: EventDraft, key: SigningKey) throws -> Event {
        let event = try sign(draft, key: key)
        try append([event])
        return event
    }
}
