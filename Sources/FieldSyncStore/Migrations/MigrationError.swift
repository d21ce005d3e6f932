/// Why the database schema could not be brought up to date.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    public var description: String
}
