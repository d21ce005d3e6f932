import FieldSyncModel

/// A partial fold: the projector's, whose memory does not grow with the log.
///
/// It holds the reference data, the seats' sums and roll-ups, and only the stations a store loaded
/// for it; each batch goes through the same ingestion and derivation as a whole fold, in four steps:
///
/// 1. ``stateRequest(for:)`` says what the batch touches and what it asks of the log;
/// 2. the store answers from its tables (``StationStates``) and ``load(_:)`` takes the stations it
///    lacks, deriving each as it stands (exactly what the sums already hold of it);
/// 3. ``applyLoaded(_:)``: ``apply(_:)``, checked first that every station the batch touches was loaded;
/// 4. the store writes the tally rows and ``takeChangedSums()`` with its checkpoint, then
///    ``endBatch()`` forgets the batch's answers and ``evict(_:)`` lets stations go.
///
/// Nothing else differs: the derivations are the whole fold's, so the tallies are the same bytes.
extension ElectionTally {
    /// A partial fold resuming at `position`: the reference data folded from `referenceEvents` (those
    /// up to `position`), and each seat's sums as ``takeChangedSums()`` gave them. No station is held.
    public init(
        resumingAt position: Int64, referenceEvents: some Sequence<StoredEvent>,
        sums: some Sequence<(ConstituencyCode, [UInt8])>
    ) throws(TallyStateError) {
        var resumption = Resumption(at: position)
        resumption.take(referenceEvents)
        self = try resumption.finish(sums: sums)
    }

    /// A partial fold resumed a page of reference events at a time, then given the seats' sums
    /// (``finish(sums:)``) or started with no station held (``finishWithoutStations()``): what
    /// ``init(resumingAt:referenceEvents:sums:)`` and ``init(stationlessAt:referenceEvents:)`` do, without
    /// the whole log's reference events in memory at once (a national election's are about 100,000, most
    /// of them its stations).
    ///
    /// The reference events that are a station's facts (a review, a station's official Form-45) are left
    /// out: the seats' sums already hold what they add, and a fold station by station takes them with
    /// their station's share.
    public struct Resumption: Sendable {
        private var tally = ElectionTally()
        private var touched = Touched()
        /// The position the fold resumes at: reference events after it are left out.
        public let position: Int64

        public init(at position: Int64) {
            self.position = position
            tally.isPartial = true
        }

        /// The same reference events taken, resuming at `position` instead: what a fold of the same
        /// reference data resumes from elsewhere (time travel keeps one between requests). `position` must
        /// be at or after every reference event taken.
        package func moved(to position: Int64) -> Resumption {
            var moved = Resumption(at: position)
            moved.tally = tally
            moved.touched = touched
            return moved
        }

        /// Whether the reference events taken so far define a station.
        public var definesStations: Bool { !tally.reference.stations.isEmpty }

        /// Folds in the next reference events, in position order; any other event is left out.
        public mutating func take(_ referenceEvents: some Sequence<StoredEvent>) {
            for stored in referenceEvents
            where stored.position <= position && stored.event.type.isReference
                && StationFacts.station(of: stored.event) == nil
            {
                tally.ingestReference(stored.event, into: &touched)
            }
        }

        /// The fold, with each seat's sums as ``takeChangedSums()`` gave them.
        public consuming func finish(
            sums: some Sequence<(ConstituencyCode, [UInt8])>
        ) throws(TallyStateError) -> ElectionTally {
            tally.facts = [:]
            for (code, bytes) in sums {
                tally.aggregates[code] = try ConstituencyAggregate(canonicalBytes: bytes)
                touched.constituencies.insert(code)
            }
            touched.stations = []
            tally.lastPosition = position
            _ = tally.refresh(touched)
            tally.changedSums = []
            return tally
        }

        /// The fold holding no station (``init(stationlessAt:referenceEvents:)``): every defined station
        /// derived as it stands without facts, in its seats' sums, and let go.
        public consuming func finishWithoutStations() -> ElectionTally {
            _ = tally.refresh(touched)
            tally.makePartial()
            let stations = tally.held
            tally.evict(stations)
            tally.changedSums = []
            tally.lastPosition = position
            return tally
        }
    }

    /// A partial fold at `position` that holds no station: the reference data of `referenceEvents`,
    /// with every defined station as it stands without facts in its seats' sums. Where a fold of the log
    /// station by station starts (`TallyTimeTravel` in FieldSyncProjection): each share of stations is then
    /// loaded empty (``load(_:)``), given all of its facts as one batch (``applyLoaded(_:)``) and let
    /// go (``evict(_:)``), so the fold's memory is that of one share, whatever the length of the log.
    ///
    /// The reference events that are a station's facts (a review, a station's official Form-45) are
    /// left out here: they come with their station's share. `position` is the highest position the
    /// whole fold includes, which a store knows and a share's events may not reach.
    public init(stationlessAt position: Int64, referenceEvents: some Sequence<StoredEvent>) {
        var start = Resumption(at: position)
        start.take(referenceEvents)
        self = start.finishWithoutStations()
    }

    /// This fold holding no station (``init(stationlessAt:referenceEvents:)``) at another position: the
    /// same reference data, for a fold station by station of other events. `position` must be at or
    /// after every reference event it holds.
    package func stationless(at position: Int64) -> ElectionTally {
        var moved = self
        moved.lastPosition = position
        return moved
    }

    /// This fold, from now on partial: it forgets the index of every event and holds every station
    /// until evicted. What a projector keeps after folding the whole log (a rebuild).
    public mutating func makePartial() {
        isPartial = true
        index = [:]
        correctionsByTarget = [:]
        stationsByDevice = [:]
        held = Set(facts.keys).union(stationTallies.keys)
        changedSums = Set(aggregates.keys)
    }

