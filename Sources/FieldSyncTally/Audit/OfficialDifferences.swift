import FieldSyncModel

/// The commission's Form-45s against the field's reports, read from station documents or their summaries
/// (PROTOCOL.md §13, `official`) and the margins of their seats' documents: every field report that differs,
/// most decisive first. Pure: JSON in, lines or JSON out. `fieldsync tally [SEAT] --official`,
/// `GET /v1/official` and the dashboard's `#/official` show it.
///
/// The **size** of a difference is the largest of its candidates' absolute differences (field minus
/// official). Differences are ordered by their size relative to their seat's margin (size ÷ margin,
/// compared exactly): those of a seat without a margin (no leader yet, or a tie) come first, then the
/// largest share of the margin; then the larger size; then by seat, station and device.
public struct OfficialDifferences: Sendable {
    /// One field report that differs from the official Form-45 of its station and seat.
    public struct Difference: Sendable, Equatable {
        public var seat: String
        public var station: String
        public var device: String
        /// Field minus official, per candidate that differs, in candidate order.
        public var candidates: [(String, Int)]
        /// The official votes of each candidate that differs.
        public var officialVotes: [String: Int]
        public var rejected: Int
        public var totalCast: Int
        /// The official import that stands, and the SHA-256 of the file it came from.
        public var official: String
        public var fileSha256: String?
        /// The report's events, and its photo of the signed Form-45 (its SHA-256) when it has one.
        public var events: [String]
        public var photo: String?
        /// The seat's margin between leader and runner-up of the field's counted votes; nil without one.
        public var margin: Int?

        /// The largest absolute difference of a candidate's votes.
        public var size: Int { candidates.map { abs($0.1) }.max() ?? 0 }

        /// The size as a share of the margin, in basis points (rounded down); nil without a margin.
        public var marginBasisPoints: Int? {
            guard let margin, margin > 0 else { return nil }
            return size * 10_000 / margin
        }

        /// Whether the difference is at least the margin, or the seat has none: it could decide the seat.
        public var couldChangeWinner: Bool { size >= (margin ?? 0) && size > 0 }

        public static func == (a: Difference, b: Difference) -> Bool {
            a.seat == b.seat && a.station == b.station && a.device == b.device
                && a.candidates.elementsEqual(b.candidates) { $0 == $1 } && a.officialVotes == b.officialVotes
                && a.rejected == b.rejected && a.totalCast == b.totalCast && a.official == b.official
                && a.fileSha256 == b.fileSha256 && a.events == b.events && a.photo == b.photo && a.margin == b.margin
        }

        /// One entry of the listing's `differences`, as ``OfficialDifferences/jsonValue`` writes it.
        public var jsonValue: JSONValue {
            func integers(_ values: [(String, Int)]) -> JSONValue {
                .object(Dictionary(uniqueKeysWithValues: values.map { ($0.0, .integer(Int64($0.1))) }))
            }
            func optional(_ value: Int?) -> JSONValue { value.map { .integer(Int64($0)) } ?? .null }
            return .object([
                "constituency": .string(seat), "station": .string(station), "device": .string(device),
                "differences": integers(candidates),
                "officialVotes": integers(officialVotes.map { ($0.key, $0.value) }),
                "rejected": .integer(Int64(rejected)), "totalCast": .integer(Int64(totalCast)),
                "size": .integer(Int64(size)), "margin": optional(margin),
                "marginBasisPoints": optional(marginBasisPoints),
                "couldChangeWinner": .bool(couldChangeWinner), "official": .string(official),
                "fileSha256": fileSha256.map { .string($0) } ?? .null, "events": .array(events.map { .string($0) }),
                "photo": photo.map { .string($0) } ?? .null,
            ])
        }

