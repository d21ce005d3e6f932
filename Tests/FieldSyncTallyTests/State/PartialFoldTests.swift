import FieldSyncModel
import Testing

@testable import FieldSyncTally

/// A partial fold, fed by a store that answers from the events before each batch and evicts stations
/// after it, gives the tallies of a whole fold; the seats' sums read back as they were written.
@Suite("Partial fold")
struct PartialFoldTests {
    /// A messy day in NA-235, in the order a server might receive it.
    static func day(seed: UInt64) -> [StoredEvent] {
        ElectionDay(demo: KarachiDemo(), nationalSeats: [ConstituencyCode("NA-235")!], options: .messy(seed: seed))
            .syncOrder(seed: seed + 1)
    }

    /// What a store holding `log` up to the fold's position answers to `request`.
    static func answer(
        _ request: StationStateRequest, log: [StoredEvent], holding held: Set<StationCode>, upTo position: Int64
    ) -> StationStates {
        let past = log.filter { $0.position <= position }
        func location(_ stored: StoredEvent) -> EventLocation {
            EventLocation(
                position: stored.position, device: stored.event.device, seq: stored.event.seq,
                type: stored.event.type, station: stored.event.station)
        }
        var states = StationStates()
        let batch = Set(request.eventIDs)
        for stored in past {
            if case .reportCorrected(let correction) = stored.event.payload, batch.contains(correction.corrects) {
                states.waitingCorrections.append(
                    .init(target: correction.corrects, correction: stored.event.id, location: location(stored)))
            }
            if request.assignedDevices.contains(stored.event.device), let station = stored.event.station {
                states.stationsByDevice[stored.event.device, default: []].insert(station)
            }
        }
        var wanted = request.stations
        wanted.formUnion(states.waitingCorrections.compactMap(\.location.station))
        for stations in states.stationsByDevice.values { wanted.formUnion(stations) }
        if request.everyStation { wanted.formUnion(past.compactMap { ElectionTally.station(of: $0.event) }) }
        states.stations = wanted
        states.events = past.filter { stored in
            ElectionTally.station(of: stored.event).map { wanted.contains($0) && !held.contains($0) } ?? false
        }
        let targets = request.correctionTargets.union(ElectionTally.correctionTargets(in: states.events))
        for stored in past where targets.contains(stored.event.id) {
            states.locations[stored.event.id] = location(stored)
        }
        return states
    }