    /// The stations held.
    public var heldStations: Set<StationCode> { held }

    /// How many events a held station keeps in memory as its facts (0 for a station not held): its
    /// memory grows with them, so a cache bounds their sum, not only the number of stations.
    public func factCount(of code: StationCode) -> Int { facts[code]?.count ?? 0 }

    /// How many events the held stations keep as their facts, in all: ``factCount(of:)`` summed.
    public var heldFactCount: Int { facts.values.reduce(0) { $0 + $1.count } }

    /// The station whose facts `event` is one of: an observation's, a review's, a station's official
    /// Form-45's; nil for other events.
    public static func station(of event: Event) -> StationCode? { StationFacts.station(of: event) }

    /// The ids named by the corrections among `events`.
    public static func correctionTargets(in events: [StoredEvent]) -> Set<EventID> {
        var targets = Set<EventID>()
        for stored in events {
            if case .reportCorrected(let correction) = stored.event.payload { targets.insert(correction.corrects) }
        }
        return targets
    }

    /// What `events` touch and ask of the log, for a store to answer before they are applied.
    public func stateRequest(for events: [StoredEvent]) -> StationStateRequest {
        var request = StationStateRequest()
        for stored in events {
            let event = stored.event
            request.eventIDs.append(event.id)
            if let station = StationFacts.station(of: event) { request.stations.insert(station) }
            switch event.payload {
            case .reportCorrected(let correction): request.correctionTargets.insert(correction.corrects)
            case .electionDefined: request.everyStation = true
            case .stationDefined(let station): request.stations.insert(station.code)
            case .deviceAssigned(let assignment): request.assignedDevices.insert(assignment.device)
            default: break
            }
        }
        return request
    }

    /// ``apply(_:)`` for a partial fold, checked: throws, and derives nothing, when the batch touches a
    /// station that ``load(_:)`` did not take (a store that answered short). The fold has then taken the
    /// batch's facts without deriving them, and must be dropped, as after any failed batch.
    @discardableResult
    public mutating func applyLoaded(_ events: [StoredEvent]) throws(TallyStateError) -> TallyChanges {
        refresh(try ingestLoaded(events))
    }

    /// ``applyLoaded(_:)`` with the stations derived on every core: the same tallies, byte for byte.
    @discardableResult
    public mutating func applyLoadedOnEveryCore(
        _ events: [StoredEvent]
    ) async throws(TallyStateError)
        -> TallyChanges
    {
        let dirty = try ingestLoaded(events)
        return await refreshOnEveryCore(dirty)
    }

    /// Records a batch's facts and says what they touch; throws when that is a station not loaded.
    private mutating func ingestLoaded(_ events: [StoredEvent]) throws(TallyStateError) -> Touched {
        var dirty = Touched()
        for stored in events { ingest(stored, into: &dirty) }
        // Not `subtracting`: it goes through every station held, thousands, for a batch's few.
        let held = self.held
        let missing = isPartial ? dirty.stations.filter { !held.contains($0) } : []
        guard missing.isEmpty else {
            let named = missing.sorted().prefix(5).map(\.rawValue).joined(separator: ", ")
            throw TallyStateError(
                "the batch touches \(missing.count) station\(missing.count == 1 ? "" : "s") not loaded: \(named)"
                    + (missing.count > 5 ? ", …" : ""))
        }
        return dirty
    }

    /// Takes the stations and answers a store found. A station already held is kept as it is.
    public mutating func load(_ states: StationStates) {
        precondition(isPartial, "only a partial fold loads stations")
        var loading = [StationCode: StationFacts]()
        for code in states.stations where !held.contains(code) { loading[code] = StationFacts() }
        for stored in states.events {
            guard let code = StationFacts.station(of: stored.event), loading[code] != nil else { continue }
            loading[code]!.record(stored.event)
        }
        for (code, var loaded) in loading {
            for record in loaded.corrections.values {
                guard case .reportCorrected(let correction) = record.payload,
                    let target = states.locations[correction.corrects]
                else { continue }
                loaded.targets[correction.corrects] = target
            }
            held.insert(code)
            if !loaded.isEmpty { facts[code] = loaded }
            // A station is derived once defined or observed; the sums already hold what it adds.
            guard !loaded.isEmpty || reference.stations[code] != nil else { continue }
            let (tally, contributed) = derive(code)
            stationTallies[code] = tally
            contributions[code] = contributed.isEmpty ? nil : contributed
        }
        index.merge(states.locations) { current, _ in current }
        for waiting in states.waitingCorrections {
            index[waiting.correction] = waiting.location
            correctionsByTarget[waiting.target, default: []].append(waiting.correction)
        }
        for (device, stations) in states.stationsByDevice { stationsByDevice[device, default: []].formUnion(stations) }
    }

    /// The sums of every seat whose sums changed since the last call, as canonical bytes
    /// (``init(resumingAt:referenceEvents:sums:)`` reads them back).
    public mutating func takeChangedSums() -> [(ConstituencyCode, [UInt8])] {
        defer { changedSums = [] }
        return changedSums.sorted().compactMap { code in aggregates[code].map { (code, $0.canonicalBytes) } }
    }

    /// After a batch is written: forgets the answers looked up for it. The stations stay held.
    public mutating func endBatch() {
        guard isPartial else { return }
        index = [:]
        correctionsByTarget = [:]
        stationsByDevice = [:]
    }

    /// Lets these stations go: their facts, tallies and contributions, until a batch loads them again.
    public mutating func evict(_ codes: some Sequence<StationCode>) {
        precondition(isPartial, "only a partial fold evicts stations")
        for code in codes {
            held.remove(code)
            facts[code] = nil
            stationTallies[code] = nil
            contributions[code] = nil
        }
    }
}
