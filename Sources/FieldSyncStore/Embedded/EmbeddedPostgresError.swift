/// Why the embedded PostgreSQL cluster could not be prepared or started. The description is one line
/// that says what to do.
public struct EmbeddedPostgresError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }

    static func binariesNotFound(searched: [String]) -> EmbeddedPostgresError {
        EmbeddedPostgresError(
            "PostgreSQL server programs (initdb, postgres) not found in \(searched.joined(separator: ", ")): "
                + "install them (Debian: apt-get install postgresql) or use --database-url with an existing server")
    }
}
