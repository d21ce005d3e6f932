import FieldSyncModel

/// The seats of an area summed: the whole city, or one district. National Assembly seats and
/// provincial seats (of every provincial assembly) are summed apart; flags are counted over the area's
/// stations and seats. Seats the election postponed are left out: not polled that day, their stations
/// are not waiting for reports.
public struct RollUpTally: Hashable, Sendable, TallyDocument, CanonicalPart {
    /// The district; nil for the city (every defined seat).
    public let district: String?
    public let national: AssemblyRollUp
    public let provincial: AssemblyRollUp
    /// Flags by code: the stations' (each station once, through its NA seat) and the seats' own.
    public let flags: [FlagCode: Int]

    init(district: String?, seats: some Sequence<ConstituencyTally>, reference: ReferenceData) {
        var national = AssemblyRollUp()
        var provincial = AssemblyRollUp()
        var flags = [FlagCode: Int]()
        let candidate = { (id: CandidateID) in reference.candidates[id] }
        let postponed = reference.election?.postponed ?? []
        for tally in seats where !postponed.contains(tally.code) {
            switch tally.code.assembly {
            case .national:
                national.add(tally, candidate: candidate)
                for (code, count) in tally.stationFlags { flags[code, default: 0] += count }
            case .provincial:
                provincial.add(tally, candidate: candidate)
            }
            for flag in tally.flags { flags[flag.code, default: 0] += 1 }
        }
        self.district = district
        self.national = national
        self.provincial = provincial
        self.flags = flags
    }

    func write(to writer: inout CanonicalWriter) {
        var counts = [String: Int]()
        for (code, count) in flags { counts[code.rawValue] = count }
        writer.object { w in
            w.member("area", district == nil ? "city" : "district")
            w.member("district", district)
            w.name("flags")
            w.counts(counts)
            w.member("national", national)
            w.member("provincial", provincial)
        }
    }

    /// The tally as a JSON document in canonical form; the same bytes for the same set of events.
    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }
}

/// The roll-up of every defined seat.
public typealias CityTally = RollUpTally
/// The roll-up of one district's seats.
public typealias DistrictTally = RollUpTally
