import CLibPQ
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One connection to PostgreSQL through libpq.
///
/// libpq blocks, so each connection runs on a thread of its own (its actor executor): callers `await`
/// its methods and the cooperative pool never waits on the network. A connection serves one task at a
/// time; share connections through a ``PostgresPool``.
public actor PostgresConnection {
    private let thread: ConnectionThread
    private var handle: OpaquePointer?
    private let configuration: PostgresConfiguration
    /// Notifications the open transaction sends when it commits, sent in the commit's round trip
    /// (``notifyAtCommit(channel:payload:)``).
    private nonisolated let notifications = Mutex<[String]>([])
    /// Statements prepared on this session (see ``PreparedStatements``).
    private var prepared = PreparedStatements()

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        thread.asUnownedSerialExecutor()
    }

    private init(configuration: PostgresConfiguration) {
        self.thread = ConnectionThread(name: "postgres \(configuration.database)")
        self.configuration = configuration
    }

    /// Opens a connection. Errors say which server and why, never with the password.
    public static func connect(
        _ configuration: PostgresConfiguration
    ) async throws(PostgresError)
        -> PostgresConnection
    {
        let connection = PostgresConnection(configuration: configuration)
        do {
            try await connection.open()
        } catch {
            await connection.close()
            throw error
        }
        return connection
    }

    private func open() throws(PostgresError) {
        var options = configuration.options
        options["client_encoding"] = "UTF8"
        // Fixed session settings that the decoders of this module rely on; and every statement planned for
        // its values, prepared or not (``PreparedStatements``): a plan made once for any value reads the
        // whole log where a value's own plan reads an index (a device's revocations, say).
        options["options"] =
            "-c DateStyle=ISO -c TimeZone=UTC -c IntervalStyle=iso_8601 -c client_min_messages=warning"
            + " -c plan_cache_mode=force_custom_plan"
        if options["connect_timeout"] == nil { options["connect_timeout"] = "10" }
        if options["application_name"] == nil { options["application_name"] = "fieldsync" }
        let keys = Array(options.keys)
        let keywordStrings = keys.map { strdup($0) }
        let valueStrings = keys.map { strdup(options[$0]!) }
        defer {
            keywordStrings.forEach { free($0) }
            valueStrings.forEach { free($0) }
        }
        var keywords = keywordStrings.map { UnsafePointer<CChar>($0) } + [nil]
        var values = valueStrings.map { UnsafePointer<CChar>($0) } + [nil]
        handle = PQconnectdbParams(&keywords, &values, 0)
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            let reason = handle.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            throw PostgresError(
                code: .connectionFailed,
                message: "cannot connect to \(configuration): \(configuration.scrub(reason.trimmingWhitespace()))")
        }
    }

    /// Closes the connection and ends its thread. Safe to call twice.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
        thread.stop()
    }

    /// Whether the connection is open and not inside a failed or unfinished transaction.
    public var isIdleAndHealthy: Bool {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return false }
        return PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// After a loan: rolls back a transaction the borrower left open, forgets its notifications, and says
    /// whether the connection may be lent again — one call on the connection's thread, not three.
    func endLoan() -> Bool {
        if isInTransaction { _ = try? execute("ROLLBACK") }
        notifications.withLock { $0.removeAll() }
        return isIdleAndHealthy
    }

    /// Has the open transaction of ``PostgresPool/withTransaction(_:)`` send `payload` on `channel` when it
    /// commits, as `pg_notify` does, in the round trip that commits rather than one of its own: nothing
    /// is sent if it rolls back. Both are written as SQL string literals.
    public nonisolated func notifyAtCommit(channel: String, payload: String) {
        func literal(_ text: String) -> String { "'" + text.replacing("'", with: "''") + "'" }
        notifications.withLock { $0.append("SELECT pg_notify(\(literal(channel)), \(literal(payload)))") }
    }

    /// Commits the open transaction, sending its notifications in the same round trip.
    func commit() throws(PostgresError) {
        let sent = notifications.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
        try executeScript(SQL(unsafeSQL: (sent + ["COMMIT"]).joined(separator: "; ")))
    }

    /// Whether a transaction is open on this connection.
    public var isInTransaction: Bool {
        guard let handle else { return false }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// Runs one statement and returns its rows. Values interpolated into `sql` are bind parameters.
    /// The rows come in PostgreSQL's text format unless `format` asks for its binary one (``PostgresResult/Format``).
    @discardableResult
    public func query(_ sql: SQL, format: PostgresResult.Format = .text) throws(PostgresError) -> PostgresResult {
        let handle = try liveHandle(for: sql)
        let parameters = sql.binds.map { $0.map { strdup($0) } ?? nil }
        defer { parameters.forEach { free($0) } }
        var name = prepared.name(of: sql.text)
        if name == nil, prepared.shouldPrepare(sql.text) {
            // Prepared with the parameters' types left to the server, as an unnamed statement's are.
            let added = prepared.add(sql.text)
            do {
                _ = try check(
                    PQprepare(handle, added, sql.text, Int32(parameters.count), nil), for: sql,
                    expecting: [PGRES_COMMAND_OK])
            } catch {
                prepared.remove(sql.text)
                throw error
            }
            name = added
        }
        let result = parameters.map { UnsafePointer<CChar>($0) }.withUnsafeBufferPointer { values in
            if let name {
                PQexecPrepared(handle, name, Int32(values.count), values.baseAddress, nil, nil, format.code)
            } else {
                PQexecParams(handle, sql.text, Int32(values.count), nil, values.baseAddress, nil, nil, format.code)
            }
        }
        return try check(result, for: sql, expecting: [PGRES_TUPLES_OK, PGRES_COMMAND_OK])
    }

    /// Runs one statement and returns the number of rows it changed.
    @discardableResult
    public func execute(_ sql: SQL) throws(PostgresError) -> Int {
        try query(sql).affectedRows
    }

    /// Runs several statements separated by semicolons, with no parameters (a migration, say).
    public func executeScript(_ script: SQL) throws(PostgresError) {
        precondition(script.binds.isEmpty, "a script cannot have bind parameters")
        let handle = try liveHandle(for: script)
        // PQexec runs every statement and returns the last result; the first error stops it.
        _ = try check(PQexec(handle, script.text), for: script, expecting: [PGRES_TUPLES_OK, PGRES_COMMAND_OK])
    }

    /// Streams rows into a table with `COPY … FROM STDIN` in text format.
    ///
    /// - Parameters:
    ///   - statement: the COPY statement, for example `COPY events (a, b) FROM STDIN`.
    ///   - data: the rows, as written by ``PostgresCopyWriter``.
    /// - Returns: the number of rows copied.
    @discardableResult
    public func copy(_ statement: SQL, data: [UInt8]) throws(PostgresError) -> Int {
        let handle = try liveHandle(for: statement)
        _ = try check(PQexec(handle, statement.text), for: statement, expecting: [PGRES_COPY_IN])
        var offset = 0
        var failure: String?
        while offset < data.count, failure == nil {
            let chunk = min(1 << 18, data.count - offset)
            let sent = data.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.advanced(by: offset).withMemoryRebound(to: CChar.self, capacity: chunk) {
                    PQputCopyData(handle, $0, Int32(chunk))
                }
            }
            if sent != 1 { failure = String(cString: PQerrorMessage(handle)) }
            offset += chunk
        }
        if PQputCopyEnd(handle, failure) != 1 {
            failure = failure ?? String(cString: PQerrorMessage(handle))
        }
        var copied = 0
        var serverError: PostgresError?
        while let result = PQgetResult(handle) {
            do {
                copied += try check(result, for: statement, expecting: [PGRES_COMMAND_OK]).affectedRows
            } catch {
                serverError = serverError ?? error
            }
        }
        if let serverError { throw serverError }
        if let failure {
            throw PostgresError(code: .copyFailed, message: failure.trimmingWhitespace(), statement: statement.text)
        }
        return copied
    }

    /// Starts listening on a channel; see ``waitForNotifications(timeoutMilliseconds:)``.
    public func listen(_ channel: String) throws(PostgresError) {
        try execute("LISTEN \(identifier: channel)")
    }

    /// Waits up to `timeoutMilliseconds` for notifications and returns those that arrived (maybe none).
    ///
    /// The wait blocks this connection's own thread, as every libpq call here does.
    public func waitForNotifications(timeoutMilliseconds: Int32) throws(PostgresError) -> [PostgresNotification] {
        let handle = try liveHandle(for: nil)
        var received = drainNotifications(handle)
        guard received.isEmpty else { return received }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, timeoutMilliseconds)
        if ready < 0, errno != EINTR {
            throw PostgresError(code: .connectionLost, message: "waiting for notifications failed (errno \(errno))")
        }
        if ready > 0 {
            guard PQconsumeInput(handle) == 1 else {
                throw PostgresError(
                    code: .connectionLost,
                    message: configuration.scrub(String(cString: PQerrorMessage(handle)).trimmingWhitespace()))
            }
            received = drainNotifications(handle)
        }
        return received
    }

    private func drainNotifications(_ handle: OpaquePointer) -> [PostgresNotification] {
        var received: [PostgresNotification] = []
        while let notice = PQnotifies(handle) {
            received.append(
                PostgresNotification(
                    channel: String(cString: notice.pointee.relname),
                    payload: String(cString: notice.pointee.extra),
                    senderProcessID: notice.pointee.be_pid))
            PQfreemem(notice)
        }
        return received
    }

    private func liveHandle(for sql: SQL?) throws(PostgresError) -> OpaquePointer {
        guard let handle else {
            throw PostgresError(code: .connectionLost, message: "the connection is closed", statement: sql?.text)
        }
        if PQstatus(handle) != CONNECTION_OK {
            PQreset(handle)
            // A new session: nothing is prepared on it.
            prepared.removeAll()
            // A reset inside a transaction would silently drop it: report the loss instead.
            throw PostgresError(
                code: .connectionLost, message: "the connection to \(configuration) was lost", statement: sql?.text)
        }
        return handle
    }

    private func check(
        _ result: OpaquePointer?, for sql: SQL, expecting statuses: [ExecStatusType]
    )
        throws(PostgresError) -> PostgresResult
    {
        guard let result else {
            let reason = handle.map { String(cString: PQerrorMessage($0)) } ?? "no connection"
            throw PostgresError(
                code: .connectionLost, message: configuration.scrub(reason.trimmingWhitespace()), statement: sql.text)
        }
        let status = PQresultStatus(result)
        if statuses.contains(status) {
            return PostgresResult(handle: result)
        }
        func field(_ code: Int32) -> String? {
            PQresultErrorField(result, code).map { String(cString: $0) }
        }
        // PG_DIAG_SQLSTATE, PG_DIAG_MESSAGE_PRIMARY and PG_DIAG_MESSAGE_DETAIL are character macros in
        // postgres_ext.h, which Swift does not import.
        let sqlState = field(Int32(UInt8(ascii: "C")))
        let message = field(Int32(UInt8(ascii: "M"))) ?? String(cString: PQresultErrorMessage(result))
        let detail = field(Int32(UInt8(ascii: "D")))
        PQclear(result)
        let lost = handle.map { PQstatus($0) != CONNECTION_OK } ?? true
        // PostgreSQL quotes offending values in its messages ("invalid input syntax …: \"…\"", "Key (…)=(…)"):
        // hide the bound values, which may be secrets, along with the password.
        func scrub(_ text: String) -> String {
            sql.binds.reduce(configuration.scrub(text.trimmingWhitespace())) { text, bind in
                guard let bind, bind.count >= 4 else { return text }
                return text.replacing(bind, with: "…")
            }
        }
        throw PostgresError(
            code: lost ? .connectionLost : (status == PGRES_FATAL_ERROR ? .server : .unexpectedResult),
            message: scrub(message),
            sqlState: sqlState,
            detail: detail.map(scrub),
            statement: sql.text)
    }
}
