import CLibPQ

/// The rows a statement returned, read lazily from libpq's result, in text format or, where the statement
/// asked for it, binary (``Format``).
///
/// `@unchecked Sendable` because it wraps libpq's `PGresult`: a result is immutable once received and
/// libpq's accessors only read it, so it can be read from any task at once; it is freed once, in `deinit`.
public final class PostgresResult: @unchecked Sendable, RandomAccessCollection {
    private let handle: OpaquePointer
    /// The number of rows.
    public let count: Int
    /// The number of columns.
    public let columnCount: Int
    /// Rows changed by an INSERT, UPDATE, DELETE or COPY; 0 for other statements.
    public let affectedRows: Int

    /// The format of a result's values: PostgreSQL's text (what `psql` shows), or its binary format, which
    /// the server writes with less work for some types (a `bytea` as its bytes, not hex; a `uuid` as its
    /// 16 bytes; an integer as 8 bytes, big-endian) and a text as the same bytes. The fold reads every
    /// stored event in binary (``PostgresDecodable/init(postgresBinary:type:)``).
    public enum Format: Sendable {
        case text
        case binary

        var code: Int32 {
            switch self {
            case .text: 0
            case .binary: 1
            }
        }
    }

    init(handle: OpaquePointer) {
        self.handle = handle
        self.count = Int(PQntuples(handle))
        self.columnCount = Int(PQnfields(handle))
        self.affectedRows = Int(String(cString: PQcmdTuples(handle))) ?? 0
    }

    deinit {
        PQclear(handle)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> PostgresRow {
        PostgresRow(result: self, index: position)
    }

    /// The name of a column.
    public func columnName(_ column: Int) -> String {
        String(cString: PQfname(handle, Int32(column)))
    }

    /// Whether a column's values are in the binary format.
    func isBinary(column: Int) -> Bool {
        PQfformat(handle, Int32(column)) == 1
    }

    /// A column's type.
    func type(column: Int) -> PostgresType {
        PostgresType(oid: PQftype(handle, Int32(column)))
    }

    func isNull(row: Int, column: Int) -> Bool {
        PQgetisnull(handle, Int32(row), Int32(column)) == 1
    }

    func withText<T>(
        row: Int, column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws(PostgresError) -> T
    )
        throws(PostgresError) -> T
    {
        guard row < count, column < columnCount else {
            throw PostgresError(
                code: .unexpectedResult,
                message: "no value at row \(row), column \(column) of a \(count)×\(columnCount) result")
        }
        let length = Int(PQgetlength(handle, Int32(row), Int32(column)))
        let value = PQgetvalue(handle, Int32(row), Int32(column))!
        return try value.withMemoryRebound(to: UInt8.self, capacity: length) { pointer throws(PostgresError) in
            try body(UnsafeBufferPointer(start: pointer, count: length))
        }
    }
}

/// One row of a ``PostgresResult``.
public struct PostgresRow: Sendable {
    let result: PostgresResult
    let index: Int

    /// The value of a column that is never NULL.
    public func decode<Value: PostgresDecodable>(
        _ type: Value.Type = Value.self, column: Int
    ) throws(PostgresError)
        -> Value
    {
        try requireValue(column: column, expected: "a \(Value.self)")
        if result.isBinary(column: column) {
            let type = result.type(column: column)
            return try result.withText(row: index, column: column) { bytes throws(PostgresError) in
                try Value(postgresBinary: bytes, type: type)
            }
        }
        return try result.withText(row: index, column: column) { text throws(PostgresError) in
            try Value(postgresText: text)
        }
    }

    /// The text of a column that is never NULL, where libpq holds it: for a caller that reads several
    /// columns of a row in place. It points into the row's result, so it is valid only while the row is.
    /// In the binary format, a column of text is the same bytes, and a `jsonb` its text after a version byte.
    package func unsafeText(column: Int) throws(PostgresError) -> UnsafeBufferPointer<UInt8> {
        try requireValue(column: column, expected: "text")
        let bytes = try result.withText(row: index, column: column) { $0 }
        guard result.isBinary(column: column) else { return bytes }
        let type = result.type(column: column)
        if type.isText { return bytes }
        guard type == .jsonb, bytes.first == 1 else {
            throw PostgresError(
                code: .decoding,
                message: "column \(result.columnName(column)) of type \(type) in binary format is not text")
        }
        return UnsafeBufferPointer(rebasing: bytes.dropFirst())
    }

    /// The bytes of a column that is never NULL in the binary format, where libpq holds them (valid only
    /// while the row is); nil when the column is in the text format.
    package func unsafeBinary(
        column: Int
    ) throws(PostgresError) -> (bytes: UnsafeBufferPointer<UInt8>, type: PostgresType)? {
        guard result.isBinary(column: column) else { return nil }
        try requireValue(column: column, expected: "a value")
        return (try result.withText(row: index, column: column) { $0 }, result.type(column: column))
    }

    private func requireValue(column: Int, expected: @autoclosure () -> String) throws(PostgresError) {
        guard !result.isNull(row: index, column: column) else {
            throw PostgresError(
                code: .decoding,
                message: "column \(result.columnName(column)) is NULL where \(expected()) was expected")
        }
    }

    /// The value of a column that may be NULL.
    public func decode<Value: PostgresDecodable>(_ type: Value?.Type, column: Int) throws(PostgresError) -> Value? {
        if result.isNull(row: index, column: column) { return nil }
        return try decode(Value.self, column: column)
    }

    /// The column's text without copying, for callers that parse it themselves (JSON, say).
    public func withText<T>(
        column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws(PostgresError) -> T
    )
        throws(PostgresError) -> T
    {
        try result.withText(row: index, column: column, body)
    }
}
