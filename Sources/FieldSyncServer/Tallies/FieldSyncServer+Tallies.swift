import FieldSyncModel
import FieldSyncProjection
import FieldSyncStore
import FieldSyncTally
import Hummingbird

extension FieldSyncServer {
    /// `GET /v1/tallies[?position=N | ?asOf=TIME]` → the city, its districts and every constituency:
    /// `{position, asOf, city, districts: {name: tally}, constituencies: {code: tally}}`.
    ///
    /// Without a cutoff the documents are the projector's, all as of its checkpoint (`position`), sent as
    /// stored. With one, they are computed now with the same fold, from the nearest snapshot before it
    /// (``TallyTimeTravel``). Either way the answer has an `ETag` (``DocumentAnswer``).
    func overviewTallies(_ request: Request) async throws -> Response {
        if let cutoff = try Self.tallyCutoff(request) {
            let tally = try await replay(upTo: cutoff)
            var districts: [String: DocumentAnswer] = [:]
            for name in tally.districtNames {
                districts[name] = tally.district(name).map { .stored($0.canonicalBytes) }
            }
            var constituencies: [String: DocumentAnswer] = [:]
            for code in tally.constituencyCodes {
                constituencies[code.rawValue] = tally.constituency(code).map { .stored($0.canonicalBytes) }
            }
            return DocumentAnswer.object([
                "position": .value(.integer(tally.lastPosition)), "asOf": .value(Self.describe(cutoff)),
                "city": .stored(tally.city.canonicalBytes), "districts": .object(districts),
                "constituencies": .object(constituencies),
            ]).response(to: request)
        }
        let snapshot = try await TallyStore(pool: pool).snapshot(kinds: [.city, .district, .constituency])
        return DocumentAnswer.object([
            "position": .value(.integer(snapshot.position)), "asOf": .value(.null),
            "city": .document(snapshot.document(.city, "city")),
            "districts": .keyed(snapshot.documents(.district)),
            "constituencies": .keyed(snapshot.documents(.constituency)),
        ]).response(to: request)
    }

    /// `GET /v1/tallies/{constituency}[?position=N | ?asOf=TIME]` → one NA or PS seat and the summary of every
    /// station voting in it, for this seat (``StationSummary``: no station's history, which is its own document,
    /// `GET /v1/stations/{station}`, nor its other seat's figures): `{position, asOf, constituency: tally,
    /// stations: {code: summary}}`.
    func constituencyTally(_ request: Request, code text: String) async throws -> Response {
        let code = try Self.constituencyCode(text)
        let stations = await reference.snapshot.data.stationsByConstituency[code] ?? []
        if let cutoff = try Self.tallyCutoff(request) {
            let tally = try await replay(upTo: cutoff, stations: Set(stations))
            guard let seat = tally.constituency(code) else { throw Self.unknownConstituency(code) }
            var summaries: [String: DocumentAnswer] = [:]
            for station in stations {
                summaries[station.rawValue] = tally.station(station).map {
                    .stored(StationSummary($0, seat: code).canonicalBytes)
                }
            }
            return DocumentAnswer.object([
                "position": .value(.integer(tally.lastPosition)), "asOf": .value(Self.describe(cutoff)),
                "constituency": .stored(seat.canonicalBytes), "stations": .object(summaries),
            ]).response(to: request)
        }
        let (snapshot, seat) = try await seatSnapshot(code, stations: stations)
        return DocumentAnswer.object([
            "position": .value(.integer(snapshot.position)), "asOf": .value(.null), "constituency": .stored(seat.bytes),
            "stations": .keyed(snapshot.stationSummaries),
        ]).response(to: request)
    }

    /// The projector's document of the seat `code` and its summaries of its `stations` (``StationSummary``),
    /// in one snapshot; 404 when the seat has none.
    func seatSnapshot(
        _ code: ConstituencyCode, stations: [StationCode]
    ) async throws -> (TallySnapshot, TallySnapshot.Document) {
        let snapshot = try await TallyStore(pool: pool).snapshot(
            keys: [(.constituency, code.rawValue)]
                + stations.map { (.stationSummary, StationSummary.key(seat: code, station: $0)) })
        guard let seat = snapshot.document(.constituency, code.rawValue) else { throw Self.unknownConstituency(code) }
        return (snapshot, seat)
    }

