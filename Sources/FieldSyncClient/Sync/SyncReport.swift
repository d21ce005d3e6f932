import FieldSyncModel

/// How a sync went, for people (``message``) and scripts (``jsonValue``).
public struct SyncReport: Sendable {
    public var outcome: SyncOutcome = .synced
    /// What happened and, when it stopped short, why and what to do: one or more lines.
    public var message = ""
    public var device: DeviceID
    public var server: String
    /// The local log's last seq.
    public var localSeq: Int64 = 0
    /// The last seq the server is known to hold.
    public var serverSeq: Int64 = 0
    /// Events sent (duplicates included), batches sent, and what became of the events.
    public var sent: Int64 = 0
    public var batches = 0
    public var appended: Int64 = 0
    public var duplicates: Int64 = 0
    /// Receipts verified and kept during this sync.
    public var receiptsKept = 0
    public var conflict: SyncConflict?
    public var refused: [RefusedEvent] = []
    public var logProblems: [LogProblem] = []
    public var quarantined: QuarantinedLine?
    public var reference: ReferenceRefresh = .skipped
    /// What this device covers, as the server's signed assignments say; nil when not fetched.
    public var assignment: StationCoverage?
    /// Photos sent whole during this sync, photos the log names that the server still lacks, and why
    /// each photo that could not be sent was not.
    public var photosSent = 0
    public var photosPending = 0
    public var photoProblems: [String] = []
    /// Retries after network errors or server failures.
    public var retries = 0
    public var duration: Duration = .zero

    public init(device: DeviceID, server: String) {
        self.device = device
        self.server = server
    }

    /// Events still waiting for the server.
    public var pending: Int64 { max(0, localSeq - serverSeq) }

    public var exitStatus: ExitStatus { outcome.exitStatus }

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "outcome": .string(outcome.rawValue), "exitCode": .integer(Int64(exitStatus.rawValue)),
            "message": .string(message), "device": .string(device.rawValue), "server": .string(server),
            "localSeq": .integer(localSeq), "serverSeq": .integer(serverSeq), "pending": .integer(pending),
            "sent": .integer(sent), "batches": .integer(Int64(batches)), "appended": .integer(appended),
            "duplicates": .integer(duplicates), "receiptsKept": .integer(Int64(receiptsKept)),
            "retries": .integer(Int64(retries)), "photosSent": .integer(Int64(photosSent)),
            "photosPending": .integer(Int64(photosPending)), "photoProblems": .array(photoProblems.map { .string($0) }),
            "durationMilliseconds": .integer(Int64(duration / .milliseconds(1))),
            "reference": reference.jsonValue,
            "refused": .array(refused.map(\.jsonValue)),
            "logProblems": .array(logProblems.map { .string($0.description) }),
        ]
        if let conflict { object["conflict"] = conflict.jsonValue }
        if let assignment {
            object["assignment"] = [
                "stations": .array(assignment.stations.sorted().map { .string($0.rawValue) }),
                "constituencies": .array(assignment.constituencies.sorted().map { .string($0.rawValue) }),
            ]
        }
        if let quarantined {
            object["quarantined"] = ["file": .string(quarantined.file), "line": .integer(Int64(quarantined.torn.line))]
        }
        return .object(object)
    }
}

/// What became of the reference data at the end of a sync.
public enum ReferenceRefresh: Sendable, Hashable {
    /// Not tried (the sync stopped before).
    case skipped
    /// The server's ETag matched: nothing new.
    case unchanged
    /// New reference data was verified and cached.
    case updated(stations: Int, candidates: Int)
    /// It could not be fetched; the cache was kept.
    case failed(String)

    public var jsonValue: JSONValue {
        switch self {
        case .skipped: ["status": "skipped"]
        case .unchanged: ["status": "unchanged"]
        case .updated(let stations, let candidates):
            ["status": "updated", "stations": .integer(Int64(stations)), "candidates": .integer(Int64(candidates))]
        case .failed(let why): ["status": "failed", "reason": .string(why)]
        }
    }
}

/// What a running sync tells its caller, for a progress bar and notices.
public enum SyncProgress: Sendable {
    /// About to push `total` events.
    case pushing(total: Int64)
    /// `done` of `total` are on the server.
    case pushed(done: Int64, total: Int64)
    /// A call failed and will be tried again after `delay`.
    case retrying(reason: String, attempt: Int, delay: Duration)
    /// Something worth saying that is not an error.
    case notice(String)
}
