import FieldSyncModel

/// The photos of signed sheets in PostgreSQL (migration `0008_photos.sql`): each stored once under
/// its SHA-256, never replaced, and the pieces of uploads not yet whole.
///
/// An upload is resumable: its pieces are kept as they arrive, contiguous from byte 0, and the photo
/// is made of them once the last byte is in, if their hash is the photo's name. Every change to one
/// photo's pieces happens under a transaction-scoped advisory lock of that photo, so two uploads of
/// one photo at once cannot interleave.
public struct PhotoStore: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// What an event stored in the log says of a photo it names.
    public struct Claim: Sendable, Hashable {
        /// The device that signed the event.
        public var device: String
        /// The position of the event in the log.
        public var position: Int64
        public var photo: PhotoReference
    }

    /// What the server holds of one photo.
    public enum Holding: Sendable, Hashable {
        /// Nothing.
        case none
        /// The first `held` bytes of an upload of `size` bytes of `type`.
        case partial(held: Int, size: Int, type: PhotoType)
        /// The whole photo.
        case stored(PhotoReference)
    }

    /// What became of a piece of an upload.
    public enum PieceOutcome: Sendable, Hashable {
        /// Kept: the upload now holds `held` bytes.
        case added(held: Int)
        /// Not kept: it does not start where the bytes held end (`held`), or it is of another size or
        /// type than the pieces held.
        case notContiguous(held: Int)
        /// Not kept: the photo is stored already.
        case alreadyStored
    }

    /// What became of an upload whose last byte arrived.
    public enum Completion: Sendable, Hashable {
        /// Stored now (or already, by another upload), whole and right.
        case stored(PhotoReference)
        /// Its bytes are not the photo: their hash, their size and what their first bytes say they
        /// are. The pieces were removed.
        case wrongBytes(sha256: SHA256Digest, size: Int, type: PhotoType?)
        /// Nothing held, or not yet the whole photo.
        case incomplete(held: Int)
    }

    /// The stored events that name `photo` (results, incidents and corrections' replacements), in log
    /// order. The query matches the index `events_by_photo_named` (migration 0011).
    public func claims(_ photo: SHA256Digest) async throws -> [Claim] {
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT device_id, position, coalesce(payload ->> 'photoSize', payload #>> '{replacement,data,photoSize}'),
                       coalesce(payload ->> 'photoType', payload #>> '{replacement,data,photoType}')
                FROM events
                WHERE type IN ('fieldsync.result.reported.v1', 'fieldsync.report.corrected.v1',
                               'fieldsync.incident.observed.v1')
                  AND coalesce(payload ->> 'photoSha256', payload #>> '{replacement,data,photoSha256}') = \(photo.hex)
                ORDER BY position
                """)
        }
        return try rows.map { row in
            Claim(
                device: try row.decode(String.self, column: 0), position: try row.decode(Int64.self, column: 1),
                photo: PhotoReference(
                    sha256: photo, size: try row.decode(Int?.self, column: 2),
                    type: try row.decode(String?.self, column: 3).flatMap(PhotoType.init(rawValue:))))
        }
    }

    /// What is held of `photo`.
    public func holding(_ photo: SHA256Digest) async throws -> Holding {
        try await pool.withConnection { connection in try await Self.holding(photo, on: connection) }
    }

    /// Of `photos`, those stored. One query.
    public func stored(among photos: [SHA256Digest]) async throws -> Set<SHA256Digest> {
        guard !photos.isEmpty else { return [] }
        let rows = try await pool.withConnection { connection in
            try await connection.query("SELECT sha256 FROM photos WHERE sha256 = ANY(\(photos)::bytea[])")
        }
        return Set(try rows.map { try $0.decode(SHA256Digest.self, column: 0) })
    }

    /// The stored photo's type and bytes; nil when it is not stored.
    public func photo(_ photo: SHA256Digest) async throws -> (type: PhotoType, bytes: [UInt8])? {
        let rows = try await pool.withConnection { connection in
            try await connection.query("SELECT media_type, bytes FROM photos WHERE sha256 = \(photo)")
        }
        guard let row = rows.first else { return nil }
        guard let type = PhotoType(rawValue: try row.decode(String.self, column: 0)) else {
            throw PostgresError(code: .unexpectedResult, message: "photo \(photo.hex) has an unknown media type")
        }
        return (type, try row.decode(ByteA.self, column: 1).bytes)
    }

    /// Keeps `bytes` as the piece of an upload of `photo` (`size` bytes of `type` in all) from `start`.
    /// A piece from 0 starts the upload again; any other must start where the bytes held end.
    public func addPiece(
        _ bytes: [UInt8], of photo: SHA256Digest, from start: Int, size: Int, type: PhotoType
    ) async throws -> PieceOutcome {
        try await pool.withTransaction { connection in
            try await Self.lock(photo, on: connection)
            switch try await Self.holding(photo, on: connection) {
            case .stored:
                return .alreadyStored
            case .partial(let held, let heldSize, let heldType) where start != 0:
                guard start == held, heldSize == size, heldType == type else { return .notContiguous(held: held) }
            case .none where start != 0:
                return .notContiguous(held: 0)
            case .none, .partial:
                try await connection.execute("DELETE FROM photo_parts WHERE sha256 = \(photo)")
            }
            guard !bytes.isEmpty else { return .added(held: start) }
            try await connection.execute(
                """
                INSERT INTO photo_parts (sha256, start, media_type, size, bytes, received_at)
                VALUES (\(photo), \(start), \(type.rawValue), \(size), \(ByteA(bytes)), now())
                """)
            return .added(held: start + bytes.count)
        }
    }

    /// Makes the photo of the pieces held, once they are whole: stored if their hash is `photo`, else
    /// removed, and the hash, size and type they have instead told.
    public func complete(_ photo: SHA256Digest) async throws -> Completion {
        try await pool.withTransaction { connection in
            try await Self.lock(photo, on: connection)
            switch try await Self.holding(photo, on: connection) {
            case .stored(let stored):
                return .stored(stored)
            case .none:
                return .incomplete(held: 0)
            case .partial(let held, let size, _) where held < size:
                return .incomplete(held: held)
            case .partial(_, let size, let type):
                let rows = try await connection.query(
                    """
                    SELECT sha256(whole), substring(whole FROM 1 FOR 8)
                    FROM (SELECT string_agg(bytes, ''::bytea ORDER BY start) AS whole
                          FROM photo_parts WHERE sha256 = \(photo)) AS upload
                    """)
                let hash = try rows[0].decode(SHA256Digest.self, column: 0)
                let magic = PhotoType(magic: try rows[0].decode(ByteA.self, column: 1).bytes)
                guard hash == photo, magic == type else {
                    try await connection.execute("DELETE FROM photo_parts WHERE sha256 = \(photo)")
                    return .wrongBytes(sha256: hash, size: size, type: magic)
                }
                try await connection.execute(
                    """
                    INSERT INTO photos (sha256, media_type, size, bytes, stored_at)
                    SELECT \(photo), \(type.rawValue), \(size), string_agg(bytes, ''::bytea ORDER BY start), now()
                    FROM photo_parts WHERE sha256 = \(photo)
                    """)
                try await connection.execute("DELETE FROM photo_parts WHERE sha256 = \(photo)")
                return .stored(PhotoReference(sha256: photo, size: size, type: type))
            }
        }
    }

    /// Removes the pieces of every upload abandoned for `age` or longer — whose newest piece arrived that
    /// long ago — and returns the photos whose pieces were removed. Each photo's pieces are removed
    /// under its lock, and only if no piece arrived meanwhile; a device that comes back asks what is held
    /// (nothing) and sends the photo again from byte 0. Stored photos are never touched.
    public func removeAbandonedPieces(olderThan age: Duration) async throws -> [SHA256Digest] {
        let seconds = age.components.seconds
        let candidates = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT sha256 FROM photo_parts GROUP BY sha256
                HAVING max(received_at) <= now() - make_interval(secs => \(seconds))
                """)
        }.map { try $0.decode(SHA256Digest.self, column: 0) }
        var removed: [SHA256Digest] = []
        for photo in candidates {
            let gone = try await pool.withTransaction { connection in
                try await Self.lock(photo, on: connection)
                let rows = try await connection.query(
                    """
                    DELETE FROM photo_parts WHERE sha256 = \(photo)
                      AND (SELECT max(received_at) FROM photo_parts WHERE sha256 = \(photo))
                          <= now() - make_interval(secs => \(seconds))
                    RETURNING start
                    """)
                return !rows.isEmpty
            }
            if gone { removed.append(photo) }
        }
        return removed
    }

    private static func holding(_ photo: SHA256Digest, on connection: PostgresConnection) async throws -> Holding {
        let stored = try await connection.query("SELECT size, media_type FROM photos WHERE sha256 = \(photo)")
        if let row = stored.first {
            return .stored(
                PhotoReference(
                    sha256: photo, size: try row.decode(Int.self, column: 0),
                    type: PhotoType(rawValue: try row.decode(String.self, column: 1))))
        }
        let parts = try await connection.query(
            """
            SELECT coalesce(sum(length(bytes)), 0), max(size), max(media_type)
            FROM photo_parts WHERE sha256 = \(photo)
            """)
        let held = try parts[0].decode(Int.self, column: 0)
        guard held > 0, let size = try parts[0].decode(Int?.self, column: 1),
            let type = PhotoType(rawValue: try parts[0].decode(String?.self, column: 2) ?? "")
        else { return .none }
        return .partial(held: held, size: size, type: type)
    }

    /// The transaction-scoped advisory lock of one photo: its hash's first 8 bytes.
    private static func lock(_ photo: SHA256Digest, on connection: PostgresConnection) async throws {
        let key = photo.bytes.prefix(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) }
        _ = try await connection.query("SELECT pg_advisory_xact_lock(\(key))")
    }
}
