import FieldSyncModel
import FieldSyncTally
import Foundation

/// `Schema/vectors/tallies.json`: the documents the fold makes of `export.ndjson` (PROTOCOL.md §13),
/// whole and as of two cutoffs, as canonical bytes: every station, seat, district and the city.
struct TallyVectors {
    /// A log to fold: the first `lines` lines of export.ndjson, with a cutoff or none.
    struct Case {
        var name: String
        var about: String
        var lines: Int
        var cutoff: TallyCutoff?
    }

    let log: [StoredEvent]

    init() throws {
        let text = try String(
            contentsOf: CountingVectors.folder.appendingPathComponent("export.ndjson"), encoding: .utf8)
        log = try text.split(separator: "\n").map { try StoredEvent(line: Array($0.utf8)) }
    }

    var cases: [Case] {
        let beforeCorrection = log.firstIndex { $0.event.type == .reportCorrected }!
        return [
            Case(name: "whole-log", about: "every line of export.ndjson", lines: log.count, cutoff: nil),
            Case(
                name: "before-the-correction",
                about: "the lines before reporter-1's correction: its Form-45 as first reported",
                lines: beforeCorrection, cutoff: nil),
            Case(
                name: "observed-by-20-05",
                about: "every line, as observed by 2024-02-08T20:05:00+05:00: the correction (20:10), the "
                    + "retraction and the revocation (the next day) are cut; the verification (21:00) is kept, "
                    + "as every review is, and no longer matches the NA-248 result",
                lines: log.count, cutoff: .observedAtOrBefore(Timestamp(rfc3339: "2024-02-08T20:05:00+05:00")!)),
        ]
    }

    /// The documents of one case, each as its canonical text.
    func documents(_ item: Case) -> JSONValue {
        let tally = ElectionTally(replaying: log.prefix(item.lines), asOf: item.cutoff)
        func text(_ document: some TallyDocument) -> JSONValue { .string(String(decoding: document.canonicalBytes, as: UTF8.self)) }
        var stations = [String: JSONValue]()
        for code in tally.stationCodes { stations[code.rawValue] = text(tally.station(code)!) }
        var seats = [String: JSONValue]()
        for code in tally.constituencyCodes { seats[code.rawValue] = text(tally.constituency(code)!) }
        var districts = [String: JSONValue]()
        for name in tally.districtNames { districts[name] = text(tally.district(name)!) }
        return [
            "name": .string(item.name), "about": .string(item.about), "lines": .integer(Int64(item.lines)),
            "asOf": item.cutoff?.jsonValue ?? .null, "position": .integer(tally.lastPosition),
            "stations": .object(stations), "constituencies": .object(seats), "districts": .object(districts),
            "city": text(tally.city),
        ]
    }

    var file: String {
        PrettyJSON.string([
            "note": .string(
                "Each case folds the first `lines` lines of export.ndjson (as of `asOf` when not null: "
                    + "{\"position\": N} or {\"time\": UTC time}, as PROTOCOL.md §13 \"Time travel\" says) and gives "
                    + "every document the fold makes, each as its canonical text (RFC 8785): stations by code, "
                    + "constituencies by code, districts by name, and the city. `position` is the highest position "
                    + "folded in."),
            "cases": .array(cases.map(documents)),
        ])
    }
}