    /// `GET /v1/stations/{station}[?position=N | ?asOf=TIME]` → one polling station's tally and every event
    /// about it, in position order: `{position, asOf, station: tally, events: [stored event]}`.
    func stationTally(_ request: Request, code text: String) async throws -> Response {
        guard let code = StationCode(text) else {
            throw Problem.invalidRequest(
                field: "station", code: .invalidFormat, problem: "\"\(text)\" is not a polling station code",
                allowed: "the NA seat and the station's number, such as NA-248-017")
        }
        let cutoff = try Self.tallyCutoff(request)
        let document: DocumentAnswer
        let position: Int64
        if let cutoff {
            let tally = try await replay(upTo: cutoff, stations: [code])
            guard let station = tally.station(code) else { throw Self.unknownStation(code) }
            document = .stored(station.canonicalBytes)
            position = tally.lastPosition
        } else {
            let snapshot = try await TallyStore(pool: pool).snapshot(keys: [(.station, code.rawValue)])
            guard let station = snapshot.document(.station, code.rawValue) else { throw Self.unknownStation(code) }
            document = .stored(station.bytes)
            position = snapshot.position
        }
        var about: [JSONValue] = []
        var after: Int64 = 0
        while true {
            let page = try await events.events(station: code.rawValue, after: after, limit: 1000)
            for record in page where record.position <= position {
                about.append(.object(try record.storedEvent().jsonObject))
            }
            guard let last = page.last, page.count == 1000, last.position < position else { break }
            after = last.position
        }
        return DocumentAnswer.object([
            "position": .value(.integer(position)), "asOf": .value(cutoff.map(Self.describe) ?? .null),
            "station": document, "events": .value(.array(about)),
        ]).response(to: request)
    }

    /// The tallies of the log up to a cutoff, with those of `stations`, folded now with the projector's fold
    /// from the nearest snapshot before it (``TallyTimeTravel``), in one of the server's few slots for it
    /// (``Slots``).
    func replay(upTo cutoff: TallyCutoff, stations: Set<StationCode> = []) async throws -> ElectionTally {
        try await replays.run {
            try await TallyTimeTravel(events: events, lastFold: lastFold).tally(asOf: cutoff, stations: stations)
        }
    }

    /// `?position=N` (the log as it stood at position N) or `?asOf=TIME` (what had been observed by then,
    /// whenever it arrived); neither means the live tallies.
    static func tallyCutoff(_ request: Request) throws -> TallyCutoff? {
        let query = request.uri.queryParameters
        let position = try integerParameter(query.get("position"), name: "position", minimum: 0)
        let asOf = query.get("asOf")
        switch (position, asOf) {
        case (nil, nil):
            return nil
        case (let position?, nil):
            return .position(position)
        case (nil, let text?):
            guard let time = Timestamp(rfc3339: text) else {
                throw Problem.invalidRequest(
                    field: "asOf", code: .invalidFormat, problem: "\"\(text)\" is not an RFC 3339 time",
                    allowed: "a time with its offset, such as 2024-02-08T17:00:00+05:00")
            }
            return .observedAtOrBefore(time)
        case (_?, _?):
            throw Problem.invalidRequest(
                field: "asOf", code: .notAllowed, problem: "position and asOf were both given",
                allowed: "one of position or asOf")
        }
    }

    static func describe(_ cutoff: TallyCutoff) -> JSONValue {
        switch cutoff {
        case .position(let position): ["position": .integer(position)]
        case .observedAtOrBefore(let time): ["time": .string(time.rfc3339UTC)]
        }
    }

    static func parse(_ document: TallySnapshot.Document) throws -> JSONValue {
        try JSONParser.parse(document.bytes)
    }

    static func keyed(_ documents: [TallySnapshot.Document]) throws -> [String: JSONValue] {
        var keyed: [String: JSONValue] = [:]
        for document in documents { keyed[document.key] = try parse(document) }
        return keyed
    }

    /// The seat code of a path, or a 400 problem naming it.
    static func constituencyCode(_ text: String) throws -> ConstituencyCode {
        guard let code = ConstituencyCode(text) else {
            throw Problem.invalidRequest(
                field: "constituency", code: .invalidFormat, problem: "\"\(text)\" is not a constituency code",
                allowed: ConstituencyCode.allowed)
        }
        return code
    }

    static func unknownConstituency(_ code: ConstituencyCode) -> Problem {
        Problem(.notFound, "no tally for \(code): the constituency is not defined, or nothing about it is folded yet")
    }

    static func unknownStation(_ code: StationCode) -> Problem {
        Problem(.notFound, "no tally for \(code): the station is not defined, or nothing about it is folded yet")
    }
}
