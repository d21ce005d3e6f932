import FieldSyncModel

/// Where a sync stands: the next seq to push, what the server is known to hold, and when to stop.
/// Pure: it is told the server's head and each batch's results, and says what to push next.
///
/// Events are pushed in seq order, in batches. The server holds a device's events without gaps, so
/// "what the server holds" is one number, ``acknowledged``: every seq up to it is stored.
public struct SyncCursor: Sendable, Hashable {
    /// The last seq of the local log.
    public let last: Int64
    /// The next seq to push.
    public private(set) var next: Int64
    /// Every seq up to this one is stored on the server.
    public private(set) var acknowledged: Int64
    /// `gap` answers in a row that moved nothing forward.
    public private(set) var stalls = 0

    /// How many `gap` answers in a row without progress end the sync.
    public static let maximumStalls = 3

    init(last: Int64, next: Int64, acknowledged: Int64) {
        self.last = last
        self.next = next
        self.acknowledged = acknowledged
    }

    /// Plans a sync from the server's head: pushes what the server lacks, starting after the events
    /// already covered by receipts (`receipted`) so that events stored without a receipt reaching this
    /// device (a sync cut short) are pushed again for one: the server answers `duplicate` and signs it.
    ///
    /// - Parameters:
    ///   - last: the local log's last seq.
    ///   - hash: the local event hash at a seq.
    ///   - server: the server's head for this device.
    ///   - receipted: every seq up to this one is covered by a kept receipt.
    public static func start(
        last: Int64, hash: (Int64) -> SHA256Digest?, server: DeviceHead, receipted: Int64
    ) -> Result<SyncCursor, SyncStop> {
        if server.seq > last {
            return .failure(.serverAhead(serverSeq: server.seq, localSeq: last))
        }
        if server.seq >= 1, let local = hash(server.seq), local != server.hash {
            return .failure(.diverged(seq: server.seq, localHash: local, serverHash: server.hash))
        }
        let start = min(max(receipted, 0), server.seq) + 1
        return .success(SyncCursor(last: last, next: start, acknowledged: server.seq))
    }

    /// Whether everything is stored on the server.
    public var isDone: Bool { next > last }

    /// The seqs of the next batch of at most `size` events; nil when done.
    public func nextBatch(size: Int) -> ClosedRange<Int64>? {
        guard !isDone else { return nil }
        return next...min(last, next + Int64(max(size, 1)) - 1)
    }

    /// Takes the results of pushing `batch` and moves on. Returns why to stop, or nil to go on.
    ///
    /// The next batch starts after the events of this one that are stored, not after the server's head:
    /// when events are pushed again for their receipts, the server's head is ahead of them.
    public mutating func take(_ results: [PushResult], for batch: ClosedRange<Int64>) -> SyncStop? {
        var conflict: SyncStop?
        var refused = [RefusedEvent]()
        var expected: Int64?
        var storedThrough = batch.lowerBound - 1
        let before = acknowledged
        for result in results {
            let seq = result.seq ?? (batch.lowerBound + Int64(result.index))
            switch result.outcome {
            case .appended, .duplicate:
                if seq == storedThrough + 1 { storedThrough = seq }
            case .conflict(let reason, let existing, let detail):
                if conflict == nil {
                    conflict = .conflict(
                        SyncConflict(
                            seq: seq, id: result.id ?? "", reason: .answered(reason), existingPosition: existing,
                            detail: detail))
                }
            case .invalid(let errors):
                refused.append(RefusedEvent(seq: seq, id: result.id ?? "", errors: errors))
            case .gap(let seqExpected):
                if expected == nil { expected = seqExpected }
            }
        }
        // The server holds a device's events without gaps: whatever it stored, it holds all before.
        acknowledged = max(acknowledged, storedThrough)
        if let conflict { return conflict }
        if !refused.isEmpty { return .invalid(refused) }
        if let expected {
            // The server holds everything before `expected`, and nothing from it on.
            if expected - 1 > last { return .serverAhead(serverSeq: expected - 1, localSeq: last) }
            acknowledged = expected - 1
            stalls = acknowledged > before || expected > batch.lowerBound ? 0 : stalls + 1
            if stalls >= Self.maximumStalls { return .stalled(expectedSeq: expected) }
            next = expected
            return nil
        }
        if storedThrough < batch.upperBound {
            return .incompleteAnswer(sent: batch.count, answered: results.count)
        }
        stalls = 0
        next = storedThrough + 1
        return nil
    }
}

/// Why a sync stopped before the server held everything.
public enum SyncStop: Error, Sendable, Hashable {
    /// The server holds something else under one of this device's events.
    case conflict(SyncConflict)
    /// The server refused events as invalid.
    case invalid([RefusedEvent])
    /// The server holds more of this device's events than the local log has.
    case serverAhead(serverSeq: Int64, localSeq: Int64)
    /// The server's last event of this device is not the local one with that seq.
    case diverged(seq: Int64, localHash: SHA256Digest, serverHash: SHA256Digest)
    /// The server kept answering `gap` without taking anything.
    case stalled(expectedSeq: Int64)
    /// The server answered for fewer events than were sent.
    case incompleteAnswer(sent: Int, answered: Int)
}

/// An event of the log the server holds something else for; kept in the sync state until resolved.
public struct SyncConflict: Sendable, Hashable, Codable {
    public var seq: Int64
    public var id: String
    public var reason: SyncConflictReason
    public var existingPosition: Int64?
    public var detail: String

    public init(seq: Int64, id: String, reason: SyncConflictReason, existingPosition: Int64?, detail: String) {
        self.seq = seq
        self.id = id
        self.reason = reason
        self.existingPosition = existingPosition
        self.detail = detail
    }
}

/// An event the server refused as invalid, with its problems.
public struct RefusedEvent: Sendable, Hashable, Codable {
    public var seq: Int64
    public var id: String
    public var errors: [FieldError]

    public init(seq: Int64, id: String, errors: [FieldError]) {
        self.seq = seq
        self.id = id
        self.errors = errors
    }
}
