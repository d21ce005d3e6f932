import FieldSyncModel

/// The commission's Form-45s of one seat against the field's reports, read from `GET /v1/tallies/{seat}`:
/// every report that differs, largest difference first. The size of a difference is the largest of its
/// candidates' (absolute) differences, and is shown against the seat's margin. Pure: JSON in, lines or
/// JSON out.
public struct OfficialDifferences: Sendable {
    /// One field report that differs from the official Form-45 of its station.
    public struct Difference: Sendable {
        public var station: String
        public var device: String
        /// Field minus official, per candidate that differs, in candidate order.
        public var candidates: [(String, Int)]
        public var rejected: Int
        public var totalCast: Int
        /// The official import that stands, and the report's events.
        public var official: String
        public var events: [String]

        /// The largest absolute difference of a candidate's votes.
        public var size: Int { candidates.map { abs($0.1) }.max() ?? 0 }
    }

    public var seat: String
    /// The margin between leader and runner-up of the field's counted votes; nil without one.
    public var margin: Int?
    /// How many stations of the seat have an official Form-45 for it.
    public var stations: Int
    /// Largest first; ties by station, then device.
    public var differences: [Difference]

    /// The differences in `answer`, the API's answer for one seat.
    public init(_ answer: JSONValue) {
        let document = answer["constituency"]
        seat = document?["constituency"]?.stringValue ?? "?"
        margin = document?["lead"]?["margin"]?.integerValue.map(Int.init)
        var stations = 0
        var differences = [Difference]()
        for station in (answer["stations"]?.objectValue ?? [:]).values {
            for official in station["official"]?.arrayValue ?? [] where official["constituency"]?.stringValue == seat {
                stations += 1
                for report in official["reports"]?.arrayValue ?? [] where report["equal"]?.boolValue == false {
                    let candidates = (report["differences"]?.objectValue ?? [:])
                        .map { ($0.key, Int($0.value.integerValue ?? 0)) }
                        .sorted { $0.0 < $1.0 }
                    differences.append(
                        Difference(
                            station: station["station"]?.stringValue ?? "?",
                            device: report["device"]?.stringValue ?? "?", candidates: candidates,
                            rejected: Int(report["rejected"]?.integerValue ?? 0),
                            totalCast: Int(report["totalCast"]?.integerValue ?? 0),
                            official: official["event"]?.stringValue ?? "?",
                            events: (report["events"]?.arrayValue ?? []).compactMap(\.stringValue)))
                }
            }
        }
        self.stations = stations
        self.differences = differences.sorted {
            ($0.size, $1.station, $1.device) > ($1.size, $0.station, $0.device)
        }
    }

    /// The lines `fieldsync tally SEAT --official` prints.
    public var lines: [String] {
        var lines = [
            "\(seat): official Form-45s at \(stations) station\(stations == 1 ? "" : "s"); "
                + "\(differences.count) field report\(differences.count == 1 ? "" : "s") differ"
                + (margin.map { " (field margin \($0))" } ?? "")
        ]
        for difference in differences {
            let summary = OfficialComparison.summary(
                difference.candidates, rejected: difference.rejected, totalCast: difference.totalCast)
            let relative = margin.map { $0 > 0 ? " — \(difference.size) of the margin \($0)" : "" } ?? ""
            lines.append(
                "  \(difference.station)  device \(difference.device): \(summary)\(relative)"
                    + (margin.map { difference.size >= $0 ? " (could change the winner)" : "" } ?? ""))
        }
        return lines
    }

    /// The same as JSON: {constituency, margin, stations, differences: [{station, device, differences,
    /// rejected, totalCast, size, official, events}]}, largest first.
    public var jsonValue: JSONValue {
        .object([
            "constituency": .string(seat), "margin": margin.map { .integer(Int64($0)) } ?? .null,
            "stations": .integer(Int64(stations)),
            "differences": .array(
                differences.map { difference in
                    .object([
                        "station": .string(difference.station), "device": .string(difference.device),
                        "differences": .object(
                            Dictionary(
                                uniqueKeysWithValues: difference.candidates.map { ($0.0, .integer(Int64($0.1))) })),
                        "rejected": .integer(Int64(difference.rejected)),
                        "totalCast": .integer(Int64(difference.totalCast)), "size": .integer(Int64(difference.size)),
                        "official": .string(difference.official),
                        "events": .array(difference.events.map { .string($0) }),
                    ])
                }),
        ])
    }
}
