/// An error from PostgreSQL or from talking to it.
///
/// The description never contains a password or the values bound to a query: it is safe to log
/// and to show to an operator.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure. New kinds may be added, so switch over it with a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case badConnectionURL, connectionFailed, connectionLost, server, copyFailed, unexpectedResult, decoding
        }
        private let base: Base

        /// The connection URL could not be understood.
        public static let badConnectionURL = Code(base: .badConnectionURL)
        /// The server could not be reached or refused the connection (wrong password, unknown database…).
        public static let connectionFailed = Code(base: .connectionFailed)
        /// An established connection broke.
        public static let connectionLost = Code(base: .connectionLost)
        /// The server answered a statement with an error; see ``PostgresError/sqlState``.
        public static let server = Code(base: .server)
        /// A COPY could not be completed.
        public static let copyFailed = Code(base: .copyFailed)
        /// The server's answer had an unexpected shape.
        public static let unexpectedResult = Code(base: .unexpectedResult)
        /// A column's value could not be decoded into the requested Swift type.
        public static let decoding = Code(base: .decoding)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// What went wrong, in PostgreSQL's words or ours. Never holds secrets.
    public var message: String
    /// The five-character SQLSTATE, for ``Code/server`` errors.
    public var sqlState: String?
    /// PostgreSQL's detail line, when it gave one.
    public var detail: String?
    /// The statement's text with `$n` placeholders (never the bound values), when there was one.
    public var statement: String?

    public init(
        code: Code, message: String, sqlState: String? = nil, detail: String? = nil, statement: String? = nil
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.statement = statement
    }

    public var description: String {
        var text = "PostgreSQL \(code): \(message)"
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail { text += " — \(detail)" }
        return text
    }

    /// Whether this is the error PostgreSQL raises for a unique-constraint violation.
    public var isUniqueViolation: Bool { sqlState == "23505" }
}
