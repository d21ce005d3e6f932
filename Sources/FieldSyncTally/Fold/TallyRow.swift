import FieldSyncModel

/// One tally as a document, ready to be written as a row (a jsonb column, say).
public struct TallyRow: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case station
        /// A station's ``StationSummary`` for one of its seats, keyed by the seat's and the station's code
        /// (``StationSummary/key(seat:station:)``): what that seat's answer carries of the station.
        case stationSummary = "station-summary"
        case constituency
        case district
        case city
        /// The city's field reports against the official Form-45s (``ElectionTally/officialComparison``).
        case official
    }

    public let kind: Kind
    /// The station code, seat code or district name; `city` for the city; for a station's summary, its seat's
    /// code and the station's (``StationSummary/key(seat:station:)``).
    public let key: String
    /// The document in canonical form (RFC 8785); nil when the row no longer exists (a district
    /// left with no seat).
    public let canonicalBytes: [UInt8]?
    /// For a station's document, ``StationTally/needsReview``; false for every other row.
    public let needsReview: Bool

    public init(kind: Kind, key: String, canonicalBytes: [UInt8]?, needsReview: Bool = false) {
        self.kind = kind
        self.key = key
        self.canonicalBytes = canonicalBytes
        self.needsReview = needsReview
    }

    /// The document as a JSON value (``canonicalBytes`` parsed); nil when the row no longer exists.
    public var document: JSONValue? { canonicalBytes.map { try! JSONParser.parse($0) } }
}

extension ElectionTally {
    /// The rows a batch changed, to be written: each station and its summaries, seats, districts, the city,
    /// then the city's official comparison.
    public func rows(for changes: TallyChanges) -> [TallyRow] {
        var rows = [TallyRow]()
        rows.reserveCapacity(3 * changes.stations.count + changes.constituencies.count + changes.districts.count + 2)
        for code in changes.stations { rows += stationRows(code) }
        rows += removedSummaryRows(changes)
        for code in changes.constituencies {
            rows.append(
                TallyRow(
                    kind: .constituency, key: code.rawValue, canonicalBytes: constituencyTallies[code]?.canonicalBytes))
        }
        for name in changes.districts {
            rows.append(TallyRow(kind: .district, key: name, canonicalBytes: districtTallies[name]?.canonicalBytes))
        }
        if changes.city { rows.append(TallyRow(kind: .city, key: "city", canonicalBytes: cityTally.canonicalBytes)) }
        if changes.official {
            rows.append(
                TallyRow(
                    kind: .official, key: "city",
                    canonicalBytes: officialComparisonBytes.isEmpty ? nil : officialComparisonBytes))
        }
        return rows
    }

    /// ``rows(for:)``, with the stations' documents rendered on every core: the same rows, in the same order.
    public func rowsOnEveryCore(for changes: TallyChanges) async -> [TallyRow] {
        var rows = await changes.stations.concurrentMap(minimumChunk: Self.stationsPerTask) { code in
            self.stationRows(code)
        }.flatMap { $0 }
        var rest = changes
        rest.stations = []
        rows += self.rows(for: rest)
        return rows
    }

    /// The seats whose answers carry a summary of the station: those its definition names (NA, then
    /// provincial); none for a station not defined, which no seat's answer lists.
    public func summarySeats(of code: StationCode) -> [ConstituencyCode] {
        reference.stations[code]?.constituencies ?? []
    }

    /// A station's document, then its summary for each of its ``summarySeats(of:)``.
    func stationRows(_ code: StationCode) -> [TallyRow] {
        let station = stationTallies[code]
        var rows = [
            TallyRow(
                kind: .station, key: code.rawValue, canonicalBytes: station?.canonicalBytes,
                needsReview: station?.needsReview ?? false)
        ]
        for seat in summarySeats(of: code) {
            rows.append(
                TallyRow(
                    kind: .stationSummary, key: StationSummary.key(seat: seat, station: code),
                    canonicalBytes: station.map { StationSummary($0, seat: seat).canonicalBytes }))
        }
        return rows
    }

    /// The rows of the summaries ``TallyChanges/summariesRemoved`` names, as removed: those of stations a new
    /// definition moved out of a seat, and not back into it.
    func removedSummaryRows(_ changes: TallyChanges) -> [TallyRow] {
        changes.summariesRemoved.compactMap { key in
            guard let station = StationSummary.station(ofKey: key).flatMap({ StationCode(String($0)) }) else {
                return nil
            }
            let kept = summarySeats(of: station).map { StationSummary.key(seat: $0, station: station) }
            return kept.contains(key) ? nil : TallyRow(kind: .stationSummary, key: key, canonicalBytes: nil)
        }
    }

    /// Every tally there is, as if everything had changed.
    public var allChanges: TallyChanges {
        var changes = TallyChanges()
        changes.stations = stationCodes
        changes.constituencies = constituencyCodes
        changes.districts = districtNames
        changes.city = true
        changes.official = true
        return changes
    }

    /// Every tally in one canonical document: `city`, `districts`, `constituencies` and `stations`,
    /// the last three keyed by name or code. The same bytes for the same set of events.
    public var canonicalBytes: [UInt8] {
        CanonicalWriter.document(capacity: 1 << 20) { w in
            w.object { w in
                w.member("city", cityTally)
                w.member("constituencies") { w in
                    w.object { w in
                        let codes = constituencyTallies.keys.map(\.rawValue).sorted(
                            by: CanonicalJSON.precedesInUTF16Order)
                        for code in codes {
                            w.name(code)
                            constituencyTallies[ConstituencyCode(code)!]!.write(to: &w)
                        }
                    }
                }
                w.member("districts") { w in
                    w.object { w in
                        for name in districtTallies.keys.sorted(by: CanonicalJSON.precedesInUTF16Order) {
                            w.name(name)
                            districtTallies[name]!.write(to: &w)
                        }
                    }
                }
                w.member("stations") { w in
                    w.object { w in
                        let codes = stationTallies.keys.map(\.rawValue).sorted(by: CanonicalJSON.precedesInUTF16Order)
                        for code in codes {
                            w.name(code)
                            stationTallies[StationCode(code)!]!.write(to: &w)
                        }
                    }
                }
            }
        }
    }

    /// ``canonicalBytes``, parsed.
    public var jsonValue: JSONValue { try! JSONParser.parse(canonicalBytes) }
}
