import Synchronization

/// A small pool of ``PostgresConnection``s with scoped access.
///
/// `withConnection` lends a connection to one task and always takes it back; `withTransaction` wraps
/// the body in `BEGIN`/`COMMIT` and rolls back when it throws. Broken connections are discarded and
/// replaced on demand; callers beyond the pool's size wait their turn, and a caller whose task is
/// cancelled while it waits stops waiting at once, with a `CancellationError`.
public actor PostgresPool {
    public nonisolated let configuration: PostgresConfiguration
    public let maximumConnections: Int
    private var idle: [PostgresConnection] = []
    private var open = 0
    /// In a mutex rather than the actor's state: a cancelled waiter leaves the queue from its task's
    /// cancellation handler, which runs at once, outside the actor.
    private nonisolated let waiters = Mutex(ConnectionWaiters())
    private var closed = false

    public init(configuration: PostgresConfiguration, maximumConnections: Int = 8) {
        precondition(maximumConnections > 0)
        self.configuration = configuration
        self.maximumConnections = maximumConnections
    }

    /// Lends a connection to `body` and takes it back afterwards, whatever happens.
    ///
    /// `body` runs on the caller's executor, not on the pool's: only lending and returning are serialised.
    nonisolated(nonsending) public func withConnection<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await acquire()
        do {
            let result = try await body(connection)
            await release(connection)
            return result
        } catch {
            await release(connection)
            throw error
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    nonisolated(nonsending) public func withTransaction<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await transaction(beginning: "BEGIN", body)
    }

    /// Runs `body` in a transaction that first takes the transaction-level advisory lock `key`, waiting
    /// for it, in the round trip that begins the transaction: `body` runs holding it, until the commit or
    /// rollback lets it go.
    nonisolated(nonsending) public func withTransaction<Result: Sendable>(
        holdingLock key: Int64, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await transaction(beginning: "BEGIN; SELECT pg_advisory_xact_lock(\(unsafeRaw: String(key)))", body)
    }

    /// Runs `body` in a read-only transaction that sees one snapshot of the database throughout (repeatable
    /// read): several reads that must agree with each other, such as a checkpoint and the rows it stands for.
    nonisolated(nonsending) public func withReadOnlySnapshot<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await transaction(beginning: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    nonisolated(nonsending) private func transaction<Result: Sendable>(
        beginning begin: SQL, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            // A script: what begins a transaction may take a lock in the same round trip.
            try await connection.executeScript(begin)
            let result: Result
            do {
                result = try await body(connection)
                try await connection.commit()
            } catch {
                // A failed commit script (a notification refused) leaves the transaction open.
                _ = try? await connection.execute("ROLLBACK")
                throw error
            }
            return result
        }
    }

    /// Closes every idle connection; connections on loan close when they come back.
    public func close() async {
        closed = true
        let connections = idle
        idle.removeAll()
        open -= connections.count
        for connection in connections { await connection.close() }
        for waiter in waiters.withLock({ $0.removeAll() }) { waiter.resume() }
    }

    /// How many tasks wait for a connection.
    var waiting: Int { waiters.withLock { $0.count } }

    private func acquire() async throws -> PostgresConnection {
        while true {
            if closed { throw PostgresError(code: .connectionLost, message: "the connection pool is closed") }
            if let connection = idle.popLast() { return connection }
            if open < maximumConnections {
                open += 1
                do {
                    return try await PostgresConnection.connect(configuration)
                } catch {
                    open -= 1
                    wakeOne()
                    throw error
                }
            }
            try await waitForTurn()
        }
    }

    /// Waits until a connection is returned or the pool closes; throws `CancellationError` when the task
    /// is cancelled first. The waiter is queued while the actor is held, so no return can come between
    /// the decision to wait and the queueing.
    private func waitForTurn() async throws {
        let id = waiters.withLock { $0.nextID() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (waiter: ConnectionWaiters.Waiter) in
                // Cancelled before the handler could find the waiter in the queue: the flag is set before the
                // handler runs, and both look under the lock.
                let cancelled = waiters.withLock { waiters in
                    guard !Task.isCancelled else { return true }
                    waiters.append(waiter, id: id)
                    return false
                }
                if cancelled { waiter.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            waiters.withLock { $0.remove(id: id) }?.resume(throwing: CancellationError())
        }
    }

    private func release(_ connection: PostgresConnection) async {
        // A body that escaped without finishing its transaction must not leak it to the next user.
        if await connection.endLoan(), !closed {
            idle.append(connection)
        } else {
            open -= 1
            await connection.close()
        }
        wakeOne()
    }

    private func wakeOne() {
        waiters.withLock { $0.removeFirst() }?.resume()
    }
}
