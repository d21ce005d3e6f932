import FieldSyncModel

/// Reads the members of a stored state document, each a clear ``TallyStateError`` when missing or of
/// the wrong kind.
struct TallyStateReader {
    let document: JSONValue
    /// What the document is, for errors.
    let what: String

    init(_ document: JSONValue, what: String) {
        self.document = document
        self.what = what
    }

    private func member(_ name: String) throws(TallyStateError) -> JSONValue {
        guard let value = document[name] else { throw TallyStateError("\(what) has no \(name)") }
        return value
    }

    private func fail(_ name: String) -> TallyStateError { TallyStateError("\(what) has an unreadable \(name)") }

    /// Listing entries (``OfficialDifferences/Difference/jsonValue``) by station.
    func officialDifferences(_ name: String) throws(TallyStateError) -> [StationCode: [OfficialDifferences.Difference]]
    {
        var differences = [StationCode: [OfficialDifferences.Difference]]()
        for (key, value) in try object(name) {
            guard let station = StationCode(key), let entries = value.arrayValue, !entries.isEmpty else {
                throw fail(name)
            }
            differences[station] = entries.map(OfficialDifferences.Difference.init(listing:))
        }
        return differences
    }

    func integer(_ name: String) throws(TallyStateError) -> Int {
        guard let value = try member(name).integerValue else { throw fail(name) }
        return Int(value)
    }

    private func array(_ name: String) throws(TallyStateError) -> [JSONValue] {
        guard let value = try member(name).arrayValue else { throw fail(name) }
        return value
    }

    private func object(_ name: String) throws(TallyStateError) -> [String: JSONValue] {
        guard let value = try member(name).objectValue else { throw fail(name) }
        return value
    }

    func pair(_ name: String) throws(TallyStateError) -> (minimum: Int, maximum: Int) {
        let values = try array(name).compactMap(\.integerValue)
        guard values.count == 2 else { throw fail(name) }
        return (Int(values[0]), Int(values[1]))
    }

    func eventIDs(_ name: String) throws(TallyStateError) -> [EventID] {
        try array(name).map { value throws(TallyStateError) in
            guard let text = value.stringValue, let id = EventID(text) else { throw fail(name) }
            return id
        }
    }

    func stations(_ name: String) throws(TallyStateError) -> [StationCode] {
        try array(name).map { value throws(TallyStateError) in
            guard let text = value.stringValue, let code = StationCode(text) else { throw fail(name) }
            return code
        }
    }

    func votes(_ name: String) throws(TallyStateError) -> [CandidateID: Int] {
        var votes = [CandidateID: Int]()
        for (key, value) in try object(name) {
            guard let candidate = CandidateID(key), let count = value.integerValue else { throw fail(name) }
            votes[candidate] = Int(count)
        }
        return votes
    }

    func flagCounts(_ name: String) throws(TallyStateError) -> [FlagCode: Int] {
        var counts = [FlagCode: Int]()
        for (key, value) in try object(name) {
            guard let code = FlagCode(rawValue: key), let count = value.integerValue else { throw fail(name) }
            counts[code] = Int(count)
        }
        return counts
    }

    func hourlySteps(_ name: String) throws(TallyStateError) -> [Timestamp: HourlyTurnout.Step] {
        var steps = [Timestamp: HourlyTurnout.Step]()
        for value in try array(name) {
            let numbers = value.arrayValue?.compactMap(\.integerValue) ?? []
            guard numbers.count == 5 else { throw fail(name) }
            steps[Timestamp(microseconds: numbers[0])] = HourlyTurnout.Step(
                points: Int(numbers[1]), votesCast: Int(numbers[2]), stations: Int(numbers[3]),
                registeredVoters: Int(numbers[4]))
        }
        return steps
    }

    func stationCounts(_ name: String) throws(TallyStateError) -> StationCounts {
        let counts = TallyStateReader(try member(name), what: "\(what)'s \(name)")
        var result = StationCounts()
        result.total = try counts.integer("total")
        result.reported = try counts.integer("reported")
        result.confirmed = try counts.integer("confirmed")
        result.verified = try counts.integer("verified")
        result.disputed = try counts.integer("disputed")
        result.unreported = try counts.integer("unreported")
        result.held = try counts.integer("held")
        return result
    }
}
