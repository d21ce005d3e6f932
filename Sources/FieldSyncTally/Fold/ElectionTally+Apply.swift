import FieldSyncModel

extension ElectionTally {
    /// Applies a batch of stored events (normally the next ones in position order) and says which
    /// tallies changed. An event already applied (same id) is skipped.
    ///
    /// The work is proportional to what the batch touched: the stations it is about, the seats
    /// those stations vote in, their districts and the city.
    @discardableResult
    public mutating func apply(_ events: [StoredEvent]) -> TallyChanges {
        var dirty = Touched()
        for stored in events { ingest(stored, into: &dirty) }
        return refresh(dirty)
    }

    /// Applies one stored event.
    @discardableResult
    public mutating func apply(_ event: StoredEvent) -> TallyChanges {
        apply([event])
    }

    /// What a batch touched, to be re-derived.
    struct Touched: Sendable {
        var stations = Set<StationCode>()
        var constituencies = Set<ConstituencyCode>()
        var districts = Set<String>()
        /// Whether the city's roll-up is touched, whatever its seats: it names the election.
        var city = false
        /// The keys of station summaries whose station a new definition moved out of their seat.
        var summariesRemoved = Set<String>()
        /// Whether a definition was taken: what a seat adds to a roll-up, whether it counts there and its
        /// district may have changed (a candidate's party, a seat's definition, the seats postponed).
        /// Devices, reviews and official results change seats' tallies only, which the roll-ups follow.
        var reference = false
    }

    /// Records one event's facts, and what they touch.
    mutating func ingest(_ stored: StoredEvent, into touched: inout Touched) {
        let event = stored.event
        guard index[event.id] == nil else { return }
        let station = event.station
        let location = EventLocation(
            position: stored.position, device: event.device, seq: event.seq, type: event.type, station: station)
        index[event.id] = location
        lastPosition = max(lastPosition, stored.position)
        // A correction that named this id before it arrived is judged again.
        if let waiting = correctionsByTarget[event.id] {
            for correction in waiting {
                guard let station = index[correction]?.station else { continue }
                facts[station, default: StationFacts()].targets[event.id] = location
                touched.stations.insert(station)
            }
        }
        if event.type.isReference {
            ingestReference(event, into: &touched)
            return
        }
        guard let station else { return }
        stationsByDevice[event.device, default: []].insert(station)
        facts[station, default: StationFacts()].record(event)
        if case .reportCorrected(let correction) = event.payload {
            if let target = index[correction.corrects] {
                facts[station, default: StationFacts()].targets[correction.corrects] = target
            }
            correctionsByTarget[correction.corrects, default: []].append(event.id)
        }
        touched.stations.insert(station)
    }

    mutating func ingestReference(_ event: Event, into touched: inout Touched) {
        switch event.type {
        case .deviceEnrolled, .deviceRevoked, .deviceAssigned, .reportReviewed, .officialPublished: break
        default: touched.reference = true
        }
        if let station = StationFacts.station(of: event) {
            facts[station, default: StationFacts()].record(event)
            touched.stations.insert(station)
        }
        switch event.payload {
        case .electionDefined(let election):
            // The calendar says how late each station opened; the postponed seats which roll-ups leave out,
            // and whose documents say so; the city's roll-up names it.
            touched.city = true
            touched.stations.formUnion(facts.keys)
            touched.districts.formUnion(seatsByDistrict.keys)
            let postponed = election.postponed.symmetricDifference(reference.election?.postponed ?? [])
            touched.constituencies.formUnion(postponed.filter { constituencyTallies[$0] != nil })
        case .stationDefined(let station):
            if let old = reference.stations[station.code] {
                touched.constituencies.formUnion(old.constituencies)
                for seat in old.constituencies where !station.constituencies.contains(seat) {
                    touched.summariesRemoved.insert(StationSummary.key(seat: seat, station: station.code))
                }
            }
            touched.stations.insert(station.code)
            touched.constituencies.formUnion(station.constituencies)
        case .constituencyDefined(let constituency):
            if let old = reference.constituencies[constituency.code] {
                seatsByDistrict[old.district]?.remove(old.code)
                if seatsByDistrict[old.district]?.isEmpty == true { seatsByDistrict[old.district] = nil }
                touched.districts.insert(old.district)
            }
            seatsByDistrict[constituency.district, default: []].insert(constituency.code)
            touched.districts.insert(constituency.district)
            touched.constituencies.insert(constituency.code)
        case .candidateDefined(let candidate):
            if let old = reference.candidates[candidate.id] { touched.constituencies.insert(old.constituency) }
            touched.constituencies.insert(candidate.constituency)
        case .deviceAssigned(let assignment):
            touched.stations.formUnion(stationsByDevice[assignment.device] ?? [])
        case .officialPublished(let official) where official.station == nil:
            seatOfficial[official.constituency, default: [:]][event.id] = OfficialRecord(
                id: event.id, seq: event.seq, result: official)
            // A seat without a document gets none; its definition, when it comes, derives it with these.
            if constituencyTallies[official.constituency] != nil {
                touched.constituencies.insert(official.constituency)
            }
        default:
            break
        }
        reference.apply(event)
    }