        /// An entry as ``jsonValue`` wrote it.
        public init(listing difference: JSONValue) {
            func integers(_ value: JSONValue?) -> [(String, Int)] {
                (value?.objectValue ?? [:]).map { ($0.key, Int($0.value.integerValue ?? 0)) }.sorted { $0.0 < $1.0 }
            }
            self.init(
                seat: difference["constituency"]?.stringValue ?? "?",
                station: difference["station"]?.stringValue ?? "?",
                device: difference["device"]?.stringValue ?? "?", candidates: integers(difference["differences"]),
                officialVotes: Dictionary(uniqueKeysWithValues: integers(difference["officialVotes"])),
                rejected: Int(difference["rejected"]?.integerValue ?? 0),
                totalCast: Int(difference["totalCast"]?.integerValue ?? 0),
                official: difference["official"]?.stringValue ?? "?", fileSha256: difference["fileSha256"]?.stringValue,
                events: (difference["events"]?.arrayValue ?? []).compactMap(\.stringValue),
                photo: difference["photo"]?.stringValue, margin: difference["margin"]?.integerValue.map(Int.init))
        }

        init(
            seat: String, station: String, device: String, candidates: [(String, Int)], officialVotes: [String: Int],
            rejected: Int, totalCast: Int, official: String, fileSha256: String?, events: [String], photo: String?,
            margin: Int?
        ) {
            self.seat = seat
            self.station = station
            self.device = device
            self.candidates = candidates
            self.officialVotes = officialVotes
            self.rejected = rejected
            self.totalCast = totalCast
            self.official = official
            self.fileSha256 = fileSha256
            self.events = events
            self.photo = photo
            self.margin = margin
        }

        /// Whether `self` comes before `other` in the listing (the order of ``OfficialDifferences``).
        func precedes(_ other: Difference) -> Bool {
            let mine = margin.flatMap { $0 > 0 ? $0 : nil }
            let theirs = other.margin.flatMap { $0 > 0 ? $0 : nil }
            switch (mine, theirs) {
            case (nil, _?): return true
            case (_?, nil): return false
            case (let a?, let b?) where size * b != other.size * a: return size * b > other.size * a
            default: break
            }
            if size != other.size { return size > other.size }
            return (seat, station, device) < (other.seat, other.station, other.device)
        }
    }

    /// The seat listed, or nil for the whole city.
    public var seat: String?
    /// The seat's margin (for one seat); nil for the city or a seat without one.
    public var margin: Int?
    /// How many station and seat results have an official Form-45.
    public var stations: Int
    /// Most decisive first (see the type).
    public var differences: [Difference]

    /// The differences in `stations` (station documents or their summaries), of `seat` only when given,
    /// against the margins of `seats` (seat documents).
    public init(stations documents: [JSONValue], seats: [JSONValue], only seat: String? = nil) {
        var margins = [String: Int]()
        for document in seats {
            if let code = document["constituency"]?.stringValue, let margin = document["lead"]?["margin"]?.integerValue
            {
                margins[code] = Int(margin)
            }
        }
        self.seat = seat
        margin = seat.flatMap { margins[$0] }
        var stations = 0
        var differences = [Difference]()
        for station in documents {
            let code = station["station"]?.stringValue ?? "?"
            for official in station["official"]?.arrayValue ?? [] {
                guard let constituency = official["constituency"]?.stringValue, seat == nil || constituency == seat
                else { continue }
                stations += 1
                let photos = Self.photos(of: station, seat: constituency)
                let votes = (official["votes"]?.objectValue ?? [:]).mapValues { Int($0.integerValue ?? 0) }
                for report in official["reports"]?.arrayValue ?? [] where report["equal"]?.boolValue == false {
                    let device = report["device"]?.stringValue ?? "?"
                    let candidates = (report["differences"]?.objectValue ?? [:])
                        .map { ($0.key, Int($0.value.integerValue ?? 0)) }
                        .sorted { $0.0 < $1.0 }
                    differences.append(
                        Difference(
                            seat: constituency, station: code, device: device, candidates: candidates,
                            officialVotes: votes.filter { candidate, _ in candidates.contains { $0.0 == candidate } },
                            rejected: Int(report["rejected"]?.integerValue ?? 0),
                            totalCast: Int(report["totalCast"]?.integerValue ?? 0),
                            official: official["event"]?.stringValue ?? "?",
                            fileSha256: official["fileSha256"]?.stringValue,
                            events: (report["events"]?.arrayValue ?? []).compactMap(\.stringValue),
                            photo: photos[device] ?? nil, margin: margins[constituency]))
                }
            }
        }
        self.stations = stations
        self.differences = differences.sorted { $0.precedes($1) }
    }

