import FieldSyncModel

/// The spreadsheets editors take away (`GET /v1/exports/{what}.csv`, `fieldsync export csv`): the
/// tally documents of PROTOCOL.md §13 laid out as rows. Pure: documents in, CSV text out.
public enum TallyExport: String, CaseIterable, Sendable {
    /// One row per station and seat result.
    case stations
    /// One row per seat and candidate.
    case seats
    /// One row per incident, station by station.
    case incidents
    /// The commission's Form-45s beside the field's: one row per station, seat, field report and figure.
    case official

    /// The values allowed, for messages: `stations, seats, incidents or official`.
    public static var allowedNames: String {
        let names = allCases.map(\.rawValue)
        return names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    }

    /// The tally documents an export is made of.
    public enum Source: Sendable {
        case stations
        case seats
    }

    public var source: Source {
        switch self {
        case .stations, .incidents, .official: .stations
        case .seats: .seats
        }
    }

    /// The header row.
    public var columns: [String] {
        switch self {
        case .stations:
            [
                "station", "station_name", "seat", "status", "reports", "registered_voters", "total_cast", "rejected",
                "valid_votes", "turnout_votes_cast", "turnout_as_of", "opened_at", "closed_at", "incidents", "flags",
            ]
        case .seats:
            [
                "seat", "seat_name", "assembly", "district", "stations_total", "stations_counted", "stations_disputed",
                "candidate", "candidate_name", "party", "backed_by", "votes", "verified_votes", "disputed_minimum",
                "disputed_maximum", "leading",
            ]
        case .incidents:
            ["station", "station_name", "time", "occurred_at", "kind", "severity", "device", "description", "event"]
        case .official:
            [
                "station", "station_name", "seat", "device", "figure", "official", "field", "difference", "equal",
                "official_event", "file_sha256", "source_url", "report_events", "photo",
            ]
        }
    }

    /// The CSV text of station or seat documents (as `source` says), in code order whatever order they
    /// come in.
    public func csv(_ documents: [JSONValue]) -> String {
        var table = CSVWriter(header: columns)
        for document in sorted(documents) {
            switch self {
            case .stations: Self.stationRows(document, into: &table)
            case .seats: Self.seatRows(document, into: &table)
            case .incidents: Self.incidentRows(document, into: &table)
            case .official: Self.officialRows(document, into: &table)
            }
        }
        return table.text
    }

    private func sorted(_ documents: [JSONValue]) -> [JSONValue] {
        switch source {
        case .stations:
            documents.sorted { Self.order($0["station"], $1["station"], StationCode.init) }
        case .seats:
            documents.sorted { Self.order($0["constituency"], $1["constituency"], ConstituencyCode.init) }
        }
    }

    /// Codes in the protocol's order; a text that is not a code after those that are, by its text.
    private static func order<Code: Comparable>(
        _ a: JSONValue?, _ b: JSONValue?, _ code: (String) -> Code?
    ) -> Bool {
        let a = a?.stringValue ?? ""
        let b = b?.stringValue ?? ""
        switch (code(a), code(b)) {
        case (let x?, let y?): return x != y ? x < y : a < b
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a < b
        }
    }

    /// A JSON integer or string as a field; null (or anything else) as an empty field.
    static func text(_ value: JSONValue?) -> String? {
        if let integer = value?.integerValue { return String(integer) }
        if let bool = value?.boolValue { return bool ? "true" : "false" }
        return value?.stringValue
    }

