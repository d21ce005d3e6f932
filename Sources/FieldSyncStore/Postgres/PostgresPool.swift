/// A small pool of ``PostgresConnection``s with scoped access.
///
/// `withConnection` lends a connection to one task and always takes it back; `withTransaction` wraps
/// the body in `BEGIN`/`COMMIT` and rolls back when it throws. Broken connections are discarded and
/// replaced on demand; callers beyond the pool's size wait their turn.
public actor PostgresPool {
    public let configuration: PostgresConfiguration
    public let maximumConnections: Int
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
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
        try await withConnection { connection in
            try await connection.execute("BEGIN")
            let result: Result
            do {
                result = try await body(connection)
            } catch {
                _ = try? await connection.execute("ROLLBACK")
                throw error
            }
            try await connection.execute("COMMIT")
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
        let waiting = waiters
        waiters.removeAll()
        for waiter in waiting { waiter.resume() }
    }

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
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    private func release(_ connection: PostgresConnection) async {
        if await connection.isInTransaction {
            // A body that escaped without finishing its transaction must not leak it to the next user.
            _ = try? await connection.execute("ROLLBACK")
        }
        if !closed, await connection.isIdleAndHealthy {
            idle.append(connection)
        } else {
            open -= 1
            await connection.close()
        }
        wakeOne()
    }

    private func wakeOne() {
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }
}