    /// The differences of one seat in `answer`, the API's answer for it (`GET /v1/tallies/{seat}`).
    public init(_ answer: JSONValue) {
        let seat = answer["constituency"]
        self.init(
            stations: Array((answer["stations"]?.objectValue ?? [:]).values), seats: seat.map { [$0] } ?? [],
            only: seat?["constituency"]?.stringValue ?? "?")
    }

    /// The differences as ``jsonValue`` wrote them (the answer of `GET /v1/official`), in their order.
    public init(listing answer: JSONValue) {
        seat = answer["constituency"]?.stringValue
        margin = answer["margin"]?.integerValue.map(Int.init)
        stations = Int(answer["stations"]?.integerValue ?? 0)
        differences = (answer["differences"]?.arrayValue ?? []).map(Difference.init(listing:))
    }

    /// The city's listing from its parts: `stations` official Form-45 results, the `differences` of every
    /// seat (in any order, their margins not yet set), and each seat's margin.
    init(stations: Int, differences: some Sequence<Difference>, margins: [String: Int]) {
        seat = nil
        margin = nil
        self.stations = stations
        self.differences = differences.map { difference in
            var difference = difference
            difference.margin = margins[difference.seat]
            return difference
        }.sorted { $0.precedes($1) }
    }

    /// Each field report's photo (or nil) of `seat` at `station`, by device.
    private static func photos(of station: JSONValue, seat: String) -> [String: String?] {
        let result = station["results"]?.arrayValue?.first { $0["constituency"]?.stringValue == seat }
        var photos = [String: String?]()
        for report in result?["reports"]?.arrayValue ?? [] {
            if let device = report["device"]?.stringValue { photos[device] = report["photo"]?.stringValue }
        }
        return photos
    }

    /// The lines `fieldsync tally [SEAT] --official` prints: a heading, then per difference a line and the
    /// line of its evidence.
    public var lines: [String] {
        let plural = differences.count == 1 ? "" : "s"
        var lines = [
            "\(seat ?? "Every seat"): official Form-45s at \(stations) station\(stations == 1 ? "" : "s"); "
                + "\(differences.count) field report\(plural) differ\(differences.count == 1 ? "s" : "")"
                + (seat == nil ? ", the most decisive first" : "") + (margin.map { " (field margin \($0))" } ?? "")
        ]
        for difference in differences {
            let summary = OfficialComparison.summary(
                difference.candidates, rejected: difference.rejected, totalCast: difference.totalCast)
            let relative =
                switch difference.margin {
                case let margin? where margin > 0: " — \(difference.size) of the margin \(margin)"
                default: " — the seat has no margin"
                }
            lines.append(
                "  \(difference.station)  device \(difference.device)  \(difference.seat): \(summary)\(relative)"
                    + (difference.couldChangeWinner ? " (could change the winner)" : ""))
            lines.append(
                "      evidence: official \(difference.official)"
                    + (difference.fileSha256.map { " (file SHA-256 \($0))" } ?? "")
                    + "; report \(difference.events.joined(separator: " "))"
                    + (difference.photo.map { "; photo \($0)" } ?? ""))
        }
        return lines
    }

    /// The same as JSON: {constituency (null for the city), margin, stations, differences: [{constituency,
    /// station, device, differences, official votes of those candidates (`officialVotes`), rejected,
    /// totalCast, size, margin, marginBasisPoints, couldChangeWinner, official, fileSha256, events, photo}]},
    /// in the listing's order.
    public var jsonValue: JSONValue {
        .object([
            "constituency": seat.map { .string($0) } ?? .null, "margin": margin.map { .integer(Int64($0)) } ?? .null,
            "stations": .integer(Int64(stations)), "differences": .array(differences.map(\.jsonValue)),
        ])
    }
}