    private static func stationRows(_ station: JSONValue, into table: inout CSVWriter) {
        let flags = (station["flags"]?.arrayValue ?? []).compactMap { $0["code"]?.stringValue }
        let latest = station["turnout"]?["latest"]
        for result in station["results"]?.arrayValue ?? [] {
            let counted = result["counted"]
            let valid = counted?["votes"]?.objectValue.map { votes in
                String(votes.values.reduce(Int64(0)) { $0 + ($1.integerValue ?? 0) })
            }
            table.append([
                text(station["station"]), text(station["name"]), text(result["constituency"]), text(result["status"]),
                text(result["devices"]), text(station["registeredVoters"]), text(counted?["totalCast"]),
                text(counted?["rejected"]), valid, text(latest?["votesCast"]), text(latest?["asOf"]),
                text(station["opening"]?["openedAt"]), text(station["closing"]?["closedAt"]),
                String(station["incidents"]?.arrayValue?.count ?? 0), flags.joined(separator: " "),
            ])
        }
    }

    private static func seatRows(_ seat: JSONValue, into table: inout CSVWriter) {
        let stations = seat["stations"]
        let leader = seat["lead"]?["leader"]?.stringValue
        let fields = [
            text(seat["constituency"]), text(seat["name"]), text(seat["assembly"]), text(seat["district"]),
            text(stations?["total"]), text(stations?["counted"]), text(stations?["disputed"]),
        ]
        let candidates = seat["candidates"]?.arrayValue ?? []
        if candidates.isEmpty { table.append(fields + Array(repeating: nil, count: 9)) }
        for candidate in candidates {
            let id = candidate["candidate"]?.stringValue
            table.append(
                fields + [
                    id, text(candidate["name"]), text(candidate["party"]), text(candidate["backedBy"]),
                    text(candidate["votes"]), text(candidate["verifiedVotes"]), text(candidate["disputedMinimum"]),
                    text(candidate["disputedMaximum"]), id != nil && id == leader ? "true" : "false",
                ])
        }
    }

    private static func incidentRows(_ station: JSONValue, into table: inout CSVWriter) {
        for incident in station["incidents"]?.arrayValue ?? [] {
            table.append([
                text(station["station"]), text(station["name"]), text(incident["time"]), text(incident["occurredAt"]),
                text(incident["kind"]), text(incident["severity"]), text(incident["device"]),
                text(incident["description"]), text(incident["events"]?.arrayValue?.first),
            ])
        }
    }

    /// Per seat with a standing official Form-45 (in seat order), per field report (in device order; one
    /// set of rows with the field's columns empty when the seat has none), per figure: each candidate the
    /// official or the field figures name (by id), then `rejected`, then `total`.
    private static func officialRows(_ station: JSONValue, into table: inout CSVWriter) {
        for official in station["official"]?.arrayValue ?? [] {
            let seat = official["constituency"]
            let result = station["results"]?.arrayValue?.first { $0["constituency"] == seat }
            let officialVotes = official["votes"]?.objectValue ?? [:]
            let comparisons = official["reports"]?.arrayValue ?? []
            for comparison in comparisons.isEmpty ? [nil] : comparisons.map(Optional.some) {
                let device = comparison?["device"]
                let report = result?["reports"]?.arrayValue?.first { device != nil && $0["device"] == device }
                let fieldVotes = report?["votes"]?.objectValue ?? [:]
                let figures: [(String, JSONValue?, JSONValue?, JSONValue?)] =
                    Set(officialVotes.keys).union(fieldVotes.keys).sorted().map { candidate in
                        (
                            candidate, officialVotes[candidate], fieldVotes[candidate],
                            comparison.map { $0["differences"]?[candidate] ?? .integer(0) }
                        )
                    } + [
                        ("rejected", official["rejected"], report?["rejected"], comparison?["rejected"]),
                        ("total", official["totalCast"], report?["totalCast"], comparison?["totalCast"]),
                    ]
                for (figure, officialFigure, fieldFigure, difference) in figures {
                    table.append([
                        text(station["station"]), text(station["name"]), text(seat), text(device), figure,
                        text(officialFigure), text(fieldFigure), text(difference), text(comparison?["equal"]),
                        text(official["event"]), text(official["fileSha256"]), text(official["sourceUrl"]),
                        (comparison?["events"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: " "),
                        text(report?["photo"]),
                    ])
                }
            }
        }
    }
}
