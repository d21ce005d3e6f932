import FieldSyncModel
import FieldSyncStore
import FieldSyncTally

/// The projector's state in the database: what a partial fold (``ElectionTally/isPartial``) loads
/// before a batch and keeps after it.
///
/// A station's facts are its events, found by the station indexes of `events`; the answers about the
/// log that a fold holding every event would keep in memory (where a corrected event is, which
/// corrections wait for an event, which stations a device observed) come from the same table. Every
/// read is bounded by the fold's position, the projector's checkpoint, so the facts read and the seats'
/// sums in `seat_sums` are those of one set of events.
struct StationStateStore: Sendable {
    let pool: PostgresPool

    /// The types whose payload names the station they are a fact of, as SQL literals: written out, not
    /// bound, so that the planner matches the partial indexes of migration 0012.
    static let stationFactTypes =
        "('\(EventType.reportReviewed.rawValue)', '\(EventType.officialPublished.rawValue)')"
    private static let correctionType = "'\(EventType.reportCorrected.rawValue)'"
    /// The most stations or ids bound in one statement.
    private static let chunk = 5_000

    /// Everything the fold asks before applying a batch, with the facts of the stations it does not hold.
    func states(
        for request: StationStateRequest, holding held: Set<StationCode>, upTo position: Int64
    ) async throws -> StationStates {
        try await pool.withConnection { connection in
            var states = StationStates()
            states.waitingCorrections = try await Self.waitingCorrections(
                naming: request.eventIDs, upTo: position, on: connection)
            states.stationsByDevice = try await Self.stationsObserved(
                by: request.assignedDevices, upTo: position, on: connection)
            var wanted = request.stations
            for waiting in states.waitingCorrections {
                if let station = waiting.location.station { wanted.insert(station) }
            }
            for stations in states.stationsByDevice.values { wanted.formUnion(stations) }
            if request.everyStation {
                wanted.formUnion(try await Self.stationsWithFacts(upTo: position, on: connection))
            }
            states.stations = wanted
            // Not `subtracting`: it goes through every station held, thousands, for a batch's few.
            let missing = wanted.filter { !held.contains($0) }.map(\.rawValue).sorted()
            for part in stride(from: 0, to: missing.count, by: Self.chunk) {
                let codes = Array(missing[part..<min(part + Self.chunk, missing.count)])
                states.events += try await Self.facts(of: codes, upTo: position, on: connection)
            }
            let targets = request.correctionTargets.union(ElectionTally.correctionTargets(in: states.events))
            states.locations = try await Self.locations(of: targets, upTo: position, on: connection)
            return states
        }
    }

    /// Every seat's sums, as the fold wrote them.
    func sums() async throws -> [(ConstituencyCode, [UInt8])] {
        try await pool.withConnection { connection in try await Self.sums(on: connection) }
    }

    /// A projector's checkpoint and every seat's sums, read in one snapshot.
    func checkpointAndSums(of projector: String) async throws -> (Int64, [(ConstituencyCode, [UInt8])]) {
        try await pool.withReadOnlySnapshot { connection in
            (try await TallyStore.checkpoint(of: projector, on: connection), try await Self.sums(on: connection))
        }
    }

    private static func sums(on connection: PostgresConnection) async throws -> [(ConstituencyCode, [UInt8])] {
        try await connection.query("SELECT constituency, sums::text FROM seat_sums").compactMap { row in
            guard let code = ConstituencyCode(try row.decode(String.self, column: 0)) else { return nil }
            return (code, Array(try row.decode(String.self, column: 1).utf8))
        }
    }

    /// The reference events up to `position`, in position order, given to `body` a page at a time.
    func forEachReferencePage(
        upTo position: Int64, events: EventStore, _ body: ([StoredEvent]) throws -> Void
    ) async throws {
        let types = EventType.allCases.filter(\.isReference).map(\.rawValue)
        let pageSize = 10_000
        var after: Int64 = 0
        while true {
            let page = try await events.foldEvents(
                after: after, meeting: "type = ANY(\(types)::text[]) AND position <= \(position)", limit: pageSize)
            try body(page)
            guard page.count == pageSize, let last = page.last else { return }
            after = last.position
        }
    }

    /// Writes the sums of the seats that changed, in the batch's transaction.
    func write(
        _ sums: [(ConstituencyCode, [UInt8])], position: Int64, on connection: PostgresConnection
    )
        async throws
    {
        guard !sums.isEmpty else { return }
        try await connection.execute(
            """
            INSERT INTO seat_sums (constituency, sums, updated_position)
            SELECT constituency, sums, \(position)
            FROM unnest(\(sums.map(\.0.rawValue))::text[],
                        \(sums.map { String(decoding: $0.1, as: UTF8.self) })::jsonb[]) AS s(constituency, sums)
            ON CONFLICT (constituency) DO UPDATE
            SET sums = EXCLUDED.sums, updated_position = EXCLUDED.updated_position
            """)
    }

    /// Replaces every seat's sums, in a rebuild's transaction, with one COPY.
    func replaceAll(
        with sums: [(ConstituencyCode, [UInt8])], position: Int64, on connection: PostgresConnection
    )
        async throws
    {
        var writer = PostgresCopyWriter(reservingCapacity: sums.reduce(0) { $0 + $1.1.count + 64 })
        for (code, bytes) in sums {
            writer.append(code.rawValue)
            writer.append(utf8: bytes)
            writer.append(position)
            writer.endRow()
        }
        try await connection.execute("DELETE FROM seat_sums")
        guard !sums.isEmpty else { return }
        try await connection.copy(
            "COPY seat_sums (constituency, sums, updated_position) FROM STDIN", data: writer.data)
    }

