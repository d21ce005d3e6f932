import FieldSyncModel
import FieldSyncStore

/// Signs and appends the server's own events (its identity, reference data, enrollments, revocations)
/// on its device chain `server`, one batch at a time.
///
/// Batches are serialised in this process: the next one is signed only once the last is stored, so
/// the chain never forks here. Another process (a second server, `fieldsync admin revoke`) may append
/// to the same chain; the store then answers with a conflict or gap, nothing is stored, and the batch
/// is signed again after the chain's new head.
public actor ServerAuthor {
    public nonisolated let key: SigningKey
    let store: EventStore
    /// The chain as this process last stored it; nil until read from the store, or after a miss.
    private var chain: DeviceChain?
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// How many times a batch is signed again after another process moved the chain.
    static let attempts = 8

    public init(key: SigningKey, store: EventStore) {
        self.key = key
        self.store = store
    }

    /// The server's events as appended, with their positions.
    public struct Appended: Sendable {
        public var events: [Event]
        public var positions: [Int64]
        public var head: ChainHead
    }

    /// Signs `drafts` as the server's next events and appends them in one transaction, in which
    /// `beforeCommit` also runs (given the events and their positions): when it throws, nothing is stored.
    /// Each event gets a random id.
    public func append<Value: Sendable>(
        _ drafts: [EventDraft],
        beforeCommit: @escaping @Sendable (PostgresConnection, Appended) async throws -> Value
    ) async throws -> (appended: Appended, value: Value) {
        await acquire()
        defer { release() }
        var lastOutcome = ""
        for _ in 0..<Self.attempts {
            var chain = try await currentChain()
            let events = try await chain.sign(drafts, key: key)
            let records = events.map(EventRecord.init(event:))
            let signed = events
            do {
                let (result, value) = try await store.append(records) { connection, result in
                    let positions = result.outcomes.compactMap { outcome -> Int64? in
                        if case .appended(let position) = outcome { return position }
                        return nil
                    }
                    guard positions.count == signed.count else {
                        throw ChainMoved(outcome: result.outcomes.first { $0.position == nil }.map { "\($0)" } ?? "")
                    }
                    return try await beforeCommit(
                        connection, Appended(events: signed, positions: positions, head: result.head))
                }
                self.chain = chain
                let positions = result.outcomes.compactMap(\.position)
                return (Appended(events: events, positions: positions, head: result.head), value)
            } catch let moved as ChainMoved {
                lastOutcome = moved.outcome
                self.chain = nil
            }
        }
        throw ServerChainError(
            "the server's chain kept moving while appending \(drafts.count) events (last outcome: \(lastOutcome))")
    }

    /// Signs and appends `drafts` with nothing else in the transaction.
    @discardableResult
    public func append(_ drafts: [EventDraft]) async throws -> Appended {
        try await append(drafts) { _, _ in }.appended
    }

    /// Forgets the chain, so that the next batch starts from the store's head.
    public func forgetChain() {
        chain = nil
    }

    private func currentChain() async throws -> DeviceChain {
        if let chain { return chain }
        let head = try await store.deviceHead(DeviceID.server.rawValue)
        let chain = DeviceChain(device: .server, lastSeq: head?.seq ?? 0, lastHash: head?.hash ?? .zero)
        self.chain = chain
        return chain
    }

    private func acquire() async {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
    }

    /// Hands the turn to the next batch waiting, if any.
    private func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// The store did not take a batch of the server's events as the next ones of its chain.
struct ChainMoved: Error {
    var outcome: String
}

/// The server's events could not be appended.
public struct ServerChainError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
