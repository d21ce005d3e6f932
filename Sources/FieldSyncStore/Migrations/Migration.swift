import FieldSyncModel

/// One numbered SQL file from `Schema/migrations/`, embedded in the program at build time.
public struct Migration: Sendable, Equatable {
    /// The number at the start of the file name: `0001_events.sql` is version 1.
    public var version: Int
    /// The file name.
    public var name: String
    /// The SQL, run in one transaction.
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// SHA-256 of the SQL, recorded when applied: an applied migration must never change.
    public var checksum: String { SHA256Digest.hash(sql).hex }

    /// Every migration of this program, in order.
    public static let all: [Migration] = EmbeddedFiles.all.compactMap { file in
        guard let number = file.name.split(separator: "_").first, let version = Int(number) else { return nil }
        return Migration(version: version, name: file.name, sql: file.contents)
    }.sorted { $0.version < $1.version }
}