    // MARK: Questions about the log

    private static func waitingCorrections(
        naming ids: [EventID], upTo position: Int64, on connection: PostgresConnection
    ) async throws -> [StationStates.WaitingCorrection] {
        guard !ids.isEmpty else { return [] }
        return try await connection.query(waitingCorrectionsQuery(naming: ids, upTo: position)).compactMap { row in
            guard let target = EventID(try row.decode(String.self, column: 0)),
                let correction = EventID(try row.decode(String.self, column: 1)),
                let location = try location(row, from: 2)
            else { return nil }
            return StationStates.WaitingCorrection(target: target, correction: correction, location: location)
        }
    }

    /// The corrections up to `position` that name one of `ids`: the partial index `events_by_corrected`.
    static func waitingCorrectionsQuery(naming ids: [EventID], upTo position: Int64) -> SQL {
        """
        SELECT payload ->> 'corrects', event_id::text, position, device_id, seq, type, station FROM events
        WHERE type = \(unsafeRaw: correctionType)
          AND payload ->> 'corrects' = ANY(\(ids.map(\.description))::text[]) AND position <= \(position)
        """
    }

    /// Every event up to `position` that is a fact of one of `stations`, in the columns a fold reads
    /// (``EventStore/foldColumns``): its observations
    /// (`events_by_station`), and its reviews and official Form-45s (`events_by_payload_station`); only
    /// those `cutoff` includes, when there is one.
    static func factsQuery(of stations: [String], upTo position: Int64, including cutoff: TallyCutoff? = nil) -> SQL {
        let included: SQL = cutoff.map { "AND \($0.condition)" } ?? ""
        return """
            SELECT \(unsafeRaw: EventStore.foldColumns) FROM events
            WHERE station = ANY(\(stations)::text[]) AND position <= \(position) \(included)
            UNION ALL
            SELECT \(unsafeRaw: EventStore.foldColumns) FROM events
            WHERE type IN \(unsafeRaw: stationFactTypes) AND payload ->> 'station' = ANY(\(stations)::text[])
              AND position <= \(position) \(included)
            """
    }

    private static func stationsObserved(
        by devices: Set<DeviceID>, upTo position: Int64, on connection: PostgresConnection
    ) async throws -> [DeviceID: Set<StationCode>] {
        guard !devices.isEmpty else { return [:] }
        var observed = [DeviceID: Set<StationCode>]()
        for row in try await connection.query(
            """
            SELECT DISTINCT device_id, station FROM events
            WHERE device_id = ANY(\(devices.map(\.rawValue))::text[]) AND station IS NOT NULL
              AND position <= \(position)
            """)
        {
            guard let device = DeviceID(try row.decode(String.self, column: 0)),
                let station = StationCode(try row.decode(String.self, column: 1))
            else { continue }
            observed[device, default: []].insert(station)
        }
        return observed
    }

    /// The stations with facts among the events after `after`, up to `position`.
    static func stationsWithFacts(
        after: Int64 = 0, upTo position: Int64, on connection: PostgresConnection
    ) async throws
        -> Set<StationCode>
    {
        Set(
            try await connection.query(
                """
                SELECT DISTINCT station FROM events
                WHERE station IS NOT NULL AND position > \(after) AND position <= \(position)
                UNION
                SELECT DISTINCT payload ->> 'station' FROM events
                WHERE type IN \(unsafeRaw: stationFactTypes) AND payload ->> 'station' IS NOT NULL
                  AND position > \(after) AND position <= \(position)
                """
            ).compactMap { StationCode(try $0.decode(String.self, column: 0)) })
    }

    static func facts(
        of stations: [String], upTo position: Int64, including cutoff: TallyCutoff? = nil,
        on connection: PostgresConnection
    )
        async throws -> [StoredEvent]
    {
        try await EventStore.decode(
            foldRows: try await connection.query(
                factsQuery(of: stations, upTo: position, including: cutoff), format: EventStore.foldFormat))
    }

    static func locations(
        of ids: Set<EventID>, upTo position: Int64, including cutoff: TallyCutoff? = nil,
        on connection: PostgresConnection
    )
        async throws -> [EventID: EventLocation]
    {
        guard !ids.isEmpty else { return [:] }
        let included: SQL = cutoff.map { "AND \($0.condition)" } ?? ""
        var locations = [EventID: EventLocation]()
        for row in try await connection.query(
            """
            SELECT event_id::text, position, device_id, seq, type, station FROM events
            WHERE event_id = ANY(\(ids.map(\.description))::uuid[]) AND position <= \(position) \(included)
            """)
        {
            guard let id = EventID(try row.decode(String.self, column: 0)), let location = try location(row, from: 1)
            else { continue }
            locations[id] = location
        }
        return locations
    }

    /// position, device_id, seq, type, station from column `first` on.
    private static func location(_ row: PostgresRow, from first: Int) throws -> EventLocation? {
        guard let device = DeviceID(try row.decode(String.self, column: first + 1)),
            let type = EventType(rawValue: try row.decode(String.self, column: first + 3))
        else { return nil }
        return EventLocation(
            position: try row.decode(column: first), device: device, seq: try row.decode(column: first + 2),
            type: type, station: try row.decode(String?.self, column: first + 4).flatMap { StationCode($0) })
    }
}
