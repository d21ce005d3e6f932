import FieldSyncModel

extension TallyExplanation {
    /// `{position, asOf, station, results, events}`: the station's tally document, the provenance of each
    /// of its results, and every event named, with position, device, type and times. Nil without a tally.
    public func stationJSON(_ code: StationCode) -> JSONValue? {
        guard let station = tally.station(code) else { return nil }
        let results = station.results.compactMap {
            tally.provenance(station: code, constituency: $0.constituency)?.jsonValue
        }
        return [
            "position": .integer(tally.lastPosition), "asOf": cutoff?.jsonValue ?? .null,
            "station": station.jsonValue, "results": .array(results),
            "events": .array(events(Self.eventIDs(station: code, in: tally)).map(\.jsonValue)),
        ]
    }

    /// `{position, asOf, constituency, provenance, events}`: the seat's tally document, the provenance of
    /// its figures, and every event named. Nil without a tally.
    public func constituencyJSON(_ code: ConstituencyCode) -> JSONValue? {
        guard let seat = tally.constituency(code), let provenance = tally.provenance(constituency: code) else {
            return nil
        }
        return [
            "position": .integer(tally.lastPosition), "asOf": cutoff?.jsonValue ?? .null,
            "constituency": seat.jsonValue, "provenance": provenance.jsonValue,
            "events": .array(events(Self.eventIDs(constituency: code, in: tally)).map(\.jsonValue)),
        ]
    }
}
