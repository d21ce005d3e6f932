import FieldSyncModel

/// The commission's Form-45 file for a simulated day (`fieldsync simulate --official-differences N
/// --official-file FILE`): the figures the field counted, in the import layout of PROTOCOL.md §9.1
/// (`station,constituency,candidate,votes`), with exactly `count` of them altered on purpose, so that an
/// import of the file makes known differences. Deterministic for a seed. Pure: seat answers in, CSV out.
///
/// A station and seat is in the file when its result counts (reported, confirmed or verified) and every
/// field report of it has the counted figures; disputed results are left out, so each alteration differs
/// from the field in that one candidate and nowhere else. Alterations go first to results with a single
/// field report (one listed difference each), then to results with more (one per report). They take
/// turns: a few votes (1 to 9), then more than the seat's margin (margin + 1 to margin + 20; 25 to 44 for a
/// seat without a margin), added to the official figure when the station's registered voters allow it,
/// else taken from the candidate with the most votes; a result where neither is possible is passed over.
public struct SimulatedOfficialFile: Sendable {
    /// One deliberate difference: `candidate` at `station` for `seat`, official against field.
    public struct Alteration: Sendable, Hashable {
        public var station: String
        public var seat: String
        public var candidate: String
        public var official: Int
        public var field: Int
        /// The devices whose field reports now differ (each makes one listed difference).
        public var devices: [String]
        /// The seat's margin in the field's count; nil without one.
        public var margin: Int?

        /// Field minus official, as the comparison writes it.
        public var difference: Int { field - official }
    }

    /// The file's text: RFC 4180, a header row, CRLF line ends.
    public let csv: String
    /// How many station and seat results the file holds.
    public let results: Int
    /// The alterations, in the file's order (seat, then station).
    public let alterations: [Alteration]

    /// The file for `answers` (`GET /v1/tallies/{seat}` of each simulated seat), `count` results altered
    /// (fewer only when fewer results count).
    public init(answers: [JSONValue], count: Int, seed: UInt64) {
        var eligible = [Eligible]()
        for answer in answers {
            guard let seat = answer["constituency"]?["constituency"]?.stringValue else { continue }
            let margin = answer["constituency"]?["lead"]?["margin"]?.integerValue.map(Int.init)
            let stations = (answer["stations"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
            for (code, station) in stations {
                let result = station["results"]?.arrayValue?.first { $0["constituency"]?.stringValue == seat }
                if let result, let found = Eligible(station: code, seat: seat, margin: margin, result: result) {
                    var found = found
                    found.registered = station["registeredVoters"]?.integerValue.map(Int.init)
                    eligible.append(found)
                }
            }
        }
        eligible.sort { ($0.seat, $0.station) < ($1.seat, $1.station) }

        var random = SplitMix64(seed: seed ^ 0x0FF1_C1A1_F0A5_0045)
        let indices = eligible.indices
        let order =
            indices.filter { eligible[$0].devices.count == 1 }.shuffled(using: &random)
            + indices.filter { eligible[$0].devices.count > 1 }.shuffled(using: &random)
        var altered = 0
        for index in order where altered < count {
            let large = altered % 2 == 1
            let margin = eligible[index].margin
            let size =
                large
                ? (margin.map { $0 + 1 } ?? 25) + random.next(below: 20)
                : 1 + random.next(below: 9)
            if eligible[index].alter(by: size, random: &random) { altered += 1 }
        }

        var table = CSVWriter(header: ["station", "constituency", "candidate", "votes"])
        for result in eligible {
            for (candidate, votes) in result.official.sorted(by: { $0.key < $1.key }) {
                table.append([result.station, result.seat, candidate, String(votes)])
            }
            table.append([result.station, result.seat, "rejected", String(result.rejected)])
            table.append([result.station, result.seat, "total", String(result.totalCast)])
        }
        csv = table.text
        results = eligible.count
        alterations = eligible.compactMap(\.alteration)
    }

    /// The lines `fieldsync simulate` prints about the file.
    public func lines(file: String) -> [String] {
        var lines = [
            "Wrote the official Form-45s of \(results) station result\(results == 1 ? "" : "s") to \(file), "
                + "\(alterations.count) altered on purpose (field minus official):"
        ]
        for alteration in alterations {
            let signed = alteration.difference > 0 ? "+\(alteration.difference)" : "\(alteration.difference)"
            lines.append(
                "  \(alteration.station)  \(alteration.seat)  \(alteration.candidate) \(signed): official "
                    + "\(alteration.official), field \(alteration.field)"
                    + (alteration.margin.map { "; the seat's margin \($0)" } ?? "; the seat has no margin")
                    + "; device\(alteration.devices.count == 1 ? "" : "s") "
                    + alteration.devices.joined(separator: ", "))
        }
        return lines
    }

    /// A counted result whose field reports agree, and the official figures made of it.
    private struct Eligible {
        let station: String
        let seat: String
        let margin: Int?
        let devices: [String]
        var registered: Int?
        var official: [String: Int]
        var rejected: Int
        var totalCast: Int
        var alteration: Alteration?

        init?(station: String, seat: String, margin: Int?, result: JSONValue) {
            // A result counts only when its reports agree (one report, confirmed, or verified on those): its
            // counted figures are every report's.
            guard let counted = result["counted"], let votes = counted["votes"]?.objectValue,
                let rejected = counted["rejected"]?.integerValue, let totalCast = counted["totalCast"]?.integerValue,
                let reports = result["reports"]?.arrayValue, !reports.isEmpty
            else { return nil }
            self.station = station
            self.seat = seat
            self.margin = margin
            devices = reports.compactMap { $0["device"]?.stringValue }
            official = votes.mapValues { Int($0.integerValue ?? 0) }
            self.rejected = Int(rejected)
            self.totalCast = Int(totalCast)
        }

        /// Changes one candidate's official votes by `size`: added to a candidate drawn at random when the
        /// registered voters allow, else taken from the candidate with the most votes. False when neither is
        /// possible.
        mutating func alter(by size: Int, random: inout SplitMix64) -> Bool {
            let candidates = official.keys.sorted()
            guard !candidates.isEmpty else { return false }
            var candidate = candidates[random.next(below: candidates.count)]
            var change = size
            if totalCast + size > (registered ?? Int.max) {
                guard let most = candidates.max(by: { (official[$0]!, $1) < (official[$1]!, $0) }),
                    official[most]! >= size
                else { return false }
                candidate = most
                change = -size
            }
            let field = official[candidate]!
            official[candidate] = field + change
            totalCast += change
            alteration = Alteration(
                station: station, seat: seat, candidate: candidate, official: field + change, field: field,
                devices: devices, margin: margin)
            return true
        }
    }
}
