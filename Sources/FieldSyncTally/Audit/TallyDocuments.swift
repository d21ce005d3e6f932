import FieldSyncModel

/// The tally answers of the API (`GET /v1/tallies`, `GET /v1/tallies/{constituency}`), made from a fold
/// instead of read from the server: what an offline replay prints and compares with the server's.
///
/// Each has the API's members: `position` (the highest position folded in), `asOf` (the cutoff, or null),
/// and the documents, exactly as the server writes them for the same events.
public enum TallyDocuments {
    /// `{position, asOf, city, districts, constituencies}`.
    public static func overview(_ tally: ElectionTally, cutoff: TallyCutoff?) -> JSONValue {
        var districts: [String: JSONValue] = [:]
        for name in tally.districtNames { districts[name] = tally.district(name)?.jsonValue }
        var constituencies: [String: JSONValue] = [:]
        for code in tally.constituencyCodes { constituencies[code.rawValue] = tally.constituency(code)?.jsonValue }
        return [
            "position": .integer(tally.lastPosition), "asOf": cutoff?.jsonValue ?? .null,
            "city": tally.city.jsonValue, "districts": .object(districts), "constituencies": .object(constituencies),
        ]
    }

    /// `{position, asOf, constituency, stations}`: one seat and the summary, for this seat, of every station
    /// voting in it (``StationSummary``); nil when the seat has no tally.
    public static func constituency(
        _ tally: ElectionTally, _ code: ConstituencyCode, cutoff: TallyCutoff?
    )
        -> JSONValue?
    {
        guard let seat = tally.constituency(code) else { return nil }
        var stations: [String: JSONValue] = [:]
        for station in tally.reference.stationsByConstituency[code] ?? [] {
            stations[station.rawValue] = tally.station(station).map { StationSummary($0, seat: code).jsonValue }
        }
        return [
            "position": .integer(tally.lastPosition), "asOf": cutoff?.jsonValue ?? .null,
            "constituency": seat.jsonValue, "stations": .object(stations),
        ]
    }

    /// `{position, asOf, station}`: one station's document; nil when the station has no tally. The API's answer
    /// (`GET /v1/stations/{station}`) also lists the stored events about the station, which are the log's,
    /// not the fold's.
    public static func station(_ tally: ElectionTally, _ code: StationCode, cutoff: TallyCutoff?) -> JSONValue? {
        guard let station = tally.station(code) else { return nil }
        return [
            "position": .integer(tally.lastPosition), "asOf": cutoff?.jsonValue ?? .null, "station": station.jsonValue,
        ]
    }

    /// `{position, constituency, differences, margin, stations}`: the city's comparison with the official
    /// Form-45s, as `GET /v1/official` answers it (``ElectionTally/officialComparison``).
    public static func official(_ tally: ElectionTally) -> JSONValue {
        var answer = tally.officialComparison.jsonValue.objectValue ?? [:]
        answer["position"] = .integer(tally.lastPosition)
        return .object(answer)
    }
}
