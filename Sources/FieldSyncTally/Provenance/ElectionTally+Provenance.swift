import FieldSyncModel

extension ElectionTally {
    /// The log positions, devices and types of events named by id in a tally, in position order.
    /// Ids not applied are left out.
    public func references(_ ids: some Sequence<EventID>) -> [EventReference] {
        ids.compactMap { id in
            index[id].map { EventReference(id: id, position: $0.position, device: $0.device, type: $0.type) }
        }.sorted()
    }

    /// The events behind one station's result for one seat: each device's effective report, and
    /// the correction that made it so.
    public func provenance(station code: StationCode, constituency: ConstituencyCode) -> Provenance? {
        guard let result = stationTallies[code]?.result(for: constituency) else { return nil }
        return Provenance(
            station: code, figure: "result", status: result.status, events: references(result.events))
    }

    /// The events behind every figure of a seat's tally. Proportional to the seat's stations.
    public func provenance(constituency code: ConstituencyCode) -> ConstituencyProvenance? {
        guard let tally = constituencyTallies[code] else { return nil }
        var counted = [Provenance]()
        var disputed = [Provenance]()
        var live = [Provenance]()
        for station in reference.stationsByConstituency[code] ?? [] {
            guard let stationTally = stationTallies[station] else { continue }
            if let result = stationTally.result(for: code), result.status != .unreported {
                let entry = Provenance(
                    station: station, figure: result.status == .disputed ? "disputed" : "counted",
                    status: result.status, events: references(result.events))
                if result.status == .disputed { disputed.append(entry) } else { counted.append(entry) }
            }
            if let latest = stationTally.latestTurnout {
                live.append(
                    Provenance(station: station, figure: "live-turnout", status: nil, events: references(latest.events))
                )
            }
        }
        let flags = tally.flags.map { flag in
            Provenance(station: nil, figure: flag.code.rawValue, status: nil, events: references(flag.events))
        }
        return ConstituencyProvenance(
            constituency: code, counted: counted, disputed: disputed, liveTurnout: live, flags: flags)
    }
}