    @Test("batches through a tiny cache give the tallies of a whole fold", arguments: [0, 1, 5])
    func tinyCache(limit: Int) throws {
        let log = Self.day(seed: 17)
        let whole = ElectionTally(replaying: log)
        var tally = try! ElectionTally(resumingAt: 0, referenceEvents: [], sums: [])
        var random = SplitMix64(seed: UInt64(limit) + 3)
        var start = 0
        var touched: [StationCode] = []
        while start < log.count {
            let batch = Array(log[start..<min(log.count, start + random.pick([1, 3, 40, 200]))])
            start += batch.count
            let request = tally.stateRequest(for: batch)
            tally.load(Self.answer(request, log: log, holding: tally.heldStations, upTo: tally.lastPosition))
            try tally.applyLoaded(batch)
            tally.endBatch()
            touched = Array(request.stations) + touched.filter { !request.stations.contains($0) }
            tally.evict(tally.heldStations.filter { !touched.prefix(limit).contains($0) })
            #expect(tally.heldStations.count <= limit)
        }
        #expect(tally.city == whole.city)
        #expect(tally.constituencyCodes == whole.constituencyCodes)
        for code in whole.constituencyCodes { #expect(tally.constituency(code) == whole.constituency(code)) }
        for name in whole.districtNames { #expect(tally.district(name) == whole.district(name)) }
        // The official comparison, kept from the sums, is what reading every document gives.
        let documents = OfficialDifferences(
            stations: whole.stationCodes.map { whole.station($0)!.jsonValue },
            seats: whole.constituencyCodes.map { whole.constituency($0)!.jsonValue })
        #expect(!documents.differences.isEmpty && documents.stations > 0)
        #expect(whole.officialComparisonBytes == CanonicalJSON.bytes(documents.jsonValue))
        #expect(tally.officialComparisonBytes == whole.officialComparisonBytes)
        // Every station, loaded again, is the whole fold's.
        var all = StationStates()
        all.stations = Set(whole.stationCodes)
        all.events = log.filter { ElectionTally.station(of: $0.event) != nil }
        let targets = ElectionTally.correctionTargets(in: all.events)
        for stored in log where targets.contains(stored.event.id) {
            all.locations[stored.event.id] = EventLocation(
                position: stored.position, device: stored.event.device, seq: stored.event.seq,
                type: stored.event.type, station: stored.event.station)
        }
        tally.load(all)
        for code in whole.stationCodes { #expect(tally.station(code) == whole.station(code), "\(code)") }
    }

    @Test("a batch that touches a station the store did not load is refused, whatever the build")
    func unloadedStation() throws {
        let log = Self.day(seed: 29)
        let reference = log.prefix { $0.event.type.isReference }
        var tally = try ElectionTally(resumingAt: 0, referenceEvents: [], sums: [])
        let first = Array(reference)
        tally.load(Self.answer(tally.stateRequest(for: first), log: log, holding: [], upTo: 0))
        try tally.applyLoaded(first)
        tally.endBatch()
        tally.evict(tally.heldStations)
        let observation = try #require(log.first { !$0.event.type.isReference && $0.event.station != nil })
        // The store answers nothing: the observation's station is not held.
        let error = #expect(throws: TallyStateError.self) { try tally.applyLoaded([observation]) }
        #expect(error?.description.contains(observation.event.station!.rawValue) == true)
        #expect(tally.station(observation.event.station!) == nil)
    }

    @Test("a seat's sums read back as written, and a fold resumed from them has the same roll-ups")
    func sumsRoundTrip() throws {
        let log = Self.day(seed: 23)
        var whole = ElectionTally(replaying: log)
        #expect(!whole.aggregates.isEmpty)
        for (code, aggregate) in whole.aggregates {
            let bytes = aggregate.canonicalBytes
            #expect(try ConstituencyAggregate(canonicalBytes: bytes).canonicalBytes == bytes, "\(code)")
            // As PostgreSQL gives jsonb back: other member order and spacing.
            let reordered = Array(CanonicalJSON.string(try JSONParser.parse(bytes)).utf8)
            #expect(try ConstituencyAggregate(canonicalBytes: reordered).canonicalBytes == bytes)
        }
        #expect(throws: TallyStateError.self) { try ConstituencyAggregate(canonicalBytes: Array("{}".utf8)) }

        let resumed = try ElectionTally(
            resumingAt: whole.lastPosition, referenceEvents: log.filter { $0.event.type.isReference },
            sums: whole.aggregates.map { ($0.key, $0.value.canonicalBytes) })
        #expect(resumed.heldStations.isEmpty)
        #expect(resumed.city == whole.city)
        #expect(resumed.officialComparisonBytes == whole.officialComparisonBytes)
        #expect(resumed.constituencyCodes == whole.constituencyCodes)
        for code in whole.constituencyCodes { #expect(resumed.constituency(code) == whole.constituency(code)) }

        // A page of reference events at a time, observations among them left out, the same fold.
        var resumption = ElectionTally.Resumption(at: whole.lastPosition)
        #expect(!resumption.definesStations)
        for start in stride(from: 0, to: log.count, by: 7) { resumption.take(log[start..<min(start + 7, log.count)]) }
        #expect(resumption.definesStations)
        let paged = try resumption.finish(sums: whole.aggregates.map { ($0.key, $0.value.canonicalBytes) })
        #expect(paged.reference == resumed.reference && paged.city == resumed.city)
        for code in whole.constituencyCodes { #expect(paged.constituency(code) == whole.constituency(code)) }
        whole.makePartial()
        #expect(whole.takeChangedSums().count == whole.aggregates.count)
    }
}