    /// The city's comparison with the official Form-45s, from every seat's sums and margin.
    func deriveOfficialComparison() -> OfficialDifferences {
        var stations = 0
        var differences = [OfficialDifferences.Difference]()
        var margins = [String: Int]()
        for (code, aggregate) in aggregates {
            stations += aggregate.officialStations
            guard !aggregate.officialDifferences.isEmpty else { continue }
            for entries in aggregate.officialDifferences.values { differences += entries }
            if let margin = constituencyTallies[code]?.lead?.margin { margins[code.rawValue] = margin }
        }
        return OfficialDifferences(stations: stations, differences: differences, margins: margins)
    }

    /// One station's tally from its facts, and what it adds to each of its seats.
    func derive(_ code: StationCode) -> (StationTally, [ConstituencyCode: ContestContribution]) {
        let definition = reference.stations[code]
        let tally = StationDerivation(
            code: code, facts: facts[code] ?? StationFacts(), station: definition,
            calendar: reference.election?.calendar, coverage: reference.coverage
        ).tally()
        var contributed = [ConstituencyCode: ContestContribution]()
        if let definition {
            for seat in definition.constituencies {
                contributed[seat] = ContestContribution(station: definition, tally: tally, constituency: seat)
            }
        }
        return (tally, contributed)
    }

    /// Re-derives what was touched: stations, then the seats whose contributions changed, then the
    /// districts and the city.
    mutating func refresh(_ touched: Touched) -> TallyChanges {
        refresh(touched, derived: [:])
    }

    /// ``refresh(_:)`` with the stations derived on every core first: stations are independent until
    /// their seats' sums, so each child task derives a share of them from the same facts, and the
    /// derivations are then added to the seats' sums one by one, as ``refresh(_:)`` adds them.
    mutating func refreshOnEveryCore(_ touched: Touched) async -> TallyChanges {
        let derived = await Self.derivations(of: Array(touched.stations), in: self)
        return refresh(touched, derived: derived)
    }

    /// The derivations of `codes` in `fold`, shared among child tasks.
    private static func derivations(
        of codes: [StationCode], in fold: ElectionTally
    ) async -> [StationCode: (StationTally, [ConstituencyCode: ContestContribution])] {
        let derived = await codes.concurrentMap(minimumChunk: stationsPerTask) { fold.derive($0) }
        return Dictionary(uniqueKeysWithValues: zip(codes, derived))
    }

    /// The fewest stations a child task derives: fewer are derived by the calling task alone.
    static let stationsPerTask = 16

    /// ``refresh(_:)``, taking each station's derivation from `derived` when it is there.
    private mutating func refresh(
        _ touched: Touched, derived: [StationCode: (StationTally, [ConstituencyCode: ContestContribution])]
    ) -> TallyChanges {
        var changes = TallyChanges()
        changes.summariesRemoved = touched.summariesRemoved.sorted()
        var seats = touched.constituencies
        for code in touched.stations {
            let (tally, contributed) = derived[code] ?? derive(code)
            if stationTallies[code] != tally {
                stationTallies[code] = tally
                changes.stations.append(code)
            }
            let previous = contributions[code] ?? [:]
            guard previous != contributed else { continue }
            for (seat, contribution) in previous where contributed[seat] != contribution {
                aggregates[seat, default: ConstituencyAggregate()].remove(contribution, of: code)
                seats.insert(seat)
            }
            for (seat, contribution) in contributed where previous[seat] != contribution {
                aggregates[seat, default: ConstituencyAggregate()].add(contribution, of: code)
                seats.insert(seat)
            }
            contributions[code] = contributed.isEmpty ? nil : contributed
        }

        if isPartial { changedSums.formUnion(seats) }
        var districts = touched.districts
        // The seats' tallies as they were, to take out of the city's sums.
        var replaced = [ConstituencyCode: ConstituencyTally]()
        for code in seats {
            let tally = ConstituencyDerivation(
                code: code, aggregate: aggregates[code] ?? ConstituencyAggregate(), reference: reference,
                official: Array((seatOfficial[code] ?? [:]).values)
            ).tally()
            guard constituencyTallies[code] != tally else { continue }
            replaced[code] = constituencyTallies.updateValue(tally, forKey: code)
            changes.constituencies.append(code)
            if let district = tally.constituency?.district { districts.insert(district) }
        }

        if touched.reference || touched.city {
            citySums = nil
            districtSums = [:]
        }
        for name in districts {
            let tally = rollUp(district: name, changed: changes.constituencies, replaced: replaced)
            guard districtTallies[name] != tally else { continue }
            districtTallies[name] = tally
            changes.districts.append(name)
        }
        if !seats.isEmpty {
            let official = CanonicalJSON.bytes(deriveOfficialComparison().jsonValue)
            if official != officialComparisonBytes {
                officialComparisonBytes = official
                changes.official = true
            }
        }
        if !changes.constituencies.isEmpty || !touched.districts.isEmpty || touched.city,
            let city = rollUp(district: nil, changed: changes.constituencies, replaced: replaced)
        {
            if city != cityTally {
                cityTally = city
                changes.city = true
            }
        }
        changes.stations.sort()
        changes.constituencies.sort()
        changes.districts.sort()
        return changes
    }
}
